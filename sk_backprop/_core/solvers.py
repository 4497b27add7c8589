"""Solvers: interchangeable minimisers of one objective, each owning its policy.

This module holds the interface (``Solver``, ``Outcome``) and the full-batch
solvers, ``GradientDescent``, ``LBFGS`` and ``NewtonCholesky``; the mini-batch ones
are in ``minibatch``, and ``sk_backprop._training.make_solver`` picks one from the estimator's
parameters.

Every solver is an object with ``run(objective, theta, monitor, max_iter,
incremental=False) -> Outcome``. ``objective(theta, rows=None)`` returns
``(J, gradient)`` on the whole data or on a mini-batch of it
(``objective.Objective``). Around each epoch (an L-BFGS iteration counts as one)
the solver tells ``monitor.epoch_begins()`` and ``monitor.epoch_ends(theta, J)``;
the monitor records, and the solver decides, by scikit-learn's rule
(``stopping.NoImprovement``), when to stop and when to change its step. A solver
keeps what it learns about the problem (the line search's step, momentum, Adam's
moments, the shuffling generator) on itself, so ``partial_fit`` can go on where the
last call stopped; callers run a copy and keep it only when the call succeeds. Solvers know nothing
of estimators, labels or sample weights.
"""

import copy
from typing import NamedTuple

import numpy as np
from scipy.optimize import minimize

from .arrays import all_finite, largest_abs, squared_norm
from .monitor import EpochMonitor
from .newton import newton_direction
from .objective import Array, Objective
from .stopping import (
    TRAINING_LOSS,
    VALIDATION_SCORE,
    NoImprovement,
    far_from_optimum,
    gap_report,
    remaining_descent,
)
from .threads import blas_threads

# Armijo's sufficient-decrease constant. The line search halves the step until it is
# accepted or lost in rounding (theta - step * g == theta), however many halvings
# that takes: a column of 1e160 needs about 530 before any step is small enough.
ARMIJO_C = 1e-4
# Where scipy's gradient test is met but line_search_gain shows the fit far from the
# optimum (wide data), L-BFGS goes on with a tenth of the tolerance, at most this many
# times.
WIDE_DATA_ROUNDS = 3
# L-BFGS-B's line search takes at most this many evaluations per iteration, so
# maxfun = (MAX_LINE_SEARCH + 1) * max_iter never ends the run before max_iter.
MAX_LINE_SEARCH = 20
# Multiply-adds of one evaluation (rows x coefs) under which the solver runs with one
# BLAS thread (see threads.py): at 200,000 x 100 x 10 outputs 2 threads evaluate in
# 72 ms, 1 in 106, but on digits one thread is 7x faster.
SINGLE_THREAD_WORK = 2e7
# L-BFGS-B alternates with NumPy's products every evaluation, and the spinning costs it
# far more: at 200,000 x 100 (1 and 5 outputs) a fit took 1.28 s and 8.4 s with 2
# threads, 0.73 s and 5.2 s with 1. It keeps one thread up to a much larger product.
SINGLE_THREAD_WORK_LBFGS = 1e9


class Outcome(NamedTuple):
    """What a run returns: the weights, ``J`` at them, whether it met its
    tolerance (else ``reason`` says why not, for a ConvergenceWarning) and
    ``stopped``, the sentence that says why training ended (``verbose`` prints it)."""

    theta: np.ndarray
    objective: float
    converged: bool
    reason: str = ""
    stopped: str = ""


def raise_diverged(epoch, objective, learning_rate, start=None, auto=False):
    what = f"became {objective}" if start is None else f"rose from {start} to {objective}"
    if auto:
        advice = (
            f"learning_rate='auto' started at {learning_rate!r}, too large a step for "
            "this data; give a smaller float learning_rate, or scale X"
        )
    else:
        advice = (
            f"learning_rate={learning_rate!r} is too large a step for this data; use a "
            "smaller learning_rate, learning_rate='auto', or scale X"
        )
    raise ValueError(
        f"The objective {what} by epoch {epoch}: the fit diverged and was stopped. "
        f"{advice} (for instance with sklearn.preprocessing.StandardScaler)."
    )


def raise_not_finite_at_start(objective):
    raise ValueError(
        f"The objective is {objective} at the initial weights: the values in X are "
        "too large for floating-point arithmetic. Scale X, for instance with "
        "sklearn.preprocessing.StandardScaler."
    )


def is_finite(objective, gradient):
    return bool(np.isfinite(objective)) and all_finite(gradient)


