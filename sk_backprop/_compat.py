"""Every private scikit-learn helper we use, imported in this one place.

Underscored names can move between scikit-learn releases; when one does, this
module is the only one to change.
"""

from sklearn.base import _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import _check_sample_weight

__all__ = ["Interval", "StrOptions", "_check_sample_weight", "_fit_context"]
