"""Every private or version-dependent scikit-learn name we use, imported here.

Underscored names can move between scikit-learn releases; when one does, this
module is the only one to change. ``CallbackBridge`` is here too: it probes the
private callback attributes of scikit-learn 1.9's ``CallbackSupportMixin``.
"""

from sklearn.base import _fit_context
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.multiclass import _check_partial_fit_first_call
from sklearn.utils.validation import _check_sample_weight

try:  # scikit-learn >= 1.9: set_callbacks(...), e.g. sklearn.callback.ProgressBar()
    from sklearn.callback import CallbackSupportMixin
except ImportError:  # older releases have no callbacks; fit never looks for them

    class CallbackSupportMixin:
        """Stands in for scikit-learn's mixin where the release has no callbacks."""


class CallbackBridge:
    """Tells scikit-learn's callbacks (1.9+) of a fit and of each of its epochs.

    The fit is the root task and each epoch a subtask named ``"epoch"``: its
    ``on_fit_task_begin`` is sent before the epoch runs, its ``on_fit_task_end``
    after, with the objective as ``metadata["objective"]`` and the attributes of a
    model that predicts with that epoch's weights (``reconstruct(theta)``), from
    which scikit-learn builds the ``fitted_estimator`` a callback may ask for.

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
            getattr(estimator, "_skl_callbacks", None)
            or hasattr(estimator, "_parent_callback_ctx")
        ):
            return None
        return cls(estimator, X, y, max_iter, reconstruct)

    def epoch_begins(self):
        self.epoch_context = self.context.subcontext(task_name="epoch")
        self.epoch_context.call_on_fit_task_begin(estimator=self.estimator, X=self.X, y=self.y)

    def epoch_ends(self, epoch, theta, objective):
        """True when a callback asks to stop."""
        epoch_context, self.epoch_context = self.epoch_context, None
        return epoch_context.call_on_fit_task_end(
            estimator=self.estimator,
            X=self.X,
            y=self.y,
            metadata={"objective": objective},
            reconstruction_attributes=lambda: self.reconstruct(theta.copy()),
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


__all__ = [
    "CallbackBridge",
    "CallbackSupportMixin",
    "Interval",
    "Options",
    "StrOptions",
    "_check_partial_fit_first_call",
    "_check_sample_weight",
    "_fit_context",
]
