"""The command line: python -m sk_backprop, on bundled data and on a user's table."""

import subprocess
import sys
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_wine

from sk_backprop.cli import main
from sk_backprop.cli._table import read_table

pd = pytest.importorskip("pandas")
pytest.importorskip("skops")


def test_help_describes_the_options():
    result = subprocess.run(
        [sys.executable, "-m", "sk_backprop", "--help"], capture_output=True, text=True, check=True
    )
    for option in (
        "--csv",
        "--target",
        "--datasets",
        "--folds",
        "--threads",
        "--save",
        "--model",
        "--predict",
        "--output",
        "--overwrite",
        "--jobs",
        "--onnx",
        "--models",
    ):
        assert option in result.stdout
    text = " ".join(result.stdout.split())
    assert "refused before any object is built" in text  # what is trusted, and why
    assert "semicolon, tab or '|'" in text and "Parquet" in text  # the formats


def test_main_reproduces_the_seed_and_prints_the_comparison_table(capsys):
    assert main(["--datasets", "wine", "--folds", "2", "--threads", "1"]) == 0
    out = capsys.readouterr().out
    assert "Predicted output for [1, 0, 0]: 0.99993" in out
    assert "BLAS threads: 1," in out
    assert "Plan: 5 models x 2 folds" in out and "Done in" in out
    table = [line for line in out.splitlines() if line.startswith("| wine")]
    assert [line.split(" | ")[1] for line in table] == [
        "SigmoidPerceptronClassifier (tuned)",
        "SigmoidPerceptronClassifier (defaults)",
        "LogisticRegression",
        "MLPClassifier",
        "majority class (DummyClassifier)",
    ]
    # wine's classes are 59, 71, 48 rows: within 1.5x, so the score is accuracy
    assert all(line.split(" | ")[2].startswith("accuracy ") for line in table)
    baseline = float(table[4].split(" | ")[2].split()[1])
    assert baseline == pytest.approx(71 / 178, abs=0.02)  # wine's largest class
    accuracy = float(table[0].split(" | ")[2].split()[1])
    assert accuracy > 0.9


def messy_wine():
    """wine as a user's table: a string and a boolean column, missing values in
    both kinds, labels as names, the index written as a column, rows without a
    label, sorted by class (so a leaked row number would predict it)."""
    X, y = load_wine(return_X_y=True, as_frame=True)
    rng = np.random.RandomState(0)
    frame = X.iloc[:, :6].copy()
    frame["region"] = np.where(X["alcohol"] > 13, "north", "south").astype(object)
    frame["organic"] = X["hue"] > 1
    for column in ("alcohol", "ash", "region"):
        frame.loc[rng.rand(len(frame)) < 0.1, column] = np.nan
    frame["cultivar"] = np.array(["barolo", "grignolino", "barbera"])[y]
    frame.loc[[5, 90], "cultivar"] = np.nan
    return frame.sort_values("cultivar", na_position="first").reset_index(drop=True)


@pytest.fixture(params=["empty", "nan"])
def wine_csv(request, tmp_path):
    path = tmp_path / "wine.csv"
    na_rep = "" if request.param == "empty" else "nan"
    messy_wine().to_csv(path, na_rep=na_rep)  # with its index, as to_csv does by default
    return path


def test_a_table_is_read_with_its_mess_named_and_dropped(wine_csv):
    with pytest.warns(UserWarning) as record:
        table = read_table(wine_csv, "cultivar")
    messages = " ".join(str(w.message) for w in record)
    assert "column 'Unnamed: 0': a row number or identifier" in messages
    assert "2 rows: no value in 'cultivar'" in messages
    assert len(table.y) == 176 and "Unnamed: 0" not in table.X.columns
    assert table.kinds() == {
        "numeric": [
            "alcohol",
            "malic_acid",
            "ash",
            "alcalinity_of_ash",
            "magnesium",
            "total_phenols",
        ],
        "categorical": ["region", "organic"],
    }
    assert table.X["region"].isna().sum() > 0
    assert set(table.X["organic"]) == {"True", "False"}


