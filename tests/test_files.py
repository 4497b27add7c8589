"""The command line's files: model files trusted by exact type, outputs that lose nothing."""

import functools
import io
import json
import os
import pickle
import subprocess
import sys
import zipfile

import numpy as np
import pytest
from sklearn.datasets import load_wine

from sk_backprop import SigmoidPerceptronClassifier
from sk_backprop.cli import main
from sk_backprop.cli._files import atomic_path, check_model_file, trusted_types

pd = pytest.importorskip("pandas")
skops_io = pytest.importorskip("skops.io")


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A table, a model saved from it by --save, and a table of new rows."""
    folder = tmp_path_factory.mktemp("saved")
    X, y = load_wine(return_X_y=True, as_frame=True)
    table = X.iloc[:, :5].assign(
        region=np.where(X["alcohol"] > 13, "north", "south"),
        cultivar=np.array(["barolo", "grignolino", "barbera"])[y],
    )
    table.to_csv(folder / "wine.csv", index=False)
    table.drop(columns="cultivar").iloc[:4].to_csv(folder / "new.csv", index=False)
    assert (
        main(
            [
                "--csv",
                str(folder / "wine.csv"),
                "--target",
                "cultivar",
                "--folds",
                "2",
                "--save",
                str(folder / "model.skops"),
            ]
        )
        == 0
    )
    return folder


def files(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def rewrite_schema(source, destination, change):
    """Copy the skops file ``source`` to ``destination`` with ``change(schema)`` applied."""
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    schema = json.loads(members["schema.json"])
    change(schema)
    members["schema.json"] = json.dumps(schema).encode()
    with zipfile.ZipFile(destination, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)


def first_node(schema, class_name):
    stack = [schema]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("__class__") == class_name and "__loader__" in item:
                return item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    raise AssertionError(class_name)


def as_function(schema):  # what the attack did: a function where a class was
    node = first_node(schema, "StandardScaler")
    node.update(
        __loader__="FunctionNode",
        __module__="sklearn.utils._testing",
        __class__="assert_run_python_script_without_output",
        content={
            "module_path": "sklearn.utils._testing",
            "function": "assert_run_python_script_without_output",
        },
    )


def as_unknown_class(schema):
    first_node(schema, "StandardScaler").update(
        __module__="sklearn.preprocessing", __class__="FunctionTransformer"
    )


def as_builtin(schema):
    first_node(schema, "StandardScaler").update(__module__="builtins", __class__="eval")


def as_prefix_lookalike(schema):  # a module whose name starts like ours
    first_node(schema, "StandardScaler").update(__module__="sklearn.preprocessing._data_evil")


@pytest.mark.parametrize(
    "change, message",
    [
        (as_function, "holds a FunctionNode (sklearn.utils._testing."),
        (as_unknown_class, "holds the type sklearn.preprocessing.FunctionTransformer"),
        (as_builtin, "holds the type builtins.eval"),
        (as_prefix_lookalike, "holds the type sklearn.preprocessing._data_evil.StandardScaler"),
    ],
)
def test_a_crafted_model_file_is_refused_before_any_object_is_built(
    saved, tmp_path, capsys, monkeypatch, change, message
):
    rewrite_schema(saved / "model.skops", tmp_path / "evil.skops", change)
    monkeypatch.setattr(skops_io, "load", lambda *a, **k: pytest.fail("skops.io.load ran"))
    assert main(["--model", str(tmp_path / "evil.skops"), "--predict", str(saved / "new.csv")]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "not loaded" in captured.err
    assert captured.out == ""


def test_the_trusted_types_are_exact_names_and_no_function(saved):
    trusted = trusted_types()
    assert "sk_backprop._classifier.SigmoidPerceptronClassifier" in trusted
    assert not any(name.endswith(".") for name in trusted)
    assert set(skops_io.get_untrusted_types(file=saved / "model.skops")) <= trusted
    assert check_model_file(saved / "model.skops") == trusted


def bare_estimator(path):
    X, y = load_wine(return_X_y=True)
    skops_io.dump(SigmoidPerceptronClassifier(max_iter=3, tol=None).fit(X, y), path)


def plain_dict(path):
    skops_io.dump({"steps": [1, 2]}, path)


def renamed_pickle(path):
    path.write_bytes(pickle.dumps({"a": 1}))


def truncated_zip(path, source=None):
    data = (path.parent / "source.skops").read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize(
    "make, message",
    [
        (
            bare_estimator,
            "holds a sk_backprop._classifier.SigmoidPerceptronClassifier, not the pipeline",
        ),
        (plain_dict, "holds a builtins.dict, not the pipeline"),
        (renamed_pickle, "is not a model saved by --save"),
        (truncated_zip, "is not a model saved by --save"),
    ],
)
def test_a_file_that_is_not_a_saved_pipeline_is_named(saved, tmp_path, capsys, make, message):
    (tmp_path / "source.skops").write_bytes((saved / "model.skops").read_bytes())
    make(tmp_path / "m.skops")
    assert main(["--model", str(tmp_path / "m.skops"), "--predict", str(saved / "new.csv")]) == 2
    assert message in capsys.readouterr().err


def test_predictions_keep_the_row_and_an_existing_output_needs_overwrite(saved, tmp_path, capsys):
    answers = tmp_path / "answers.csv"
    argv = [
        "--model",
        str(saved / "model.skops"),
        "--predict",
        str(saved / "new.csv"),
        "--output",
        str(answers),
    ]
    assert main(argv) == 0
    written = pd.read_csv(answers)
    assert list(written["row"]) == [0, 1, 2, 3]
    assert list(written.columns[1:]) == [
        "prediction",
        "proba_barbera",
        "proba_barolo",
        "proba_grignolino",
    ]
    answers.write_text("mine")
    capsys.readouterr()
    assert main(argv) == 2
    assert "exists; give --overwrite to replace it" in capsys.readouterr().err
    assert answers.read_text() == "mine"
    assert main(argv + ["--overwrite"]) == 0
    assert pd.read_csv(answers).equals(written)
    assert [p.name for p in tmp_path.iterdir()] == ["answers.csv"]  # no temporary left


@pytest.mark.parametrize("output", ["--predict", "--model"])
def test_output_over_an_input_is_refused_even_with_overwrite(saved, capsys, output):
    before = files(saved)
    path = {"--predict": saved / "new.csv", "--model": saved / "model.skops"}[output]
    assert (
        main(
            [
                "--model",
                str(saved / "model.skops"),
                "--predict",
                str(saved / "new.csv"),
                "--output",
                str(path),
                "--overwrite",
            ]
        )
        == 2
    )
    assert f"is the {output} file: writing it would destroy the input" in capsys.readouterr().err
    assert files(saved) == before


def test_save_over_the_table_is_refused_before_any_work(saved, capsys):
    before = files(saved)
    table = saved / "wine.csv"
    assert (
        main(["--csv", str(table), "--target", "cultivar", "--save", str(table), "--overwrite"])
        == 2
    )
    captured = capsys.readouterr()
    assert "is the --csv file" in captured.err and captured.out == ""
    assert files(saved) == before


@pytest.mark.parametrize(
    "where, message",
    [
        ("missing/model.skops", "does not exist"),
        (".", "is a folder"),
        ("model.skops", "exists; give --overwrite"),
    ],
)
def test_a_bad_save_path_is_refused_before_training(saved, tmp_path, capsys, where, message):
    (tmp_path / "model.skops").write_text("mine")
    before = files(tmp_path)
    assert (
        main(
            [
                "--csv",
                str(saved / "wine.csv"),
                "--target",
                "cultivar",
                "--save",
                str(tmp_path / where),
            ]
        )
        == 2
    )
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""  # nothing trained
    assert files(tmp_path) == before


def test_an_interrupted_save_leaves_the_old_file_whole_and_no_temporary(
    saved, tmp_path, monkeypatch, capsys
):
    model = tmp_path / "model.skops"
    model.write_text("the user's old model")

    def dump_then_interrupt(obj, file):
        with open(file, "wb") as out:
            out.write(b"PK half a zip")
        raise KeyboardInterrupt

    monkeypatch.setattr(skops_io, "dump", dump_then_interrupt)
    assert (
        main(
            [
                "--csv",
                str(saved / "wine.csv"),
                "--target",
                "cultivar",
                "--folds",
                "2",
                "--save",
                str(model),
                "--overwrite",
            ]
        )
        == 130
    )
    assert "interrupted" in capsys.readouterr().err
    assert model.read_text() == "the user's old model"
    assert [p.name for p in tmp_path.iterdir()] == ["model.skops"]


def test_atomic_path_removes_its_temporary_on_an_error(tmp_path):
    with pytest.raises(MemoryError), atomic_path(tmp_path / "out.csv") as temporary:
        with open(temporary, "w") as file:
            file.write("half")
        raise MemoryError
    assert os.listdir(tmp_path) == []


def test_an_output_gets_the_umask_permissions_or_those_of_the_file_it_replaces(tmp_path):
    umask = os.umask(0o022)
    try:
        with atomic_path(tmp_path / "new.csv") as temporary:
            with open(temporary, "w") as file:
                file.write("a")
        assert (tmp_path / "new.csv").stat().st_mode & 0o777 == 0o644
        (tmp_path / "old.csv").write_text("b")
        os.chmod(tmp_path / "old.csv", 0o640)
        with atomic_path(tmp_path / "old.csv", overwrite=True) as temporary:
            with open(temporary, "w") as file:
                file.write("c")
        assert (tmp_path / "old.csv").stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(umask)


def _zip_with(path, source, extra):
    """``source``'s members plus ``extra`` {name: (bytes, compression)}."""
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            if name not in extra:
                archive.writestr(name, content)
        for name, (content, compression) in extra.items():
            archive.writestr(name, content, compress_type=compression)


