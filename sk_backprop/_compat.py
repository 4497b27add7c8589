"""Every private or version-dependent scikit-learn name we use, imported here.

Underscored names can move between scikit-learn releases; when one does, this
module is the only one to change.
"""

from sklearn.base import _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import _check_sample_weight

try:  # scikit-learn >= 1.9: set_callbacks(...), e.g. sklearn.callback.ProgressBar()
    from sklearn.callback import CallbackSupportMixin
except ImportError:  # older releases have no callbacks; fit never looks for them

    class CallbackSupportMixin:
        """Stands in for scikit-learn's mixin where the release has no callbacks."""


__all__ = [
    "CallbackSupportMixin",
    "Interval",
    "StrOptions",
    "_check_sample_weight",
    "_fit_context",
]