def test_the_command_line_runs_on_a_messy_table_and_its_model_round_trips(
    wine_csv, tmp_path, capsys
):
    model = tmp_path / "model.skops"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning reaches the user
        code = main(
            [
                "--csv",
                str(wine_csv),
                "--target",
                "cultivar",
                "--folds",
                "2",
                "--threads",
                "1",
                "--save",
                str(model),
            ]
        )
    assert code == 0
    out = capsys.readouterr().out
    assert "seed notebook" not in out
    assert "176 rows, target 'cultivar'" in out
    assert "classes (3): barbera 48, barolo 58, grignolino 70" in out
    assert "missing values: alcohol" in out
    rows = [line.split(" | ") for line in out.splitlines() if line.startswith("| wine.csv |")]
    assert len(rows) == 5
    accuracy = {row[1]: float(row[2].split()[1]) for row in rows}
    # a leaked row number would score 1.0; the features alone score less
    assert 0.8 < accuracy["SigmoidPerceptronClassifier (tuned)"] < 1.0
    assert f"to {model} (skops)" in out

    new = tmp_path / "new.csv"
    messy_wine().drop(columns="cultivar").iloc[:10].to_csv(new, index=False)
    answers = tmp_path / "answers.csv"
    assert main(["--model", str(model), "--predict", str(new), "--output", str(answers)]) == 0
    assert capsys.readouterr().out == f"Wrote 10 predictions to {answers}\n"
    written = pd.read_csv(answers)
    assert list(written.columns) == [
        "row",
        "prediction",
        "proba_barbera",
        "proba_barolo",
        "proba_grignolino",
    ]
    np.testing.assert_allclose(written.iloc[:, 2:].sum(axis=1), 1, rtol=1e-5)
    assert main(["--model", str(model), "--predict", str(new)]) == 0
    assert capsys.readouterr().out == answers.read_text()


