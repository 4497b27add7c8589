"""Array API dispatch: the estimator on array-api-strict and PyTorch arrays.

scikit-learn's own array API checks run in test_common.py (the estimator's tag
says it supports the Array API); these test what they do not: every solver and
option against the NumPy fit, where the data and the answers live, and the
numerics in another namespace. They run where scipy's array API support is on
(``SCIPY_ARRAY_API=1``, as CI sets it) and the library is installed.
"""

import os

import numpy as np
import pytest
import sklearn
from scipy import sparse
from sklearn.datasets import make_classification, make_multilabel_classification

from sk_backprop import SigmoidPerceptronClassifier
from sk_backprop._compat import ARRAY_API_SUPPORT, array_namespace

pytestmark = pytest.mark.skipif(
    os.environ.get("SCIPY_ARRAY_API") != "1" or not ARRAY_API_SUPPORT,
    reason="array API dispatch needs SCIPY_ARRAY_API=1 and scikit-learn >= 1.8",
)


def _namespaces():
    """(name, xp, device) of every installed namespace to test, CUDA when present."""
    found = []
    try:
        import array_api_strict

        found.append(("array_api_strict", array_api_strict, array_api_strict.Device("device1")))
    except ImportError:
        pass
    try:
        import torch

        found.append(("torch-cpu", torch, torch.device("cpu")))
        if torch.cuda.is_available():
            found.append(("torch-cuda", torch, torch.device("cuda")))
    except ImportError:
        pass
    return found


NAMESPACES = [pytest.param(entry, id=entry[0]) for entry in _namespaces()] or [
    pytest.param(
        ("none", None, None),
        id="none",
        marks=pytest.mark.skip(reason="neither array-api-strict nor torch is installed"),
    )
]
SOLVERS = ["lbfgs", "gd", "sgd", "adam"]


@pytest.fixture(params=NAMESPACES)
def namespace(request):
    return request.param


def to_xp(namespace, array, dtype=None):
    _, xp, device = namespace
    array = np.asarray(array) if dtype is None else np.asarray(array, dtype=dtype)
    return xp.asarray(array, device=device)


def to_np(array):
    from sklearn.utils._array_api import move_to

    return move_to(array, xp=np, device="cpu")


def device_of(array):
    return array.device


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(200, 8, n_informative=5, n_classes=3, random_state=0)
    return X, y


