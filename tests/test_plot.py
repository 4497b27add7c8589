"""LossCurveDisplay, in scikit-learn's Display style."""

import sys

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sk_backprop import LossCurveDisplay, SigmoidPerceptronClassifier

X, y = make_classification(n_samples=300, random_state=0)


@pytest.fixture
def pyplot():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def test_from_estimator_draws_the_loss_curve(pyplot):
    clf = SigmoidPerceptronClassifier(solver="gd", max_iter=30, tol=None).fit(X, y)
    display = LossCurveDisplay.from_estimator(clf)
    np.testing.assert_array_equal(display.line_.get_ydata(), clf.loss_curve_)
    np.testing.assert_array_equal(display.line_.get_xdata(), np.arange(1, 31))
    assert display.ax_.get_xlabel() == "epoch"
    assert display.figure_ is display.ax_.figure
    assert display.validation_line_ is None


def test_early_stopping_adds_the_validation_curve(pyplot):
    clf = SigmoidPerceptronClassifier(solver="adam", early_stopping=True, random_state=0).fit(X, y)
    display = LossCurveDisplay.from_estimator(clf)
    np.testing.assert_array_equal(display.validation_line_.get_ydata(), clf.validation_scores_)
    assert display.ax_validation_.get_ylabel() == "validation accuracy"


def test_marks_the_epoch_whose_weights_early_stopping_restored(pyplot):
    clf = SigmoidPerceptronClassifier(
        (8,), solver="gd", early_stopping=True, n_iter_no_change=5, random_state=0
    ).fit(X, y)
    display = LossCurveDisplay.from_estimator(clf)
    epoch = display.best_epoch
    assert clf.validation_scores_[epoch - 1] == clf.best_validation_score_
    assert epoch < clf.n_iter_  # early stopping ran past it
    assert list(display.best_epoch_line_.get_xdata()) == [epoch, epoch]


def test_reads_a_fitted_search_of_a_pipeline(pyplot):
    from sklearn.exceptions import NotFittedError
    from sklearn.model_selection import GridSearchCV

    pipeline = make_pipeline(StandardScaler(), SigmoidPerceptronClassifier(max_iter=300))
    search = GridSearchCV(pipeline, {"sigmoidperceptronclassifier__alpha": [1e-4, 1.0]}, cv=2)
    with pytest.raises(NotFittedError, match="GridSearchCV has no best_estimator_"):
        LossCurveDisplay.from_estimator(search)
    search.fit(X, y)
    display = LossCurveDisplay.from_estimator(search)
    np.testing.assert_array_equal(display.line_.get_ydata(), search.best_estimator_[-1].loss_curve_)


def test_the_labels_fit_in_a_figure_it_makes(pyplot):
    clf = SigmoidPerceptronClassifier(solver="adam", early_stopping=True, random_state=0).fit(X, y)
    display = LossCurveDisplay.from_estimator(clf)
    figure = display.figure_
    figure.canvas.draw()
    box = figure.bbox
    for label in (display.ax_.yaxis.label, display.ax_validation_.yaxis.label):
        extent = label.get_window_extent()
        assert box.x0 <= extent.x0 and extent.x1 <= box.x1


def test_draws_on_given_axes_and_reads_a_pipeline(pyplot):
    _, ax = pyplot.subplots()
    pipeline = make_pipeline(StandardScaler(), SigmoidPerceptronClassifier(max_iter=50)).fit(X, y)
    display = LossCurveDisplay.from_estimator(pipeline, ax=ax, name="lbfgs", color="black")
    assert display.ax_ is ax
    assert display.line_.get_label() == "training objective J (lbfgs)"
    assert display.line_.get_color() == "black"


def test_unfitted_estimator_is_refused(pyplot):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        LossCurveDisplay.from_estimator(SigmoidPerceptronClassifier())


def test_missing_matplotlib_gives_a_clear_import_error(monkeypatch):
    clf = SigmoidPerceptronClassifier(max_iter=5).fit(X, y)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"needs matplotlib.*pip install \"\.\[plot\]\""):
        LossCurveDisplay.from_estimator(clf)


def test_the_legend_names_the_objective_and_sits_above_the_curves(pyplot):
    clf = SigmoidPerceptronClassifier(
        (8,), solver="gd", early_stopping=True, n_iter_no_change=5, random_state=0
    ).fit(X, y)
    display = LossCurveDisplay.from_estimator(clf)
    legend = display.ax_.get_legend()
    texts = [text.get_text() for text in legend.get_texts()]
    assert texts[0] == "training objective J" and "validation accuracy" in texts
    display.figure_.canvas.draw()
    renderer = display.figure_.canvas.get_renderer()
    assert legend.get_window_extent(renderer).y0 >= display.ax_.get_window_extent(renderer).y1
