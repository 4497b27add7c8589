"""The command line: python -m sk_backprop."""

import subprocess
import sys

import numpy as np
import pytest

from sk_backprop.__main__ import load_csv, main


def test_help_describes_the_options():
    result = subprocess.run(
        [sys.executable, "-m", "sk_backprop", "--help"], capture_output=True, text=True, check=True
    )
    for option in ("--csv", "--target", "--datasets", "--folds"):
        assert option in result.stdout


def test_main_reproduces_the_seed_and_prints_the_comparison_table(capsys):
    assert main(["--datasets", "wine", "--folds", "2"]) == 0
    out = capsys.readouterr().out
    assert "Predicted output for [1, 0, 0]: 0.99993" in out
    table = [line for line in out.splitlines() if line.startswith("| wine")]
    assert [line.split(" | ")[1] for line in table] == [
        "SigmoidPerceptronClassifier (tuned)",
        "LogisticRegression",
        "MLPClassifier",
    ]
    accuracy = float(table[0].split(" | ")[2].split(" ± ")[0])
    assert accuracy > 0.9


def test_main_runs_on_a_users_csv(tmp_path, capsys):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 2))
    labels = np.where(X[:, 0] + X[:, 1] > 0, "yes", "no")
    path = tmp_path / "data.csv"
    lines = ["a,label,b"] + [f"{a},{label},{b}" for (a, b), label in zip(X, labels)]
    path.write_text("\n".join(lines) + "\n")
    assert main(["--csv", str(path), "--target", "label", "--folds", "2"]) == 0
    assert f"| {path} | SigmoidPerceptronClassifier (tuned)" in capsys.readouterr().out


def test_csv_loader_keeps_labels_and_drops_the_target_from_features(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("x,y,z\n1,cat,2\n3,dog,4\n")
    features, labels = load_csv(str(path), "y")
    np.testing.assert_array_equal(features, [[1.0, 2.0], [3.0, 4.0]])
    assert list(labels) == ["cat", "dog"]


@pytest.mark.parametrize(
    "content, message",
    [("x,y\n1,a\n", "column 'label' is not in"), ("x,label\nnope,a\n", "must be numeric")],
)
def test_bad_csv_gives_a_clear_error(tmp_path, capsys, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    assert main(["--csv", str(path), "--target", "label"]) == 2
    assert message in capsys.readouterr().err


def test_csv_without_target_is_a_usage_error(capsys):
    with pytest.raises(SystemExit):
        main(["--csv", "x.csv"])
    assert "--csv and --target go together" in capsys.readouterr().err
