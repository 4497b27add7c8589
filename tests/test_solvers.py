"""Each solver's update rule against its formula, its stopping rule, and its promise:
within tolerance of the optimum of J, or a ConvergenceWarning."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris, make_classification
from sklearn.exceptions import ConvergenceWarning

from sk_backprop import SigmoidPerceptronClassifier
from sk_backprop._core.minibatch import Adam, MomentumSGD
from sk_backprop._core.solvers import ARMIJO_C, GradientDescent
from sk_backprop._core.stopping import NoImprovement, remaining_descent


class Quadratic:
    """``J = 0.5 * ||theta||^2``, gradient ``theta``, as an objective."""

    n_samples = 4
    alpha = 1.0

    def __init__(self):
        self.evaluations = []

    def __call__(self, theta, rows=None):
        self.evaluations.append(theta.copy())
        return 0.5 * float(theta @ theta), theta.copy()


def test_momentum_sgd_update_is_the_heavy_ball_formula():
    solver = MomentumSGD(0.1, 1e-4, 10, 4, False, None, momentum=0.9)
    theta, velocity = np.array([1.0, -2.0]), np.zeros(2)
    for gradient in (np.array([0.5, 0.5]), np.array([-1.0, 2.0])):
        velocity = 0.9 * velocity - 0.1 * gradient
        expected = theta + velocity
        solver.update(theta, gradient, 0.1)
        np.testing.assert_allclose(theta, expected)


def test_adam_update_is_the_published_formula():
    solver = Adam(0.01, 1e-4, 10, 4, False, None)
    theta, m, v = np.array([1.0, -2.0]), np.zeros(2), np.zeros(2)
    for t, gradient in enumerate((np.array([0.5, 0.5]), np.array([-1.0, 2.0])), start=1):
        m = 0.9 * m + 0.1 * gradient
        v = 0.999 * v + 0.001 * gradient**2
        step = 0.01 * np.sqrt(1 - 0.999**t) / (1 - 0.9**t)
        expected = theta - step * m / (np.sqrt(v) + 1e-8)
        solver.update(theta, gradient, 0.01)
        np.testing.assert_allclose(theta, expected)


def test_armijo_accepts_the_first_step_of_sufficient_decrease():
    solver = GradientDescent("auto", 1e-4, 10)
    solver.step = 4.0  # too long for J = theta^2 / 2: 4 and 2 overshoot
    objective = Quadratic()
    theta = np.array([1.0])
    accepted, value, _ = solver._armijo_step(objective, theta, 0.5, theta.copy())
    steps = [1 - candidate[0] for candidate in objective.evaluations]
    assert steps == [4.0, 2.0, 1.0]  # halved until J(1 - s) <= J(1) - c s
    assert value <= 0.5 - ARMIJO_C * 1.0 * 1.0
    assert accepted[0] == 0.0 and solver.step == 1.0


def test_no_improvement_is_scikit_learns_count():
    """An epoch improves when it is below the best before it by more than tol;
    n_iter_no_change epochs in a row that do not stop the fit."""
    rule = NoImprovement(tol=0.1, n_iter_no_change=3)
    values = [1.0, 0.5, 0.45, 0.42, 0.3, 0.29, 0.31, 0.25]
    assert [rule.update(v) for v in values] == [False] * 7 + [True]
    assert rule.best == 0.25


def test_a_huge_tol_stops_after_n_iter_no_change_plus_one_epochs():
    rule = NoImprovement(tol=1e6, n_iter_no_change=4)
    assert [rule.update(1.0 / epoch) for epoch in range(1, 7)].index(True) + 1 == 5


def test_tol_none_or_an_infinite_window_never_stops():
    for rule in (NoImprovement(None, 2), NoImprovement(1e-4, np.inf)):
        assert not any(rule.update(1.0) for _ in range(50))


def test_a_smooth_geometric_descent_projects_its_rest():
    values = [1.0 + 0.8**epoch for epoch in range(12)]
    # from 1 + 0.8^11 the rest is 0.8^11
    assert remaining_descent(values) == pytest.approx(0.8**11, rel=1e-9)


@pytest.mark.parametrize(
    "values",
    [
        [1.0 - 1e-6 * epoch for epoch in range(12)],  # linear: never slows
        [1.0, 0.9, 0.9, 0.8],  # a stall
        [1.0, 0.5, 0.6, 0.4, 0.3],  # a rise
        [1.0, 0.9, 0.899, 0.85, 0.8499, 0.84, 0.83999],  # irregular decreases
    ],
)
def test_a_descent_that_is_not_smoothly_geometric_has_an_unknown_rest(values):
    assert remaining_descent(values) == np.inf


@pytest.fixture(scope="module")
def convex_problem():
    X, y = make_classification(n_samples=200, n_features=10, n_informative=5, random_state=42)
    params = dict(alpha=0.05, fit_intercept=False)
    optimum = SigmoidPerceptronClassifier(tol=1e-10, max_iter=10_000, **params).fit(X, y).loss_
    return X, y, params, optimum


@pytest.mark.parametrize("solver", ["gd", "sgd", "adam"])
@pytest.mark.parametrize("tol", [1e-4, 1e-8])
def test_every_solver_ends_within_ten_tol_of_the_optimum_or_warns(convex_problem, solver, tol):
    X, y, params, optimum = convex_problem
    clf = SigmoidPerceptronClassifier(
        solver=solver, tol=tol, max_iter=20_000, random_state=42, **params
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        clf.fit(X, y)
    warned = any(issubclass(w.category, ConvergenceWarning) for w in caught)
    assert warned or (clf.loss_ - optimum) / optimum <= 10 * tol


@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_a_float_learning_rate_is_never_changed(solver):
    X, y = make_classification(n_samples=200, random_state=0)
    clf = SigmoidPerceptronClassifier(
        solver=solver, learning_rate=0.01, max_iter=300, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    assert clf._solver_state["last_step"] == 0.01


def test_partial_fit_after_fit_steps_by_the_users_step_and_learns_flipped_labels():
    X, y = make_classification(n_samples=300, n_features=5, random_state=0)
    clf = SigmoidPerceptronClassifier(solver="adam", learning_rate=0.01, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    assert clf.score(X, y) > 0.8
    for _ in range(200):
        clf.partial_fit(X, 1 - y)
    assert clf.score(X, 1 - y) > 0.8


def test_sgd_that_grows_the_weights_without_overflow_is_caught():
    X, y = load_iris(return_X_y=True)
    clf = SigmoidPerceptronClassifier(solver="sgd", alpha=1e5, learning_rate=0.1, momentum=0)
    with pytest.raises(ValueError, match="diverged.*learning_rate"):
        clf.fit(X, y)


@pytest.mark.parametrize("solver", ["lbfgs", "gd", "sgd", "adam"])
def test_max_iter_before_tol_warns_of_convergence(solver):
    X, y = make_classification(n_samples=300, random_state=0)
    with pytest.warns(ConvergenceWarning, match="max_iter=3"):
        SigmoidPerceptronClassifier(solver=solver, max_iter=3).fit(X, y)


@pytest.mark.parametrize("tol", [1e-4, 1e-8])
def test_lbfgs_never_evaluates_the_same_point_twice_in_a_row(monkeypatch, tol):
    """scipy begins by evaluating its x0, where the start's check (and, on wide data,
    the last round) already evaluated: that evaluation is reused, not repeated (on a
    sparse 20,000 x 5,000 fit it was one of 14)."""
    from sk_backprop._core.objective import ArrayObjective

    points = []
    call = ArrayObjective.__call__

    def recording(self, theta, rows=None):
        points.append(np.array(theta, copy=True))
        return call(self, theta, rows)

    monkeypatch.setattr(ArrayObjective, "__call__", recording)
    X, y = make_classification(n_samples=60, n_features=300, random_state=0)  # wide: rounds
    SigmoidPerceptronClassifier(tol=tol, max_iter=500).fit(X, y)
    assert len(points) > 3
    assert not any(np.array_equal(a, b) for a, b in zip(points, points[1:]))