def max_iter_reason(max_iter, tol):
    return (
        f"reached max_iter={max_iter} before the tolerance tol={tol} was met. Increase "
        "max_iter, or scale the data"
    )


def max_iter_stopped(max_iter):
    return f"Reached max_iter={max_iter} epochs."


CALLBACK_STOPPED = "A callback asked to stop."


class Solver:
    """The shared part: the BLAS thread policy around ``_minimise``, the end of a
    run, and ``resume``, which carries a previous run's state into this solver."""

    single_thread_work = SINGLE_THREAD_WORK
    kind = ""  # the estimator's name of the solver
    state = ()  # attributes that the next partial_fit continues from

    def __init__(self, tol, n_iter_no_change):
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change

    def run(
        self,
        objective: Objective,
        theta: Array,
        monitor: EpochMonitor,
        max_iter: int,
        incremental: bool = False,
    ) -> Outcome:
        """Minimise ``objective`` from ``theta`` (updated in place by some solvers:
        callers pass a copy) for at most ``max_iter`` epochs (``incremental``:
        ``partial_fit``'s single pass, no stopping rule)."""
        rows = min(getattr(self, "batch_size", objective.n_samples), objective.n_samples)
        work = rows * objective.layout.n_coefs
        with blas_threads(work, self.single_thread_work):
            return self._minimise(objective, theta, monitor, max_iter, incremental)

    def export_state(self) -> dict:
        """What the next ``partial_fit`` continues from, in plain values (arrays,
        numbers, strings, tuples: what a model file holds without trusting our
        classes): ``{"solver": kind, <each name in state>: value, "random_state":
        the shuffling generator's ``get_state()``}``."""
        exported = {"solver": self.kind}
        exported.update((name, getattr(self, name)) for name in self.state)
        generator = getattr(self, "random_state", None)
        if isinstance(generator, np.random.RandomState):
            exported["random_state"] = generator.get_state()
        return exported

    def resume(self, previous: "dict | None") -> "Solver":
        """Continue from ``previous`` (an ``export_state``): its ``state`` values when
        it comes from the same kind of solver (another kind starts its own), and its
        shuffling generator."""
        if not previous:
            return self
        if previous.get("solver") == self.kind:
            for name in self.state:
                setattr(self, name, copy.deepcopy(previous[name]))
        if hasattr(self, "random_state") and "random_state" in previous:
            generator = np.random.RandomState()
            generator.set_state(previous["random_state"])
            self.random_state = generator
        return self

    def stopping_rule(self, monitor):
        return NoImprovement(
            self.tol,
            self.n_iter_no_change,
            VALIDATION_SCORE if monitor.validates else TRAINING_LOSS,
        )

    def finish(
        self,
        objective,
        theta,
        value,
        gradient,
        stopped,
        *,
        monitor,
        max_iter,
        incremental,
        advice,
        settled=False,
    ):
        """The Outcome of a run that ended at ``theta`` for the reason ``stopped``
        (None: max_iter). A stop by the no-improvement rule without early stopping
        has converged if the solver's own test found the series ``settled``, or if
        ``gap_report`` finds the fit within ``tol`` of the optimum; else the reason
        says how far it may be, and ``advice``."""
        if incremental:
            return Outcome(theta, value, True)
        if stopped is None:
            return Outcome(
                theta, value, False, max_iter_reason(max_iter, self.tol), max_iter_stopped(max_iter)
            )
        if monitor.validates or stopped == CALLBACK_STOPPED or self.tol is None:
            return Outcome(theta, value, True, "", stopped)
        within, how_far = gap_report(objective, value, gradient, self.tol, theta)
        # Where the columns are scaled alike (curvature about 1), J - J* is about
        # ||g||^2 / 2, so a gap of tol means gradient entries of about sqrt(tol). A
        # settled descent with larger entries has converged within the directions its
        # step can move (a column of 1e33 held the step at 1e-65), not to the optimum.
        if within or (settled and largest_abs(gradient) <= self.tol**0.5):
            return Outcome(theta, value, True, "", stopped)
        return Outcome(
            theta,
            value,
            False,
            f"stopped ({stopped[:-1]}) with {how_far}: it may be far from the optimum. {advice}",
            stopped,
        )


