"""Mini-batch solvers, partial_fit and early stopping, on the one objective."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from sk_backprop import SigmoidPerceptronClassifier
from conftest import fitted_objective

from sk_backprop._network import Layout, Objective, initial_theta

MINI_BATCH = ["sgd", "adam"]


@pytest.fixture(scope="module")
def large_data():
    X, y = make_classification(
        n_samples=20_000, n_features=20, n_informative=10, n_classes=3, random_state=0
    )
    return StandardScaler().fit_transform(X), y


def test_batch_objectives_of_one_pass_average_to_the_objective():
    rng = np.random.RandomState(0)
    X, Y = rng.normal(size=(23, 4)), rng.randint(0, 2, size=(23, 1)).astype(float)
    weights = rng.uniform(0, 3, size=23)
    layout = Layout.from_sizes(4, (3,), 1, True)
    theta = initial_theta(layout, rng, np.float64)
    objective = Objective(X, Y, weights, layout=layout, loss="log_loss", alpha=0.3)
    batches = [slice(0, 10), slice(10, 20), slice(20, 23)]
    average = sum(objective(theta, rows)[0] * (rows.stop - rows.start) for rows in batches) / 23
    average_gradient = sum(objective(theta, rows)[1] * (rows.stop - rows.start) for rows in batches) / 23
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
    clf = SigmoidPerceptronClassifier(solver="sgd").partial_fit([[0.0], [1.0]], [0, 1], classes=[0, 1])
    with pytest.raises(ValueError, match=r"labels \[2\] that were not declared"):
        clf.partial_fit([[2.0]], [2])


def test_partial_fit_refuses_other_classes_later():
    clf = SigmoidPerceptronClassifier(solver="sgd").partial_fit([[0.0], [1.0]], [0, 1], classes=[0, 1])
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


@pytest.mark.parametrize("solver", ["lbfgs", "gd", *MINI_BATCH])
def test_early_stopping_stops_and_restores_the_best_weights(solver):
    X, y = make_classification(n_samples=2000, n_features=20, flip_y=0.2, random_state=0)
    clf = SigmoidPerceptronClassifier(
        (32,), solver=solver, early_stopping=True, max_iter=500, random_state=0
    ).fit(X, y)
    assert clf.n_iter_ < 500
    assert len(clf.validation_scores_) == clf.n_iter_ == len(clf.loss_curve_)
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    # The returned weights are the best epoch's, not the last's.
    best_epoch = int(np.argmax(clf.validation_scores_))
    assert best_epoch < clf.n_iter_ - 1


def test_early_stopping_is_reproducible_with_random_state():
    X, y = make_classification(n_samples=500, random_state=0)
    fits = [
        SigmoidPerceptronClassifier((8,), solver="sgd", early_stopping=True, random_state=3).fit(X, y)
        for _ in range(2)
    ]
    assert fits[0].validation_scores_ == fits[1].validation_scores_
    np.testing.assert_array_equal(fits[0].coefs_[0], fits[1].coefs_[0])


def test_early_stopping_on_too_little_data_names_the_parameter():
    with pytest.raises(ValueError, match="The validation set is too small"):
        SigmoidPerceptronClassifier(early_stopping=True).fit([[0.0], [1.0], [2.0]], [0, 1, 2])


def test_mini_batch_divergence_names_learning_rate():
    X, y = make_classification(n_samples=300, random_state=0)
    clf = SigmoidPerceptronClassifier(solver="sgd", learning_rate=1e300, tol=None)
    with pytest.raises(ValueError, match="diverged.*learning_rate"):
        clf.fit(X * 1e3, y)


def test_verbose_lines_carry_the_validation_score(capsys):
    X, y = make_classification(n_samples=300, random_state=0)
    SigmoidPerceptronClassifier(solver="adam", early_stopping=True, max_iter=3, tol=None, verbose=1).fit(X, y)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    assert "validation score = " in lines[0] and "elapsed = " in lines[0]


def test_verbose_2_shows_progress_with_an_eta(capsys):
    X, y = make_classification(n_samples=300, random_state=0)
    SigmoidPerceptronClassifier(solver="sgd", max_iter=4, tol=None, verbose=2).fit(X, y)
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "ETA" in text or "4/4" in text  # plain lines, or tqdm's bar


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


def test_early_stopping_loss_is_that_of_the_restored_epoch():
    X, y = make_classification(n_samples=2000, n_features=20, flip_y=0.2, random_state=0)
    clf = SigmoidPerceptronClassifier(
        (32,), early_stopping=True, max_iter=500, random_state=0
    ).fit(X, y)
    best_epoch = int(np.argmax(clf.validation_scores_))
    assert best_epoch < clf.n_iter_ - 1  # the last epoch is not the one returned
    # L-BFGS records J of each iterate exactly, so the restored weights' J is there.
    assert clf.loss_ == pytest.approx(clf.loss_curve_[best_epoch], rel=1e-10)
