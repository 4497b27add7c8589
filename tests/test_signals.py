"""The command line stops when told, whatever a fit does with the signal, writes
nothing and exits with the shell's code (docs/getting_started.rst); two runs that
write the same file cannot both take its name."""

import os
import signal
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.neural_network import MLPClassifier

import sk_backprop.cli._compare as compare
from sk_backprop.cli import main

pytest.importorskip("skops")


class SignalledMLP(MLPClassifier):
    """A real MLPClassifier that is sent ``signum`` in its third epoch: its own loop
    catches the KeyboardInterrupt our handler raises, warns 'Training interrupted by
    user.' and returns a half-trained model, as it does for a key press."""

    def __init__(self, signum=signal.SIGINT, **kwargs):
        super().__init__(**kwargs)
        self.signum = signum

    def _update_no_improvement_count(self, *args, **kwargs):
        super()._update_no_improvement_count(*args, **kwargs)
        if len(self.loss_curve_) == 3:
            os.kill(os.getpid(), self.signum)


def table(path):
    rng = np.random.RandomState(0)
    x = rng.randn(90)
    frame = pd.DataFrame({"x": x, "z": rng.randn(90), "label": np.where(x > 0, "yes", "no")})
    frame.to_csv(path, index=False)
    return path


def saved_model(tmp_path):
    """A table and the model --save wrote of it."""
    data, model = table(tmp_path / "t.csv"), tmp_path / "m.skops"
    assert (
        main(["--csv", str(data), "--target", "label", "--folds", "3", "--save", str(model)]) == 0
    )
    return data, model


@pytest.mark.parametrize(
    "signum, code",
    [(signal.SIGINT, 130), (signal.SIGTERM, 143)]
    + ([(signal.SIGHUP, 129)] if hasattr(signal, "SIGHUP") else []),
)
def test_a_signal_inside_mlpclassifier_stops_the_run_and_writes_nothing(
    tmp_path, monkeypatch, capsys, signum, code
):
    monkeypatch.setattr(
        compare,
        "models",
        lambda kinds, random_state, names=(), metric="accuracy": {
            "MLPClassifier": SignalledMLP(signum=signum, max_iter=50, random_state=0)
        },
    )
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    saved = tmp_path / "model.skops"
    arguments = ["--csv", str(table(tmp_path / "t.csv")), "--target", "label"]
    before = signal.signal(signum, signal.SIG_DFL)  # not ignored, even under nohup
    try:
        assert main([*arguments, "--folds", "3", "--save", str(saved)]) == code
    finally:
        signal.signal(signum, before)
    assert "interrupted: stopped, and nothing was written" in capsys.readouterr().err
    assert sorted(os.listdir(tmp_path)) == ["t.csv"]  # no model, no temporary file
    # the process's own handlers are back
    assert {n: signal.getsignal(n) for n in handlers} == handlers


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP on this system")
def test_an_ignored_signal_stays_ignored(tmp_path, monkeypatch, capsys):
    """Under nohup SIGHUP is ignored: the run goes on to its table, as without us."""
    monkeypatch.setattr(
        compare,
        "models",
        lambda kinds, random_state, names=(), metric="accuracy": {
            "MLPClassifier": SignalledMLP(signum=signal.SIGHUP, max_iter=50, random_state=0)
        },
    )
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        arguments = ["--csv", str(table(tmp_path / "t.csv")), "--target", "label"]
        assert main([*arguments, "--folds", "3"]) == 0
        assert "| MLPClassifier |" in capsys.readouterr().out  # the table, every fold
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, previous)


def test_two_runs_writing_the_same_file_cannot_both_succeed(tmp_path):
    """Started together, both pass the check before the work; only one may take the
    name when it is done, and the other says it exists, leaving that file whole."""
    data = table(tmp_path / "t.csv")
    model = tmp_path / "m.skops"
    assert (
        main(["--csv", str(data), "--target", "label", "--folds", "3", "--save", str(model)]) == 0
    )
    output = tmp_path / "answers.csv"
    command = [sys.executable, "-m", "sk_backprop", "--model", str(model), "--predict", str(data)]
    runs = [
        subprocess.Popen(
            [*command, "--output", str(output)], stderr=subprocess.PIPE, text=True, cwd=tmp_path
        )
        for _ in range(2)
    ]
    codes = sorted(run.wait(timeout=120) for run in runs)
    errors = "".join(run.stderr.read() for run in runs)
    assert codes == [0, 2], errors
    assert "exists" in errors
    answers = pd.read_csv(output)
    assert len(answers) == 90  # whole: one run's file, not a mix and not half of one
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".partial")]


def test_a_file_that_appears_during_the_work_is_not_replaced(tmp_path, monkeypatch, capsys):
    """The name is taken atomically when the work is done, not checked before it."""
    from sk_backprop.cli import _files

    data = table(tmp_path / "t.csv")
    model = tmp_path / "m.skops"
    assert (
        main(["--csv", str(data), "--target", "label", "--folds", "3", "--save", str(model)]) == 0
    )
    output = tmp_path / "answers.csv"
    take_name = _files._take_name

    def someone_else_writes_first(temporary, target):
        output.write_text("another run's answers\n")
        take_name(temporary, target)

    monkeypatch.setattr(_files, "_take_name", someone_else_writes_first)
    code = main(["--model", str(model), "--predict", str(data), "--output", str(output)])
    assert code == 2 and "exists" in capsys.readouterr().err
    assert output.read_text() == "another run's answers\n"
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".partial")]
