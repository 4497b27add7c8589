"""Issue 17's cases: stopping rules users can predict, solvers that never stop
silently short, and errors that name the real problem."""

import itertools
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from sk_backprop import SigmoidPerceptronClassifier

SOLVERS = ["lbfgs", "gd", "sgd", "adam"]
X, y = make_classification(n_samples=300, random_state=0)


def fit_recording(clf, X, y, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        clf.fit(X, y, **kwargs)
    return [w for w in caught if issubclass(w.category, ConvergenceWarning)]


@pytest.mark.parametrize("solver", ["gd", "sgd", "adam"])
def test_a_huge_tol_stops_after_n_iter_no_change_plus_one_epochs(solver):
    clf = SigmoidPerceptronClassifier(
        solver=solver, tol=1e6, n_iter_no_change=4, random_state=0
    ).fit(X, y)
    assert clf.n_iter_ == 5


@pytest.mark.parametrize("solver", SOLVERS)
def test_early_stopping_stops_n_iter_no_change_epochs_after_the_best(solver):
    """MLPClassifier's rule: no improvement by more than tol for n_iter_no_change
    consecutive epochs, whatever the step schedule; the best epoch is restored."""
    Xn, yn = make_classification(n_samples=1000, n_features=20, flip_y=0.3, random_state=1)
    clf = SigmoidPerceptronClassifier(
        (32,),
        solver=solver,
        early_stopping=True,
        max_iter=2000,
        n_iter_no_change=10,
        tol=1e-4,
        random_state=0,
    )
    assert not fit_recording(clf, Xn, yn)
    scores = np.array(clf.validation_scores_)
    best = max(scores)
    # the last improvement by more than tol over the best before it, then 10 epochs
    improving = [
        i for i in range(len(scores)) if scores[i] >= (max(scores[:i], default=-np.inf) + 1e-4)
    ]
    assert clf.n_iter_ == improving[-1] + 1 + 10
    assert clf.best_validation_score_ == best


def test_sgd_early_stopping_as_scikit_learns_sgd_test():
    """SGDClassifier's test_early_stopping: n_iter_no_change=100, tol=1e-3 stops
    before 120 epochs on iris's two classes."""
    X_iris, y_iris = load_iris(return_X_y=True)
    mask = y_iris < 2
    clf = SigmoidPerceptronClassifier(
        solver="sgd",
        early_stopping=True,
        n_iter_no_change=100,
        tol=1e-3,
        max_iter=1000,
        random_state=0,
    )
    clf.fit(X_iris[mask], y_iris[mask])
    assert clf.n_iter_ < 120


def test_early_stopping_stops_near_mlpclassifier_on_the_same_data():
    Xn, yn = make_classification(n_samples=2000, n_features=20, flip_y=0.2, random_state=0)
    ours = SigmoidPerceptronClassifier(
        (32,), solver="adam", early_stopping=True, max_iter=2000, random_state=0
    ).fit(Xn, yn)
    mlp = MLPClassifier(
        (32,), activation="logistic", early_stopping=True, max_iter=2000, random_state=0
    ).fit(Xn, yn)
    # both stop 10 (ours) or 11 (MLP's ">" count) epochs after their last improvement
    assert ours.n_iter_ < 200 and mlp.n_iter_ < 200


def unscaled(scale, n=60, seed=0):
    rng = np.random.RandomState(seed)
    Xu = rng.randn(n, 3)
    yu = (Xu[:, 0] + Xu[:, 1] > 0).astype(int)
    Xu[:, 1] *= scale
    return Xu, yu


@pytest.mark.parametrize("scale", [1e3, 1e12, 1e33, 1e160])
def test_gd_on_a_badly_scaled_column_reaches_the_optimum_or_says_scale_X(scale):
    Xu, yu = unscaled(scale)
    optimum = (
        SigmoidPerceptronClassifier(tol=1e-10, max_iter=10_000).fit(Xu / [1, scale, 1], yu).loss_
    )
    clf = SigmoidPerceptronClassifier(solver="gd")
    caught = fit_recording(clf, Xu, yu)
    if clf.loss_ > optimum * (1 + 1e-3):
        assert caught and "Scale X" in str(caught[0].message)


def test_a_tiny_fixed_step_warns_that_it_makes_little_progress():
    clf = SigmoidPerceptronClassifier(solver="gd", learning_rate=1e-12)
    caught = fit_recording(clf, *unscaled(1.0))
    assert caught and "learning_rate=1e-12 makes little progress" in str(caught[0].message)


@pytest.mark.parametrize("sparse_input", [False, True])
@pytest.mark.parametrize("scale", [1e30, 1e160, "spanning"])
def test_lbfgs_never_ends_above_its_start_nor_at_nan_and_names_the_cause(scale, sparse_input):
    from scipy import sparse

    Xu, yu = unscaled(1.0)
    if scale == "spanning":
        Xu = Xu * np.logspace(-300, 300, Xu.size).reshape(Xu.shape)
    else:
        Xu[:, 1] *= scale
    if sparse_input:
        Xu = sparse.csr_matrix(Xu)
    clf = SigmoidPerceptronClassifier()
    caught = fit_recording(clf, Xu, yu)
    assert np.isfinite(clf.loss_) and clf.loss_ <= np.log(2) + 1e-12
    assert np.isfinite(clf.predict_proba(Xu)).all()
    if caught:
        message = str(caught[0].message)
        assert "scale X" in message and "max_iter" not in message


@pytest.mark.parametrize(
    "class_weight, message",
    [
        ({0: -0.5, 1: 1}, "got -0.5 for class 0"),
        ({0: np.nan, 1: 1}, "got nan for class 0"),
        ({0: np.inf, 1: 1}, "got inf for class 0"),
        ({0: "heavy", 1: 1}, "must map each class to a number; got 'heavy'"),
    ],
)
def test_class_weight_values_are_checked(class_weight, message):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning on the way
        with pytest.raises(ValueError, match=f"class_weight.*{message}"):
            SigmoidPerceptronClassifier(class_weight=class_weight).fit(X, y)


def test_all_zero_class_weights_get_the_sample_weight_words():
    with pytest.raises(ValueError, match="must contain at least one non-zero number"):
        SigmoidPerceptronClassifier(class_weight={0: 0, 1: 0}).fit(X, y)


@pytest.mark.parametrize("first, then", list(itertools.product(SOLVERS, ["gd", "sgd", "adam"])))
def test_partial_fit_continues_with_the_solver_the_estimator_has_now(first, then):
    clf = SigmoidPerceptronClassifier(solver=first, max_iter=20, tol=None, random_state=0)
    clf.fit(X, y)
    before = clf.coefs_[0].copy()
    clf.set_params(solver=then, learning_rate=1e-9, momentum=0.0).partial_fit(X, y)
    assert clf._solver_state["solver"] == then
    # a step of 1e-9 (Adam: moves of about 1e-9 per batch) barely moves the weights
    assert np.abs(clf.coefs_[0] - before).max() < 1e-6


def test_changing_fit_intercept_between_partial_fits_names_it():
    clf = SigmoidPerceptronClassifier(solver="sgd").partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match="fit_intercept was True .* is False now"):
        clf.set_params(fit_intercept=False).partial_fit(X, y)


