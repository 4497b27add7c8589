"""Solvers: each minimises one function ``fun(theta) -> (objective, gradient)``.

Every solver has the signature ``solver(fun, theta, monitor, **options) -> theta``
and reports each finished epoch (an L-BFGS iteration counts as one) to
``monitor.epoch_ends(theta, objective)``, which records the history and returns
True to stop. Solvers know nothing of estimators, labels or sample weights.
"""

import time

import numpy as np
from scipy.optimize import minimize

# Armijo's sufficient-decrease constant and the number of halvings after which a
# step is taken to be lost in rounding (2**-60 ~ 1e-18 of the starting step).
ARMIJO_C = 1e-4
MAX_HALVINGS = 60
# L-BFGS-B's line search takes at most this many evaluations per iteration, so
# maxfun = (MAX_LINE_SEARCH + 1) * max_iter never ends the run before max_iter.
MAX_LINE_SEARCH = 20


def _raise_diverged(epoch, objective, learning_rate, start=None):
    what = f"became {objective}" if start is None else f"rose from {start} to {objective}"
    raise ValueError(
        f"The objective {what} by epoch {epoch}: the fit diverged and was stopped. "
        f"learning_rate={learning_rate!r} is too large a step for this data; use a "
        "smaller learning_rate, learning_rate='auto', or scale X (for instance with "
        "sklearn.preprocessing.StandardScaler)."
    )


def _raise_not_finite_at_start(objective):
    raise ValueError(
        f"The objective is {objective} at the initial weights: the values in X are "
        "too large for floating-point arithmetic. Scale X, for instance with "
        "sklearn.preprocessing.StandardScaler."
    )


def _is_finite(objective, gradient):
    return np.isfinite(objective) and np.isfinite(gradient).all()


def gradient_descent(fun, theta, monitor, *, learning_rate, max_iter):
    """Full-batch gradient descent, the seed's loop: ``theta -= step * gradient``.

    A float ``learning_rate`` is a fixed step; a fit whose objective becomes
    non-finite, or ends above where it started, raises a ValueError. ``"auto"`` chooses each step by
    backtracking (Armijo) line search: the last accepted step, doubled after an
    epoch whose first try was accepted, is halved until
    ``J(theta - step * g) <= J(theta) - ARMIJO_C * step * ||g||^2``. The gradient
    at the accepted point is the next epoch's, so an epoch costs one evaluation
    plus one per halving.
    """
    objective, gradient = fun(theta)
    if not _is_finite(objective, gradient):
        _raise_not_finite_at_start(objective)
    start, step, grow = objective, 1.0, False
    for epoch in range(1, max_iter + 1):
        if learning_rate == "auto":
            accepted = _armijo_step(fun, theta, objective, gradient, 2 * step if grow else step)
            if accepted is None:  # no step decreases J: a stationary point to rounding
                monitor.converged()
                break
            theta, objective, gradient, grow, step = accepted
        else:
            theta = theta - learning_rate * gradient
            objective, gradient = fun(theta)
            if not (_is_finite(objective, gradient) and np.isfinite(theta).all()):
                _raise_diverged(epoch, objective, learning_rate)
        if monitor.epoch_ends(theta, objective):
            break
    # A small enough fixed step only ever lowers J; ending above the start means
    # the step overshoots (e.g. alpha * learning_rate > 2 makes the weights grow).
    if learning_rate != "auto" and objective > start:
        _raise_diverged(monitor.n_iter, objective, learning_rate, start)
    return theta


def _armijo_step(fun, theta, objective, gradient, step):
    squared_norm = float(np.vdot(gradient, gradient))
    if squared_norm == 0.0:
        return None
    for halvings in range(MAX_HALVINGS):
        candidate = theta - step * gradient
        new_objective, new_gradient = fun(candidate)
        if (
            _is_finite(new_objective, new_gradient)
            and new_objective <= objective - ARMIJO_C * step * squared_norm
        ):
            return candidate, new_objective, new_gradient, halvings == 0, step
        step /= 2
    return None


def lbfgs(fun, theta, monitor, *, max_iter, tol):
    """scipy's L-BFGS-B on the backpropagated gradient.

    ``tol`` is L-BFGS-B's ``gtol`` (largest gradient entry), as in MLPClassifier;
    ``tol=None`` turns off both of scipy's stopping tests, so only ``max_iter`` or
    an exact stationary point ends the run. scipy works in float64; a float32
    network is evaluated in float32 and its gradient handed back in float64.
    """
    dtype = theta.dtype

    def fun64(x):
        objective, gradient = fun(x.astype(dtype, copy=False))
        return objective, gradient.astype(np.float64, copy=False)

    objective, gradient = fun64(theta)
    if not _is_finite(objective, gradient):
        _raise_not_finite_at_start(objective)

    def callback(intermediate_result):
        if monitor.epoch_ends(intermediate_result.x.astype(dtype), intermediate_result.fun):
            raise StopIteration

    options = {
        "maxiter": max_iter,
        "maxfun": (MAX_LINE_SEARCH + 1) * max_iter,
        "maxls": MAX_LINE_SEARCH,
    }
    if tol is None:
        options.update(gtol=0.0, ftol=0.0)
    else:
        options.update(gtol=tol, ftol=64 * np.finfo(float).eps)  # as LogisticRegression
    result = minimize(
        fun64,
        theta.astype(np.float64),
        jac=True,
        method="L-BFGS-B",
        callback=callback,
        options=options,
    )
    if result.status == 0:
        monitor.converged()
    return result.x.astype(dtype)


SOLVERS = {"gd": gradient_descent, "lbfgs": lbfgs}


class EpochMonitor:
    """The history of a fit and its stopping rule, one call per epoch.

    Stops when the objective has not improved by ``tol`` on the best so far for
    ``n_iter_no_change`` consecutive epochs (MLPClassifier's rule); ``tol=None``
    never stops. L-BFGS has stopping tests of its own, so for it
    ``use_stopping_rule=False`` only records.

    Attributes
    ----------
    loss_curve : list of float
        The objective after each epoch.
    best_loss : float
    n_iter : int
    has_converged : bool
        Whether the fit stopped on its tolerance rather than on ``max_iter``.
    """

    def __init__(
        self,
        *,
        tol,
        n_iter_no_change,
        use_stopping_rule,
        verbose,
        loss_curve=(),
        best_loss=np.inf,
    ):
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.use_stopping_rule = use_stopping_rule and tol is not None
        self.verbose = verbose
        self.loss_curve = list(loss_curve)
        self.best_loss = best_loss
        self.n_iter = 0
        self.has_converged = False
        self._no_improvement = 0
        self._start = time.perf_counter()

    def epoch_ends(self, theta, objective):
        """Record one epoch; True when training should stop."""
        objective = float(objective)
        self.n_iter += 1
        self.loss_curve.append(objective)
        if self.verbose:
            elapsed = time.perf_counter() - self._start
            print(f"Epoch {self.n_iter}, objective = {objective:.8f}, elapsed = {elapsed:.2f}s")
        if self.use_stopping_rule and objective > self.best_loss - self.tol:
            self._no_improvement += 1
        else:
            self._no_improvement = 0
        self.best_loss = min(self.best_loss, objective)
        if self.use_stopping_rule and self._no_improvement >= self.n_iter_no_change:
            self.converged()
            return True
        return False

    def converged(self):
        """Called by a solver that met its own convergence test."""
        self.has_converged = True
