"""The estimator's contract: objective, targets, inputs, fitted attributes."""

import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import load_breast_cancer, load_iris, make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import StandardScaler

from sk_backprop import SigmoidPerceptronClassifier

TIGHT = dict(tol=1e-10, max_iter=10_000, random_state=0)
WELL_POSED = dict(alpha=1e-2, **TIGHT)


def assert_same_optimum(coef, reference, objective, alpha):
    """Two solutions of one alpha-strongly-convex objective J agree to the optimiser's precision.

    L-BFGS-B stops once J's relative decrease is below ftol = 64 eps, so
    J - J* <~ 64 eps J, and strong convexity gives
    ||w - w*|| <= sqrt(2 (J - J*) / alpha), for each of the two fits.
    """
    bound = 2 * np.sqrt(2 * 64 * np.finfo(float).eps * objective / alpha)
    np.testing.assert_allclose(coef, reference, rtol=0, atol=bound)


@pytest.fixture(scope="module")
def binary_data():
    X, y = load_breast_cancer(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def multiclass_data():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def test_no_hidden_layer_log_loss_reaches_the_logistic_regression_optimum(binary_data):
    X, y = binary_data
    sample_weight = np.random.RandomState(0).uniform(0.5, 2.0, size=len(y))
    alpha = 1e-2
    ours = SigmoidPerceptronClassifier(alpha=alpha, **TIGHT).fit(X, y, sample_weight)
    reference = LogisticRegression(C=1 / (alpha * sample_weight.sum()), tol=1e-10, max_iter=10_000)
    reference.fit(X, y, sample_weight=sample_weight)
    assert_same_optimum(ours.coef_, reference.coef_, ours.loss_, alpha)
    assert_same_optimum(ours.intercept_, reference.intercept_, ours.loss_, alpha)


def test_multiclass_without_hidden_layer_is_one_vs_rest_logistic_regression(multiclass_data):
    X, y = multiclass_data
    alpha = 1e-2
    ours = SigmoidPerceptronClassifier(alpha=alpha, **TIGHT).fit(X, y)
    reference = OneVsRestClassifier(
        LogisticRegression(C=1 / (alpha * len(y)), tol=1e-10, max_iter=10_000)
    )
    reference.fit(X, y)
    expected = np.vstack([estimator.coef_ for estimator in reference.estimators_])
    assert_same_optimum(ours.coef_, expected, ours.loss_, alpha)


def test_gd_with_line_search_reaches_the_lbfgs_optimum(binary_data):
    X, y = binary_data
    lbfgs = SigmoidPerceptronClassifier(alpha=1e-2, **TIGHT).fit(X, y)
    gd = SigmoidPerceptronClassifier(alpha=1e-2, solver="gd", tol=1e-12, max_iter=20_000)
    gd.fit(X, y)
    assert gd.loss_ == pytest.approx(lbfgs.loss_, rel=1e-6)


@pytest.mark.parametrize("solver", ["lbfgs", "gd", "sgd", "adam"])
def test_loss_curve_records_the_objective_of_each_epoch(binary_data, solver):
    X, y = binary_data
    clf = SigmoidPerceptronClassifier((5,), solver=solver, max_iter=50, tol=None)
    clf.set_params(random_state=0).fit(X, y)
    assert len(clf.loss_curve_) == clf.n_iter_ == 50
    assert clf.best_loss_ == min(clf.loss_curve_)
    assert clf.loss_curve_[-1] < clf.loss_curve_[0]
    if solver in ("lbfgs", "gd"):  # they record J of the weights they end at
        assert clf.loss_ == clf.loss_curve_[-1]
    if solver == "gd":  # the line search accepts only decreases
        assert np.all(np.diff(clf.loss_curve_) < 0)


def test_binary_answers_have_sklearn_shapes(binary_data):
    X, y = binary_data
    clf = SigmoidPerceptronClassifier().fit(X, y)
    proba = clf.predict_proba(X)
    assert clf.decision_function(X).shape == (len(y),)
    assert proba.shape == (len(y), 2)
    np.testing.assert_allclose(proba[:, 1], 1 / (1 + np.exp(-clf.decision_function(X))))
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    assert clf.coef_.shape == (1, X.shape[1])
    assert clf.intercept_.shape == (1,)
    assert clf.n_outputs_ == 1 and clf.n_layers_ == 2


def test_multiclass_probabilities_are_the_normalised_sigmoid_outputs(multiclass_data):
    X, y = multiclass_data
    clf = SigmoidPerceptronClassifier((6,), random_state=0).fit(X, y)
    outputs = 1 / (1 + np.exp(-clf.decision_function(X)))
    np.testing.assert_allclose(clf.predict_proba(X), outputs / outputs.sum(axis=1, keepdims=True))
    np.testing.assert_allclose(clf.predict_log_proba(X), np.log(clf.predict_proba(X)))
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[outputs.argmax(axis=1)])
    assert clf.decision_function(X).shape == (len(y), 3)
    assert not hasattr(clf, "coef_") and not hasattr(clf, "intercept_")
    assert [c.shape for c in clf.coefs_] == [(4, 6), (6, 3)]
    assert clf.n_layers_ == 3