def test_warm_start_with_a_multilabel_y_after_a_binary_fit_names_the_target():
    clf = SigmoidPerceptronClassifier(warm_start=True, max_iter=5, tol=None).fit(X, y)
    Y = np.column_stack([y, 1 - y])
    with pytest.raises(
        ValueError,
        match="same type as in the previous call to fit: it was "
        "'binary', `y` is 'multilabel-indicator'",
    ):
        clf.fit(X, Y)


def test_a_validation_fraction_that_leaves_no_training_set_says_so():
    with pytest.raises(
        ValueError, match="the training set would be missing a class. Decrease validation_fraction"
    ):
        SigmoidPerceptronClassifier(early_stopping=True, validation_fraction=0.99).fit(
            X[:100], y[:100]
        )


@pytest.mark.parametrize("solver", ["sgd", "adam", "gd", "lbfgs"])
def test_a_huge_alpha_fits_as_mlp_and_sgd_do(solver):
    X_iris, y_iris = load_iris(return_X_y=True)
    clf = SigmoidPerceptronClassifier(solver=solver, alpha=1e10)
    fit_recording(clf, X_iris, y_iris)
    assert np.abs(clf.coefs_[0]).max() < 1e-6  # the penalty wins, as it should


def test_a_divergence_under_auto_does_not_advise_auto():
    clf = SigmoidPerceptronClassifier(solver="gd", learning_rate=100.0)
    with pytest.raises(ValueError, match="learning_rate=100.0 is too large"):
        clf.fit(X * 1e3, y)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize(
    "params",
    [
        dict(alpha=1e5),
        dict(),
        dict(hidden_layer_sizes=(5,)),
        dict(loss="squared_error"),
        dict(early_stopping=True),
    ],
)
def test_no_floating_point_error_under_errstate_raise(solver, params):
    X_iris, y_iris = load_iris(return_X_y=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        with np.errstate(all="raise"):
            clf = SigmoidPerceptronClassifier(solver=solver, **params).fit(X_iris * 100, y_iris)
            clf.predict_proba(X_iris * 1e5)
            clf.predict_log_proba(X_iris * 1e5)
    assert np.isfinite(clf.coefs_[0]).all()


def test_too_few_samples_for_early_stopping_get_scikit_learns_words():
    """MLPClassifier's test_minimum_input_sample_size, adapted."""
    X2, y2 = [[0.0, 1.0], [1.0, 0.0]], [0, 1]
    with pytest.raises(ValueError, match="The validation set is too small"):
        SigmoidPerceptronClassifier(early_stopping=True, random_state=0).fit(X2, y2)


def test_validation_rows_of_zero_weight_get_scikit_learns_words():
    """SGDClassifier's wording where the held-out rows all weigh zero."""
    from sk_backprop._data import ValidationSet

    with pytest.raises(ValueError, match="The sample weights for validation set are all zero"):
        ValidationSet(np.ones((3, 2)), np.array([0, 1, 0]), np.zeros(3), None, None)