def fit_both(namespace, X, y, dtype=np.float64, fit_kwargs=None, **params):
    """The same estimator fitted on NumPy arrays and on the namespace's."""
    fit_kwargs = fit_kwargs or {}
    reference = SigmoidPerceptronClassifier(**params).fit(X.astype(dtype), y, **fit_kwargs)
    X_xp = to_xp(namespace, X, dtype)
    with sklearn.config_context(array_api_dispatch=True):
        fitted = SigmoidPerceptronClassifier(**params).fit(
            X_xp,
            to_xp(namespace, y),
            **{
                k: to_xp(namespace, v) if isinstance(v, np.ndarray) else v
                for k, v in fit_kwargs.items()
            },
        )
    return reference, fitted, X_xp


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("hidden", [(), (6,)])
def test_every_solver_fits_as_on_numpy_and_answers_on_the_device(namespace, data, solver, hidden):
    X, y = data
    reference, fitted, X_xp = fit_both(
        namespace,
        X,
        y,
        solver=solver,
        hidden_layer_sizes=hidden,
        max_iter=30,
        tol=None,
        random_state=0,
    )
    _, xp, device = namespace
    for coef, expected in zip(
        fitted.coefs_ + fitted.intercepts_, reference.coefs_ + reference.intercepts_
    ):
        assert device_of(coef) == device
        np.testing.assert_allclose(to_np(coef), expected, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(fitted.loss_curve_, reference.loss_curve_, rtol=1e-9)
    with sklearn.config_context(array_api_dispatch=True):
        answers = {
            name: getattr(fitted, name)(X_xp)
            for name in ("predict", "predict_proba", "predict_log_proba", "decision_function")
        }
        score = fitted.score(X_xp, to_xp(namespace, y))
    for name, answer in answers.items():
        assert device_of(answer) == device, name
        np.testing.assert_allclose(
            to_np(answer), getattr(reference, name)(X), rtol=1e-7, atol=1e-9, err_msg=name
        )
    assert score == pytest.approx(reference.score(X, y))


@pytest.mark.parametrize("solver", SOLVERS)
def test_float32_stays_float32(namespace, data, solver):
    X, y = data
    _, xp, _ = namespace
    reference, fitted, X_xp = fit_both(
        namespace,
        X,
        y,
        np.float32,
        solver=solver,
        hidden_layer_sizes=(4,),
        max_iter=10,
        tol=None,
        random_state=0,
    )
    assert all(coef.dtype == xp.float32 for coef in fitted.coefs_)
    with sklearn.config_context(array_api_dispatch=True):
        proba = fitted.predict_proba(X_xp)
    assert proba.dtype == xp.float32
    np.testing.assert_allclose(
        to_np(proba), reference.predict_proba(X.astype(np.float32)), rtol=1e-4, atol=1e-5
    )


def test_weights_and_class_weights(namespace, data):
    X, y = data
    weights = np.random.RandomState(0).uniform(0.1, 3, size=len(y))
    reference, fitted, _ = fit_both(
        namespace,
        X,
        y,
        fit_kwargs={"sample_weight": weights},
        class_weight="balanced",
        hidden_layer_sizes=(5,),
        random_state=0,
        max_iter=50,
        tol=None,
    )
    np.testing.assert_allclose(to_np(fitted.coefs_[0]), reference.coefs_[0], rtol=1e-7)


@pytest.mark.parametrize("solver", SOLVERS)
def test_early_stopping_on_a_held_out_part_and_on_X_val(namespace, data, solver):
    X, y = data
    params = dict(
        solver=solver,
        early_stopping=True,
        n_iter_no_change=3,
        max_iter=40,
        random_state=0,
        hidden_layer_sizes=(5,),
    )
    reference, fitted, _ = fit_both(namespace, X, y, **params)
    assert fitted.validation_scores_ == pytest.approx(reference.validation_scores_)
    assert fitted.n_iter_ == reference.n_iter_
    X_val, y_val = X[:50] + 0.1, y[:50]
    reference, fitted, _ = fit_both(
        namespace, X, y, fit_kwargs={"X_val": X_val, "y_val": y_val}, **params
    )
    assert fitted.best_validation_score_ == pytest.approx(reference.best_validation_score_)


def test_multilabel(namespace):
    X, Y = make_multilabel_classification(100, 6, n_classes=3, random_state=0)
    reference, fitted, X_xp = fit_both(
        namespace, X, Y, hidden_layer_sizes=(4,), random_state=0, max_iter=40, tol=None
    )
    with sklearn.config_context(array_api_dispatch=True):
        predicted = fitted.predict(X_xp)
    np.testing.assert_array_equal(to_np(predicted), reference.predict(X))


def test_partial_fit_and_warm_start_continue_on_the_device(namespace, data):
    X, y = data
    _, xp, device = namespace
    X_xp, y_xp = to_xp(namespace, X), to_xp(namespace, y)
    reference = SigmoidPerceptronClassifier(solver="adam", random_state=0)
    with sklearn.config_context(array_api_dispatch=True):
        streamed = SigmoidPerceptronClassifier(solver="adam", random_state=0)
        for start in range(0, 200, 50):
            streamed.partial_fit(
                X_xp[start : start + 50, ...],
                y_xp[start : start + 50],
                classes=to_xp(namespace, [0, 1, 2]),
            )
            reference.partial_fit(X[start : start + 50], y[start : start + 50], classes=[0, 1, 2])
        warm = SigmoidPerceptronClassifier(warm_start=True, max_iter=5, tol=None, random_state=0)
        warm.fit(X_xp, y_xp).fit(X_xp, y_xp)
    np.testing.assert_allclose(to_np(streamed.coefs_[0]), reference.coefs_[0], rtol=1e-7)
    assert len(warm.loss_curve_) == 10
    assert device_of(warm.coefs_[0]) == device


def test_labels_follow_scikit_learns_array_api_classifiers(namespace, data):
    """Numeric labels: classes_ in y's namespace, predictions in X's; strings stay NumPy."""
    X, y = data
    _, xp, device = namespace
    X_xp = to_xp(namespace, X)
    names = np.array(["ant", "bee", "cat"])[y]
    with sklearn.config_context(array_api_dispatch=True):
        clf = SigmoidPerceptronClassifier(max_iter=50, tol=None).fit(X_xp, names)
        predicted = clf.predict(X_xp)
        numeric = SigmoidPerceptronClassifier(max_iter=50, tol=None).fit(X_xp, to_xp(namespace, y))
    assert isinstance(predicted, np.ndarray) and predicted.dtype.kind == "U"
    assert isinstance(clf.classes_, np.ndarray)
    assert device_of(numeric.classes_) == device


def test_answers_are_finite_for_extreme_inputs(namespace):
    _, xp, _ = namespace
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0], [0.5, 0.5], [0.2, 0.9]])
    y = np.array([0, 1, 2, 0, 1, 2])
    with sklearn.config_context(array_api_dispatch=True):
        clf = SigmoidPerceptronClassifier(max_iter=20, tol=None).fit(
            to_xp(namespace, X), to_xp(namespace, y)
        )
        big = np.finfo(np.float64).max / 4
        extreme = to_xp(namespace, [[big, -big], [-big, big], [1e300, 1e300]])
        proba = to_np(clf.predict_proba(extreme))
        log_proba = to_np(clf.predict_log_proba(extreme))
    assert np.isfinite(proba).all() and np.isfinite(log_proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1)


