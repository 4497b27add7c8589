"""The monitor records; it decides nothing but a callback's request to stop."""

import numpy as np
import pytest
from sklearn.datasets import make_classification

from sk_backprop import SigmoidPerceptronClassifier
from sk_backprop._core.monitor import EpochMonitor


class Callbacks:
    def __init__(self, stop_at):
        self.stop_at = stop_at
        self.events = []

    def epoch_begins(self, theta):
        self.events.append("begin")

    def epoch_ends(self, epoch, theta, objective):
        self.events.append(("end", epoch, objective))
        return epoch == self.stop_at


def test_monitor_records_the_objective_of_each_epoch_and_never_stops_by_itself():
    monitor = EpochMonitor(max_iter=5)
    stops = [monitor.epoch_ends(np.zeros(1), value) for value in (3.0, 2.0, 2.0, 2.0, 2.0)]
    assert stops == [False] * 5
    assert monitor.loss_curve == [3.0, 2.0, 2.0, 2.0, 2.0] and monitor.n_iter == 5
    assert monitor.watched == 2.0


def test_monitor_keeps_the_weights_of_the_best_validation_score():
    scores = iter([0.5, 0.8, 0.7, 0.6])
    monitor = EpochMonitor(max_iter=10, validation_score=lambda theta: next(scores))
    for epoch in range(4):
        monitor.epoch_ends(np.array([float(epoch)]), 1.0)
    assert monitor.best_theta[0] == 1.0 and monitor.best_validation_score == 0.8
    assert monitor.best_epoch == 2
    assert monitor.watched == 1.0 - 0.6  # the validation error is what rules watch


def test_callbacks_hear_each_epoch_begin_before_it_ends_and_can_ask_to_stop():
    callbacks = Callbacks(stop_at=2)
    monitor = EpochMonitor(max_iter=5, callbacks=callbacks)
    answers = []
    for value in (1.0, 0.5):
        monitor.epoch_begins()
        answers.append(monitor.epoch_ends(np.zeros(1), value))
    assert callbacks.events == ["begin", ("end", 1, 1.0), "begin", ("end", 2, 0.5)]
    assert answers == [False, True]


def test_verbose_prints_one_line_per_epoch(capsys):
    monitor = EpochMonitor(max_iter=2, verbose=1)
    monitor.epoch_ends(np.zeros(1), 0.25)
    assert capsys.readouterr().out.startswith("Epoch 1, objective = 0.25")


def test_verbose_lines_carry_the_validation_score(capsys):
    X, y = make_classification(n_samples=300, random_state=0)
    SigmoidPerceptronClassifier(
        solver="adam", early_stopping=True, max_iter=3, tol=None, verbose=1
    ).fit(X, y)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 4
    assert "validation score = " in lines[0] and "elapsed = " in lines[0]


@pytest.mark.parametrize("solver", ["lbfgs", "gd", "sgd", "adam"])
def test_verbose_ends_saying_why_early_stopping_stopped_in_mlps_words(capsys, solver):
    X, y = make_classification(n_samples=300, random_state=0)
    clf = SigmoidPerceptronClassifier(
        solver=solver, early_stopping=True, tol=1e6, n_iter_no_change=4, verbose=1, random_state=0
    ).fit(X, y)
    assert clf.n_iter_ == 5  # a huge tol: n_iter_no_change + 1 epochs, as in scikit-learn
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        "Validation score did not improve more than tol=1000000.000000 for 4 consecutive "
        "epochs. Stopping."
    )


def test_verbose_2_shows_progress_with_an_eta(capsys):
    X, y = make_classification(n_samples=300, random_state=0)
    SigmoidPerceptronClassifier(solver="sgd", max_iter=4, tol=None, verbose=2).fit(X, y)
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "ETA" in text or "4/4" in text  # plain lines, or tqdm's bar
