"""solver="newton-cholesky": exact Hessians, the same optimum as every solver, and its
limits named."""

import warnings

import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import load_breast_cancer, load_iris, make_multilabel_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler

from sk_backprop import SigmoidPerceptronClassifier
from sk_backprop._core.layout import Layout
from sk_backprop._core.objective import objective_and_gradient, output_hessians


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("n_outputs", [1, 3])
def test_each_output_hessian_is_the_derivative_of_the_gradient(fit_intercept, n_outputs):
    rng = np.random.RandomState(0)
    X, weights = rng.randn(50, 4), rng.rand(50)
    targets = rng.randint(0, 2, (50, n_outputs)).astype(float)
    layout = Layout.from_sizes(4, (), n_outputs, fit_intercept)
    theta = 0.3 * rng.randn(layout.n_params)
    args = dict(layout=layout, loss="log_loss", alpha=0.01)
    hessians = output_hessians(theta, X, targets, weights, **args)
    # the index in theta of output j's coef i (and of its intercept, last)
    for j, hessian in enumerate(hessians):
        index = [i * n_outputs + j for i in range(4)]
        if fit_intercept:
            index.append(4 * n_outputs + j)
        numeric = np.empty_like(hessian)
        for column, position in enumerate(index):
            step = np.zeros_like(theta)
            step[position] = 1e-6
            plus = objective_and_gradient(theta + step, X, targets, weights, **args)[1]
            minus = objective_and_gradient(theta - step, X, targets, weights, **args)[1]
            numeric[:, column] = (plus - minus)[index] / 2e-6
        np.testing.assert_allclose(hessian, numeric, rtol=1e-5, atol=1e-8)


def datasets():
    X, y = load_breast_cancer(return_X_y=True)
    yield "binary", StandardScaler().fit_transform(X), y, {}
    X, y = load_iris(return_X_y=True)
    yield "multiclass, class_weight", X, y, {"class_weight": "balanced"}
    yield "multiclass, sparse, no intercept", sparse.csr_matrix(X), y, {"fit_intercept": False}
    X, Y = make_multilabel_classification(n_samples=200, n_features=6, random_state=0)
    yield "multilabel, squared error", X, Y, {"loss": "squared_error"}


@pytest.mark.parametrize(
    "name, X, y, params", list(datasets()), ids=lambda v: v if isinstance(v, str) else ""
)
def test_newton_cholesky_reaches_the_optimum_of_lbfgs(name, X, y, params):
    weights = np.random.RandomState(0).rand(X.shape[0])
    common = dict(alpha=1e-2, **params)
    reference = SigmoidPerceptronClassifier(tol=1e-10, max_iter=10_000, **common)
    reference.fit(X, y, sample_weight=weights)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        newton = SigmoidPerceptronClassifier(solver="newton-cholesky", tol=1e-8, **common)
        newton.fit(X, y, sample_weight=weights)
    assert newton.loss_ == pytest.approx(reference.loss_, rel=1e-9)
    assert newton.n_iter_ < 30


def test_hidden_layers_are_refused_naming_the_solver():
    with pytest.raises(ValueError, match="newton-cholesky' fits networks without hidden layers"):
        SigmoidPerceptronClassifier((4,), solver="newton-cholesky").fit([[0.0], [1.0]], [0, 1])


def test_partial_fit_is_not_offered():
    assert not hasattr(SigmoidPerceptronClassifier(solver="newton-cholesky"), "partial_fit")


def test_max_iter_before_tol_warns():
    X, y = load_breast_cancer(return_X_y=True)
    with pytest.warns(ConvergenceWarning, match="max_iter=1"):
        SigmoidPerceptronClassifier(solver="newton-cholesky", max_iter=1).fit(
            StandardScaler().fit_transform(X), y
        )


def test_separable_data_without_penalty_still_descends():
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    clf = SigmoidPerceptronClassifier(solver="newton-cholesky", alpha=0.0, max_iter=50)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, [0, 0, 1, 1])
    assert clf.score(X, [0, 0, 1, 1]) == 1.0 and np.isfinite(clf.loss_)