def test_an_answer_in_another_namespace_is_refused(namespace, data):
    X, y = data
    with sklearn.config_context(array_api_dispatch=True):
        clf = SigmoidPerceptronClassifier(max_iter=5, tol=None).fit(to_xp(namespace, X), y)
        with pytest.raises(ValueError, match="must use the same namespace"):
            clf.predict(X)
        with pytest.raises(ValueError, match="must use the same namespace"):
            clf.predict(sparse.csr_matrix(X))


def test_sparse_X_stays_on_the_numpy_path(data):
    X, y = data
    with sklearn.config_context(array_api_dispatch=True):
        clf = SigmoidPerceptronClassifier(max_iter=5, tol=None).fit(sparse.csr_matrix(X), y)
    assert isinstance(clf.coefs_[0], np.ndarray)


def test_a_fitted_model_moves_to_numpy(namespace, data):
    from sklearn.utils._array_api import move_estimator_to

    X, y = data
    with sklearn.config_context(array_api_dispatch=True):
        clf = SigmoidPerceptronClassifier(max_iter=10, tol=None).fit(
            to_xp(namespace, X), to_xp(namespace, y)
        )
    on_numpy = move_estimator_to(clf, np, "cpu")
    assert all(isinstance(coef, np.ndarray) for coef in on_numpy.coefs_)
    with sklearn.config_context(array_api_dispatch=True):
        expected = to_np(clf.predict_proba(to_xp(namespace, X)))
    np.testing.assert_allclose(on_numpy.predict_proba(X), expected)


