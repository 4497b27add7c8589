"""The mini-batch solvers: plain (momentum) SGD and Adam, and their step policy.

They share ``MiniBatchDescent``'s epoch loop, stopping and step decay, and differ
only in ``update(theta, gradient, step)``, the published update rule.
"""

import numpy as np
from sklearn.utils import gen_batches

from .arrays import all_finite, namespace
from .solvers import (
    CALLBACK_STOPPED,
    Solver,
    is_finite,
    raise_diverged,
    raise_not_finite_at_start,
)
from .stopping import gap_report

# learning_rate="auto" of the mini-batch solvers, (without, with) hidden layers,
# measured (docs/solvers.md). Without hidden layers 0.1 reached the optimum closest
# in 200 epochs on three data sets; with 64 hidden units on 45,000 x 50 rows (5
# classes) adam reached 0.908 test accuracy at 0.1, 0.966 at 0.01, 0.933 at 0.001,
# and sgd (momentum 0.9) 0.960 at 0.1, 0.906 at 0.01.
AUTO_LEARNING_RATE = {"sgd": (0.1, 0.1), "adam": (0.1, 0.01)}
# With learning_rate="auto", when the epoch objective stops improving (scikit-learn's
# rule), the full objective J is within tol of the optimum or still falling, or the
# noise of the steps hides the rest: then the batch grows PLATEAU_DECAY-fold up to the
# whole data (less noise, the same step), and after that the step is divided by
# PLATEAU_DECAY, at most PLATEAU_DECAYS times (0.1 / 5**8 = 2.6e-7), as MLPClassifier's
# learning_rate="adaptive" divides it by 5.
PLATEAU_DECAY = 5.0
PLATEAU_DECAYS = 8


class MiniBatchDescent(Solver):
    """One epoch is one pass over the data in mini-batches, shuffled if asked.

    Each batch ``B`` takes one step on its estimate of ``J`` (its rows' loss
    normalised by ``S * |B| / n``, see ``objective.ArrayObjective``), whose average
    over a pass is ``J`` itself; the epoch's recorded objective is that average,
    as MLPClassifier records it, so no extra pass over the data is spent on it.

    Stopping is scikit-learn's rule (``stopping.NoImprovement``) on the epoch
    objective, or with early stopping on the validation score, which then ends
    the fit whatever the step is doing. Without early stopping, when the rule
    fires, one full-batch evaluation asks ``gap_report`` whether the fit is within
    ``tol`` of the optimum: if so, or with a float step (the user's, never
    changed), the fit ends, with a ConvergenceWarning when it is not within
    ``tol``. With ``learning_rate="auto"`` it goes on: at the same step and batch
    while ``J`` is below its value at the last plateau (the averages' plateau was
    their noise), else with batches ``PLATEAU_DECAY`` times larger, up to the
    whole data, and then with the step divided by ``PLATEAU_DECAY``, at most
    ``PLATEAU_DECAYS`` times; the rule's count starts again each time. A huge
    ``tol`` thus stops after ``n_iter_no_change + 1`` epochs, as in scikit-learn.
    ``partial_fit`` always steps by ``learning_rate``.
    A fit whose objective ends above ``2 J_0 + 1`` (``J_0`` at its start) has
    diverged and raises a ValueError, as does a non-finite objective.
    Subclasses define ``update(theta, gradient, step)``, changing theta in place.
    """

    def __init__(
        self, learning_rate, tol, n_iter_no_change, batch_size, shuffle, random_state, auto=False
    ):
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
        step, decays_left = self.start_step(objective), PLATEAU_DECAYS if self.auto else 0
        rule = self.stopping_rule(monitor)
        stopped, level_before_decay, checked = None, None, None
        self.batch = min(self.batch_size, objective.n_samples)  # "auto" may grow it
        for epoch in range(1, max_iter + 1):
            monitor.epoch_begins()
            average = self._epoch(objective, theta, step, epoch)
            if monitor.epoch_ends(theta, average):
                stopped = CALLBACK_STOPPED
                break
            if incremental or not rule.update(monitor.watched):
                continue
            stopped = rule.message
            if monitor.validates:
                break
            level = float(np.mean(monitor.loss_curve[-int(self.n_iter_no_change) :]))
            if not self.auto:  # the user's step never changes: the fit ends here
                break
            # The noise a step leaves scales with the step: a decay that moved the
            # level by at most tol leaves at most a quarter of that to gain (a level
            # that rose after a decay is noise of a step still too large: decay again).
            if level_before_decay is not None and abs(level_before_decay - level) <= self.tol * abs(
                level
            ):
                break
            value, gradient = objective(theta)
            if gap_report(objective, value, gradient, self.tol, theta)[0]:
                break
            fell, checked = checked is not None and value < checked, value
            whole = self.batch >= objective.n_samples
            if not fell and whole and decays_left == 0:
                break
            rule.reset()
            stopped = None
            if fell:  # J itself still falls: the plateau was the averages' noise
                continue
            if not whole:  # less noise, the same step
                self.batch = min(objective.n_samples, int(self.batch * PLATEAU_DECAY))
                level_before_decay = None
            else:
                step /= PLATEAU_DECAY
                decays_left -= 1
                level_before_decay = level
            self.noise_changed()
        self.last_step = step
        value, gradient = objective(theta)
        # (With early stopping the best epoch's weights are returned, not these.)
        rose = start is not None and not monitor.validates and value > 2 * start + 1
        if not np.isfinite(value) or rose:
            raise_diverged(monitor.n_iter, value, self.learning_rate, start, self.auto)
        if self.auto:
            advice = (
                f"It took batches of {self.batch} rows and divided its step "
                f"{PLATEAU_DECAYS - decays_left} times, to {step:.3g}: scale X, "
                "increase max_iter, or use solver='lbfgs'"
            )
        else:
            advice = (
                f"A fixed step learning_rate={self.learning_rate!r} cannot get closer: "
                "use learning_rate='auto', which decays it, a smaller step or a larger "
                "batch_size, or scale X"
            )
        # A plateau of noisy epoch averages can hide a slow descent (an ill-conditioned
        # problem at a small step); the full gradient cannot: it alone decides.
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
        )

    def start_step(self, objective):
        return self.learning_rate

    def noise_changed(self):
        """What the update rule does when ``"auto"`` grows the batch or decays the
        step (nothing here)."""

    def export_state(self):
        """``Solver.export_state``, with ``last_step`` and ``last_batch_size``: the
        step and batch of the run's last epoch (the parameters', or where ``"auto"``
        took them), for the record."""
        return {
            **super().export_state(),
            "last_step": getattr(self, "last_step", None),
            "last_batch_size": getattr(self, "batch", None),
        }

    def _epoch(self, objective, theta, step, epoch):
        """One pass in mini-batches; returns the average of the batch objectives."""
        n_samples = objective.n_samples
        order = self.random_state.permutation(n_samples) if self.shuffle else None
        total = 0.0
        size = min(self.batch, n_samples)
        for batch in gen_batches(n_samples, size):
            # a batch of every row is the whole data: not a shuffled copy of it
            rows = None if size == n_samples else batch if order is None else order[batch]
            value, gradient = objective(theta, rows)
            if not is_finite(value, gradient):
                raise_diverged(epoch, value, self.learning_rate, auto=self.auto)
            with np.errstate(over="ignore", invalid="ignore"):
                self.update(theta, gradient, step)
            total += value * (batch.stop - batch.start)
        if not all_finite(theta):
            raise_diverged(epoch, np.inf, self.learning_rate, auto=self.auto)
        return total / n_samples


