"""The history of one fit, told one epoch at a time.

Every solver calls ``EpochMonitor.epoch_begins()`` before and
``EpochMonitor.epoch_ends(theta, objective)`` after each epoch. The monitor
records the objective and, with early stopping, the validation score (keeping
the weights that scored best), prints progress and runs the callbacks. It
decides nothing: the solver reads ``watched`` and applies its own stopping rule.
"""

import time

import numpy as np

from .arrays import copy


class EpochMonitor:
    """Records each epoch of a fit.

    Parameters
    ----------
    max_iter : int
        Epochs of this fit, for the progress display.
    verbose : int
        0 silent; 1 one line per epoch; 2 a progress bar with ETA.
    validation_score : callable or None
        ``theta -> float``, higher is better (early stopping).
    callbacks : object or None
        ``epoch_begins(theta)`` and ``epoch_ends(epoch, theta, objective) -> bool``
        (scikit-learn's callbacks, see ``_callbacks.CallbackBridge``); True asks to stop.
    """

    def __init__(self, *, max_iter, verbose=0, validation_score=None, callbacks=None, theta=None):
        self.theta = theta  # the weights as the last epoch left them (or the start)
        self.verbose = verbose
        self.validation_score = validation_score
        self.callbacks = callbacks
        self.loss_curve = []
        self.validation_scores = []
        self.best_validation_score = -np.inf
        self.best_theta = None
        self.best_epoch = None
        self._start = time.perf_counter()
        self._progress = _Progress(max_iter) if verbose >= 2 else None

    @property
    def n_iter(self):
        return len(self.loss_curve)

    @property
    def validates(self):
        return self.validation_score is not None

    @property
    def watched(self):
        """The value whose descent stopping rules watch: the objective, or with
        early stopping the validation error ``1 - score``."""
        if self.validates:
            return 1.0 - self.validation_scores[-1]
        return self.loss_curve[-1]

    def epoch_begins(self):
        if self.callbacks is not None:
            self.callbacks.epoch_begins(self.theta)

    def epoch_ends(self, theta, objective):
        """Record one epoch; True when a callback asked to stop."""
        objective = float(objective)
        self.theta = theta
        self.loss_curve.append(objective)
        if self.validates:
            score = float(self.validation_score(theta))
            self.validation_scores.append(score)
            if score > self.best_validation_score:
                self.best_validation_score = score
                self.best_theta = copy(theta)
                self.best_epoch = self.n_iter
        self._report(objective)
        return self.callbacks is not None and bool(
            self.callbacks.epoch_ends(self.n_iter, theta, objective)
        )

    def close(self):
        if self._progress is not None:
            self._progress.close()

    def _report(self, objective):
        elapsed = time.perf_counter() - self._start
        validation = (
            f", validation score = {self.validation_scores[-1]:.6f}"
            if self.validation_scores
            else ""
        )
        if self._progress is not None:
            self._progress.update(objective, validation)
        elif self.verbose:
            print(
                f"Epoch {self.n_iter}, objective = {objective:.8f}{validation}, "
                f"elapsed = {elapsed:.2f}s"
            )


class _Progress:
    """A progress bar over epochs with an ETA, for ``verbose=2``: tqdm's when
    installed, else plain lines. (scikit-learn 1.9's ``ProgressBar`` callback does
    this too; this one also serves scikit-learn 1.6 to 1.8.)"""

    def __init__(self, total):
        self.total = total
        self.count = 0
        self.start = time.perf_counter()
        try:
            from tqdm.auto import tqdm
        except ImportError:
            self.bar = None
        else:
            self.bar = tqdm(total=total, unit="epoch")

    def update(self, objective, validation):
        self.count += 1
        if self.bar is not None:
            self.bar.set_postfix_str(f"objective={objective:.6g}{validation}", refresh=False)
            self.bar.update(1)
            return
        elapsed = time.perf_counter() - self.start
        eta = elapsed / self.count * (self.total - self.count)
        print(
            f"[{self.count}/{self.total}] objective = {objective:.8f}{validation}, "
            f"elapsed = {elapsed:.1f}s, ETA = {eta:.1f}s"
        )

    def close(self):
        if self.bar is not None:
            self.bar.close()
