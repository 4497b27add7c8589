"""When to stop: scikit-learn's rule, and how far from the optimum a fit ended.

``NoImprovement`` is the rule of MLPClassifier and SGDClassifier
(``_update_no_improvement_count``), the one a user can state from memory: an
epoch improves when its value is below the best so far by more than ``tol``, and
training stops after ``n_iter_no_change`` consecutive epochs that do not. It
watches the epoch's objective (for sgd and adam, the average of the epoch's
batch objectives, as MLPClassifier's ``loss_curve_``) or, with early stopping,
the validation error ``1 - score``. As in SGDClassifier a fit with a huge ``tol``
stops after ``n_iter_no_change + 1`` epochs.

That rule says when the objective stopped falling fast, not that it reached the
optimum: a slow descent (a badly scaled column, a tiny fixed step) improves by
less than ``tol`` per epoch far above it. So when it stops a fit without early
stopping, the solver asks how far the fit may still be from the optimum (the
full gradient, ``gap_report``; the projected rest of a slowing descent,
``remaining_descent``) and warns when that is more than its tolerance.
Cleverness goes into what the warning says, not into when training stops.
"""

import math

import numpy as np

from .arrays import epsilon, inner, largest_abs, squared_norm

TRAINING_LOSS = "Training loss"
# The least shrinking of the decreases (the slope of their logarithm per epoch) that a
# projection trusts. Equal decreases (a linear descent) fit a slope of a few 1e-16,
# of either sign, by rounding alone (NumPy 1.24's least squares gave -5.5e-16 where
# 2.x gives a positive one), which projects a rest of 1e9 decreases; a rate within 1e-8
# of 1 is no slowing that the arithmetic can tell from none.
SHRINK_FLOOR = 1e-8
VALIDATION_SCORE = "Validation score"
# The solvers' promise (docs/solvers.md): a fit that stops by its tolerance ends within
# 10 tol (relative) of the optimum, or warns. line_search_gain is a lower bound on the
# gap, 5 to 16 times below it where both were measured (breast_cancer, digits, wine,
# wide make_classification): a fit it shows more than tol above the optimum is taken
# as short of the promise.


class NoImprovement:
    """``update(value)`` is True once ``n_iter_no_change`` consecutive values
    have not been below the best one before them by more than ``tol``.

    ``tol=None`` or ``n_iter_no_change=np.inf`` never stops. ``reset()`` starts
    a new series, after a change of step: the values at the old step (a step too
    large for the data may have sent them far above an early best) say nothing
    of the new one's progress.
    """

    def __init__(self, tol, n_iter_no_change, watched=TRAINING_LOSS):
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.watched = watched
        self.best = math.inf
        self.count = 0

    def update(self, value):
        if self.tol is None:
            return False
        if not value < self.best - self.tol:  # NaN counts as no improvement
            self.count += 1
        else:
            self.count = 0
        self.best = min(self.best, value)
        return self.count >= self.n_iter_no_change

    def reset(self):
        self.count = 0
        self.best = math.inf

    @property
    def message(self):
        """Why it stopped, in MLPClassifier's words."""
        return (
            f"{self.watched} did not improve more than tol={self.tol:f} for "
            f"{self.n_iter_no_change} consecutive epochs."
        )


def line_search_gain(objective, theta, gradient):
    """A lower bound on ``J - J*`` from one more gradient evaluation: what an exact
    line search along ``-g`` gains on ``J``'s quadratic model,
    ``(g.g)^2 / (2 g.Hg)``, with ``g.Hg`` a finite difference of the gradient
    along ``g``. For a convex ``J`` the optimum is at least that far below
    (``J*`` is below every point of the line). 0 (no conclusion) where the
    curvature along ``g`` is not positive or is lost in rounding.

    It is what the gradient-entry test misses on wide data (50 rows x 20,000
    columns: every entry below ``tol`` after one L-BFGS iteration, ``J`` twice
    its optimum): there many small entries add up.
    """
    squared = squared_norm(gradient)
    if not 0 < squared < math.inf:
        return 0.0
    eps = epsilon(gradient)
    # a step of sqrt(eps) relative to theta's size: the difference's rounding error
    # and the quadratic model's error are then about equal
    step = math.sqrt(eps) * max(1.0, math.sqrt(squared_norm(theta))) / math.sqrt(squared)
    moved = objective(theta + step * gradient)[1]
    curvature = (inner(gradient, moved) - squared) / step  # g.Hg
    if not curvature > 1e3 * eps * squared / step:  # not positive, or rounding only
        return 0.0
    return squared * squared / (2 * curvature)


