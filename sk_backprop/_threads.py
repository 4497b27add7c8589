"""One BLAS thread for small evaluations, shared safely between concurrent fits.

On small products BLAS threads cost more than they give, and NumPy's and SciPy's
OpenBLAS copies (L-BFGS-B calls the latter) spin-wait against each other between
calls: on digits (1,797 x 64, 10 outputs) L-BFGS took 0.31 s with 2 threads and
0.045 s with 1. But the thread count is a setting of the whole process, and
``threadpoolctl``'s limit saves and restores it: two fits whose limits overlap in
time restore each other's values, and the process is left at one thread. So the
limit here is shared: the first fit of ours that wants it sets it, later ones join
it, and the last one to leave restores what the first one found. A fit that wants
the BLAS's own thread count while others hold the limit runs with one thread for
that while; no fit returns with the setting changed.
"""

import threading
from contextlib import contextmanager, nullcontext
from functools import cache

from threadpoolctl import ThreadpoolController

_lock = threading.Lock()
_holders = 0
_limiter = None


@cache
def _controller():
    # Finding the loaded BLAS libraries takes milliseconds, as long as a small fit:
    # do it once. NumPy's and SciPy's BLAS are loaded before the first fit.
    return ThreadpoolController()


@contextmanager
def _shared_single_thread():
    global _holders, _limiter
    with _lock:
        if _holders == 0:
            _limiter = _controller().limit(limits=1, user_api="blas")
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0:
                _limiter.restore_original_limits()
                _limiter = None


def blas_threads(work, threshold):
    """One BLAS thread while ``work`` (multiply-adds of one evaluation) is below
    ``threshold``; the BLAS's own choice otherwise."""
    return _shared_single_thread() if work < threshold else nullcontext()
