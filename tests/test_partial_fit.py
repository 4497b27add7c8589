"""partial_fit: one epoch on a chunk, classes declared once, state carried on."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

from sk_backprop import SigmoidPerceptronClassifier

MINI_BATCH = ["sgd", "adam"]


@pytest.mark.parametrize("solver", ["gd", *MINI_BATCH])
def test_partial_fit_over_chunks_reaches_the_accuracy_of_fit(large_data, solver):
    X, y = large_data
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    params = dict(hidden_layer_sizes=(16,), solver=solver, random_state=0)
    fitted = SigmoidPerceptronClassifier(max_iter=30, tol=None, **params).fit(X_train, y_train)
    streamed = SigmoidPerceptronClassifier(**params)
    chunks = np.array_split(np.arange(len(y_train)), 10)
    for _ in range(30):
        for chunk in chunks:
            streamed.partial_fit(X_train[chunk], y_train[chunk], classes=[0, 1, 2])
    assert streamed.score(X_test, y_test) >= fitted.score(X_test, y_test) - 0.01
    assert streamed.n_iter_ == 300
    assert streamed.t_ == 30 * len(y_train)


def test_partial_fit_is_one_epoch_of_fit():
    X, y = make_classification(n_samples=300, random_state=0)
    params = dict(solver="sgd", shuffle=False, random_state=0, hidden_layer_sizes=(4,))
    fitted = SigmoidPerceptronClassifier(max_iter=1, **params).fit(X, y)
    streamed = SigmoidPerceptronClassifier(**params).partial_fit(X, y, classes=[0, 1])
    for a, b in zip(fitted.coefs_, streamed.coefs_):
        np.testing.assert_array_equal(a, b)


def test_partial_fit_continues_the_optimizer_state():
    """Two half-chunks of partial_fit equal one pass of fit with unshuffled batches."""
    X, y = make_classification(n_samples=400, random_state=0)
    params = dict(solver="adam", shuffle=False, batch_size=100, random_state=0)
    fitted = SigmoidPerceptronClassifier(max_iter=1, **params).fit(X, y)
    streamed = SigmoidPerceptronClassifier(**params)
    streamed.partial_fit(X[:200], y[:200], classes=[0, 1]).partial_fit(X[200:], y[200:])
    np.testing.assert_allclose(fitted.coefs_[0], streamed.coefs_[0], rtol=1e-12)


def test_partial_fit_after_fit_continues_from_the_fitted_weights():
    X, y = make_classification(n_samples=300, random_state=0)
    clf = SigmoidPerceptronClassifier(solver="sgd", random_state=0).fit(X, y)
    before = clf.loss_curve_[:]
    clf.partial_fit(X, y)
    assert clf.loss_curve_[:-1] == before and len(clf.loss_curve_) == len(before) + 1


def test_partial_fit_needs_classes_on_the_first_call():
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        SigmoidPerceptronClassifier(solver="sgd").partial_fit([[0.0], [1.0]], [0, 1])


def test_partial_fit_refuses_an_undeclared_class():
    clf = SigmoidPerceptronClassifier(solver="sgd").partial_fit(
        [[0.0], [1.0]], [0, 1], classes=[0, 1]
    )
    with pytest.raises(ValueError, match=r"labels \[2\] that were not declared"):
        clf.partial_fit([[2.0]], [2])


def test_partial_fit_refuses_other_classes_later():
    clf = SigmoidPerceptronClassifier(solver="sgd").partial_fit(
        [[0.0], [1.0]], [0, 1], classes=[0, 1]
    )
    with pytest.raises(ValueError, match="is not the same as on last call to partial_fit"):
        clf.partial_fit([[0.0]], [0], classes=[0, 1, 2])


def test_partial_fit_accepts_a_chunk_of_one_class():
    clf = SigmoidPerceptronClassifier(solver="adam")
    clf.partial_fit([[0.0], [1.0]], [1, 1], classes=[0, 1])
    assert list(clf.classes_) == [0, 1]


def test_partial_fit_on_multilabel_chunks():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 3))
    Y = (X[:, :2] > 0).astype(int)
    clf = SigmoidPerceptronClassifier(solver="adam", random_state=0)
    for _ in range(20):
        clf.partial_fit(X, Y, classes=[0, 1])
    assert clf.predict_proba(X).shape == (200, 2)
    assert (clf.predict(X) == Y).mean() > 0.9


def test_partial_fit_is_hidden_for_lbfgs():
    assert not hasattr(SigmoidPerceptronClassifier(solver="lbfgs"), "partial_fit")
    assert hasattr(SigmoidPerceptronClassifier(solver="gd"), "partial_fit")


def test_partial_fit_uses_sample_weight():
    X = np.array([[0.0], [0.0]])
    proba = []
    for weights in ([0.0, 1.0], [1.0, 0.0]):  # only one row counts each time
        clf = SigmoidPerceptronClassifier(solver="gd", learning_rate=1.0, random_state=0)
        clf.partial_fit(X, [0, 1], classes=[0, 1], sample_weight=weights)
        proba.append(clf.predict_proba(X[:1])[0, 1])
    assert proba[0] > proba[1]
