"""Model files and pickles: a fitted estimator holds plain values besides itself,
so a skops file is trusted by one name; a file read under other versions says so,
naming the estimator; the HTML representation links to our documentation.
(docs/deploying.md; files of 0.1.0: tests/test_legacy.py.)"""

import pickle
import warnings

import numpy as np
import pytest
import sklearn
from sklearn.datasets import make_classification
from sklearn.exceptions import InconsistentVersionWarning
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sk_backprop import SigmoidPerceptronClassifier, __version__, skops_trusted_types

SOLVERS = ["lbfgs", "newton-cholesky", "gd", "sgd", "adam"]
OUR_NAME = "sk_backprop._classifier.SigmoidPerceptronClassifier"
X, y = make_classification(
    n_samples=120, n_features=5, n_classes=3, n_informative=3, random_state=0
)


def fitted(solver, **params):
    clf = SigmoidPerceptronClassifier(solver=solver, max_iter=5, tol=None, random_state=0, **params)
    return clf.fit(X, y)


@pytest.mark.parametrize(
    "solver, how",
    [(solver, "fit") for solver in SOLVERS]
    + [(solver, "partial_fit") for solver in ("gd", "sgd", "adam")],  # theirs alone
)
def test_a_skops_file_lists_our_estimator_as_its_only_untrusted_type(solver, how, tmp_path):
    skops_io = pytest.importorskip("skops.io")
    if how == "fit":
        clf = fitted(solver)
    else:
        clf = SigmoidPerceptronClassifier(solver=solver, random_state=0)
        clf.partial_fit(X, y, classes=[0, 1, 2]).partial_fit(X, y)
    pipeline = make_pipeline(StandardScaler().fit(X), clf)
    path = tmp_path / "model.skops"
    skops_io.dump(pipeline, path)
    assert skops_io.get_untrusted_types(file=path) == [OUR_NAME]
    loaded = skops_io.load(path, trusted=skops_trusted_types())
    np.testing.assert_array_equal(loaded.predict_proba(X), pipeline.predict_proba(X))


@pytest.mark.parametrize("solver", ["gd", "sgd", "adam"])
def test_partial_fit_after_a_skops_round_trip_continues_exactly(solver, tmp_path):
    """The solver's state (steps, momentum, Adam's moments, the shuffling
    generator) lives in plain arrays: the loaded model continues as the original."""
    skops_io = pytest.importorskip("skops.io")
    clf = SigmoidPerceptronClassifier(solver=solver, random_state=0, batch_size=16)
    clf.partial_fit(X, y, classes=[0, 1, 2]).partial_fit(X, y)
    path = tmp_path / "model.skops"
    skops_io.dump(clf, path)
    loaded = skops_io.load(path, trusted=skops_trusted_types())
    for model in (clf, loaded):
        model.partial_fit(X, y).partial_fit(X, y)
    for ours, theirs in zip(clf.coefs_ + clf.intercepts_, loaded.coefs_ + loaded.intercepts_):
        np.testing.assert_array_equal(ours, theirs)
    assert loaded.loss_curve_ == clf.loss_curve_


@pytest.mark.parametrize("solver", SOLVERS)
def test_the_fitted_state_holds_no_object_of_ours_but_the_estimator(solver):
    def plain(value):
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return all(plain(v) for v in value)
        if value is None or isinstance(value, (str, int, float, np.ndarray, np.generic)):
            return True
        return type(value).__module__.startswith("sklearn.")  # LabelBinarizer

    clf = fitted(solver)
    assert clf._solver_state["solver"] == solver
    assert all(plain(value) for value in vars(clf).values())


def test_the_solver_state_is_not_shared_with_the_estimator_that_continues():
    clf = SigmoidPerceptronClassifier(solver="adam", random_state=0).partial_fit(X, y, [0, 1, 2])
    moments = clf._solver_state["first_moment"].copy()
    kept = clf._solver_state
    clf.partial_fit(X, y)
    np.testing.assert_array_equal(kept["first_moment"], moments)  # the old state untouched


def _reloaded(clf, **versions):
    state = clf.__getstate__()
    state.update(versions)
    new = SigmoidPerceptronClassifier.__new__(SigmoidPerceptronClassifier)
    new.__setstate__(state)
    return new


def test_a_pickle_records_both_versions_and_loads_quietly_under_the_same():
    clf = fitted("lbfgs")
    state = clf.__getstate__()
    assert state["_sk_backprop_version"] == __version__
    assert state["_sklearn_version"] == sklearn.__version__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


@pytest.mark.parametrize(
    "key, library, current",
    [
        ("_sklearn_version", "scikit-learn", sklearn.__version__),
        ("_sk_backprop_version", "sk_backprop", __version__),
    ],
)
def test_another_version_warns_naming_the_estimator_and_both_versions(key, library, current):
    with pytest.warns(InconsistentVersionWarning) as caught:
        loaded = _reloaded(fitted("lbfgs"), **{key: "0.0.1"})
    message = str(caught[0].message)
    assert f"SigmoidPerceptronClassifier ({library}) from version 0.0.1" in message
    assert f"when using version {current}" in message
    assert caught[0].message.original_sklearn_version == "0.0.1"
    assert loaded.predict(X).shape == y.shape


def test_an_unfitted_estimator_records_no_version():
    state = SigmoidPerceptronClassifier().__getstate__()
    assert "_sk_backprop_version" not in state and "_sklearn_version" not in state


def test_the_html_representation_links_to_our_api_page():
    html = SigmoidPerceptronClassifier()._repr_html_()
    link = "https://sk-backprop.readthedocs.io/en/stable/generated/"
    assert f"{link}sk_backprop.SigmoidPerceptronClassifier.html" in html
    pytest.importorskip("dask")
    from sk_backprop.dask import DaskSigmoidPerceptronClassifier

    html = DaskSigmoidPerceptronClassifier()._repr_html_()
    assert f"{link}sk_backprop.dask.DaskSigmoidPerceptronClassifier.html" in html


def test_mlflow_logs_and_loads_a_pipeline_in_the_skops_format(tmp_path, monkeypatch):
    """mlflow's scikit-learn flavour as it is: skops, trusting skops_trusted_types()
    (a file store in tmp_path: mlflow-skinny has no database backend)."""
    mlflow = pytest.importorskip("mlflow")
    mlflow_sklearn = pytest.importorskip("mlflow.sklearn")
    pipeline = make_pipeline(StandardScaler(), SigmoidPerceptronClassifier(random_state=0))
    pipeline.fit(X, y)
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    mlflow.set_tracking_uri((tmp_path / "mlruns").as_uri())
    try:
        with mlflow.start_run(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # mlflow's own notes on the environment
            info = mlflow_sklearn.log_model(
                pipeline,
                name="model",
                serialization_format="skops",
                skops_trusted_types=skops_trusted_types(),
            )
        loaded = mlflow_sklearn.load_model(info.model_uri)
    finally:
        mlflow.set_tracking_uri(None)
    assert type(loaded[-1]) is SigmoidPerceptronClassifier
    np.testing.assert_array_equal(loaded.predict_proba(X), pipeline.predict_proba(X))