def test_multilabel_outputs_are_independent_sigmoids():
    X, Y = make_multilabel()
    clf = SigmoidPerceptronClassifier((8,), random_state=0).fit(X, Y)
    proba = clf.predict_proba(X)
    assert proba.shape == Y.shape
    np.testing.assert_allclose(proba, 1 / (1 + np.exp(-clf.decision_function(X))))
    np.testing.assert_array_equal(clf.predict(X), (proba > 0.5).astype(int))
    assert clf.score(X, Y) > 0.5  # subset accuracy, far above chance (1/8)


def make_multilabel():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 4))
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] + X[:, 2] > 0, X[:, 3] > 0.5]).astype(int)
    return X, Y


@pytest.mark.parametrize(
    "labels", [np.array(["spam", "ham"]), np.array([True, False]), np.array([-3, 7])]
)
def test_labels_of_any_type_are_returned_as_given(binary_data, labels):
    X, y = binary_data
    clf = SigmoidPerceptronClassifier().fit(X, labels[y])
    np.testing.assert_array_equal(clf.classes_, np.sort(labels))
    assert clf.predict(X).dtype == labels.dtype
    assert clf.score(X, labels[y]) > 0.95


def test_float32_is_trained_and_answered_in_float32(multiclass_data):
    X, y = multiclass_data
    clf = SigmoidPerceptronClassifier((5,), random_state=0).fit(X.astype(np.float32), y)
    X32 = X.astype(np.float32)
    assert all(c.dtype == np.float32 for c in clf.coefs_ + clf.intercepts_)
    for method in ("predict_proba", "predict_log_proba", "decision_function"):
        assert getattr(clf, method)(X32).dtype == np.float32
    reference = SigmoidPerceptronClassifier((5,), random_state=0).fit(X, y)
    assert clf.score(X, y) == pytest.approx(reference.score(X, y), abs=0.02)


@pytest.mark.parametrize("container", [sparse.csr_matrix, sparse.csc_matrix, sparse.csr_array])
def test_sparse_input_fits_the_same_model_as_dense(container):
    X, y = make_classification(n_samples=120, n_features=10, random_state=0)
    X[np.abs(X) < 0.8] = 0
    dense = SigmoidPerceptronClassifier((3,), **WELL_POSED).fit(X, y)
    sparse_fit = SigmoidPerceptronClassifier((3,), **WELL_POSED)
    sparse_fit.fit(container(X), y)
    for ours, theirs in zip(sparse_fit.coefs_, dense.coefs_):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(
        sparse_fit.predict_proba(container(X)), dense.predict_proba(X), rtol=1e-6
    )


def test_dataframe_input_records_feature_names(binary_data):
    pd = pytest.importorskip("pandas")
    X, y = binary_data
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    clf = SigmoidPerceptronClassifier().fit(frame, pd.Series(y))
    np.testing.assert_array_equal(clf.feature_names_in_, frame.columns)
    assert clf.n_features_in_ == X.shape[1]


def test_zero_sample_weight_equals_dropping_the_sample(binary_data):
    X, y = binary_data
    weight = np.ones(len(y))
    weight[::3] = 0
    weighted = SigmoidPerceptronClassifier(**WELL_POSED).fit(X, y, sample_weight=weight)
    dropped = SigmoidPerceptronClassifier(**WELL_POSED).fit(X[weight > 0], y[weight > 0])
    assert_same_optimum(weighted.coef_, dropped.coef_, weighted.loss_, alpha=1e-2)