class GradientDescent(Solver):
    """Full-batch gradient descent, the seed's loop: ``theta -= step * gradient``.

    A float ``learning_rate`` is a fixed step; a fit whose objective becomes
    non-finite, or ends above where it started, raises a ValueError. ``"auto"``
    chooses each step by backtracking (Armijo) line search: the last accepted
    step, doubled after an epoch whose first try was accepted, is halved until
    ``J(theta - step * g) <= J(theta) - ARMIJO_C * step * ||g||^2``. The gradient
    at the accepted point is the next epoch's, so an epoch costs one evaluation
    plus one per halving. Stops by ``NoImprovement`` (scikit-learn's rule), or
    when no step lowers ``J``; then ``finish`` checks the gradient, and a fit
    that may be far from the optimum warns.
    """

    kind = "gd"
    state = ("step", "grow")

    def __init__(self, learning_rate, tol, n_iter_no_change):
        super().__init__(tol, n_iter_no_change)
        self.learning_rate = learning_rate
        self.step = 1.0
        self.grow = False

    def _minimise(self, objective, theta, monitor, max_iter, incremental):
        theta = objective.to_device(theta)
        value, gradient = objective(theta)
        if not is_finite(value, gradient):
            raise_not_finite_at_start(value)
        start = value
        rule = self.stopping_rule(monitor)
        stopped = None
        for epoch in range(1, max_iter + 1):
            monitor.epoch_begins()
            if self.learning_rate == "auto":
                accepted = self._armijo_step(objective, theta, value, gradient)
                if accepted is None:
                    stopped = "No step along the gradient lowers the objective."
                    break
                theta, value, gradient = accepted
            else:
                theta = theta - self.learning_rate * gradient
                value, gradient = objective(theta)
                if not (is_finite(value, gradient) and all_finite(theta)):
                    raise_diverged(epoch, value, self.learning_rate)
            if monitor.epoch_ends(theta, value):
                stopped = CALLBACK_STOPPED
                break
            if not incremental and rule.update(monitor.watched):
                stopped = rule.message
                break
        # A small enough fixed step only ever lowers J; ending above the start means
        # the step overshoots (e.g. alpha * learning_rate > 2 makes the weights grow).
        if self.learning_rate != "auto" and value > start:
            raise_diverged(monitor.n_iter, value, self.learning_rate, start)
        advice = (
            "Scale X (for instance with sklearn.preprocessing.StandardScaler): gradient "
            "descent is slow on badly scaled columns; or use solver='lbfgs'"
            if self.learning_rate == "auto"
            else f"The fixed step learning_rate={self.learning_rate!r} makes little progress: "
            "use a larger one or learning_rate='auto', or scale X"
        )
        # what the last epochs project is still to gain, against tol relative
        window = int(min(self.n_iter_no_change, monitor.n_iter))
        recent = monitor.loss_curve[-(window + 1) :] if self.tol else []
        settled = remaining_descent(recent) <= (self.tol or 0) * abs(value)
        return self.finish(
            objective,
            theta,
            value,
            gradient,
            stopped,
            monitor=monitor,
            max_iter=max_iter,
            incremental=incremental,
            advice=advice,
            settled=settled,
        )

    def _armijo_step(self, objective, theta, value, gradient):
        norm2 = squared_norm(gradient)
        if norm2 == 0.0:
            return None
        step = 2 * self.step if self.grow else self.step
        first = True
        while step > 0:
            candidate = theta - step * gradient
            if largest_abs(candidate - theta) == 0:  # the step is lost in rounding
                return None
            new_value, new_gradient = objective(candidate)
            if is_finite(new_value, new_gradient) and new_value <= value - ARMIJO_C * step * norm2:
                self.step, self.grow = step, first
                return candidate, new_value, new_gradient
            step /= 2
            first = False
        return None


