"""LossCurveDisplay: the objective per epoch, in scikit-learn's Display style."""

import numpy as np
from sklearn.utils.validation import check_is_fitted


def _import_pyplot(caller):
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError(
            f"{caller} needs matplotlib, an optional dependency of sk_backprop. "
            'Install it with: pip install "sk-backprop[plot]"'
        ) from error
    return plt


class LossCurveDisplay:
    """The training curve of a fitted :class:`SigmoidPerceptronClassifier`.

    Draws the objective after each epoch and, when early stopping ran, the
    validation accuracy on a second y axis. Create it with
    :meth:`from_estimator`; the constructor only stores the curves.

    Parameters
    ----------
    loss_curve : array-like of shape (n_epochs,)
        The objective after each epoch (the estimator's ``loss_curve_``).
    validation_scores : array-like of shape (n_epochs,), default=None
        The validation accuracy after each epoch (``validation_scores_``).
    estimator_name : str, default=None
        Name for the legend.

    Attributes
    ----------
    line_ : matplotlib Line2D
        The objective's curve.
    validation_line_ : matplotlib Line2D or None
        The validation scores' curve, on ``ax_validation_``.
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

    def __init__(self, *, loss_curve, validation_scores=None, estimator_name=None):
        self.loss_curve = loss_curve
        self.validation_scores = validation_scores
        self.estimator_name = estimator_name

    def plot(self, ax=None, *, name=None, **kwargs):
        """Draw the curves.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        name : str, default=None
            Legend name; ``estimator_name`` when None.
        **kwargs : dict
            Passed to ``ax.plot`` for the objective's line.

        Returns
        -------
        display : LossCurveDisplay
            This object, with the matplotlib artists set.
        """
        plt = _import_pyplot("LossCurveDisplay.plot")
        if ax is None:
            _, ax = plt.subplots()
        name = self.estimator_name if name is None else name
        epochs = np.arange(1, len(self.loss_curve) + 1)
        (self.line_,) = ax.plot(epochs, self.loss_curve, **{"label": name, **kwargs})
        ax.set_xlabel("epoch")
        ax.set_ylabel("objective J")
        self.ax_validation_ = self.validation_line_ = None
        if self.validation_scores is not None:
            self.ax_validation_ = ax.twinx()
            (self.validation_line_,) = self.ax_validation_.plot(
                epochs, self.validation_scores, color="tab:orange", linestyle="--",
                label="validation accuracy",
            )
            self.ax_validation_.set_ylabel("validation accuracy")
            ax.legend(handles=[self.line_, self.validation_line_], loc="center right")
        elif name is not None:
            ax.legend(loc="upper right")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimator, *, ax=None, name=None, **kwargs):
        """Plot the training curve of a fitted estimator (or a Pipeline ending in one).

        Parameters
        ----------
        estimator : SigmoidPerceptronClassifier or Pipeline
            A fitted estimator with ``loss_curve_``.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        name : str, default=None
            Legend name; the estimator's class name when None.
        **kwargs : dict
            Passed to ``ax.plot`` for the objective's line.

        Returns
        -------
        display : LossCurveDisplay
            The display, drawn.
        """
        _import_pyplot("LossCurveDisplay.from_estimator")
        if hasattr(estimator, "steps"):
            estimator = estimator[-1]
        check_is_fitted(estimator, "loss_curve_")
        display = cls(
            loss_curve=estimator.loss_curve_,
            validation_scores=getattr(estimator, "validation_scores_", None),
            estimator_name=type(estimator).__name__ if name is None else name,
        )
        return display.plot(ax=ax, **kwargs)
