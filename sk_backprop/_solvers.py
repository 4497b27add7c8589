"""Solvers: interchangeable minimisers of one objective.

Every solver is an object with ``run(objective, theta, monitor, max_iter) -> theta``.
``objective(theta, rows=None)`` returns ``(J, gradient)`` on the whole data or on a
mini-batch of it (``_network.Objective``); each finished epoch (an L-BFGS
iteration counts as one) is reported to ``monitor.epoch_ends(theta, J)``, which
keeps the history and returns True to stop. A solver keeps what it learns about
the problem (the line search's step, momentum, Adam's moments, the shuffling
generator) on itself, so ``partial_fit`` can go on where the last call stopped.
Solvers know nothing of estimators, labels or sample weights.
"""

from contextlib import nullcontext
from functools import cache

import numpy as np
from scipy.optimize import minimize
from sklearn.utils import gen_batches
from threadpoolctl import ThreadpoolController

# Armijo's sufficient-decrease constant and the number of halvings after which a
# step is taken to be lost in rounding (2**-60 ~ 1e-18 of the starting step).
ARMIJO_C = 1e-4
MAX_HALVINGS = 60
# L-BFGS-B's line search takes at most this many evaluations per iteration, so
# maxfun = (MAX_LINE_SEARCH + 1) * max_iter never ends the run before max_iter.
MAX_LINE_SEARCH = 20
# learning_rate="auto" of the mini-batch solvers (see docs/solvers.md for the
# measurements behind them).
AUTO_LEARNING_RATE = {"sgd": 0.1, "adam": 0.1}
# When the objective stops improving by tol, a mini-batch solver divides its step
# by PLATEAU_DECAY, at most PLATEAU_DECAYS times, before it stops.
PLATEAU_DECAY = 5.0
PLATEAU_DECAYS = 4
# Multiply-adds of one evaluation (rows x coefs) under which the solver runs with one
# BLAS thread. On small products threads cost more than they give, and NumPy's and
# SciPy's OpenBLAS copies (L-BFGS-B calls the latter) spin-wait against each other
# between calls: on digits (1,797 x 64, 10 outputs) L-BFGS took 0.31 s with 2 threads
# and 0.045 s with 1; at 200,000 x 100 x 10 outputs 2 threads evaluate in 72 ms, 1 in 106.
SINGLE_THREAD_WORK = 2e7
# L-BFGS-B alternates with NumPy's products every evaluation, and the spinning costs it
# far more: at 200,000 x 100 (1 and 5 outputs) a fit took 1.28 s and 8.4 s with 2
# threads, 0.73 s and 5.2 s with 1. It keeps one thread up to a much larger product.
SINGLE_THREAD_WORK_LBFGS = 1e9


def _blas_threads(objective, rows, threshold=SINGLE_THREAD_WORK):
    """One BLAS thread for small evaluations; the BLAS's own choice otherwise."""
    if rows * objective.n_coefs < threshold:
        return _threadpool_controller().limit(limits=1, user_api="blas")
    return nullcontext()


@cache
def _threadpool_controller():
    # Finding the loaded BLAS libraries takes milliseconds, as long as a small fit:
    # do it once. NumPy's and SciPy's BLAS are loaded before the first fit.
    return ThreadpoolController()


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


class GradientDescent:
    """Full-batch gradient descent, the seed's loop: ``theta -= step * gradient``.

    A float ``learning_rate`` is a fixed step; a fit whose objective becomes
    non-finite, or ends above where it started, raises a ValueError. ``"auto"``
    chooses each step by backtracking (Armijo) line search: the last accepted
    step, doubled after an epoch whose first try was accepted, is halved until
    ``J(theta - step * g) <= J(theta) - ARMIJO_C * step * ||g||^2``. The gradient
    at the accepted point is the next epoch's, so an epoch costs one evaluation
    plus one per halving.
    """

    records_exact_objective = True  # each epoch reports J of the weights it ends at

    def __init__(self, learning_rate):
        self.learning_rate = learning_rate
        self.step = 1.0
        self.grow = False

    def run(self, objective, theta, monitor, max_iter):
        with _blas_threads(objective, objective.n_samples):
            return self._run(objective, theta, monitor, max_iter)

    def _run(self, objective, theta, monitor, max_iter):
        value, gradient = objective(theta)
        if not _is_finite(value, gradient):
            _raise_not_finite_at_start(value)
        start = value
        for epoch in range(1, max_iter + 1):
            if self.learning_rate == "auto":
                accepted = self._armijo_step(objective, theta, value, gradient)
                if accepted is None:  # no step lowers J: stationary to rounding
                    monitor.converged()
                    break
                theta, value, gradient = accepted
            else:
                theta = theta - self.learning_rate * gradient
                value, gradient = objective(theta)
                if not (_is_finite(value, gradient) and np.isfinite(theta).all()):
                    _raise_diverged(epoch, value, self.learning_rate)
            if monitor.epoch_ends(theta, value):
                break
        # A small enough fixed step only ever lowers J; ending above the start means
        # the step overshoots (e.g. alpha * learning_rate > 2 makes the weights grow).
        if self.learning_rate != "auto" and value > start:
            _raise_diverged(monitor.n_iter, value, self.learning_rate, start)
        return theta

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


