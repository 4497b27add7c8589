"""Every wrong input gets a clear error; no input, however extreme, gives NaN."""

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.exceptions import ConvergenceWarning, NotFittedError

from sk_backprop import SigmoidPerceptronClassifier

X = np.array([[0.0, 1.0, 2.0], [1.0, 0.0, 1.0], [2.0, 1.0, 0.0], [1.0, 2.0, 1.0]])
y = np.array([0, 1, 0, 1])


@pytest.mark.parametrize("bad, message", [(np.nan, "NaN"), (np.inf, "infinity")])
def test_nan_or_inf_in_X_is_refused(bad, message):
    X_bad = X.copy()
    X_bad[1, 2] = bad
    with pytest.raises(ValueError, match=message):
        SigmoidPerceptronClassifier().fit(X_bad, y)
    fitted = SigmoidPerceptronClassifier().fit(X, y)
    with pytest.raises(ValueError, match=message):
        fitted.predict_proba(X_bad)


def test_wrong_number_of_features_is_refused():
    clf = SigmoidPerceptronClassifier().fit(X, y)
    with pytest.raises(
        ValueError, match="X has 2 features, but SigmoidPerceptronClassifier is expecting 3"
    ):
        clf.predict(X[:, :2])


def test_one_class_is_refused():
    with pytest.raises(ValueError, match="only one class"):
        SigmoidPerceptronClassifier().fit(X, np.zeros(4))


def test_continuous_y_is_refused():
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        SigmoidPerceptronClassifier().fit(X, [0.1, 0.5, 1.7, 2.2])


def test_negative_sample_weight_is_refused():
    with pytest.raises(ValueError, match="Negative values in data passed to `sample_weight`"):
        SigmoidPerceptronClassifier().fit(X, y, sample_weight=[1, -1, 1, 1])


def test_all_zero_sample_weight_is_refused():
    with pytest.raises(ValueError, match="at least one non-zero"):
        SigmoidPerceptronClassifier().fit(X, y, sample_weight=np.zeros(4))


def test_zero_weight_from_class_weight_is_refused():
    with pytest.raises(ValueError, match="zero for every sample"):
        SigmoidPerceptronClassifier(class_weight={0: 0, 1: 0}).fit(X, y)


def test_sample_weight_of_wrong_length_is_refused():
    with pytest.raises(ValueError, match=r"sample_weight.shape == \(3,\), expected \(4,\)"):
        SigmoidPerceptronClassifier().fit(X, y, sample_weight=[1, 1, 1])


@pytest.mark.parametrize(
    "params, name",
    [
        (dict(solver="newton"), "solver"),
        (dict(loss="hinge"), "loss"),
        (dict(learning_rate=-1.0), "learning_rate"),
        (dict(learning_rate="optimal"), "learning_rate"),
        (dict(alpha=-1), "alpha"),
        (dict(max_iter=0), "max_iter"),
        (dict(tol=-1.0), "tol"),
        (dict(class_weight="unbalanced"), "class_weight"),
        (dict(hidden_layer_sizes=0), "hidden_layer_sizes"),
    ],
)
def test_unknown_parameter_values_name_the_parameter(params, name):
    with pytest.raises(ValueError, match=f"'{name}' parameter"):
        SigmoidPerceptronClassifier(**params).fit(X, y)


@pytest.mark.parametrize("sizes", [(3, 0), (2.5,), ("4",)])
def test_hidden_layer_sizes_must_be_positive_integers(sizes):
    with pytest.raises(ValueError, match="hidden_layer_sizes must hold positive integers"):
        SigmoidPerceptronClassifier(hidden_layer_sizes=sizes).fit(X, y)


def test_class_weight_for_multilabel_is_refused():
    Y = np.array([[0, 1], [1, 0], [1, 1], [0, 0]])
    with pytest.raises(ValueError, match="class_weight is not supported for multilabel"):
        SigmoidPerceptronClassifier(class_weight="balanced").fit(X, Y)


def test_class_weight_naming_an_unknown_class_is_refused():
    with pytest.raises(ValueError, match="not in class_weight|not found"):
        SigmoidPerceptronClassifier(class_weight={0: 1, 5: 2}).fit(X, y)