class MomentumSGD(MiniBatchDescent):
    """Mini-batch gradient descent with (heavy-ball) momentum:
    ``velocity = momentum * velocity - step * gradient; theta += velocity``."""

    kind = "sgd"
    state = ("velocity",)

    def __init__(
        self,
        learning_rate,
        tol,
        n_iter_no_change,
        batch_size,
        shuffle,
        random_state,
        momentum,
        auto=False,
    ):
        super().__init__(
            learning_rate, tol, n_iter_no_change, batch_size, shuffle, random_state, auto
        )
        self.momentum = momentum
        self.velocity = None

    def start_step(self, objective):
        """The step of the first epoch: ``learning_rate``, but with ``"auto"`` at most
        ``(1 + momentum) / L`` (``L`` = ``objective.curvature_bound()``), half the
        largest step for which heavy-ball momentum is stable on a quadratic of
        curvature ``L``: on unscaled columns (values near 100) or with a huge
        ``alpha`` (1e10) the start 0.1 diverged; on standardised data the cap is
        above 0.1 and changes nothing."""
        if not self.auto:
            return self.learning_rate
        return min(self.learning_rate, (1 + self.momentum) / objective.curvature_bound())

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
    kind = "adam"
    state = ("first_moment", "second_moment", "t")

    def __init__(
        self, learning_rate, tol, n_iter_no_change, batch_size, shuffle, random_state, auto=False
    ):
        super().__init__(
            learning_rate, tol, n_iter_no_change, batch_size, shuffle, random_state, auto
        )
        self.first_moment = self.second_moment = None
        self.t = 0

    def start_step(self, objective):
        """The step of the first epoch: ``learning_rate``, but with ``"auto"`` at most
        ``1 / sqrt(L)`` (``L`` = ``objective.curvature_bound()``). Adam moves every
        weight by about the step, which changes ``J`` by about ``L step^2 / 2``: the
        cap keeps that at 1/2 (alpha=1e10 diverged at 0.1); on standardised data it
        is above 0.1 and changes nothing."""
        if not self.auto:
            return self.learning_rate
        return min(self.learning_rate, objective.curvature_bound() ** -0.5)

    def noise_changed(self):
        """Adam starts its moments again at each growth of the batch and decay of the
        step. Its second moment averages the squared gradients of about the last
        1 / (1 - beta_2) = 1,000 updates, taken with more noise or at the larger
        step: it kept the new moves far smaller than the step, and the fit stalled.
        Full-batch adam (100 x 10, no intercept, tol=1e-8) ended 4.2e-3 (relative)
        from LogisticRegression's coefficients with its moments kept, 2.7e-4 with
        them restarted, in 207 epochs instead of 372 (docs/solvers.md)."""
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