class LBFGS(Solver):
    """scipy's L-BFGS-B on the backpropagated gradient.

    ``tol`` is L-BFGS-B's ``gtol`` (largest gradient entry), as in MLPClassifier,
    with ``ftol = 64 eps`` as in LogisticRegression; ``tol=None`` turns both tests
    off, so only ``max_iter`` or an exact stationary point ends the run. With
    early stopping ``NoImprovement`` on the validation score decides, and
    L-BFGS-B's own tests end the run only where it can make no progress. scipy
    works in float64; a float32 network is evaluated in float32 and its gradient
    handed back in float64.

    The run returns scipy's last iterate (the iterates' J only falls), unless that
    is above the start or not finite: on badly scaled data scipy's line search can
    end at a worse point than one it tried (a column of 1e30 took J from 0.693 to
    18350); then it returns the best point it evaluated. A non-finite evaluation
    is handed to scipy as ``+inf``, so that its line search steps back.
    """

    kind = "lbfgs"
    single_thread_work = SINGLE_THREAD_WORK_LBFGS

    def _minimise(self, objective, theta, monitor, max_iter, incremental):
        dtype = theta.dtype
        value, gradient = objective(theta)
        if not is_finite(value, gradient):
            raise_not_finite_at_start(value)
        rule = self.stopping_rule(monitor) if monitor.validates else None
        start = float(value)
        best = [start, theta.astype(np.float64), gradient]
        # scipy runs the iterations: one begins at its first evaluation and ends
        # at the callback that follows.
        in_epoch, stopped = [False], [None]

        # the last evaluation: scipy starts (each round) by evaluating its x0, which
        # is where the last evaluation was (one of 14 evaluations of an 11-iteration fit)
        last = [theta.astype(np.float64), value, gradient]

        def objective64(x):
            if not in_epoch[0]:
                monitor.epoch_begins()
                in_epoch[0] = True
            if np.array_equal(x, last[0]):
                value, gradient = last[1], last[2].copy()  # scipy may write in its own
            else:
                value, gradient = objective(x.astype(dtype, copy=False))
                last[:] = [x.copy(), value, gradient.copy()]
            if not is_finite(value, gradient):
                return np.inf, np.zeros_like(x)
            if value < best[0]:
                best[:] = [float(value), x.copy(), gradient]
            return value, gradient.astype(np.float64, copy=False)

        def callback(intermediate_result):
            in_epoch[0] = False
            theta = intermediate_result.x.astype(dtype)  # scipy reuses its x: a copy
            if monitor.epoch_ends(theta, intermediate_result.fun):
                stopped[0] = CALLBACK_STOPPED
            elif rule is not None and rule.update(monitor.watched):
                stopped[0] = rule.message
            if stopped[0] is not None:
                raise StopIteration

        options = {
            "maxiter": max_iter,
            "maxfun": (MAX_LINE_SEARCH + 1) * max_iter,
            "maxls": MAX_LINE_SEARCH,
        }
        if self.tol is None:
            options.update(gtol=0.0, ftol=0.0)
        elif monitor.validates:  # the validation score decides; L-BFGS-B ends only stuck
            options.update(gtol=0.0, ftol=64 * np.finfo(float).eps)
        else:
            options.update(gtol=self.tol, ftol=64 * np.finfo(float).eps)
        x0, nit, rounds, short_by = theta.astype(np.float64), 0, 0, ""
        with np.errstate(over="ignore", invalid="ignore"):  # trial points of a bad scale
            while True:
                options.update(
                    maxiter=max_iter - nit, maxfun=(MAX_LINE_SEARCH + 1) * (max_iter - nit)
                )
                result = minimize(
                    objective64, x0, jac=True, method="L-BFGS-B", callback=callback,
                    options=options,
                )  # fmt: skip
                nit += result.nit
                short_by = self._short_by(objective, result, dtype, options["gtol"], stopped[0])
                if not short_by or nit >= max_iter or rounds == WIDE_DATA_ROUNDS:
                    break
                # every gradient entry is below tol, but together they say J is far
                # above the optimum (wide data): go on with a tenth of the tolerance
                x0, rounds = result.x, rounds + 1
                options["gtol"] /= 10
        x, fun = result.x, float(result.fun)
        replaced = not fun <= start  # above its start, or NaN: the best point evaluated
        if replaced:
            fun, x = best[0], best[1]
        theta = x.astype(dtype)
        if stopped[0] is not None:
            return Outcome(theta, fun, True, "", stopped[0])
        message = str(result.message)
        if result.status == 0 and fun < start and short_by:
            return Outcome(
                theta, fun, False,
                f"stopped after {nit} iterations ({message}) with {short_by}. Increase "
                "max_iter, lower tol, or use solver='newton-cholesky'",
                f"L-BFGS-B: {message}.",
            )  # fmt: skip
        if result.status == 0 and fun < start:
            return Outcome(theta, fun, True, "", f"L-BFGS-B: {message}.")
        if nit >= max_iter or "ITERATIONS" in message.upper():
            return Outcome(
                theta, fun, False, max_iter_reason(max_iter, self.tol), max_iter_stopped(max_iter)
            )
        within, how_far = gap_report(
            objective, fun, best[2] if replaced else objective(theta)[1], self.tol or 0.0
        )
        if within:
            return Outcome(theta, fun, True, "", f"L-BFGS-B: {message}.")
        returned = " It returned the best point it evaluated." if replaced else ""
        why = "its line search failed" if result.status else "it made no progress"
        return Outcome(
            theta,
            fun,
            False,
            f"stopped after {nit} iterations because {why} "
            f"({message}), with {how_far}.{returned} The columns of X are probably on very "
            "different scales: scale X (for instance with sklearn.preprocessing."
            "StandardScaler)",
            f"L-BFGS-B: {message}.",
        )

    def _short_by(self, objective, result, dtype, gtol, stopped):
        """Where scipy's tests ended a run without early stopping: how far the fit
        still is from the optimum if ``line_search_gain`` shows it more than the
        promise allows, else "" (also for every other end)."""
        if stopped is not None or result.status != 0 or not gtol:
            return ""
        gradient = result.jac.astype(dtype)
        return far_from_optimum(objective, result.x.astype(dtype), result.fun, gradient, self.tol)


