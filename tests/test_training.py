"""Early stopping: the held-out split or X_val, the best weights restored."""

import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning

from sk_backprop import SigmoidPerceptronClassifier

MINI_BATCH = ["sgd", "adam"]


@pytest.mark.parametrize("solver", ["lbfgs", "gd", *MINI_BATCH])
def test_early_stopping_stops_and_restores_the_best_weights(solver):
    X, y = make_classification(n_samples=2000, n_features=20, flip_y=0.2, random_state=0)
    clf = SigmoidPerceptronClassifier(
        (32,), solver=solver, early_stopping=True, max_iter=500, random_state=0
    ).fit(X, y)
    assert clf.n_iter_ < 500
    assert len(clf.validation_scores_) == clf.n_iter_ == len(clf.loss_curve_)
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    # The returned weights are the best epoch's, not the last's: the same fit stopped
    # after the best epoch ends on them (the same split and the same steps until then).
    best_epoch = int(np.argmax(clf.validation_scores_))
    assert best_epoch < clf.n_iter_ - 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # stopped by max_iter
        until_best = clone(clf).set_params(max_iter=best_epoch + 1).fit(X, y)
    assert until_best.validation_scores_ == clf.validation_scores_[: best_epoch + 1]
    for returned, best in zip(
        clf.coefs_ + clf.intercepts_, until_best.coefs_ + until_best.intercepts_
    ):
        np.testing.assert_array_equal(returned, best)


def test_early_stopping_is_reproducible_with_random_state():
    X, y = make_classification(n_samples=500, random_state=0)
    fits = [
        SigmoidPerceptronClassifier((8,), solver="sgd", early_stopping=True, random_state=3).fit(
            X, y
        )
        for _ in range(2)
    ]
    assert fits[0].validation_scores_ == fits[1].validation_scores_
    np.testing.assert_array_equal(fits[0].coefs_[0], fits[1].coefs_[0])


def test_early_stopping_on_too_little_data_names_the_parameter():
    with pytest.raises(
        ValueError, match="the training set would be empty. Decrease validation_fraction"
    ):
        SigmoidPerceptronClassifier(early_stopping=True).fit([[0.0], [1.0], [2.0]], [0, 1, 2])


def test_early_stopping_loss_is_that_of_the_restored_epoch():
    X, y = make_classification(n_samples=2000, n_features=20, flip_y=0.2, random_state=0)
    clf = SigmoidPerceptronClassifier((32,), early_stopping=True, max_iter=500, random_state=0).fit(
        X, y
    )
    best_epoch = int(np.argmax(clf.validation_scores_))
    assert best_epoch < clf.n_iter_ - 1  # the last epoch is not the one returned
    # L-BFGS records J of each iterate exactly, so the restored weights' J is there.
    assert clf.loss_ == pytest.approx(clf.loss_curve_[best_epoch], rel=1e-10)
