"""scikit-learn's callbacks (1.9+) told of a fit and of each of its epochs.

``CallbackBridge`` probes the private callback attributes that scikit-learn 1.9's
``CallbackSupportMixin`` (imported in ``_compat``) sets on an estimator.
"""

from ._core.arrays import copy


class CallbackBridge:
    """Tells scikit-learn's callbacks (1.9+) of a fit and of each of its epochs.

    The fit is the root task and each epoch a subtask named ``"epoch"``: its
    ``on_fit_task_begin`` is sent before the epoch runs, with the attributes of a
    model that predicts with the weights it starts from, its ``on_fit_task_end``
    after, with the objective as ``metadata["objective"]`` and the attributes of a
    model that predicts with that epoch's weights (``reconstruct(theta)``), from
    which scikit-learn builds the ``fitted_estimator`` a callback may ask for, as
    LogisticRegression does; the root task's end gets the fitted model's.

    Parameters
    ----------
    estimator : SigmoidPerceptronClassifier
    X, y : the training data, as the callbacks see it.
    max_iter : int
        Most epochs, the root task's most subtasks.
    reconstruct : callable
        ``theta -> dict`` of fitted attributes.
    """

    def __init__(self, estimator, X, y, max_iter, reconstruct):
        self.estimator, self.X, self.y, self.reconstruct = estimator, X, y, reconstruct
        self.context = estimator._init_callback_context(max_subtasks=max_iter)
        self.context.call_on_fit_task_begin(estimator=estimator, X=X, y=y)
        self.epoch_context = None

    @classmethod
    def for_fit(cls, estimator, X, y, max_iter, reconstruct):
        """The bridge, or None when no callback is set here or by a meta-estimator."""
        if not hasattr(estimator, "_init_callback_context") or not (
            getattr(estimator, "_skl_callbacks", None) or hasattr(estimator, "_parent_callback_ctx")
        ):
            return None
        return cls(estimator, X, y, max_iter, reconstruct)

    def epoch_begins(self, theta):
        """An epoch begins from the weights ``theta`` (as LogisticRegression's
        iterations: a callback's ``fitted_estimator`` predicts with them)."""

        self.epoch_context = self.context.subcontext(task_name="epoch")
        self.epoch_context.call_on_fit_task_begin(
            estimator=self.estimator,
            X=self.X,
            y=self.y,
            reconstruction_attributes=lambda: self.reconstruct(copy(theta)),
        )

    def epoch_ends(self, epoch, theta, objective):
        """True when a callback asks to stop."""

        epoch_context, self.epoch_context = self.epoch_context, None
        return epoch_context.call_on_fit_task_end(
            estimator=self.estimator,
            X=self.X,
            y=self.y,
            metadata={"objective": objective},
            reconstruction_attributes=lambda: self.reconstruct(copy(theta)),
        )

    def fit_ends(self, attributes):
        if self.epoch_context is not None:  # begun, but the solver ended before it
            self.epoch_context.call_on_fit_task_end(estimator=self.estimator)
        self.context.call_on_fit_task_end(
            estimator=self.estimator,
            X=self.X,
            y=self.y,
            reconstruction_attributes=attributes,
        )