def test_class_weight_multiplies_sample_weight(multiclass_data):
    X, y = multiclass_data
    class_weight = {0: 3.0, 1: 1.0, 2: 0.5}
    by_class = SigmoidPerceptronClassifier(class_weight=class_weight, **WELL_POSED)
    by_class.fit(X, y)
    by_sample = SigmoidPerceptronClassifier(**WELL_POSED).fit(
        X, y, sample_weight=np.array([3.0, 1.0, 0.5])[y]
    )
    assert_same_optimum(by_class.coef_, by_sample.coef_, by_class.loss_, alpha=1e-2)


def test_balanced_class_weight_raises_recall_of_the_rare_class():
    X, y = make_classification(
        n_samples=600, weights=[0.95], class_sep=0.5, flip_y=0, random_state=0
    )
    plain = SigmoidPerceptronClassifier().fit(X, y)
    balanced = SigmoidPerceptronClassifier(class_weight="balanced").fit(X, y)
    assert balanced.predict(X)[y == 1].mean() > plain.predict(X)[y == 1].mean()


def test_user_inputs_are_not_mutated(binary_data):
    X, y = binary_data
    X_copy, y_copy = X.copy(), y.copy()
    weight = np.linspace(0.5, 1.5, len(y))
    weight_copy = weight.copy()
    SigmoidPerceptronClassifier(class_weight="balanced").fit(X, y, sample_weight=weight)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(y, y_copy)
    np.testing.assert_array_equal(weight, weight_copy)


def test_no_intercept_means_zero_intercepts(binary_data):
    X, y = binary_data
    clf = SigmoidPerceptronClassifier((3,), fit_intercept=False, random_state=0).fit(X, y)
    assert all(np.all(b == 0) for b in clf.intercepts_)
    linear = SigmoidPerceptronClassifier(fit_intercept=False).fit(X, y)
    assert linear.decision_function(np.zeros((1, X.shape[1])))[0] == 0.0


def test_warm_start_continues_from_the_previous_weights(binary_data):
    X, y = binary_data
    params = dict(solver="gd", learning_rate=0.1, tol=None, random_state=0)
    clf = SigmoidPerceptronClassifier((4,), max_iter=5, warm_start=True, **params).fit(X, y)
    first_curve = list(clf.loss_curve_)
    clf.fit(X, y)
    assert clf.loss_curve_[:5] == first_curve
    assert len(clf.loss_curve_) == 10 and clf.n_iter_ == 5
    assert clf.t_ == 10 * len(y)
    cold = SigmoidPerceptronClassifier((4,), max_iter=10, **params)
    np.testing.assert_allclose(cold.fit(X, y).loss_curve_, clf.loss_curve_, rtol=1e-12)


def test_warm_start_with_other_classes_is_refused(multiclass_data):
    X, y = multiclass_data
    clf = SigmoidPerceptronClassifier(warm_start=True).fit(X, y)
    with pytest.raises(ValueError, match="same classes"):
        clf.fit(X[y < 2], y[y < 2])


def test_warm_start_with_another_network_is_refused(multiclass_data):
    X, y = multiclass_data
    clf = SigmoidPerceptronClassifier(warm_start=True).fit(X, y)
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        clf.set_params(hidden_layer_sizes=(3,)).fit(X, y)


def test_verbose_prints_one_line_per_epoch(binary_data, capsys):
    X, y = binary_data
    clf = SigmoidPerceptronClassifier(solver="gd", max_iter=3, tol=None, verbose=1).fit(X, y)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == clf.n_iter_ + 1 == 4
    assert lines[0].startswith("Epoch 1, objective = ")
    assert lines[-1] == "Reached max_iter=3 epochs."  # why it ended, last


def test_silent_when_verbose_is_zero(binary_data, capsys):
    SigmoidPerceptronClassifier(max_iter=500).fit(*binary_data)
    assert capsys.readouterr().out == ""


def test_an_int_hidden_layer_size_means_one_layer(binary_data):
    clf = SigmoidPerceptronClassifier(3, random_state=0).fit(*binary_data)
    assert [c.shape[1] for c in clf.coefs_] == [3, 1]
