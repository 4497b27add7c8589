"""The seed notebook reproduced, and what a hidden layer adds to it: XOR."""

import numpy as np
import pytest

from sk_backprop import SigmoidPerceptronClassifier

SEED_X = [[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]]
SEED_Y = [0, 1, 1, 0]
XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]]
XOR_Y = [0, 1, 1, 0]


def seed_classifier(**params):
    # The notebook sums the gradient of 4 samples with step 1; our gradient is
    # their mean, so the same step is learning_rate=4.
    seed_params = dict(
        loss="squared_error",
        solver="gd",
        learning_rate=4.0,
        max_iter=10_000,
        tol=None,
        alpha=0.0,
        fit_intercept=False,
    )
    return SigmoidPerceptronClassifier(**{**seed_params, **params})


@pytest.mark.parametrize("seed", [0, 1, 2, 42])
def test_seed_prediction_is_reproduced_from_any_initialisation(seed):
    # Without hidden layers the estimator starts from zero; other starts are set
    # through warm_start, as a user would.
    start = np.random.RandomState(seed).uniform(-3, 3, size=(3, 1))
    clf = seed_classifier(max_iter=1).fit(SEED_X, SEED_Y)
    clf.coefs_ = [start]
    clf.set_params(warm_start=True, max_iter=10_000).fit(SEED_X, SEED_Y)
    assert clf.predict_proba([[1, 0, 0]])[0, 1] == pytest.approx(0.99993703, abs=1e-6)


def test_seed_prediction_from_the_default_start():
    clf = seed_classifier(random_state=0).fit(SEED_X, SEED_Y)
    assert clf.predict_proba([[1, 0, 0]])[0, 1] == pytest.approx(0.99993703, abs=1e-6)


def test_seed_loop_from_the_seed_weights_matches_the_notebook_to_rounding():
    """The notebook's own initial weights, via warm_start, give its exact loop."""
    np.random.seed(0)  # noqa: NPY002 (the notebook's own generator)
    notebook_weights = 2 * np.random.random((3, 1)) - 1  # noqa: NPY002
    clf = seed_classifier(max_iter=1).fit(SEED_X, SEED_Y)
    clf.coefs_ = [notebook_weights.copy()]
    clf.set_params(warm_start=True, max_iter=10_000).fit(SEED_X, SEED_Y)
    assert clf.predict_proba([[1, 0, 0]])[0, 1] == pytest.approx(0.9999370304598478, rel=1e-12)


def test_seed_runs_exactly_max_iter_epochs_when_tol_is_none():
    clf = seed_classifier(random_state=0).fit(SEED_X, SEED_Y)
    assert clf.n_iter_ == 10_000
    assert len(clf.loss_curve_) == 10_000
    assert clf.t_ == 40_000


@pytest.mark.parametrize("hidden_layer_sizes", [(4,), (4, 3)])
@pytest.mark.parametrize("random_state", range(20))
def test_xor_is_learnt_with_hidden_layers_from_any_random_state(hidden_layer_sizes, random_state):
    clf = SigmoidPerceptronClassifier(hidden_layer_sizes, random_state=random_state)
    assert clf.fit(XOR_X, XOR_Y).score(XOR_X, XOR_Y) == 1.0


@pytest.mark.parametrize("random_state", range(5))
def test_xor_is_learnt_by_full_batch_gradient_descent(random_state):
    clf = SigmoidPerceptronClassifier(
        (4,), solver="gd", max_iter=3000, tol=None, random_state=random_state
    )
    assert clf.fit(XOR_X, XOR_Y).score(XOR_X, XOR_Y) == 1.0


def test_xor_is_not_learnt_without_a_hidden_layer():
    # No line separates XOR: at best three of the four points are right.
    clf = SigmoidPerceptronClassifier(alpha=0.0, tol=None, max_iter=500)
    assert clf.fit(XOR_X, XOR_Y).score(XOR_X, XOR_Y) <= 0.75
