"""Solvers: interchangeable minimisers of one objective, each owning its policy.

Every solver is an object with ``run(objective, theta, monitor, max_iter,
incremental=False) -> Outcome``. ``objective(theta, rows=None)`` returns
``(J, gradient)`` on the whole data or on a mini-batch of it
(``_network.Objective``). Around each epoch (an L-BFGS iteration counts as one)
the solver tells ``monitor.epoch_begins()`` and ``monitor.epoch_ends(theta, J)``;
the monitor records, and the solver decides, by its own rule (``_stopping``),
when to stop and when to change its step. A solver keeps what it learns about the
problem (the line search's step, momentum, Adam's moments, the shuffling
generator) on itself, so ``partial_fit`` can go on where the last call stopped;
callers run a copy and keep it only when the call succeeds. Solvers know nothing
of estimators, labels or sample weights.
"""

from typing import NamedTuple

import numpy as np
from scipy.optimize import minimize
from sklearn.utils import gen_batches

from ._stopping import StoppedDescending
from ._threads import blas_threads

# Armijo's sufficient-decrease constant and the number of halvings after which a
# step is taken to be lost in rounding (2**-60 ~ 1e-18 of the starting step).
ARMIJO_C = 1e-4
MAX_HALVINGS = 60
# L-BFGS-B's line search takes at most this many evaluations per iteration, so
# maxfun = (MAX_LINE_SEARCH + 1) * max_iter never ends the run before max_iter.
MAX_LINE_SEARCH = 20
# learning_rate="auto" of the mini-batch solvers, (without, with) hidden layers,
# measured (docs/solvers.md). Without hidden layers 0.1 reached the optimum closest
# in 200 epochs on three data sets; with 64 hidden units on 45,000 x 50 rows (5
# classes) adam reached 0.908 test accuracy at 0.1, 0.966 at 0.01, 0.933 at 0.001,
# and sgd (momentum 0.9) 0.960 at 0.1, 0.906 at 0.01.
AUTO_LEARNING_RATE = {"sgd": (0.1, 0.1), "adam": (0.1, 0.01)}
# When a mini-batch solver's objective stops descending while it still moves by
# more than tol, learning_rate="auto" divides the step by PLATEAU_DECAY, at most
# PLATEAU_DECAYS times (0.1 / 5**8 = 2.6e-7) before it gives up with a warning.
PLATEAU_DECAY = 5.0
PLATEAU_DECAYS = 8
# Multiply-adds of one evaluation (rows x coefs) under which the solver runs with one
# BLAS thread (see _threads): at 200,000 x 100 x 10 outputs 2 threads evaluate in
# 72 ms, 1 in 106, but on digits one thread is 7x faster.
SINGLE_THREAD_WORK = 2e7
# L-BFGS-B alternates with NumPy's products every evaluation, and the spinning costs it
# far more: at 200,000 x 100 (1 and 5 outputs) a fit took 1.28 s and 8.4 s with 2
# threads, 0.73 s and 5.2 s with 1. It keeps one thread up to a much larger product.
SINGLE_THREAD_WORK_LBFGS = 1e9


class Outcome(NamedTuple):
    """What a run returns: the weights, ``J`` at them, and whether it met its
    tolerance (else ``reason`` says why it ended, for a ConvergenceWarning)."""

    theta: np.ndarray
    objective: float
    converged: bool
    reason: str = ""


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


def _max_iter_reason(max_iter, tol):
    return f"reached max_iter={max_iter} before the tolerance tol={tol} was met"


class Solver:
    """The shared part: the BLAS thread policy around ``_minimise``."""

    single_thread_work = SINGLE_THREAD_WORK

    def __init__(self, tol, n_iter_no_change):
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change

    def run(self, objective, theta, monitor, max_iter, incremental=False):
        rows = min(getattr(self, "batch_size", objective.n_samples), objective.n_samples)
        work = rows * objective.layout.n_coefs
        with blas_threads(work, self.single_thread_work):
            return self._minimise(objective, theta, monitor, max_iter, incremental)


