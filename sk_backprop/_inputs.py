"""The targets and weights of a fit, checked and encoded: functions of arrays.

The estimator calls these between scikit-learn's validation of ``X`` and ``y``
and the training; none of them touches an estimator.
"""

import numpy as np
from scipy import sparse
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils import column_or_1d
from sklearn.utils.multiclass import check_classification_targets

from ._compat import _check_sample_weight


def check_targets(y):
    """``y`` as classification targets: 1-D labels or a dense 0/1 indicator matrix."""
    y = y.toarray() if sparse.issparse(y) else np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = column_or_1d(y, warn=True)
    check_classification_targets(y)
    if y.ndim == 2:
        unexpected = np.setdiff1d(np.unique(y), [0, 1])
        if unexpected.size:
            raise ValueError(
                "Expected only 0s and 1s in label indicator. Also got "
                f"{unexpected.tolist()}: a 2-D y is a multilabel indicator matrix."
            )
    return y


def fit_label_binarizer(y, what="y"):
    label_binarizer = LabelBinarizer().fit(y)
    if label_binarizer.classes_.size < 2 and label_binarizer.y_type_ != "multilabel-indicator":
        raise ValueError(
            f"{what} contains only one class ({label_binarizer.classes_[0]!r}); a "
            "classifier needs samples of at least 2 classes."
        )
    return label_binarizer


def check_declared(y, label_binarizer, what="y has labels"):
    """Labels of a later chunk (or of y_val) must be among the fitted classes."""
    classes = label_binarizer.classes_
    if label_binarizer.y_type_ == "multilabel-indicator":
        if y.ndim != 2 or y.shape[1] != classes.size:
            raise ValueError(
                f"y has {y.shape[1] if y.ndim == 2 else 1} labels; the network was "
                f"set up for {classes.size}."
            )
        return
    undeclared = np.setdiff1d(y, classes)
    if undeclared.size:
        raise ValueError(
            f"{what} {undeclared.tolist()} that were not declared in classes "
            f"{classes.tolist()}."
        )


def n_outputs(label_binarizer):
    n_classes = label_binarizer.classes_.size
    return 1 if n_classes == 2 and label_binarizer.y_type_ != "multilabel-indicator" else n_classes


def encode_targets(y, label_binarizer, dtype):
    """The targets a fit keeps: each sample's class index (``_network.dense_targets``
    builds the 0/1 rows a block at a time), or the multilabel indicator matrix."""
    if label_binarizer.y_type_ == "multilabel-indicator":
        return np.asarray(y, dtype=dtype)
    return np.searchsorted(label_binarizer.classes_, y)


def check_weights(sample_weight, X, name):
    """Non-negative, finite weights with a positive sum, rescaled (float64)."""
    weights = _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)
    if not np.isfinite(weights).all():
        raise ValueError(f"{name} must be finite; it contains NaN or infinity.")
    if not weights.any():
        raise ValueError(f"{name} is zero for every sample: there is nothing to fit.")
    return rescaled(weights)


def rescaled(weights):
    """``weights`` times the power of two that brings their largest into [0.5, 1).

    ``J`` divides by the sum of the weights, so their scale does not change it; a
    power of two changes no digit, and keeps the sum of weights near 1.7e308 from
    overflowing and that of subnormal ones from being zero.
    """
    _, exponent = np.frexp(weights.max())
    return np.ldexp(weights, -exponent)