def test_complex_X_is_refused():
    with pytest.raises(ValueError, match="Complex data not supported"):
        SigmoidPerceptronClassifier().fit(X + 1j, y)


def test_predict_before_fit_is_refused():
    with pytest.raises(NotFittedError):
        SigmoidPerceptronClassifier().predict(X)


def test_coef_is_absent_with_hidden_layers():
    clf = SigmoidPerceptronClassifier((2,), random_state=0).fit(X, y)
    with pytest.raises(AttributeError, match="without hidden layers"):
        clf.coef_  # noqa: B018 (the attribute access is the test)


def test_too_large_a_fixed_step_stops_with_an_error_naming_learning_rate():
    rng = np.random.RandomState(0)
    X_train = rng.normal(size=(50, 3))
    y_train = (X_train[:, 0] > 0).astype(int)
    # alpha * step = 10 > 2: each epoch multiplies the weights by about -9.
    clf = SigmoidPerceptronClassifier(solver="gd", learning_rate=1e5, tol=None, max_iter=1000)
    with pytest.raises(ValueError, match=r"diverged.*learning_rate=100000\.0"):
        clf.fit(X_train, y_train)
    assert not hasattr(clf, "coefs_")


def test_a_step_that_overflows_stops_at_once():
    rng = np.random.RandomState(0)
    X_train = rng.normal(size=(20, 3)) * 1e3
    y_train = (X_train[:, 0] > 0).astype(int)
    clf = SigmoidPerceptronClassifier(solver="gd", learning_rate=1e305, max_iter=1000, tol=None)
    with pytest.raises(ValueError, match="became .*by epoch [12]:.*learning_rate"):
        clf.fit(X_train, y_train)


@pytest.mark.parametrize("hidden", [(), (3,)])
@pytest.mark.parametrize("solver", ["lbfgs", "gd"])
@pytest.mark.parametrize("scale", [1e300, 1e-300])
def test_extreme_values_give_finite_probabilities_without_warnings(hidden, solver, scale):
    X_extreme = np.vstack([X * scale, -X * scale])
    y_extreme = np.r_[y, 1 - y]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = SigmoidPerceptronClassifier(hidden, solver=solver, random_state=0)
        proba = clf.fit(X_extreme, y_extreme).predict_proba(np.vstack([X_extreme, X]))
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1)