class GradientDescent(Solver):
    """Full-batch gradient descent, the seed's loop: ``theta -= step * gradient``.

    A float ``learning_rate`` is a fixed step; a fit whose objective becomes
    non-finite, or ends above where it started, raises a ValueError. ``"auto"``
    chooses each step by backtracking (Armijo) line search: the last accepted
    step, doubled after an epoch whose first try was accepted, is halved until
    ``J(theta - step * g) <= J(theta) - ARMIJO_C * step * ||g||^2``. The gradient
    at the accepted point is the next epoch's, so an epoch costs one evaluation
    plus one per halving. Stops when ``J`` has stopped descending
    (``StoppedDescending``), or when no step lowers it.
    """

    def __init__(self, learning_rate, tol, n_iter_no_change):
        super().__init__(tol, n_iter_no_change)
        self.learning_rate = learning_rate
        self.step = 1.0
        self.grow = False

    def _minimise(self, objective, theta, monitor, max_iter, incremental):
        value, gradient = objective(theta)
        if not _is_finite(value, gradient):
            _raise_not_finite_at_start(value)
        start = value
        rule = StoppedDescending(self.tol, self.n_iter_no_change)
        outcome = None
        for epoch in range(1, max_iter + 1):
            monitor.epoch_begins()
            if self.learning_rate == "auto":
                accepted = self._armijo_step(objective, theta, value, gradient)
                if accepted is None:  # no step lowers J: stationary to rounding
                    outcome = Outcome(theta, value, True)
                    break
                theta, value, gradient = accepted
            else:
                theta = theta - self.learning_rate * gradient
                value, gradient = objective(theta)
                if not (_is_finite(value, gradient) and np.isfinite(theta).all()):
                    _raise_diverged(epoch, value, self.learning_rate)
            if monitor.epoch_ends(theta, value) or (
                not incremental and rule.update(monitor.watched)
            ):
                outcome = Outcome(theta, value, True)
                break
        # A small enough fixed step only ever lowers J; ending above the start means
        # the step overshoots (e.g. alpha * learning_rate > 2 makes the weights grow).
        if self.learning_rate != "auto" and value > start:
            _raise_diverged(monitor.n_iter, value, self.learning_rate, start)
        return outcome or Outcome(theta, value, incremental, _max_iter_reason(max_iter, self.tol))

    def _armijo_step(self, objective, theta, value, gradient):
        squared_norm = float(np.vdot(gradient, gradient))
        if squared_norm == 0.0:
            return None
        step = 2 * self.step if self.grow else self.step
        for halvings in range(MAX_HALVINGS):
            candidate = theta - step * gradient
            new_value, new_gradient = objective(candidate)
            if (
                _is_finite(new_value, new_gradient)
                and new_value <= value - ARMIJO_C * step * squared_norm
            ):
                self.step, self.grow = step, halvings == 0
                return candidate, new_value, new_gradient
            step /= 2
        return None


class LBFGS(Solver):
    """scipy's L-BFGS-B on the backpropagated gradient.

    ``tol`` is L-BFGS-B's ``gtol`` (largest gradient entry), as in MLPClassifier,
    with ``ftol = 64 eps`` as in LogisticRegression; ``tol=None`` turns both tests
    off, so only ``max_iter`` or an exact stationary point ends the run. scipy
    works in float64; a float32 network is evaluated in float32 and its gradient
    handed back in float64.
    """

    single_thread_work = SINGLE_THREAD_WORK_LBFGS

    def _minimise(self, objective, theta, monitor, max_iter, incremental):
        dtype = theta.dtype
        value, gradient = objective(theta)
        if not _is_finite(value, gradient):
            _raise_not_finite_at_start(value)
        rule = StoppedDescending(self.tol, self.n_iter_no_change) if monitor.validates else None
        # scipy runs the iterations: one begins at its first evaluation and ends
        # at the callback that follows.
        in_epoch, stopped = [False], [False]

        def objective64(x):
            if not in_epoch[0]:
                monitor.epoch_begins()
                in_epoch[0] = True
            value, gradient = objective(x.astype(dtype, copy=False))
            return value, gradient.astype(np.float64, copy=False)

        def callback(intermediate_result):
            in_epoch[0] = False
            theta = intermediate_result.x.astype(dtype, copy=False)
            if monitor.epoch_ends(theta, intermediate_result.fun) or (
                rule is not None and rule.update(monitor.watched)
            ):
                stopped[0] = True
                raise StopIteration

        options = {
            "maxiter": max_iter,
            "maxfun": (MAX_LINE_SEARCH + 1) * max_iter,
            "maxls": MAX_LINE_SEARCH,
        }
        if self.tol is None:
            options.update(gtol=0.0, ftol=0.0)
        else:
            options.update(gtol=self.tol, ftol=64 * np.finfo(float).eps)
        result = minimize(
            objective64,
            theta.astype(np.float64),
            jac=True,
            method="L-BFGS-B",
            callback=callback,
            options=options,
        )
        converged = stopped[0] or result.status == 0
        reason = "" if converged else _max_iter_reason(max_iter, self.tol)
        return Outcome(result.x.astype(dtype), float(result.fun), converged, reason)


