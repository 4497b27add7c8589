"""Solvers: interchangeable minimisers of one objective, each owning its policy.

This module holds the interface (``Solver``, ``Outcome``) and the full-batch
solvers, ``GradientDescent`` and ``LBFGS``; the mini-batch ones are in
``_minibatch``, and ``_training.make_solver`` picks one from the estimator's
parameters.

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

from ._arrays import all_finite, squared_norm
from ._stopping import StoppedDescending
from ._threads import blas_threads

# Armijo's sufficient-decrease constant and the number of halvings after which a
# step is taken to be lost in rounding (2**-60 ~ 1e-18 of the starting step).
ARMIJO_C = 1e-4
MAX_HALVINGS = 60
# L-BFGS-B's line search takes at most this many evaluations per iteration, so
# maxfun = (MAX_LINE_SEARCH + 1) * max_iter never ends the run before max_iter.
MAX_LINE_SEARCH = 20
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


def raise_diverged(epoch, objective, learning_rate, start=None):
    what = f"became {objective}" if start is None else f"rose from {start} to {objective}"
    raise ValueError(
        f"The objective {what} by epoch {epoch}: the fit diverged and was stopped. "
        f"learning_rate={learning_rate!r} is too large a step for this data; use a "
        "smaller learning_rate, learning_rate='auto', or scale X (for instance with "
        "sklearn.preprocessing.StandardScaler)."
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
        theta = objective.to_device(theta)
        value, gradient = objective(theta)
        if not is_finite(value, gradient):
            raise_not_finite_at_start(value)
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
                if not (is_finite(value, gradient) and all_finite(theta)):
                    raise_diverged(epoch, value, self.learning_rate)
            if monitor.epoch_ends(theta, value) or (
                not incremental and rule.update(monitor.watched)
            ):
                outcome = Outcome(theta, value, True)
                break
        # A small enough fixed step only ever lowers J; ending above the start means
        # the step overshoots (e.g. alpha * learning_rate > 2 makes the weights grow).
        if self.learning_rate != "auto" and value > start:
            raise_diverged(monitor.n_iter, value, self.learning_rate, start)
        return outcome or Outcome(theta, value, incremental, max_iter_reason(max_iter, self.tol))

    def _armijo_step(self, objective, theta, value, gradient):
        norm2 = squared_norm(gradient)
        if norm2 == 0.0:
            return None
        step = 2 * self.step if self.grow else self.step
        for halvings in range(MAX_HALVINGS):
            candidate = theta - step * gradient
            new_value, new_gradient = objective(candidate)
            if (
                is_finite(new_value, new_gradient)
                and new_value <= value - ARMIJO_C * step * norm2
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
        if not is_finite(value, gradient):
            raise_not_finite_at_start(value)
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
        reason = "" if converged else max_iter_reason(max_iter, self.tol)
        return Outcome(result.x.astype(dtype), float(result.fun), converged, reason)