def test_constant_columns_and_one_sample_per_class_fit():
    X_odd = np.array([[5.0, 0.0, 1.0], [5.0, 0.0, -1.0], [5.0, 0.0, 3.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf = SigmoidPerceptronClassifier((2,), random_state=0).fit(X_odd, ["a", "b", "c"])
    proba = clf.predict_proba(X_odd)
    assert np.isfinite(proba).all()
    assert list(clf.predict(X_odd)) == ["a", "b", "c"]


def test_probabilities_stay_finite_when_every_output_underflows():
    clf = SigmoidPerceptronClassifier().fit(X, [0, 1, 2, 1])
    far = np.array([[1e6, -1e6, 1e6]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        proba = clf.predict_proba(far)
        log_proba = clf.predict_log_proba(far)
    assert np.isfinite(proba).all() and np.isfinite(log_proba).all()
    assert proba.sum() == pytest.approx(1)


finite_values = st.floats(-1e300, 1e300, allow_nan=False, allow_infinity=False)


@st.composite
def problems(draw):
    n_samples = draw(st.integers(1, 25))
    n_features = draw(st.integers(1, 4))
    values = draw(
        st.one_of(
            arrays(np.float64, (n_samples, n_features), elements=finite_values),
            arrays(np.float64, (n_samples, n_features), elements=st.floats(-5, 5)),
            arrays(np.float64, (n_samples, n_features), elements=st.floats(allow_nan=True)),
        )
    )
    labels = draw(
        st.lists(
            st.one_of(st.sampled_from([0, 1, 2]), st.sampled_from(["x", "y"])),
            min_size=n_samples,
            max_size=n_samples,
        )
    )
    weights = draw(
        st.none() | arrays(np.float64, n_samples, elements=st.floats(-1, 10, allow_nan=False))
    )
    params = dict(
        hidden_layer_sizes=draw(st.sampled_from([(), (2,), (3, 2)])),
        solver=draw(st.sampled_from(["lbfgs", "gd"])),
        loss=draw(st.sampled_from(["log_loss", "squared_error"])),
        max_iter=20,
        random_state=0,
    )
    return values, labels, weights, params


# derandomize: CI runs the same examples every time; a case found once is kept below.
@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(problems())
@example(  # scikit-learn's finiteness check summed these to inf - inf and warned
    (
        np.array([[-2.2e307] * 3, [-2.2e307] * 3, [-2.2e307, -2.2e307, np.inf]]),
        [0, 0, 0],
        None,
        dict(hidden_layer_sizes=(), solver="lbfgs", loss="log_loss", max_iter=20, random_state=0),
    )
)
def test_every_input_either_fits_with_valid_probabilities_or_raises_a_value_error(problem):
    values, labels, weights, params = problem
    clf = SigmoidPerceptronClassifier(**params)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", ConvergenceWarning)
        try:
            clf.fit(values, labels, sample_weight=weights)
        except ValueError as error:
            assert str(error)  # a message, never a bare exception
            event("refused")
            return
        proba = clf.predict_proba(values)
    event("fitted")
    assert np.isfinite(proba).all()
    assert (proba >= 0).all() and (proba <= 1).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-12)
    assert set(clf.predict(values)) <= set(clf.classes_)


# ---------------------------------------------- inputs a fault campaign found


def test_a_2d_y_that_is_not_0_1_is_refused():
    y = np.c_[[1, 1, 1, 2, 2, 2], [1, 1, 1, 2, 2, 2]]
    with pytest.raises(ValueError, match="Expected only 0s and 1s in label indicator"):
        SigmoidPerceptronClassifier().fit(np.arange(12.0).reshape(6, 2), y)


def test_partial_fit_with_a_single_declared_class_is_refused():
    with pytest.raises(ValueError, match="contains only one class"):
        SigmoidPerceptronClassifier(solver="sgd").partial_fit([[0.0], [1.0]], [0, 0], classes=[0])


def test_a_sparse_multilabel_y_fits_as_the_dense_one():
    from scipy import sparse

    rng = np.random.RandomState(0)
    X = rng.normal(size=(50, 3))
    Y = (X[:, :2] > 0).astype(int)
    dense = SigmoidPerceptronClassifier().fit(X, Y)
    sparse_fit = SigmoidPerceptronClassifier().fit(X, sparse.csr_matrix(Y))
    np.testing.assert_array_equal(dense.coefs_[0], sparse_fit.coefs_[0])


@pytest.mark.parametrize("scale", [1.7e308 / 3, 5e-324])
def test_sample_weight_of_any_finite_scale_fits_as_unit_weights(scale):
    X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
    weights = np.array([1.0, 2.0, 3.0, 1.0]) if scale > 1 else np.ones(4)
    reference = SigmoidPerceptronClassifier().fit(X, y, sample_weight=weights)
    scaled = SigmoidPerceptronClassifier().fit(X, y, sample_weight=weights * scale)
    np.testing.assert_allclose(scaled.coefs_[0], reference.coefs_[0], rtol=1e-12)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_a_scalar_nan_or_inf_sample_weight_names_sample_weight(bad):
    with pytest.raises(ValueError, match="sample_weight must be finite"):
        SigmoidPerceptronClassifier().fit([[0.0], [1.0]], [0, 1], sample_weight=bad)


def test_balanced_class_weight_in_partial_fit_is_refused_as_sgdclassifier_does():
    clf = SigmoidPerceptronClassifier(solver="sgd", class_weight="balanced")
    with pytest.raises(
        ValueError, match="class_weight 'balanced' is not supported for partial_fit"
    ):
        clf.partial_fit([[0.0], [1.0]], [0, 1], classes=[0, 1])


def test_n_iter_no_change_may_be_infinite_as_in_mlpclassifier():
    clf = SigmoidPerceptronClassifier(solver="gd", n_iter_no_change=np.inf, max_iter=40)
    with pytest.warns(ConvergenceWarning):
        clf.fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
    assert clf.n_iter_ == 40


def test_validation_rows_of_zero_weight_only_are_refused():
    X, y = np.arange(40.0).reshape(20, 2), [0, 1] * 10
    with pytest.raises(ValueError, match=r"(?i)non-zero|zero weight"):
        SigmoidPerceptronClassifier(early_stopping=True).fit(
            X[:10], y[:10], X_val=X[10:], y_val=y[10:], sample_weight_val=np.zeros(10)
        )


def test_a_refit_without_early_stopping_removes_the_validation_attributes():
    X, y = np.random.RandomState(0).normal(size=(60, 3)), [0, 1, 2] * 20
    clf = SigmoidPerceptronClassifier(early_stopping=True, max_iter=5).fit(X, y)
    assert hasattr(clf, "validation_scores_")
    clf.set_params(early_stopping=False).fit(X, y)
    assert not hasattr(clf, "validation_scores_")
    assert not hasattr(clf, "best_validation_score_")


def test_a_warm_refit_without_early_stopping_removes_the_validation_attributes():
    X, y = np.random.RandomState(0).normal(size=(60, 3)), [0, 1, 2] * 20
    clf = SigmoidPerceptronClassifier(early_stopping=True, warm_start=True, max_iter=5)
    clf.fit(X, y).set_params(early_stopping=False).fit(X, y)
    assert not hasattr(clf, "validation_scores_")
    assert not hasattr(clf, "best_validation_score_")


def test_a_warm_start_continues_both_curves():
    X, y = np.random.RandomState(0).normal(size=(60, 3)), [0, 1, 2] * 20
    clf = SigmoidPerceptronClassifier(
        early_stopping=True, warm_start=True, max_iter=3, tol=None
    ).fit(X, y)
    clf.fit(X, y)
    assert len(clf.loss_curve_) == len(clf.validation_scores_) == 6


def test_the_warm_start_class_check_uses_mlpclassifiers_words():
    clf = SigmoidPerceptronClassifier(warm_start=True).fit([[0.0], [1.0]], [0, 1])
    with pytest.raises(
        ValueError, match="warm_start can only be used where `y` has the same classes"
    ):
        clf.fit([[0.0], [1.0], [2.0]], [0, 1, 2])


def test_x_val_without_early_stopping_is_refused_as_in_histgradientboosting():
    with pytest.raises(ValueError, match="early_stopping is False"):
        SigmoidPerceptronClassifier().fit([[0.0], [1.0]], [0, 1], X_val=[[0.0]], y_val=[0])


def test_adam_on_extreme_gradients_warns_nothing_and_names_learning_rate():
    X = np.array([[1e200], [-1e200], [1e200], [-1e200]])
    clf = SigmoidPerceptronClassifier(solver="adam", learning_rate=1e150, tol=None, max_iter=3)
    try:  # RuntimeWarnings are errors in this suite (pyproject.toml)
        clf.fit(X, [0, 1, 0, 1])
    except ValueError as error:
        assert "learning_rate" in str(error)
    else:
        assert np.isfinite(clf.predict_proba(X)).all()


def test_a_pickle_from_another_version_warns():
    import pickle

    from sklearn.exceptions import InconsistentVersionWarning

    clf = SigmoidPerceptronClassifier().fit([[0.0], [1.0]], [0, 1])
    state = clf.__getstate__()
    assert state["_sk_backprop_version"] == __import__("sk_backprop").__version__
    state["_sk_backprop_version"] = "0.0.1"
    with pytest.warns(InconsistentVersionWarning, match="0.0.1"):
        SigmoidPerceptronClassifier().__setstate__(state)
    pickle.loads(pickle.dumps(clf))  # the same version: no warning


def test_x_val_with_another_number_of_features_is_refused_on_a_first_fit():
    clf = SigmoidPerceptronClassifier(early_stopping=True)
    with pytest.raises(
        ValueError, match="X_val: X has 3 features, but SigmoidPerceptronClassifier is expecting 2"
    ):
        clf.fit([[0.0, 1.0], [1.0, 0.0]] * 5, [0, 1] * 5, X_val=[[0.0, 1.0, 2.0]] * 2, y_val=[0, 1])
    assert not hasattr(clf, "n_features_in_")
