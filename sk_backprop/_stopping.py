"""When a series of per-epoch values has stopped going down: the solvers' rule.

A solver owns its stopping and step policy (as scikit-learn's stochastic
optimizers own ``trigger_stopping``); this is the test it asks. It serves every
series a solver watches: the full-batch objective of ``gd``, the noisy epoch
averages of ``sgd`` and ``adam``, and the validation error of early stopping.

Comparing each epoch with the best one so far (MLPClassifier's rule) fails both
ways: it stops a slow, steady descent whose steps are each below ``tol`` far from
the optimum (on breast_cancer, ``gd`` stopped at 42 times ``tol`` above it), and
after a transient low (an overshoot of momentum or Adam) it stops a series that
is still descending above that low. This rule instead projects how much further
the series will fall, from the means of three consecutive windows of
``n_iter_no_change`` epochs, and compares that with ``tol`` relative to the level.
"""

import math

import numpy as np


class StoppedDescending:
    """``update(value)`` is True once the series has stopped descending.

    With ``n = n_iter_no_change`` and the means ``m0, m1, m2`` of the last three
    windows of ``n`` values (oldest first), ``D = m1 - m2`` is the last window's
    descent and ``r = D / (m0 - m1)`` the rate at which descents shrink. The
    series has stopped descending when

    * ``D`` is within twice its standard error (what noise alone could make; the
      error comes from the spread of each window around its own linear trend), or
    * ``r < 1`` and the projected remaining descent ``D r / (1 - r)`` (the sum of
      the geometric series of the coming windows' descents) is at most
      ``tol * |m2|``.

    ``spread`` is the newer window's standard deviation around its trend,
    relative to ``|m2|``: how much the value still moves from epoch to epoch.
    ``reset`` starts a new series (after a change of step). ``tol=None`` or an
    infinite ``n_iter_no_change`` never stops.
    """

    def __init__(self, tol, n_iter_no_change):
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.values = []

    def reset(self):
        self.values = []

    def update(self, value):
        self.values.append(value)
        n = self.n_iter_no_change
        if self.tol is None or math.isinf(n) or len(self.values) < 3 * n:
            return False
        windows = np.array(self.values[-3 * n :]).reshape(3, n)
        with np.errstate(over="ignore", invalid="ignore"):  # huge values of a divergence
            m0, m1, m2 = windows.mean(axis=1)
            descent = m1 - m2
            noise = math.sqrt((_detrended_var(windows[1]) + _detrended_var(windows[2])) / n)
        if not descent > 2 * noise:
            return True
        previous = m0 - m1
        if previous <= descent:  # the descent is not slowing down
            return False
        rate = descent / previous
        return descent * rate / (1 - rate) <= self.tol * abs(m2)

    @property
    def level(self):
        """The mean of the newest window."""
        return float(np.mean(self.values[-self.n_iter_no_change :]))

    @property
    def spread(self):
        newer = np.array(self.values[-self.n_iter_no_change :])
        with np.errstate(over="ignore", invalid="ignore"):
                return math.sqrt(_detrended_var(newer)) / max(abs(newer.mean()), np.finfo(float).tiny)


def _detrended_var(window):
    """Variance of ``window`` around its least-squares line (0 for a line)."""
    if window.size < 3:
        return 0.0
    steps = np.arange(window.size) - (window.size - 1) / 2
    slope = np.dot(steps, window - window.mean()) / np.dot(steps, steps)
    residuals = window - window.mean() - slope * steps
    return float(np.dot(residuals, residuals) / (window.size - 2))
