"""Every private or version-dependent scikit-learn name we use, imported here.

Underscored names can move between scikit-learn releases; when one does, this
module is the only one to change. It imports nothing of sk_backprop: every layer
may import it.
"""

import inspect

import numpy as np
from sklearn import get_config
from sklearn.base import _fit_context
from sklearn.utils._array_api import (
    _is_numpy_namespace,
    _max_precision_float_dtype,
    get_namespace_and_device,
)
from sklearn.utils._array_api import device as array_device
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.multiclass import _check_partial_fit_first_call
from sklearn.utils.validation import _check_sample_weight

try:  # scikit-learn >= 1.8 moves arrays between namespaces and devices
    from sklearn.utils._array_api import _matching_numpy_dtype, move_to
except ImportError:
    _matching_numpy_dtype = move_to = None

# Whether this scikit-learn can run us on other array libraries (docs/array_api.md).
ARRAY_API_SUPPORT = move_to is not None


def array_namespace(*arrays):
    """``(xp, device)`` of ``arrays`` where scikit-learn's array API dispatch is on
    and they are not NumPy's, else ``(None, None)``: the NumPy path."""
    if not get_config()["array_api_dispatch"]:  # the default: no inspection at all
        return None, None
    xp, is_array_api, device = get_namespace_and_device(*arrays)
    if not is_array_api or _is_numpy_namespace(xp):
        return None, None
    if not ARRAY_API_SUPPORT:
        raise ValueError(
            f"SigmoidPerceptronClassifier runs on {xp.__name__} arrays with "
            "scikit-learn >= 1.8; this is an older release. Pass NumPy arrays."
        )
    return xp, device


def to_numpy(array):
    """``array`` as a NumPy array on the host; anything that is not an array of
    another library (NumPy arrays, lists, sparse matrices, None) unchanged."""
    if isinstance(array, np.ndarray) or move_to is None or not hasattr(array, "__dlpack__"):
        return array
    return move_to(array, xp=np, device="cpu")


def numpy_dtype(X):
    """The NumPy dtype of the array ``X`` of any namespace."""
    return X.dtype if isinstance(X.dtype, np.dtype) else _matching_numpy_dtype(X)


def host_rows(X):
    """A NumPy stand-in for ``X`` with its rows and none of its values, for
    scikit-learn helpers that read only the number of rows (``_check_sample_weight``)
    and would refuse to mix ``X``'s namespace with NumPy weights."""
    if isinstance(X, np.ndarray) or not hasattr(X, "__dlpack__"):
        return X
    return np.empty((X.shape[0], 0), dtype=numpy_dtype(X))


def widest_float(xp, device):
    """The most precise float dtype ``xp`` has on ``device`` (float32 on some GPUs)."""
    return _max_precision_float_dtype(xp, device)


def check_same_namespace(X, estimator, method):
    """What scikit-learn's ``check_same_namespace`` checks, against ``coefs_``: under
    array API dispatch, ``X`` must be of the namespace and on the device of the fit."""
    if not (get_config()["array_api_dispatch"] and ARRAY_API_SUPPORT):
        return
    fitted_xp, _, fitted_device = get_namespace_and_device(estimator.coefs_[-1])
    X_xp, _, X_device = get_namespace_and_device(X)
    if (X_xp == fitted_xp and X_device == fitted_device) or (
        _is_numpy_namespace(X_xp) and _is_numpy_namespace(fitted_xp)
    ):
        return
    if X_device is None:
        problem = (
            f"Array namespace used during fit ({fitted_xp.__name__}) is not compatible "
            f"with the array-like or sparse input passed to {method}."
        )
    elif X_xp != fitted_xp:
        problem = (
            f"Array namespaces used during fit ({fitted_xp.__name__}) and {method} "
            f"({X_xp.__name__}) differ."
        )
    else:
        problem = f"Devices used during fit ({fitted_device}) and {method} ({X_device}) differ."
    raise ValueError(
        f"Inputs passed to {type(estimator).__name__}.{method}() must use the same "
        f"namespace and the same device as those passed to fit(). {problem}"
    )


def check_part_weights(sample_weight, X):
    """``_check_sample_weight`` (float64, non-negative) on a part of a data set,
    where all-zero weights are allowed: other parts may hold the positive ones.
    scikit-learn >= 1.8 refuses all-zero weights unless told; older ones never do."""
    if "allow_all_zero_weights" in _SAMPLE_WEIGHT_PARAMETERS:
        return _check_sample_weight(
            sample_weight,
            X,
            dtype=np.float64,
            ensure_non_negative=True,
            allow_all_zero_weights=True,
        )
    return _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)


_SAMPLE_WEIGHT_PARAMETERS = inspect.signature(_check_sample_weight).parameters

# What ColumnTransformer keeps of its remainder on scikit-learn 1.5 to 1.7 (a list
# subclass, gone in 1.8): a type a model file of the command line may hold.
try:
    from sklearn.compose._column_transformer import _RemainderColsList as REMAINDER_COLS_LIST
except ImportError:
    REMAINDER_COLS_LIST = None

try:  # scikit-learn >= 1.9: set_callbacks(...), e.g. sklearn.callback.ProgressBar()
    from sklearn.callback import CallbackSupportMixin
except ImportError:  # older releases have no callbacks; fit never looks for them

    class CallbackSupportMixin:
        """Stands in for scikit-learn's mixin where the release has no callbacks."""


__all__ = [
    "ARRAY_API_SUPPORT",
    "REMAINDER_COLS_LIST",
    "array_device",
    "CallbackSupportMixin",
    "Interval",
    "Options",
    "StrOptions",
    "_check_partial_fit_first_call",
    "_check_sample_weight",
    "check_part_weights",
    "_fit_context",
]