@pytest.mark.parametrize("loss", ["log_loss", "squared_error"])
@pytest.mark.parametrize("hidden", [(), (3,), (4, 3)])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("n_outputs", [1, 3])
def test_objective_and_gradient_equal_numpys(namespace, loss, hidden, fit_intercept, n_outputs):
    """The namespace's forward, loss and backward give NumPy's J and gradient (which
    test_network checks against finite differences)."""
    from sk_backprop._core.layout import Layout, initial_theta
    from sk_backprop._core.objective import objective_and_gradient

    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 5))
    targets = rng.randint(0, max(n_outputs, 2), size=40)
    weights = rng.uniform(0.5, 2, size=40)
    layout = Layout.from_sizes(5, hidden, n_outputs, fit_intercept)
    theta = initial_theta(layout, rng, np.float64) + rng.normal(scale=0.3, size=layout.n_params)
    expected = objective_and_gradient(
        theta, X, targets, weights, layout=layout, loss=loss, alpha=0.1
    )
    arrays = [to_xp(namespace, a) for a in (theta, X, targets, weights)]
    with sklearn.config_context(array_api_dispatch=True):
        xp, _ = array_namespace(arrays[1])  # array_api_compat's wrapper of the library
        value, gradient = objective_and_gradient(
            *arrays, layout=layout, loss=loss, alpha=0.1, xp=xp
        )
    assert value == pytest.approx(expected[0], rel=1e-12)
    np.testing.assert_allclose(to_np(gradient), expected[1], rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("solver", ["gd", "sgd", "adam"])
def test_the_descent_solvers_keep_theta_and_their_state_on_the_device(namespace, data, solver):
    """Only L-BFGS (scipy's) takes theta to the host; the others update it where X is."""
    from sk_backprop._core.layout import Layout, initial_theta
    from sk_backprop._core.monitor import EpochMonitor
    from sk_backprop._core.objective import ArrayObjective
    from sk_backprop._training import make_solver

    X, y = data
    _, xp, device = namespace
    layout = Layout.from_sizes(X.shape[1], (4,), 3, True)
    with sklearn.config_context(array_api_dispatch=True):
        objective = ArrayObjective(
            to_xp(namespace, X), y, np.ones(len(y)), layout=layout, loss="log_loss", alpha=1e-4
        )
        solver_ = make_solver(
            solver,
            learning_rate="auto",
            tol=None,
            n_iter_no_change=10,
            batch_size=50,
            shuffle=True,
            momentum=0.9,
            hidden_layers=(4,),
            random_state=np.random.RandomState(0),
        )
        outcome = solver_.run(
            objective,
            initial_theta(layout, np.random.RandomState(0), np.float64),
            EpochMonitor(max_iter=3),
            3,
        )
    assert outcome.theta.device == device
    # the arrays each solver keeps for the next partial_fit (gd keeps only numbers)
    expected = {"gd": set(), "sgd": {"velocity"}, "adam": {"first_moment", "second_moment"}}
    kept = {name for name in solver_.state if hasattr(getattr(solver_, name), "shape")}
    assert kept == expected[solver]
    arrays = {name: value for name, value in vars(solver_).items() if hasattr(value, "shape")}
    assert arrays.keys() >= kept  # and no array of the solver is left on the host
    assert all(value.device == device for value in arrays.values()), arrays.keys()


def test_partial_fit_refuses_a_chunk_of_another_namespace(namespace, data):
    X, y = data
    with sklearn.config_context(array_api_dispatch=True):
        clf = SigmoidPerceptronClassifier(solver="adam").partial_fit(
            to_xp(namespace, X), y, classes=[0, 1, 2]
        )
        with pytest.raises(ValueError, match="must use the same namespace"):
            clf.partial_fit(X, y)


@pytest.mark.parametrize("solver", SOLVERS)
def test_an_interrupted_refit_on_the_device_leaves_the_estimator_as_it_was(
    namespace, data, solver, monkeypatch
):
    """docs/contract.md, "State is never half-written": an exception in the middle
    of fit changes nothing, here too."""
    from sk_backprop._core.objective import ArrayObjective

    X, y = data
    X_xp, y_xp = to_xp(namespace, X), to_xp(namespace, y)
    with sklearn.config_context(array_api_dispatch=True):
        clf = SigmoidPerceptronClassifier(
            (4,), solver=solver, max_iter=5, tol=None, random_state=0
        ).fit(X_xp, y_xp)
        before = {k: v for k, v in vars(clf).items()}
        coefs = [to_np(coef).copy() for coef in clf.coefs_]
        calls = []
        original = ArrayObjective.__call__

        def interrupted(self, theta, rows=None):
            calls.append(1)
            if len(calls) == 3:
                raise KeyboardInterrupt
            return original(self, theta, rows)

        monkeypatch.setattr(ArrayObjective, "__call__", interrupted)
        with pytest.raises(KeyboardInterrupt):
            clf.set_params(max_iter=7, alpha=0.1).fit(X_xp, y_xp)
    assert vars(clf).keys() == before.keys()
    assert all(vars(clf)[k] is v for k, v in before.items() if k.endswith("_"))
    for coef, expected in zip(clf.coefs_, coefs):
        np.testing.assert_array_equal(to_np(coef), expected)
