"""ONNX export (sk_backprop.onnx): onnxruntime answers as the estimator does, for
every fitted configuration, alone and in the pipelines users build
(docs/deploying.md). Probabilities to 1e-6 in float and 1e-12 in double; labels
equal to ``predict``."""

import subprocess
import sys
import textwrap
import warnings
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from sk_backprop import SigmoidPerceptronClassifier

ort = pytest.importorskip("onnxruntime")
skl2onnx = pytest.importorskip("skl2onnx")
convert_simple_imputer = pytest.importorskip("sk_backprop.onnx").convert_simple_imputer

TOLERANCE = {np.float32: 1e-6, np.float64: 1e-12}


@contextmanager
def _quiet():
    """A fit whose convergence is not what the test is about, without its warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def run(onx, inputs):
    session = ort.InferenceSession(onx.SerializeToString(), providers=["CPUExecutionProvider"])
    if not isinstance(inputs, dict):
        inputs = {session.get_inputs()[0].name: inputs}
    return session.run(None, inputs)


def convert(model, X, **options):
    return skl2onnx.to_onnx(model, X[:1], options={id(model): {"zipmap": False, **options}})


def assert_same_answers(model, X, dtype):
    X = X.astype(dtype)
    labels, proba = run(convert(model, X), X)
    np.testing.assert_array_equal(labels, model.predict(X))
    expected = model.predict_proba(X)
    np.testing.assert_allclose(proba, expected, rtol=0, atol=TOLERANCE[dtype])
    assert np.isfinite(proba).all()


def iris_targets(kind):
    X, y = load_iris(return_X_y=True)
    if kind == "binary":
        return X, (y == 1).astype(int)
    if kind == "multiclass":
        return X, y
    if kind == "strings":
        return X, np.array(["setosa", "versicolor", "virginica"])[y]
    if kind == "floats":
        return X, y.astype(float) + 1.0
    return X, np.column_stack([y == 0, y == 1, X[:, 0] > 5.8]).astype(int)  # multilabel


KINDS = ["binary", "multiclass", "strings", "floats", "multilabel"]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("hidden", [(), (6,), (5, 4)])
def test_onnxruntime_answers_as_the_estimator(kind, hidden, dtype):
    X, y = iris_targets(kind)
    clf = SigmoidPerceptronClassifier(hidden_layer_sizes=hidden, random_state=0, max_iter=100)
    model = make_pipeline(StandardScaler(), clf)
    with _quiet():
        model.fit(X, y)
    assert_same_answers(model, X, dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["binary", "multiclass"])
def test_a_network_without_intercepts_and_fitted_in_float32(kind, dtype):
    X, y = iris_targets(kind)
    X = StandardScaler().fit_transform(X).astype(np.float32)
    clf = SigmoidPerceptronClassifier(hidden_layer_sizes=(4,), fit_intercept=False, random_state=0)
    with _quiet():
        clf.fit(X, y)
    assert clf.coefs_[0].dtype == np.float32
    assert_same_answers(clf, X, dtype)


@pytest.mark.parametrize(
    "load", [load_iris, load_wine, load_breast_cancer, load_digits], ids=lambda f: f.__name__
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_gallerys_data_sets(load, dtype):
    X, y = load(return_X_y=True)
    model = make_pipeline(StandardScaler(), SigmoidPerceptronClassifier(random_state=0))
    with _quiet():
        model.fit(X, y)
    assert_same_answers(model, X, dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["binary", "multiclass", "multilabel"])
def test_extreme_inputs_give_finite_probabilities_as_ours(kind, dtype):
    X, y = iris_targets(kind)
    clf = SigmoidPerceptronClassifier(hidden_layer_sizes=(), random_state=0)
    with _quiet():
        clf.fit(StandardScaler().fit_transform(X), y)
    rng = np.random.default_rng(0)
    extreme = rng.choice([-1e30, -1e10, 0.0, 1e10, 1e30], size=(40, 4)).astype(dtype)
    assert_same_answers(clf, extreme, dtype)


def test_options_zipmap_class_labels_and_raw_scores():
    X, y = iris_targets("strings")
    X = X.astype(np.float32)
    clf = SigmoidPerceptronClassifier(random_state=0)
    with _quiet():
        clf.fit(X, y)
    # zipmap (the default): a list of {class: probability}
    labels, maps = run(skl2onnx.to_onnx(clf, X[:1]), X)
    assert list(maps[0]) == list(clf.classes_)
    np.testing.assert_allclose(
        [[row[c] for c in clf.classes_] for row in maps], clf.predict_proba(X), atol=1e-6
    )
    # output_class_labels: the classes as a third output
    *_, class_labels = run(convert(clf, X, output_class_labels=True), X)
    np.testing.assert_array_equal(class_labels, clf.classes_)
    # raw_scores: the logits
    labels, scores = run(convert(clf, X, raw_scores=True), X)
    np.testing.assert_allclose(scores, clf.decision_function(X), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(labels, clf.predict(X))
    # nocl: class indices instead of labels
    labels, _ = run(convert(clf, X, nocl=True), X)
    np.testing.assert_array_equal(clf.classes_[labels], clf.predict(X))


def test_binary_raw_scores_are_minus_and_plus_the_logit():
    X, y = iris_targets("binary")
    clf = SigmoidPerceptronClassifier(random_state=0)
    with _quiet():
        clf.fit(X, y)
    _, scores = run(convert(clf, X, raw_scores=True), X)
    z = clf.decision_function(X)
    np.testing.assert_allclose(scores, np.column_stack([-z, z]), rtol=1e-12, atol=1e-12)


def test_the_command_lines_pipeline_on_a_data_frame():
    """ColumnTransformer of SimpleImputer + StandardScaler and SimpleImputer +
    OneHotEncoder, as the command line builds it, with gaps in the table."""
    rng = np.random.default_rng(0)
    n = 300
    frame = pd.DataFrame(
        {
            "height": rng.normal(170, 10, n),
            "weight": rng.normal(70, 8, n),
            "colour": rng.choice(["red", "green", "blue"], n),
        }
    )
    frame.loc[::17, "height"] = np.nan
    frame.loc[::13, "colour"] = np.nan  # ('' in the ONNX input)
    y = np.where(frame["weight"] + (frame["colour"] == "red") * 5 > 72, "heavy", "light")
    preprocess = ColumnTransformer(
        [
            ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
             ["height", "weight"]),
            ("categorical", make_pipeline(
                SimpleImputer(strategy="most_frequent"),
                OneHotEncoder(handle_unknown="ignore", sparse_output=False),
            ), ["colour"]),
        ]
    )  # fmt: skip
    model = make_pipeline(preprocess, SigmoidPerceptronClassifier(random_state=0))
    with _quiet():
        model.fit(frame, y)
    onx = skl2onnx.convert_sklearn(
        model,
        initial_types=skl2onnx.common.data_types.guess_data_type(frame[:1]),
        options={SigmoidPerceptronClassifier: {"zipmap": False}},
        custom_conversion_functions={SimpleImputer: convert_simple_imputer},
    )
    inputs = {
        "height": frame[["height"]].to_numpy(np.float64),
        "weight": frame[["weight"]].to_numpy(np.float64),
        "colour": frame[["colour"]].fillna("").to_numpy(object),
    }
    labels, proba = run(onx, inputs)
    np.testing.assert_array_equal(labels, model.predict(frame))
    np.testing.assert_allclose(proba, model.predict_proba(frame), atol=1e-12)


def test_the_dask_estimators_local_model_converts():
    pytest.importorskip("distributed")
    da = pytest.importorskip("dask.array")
    from distributed import Client, LocalCluster

    from sk_backprop.dask import DaskSigmoidPerceptronClassifier

    X, y = load_wine(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    with LocalCluster(n_workers=1, processes=False) as cluster, Client(cluster), _quiet():
        clf = DaskSigmoidPerceptronClassifier(random_state=0).fit(
            da.from_array(X, chunks=60), da.from_array(y, chunks=60)
        )
    assert_same_answers(clf.to_local(), X, np.float64)


def test_the_import_is_what_registers_the_converter():
    """Without ``import sk_backprop.onnx`` skl2onnx knows no converter for us; with
    it, the same call converts (a fresh interpreter: registration is for the process)."""
    code = textwrap.dedent(
        """
        import numpy as np, skl2onnx
        from sk_backprop import SigmoidPerceptronClassifier
        X = np.random.default_rng(0).normal(size=(20, 3)).astype(np.float32)
        clf = SigmoidPerceptronClassifier(max_iter=5, tol=None).fit(X, X[:, 0] > 0)
        try:
            skl2onnx.to_onnx(clf, X[:1])
        except Exception as error:
            print(type(error).__name__)
        import sk_backprop.onnx
        print(type(skl2onnx.to_onnx(clf, X[:1])).__name__)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.split() == ["MissingShapeCalculator", "ModelProto"]