def _peak_growth_of_predict(model, table):
    """The growth of the peak memory of a process that runs --predict (MiB)."""
    code = (
        "import resource, sys\n"
        "from sk_backprop.cli import main\n"
        "import sklearn.pipeline, skops.io, pandas\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        f"code = main(['--model', {str(model)!r}, '--predict', {str(table)!r}])\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(code, (after - before) / 1024)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    code, growth = result.stdout.split()[-2:]
    return int(code), float(growth), result.stderr


ZEROS = b"\x00" * (300 * 2**20)  # deflates to about 300 KiB


@pytest.mark.parametrize("kind", ["schema", "array"])
def test_a_model_file_that_inflates_is_refused_without_reading_it(saved, tmp_path, kind):
    """300 MiB of zeros in place of the schema or of an array the schema refers to,
    in a file under 2 MiB: refused from the zip's declared sizes, the process's peak
    memory unchanged (it grew by 600 MiB when the file was read whole)."""
    with zipfile.ZipFile(saved / "model.skops") as archive:
        arrays = [name for name in archive.namelist() if name.endswith(".npy")]
    member = "schema.json" if kind == "schema" else arrays[0]
    bomb = tmp_path / "bomb.skops"
    _zip_with(bomb, saved / "model.skops", {member: (ZEROS, zipfile.ZIP_DEFLATED)})
    assert bomb.stat().st_size < 2 * 2**20
    code, growth, err = _peak_growth_of_predict(bomb, saved / "new.csv")
    assert code == 2
    assert f"its member {member!r} inflates from" in err and "so it is not loaded" in err
    assert growth < 32, f"the process grew by {growth:.0f} MiB"  # 300 MiB if read


def _schema_as(value):
    return json.dumps(value).encode()


@pytest.mark.parametrize(
    "schema, message",
    [
        (_schema_as([1, 2, 3]), "its schema.json is a list, not the description of a model"),
        (_schema_as(7), "its schema.json is a int, not the description"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (_schema_as(functools.reduce(lambda d, _: {"a": d}, range(150), {})), "nested deeper"),
        (
            _schema_as({"__loader__": "ObjectNode", "__module__": ["sklearn"], "__class__": "X"}),
            "has a list as its __module__, where a name belongs",
        ),
        (
            _schema_as({"__loader__": ["ObjectNode"], "__module__": "m", "__class__": "X"}),
            "has a list as its __loader__",
        ),
        (b"{not json", "is not a model saved by --save"),
    ],
)
def test_a_malformed_schema_gets_an_error_that_names_it(saved, tmp_path, capsys, schema, message):
    path = tmp_path / "bad.skops"
    _zip_with(path, saved / "model.skops", {"schema.json": (schema, zipfile.ZIP_STORED)})
    assert main(["--model", str(path), "--predict", str(saved / "new.csv")]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err


@pytest.mark.parametrize("passthrough", [False, True])
@pytest.mark.parametrize("names", [False, True])
def test_any_pipeline_of_trusted_types_loads_and_predicts(tmp_path, capsys, passthrough, names):
    """Made in Python, not by --save: fitted on an array or a frame, with a
    "passthrough" step or not."""
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = load_wine(return_X_y=True, as_frame=True)
    X = X.iloc[:, :4]
    steps = [("scale", StandardScaler()), ("ours", SigmoidPerceptronClassifier(random_state=0))]
    if passthrough:
        steps.insert(0, ("nothing", "passthrough"))
    pipeline = Pipeline(steps).fit(X if names else X.to_numpy(), y)
    skops_io.dump(pipeline, tmp_path / "m.skops")
    X.iloc[:3].to_csv(tmp_path / "new.csv", index=False)
    assert main(["--model", str(tmp_path / "m.skops"), "--predict", str(tmp_path / "new.csv")]) == 0
    answers = pd.read_csv(io.StringIO(capsys.readouterr().out))
    expected = pipeline.predict(X.iloc[:3] if names else X.iloc[:3].to_numpy())
    np.testing.assert_array_equal(answers["prediction"], expected)
