"""The mini-batch solvers (sgd, adam) through the estimator, on the one objective."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning

from conftest import fitted_objective
from sk_backprop import SigmoidPerceptronClassifier
from sk_backprop._core.layout import Layout, initial_theta
from sk_backprop._core.objective import ArrayObjective

MINI_BATCH = ["sgd", "adam"]


def test_batch_objectives_of_one_pass_average_to_the_objective():
    rng = np.random.RandomState(0)
    X, Y = rng.normal(size=(23, 4)), rng.randint(0, 2, size=(23, 1)).astype(float)
    weights = rng.uniform(0, 3, size=23)
    layout = Layout.from_sizes(4, (3,), 1, True)
    theta = initial_theta(layout, rng, np.float64)
    objective = ArrayObjective(X, Y, weights, layout=layout, loss="log_loss", alpha=0.3)
    batches = [slice(0, 10), slice(10, 20), slice(20, 23)]
    average = sum(objective(theta, rows)[0] * (rows.stop - rows.start) for rows in batches) / 23
    average_gradient = (
        sum(objective(theta, rows)[1] * (rows.stop - rows.start) for rows in batches) / 23
    )
    whole, gradient = objective(theta)
    assert average == pytest.approx(whole, rel=1e-12)
    np.testing.assert_allclose(average_gradient, gradient, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("solver", MINI_BATCH)
def test_mini_batch_solvers_reach_the_convex_optimum(large_data, solver):
    X, y = large_data
    alpha = 1e-3
    lbfgs = SigmoidPerceptronClassifier(alpha=alpha, tol=1e-8, max_iter=5000).fit(X, y)
    stochastic = SigmoidPerceptronClassifier(solver=solver, alpha=alpha, random_state=0)
    stochastic.fit(X, y)
    gap = fitted_objective(stochastic, X, y) - fitted_objective(lbfgs, X, y)
    assert 0 <= gap < 1e-3


@pytest.mark.parametrize("solver", MINI_BATCH)
def test_alpha_does_not_change_meaning_with_the_batch_size(large_data, solver):
    X, y = large_data
    X, y = X[:4000], y[:4000]
    alpha = 0.05  # strong enough that a batch-scaled penalty would move the optimum
    optimum = fitted_objective(SigmoidPerceptronClassifier(alpha=alpha, tol=1e-8).fit(X, y), X, y)
    for batch_size in (50, 1000):
        clf = SigmoidPerceptronClassifier(
            solver=solver, alpha=alpha, batch_size=batch_size, random_state=0
        ).fit(X, y)
        assert fitted_objective(clf, X, y) - optimum < 1e-3


def test_mini_batch_divergence_names_learning_rate():
    X, y = make_classification(n_samples=300, random_state=0)
    clf = SigmoidPerceptronClassifier(solver="sgd", learning_rate=1e300, tol=None)
    with pytest.raises(ValueError, match="diverged.*learning_rate"):
        clf.fit(X * 1e3, y)


def test_batch_size_larger_than_the_data_is_the_full_batch():
    X, y = make_classification(n_samples=50, random_state=0)
    full = SigmoidPerceptronClassifier(solver="sgd", batch_size=1000, shuffle=False, random_state=0)
    exact = SigmoidPerceptronClassifier(solver="sgd", batch_size=50, shuffle=False, random_state=0)
    np.testing.assert_array_equal(full.fit(X, y).coefs_[0], exact.fit(X, y).coefs_[0])


@pytest.mark.parametrize("solver", ["lbfgs", "gd", "sgd", "adam"])
def test_loss_is_the_objective_of_the_returned_weights(solver):
    X, y = make_classification(n_samples=600, flip_y=0.2, random_state=0)
    clf = SigmoidPerceptronClassifier((8,), solver=solver, max_iter=40, random_state=0)
    clf.fit(X, y)
    expected = fitted_objective(clf, X, y)
    assert clf.loss_ == pytest.approx(expected, rel=1e-12)


def test_full_batch_adam_reaches_logistic_regressions_coefficients_when_asked():
    """scikit-learn's test_logistic_regression_solvers setting (100 x 10, no intercept,
    C=1), as sag and saga meet it (decimal=3), with tol small and max_iter to spare:
    adam restarts its moments at each decay of its step (4.2e-3 away without)."""
    from sklearn.linear_model import LogisticRegression

    X, y = make_classification(n_features=10, n_informative=5, random_state=0)
    reference = LogisticRegression(fit_intercept=False, tol=1e-10, max_iter=10_000).fit(X, y)
    clf = SigmoidPerceptronClassifier(
        solver="adam", alpha=1 / len(y), fit_intercept=False, tol=1e-8, max_iter=20_000,
        random_state=42,
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    np.testing.assert_array_almost_equal(clf.coefs_[0].ravel(), reference.coef_.ravel(), 3)


@pytest.mark.parametrize("fit_intercept", [False, True])
@pytest.mark.parametrize("n_samples", [1000, 3000])
@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_mini_batches_reach_logistic_regressions_coefficients_when_asked(
    solver, n_samples, fit_intercept
):
    """Mini-batches of 200 rows, C=1 (alpha = 1 / n), as sag and saga meet it
    (decimal=3). ``tol=1e-9`` is what the promise needs for that: without intercepts
    J is alpha-strongly convex, so ``J - J* <= tol J`` puts the weights within
    ``sqrt(2 tol J / alpha)`` = 1.3e-3 of the optimum at 3,000 rows (J = 0.3).
    When every plateau of the batch averages divided the step (before the full
    objective decided and the batches grew), at tol=1e-8 sgd ended 1e-3 to 3e-3 and
    adam 0.4 to 0.5 away."""
    from sklearn.linear_model import LogisticRegression

    X, y = make_classification(n_samples, n_features=10, n_informative=5, random_state=0)
    reference = LogisticRegression(fit_intercept=fit_intercept, tol=1e-10, max_iter=10_000)
    reference.fit(X, y)
    clf = SigmoidPerceptronClassifier(
        solver=solver, alpha=1 / n_samples, fit_intercept=fit_intercept, tol=1e-9,
        max_iter=10_000, random_state=42,
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    assert clf._solver_state["last_batch_size"] > 200  # "auto" grew the batches
    np.testing.assert_array_almost_equal(clf.coefs_[0].ravel(), reference.coef_.ravel(), 3)
    if fit_intercept:
        np.testing.assert_array_almost_equal(clf.intercepts_[0], reference.intercept_, 3)


def test_a_batch_of_every_row_is_the_whole_data_not_a_copy(monkeypatch):
    """Where the batch holds every row (fewer rows than batch_size, or "auto" grew
    it), the step is on the data as it is: no shuffled copy of X each epoch."""
    from sk_backprop._core.objective import ArrayObjective

    seen = []
    call = ArrayObjective.__call__

    def recording(self, theta, rows=None):
        seen.append(rows)
        return call(self, theta, rows)

    monkeypatch.setattr(ArrayObjective, "__call__", recording)
    X, y = make_classification(n_samples=100, random_state=0)
    SigmoidPerceptronClassifier(solver="sgd", batch_size=500, max_iter=5, tol=None).fit(X, y)
    assert len(seen) > 5 and all(rows is None for rows in seen)