class MiniBatchDescent(Solver):
    """One epoch is one pass over the data in mini-batches, shuffled if asked.

    Each batch ``B`` takes one step on its estimate of ``J`` (its rows' loss
    normalised by ``S * |B| / n``, see ``_network.Objective``), whose average
    over a pass is ``J`` itself; the epoch's recorded objective is that average,
    as MLPClassifier records it, so no extra pass over the data is spent on it.

    Stopping (``StoppedDescending`` on the epoch objective): a constant step
    leaves the weights wandering around the optimum, and the epoch objective
    levels off above ``J*`` by an excess that grows with the step. So with
    ``learning_rate="auto"`` each plateau divides the step by ``PLATEAU_DECAY``;
    the fit has converged when a decay lowered the plateau's level by at most
    ``tol`` relative (what is left to gain is then a quarter of that), and warns
    when ``PLATEAU_DECAYS`` decays did not get there. A float step is the user's
    and never changes: its fit ends at the first plateau, converged if the epoch
    objective varies by at most ``tol`` (relative), else with a warning. With
    early stopping the watched value is the validation error, and its plateaus
    decay an ``"auto"`` step the same way before they stop the fit. Each run
    starts from the step the user asked for: the decays belong to one ``fit``,
    and ``partial_fit`` always steps by ``learning_rate``.
    A fit whose objective ends above ``2 J_0 + 1`` (``J_0`` at its start) has
    diverged and raises a ValueError, as does a non-finite objective.
    Subclasses define ``update(theta, gradient, step)``, changing theta in place.
    """

    def __init__(self, learning_rate, tol, n_iter_no_change, batch_size, shuffle, random_state,
                 auto=False):
        super().__init__(tol, n_iter_no_change)
        self.learning_rate = learning_rate
        self.auto = auto  # learning_rate is "auto"'s start, which may decay
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.random_state = random_state

    def _minimise(self, objective, theta, monitor, max_iter, incremental):
        theta = theta.copy()
        start = None if incremental else objective(theta)[0]
        if start is not None and not np.isfinite(start):
            _raise_not_finite_at_start(start)
        step, decays_left = self.learning_rate, PLATEAU_DECAYS if self.auto else 0
        rule = StoppedDescending(self.tol, self.n_iter_no_change)
        converged, reason = incremental, _max_iter_reason(max_iter, self.tol)
        level_before_decay = None
        for epoch in range(1, max_iter + 1):
            monitor.epoch_begins()
            average = self._epoch(objective, theta, step, epoch)
            if monitor.epoch_ends(theta, average):
                converged = True
                break
            if incremental or not rule.update(monitor.watched):
                continue
            level = rule.level
            if monitor.validates:
                converged = decays_left == 0  # early stopping: decay, then stop
            elif not self.auto:
                converged = rule.spread <= self.tol
            elif level_before_decay is not None:
                # The noise a step leaves scales with the step: a decay that lowered
                # the level by at most tol leaves at most a quarter of that to gain.
                converged = level_before_decay - level <= self.tol * abs(level)
            if converged:
                break
            if decays_left == 0:
                reason = self._plateau_reason(step, level_before_decay, level)
                break
            step /= PLATEAU_DECAY
            decays_left -= 1
            level_before_decay = level
            rule.reset()
        value, gradient = objective(theta)
        # (With early stopping the best epoch's weights are returned, not these.)
        rose = start is not None and not monitor.validates and value > 2 * start + 1
        if not np.isfinite(value) or rose:
            _raise_diverged(monitor.n_iter, value, self.learning_rate, start)
        if converged and self.tol is not None and not (incremental or monitor.validates):
            converged, reason = self._check_gradient(objective, value, gradient)
        return Outcome(theta, value, converged, "" if converged else reason)

    def _check_gradient(self, objective, value, gradient):
        """A plateau of noisy epoch averages can hide a slow descent (an
        ill-conditioned problem at a small step); the full gradient cannot.
        Converged if L-BFGS's test holds (no entry above ``tol``), or if
        ``||g||^2 / (2 alpha)``, which bounds ``J - J*`` where ``J`` is
        ``alpha``-strongly convex (no hidden layer), is at most ``tol * J``."""
        largest = float(np.max(np.abs(gradient)))
        squared = float(np.vdot(gradient, gradient))
        bound = squared / (2 * objective.alpha) if objective.alpha > 0 else np.inf
        if largest <= self.tol or bound <= self.tol * abs(value):
            return True, ""
        return False, (
            f"stopped descending with a gradient entry of {largest:.3g}, above "
            f"tol={self.tol}: mini-batch steps make too little progress on this "
            "problem. Scale X, or use solver='lbfgs' or 'gd'"
        )

    def _epoch(self, objective, theta, step, epoch):
        """One pass in mini-batches; returns the average of the batch objectives."""
        n_samples = objective.n_samples
        order = self.random_state.permutation(n_samples) if self.shuffle else None
        total = 0.0
        for batch in gen_batches(n_samples, min(self.batch_size, n_samples)):
            rows = batch if order is None else order[batch]
            value, gradient = objective(theta, rows)
            if not _is_finite(value, gradient):
                _raise_diverged(epoch, value, self.learning_rate)
            with np.errstate(over="ignore", invalid="ignore"):
                self.update(theta, gradient, step)
            total += value * (batch.stop - batch.start)
        if not np.isfinite(theta).all():
            _raise_diverged(epoch, np.inf, self.learning_rate)
        return total / n_samples

    def _plateau_reason(self, step, level_before_decay, level):
        if not self.auto:
            return (
                f"stopped descending at the fixed step learning_rate={self.learning_rate!r}, "
                f"with its epoch objective still varying by more than tol={self.tol}. A "
                "fixed step cannot get closer: use learning_rate='auto', which decays "
                "it, a smaller step or a larger batch_size"
            )
        return (
            f"divided its step {PLATEAU_DECAYS} times, to {step:.3g}, and the last "
            f"decay still lowered the objective from {level_before_decay:.8g} to "
            f"{level:.8g}, by more than tol={self.tol} relative. Increase batch_size"
        )


