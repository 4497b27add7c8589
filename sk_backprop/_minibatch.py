"""The mini-batch solvers: plain (momentum) SGD and Adam, and their step policy.

They share ``MiniBatchDescent``'s epoch loop, stopping and step decay, and differ
only in ``update(theta, gradient, step)``, the published update rule.
"""

import numpy as np
from sklearn.utils import gen_batches

from ._arrays import all_finite, largest_abs, namespace, squared_norm
from ._solvers import (
    Outcome,
    Solver,
    is_finite,
    max_iter_reason,
    raise_diverged,
    raise_not_finite_at_start,
)
from ._stopping import StoppedDescending

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
        theta = objective.to_device(theta, copy=True)
        start = None if incremental else objective(theta)[0]
        if start is not None and not np.isfinite(start):
            raise_not_finite_at_start(start)
        step, decays_left = self.learning_rate, PLATEAU_DECAYS if self.auto else 0
        rule = StoppedDescending(self.tol, self.n_iter_no_change)
        converged, reason = incremental, max_iter_reason(max_iter, self.tol)
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
            raise_diverged(monitor.n_iter, value, self.learning_rate, start)
        if converged and self.tol is not None and not (incremental or monitor.validates):
            converged, reason = self._check_gradient(objective, value, gradient)
        return Outcome(theta, value, converged, "" if converged else reason)

    def _check_gradient(self, objective, value, gradient):
        """A plateau of noisy epoch averages can hide a slow descent (an
        ill-conditioned problem at a small step); the full gradient cannot.
        Converged if L-BFGS's test holds (no entry above ``tol``), or if
        ``||g||^2 / (2 alpha)``, which bounds ``J - J*`` where ``J`` is
        ``alpha``-strongly convex (no hidden layer), is at most ``tol * J``."""
        largest = largest_abs(gradient)
        squared = squared_norm(gradient)
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
            if not is_finite(value, gradient):
                raise_diverged(epoch, value, self.learning_rate)
            with np.errstate(over="ignore", invalid="ignore"):
                self.update(theta, gradient, step)
            total += value * (batch.stop - batch.start)
        if not all_finite(theta):
            raise_diverged(epoch, np.inf, self.learning_rate)
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
            self.velocity = namespace(theta).zeros_like(theta)
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
        xp = namespace(theta)
        if self.first_moment is None:
            self.first_moment = xp.zeros_like(theta)
            self.second_moment = xp.zeros_like(theta)
        self.t += 1
        self.first_moment *= self.beta_1
        self.first_moment += (1 - self.beta_1) * gradient
        self.second_moment *= self.beta_2
        self.second_moment += (1 - self.beta_2) * gradient**2
        corrected = step * np.sqrt(1 - self.beta_2**self.t) / (1 - self.beta_1**self.t)
        if xp is not np:  # a NumPy float64 scalar is for NumPy alone
            corrected = float(corrected)
        theta -= corrected * self.first_moment / (xp.sqrt(self.second_moment) + self.epsilon)