def test_a_parquet_table_reads_as_the_csv(tmp_path):
    pytest.importorskip("pyarrow")
    frame = messy_wine()
    frame.to_parquet(tmp_path / "wine.parquet", index=False)
    frame.to_csv(tmp_path / "wine.csv", index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        parquet = read_table(tmp_path / "wine.parquet", "cultivar")
        csv = read_table(tmp_path / "wine.csv", "cultivar")
    pd.testing.assert_frame_equal(parquet.X, csv.X, check_dtype=False)
    np.testing.assert_array_equal(parquet.y, csv.y)


@pytest.mark.parametrize(
    "content, message",
    [
        ("x,y\n1,a\n2,b\n", "column 'label' is not in"),
        ("x,label\n1,a\n2,a\n", "one class ('a')"),
        ("label\na\nb\n", "no feature column besides 'label'"),
        (
            "x,label\n" + "".join(f"{i},{'ab'[i % 2]}\n" for i in range(30)) + "?,a\n",
            "column 'x' holds numbers and 1 value(s) that are not: ['?']",
        ),
        ("", "is not a readable table"),
    ],
)
def test_a_bad_table_gives_an_error_that_names_the_problem(tmp_path, capsys, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    assert main(["--csv", str(path), "--target", "label"]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""  # nothing runs before the table is checked


def test_a_missing_file_and_a_file_that_is_no_model_are_named(tmp_path, capsys):
    assert main(["--csv", str(tmp_path / "none.csv"), "--target", "y"]) == 2
    assert "no such file" in capsys.readouterr().err
    (tmp_path / "x.csv").write_text("a\n1\n")
    assert main(["--model", str(tmp_path / "x.csv"), "--predict", str(tmp_path / "x.csv")]) == 2
    assert "is not a model saved by --save" in capsys.readouterr().err


def test_a_model_file_with_other_types_is_not_loaded(tmp_path, capsys):
    import operator

    import skops.io
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    from sk_backprop import SigmoidPerceptronClassifier

    X, y = load_wine(return_X_y=True, as_frame=True)
    model = make_pipeline(
        FunctionTransformer(operator.neg), SigmoidPerceptronClassifier(max_iter=5, tol=None)
    ).fit(X, y)
    skops.io.dump(model, tmp_path / "m.skops")
    X.to_csv(tmp_path / "x.csv", index=False)
    assert main(["--model", str(tmp_path / "m.skops"), "--predict", str(tmp_path / "x.csv")]) == 2
    assert "which --save never writes, so it is not loaded" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--csv", "x.csv"], "--csv and --target go together"),
        (["--model", "m.skops"], "--model and --predict go together"),
        (["--save", "m.skops"], "--save needs a table"),
        (["--threads", "0"], "--threads must be at least 1"),
        (["--random-state", "-1"], "--random-state must be from 0 to 2**32 - 1, got -1"),
        (["--random-state", str(2**32)], "--random-state must be from 0 to 2**32 - 1"),
        (["--onnx", "m.onnx"], "--onnx needs a table"),
        (["--models", "ours,forest"], "--models takes a comma-separated list of ours, default"),
        (["--models", ","], "--models takes a comma-separated list"),
    ],
)
def test_usage_errors(capsys, argv, message):
    with pytest.raises(SystemExit):
        main(argv)
    assert message in capsys.readouterr().err


def write(path, frame, **kwargs):
    frame.to_csv(path, index=False, **kwargs)
    return path


def labelled(n=60, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.randn(n)
    return pd.DataFrame({"x": x, "z": rng.randn(n), "label": np.where(x > 0, "yes", "no")})


@pytest.mark.parametrize(
    "target, message",
    [
        ("amount", "column 'amount' of"),
    ],
)
def test_a_continuous_target_is_refused_in_scikit_learns_words(tmp_path, capsys, target, message):
    frame = labelled().assign(amount=np.linspace(0, 1, 60) ** 2)
    assert main(["--csv", str(write(tmp_path / "t.csv", frame)), "--target", target]) == 2
    err = capsys.readouterr().err
    assert message in err and "continuous target (type_of_target: 'continuous'" in err


def test_classes_rarer_than_the_folds_are_refused_before_training(tmp_path, capsys):
    frame = pd.DataFrame({"x": np.arange(2000.0) % 7, "label": np.repeat(np.arange(1000), 2)})
    assert main(["--csv", str(write(tmp_path / "t.csv", frame)), "--target", "label"]) == 2
    captured = capsys.readouterr()
    assert "column 'label': 1000 of its 1000 classes have fewer than 5 rows" in captured.err
    assert "lower --folds" in captured.err and captured.out == ""


@pytest.mark.parametrize(
    "name, values",
    [
        ("label.1", None),  # pandas' name for a repeated header
        ("copy", None),  # the same values under another name
    ],
)
def test_a_column_that_repeats_the_target_is_dropped_with_a_note(tmp_path, name, values):
    frame = labelled()
    frame[name] = frame["label"]
    with pytest.warns(UserWarning, match=f"dropped column '{name}': it repeats the target"):
        table = read_table(write(tmp_path / "t.csv", frame), "label")
    assert list(table.X.columns) == ["x", "z"]


def test_the_original_of_a_repeated_header_is_dropped_when_the_repeat_is_the_target(tmp_path):
    """--target label.1 (pandas' name for the second of two 'label' headers) drops
    'label', whose integers the missing value made floats in the repeat (1 and 1.0)."""
    path = tmp_path / "t.csv"
    rows = [f"{i % 5},{i % 2},{'' if i == 3 else i % 2}\n" for i in range(30)]
    path.write_text("x,label,label\n" + "".join(rows))
    with pytest.warns(UserWarning, match="dropped column 'label': it repeats the target"):
        assert list(read_table(path, "label.1").X.columns) == ["x"]


def test_a_numeric_copy_with_a_missing_value_repeats_the_target(tmp_path):
    frame = labelled()
    frame["label"] = np.arange(len(frame)) % 2
    frame["copy"] = frame["label"].astype(float)
    frame.loc[0, "copy"] = np.nan  # read back as floats: 1.0 beside the target's 1
    with pytest.warns(UserWarning, match="dropped column 'copy': it repeats the target"):
        table = read_table(write(tmp_path / "t.csv", frame), "label")
    assert list(table.X.columns) == ["x", "z"]


def test_a_repeated_header_is_dropped(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "x,label,label\n" + "".join(f"{i % 5},{'ab'[i % 2]},{'ab'[i % 2]}\n" for i in range(30))
    )
    with pytest.warns(UserWarning, match="dropped column 'label.1': it repeats the target"):
        assert list(read_table(path, "label").X.columns) == ["x"]


@pytest.mark.parametrize(
    "name, values",
    [
        ("rownames", np.arange(1, 61)),
        ("id", np.random.RandomState(1).permutation(60) * 7),
        ("n", np.arange(60)),
        ("Unnamed: 0", np.arange(60)),
    ],
)
def test_a_row_id_column_is_dropped_with_a_note(tmp_path, name, values):
    frame = labelled()
    frame.insert(0, name, values)
    with pytest.warns(UserWarning, match=f"dropped column '{name}': a row number or identifier"):
        table = read_table(write(tmp_path / "t.csv", frame), "label")
    assert list(table.X.columns) == ["x", "z"]


@pytest.mark.parametrize("separator", [";", "\t", "|"])
def test_the_separator_is_found_whatever_the_file_is_called(tmp_path, separator):
    frame = labelled().assign(kind=lambda f: np.where(f["z"] > 0, "p", "q"))
    path = write(tmp_path / "t.csv", frame, sep=separator)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = read_table(path, "label")
    assert list(table.X.columns) == ["x", "z", "kind"]


def test_a_near_miss_target_name_is_suggested(tmp_path, capsys):
    frame = labelled().rename(columns={"label": "Status"})
    assert main(["--csv", str(write(tmp_path / "t.csv", frame)), "--target", "status"]) == 2
    assert "Did you mean 'Status'?" in capsys.readouterr().err


@pytest.fixture(scope="module")
def small_model(tmp_path_factory):
    folder = tmp_path_factory.mktemp("model")
    frame = labelled(90).assign(kind=lambda f: np.where(f["z"] > 0, "p", "q"))
    assert (
        main(
            [
                "--csv",
                str(write(folder / "t.csv", frame)),
                "--target",
                "label",
                "--folds",
                "2",
                "--save",
                str(folder / "m.skops"),
            ]
        )
        == 0
    )
    return folder / "m.skops"


@pytest.mark.parametrize(
    "content, message",
    [
        ("x,z,kind\n1,2,p\nlots,1,q\n", "column 'x' of"),
        ("x,z,kind\n1,inf,p\n0,1,q\n", "column 'z' of"),
        ("x,z,kind\n", "has a header but no row to predict"),
        ("x,kind\n1,p\n", "lacks the column(s) ['z']"),
    ],
)
def test_a_bad_table_to_predict_is_named(small_model, tmp_path, capsys, content, message):
    path = tmp_path / "new.csv"
    path.write_text(content)
    assert main(["--model", str(small_model), "--predict", str(path)]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""


def test_extra_columns_are_noted_and_a_row_id_is_kept(small_model, tmp_path, capsys):
    path = tmp_path / "new.csv"
    path.write_text("rownames,x,z,kind,colour\n7,1,2,p,red\n9,-1,0.5,q,blue\n")
    assert main(["--model", str(small_model), "--predict", str(path)]) == 0
    captured = capsys.readouterr()
    assert "ignored the column(s) ['colour']" in captured.err
    assert captured.out.splitlines()[0] == "rownames,prediction,proba_no,proba_yes"
    assert [line.split(",")[:2] for line in captured.out.splitlines()[1:]] == [
        ["7", "yes"],
        ["9", "no"],
    ]


def test_progress_is_one_line_per_fit_off_a_terminal(tmp_path, capsys):
    frame = labelled(90)
    assert (
        main(["--csv", str(write(tmp_path / "t.csv", frame)), "--target", "label", "--folds", "2"])
        == 0
    )
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("[")]
    assert len(lines) == 10 and lines[-1].startswith("[10/10] t.csv: ")
    assert all("fold" in line and "s left" in line for line in lines)


def test_models_chooses_the_compared_models_and_the_plan_counts_their_fits(tmp_path, capsys):
    frame = labelled(90)
    path = str(write(tmp_path / "t.csv", frame))
    argv = ["--csv", path, "--target", "label", "--folds", "2", "--models", "majority,logistic"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "Plan: 2 models x 2 folds; 4 fits in all." in " ".join(captured.out.split())
    assert "LogisticRegression" in captured.out and "majority class" in captured.out
    assert "MLPClassifier" not in captured.out and "SigmoidPerceptron" not in captured.out
    progress = [line for line in captured.err.splitlines() if line.startswith("[")]
    assert len(progress) == 4 and progress[-1].startswith("[4/4]")


def test_fits_that_stopped_short_are_named_by_model(tmp_path, capsys, monkeypatch):
    from sklearn.linear_model import LogisticRegression

    import sk_backprop.cli._compare as compare

    monkeypatch.setattr(
        compare,
        "models",
        lambda kinds, random_state, names=(), metric="accuracy": {
            "LogisticRegression": LogisticRegression(max_iter=1)
        },
    )
    frame = labelled(90)
    assert (
        main(["--csv", str(write(tmp_path / "t.csv", frame)), "--target", "label", "--folds", "3"])
        == 0
    )
    assert (
        "LogisticRegression: 3 of its fits ended with a ConvergenceWarning (it stopped short "
        "of its tolerance): t.csv fold 1, t.csv fold 2, t.csv fold 3." in capsys.readouterr().out
    )


def test_folds_in_parallel_give_the_same_table(tmp_path, capsys):
    path = write(tmp_path / "t.csv", labelled(90))
    tables = []
    for jobs in ("1", "2"):
        assert main(["--csv", str(path), "--target", "label", "--folds", "2", "--jobs", jobs]) == 0
        out = capsys.readouterr().out
        tables.append(
            [line.split(" | ")[2:4] for line in out.splitlines() if line.startswith("| t.csv |")]
        )
    assert tables[0] == tables[1] and len(tables[0]) == 5


def test_on_a_terminal_progress_is_a_bar_that_clears_itself():
    import io

    from sk_backprop.cli._report import Progress

    pytest.importorskip("rich")

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    progress = Progress(total=4, folds=2, stream=stream)
    assert progress.bar is not None
    for fold in range(2):
        for model in ("LogisticRegression", "MLPClassifier"):
            progress.done("wine", model, fold, "accuracy", 0.9, 0.01)
    progress.close()
    assert "[" not in stream.getvalue().replace("\x1b[", "")  # no per-fit lines


def test_a_closed_pipe_ends_the_run_quietly():
    """`python -m sk_backprop | head -1`: the reader goes away; the run stops without
    a traceback or an error line, with the shell's code for SIGPIPE."""
    run = subprocess.Popen(
        [sys.executable, "-m", "sk_backprop", "--datasets", "wine", "--folds", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    run.stdout.readline()
    run.stdout.close()  # as head does after its line
    assert run.wait(timeout=300) == 141
    err = run.stderr.read()
    assert "Broken pipe" not in err and "Traceback" not in err and "error:" not in err


def imbalanced(n=120, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.randn(n)
    return pd.DataFrame({"x": x, "z": rng.randn(n), "label": np.where(x > 0.8, "rare", "common")})


def test_the_metric_is_balanced_accuracy_where_classes_are_imbalanced(tmp_path, capsys):
    path = str(write(tmp_path / "t.csv", imbalanced()))
    assert main(["--csv", path, "--target", "label", "--folds", "2", "--models", "majority"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("| t.csv |"))
    assert "| balanced accuracy 0.5000 ± 0.0000 |" in row  # the majority class: chance


def test_log_loss_is_a_metric_whose_worst_fold_is_the_largest(tmp_path, capsys):
    path = str(write(tmp_path / "t.csv", labelled(90)))
    argv = ["--csv", path, "--target", "label", "--folds", "3", "--models", "logistic",
            "--metric", "log_loss"]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("| t.csv |")).split(" | ")
    assert row[2].startswith("log loss ")
    worst, best = map(float, row[3].split("-"))
    assert worst >= best > 0
    assert "Score: log loss." in out


def test_quiet_prints_the_table_alone(tmp_path, capsys):
    path = str(write(tmp_path / "t.csv", labelled(90)))
    argv = ["--csv", path, "--target", "label", "--folds", "2", "--models", "logistic", "--quiet"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.splitlines()[0].startswith("| data set | model | score (2-fold CV")
    assert "Plan:" not in captured.out and "Done in" not in captured.out


def test_the_table_says_when_tuning_did_not_beat_the_defaults():
    from sk_backprop.cli._names import DEFAULT, OURS
    from sk_backprop.cli._report import tuning_sentences

    def rows(tuned, default, metric):
        return [
            ("Chile", OURS, metric, np.array(tuned), np.array([1.0]), "hidden=(16,)"),
            ("Chile", DEFAULT, metric, np.array(default), np.array([0.5]), ""),
        ]

    (sentence,) = tuning_sentences(rows([0.650], [0.666], "accuracy"))
    assert "On Chile, tuning did not beat the defaults: accuracy 0.6500 tuned" in sentence
    assert tuning_sentences(rows([0.70], [0.666], "accuracy")) == []
    assert tuning_sentences(rows([0.40], [0.45], "log_loss")) == []  # lower is better
    assert len(tuning_sentences(rows([0.50], [0.45], "log_loss"))) == 1


def test_the_search_holds_the_default_configuration():
    from sk_backprop import SigmoidPerceptronClassifier
    from sk_backprop.cli._compare import GRID

    defaults = SigmoidPerceptronClassifier().get_params()
    for name, values in GRID.items():
        assert defaults[name.split("__")[1]] in values


def test_one_progress_count_runs_over_every_data_set(capsys):
    from sk_backprop.cli._compare import Comparison

    comparison = Comparison(2, 0, 1, 1, names=("majority class (DummyClassifier)",))
    from sklearn.datasets import load_breast_cancer

    X1, y1 = load_wine(return_X_y=True)
    X2, y2 = load_breast_cancer(return_X_y=True)
    kinds = {"numeric": [], "categorical": []}
    comparison.run({"wine": (X1, y1, kinds), "cancer": (X2, y2, kinds)})
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("[")]
    assert [line.split("]")[0] for line in lines] == ["[1/4", "[2/4", "[3/4", "[4/4"]
    assert lines[1].startswith("[2/4] wine: ") and lines[2].startswith("[3/4] cancer: ")


def test_help_and_import_load_no_scikit_learn():
    """--help answers without importing scikit-learn (1.2 s here, 20 s seen on a busy
    machine): the package's public names are imported when first used."""
    code = (
        "import sys, contextlib, io\n"
        "import sk_backprop\n"
        "from sk_backprop.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        main(['--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy')))\n"
        "from sk_backprop import SigmoidPerceptronClassifier\n"
        "print('sklearn' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.splitlines() == ["[]", "True"]


def test_a_repeated_row_id_header_is_a_row_id_too(tmp_path):
    """R's write.csv of a data set that already had a rownames column: the second is
    'rownames.1', holding the original row names (not a count)."""
    frame = labelled(60)
    frame.insert(0, "rownames", np.arange(1, 61))
    frame.insert(1, "rownames.1", np.random.RandomState(0).permutation(1000)[:60] + 7)
    with pytest.warns(UserWarning):
        table = read_table(write(tmp_path / "t.csv", frame), "label")
    assert list(table.X.columns) == ["x", "z"]