class NewtonCholesky(Solver):
    """Newton's method for a network without hidden layers, as LogisticRegression's
    ``newton-cholesky``.

    Without hidden layers the Hessian of ``J`` is block diagonal, one
    ``(n_features + 1)``-square block per output (``Objective.hessians``): each
    iteration solves ``H_j d_j = -g_j`` for every output by a Cholesky
    factorisation (a singular block gets a ridge of ``1e-10`` of its largest
    diagonal entry; a direction that does not descend is replaced by ``-g``) and
    takes the first of the steps 1, 1/2, 1/4, ... that meets Armijo's sufficient
    decrease. Converged when no gradient entry exceeds ``tol`` (L-BFGS's test);
    with early stopping ``NoImprovement`` on the validation score decides. For the
    squared error the blocks are the Gauss-Newton matrix (positive semidefinite).
    One iteration is one epoch.
    """

    kind = "newton-cholesky"
    single_thread_work = SINGLE_THREAD_WORK_LBFGS

    def _minimise(self, objective, theta, monitor, max_iter, incremental):
        value, gradient = objective(theta)
        if not is_finite(value, gradient):
            raise_not_finite_at_start(value)
        rule = self.stopping_rule(monitor) if monitor.validates else None
        tested = self.tol is not None and rule is None
        stopped = None
        for _ in range(max_iter):
            if tested and self._converged(objective, theta, value, gradient):
                stopped = GRADIENT_STOPPED
                break
            monitor.epoch_begins()
            accepted = self._newton_step(objective, theta, value, gradient)
            if accepted is None:
                stopped = "No step along the Newton direction lowers the objective."
                break
            theta, value, gradient = accepted
            if monitor.epoch_ends(theta, value):
                stopped = CALLBACK_STOPPED
                break
            if rule is not None and rule.update(monitor.watched):
                stopped = rule.message
                break
        else:
            if tested and self._converged(objective, theta, value, gradient):
                stopped = GRADIENT_STOPPED
        return self.finish(
            objective,
            theta,
            value,
            gradient,
            stopped,
            monitor=monitor,
            max_iter=max_iter,
            incremental=incremental,
            advice="Scale X (for instance with sklearn.preprocessing."
            "StandardScaler), or increase alpha",
        )

    def _converged(self, objective, theta, value, gradient):
        """No gradient entry above ``tol``, and no sign (``far_from_optimum``) that
        many small ones leave the fit far from the optimum (wide data)."""
        return largest_abs(gradient) <= self.tol and not far_from_optimum(
            objective, theta, value, gradient, self.tol
        )

    def _newton_step(self, objective, theta, value, gradient):
        direction = newton_direction(objective.hessians(theta), gradient, objective.layout)
        direction = direction.astype(theta.dtype, copy=False)
        slope = float(np.vdot(gradient, direction))
        if not slope < 0:  # rounding on a nearly singular block: the gradient instead
            direction, slope = -gradient, -squared_norm(gradient)
        step = 1.0
        while step > 0:
            candidate = theta + step * direction
            if largest_abs(candidate - theta) == 0:  # the step is lost in rounding
                return None
            new_value, new_gradient = objective(candidate)
            if is_finite(new_value, new_gradient) and new_value <= value + ARMIJO_C * step * slope:
                return candidate, new_value, new_gradient
            step /= 2
        return None


GRADIENT_STOPPED = "No gradient entry is above tol."