class LBFGS:
    """scipy's L-BFGS-B on the backpropagated gradient.

    ``tol`` is L-BFGS-B's ``gtol`` (largest gradient entry), as in MLPClassifier,
    with ``ftol = 64 eps`` as in LogisticRegression; ``tol=None`` turns both tests
    off, so only ``max_iter`` or an exact stationary point ends the run. scipy
    works in float64; a float32 network is evaluated in float32 and its gradient
    handed back in float64.
    """

    records_exact_objective = True

    def __init__(self, tol):
        self.tol = tol

    def run(self, objective, theta, monitor, max_iter):
        with _blas_threads(objective, objective.n_samples, SINGLE_THREAD_WORK_LBFGS):
            return self._run(objective, theta, monitor, max_iter)

    def _run(self, objective, theta, monitor, max_iter):
        dtype = theta.dtype

        def objective64(x):
            value, gradient = objective(x.astype(dtype, copy=False))
            return value, gradient.astype(np.float64, copy=False)

        value, gradient = objective64(theta)
        if not _is_finite(value, gradient):
            _raise_not_finite_at_start(value)

        def callback(intermediate_result):
            theta = intermediate_result.x.astype(dtype, copy=False)
            if monitor.epoch_ends(theta, intermediate_result.fun):
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
        if result.status == 0:
            monitor.converged()
        return result.x.astype(dtype)


class MiniBatchDescent:
    """One epoch is one pass over the data in mini-batches, shuffled if asked.

    Each batch ``B`` takes one step on its estimate of ``J`` (its rows' loss
    normalised by ``S * |B| / n``, see ``_network.Objective``), whose average
    over a pass is ``J`` itself; the epoch's recorded objective is that average,
    as MLPClassifier records it, so no extra pass over the data is spent on it.
    When that objective stops improving by ``tol`` the step is divided by 5 (at
    most 4 times) before training stops: a constant step leaves the weights
    wandering around the optimum at a distance that grows with the step.
    Subclasses define ``update(theta, gradient)``, which changes theta in place.
    """

    records_exact_objective = False  # an epoch reports the average over its batches

    def __init__(self, learning_rate, batch_size, shuffle, random_state):
        self.learning_rate = learning_rate
        self.decays_left = PLATEAU_DECAYS
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.random_state = random_state

    def run(self, objective, theta, monitor, max_iter):
        rows = min(self.batch_size, objective.n_samples)
        with _blas_threads(objective, rows):
            return self._run(objective, theta, monitor, max_iter)

    def _run(self, objective, theta, monitor, max_iter):
        theta = theta.copy()
        n_samples = objective.n_samples
        for epoch in range(1, max_iter + 1):
            order = self.random_state.permutation(n_samples) if self.shuffle else None
            total = 0.0
            for batch in gen_batches(n_samples, min(self.batch_size, n_samples)):
                rows = batch if order is None else order[batch]
                value, gradient = objective(theta, rows)
                if not _is_finite(value, gradient):
                    _raise_diverged(epoch, value, self.learning_rate)
                self.update(theta, gradient)
                total += value * (batch.stop - batch.start)
            if not np.isfinite(theta).all():
                _raise_diverged(epoch, np.inf, self.learning_rate)
            if monitor.epoch_ends(theta, total / n_samples):
                if monitor.stopped_by != "loss" or self.decays_left == 0:
                    break
                # The objective stalled at this step's noise level: a smaller step
                # gets closer to the optimum (MLPClassifier's "adaptive" schedule).
                self.learning_rate /= PLATEAU_DECAY
                self.decays_left -= 1
                monitor.resume()
        return theta


class MomentumSGD(MiniBatchDescent):
    """Mini-batch gradient descent with (heavy-ball) momentum:
    ``velocity = momentum * velocity - learning_rate * gradient; theta += velocity``."""

    def __init__(self, learning_rate, batch_size, shuffle, random_state, momentum):
        super().__init__(learning_rate, batch_size, shuffle, random_state)
        self.momentum = momentum
        self.velocity = None

    def update(self, theta, gradient):
        if self.velocity is None:
            self.velocity = np.zeros_like(theta)
        self.velocity *= self.momentum
        self.velocity -= self.learning_rate * gradient
        theta += self.velocity


class Adam(MiniBatchDescent):
    """Adam (Kingma and Ba, 2015) with its published constants, as MLPClassifier's."""

    beta_1, beta_2, epsilon = 0.9, 0.999, 1e-8

    def __init__(self, learning_rate, batch_size, shuffle, random_state):
        super().__init__(learning_rate, batch_size, shuffle, random_state)
        self.first_moment = self.second_moment = None
        self.t = 0

    def update(self, theta, gradient):
        if self.first_moment is None:
            self.first_moment = np.zeros_like(theta)
            self.second_moment = np.zeros_like(theta)
        self.t += 1
        self.first_moment *= self.beta_1
        self.first_moment += (1 - self.beta_1) * gradient
        self.second_moment *= self.beta_2
        self.second_moment += (1 - self.beta_2) * gradient**2
        step = (
            self.learning_rate
            * np.sqrt(1 - self.beta_2**self.t)
            / (1 - self.beta_1**self.t)
        )
        theta -= step * self.first_moment / (np.sqrt(self.second_moment) + self.epsilon)


def make_solver(name, *, learning_rate, tol, batch_size, shuffle, random_state, momentum):
    """The solver object for the estimator's parameters."""
    if name == "lbfgs":
        return LBFGS(tol)
    if name == "gd":
        return GradientDescent(learning_rate)
    if learning_rate == "auto":
        learning_rate = AUTO_LEARNING_RATE[name]
    if name == "sgd":
        return MomentumSGD(learning_rate, batch_size, shuffle, random_state, momentum)
    return Adam(learning_rate, batch_size, shuffle, random_state)
