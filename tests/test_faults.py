"""No fault leaves a half-fitted estimator; no fit leaves the BLAS threads changed.

Each test injects an exception at every evaluation of the objective (and at every
epoch's end) of short fits and checks that the estimator is exactly as it was.
"""

import pickle
import threading

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.exceptions import NotFittedError
from threadpoolctl import threadpool_info

from sk_backprop import SigmoidPerceptronClassifier
from sk_backprop._core import objective as _objective
from sk_backprop._core.monitor import EpochMonitor

X2, y2 = make_classification(n_samples=60, n_features=4, random_state=0)
X3, y3 = make_classification(
    n_samples=60, n_features=5, n_informative=3, n_classes=3, random_state=1
)
SOLVERS = ["lbfgs", "newton-cholesky", "gd", "sgd", "adam"]


class Interrupt(KeyboardInterrupt):
    pass


def state(clf):
    return pickle.dumps(vars(clf))


def count_calls(monkeypatch, target, name, call):
    """Run ``call`` counting the calls of ``target.name``; returns the count."""
    original = getattr(target, name)
    calls = [0]

    def counting(*args, **kwargs):
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(target, name, counting)
    call()
    monkeypatch.setattr(target, name, original)
    return calls[0]


def interrupt_each_call(monkeypatch, target, name, make, call):
    """For each k, a fresh ``make()`` whose ``call`` is interrupted at the k-th
    call of ``target.name``; returns (points tried, states that changed)."""
    clf = make()
    n_calls = count_calls(monkeypatch, target, name, lambda: call(clf))
    original = getattr(target, name)
    changed = 0
    for k in range(1, n_calls + 1):
        clf = make()
        before = state(clf)
        calls = [0]

        def failing(*args, **kwargs):
            calls[0] += 1
            if calls[0] == k:
                raise Interrupt
            return original(*args, **kwargs)

        monkeypatch.setattr(target, name, failing)
        with pytest.raises(Interrupt):
            call(clf)
        monkeypatch.setattr(target, name, original)
        changed += state(clf) != before
    return n_calls, changed


def scenarios(solver):
    hidden = () if solver == "newton-cholesky" else (3,)
    params = dict(solver=solver, hidden_layer_sizes=hidden, max_iter=4, random_state=0)
    fitted = lambda **p: SigmoidPerceptronClassifier(**{**params, **p}).fit(X2, y2)  # noqa: E731
    yield (
        "fit an unfitted estimator",
        lambda: SigmoidPerceptronClassifier(**params),
        lambda c: c.fit(X2, y2),
    )
    yield "refit on new classes", fitted, lambda c: c.fit(X3, y3)
    yield "warm start", lambda: fitted(warm_start=True), lambda c: c.fit(X2, y2)
    yield (
        "early stopping refit",
        lambda: fitted().set_params(early_stopping=True),
        lambda c: c.fit(X2, y2),
    )
    if solver not in ("lbfgs", "newton-cholesky"):
        yield (
            "first partial_fit",
            lambda: SigmoidPerceptronClassifier(**params),
            lambda c: c.partial_fit(X2, y2, classes=[0, 1]),
        )
        yield "partial_fit after fit", fitted, lambda c: c.partial_fit(X2, y2)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("where", ["objective", "epoch end"])
def test_an_interrupt_anywhere_leaves_the_estimator_as_it_was(monkeypatch, solver, where):
    target, name = (
        (_objective.ArrayObjective, "__call__")
        if where == "objective"
        else (EpochMonitor, "epoch_ends")
    )
    tried = 0
    for description, make, call in scenarios(solver):
        points, changed = interrupt_each_call(monkeypatch, target, name, make, call)
        assert changed == 0, (
            f"{description}: {changed} of {points} interrupts changed the estimator"
        )
        assert points >= 1, f"{description} was never interrupted"
        tried += points
    assert tried >= 10


def test_an_interrupted_first_partial_fit_leaves_the_estimator_unfitted(monkeypatch):
    clf = SigmoidPerceptronClassifier(solver="sgd")
    monkeypatch.setattr(
        _objective.ArrayObjective, "__call__", lambda *a, **k: (_ for _ in ()).throw(Interrupt)
    )
    with pytest.raises(Interrupt):
        clf.partial_fit(X2, y2, classes=[0, 1])
    monkeypatch.undo()
    assert not hasattr(clf, "classes_")
    with pytest.raises(NotFittedError):
        clf.predict(X2)
    with pytest.raises(ValueError, match="classes must be passed"):
        clf.partial_fit(X2, y2)


def test_after_an_interrupt_the_sequence_goes_on_as_if_uninterrupted(monkeypatch):
    params = dict(solver="adam", hidden_layer_sizes=(3,), random_state=0)
    straight = SigmoidPerceptronClassifier(**params)
    interrupted = SigmoidPerceptronClassifier(**params)
    for clf in (straight, interrupted):
        clf.partial_fit(X2, y2, classes=[0, 1])
    original = _objective.ArrayObjective.__call__
    calls = [0]

    def failing(self, *args, **kwargs):
        calls[0] += 1
        if calls[0] == 2:
            raise Interrupt
        return original(self, *args, **kwargs)

    monkeypatch.setattr(_objective.ArrayObjective, "__call__", failing)
    with pytest.raises(Interrupt):
        interrupted.partial_fit(X2, y2)
    monkeypatch.undo()
    for clf in (straight, interrupted):
        clf.partial_fit(X2, y2)
    for a, b in zip(straight.coefs_, interrupted.coefs_):
        np.testing.assert_array_equal(a, b)
    assert straight.t_ == interrupted.t_ and straight.loss_curve_ == interrupted.loss_curve_


def blas_threads():
    return sorted(
        (info["filepath"], info["num_threads"])
        for info in threadpool_info()
        if info["user_api"] == "blas"
    )


@pytest.mark.parametrize("solver", SOLVERS)
def test_concurrent_fits_leave_the_blas_threads_as_they_were(solver):
    X, y = make_classification(n_samples=300, random_state=0)
    before = blas_threads()
    clf = SigmoidPerceptronClassifier(solver=solver, max_iter=30, tol=None, random_state=0)
    for _ in range(5):
        barrier = threading.Barrier(4)

        def fit():
            barrier.wait()
            clone(clf).fit(X, y)

        threads = [threading.Thread(target=fit) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert blas_threads() == before


@pytest.mark.parametrize(
    "bad_chunk",
    [
        (np.full((4, 4), np.nan), [0, 1, 0, 1]),  # NaN in X
        (np.ones((4, 3)), [0, 1, 0, 1]),  # wrong number of features
        (np.ones((4, 4)), [0, 1, 2, 1]),  # an undeclared class
    ],
)
def test_a_bad_chunk_leaves_the_estimator_as_it_was(bad_chunk):
    clf = SigmoidPerceptronClassifier(solver="sgd", random_state=0)
    clf.partial_fit(X2, y2, classes=[0, 1])
    before = state(clf)
    with pytest.raises(ValueError):
        clf.partial_fit(*bad_chunk)
    assert state(clf) == before
