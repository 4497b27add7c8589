"""The history of a fit and its stopping rules, told one epoch at a time.

Every solver calls ``EpochMonitor.epoch_ends(theta, objective)`` after each
epoch; the monitor records the objective (and the validation score when early
stopping), keeps the best weights, prints progress and answers whether to stop.
"""

import time

import numpy as np


class EpochMonitor:
    """Records each epoch and decides when training stops.

    Without a validation set: stop when the objective has not improved on its
    best by ``tol`` for ``n_iter_no_change`` consecutive epochs (MLPClassifier's
    rule; ``use_loss_rule=False`` for L-BFGS, which has tests of its own). With
    ``validation_score(theta)``: stop when that score has not improved on its
    best by ``tol`` for ``n_iter_no_change`` epochs, and keep the best weights.
    ``tol=None`` never stops.

    Parameters
    ----------
    tol, n_iter_no_change : the estimator's parameters.
    use_loss_rule : bool
    max_iter : int
        Epochs of this fit, for the progress display.
    verbose : int
        0 silent; 1 one line per epoch; 2 a progress bar with ETA.
    validation_score : callable or None
        ``theta -> float``, higher is better.
    history : dict
        ``loss_curve`` and ``best_loss`` of an earlier fit to continue from.
    on_epoch : callable or None
        ``(epoch, theta, objective) -> bool``: a hook run after each epoch (the
        scikit-learn callbacks); True asks to stop.
    """

    def __init__(
        self,
        *,
        tol,
        n_iter_no_change,
        use_loss_rule,
        max_iter,
        verbose=0,
        validation_score=None,
        history=None,
        on_epoch=None,
    ):
        history = history or {}
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.use_loss_rule = use_loss_rule
        self.verbose = verbose
        self.validation_score = validation_score
        self.on_epoch = on_epoch
        self.loss_curve = list(history.get("loss_curve", ()))
        self.best_loss = history.get("best_loss", np.inf)
        self.validation_scores = []
        self.best_validation_score = -np.inf
        self.best_theta = None
        self.n_iter = 0
        self.has_converged = False
        self.stopped_by = None
        self._no_improvement = 0
        self._start = time.perf_counter()
        self._progress = _Progress(max_iter) if verbose >= 2 else None

    def epoch_ends(self, theta, objective):
        """Record one epoch; True when training should stop."""
        objective = float(objective)
        self.n_iter += 1
        self.loss_curve.append(objective)
        if self.validation_score is None:
            improved = objective < self.best_loss - (self.tol or 0.0)
            stop = self._count(improved, "loss") if self.use_loss_rule else False
        else:
            score = float(self.validation_score(theta))
            self.validation_scores.append(score)
            improved = score >= self.best_validation_score + (self.tol or 0.0)
            stop = self._count(improved, "validation")
            if score > self.best_validation_score:
                self.best_validation_score = score
                self.best_theta = theta.copy()
        self.best_loss = min(self.best_loss, objective)
        self._report(objective)
        if self.on_epoch is not None and self.on_epoch(self.n_iter, theta, objective):
            self.stopped_by = self.stopped_by or "callback"
            stop = True
        return stop

    def _count(self, improved, rule):
        self._no_improvement = 0 if improved else self._no_improvement + 1
        if self.tol is not None and self._no_improvement >= self.n_iter_no_change:
            self.converged()
            self.stopped_by = rule
            return True
        return False

    def resume(self):
        """The solver changed its step instead of stopping: count afresh."""
        self._no_improvement = 0
        self.has_converged = False
        self.stopped_by = None

    def converged(self):
        """Called by a solver that met its own convergence test."""
        self.has_converged = True

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
    """A progress bar over epochs: tqdm's when installed, else plain lines with ETA."""

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
