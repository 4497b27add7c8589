"""The command line stops when told: SIGINT (Ctrl-C), SIGTERM, SIGHUP.

A fit may swallow the interrupt: MLPClassifier catches KeyboardInterrupt, warns
"Training interrupted by user" and returns a half-trained model. So the handler
records the signal as well as raising, and ``check`` raises it again at the next
fit boundary; the run then stops there, writes nothing (outputs are written through
``_files.atomic_path``, which checks before its file takes its name) and exits with
the shell's code for the signal, 128 + its number (130, 143, 129).
"""

import signal
import threading
from contextlib import contextmanager

SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
_received = []  # the signal this run was told to stop by, if any


class Stopped(KeyboardInterrupt):
    """The run was told to stop by the signal ``signum``."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self):
        return 128 + int(self.signum)


def check():
    """Raise Stopped if a signal arrived, whatever the fit it arrived in did with it."""
    if _received:
        raise Stopped(_received[0])


def _stop(signum, frame):
    if not _received:
        _received.append(signum)
    raise Stopped(signum)


@contextmanager
def stopping_on_signals():
    """Handle SIGINT, SIGTERM and SIGHUP for the block (in the main thread; the
    handlers the process had are put back after it; an ignored signal is left alone)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    # a signal the process ignores stays ignored (SIGHUP under nohup), as it would be
    # without us; the others stop the run
    previous = {
        number: handler
        for number in SIGNALS
        if (handler := signal.getsignal(number)) is not signal.SIG_IGN
    }
    _received.clear()
    try:
        for number in previous:
            signal.signal(number, _stop)
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        _received.clear()
