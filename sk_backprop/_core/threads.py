"""One BLAS thread for small evaluations, set only where it can be restored exactly.

On small products BLAS threads cost more than they give, and NumPy's and SciPy's
OpenBLAS copies (L-BFGS-B calls the latter) spin-wait against each other between
calls: on digits (1,797 x 64, 10 outputs) L-BFGS took 0.31 s with 2 threads and
0.045 s with 1. But the thread count is a setting of the whole process. A limit
shared between threads (the first fit sets it, the last restores it) could not be
made exact: fits in other threads, or anyone else's ``threadpool_limits``, read
and restore each other's values, and GridSearchCV under joblib's threading
backend left both OpenBLAS pools at 1 thread in 2 runs of 3. So the limit is set
only by a fit running in the main thread, which restores it itself; fits in
other threads run with the setting as they find it and never change it. (joblib's
default backend runs each task in the main thread of a worker process, where the
limit applies.)

A SIGINT can land on any line, and Python runs its handler in the main thread,
the one that set the limit. So while the limit is set, SIGINT's handler is one
that first restores the setting and the previous handler, then does what that
handler does (raise KeyboardInterrupt). The values to restore are recorded before
any is changed; the handler is installed before the first change and put back
after the last, so a signal between any two lines finds the setting whole or
restores it before it interrupts.
"""

import signal
import threading
from contextlib import contextmanager, nullcontext
from functools import cache

from threadpoolctl import ThreadpoolController

_original = None  # [(BLAS library controller, its thread count)] while the limit is set


@cache
def _controller():
    # Finding the loaded BLAS libraries takes milliseconds, as long as a small fit:
    # do it once. NumPy's and SciPy's BLAS are loaded before the first fit.
    return ThreadpoolController().select(user_api="blas")


def _restore():
    """Put back the recorded thread counts, if any (idempotent)."""
    global _original
    if _original is not None:
        for library, num_threads in _original:
            library.set_num_threads(num_threads)
        _original = None


@contextmanager
def _single_thread(previous):
    """One BLAS thread for the block; ``previous`` is SIGINT's handler, chained to
    when it is a Python function (SIG_DFL ends the process and SIG_IGN ignores the
    signal: neither can interrupt the block half-way, so neither is replaced)."""
    global _original

    def restore_then_interrupt(signum, frame):
        _restore()
        signal.signal(signal.SIGINT, previous)
        previous(signum, frame)

    chained = callable(previous)
    try:
        if chained:
            signal.signal(signal.SIGINT, restore_then_interrupt)
        _restore()  # a limit of an outer fit in this thread: the values it found
        libraries = _controller().lib_controllers
        _original = [(library, library.num_threads) for library in libraries]
        for library in libraries:
            library.set_num_threads(1)
        yield
    finally:
        try:
            _restore()
        finally:  # a SIGINT in between ran restore_then_interrupt, which did both
            if chained:
                signal.signal(signal.SIGINT, previous)


def single_thread():
    """Whether the BLAS runs one thread now: by this module's limit, or by the
    process's setting (a user's ``threadpool_limits(1)``, ``OMP_NUM_THREADS=1``,
    one core). Reading the counts takes about a microsecond."""
    if _original is not None and threading.current_thread() is threading.main_thread():
        return True
    libraries = _controller().lib_controllers
    return bool(libraries) and all(library.num_threads == 1 for library in libraries)


def blas_threads(work, threshold):
    """One BLAS thread while ``work`` (multiply-adds of one evaluation) is below
    ``threshold``, for a fit in the main thread; otherwise the setting as it is."""
    if work >= threshold or threading.current_thread() is not threading.main_thread():
        return nullcontext()
    return _single_thread(signal.getsignal(signal.SIGINT))
