"""LossCurveDisplay: the objective per epoch, in scikit-learn's Display style."""

import numpy as np
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted


def _import_pyplot(caller):
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError(
            f"{caller} needs matplotlib, an optional dependency of sk_backprop. "
            "Install it with: pip install matplotlib (from a clone of sk_backprop: "
            'pip install ".[plot]")'
        ) from error
    return plt


class LossCurveDisplay:
    """The training curve of a fitted :class:`SigmoidPerceptronClassifier`.

    Draws the objective after each epoch and, when early stopping ran, the
    validation accuracy on a second y axis and a vertical line at the epoch whose
    weights early stopping restored. Create it with :meth:`from_estimator`; the
    constructor only stores the curves.

    Parameters
    ----------
    loss_curve : array-like of shape (n_epochs,)
        The objective after each epoch (the estimator's ``loss_curve_``).
    validation_scores : array-like of shape (n_epochs,), default=None
        The validation accuracy after each epoch (``validation_scores_``).
    best_epoch : int, default=None
        The epoch (counted from 1) whose weights early stopping restored.
    estimator_name : str, default=None
        Added to the legend's "training objective J", in parentheses.

    Attributes
    ----------
    line_ : matplotlib Line2D
        The objective's curve.
    validation_line_ : matplotlib Line2D or None
        The validation scores' curve, on ``ax_validation_``.
    best_epoch_line_ : matplotlib Line2D or None
        The vertical line at ``best_epoch``.
    ax_ : matplotlib Axes
        The axes of the objective.
    ax_validation_ : matplotlib Axes or None
        The twin axes of the validation scores.
    figure_ : matplotlib Figure
        The figure holding ``ax_``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sk_backprop import LossCurveDisplay, SigmoidPerceptronClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> clf = SigmoidPerceptronClassifier(solver="adam", max_iter=20, tol=None).fit(X, y)
    >>> display = LossCurveDisplay.from_estimator(clf)
    >>> len(display.line_.get_xdata())
    20
    """

    def __init__(self, *, loss_curve, validation_scores=None, best_epoch=None, estimator_name=None):
        self.loss_curve = loss_curve
        self.validation_scores = validation_scores
        self.best_epoch = best_epoch
        self.estimator_name = estimator_name

    def plot(self, ax=None, *, name=None, **kwargs):
        """Draw the curves.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; when None a new figure, laid out so that both
            axes' labels fit in it.
        name : str, default=None
            Added to the legend's "training objective J", in parentheses;
            ``estimator_name`` when None.
        **kwargs : dict
            Passed to ``ax.plot`` for the objective's line.

        Returns
        -------
        display : LossCurveDisplay
            This object, with the matplotlib artists set.
        """
        plt = _import_pyplot("LossCurveDisplay.plot")
        if ax is None:
            _, ax = plt.subplots(layout="constrained")
        name = self.estimator_name if name is None else name
        epochs = np.arange(1, len(self.loss_curve) + 1)
        label = "training objective J" + (f" ({name})" if name else "")
        (self.line_,) = ax.plot(epochs, self.loss_curve, **{"label": label, **kwargs})
        ax.set_xlabel("epoch")
        ax.set_ylabel("objective J")
        self.ax_validation_ = self.validation_line_ = self.best_epoch_line_ = None
        handles = [self.line_]
        if self.validation_scores is not None:
            self.ax_validation_ = ax.twinx()
            # a warm start's earlier fits without early stopping have no scores:
            # the scores are those of the last epochs
            scored = epochs[len(epochs) - len(self.validation_scores) :]
            (self.validation_line_,) = self.ax_validation_.plot(
                scored,
                self.validation_scores,
                color="tab:orange",
                linestyle="--",
                label="validation accuracy",
            )
            self.ax_validation_.set_ylabel("validation accuracy")
            handles.append(self.validation_line_)
        if self.best_epoch is not None:
            self.best_epoch_line_ = ax.axvline(
                self.best_epoch,
                color="tab:gray",
                linestyle=":",
                label=f"weights restored (epoch {self.best_epoch})",
            )
            handles.append(self.best_epoch_line_)
        # above the axes, where no curve of either axes can run under it
        ax.legend(
            handles=handles,
            loc="lower center",
            bbox_to_anchor=(0.5, 1.01),
            ncol=min(len(handles), 2),
            frameon=False,
            borderaxespad=0.0,
            fontsize="small",
        )
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimator, *, ax=None, name=None, **kwargs):
        """Plot the training curve of a fitted estimator, Pipeline or search.

        Parameters
        ----------
        estimator : SigmoidPerceptronClassifier, Pipeline or search
            A fitted estimator with ``loss_curve_``; of a Pipeline its last step,
            of a fitted search (GridSearchCV, ...) its ``best_estimator_``.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        name : str, default=None
            Added to the legend's "training objective J", in parentheses.
        **kwargs : dict
            Passed to ``ax.plot`` for the objective's line.

        Returns
        -------
        display : LossCurveDisplay
            The display, drawn.
        """
        _import_pyplot("LossCurveDisplay.from_estimator")
        estimator = _trained_network(estimator)
        check_is_fitted(estimator, "loss_curve_")
        validation_scores = getattr(estimator, "validation_scores_", None)
        display = cls(
            loss_curve=estimator.loss_curve_,
            validation_scores=validation_scores,
            best_epoch=None if validation_scores is None else _restored_epoch(estimator),
            estimator_name=name,
        )
        return display.plot(ax=ax, **kwargs)


def _trained_network(estimator):
    """The estimator that holds the curve: a search's best, a Pipeline's last step."""
    while True:
        if (
            hasattr(estimator, "cv_results_")
            or hasattr(estimator, "param_grid")
            or hasattr(estimator, "param_distributions")
        ):
            if not hasattr(estimator, "best_estimator_"):
                raise NotFittedError(
                    f"{type(estimator).__name__} has no best_estimator_: fit it, with "
                    "refit=True, before plotting its loss curve."
                )
            estimator = estimator.best_estimator_
        elif hasattr(estimator, "steps"):
            estimator = estimator[-1]
        else:
            return estimator


def _restored_epoch(estimator):
    """The epoch (from 1) whose weights early stopping returned: the first with the
    best validation score (the monitor keeps a new best only when it is higher)."""
    scores = np.asarray(estimator.validation_scores_)
    unscored = len(estimator.loss_curve_) - len(scores)  # see plot
    best = np.flatnonzero(scores == estimator.best_validation_score_)
    return unscored + int(best[0]) + 1 if best.size else None
