"""scikit-learn's callbacks (sklearn.callback, 1.9+) see every epoch of every solver."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sk_backprop import SigmoidPerceptronClassifier

callback = pytest.importorskip("sklearn.callback", reason="scikit-learn < 1.9 has no callbacks")

X, y = make_classification(n_samples=200, random_state=0)


class EpochRecorder:
    """Records each epoch task's end; asks to stop after ``stop_after`` epochs."""

    max_propagation_depth = None  # auto-propagated from meta-estimators

    def __init__(self, stop_after=None):
        self.stop_after = stop_after
        self.epochs = []

    def setup(self, estimator, context):
        pass

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context, *, X=None, y=None, metadata=None):
        pass

    def on_fit_task_end(self, estimator, context, *, metadata=None, fitted_estimator=None):
        if context.task_name != "epoch":
            return False
        self.epochs.append((metadata["objective"], fitted_estimator.predict(X[:5])))
        return self.stop_after is not None and len(self.epochs) >= self.stop_after


@pytest.mark.parametrize("solver", ["lbfgs", "gd", "sgd", "adam"])
def test_callbacks_see_every_epoch_with_a_usable_model(solver):
    recorder = EpochRecorder()
    clf = SigmoidPerceptronClassifier(solver=solver, max_iter=15, tol=None, random_state=0)
    clf.set_callbacks(recorder).fit(X, y)
    assert len(recorder.epochs) == clf.n_iter_
    assert [objective for objective, _ in recorder.epochs] == clf.loss_curve_
    np.testing.assert_array_equal(recorder.epochs[-1][1], clf.predict(X[:5]))


def test_a_callback_can_stop_training():
    recorder = EpochRecorder(stop_after=3)
    clf = SigmoidPerceptronClassifier(solver="adam", max_iter=50, tol=None).set_callbacks(recorder)
    assert clf.fit(X, y).n_iter_ == 3


def test_callbacks_reach_the_estimator_inside_a_pipeline_and_a_grid_search():
    recorder = EpochRecorder()
    pipeline = make_pipeline(
        StandardScaler(), SigmoidPerceptronClassifier(solver="sgd", max_iter=4, tol=None)
    )
    search = GridSearchCV(pipeline, {"sigmoidperceptronclassifier__alpha": [1e-4, 1e-2]}, cv=2)
    search.set_callbacks(recorder).fit(X, y)
    assert len(recorder.epochs) == (2 * 2 + 1) * 4  # every fit of the search, the refit too


def test_progress_bar_runs_for_the_estimator_and_inside_a_pipeline():
    pytest.importorskip("rich")
    clf = SigmoidPerceptronClassifier(solver="adam", max_iter=5, tol=None)
    clf.set_callbacks(callback.ProgressBar()).fit(X, y)
    pipeline = make_pipeline(StandardScaler(), SigmoidPerceptronClassifier(max_iter=5))
    pipeline.set_callbacks(callback.ProgressBar()).fit(X, y)
    assert clf.n_iter_ == 5 and pipeline[-1].n_iter_ > 0


class Recording:
    """scikit-learn's RecordingCallback pattern: every hook call, with its kwargs."""

    def __init__(self):
        self.record = []

    def setup(self, estimator, context):
        self.record.append({"name": "setup"})

    def teardown(self, estimator, context):
        self.record.append({"name": "teardown"})

    def on_fit_task_begin(
        self, estimator, context, *, X=None, y=None, metadata=None, fitted_estimator=None
    ):
        self.record.append(
            {
                "name": "on_fit_task_begin",
                "context": context,
                "kwargs": {"fitted_estimator": fitted_estimator},
            }
        )

    def on_fit_task_end(
        self, estimator, context, *, X=None, y=None, metadata=None, fitted_estimator=None
    ):
        self.record.append(
            {
                "name": "on_fit_task_end",
                "context": context,
                "kwargs": {"fitted_estimator": fitted_estimator},
            }
        )

    def count(self, name):
        return sum(rec["name"] == name for rec in self.record)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("solver", ["lbfgs", "gd", "sgd"])
def test_each_epoch_begins_and_ends_with_a_fitted_estimator_as_logistic_regressions(
    n_classes, fit_intercept, solver
):
    """LogisticRegression's test_logistic_regression_callback_fitted_estimator, adapted:
    the estimator a callback gets at the start of epoch i predicts as a fit of i
    epochs, and at its end as one of i + 1."""
    X, y = make_classification(
        n_features=4, n_informative=4, n_redundant=0, n_classes=n_classes, random_state=0
    )
    params = dict(solver=solver, fit_intercept=fit_intercept, random_state=0, max_iter=8)
    cb = Recording()
    clf = SigmoidPerceptronClassifier(**params).set_callbacks(cb).fit(X, y)
    begins = [
        r
        for r in cb.record
        if r["name"] == "on_fit_task_begin" and r["context"].task_name == "epoch"
    ]
    ends = [
        r for r in cb.record if r["name"] == "on_fit_task_end" and r["context"].task_name == "epoch"
    ]
    assert len(ends) == clf.n_iter_ > 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for i, (begin, end) in enumerate(zip(begins, ends)):
            assert begin["context"].task_id == end["context"].task_id == i
            if i > 0:
                expected = SigmoidPerceptronClassifier(**{**params, "max_iter": i}).fit(X, y)
                np.testing.assert_allclose(
                    begin["kwargs"]["fitted_estimator"].coefs_[0], expected.coefs_[0]
                )
            expected = SigmoidPerceptronClassifier(**{**params, "max_iter": i + 1}).fit(X, y)
            fitted = end["kwargs"]["fitted_estimator"]
            np.testing.assert_allclose(fitted.coefs_[0], expected.coefs_[0])
            np.testing.assert_allclose(fitted.intercepts_[0], expected.intercepts_[0])
            np.testing.assert_array_equal(fitted.predict(X), expected.predict(X))
    assert cb.count("setup") == cb.count("teardown") == 1
    assert cb.count("on_fit_task_begin") == cb.count("on_fit_task_end")
    root_end = [r for r in cb.record if r["name"] == "on_fit_task_end"][-1]
    np.testing.assert_array_equal(root_end["kwargs"]["fitted_estimator"].predict(X), clf.predict(X))