def test_the_command_line_writes_the_tuned_pipeline_as_onnx(tmp_path, capsys):
    """``--onnx`` beside ``--save``: the ONNX file answers as the saved pipeline on
    the table, gaps included (NaN in numbers, '' in text), in double precision."""
    from sk_backprop.cli import main
    from sk_backprop.cli._files import load_model
    from sk_backprop.cli._onnx import column_kinds, onnx_inputs
    from sk_backprop.cli._table import read_features

    rng = np.random.default_rng(0)
    n = 150
    table = pd.DataFrame(
        {
            "length": rng.normal(5, 1, n),
            "width": rng.normal(3, 0.5, n),
            "site": rng.choice(["north", "south", "east"], n).astype(object),
            "wet": rng.choice([True, False], n),
        }
    )
    table["kind"] = np.where(table["length"] + (table["site"] == "north") > 5.3, "tall", "short")
    table.loc[::11, "length"] = np.nan
    table.loc[::7, "site"] = np.nan
    table.to_csv(tmp_path / "plants.csv", index=False)
    saved, exported = tmp_path / "model.skops", tmp_path / "model.onnx"
    code = main(
        ["--csv", str(tmp_path / "plants.csv"), "--target", "kind", "--folds", "2",
         "--models", "ours", "--save", str(saved), "--onnx", str(exported)]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"to {exported} (ONNX" in out
    pipeline = load_model(saved)
    assert column_kinds(pipeline) == {
        "numeric": ["length", "width"],
        "categorical": ["site", "wet"],
    }
    rows, _, _ = read_features(
        tmp_path / "plants.csv", pipeline.feature_names_in_, ["length", "width"]
    )
    labels, proba = run(_load(exported), onnx_inputs(rows, pipeline))
    np.testing.assert_array_equal(labels, pipeline.predict(rows))
    np.testing.assert_allclose(proba, pipeline.predict_proba(rows), rtol=0, atol=1e-12)
    # the same rules as --save: never over an existing file without --overwrite
    before = exported.read_bytes()
    again = ["--csv", str(tmp_path / "plants.csv"), "--target", "kind", "--onnx", str(exported)]
    assert main(again) == 2
    assert "exists" in capsys.readouterr().err
    assert exported.read_bytes() == before


def _load(path):
    import onnx

    return onnx.load(str(path))