class MomentumSGD(MiniBatchDescent):
    """Mini-batch gradient descent with (heavy-ball) momentum:
    ``velocity = momentum * velocity - step * gradient; theta += velocity``."""

    def __init__(self, learning_rate, tol, n_iter_no_change, batch_size, shuffle, random_state,
                 momentum, auto=False):
        super().__init__(
            learning_rate, tol, n_iter_no_change, batch_size, shuffle, random_state, auto
        )
        self.momentum = momentum
        self.velocity = None

    def update(self, theta, gradient, step):
        if self.velocity is None:
            self.velocity = np.zeros_like(theta)
        self.velocity *= self.momentum
        self.velocity -= step * gradient
        theta += self.velocity


class Adam(MiniBatchDescent):
    """Adam (Kingma and Ba, 2015) with its published constants, as MLPClassifier's:
    ``m = b1 m + (1 - b1) g``, ``v = b2 v + (1 - b2) g^2``,
    ``theta -= step sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)``."""

    beta_1, beta_2, epsilon = 0.9, 0.999, 1e-8

    def __init__(self, learning_rate, tol, n_iter_no_change, batch_size, shuffle, random_state,
                 auto=False):
        super().__init__(
            learning_rate, tol, n_iter_no_change, batch_size, shuffle, random_state, auto
        )
        self.first_moment = self.second_moment = None
        self.t = 0

    def update(self, theta, gradient, step):
        if self.first_moment is None:
            self.first_moment = np.zeros_like(theta)
            self.second_moment = np.zeros_like(theta)
        self.t += 1
        self.first_moment *= self.beta_1
        self.first_moment += (1 - self.beta_1) * gradient
        self.second_moment *= self.beta_2
        self.second_moment += (1 - self.beta_2) * gradient**2
        corrected = step * np.sqrt(1 - self.beta_2**self.t) / (1 - self.beta_1**self.t)
        theta -= corrected * self.first_moment / (np.sqrt(self.second_moment) + self.epsilon)


def make_solver(name, *, learning_rate, tol, n_iter_no_change, batch_size, shuffle,
                random_state, momentum, hidden_layers):
    """The solver object for the estimator's parameters."""
    if name == "lbfgs":
        return LBFGS(tol, n_iter_no_change)
    if name == "gd":
        return GradientDescent(learning_rate, tol, n_iter_no_change)
    auto = learning_rate == "auto"
    if auto:
        learning_rate = AUTO_LEARNING_RATE[name][int(bool(hidden_layers))]
    common = (learning_rate, tol, n_iter_no_change, batch_size, shuffle, random_state)
    if name == "sgd":
        return MomentumSGD(*common, momentum, auto=auto)
    return Adam(*common, auto=auto)