def far_from_optimum(objective, theta, value, gradient, tol):
    """A sentence when ``line_search_gain`` shows ``J`` more than ``tol``
    (relative) above the optimum, and more than rounding can tell (``sqrt(eps)``
    relative), else "". Without hidden layers only: with them ``J`` is not convex,
    and the gain along the gradient bounds nothing about the optimum reached. And on
    wide data only (at least as many coefficients as rows), where the entry test's
    slack showed: the check costs an evaluation, 7% of an 11-iteration lbfgs fit on a
    20,000 x 5,000 sparse table whose entry test was sound, measured against
    LogisticRegression's default (docs/performance.md)."""
    if len(objective.layout.shapes) > 1 or objective.layout.n_coefs < objective.n_samples:
        return ""
    gain = line_search_gain(objective, theta, gradient)
    resolution = math.sqrt(epsilon(gradient))
    if gain <= max(tol, resolution) * abs(value):
        return ""
    return (
        f"J={value:.6g}, at least {gain:.3g} above the optimum (a line search along the "
        f"gradient would gain that) though no gradient entry is above tol={tol}: many "
        "small entries (wide data)"
    )


def gap_report(objective, value, gradient, tol, theta=None):
    """``(within_tolerance, sentence)``: whether the fit at ``value``, with full
    gradient ``gradient``, is within ``tol`` of the optimum, and how far it may be.

    Within tolerance when L-BFGS's test holds (no gradient entry above ``tol``)
    or, where ``J`` is ``alpha``-strongly convex (no hidden layer, no intercept,
    ``alpha > 0``),
    when the bound ``J - J* <= ||g||^2 / (2 alpha)`` is at most ``tol * J``; but
    never where ``far_from_optimum`` at ``theta`` (when given) says otherwise.
    """
    largest = largest_abs(gradient)
    squared = squared_norm(gradient)
    # the intercepts are not penalised: J is alpha-strongly convex only without them
    convex = (
        len(objective.layout.shapes) == 1
        and objective.alpha > 0
        and not objective.layout.fit_intercept
    )
    bound = squared / (2 * objective.alpha) if convex else math.inf
    if largest <= tol or bound <= tol * abs(value):
        far = "" if theta is None else far_from_optimum(objective, theta, value, gradient, tol)
        return not far, far
    how_far = (
        f"J={value:.6g} is at most {bound:.3g} above the optimum" if convex else f"J={value:.6g}"
    )
    return False, f"{how_far}, with a gradient entry of {largest:.3g} above tol={tol}"


def remaining_descent(values):
    """How much further a slowing, descending series is projected to fall.

    The decreases ``d_k`` between consecutive ``values`` are fitted by a
    geometric series, ``log d_k = a + k log r`` (least squares); its rest after
    the last value is ``d_m r / (1 - r)``. The projection is trusted only when
    every ``d_k`` is positive and the fit is good (each ``d_k`` within a factor
    of 2 of it, as gradient descent's decreases are on a well-conditioned
    problem); a series that stalls, rises, or falls by irregular amounts (a
    badly scaled problem whose line search hops between directions) or whose
    decreases do not shrink has an unknown rest, inf.
    """
    decreases = -np.diff(np.asarray(values, dtype=float))
    if decreases.size < 3 or not (decreases > 0).all():
        return math.inf
    steps = np.arange(decreases.size)
    slope, intercept = np.polyfit(steps, np.log(decreases), 1)
    residuals = np.log(decreases) - (intercept + slope * steps)
    if slope >= -SHRINK_FLOOR or np.abs(residuals).max() > math.log(2):
        return math.inf
    rate = math.exp(slope)
    return float(math.exp(intercept + slope * steps[-1]) * rate / (1 - rate))
