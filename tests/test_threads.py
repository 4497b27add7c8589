"""BLAS threads: a fit sets one thread only where it pays, only in the main thread,
and leaves threadpool_info() and SIGINT's handler as it found them, whatever runs
beside it and wherever a signal lands."""

import random
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from joblib import parallel_backend
from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV
from threadpoolctl import threadpool_info, threadpool_limits

import sk_backprop._core.threads as threads_module
from sk_backprop import SigmoidPerceptronClassifier

X, y = make_classification(n_samples=120, n_features=6, random_state=0)
RUNS = 100


def blas_threads():
    return sorted(
        (info["filepath"], info["num_threads"])
        for info in threadpool_info()
        if info["user_api"] == "blas"
    )


@pytest.fixture
def two_threads():
    """Every BLAS at 2 threads, so that a limit of 1 left behind shows."""
    # Python's own SIGINT handler (an earlier test may have left another one; SIG_DFL
    # would end the process at the storm's first signal)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with threadpool_limits(2, user_api="blas"):
            before = blas_threads()
            yield before
            assert blas_threads() == before
            assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize("handler", ["python", signal.SIG_DFL, signal.SIG_IGN])
def test_a_fit_in_the_main_thread_runs_with_one_thread_and_restores(
    two_threads, monkeypatch, handler
):
    inside = []
    real = threads_module._single_thread

    @contextmanager
    def watched(previous):
        with real(previous):
            inside.append(blas_threads())
            yield

    monkeypatch.setattr(threads_module, "_single_thread", watched)
    previous = signal.getsignal(signal.SIGINT)
    if handler != "python":
        signal.signal(signal.SIGINT, handler)
    try:
        SigmoidPerceptronClassifier().fit(X, y)
        assert signal.getsignal(signal.SIGINT) is (previous if handler == "python" else handler)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert inside and all(count == 1 for _, count in inside[0])
    assert blas_threads() == two_threads


def test_gridsearch_under_the_threading_backend_leaves_the_threads(two_threads):
    search = GridSearchCV(
        SigmoidPerceptronClassifier(max_iter=20), {"alpha": [1e-4, 1e-2]}, cv=2, n_jobs=2
    )
    for _ in range(RUNS):
        with parallel_backend("threading", n_jobs=2):
            search.fit(X, y)
        assert blas_threads() == two_threads


def test_fits_in_a_thread_pool_beside_one_in_the_main_thread_leave_the_threads(two_threads):
    for _ in range(RUNS):
        with ThreadPoolExecutor(2) as pool:
            futures = [
                pool.submit(SigmoidPerceptronClassifier(max_iter=10).fit, X, y) for _ in range(8)
            ]
            SigmoidPerceptronClassifier(solver="gd", max_iter=10, tol=None).fit(X, y)
            for future in futures:
                future.result()
        assert blas_threads() == two_threads


def _settle(stop, sender):
    """Stop the storm and absorb the signals already on their way."""
    while True:
        try:
            stop.set()
            sender.join()
            time.sleep(0.01)
            return
        except KeyboardInterrupt:
            pass


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="needs pthread_kill (POSIX)")
def test_a_sigint_storm_leaves_the_threads_and_the_handler(two_threads):
    main = threading.main_thread().ident
    interrupted = 0
    for run in range(RUNS):
        stop = threading.Event()
        rng = random.Random(run)

        def storm():
            while not stop.is_set():
                time.sleep(rng.uniform(0, 0.004))
                if not stop.is_set():
                    signal.pthread_kill(main, signal.SIGINT)

        sender = threading.Thread(target=storm)
        try:
            sender.start()
            for solver in ("lbfgs", "gd"):
                try:
                    SigmoidPerceptronClassifier(solver=solver, max_iter=30, tol=None).fit(X, y)
                except KeyboardInterrupt:
                    interrupted += 1
        except KeyboardInterrupt:
            pass
        _settle(stop, sender)
        assert blas_threads() == two_threads
    assert interrupted > 0  # the storm did land inside fits


def test_a_sigint_at_any_line_of_the_limiter_leaves_the_threads_and_the_handler(two_threads):
    """At each line of _threads in turn, run SIGINT's handler as Python would when
    a signal lands there; every point of the limit must leave the setting whole."""
    module_file = threads_module.__file__
    fired = []
    k = 0
    while True:
        count = [0]

        def tracer(frame, event, arg):
            if frame.f_code.co_filename != module_file:
                return tracer
            if event == "line":
                count[0] += 1
                if count[0] == k:
                    fired.append(k)
                    handler = signal.getsignal(signal.SIGINT)
                    handler(signal.SIGINT, frame)
            return tracer

        sys.settrace(tracer)
        try:
            SigmoidPerceptronClassifier(max_iter=3, tol=None).fit(X, y)
        except KeyboardInterrupt:
            pass
        finally:
            sys.settrace(None)
        assert blas_threads() == two_threads, f"line event {k}"
        if count[0] < k:
            break
        k += 1
    assert len(fired) > 5
