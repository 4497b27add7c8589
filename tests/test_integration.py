"""In scikit-learn's tools: Pipeline, GridSearchCV, cross-validation, pickle, routing."""

import pickle

import numpy as np
import pytest
import sklearn
from sklearn.datasets import load_iris
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sk_backprop import SigmoidPerceptronClassifier


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


def test_pipeline_with_grid_search_tunes_the_network(iris):
    X, y = iris
    pipeline = make_pipeline(StandardScaler(), SigmoidPerceptronClassifier(random_state=0))
    search = GridSearchCV(
        pipeline,
        {
            "sigmoidperceptronclassifier__hidden_layer_sizes": [(), (5,)],
            "sigmoidperceptronclassifier__alpha": [1e-4, 1e-1],
        },
        cv=3,
    )
    search.fit(X, y)
    assert search.best_score_ > 0.9
    assert set(search.cv_results_["params"][0]) == {
        "sigmoidperceptronclassifier__hidden_layer_sizes",
        "sigmoidperceptronclassifier__alpha",
    }


def test_cross_val_score_scores_every_fold(iris):
    X, y = iris
    scores = cross_val_score(
        make_pipeline(StandardScaler(), SigmoidPerceptronClassifier((4,), random_state=0)),
        X,
        y,
        cv=5,
    )
    assert scores.shape == (5,) and scores.mean() > 0.9


def test_pickle_round_trip_predicts_the_same(iris):
    X, y = iris
    clf = SigmoidPerceptronClassifier((5, 3), random_state=0).fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    assert restored.loss_curve_ == clf.loss_curve_


def test_sample_weight_is_routed_through_a_pipeline(iris):
    X, y = iris
    weight = np.where(y == 2, 5.0, 1.0)
    with sklearn.config_context(enable_metadata_routing=True):
        routed = make_pipeline(
            StandardScaler().set_fit_request(sample_weight=False),
            SigmoidPerceptronClassifier(random_state=0).set_fit_request(sample_weight=True),
        ).fit(X, y, sample_weight=weight)
    direct = SigmoidPerceptronClassifier(random_state=0).fit(
        StandardScaler().fit_transform(X), y, sample_weight=weight
    )
    np.testing.assert_allclose(routed[-1].coef_, direct.coef_)


def test_partial_fit_requests_sample_weight_for_routing():
    with sklearn.config_context(enable_metadata_routing=True):
        clf = SigmoidPerceptronClassifier(solver="sgd").set_partial_fit_request(sample_weight=True)
        routing = clf.get_metadata_routing()
    assert routing.consumes("partial_fit", ["sample_weight"]) == {"sample_weight"}
    assert routing.consumes("fit", ["sample_weight"]) == set()


def test_html_repr_shows_the_estimator():
    html = SigmoidPerceptronClassifier(hidden_layer_sizes=(3,))._repr_html_()
    assert "SigmoidPerceptronClassifier" in html


def test_x_val_is_routed_and_transformed_in_a_pipeline(iris):
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import Pipeline

    X, y = iris
    X_train, X_val, y_train, y_val = train_test_split(X * 100, y, random_state=0)
    with sklearn.config_context(enable_metadata_routing=True):
        clf = SigmoidPerceptronClassifier(early_stopping=True, max_iter=30, random_state=0)
        pipeline = Pipeline(
            [("scale", StandardScaler()), ("clf", clf.set_fit_request(X_val=True, y_val=True))],
            transform_input=["X_val"],
        ).fit(X_train, y_train, X_val=X_val, y_val=y_val)
    # The returned weights are the best epoch's on the scaled validation set.
    assert pipeline[-1].best_validation_score_ == pipeline.score(X_val, y_val)
