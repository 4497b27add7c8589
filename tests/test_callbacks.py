"""scikit-learn's callbacks (sklearn.callback, 1.9+) see every epoch of every solver."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
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
