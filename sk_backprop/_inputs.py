"""The inputs of a fit, checked and encoded: X, y, X_val, weights, hidden layers.

The estimator calls these before the training. ``validate_X_y`` and
``validate_X_val`` run scikit-learn's ``validate_data`` on a shallow copy of the
estimator, because it writes ``n_features_in_`` (and ``feature_names_in_``) on
the estimator it is given: they are returned, and published with the rest of the
fit or not at all. Nothing here writes on an estimator or on the user's arrays.
"""

import copy
import warnings
from contextlib import contextmanager
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils import column_or_1d
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import validate_data

from ._compat import _check_sample_weight, array_namespace, host_rows, numpy_dtype, to_numpy

SPARSE_FORMATS = ["csr", "csc"]
# What the objective's weights are called where class_weight multiplies them.
WEIGHTED_BY_CLASS = "sample_weight times class_weight"
FLOAT_DTYPES = [np.float64, np.float32]


def quiet_overflow():
    """scikit-learn's finiteness check sums X first; with values near the float
    maximum and an inf that sum meets ``inf - inf`` and numpy warns before the
    check raises its clear ValueError. Only the warning is silenced."""
    return np.errstate(over="ignore", invalid="ignore")


def float_dtypes(X):
    """The dtypes ``X`` may keep: float64 and float32 of its namespace."""
    xp, _ = array_namespace(X)
    return FLOAT_DTYPES if xp is None else [xp.float64, xp.float32]


def is_dask_collection(value):
    """Whether ``value`` is a dask collection (checked without importing dask)."""
    graph = getattr(type(value), "__dask_graph__", None)
    return callable(graph) and value.__dask_graph__() is not None


def warn_if_dask(X, estimator):
    """A dask collection given to the in-memory estimator is gathered whole into this
    process; say so, and what trains without gathering."""
    if is_dask_collection(X):
        warnings.warn(
            f"X is a dask collection ({type(X).__name__}): {type(estimator).__name__} "
            "gathers all of it into this process's memory. To train on the cluster "
            "without gathering X, use sk_backprop.dask.DaskSigmoidPerceptronClassifier "
            "(or dask_ml.wrappers.Incremental for partial_fit block by block).",
            UserWarning,
            stacklevel=4,
        )


def validate_X(estimator, X, **kwargs):
    """``validate_data(estimator, X, reset=False)`` for the answers of a fitted estimator."""
    warn_if_dask(X, estimator)
    refuse_complex(X)
    with quiet_overflow():
        return validate_data(
            estimator,
            X,
            reset=False,
            accept_sparse=SPARSE_FORMATS,
            dtype=float_dtypes(X),
            **kwargs,
        )


def validate_X_y(estimator, X, y, reset):
    """Validated ``X``, ``y`` and the input attributes (``n_features_in_``,
    ``feature_names_in_``) the fit publishes.

    ``X`` keeps its namespace and device; ``y`` comes back as a NumPy array on
    the host, where the labels are encoded (a fit sends the targets to ``X``'s
    device as class indices).
    """
    warn_if_dask(X, estimator)
    refuse_complex(X)
    probe = copy.copy(estimator)
    with quiet_overflow():
        X, y = validate_data(
            probe,
            X,
            y,
            reset=reset,
            accept_sparse=SPARSE_FORMATS,
            dtype=float_dtypes(X),
            multi_output=True,
        )
    y = to_numpy(y)
    fitted = {
        "n_features_in_": probe.n_features_in_,
        "feature_names_in_": getattr(probe, "feature_names_in_", None),
    }
    return X, check_targets(y), fitted


def refuse_complex(X):
    """Complex arrays of another library get NumPy's error, not a silent cast that
    drops the imaginary part (PyTorch's)."""
    xp, _ = array_namespace(X)
    if xp is not None and xp.isdtype(X.dtype, "complex floating"):
        raise ValueError(f"Complex data not supported\n{X}\n")


def validate_X_val(estimator, X_val, input_attributes, X):
    """``X_val`` validated as ``X`` was, against this fit's input attributes
    (on a copy: they are not published yet), in ``X``'s namespace and on its
    device (a NumPy ``X_val`` with a PyTorch ``X`` is moved there)."""
    xp, device = array_namespace(X)
    dtype = X.dtype
    if xp is not None and array_namespace(X_val)[0] is None:
        if sparse.issparse(X_val):
            raise TypeError(
                f"X_val is a sparse matrix and X an array of {xp.__name__}: give X_val in "
                "X's library and on its device."
            )
        X_val = xp.asarray(np.asarray(X_val), device=device)
    refuse_complex(X_val)
    probe = fitted_probe(estimator, input_attributes)
    with named_X_val(), quiet_overflow():
        return validate_data(probe, X_val, reset=False, accept_sparse=SPARSE_FORMATS, dtype=dtype)


def fitted_probe(estimator, input_attributes):
    """A shallow copy of ``estimator`` with this fit's input attributes
    (``n_features_in_``, ``feature_names_in_``; None: absent), not yet published."""
    probe = copy.copy(estimator)
    vars(probe).pop("feature_names_in_", None)
    vars(probe).update((k, v) for k, v in input_attributes.items() if v is not None)
    return probe


@contextmanager
def named_X_val():
    """scikit-learn's messages about ``X`` said of ``X_val``, which they are about."""
    try:
        yield
    except ValueError as error:
        raise ValueError(f"X_val: {error}") from error


def check_hidden_layer_sizes(sizes):
    """What the parameter constraints cannot say: a tuple of positive ints."""
    given = sizes
    sizes = (sizes,) if isinstance(sizes, Integral) else tuple(sizes)
    if not all(isinstance(size, Integral) and size >= 1 for size in sizes):
        raise ValueError(f"hidden_layer_sizes must hold positive integers, got {given!r}.")
    return tuple(int(size) for size in sizes)


def check_newton_cholesky(hidden_layer_sizes, xp=None):
    """``solver="newton-cholesky"`` needs one weight layer and NumPy or sparse data
    (``xp``: the array namespace of ``X``, None for NumPy's or a cluster's)."""
    if hidden_layer_sizes:
        raise ValueError(
            "solver='newton-cholesky' fits networks without hidden layers "
            f"(hidden_layer_sizes=()), as LogisticRegression's; got {hidden_layer_sizes}. "
            "Use solver='lbfgs' with hidden layers."
        )
    if xp is not None:
        raise ValueError(
            f"solver='newton-cholesky' runs on NumPy arrays and sparse matrices, not on "
            f"{xp.__name__} arrays; use solver='lbfgs', which keeps the rows on the device."
        )


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


def check_declared(y, label_binarizer, name="y"):
    """Labels of a later chunk (or of y_val) must be among the fitted classes."""
    if label_binarizer.y_type_ == "multilabel-indicator":
        check_n_labels(y.shape[1] if y.ndim == 2 else 1, label_binarizer, name)
    else:
        check_labels_declared(y, label_binarizer, name)


def check_n_labels(n_labels, label_binarizer, name):
    """A multilabel ``name`` has as many labels as the fitted network has outputs."""
    if n_labels != label_binarizer.classes_.size:
        raise ValueError(
            f"{name} has {n_labels} labels; the network was set up for "
            f"{label_binarizer.classes_.size}."
        )


def check_labels_declared(labels, label_binarizer, name):
    """Every label of ``name`` (any of its labels, repeated or not) is a fitted class."""
    classes = label_binarizer.classes_
    undeclared = np.setdiff1d(labels, classes)
    if undeclared.size:
        raise ValueError(
            f"{name} has labels {undeclared.tolist()} that were not declared in classes "
            f"{classes.tolist()}."
        )


def check_warm_targets(label_binarizer, previous):
    """warm_start goes on with a target of the same kind and the same classes as the
    fit it continues (``previous``, that fit's LabelBinarizer)."""
    if label_binarizer.y_type_ != previous.y_type_ and "multilabel-indicator" in (
        label_binarizer.y_type_,
        previous.y_type_,
    ):
        raise ValueError(
            "warm_start can only be used where `y` is of the same type as in the "
            f"previous call to fit: it was {previous.y_type_!r}, `y` is "
            f"{label_binarizer.y_type_!r}. Fit without warm_start to change the target."
        )
    if not np.array_equal(label_binarizer.classes_, previous.classes_):
        raise ValueError(
            "warm_start can only be used where `y` has the same classes as in the "
            f"previous call to fit. Previously got {previous.classes_}, "
            f"`y` has {label_binarizer.classes_}"
        )


def n_outputs(label_binarizer):
    n_classes = label_binarizer.classes_.size
    return 1 if n_classes == 2 and label_binarizer.y_type_ != "multilabel-indicator" else n_classes


def encode_targets(y, label_binarizer, dtype):
    """The targets a fit keeps: each sample's class index (``_core.network.dense_targets``
    builds the 0/1 rows a block at a time), or the multilabel indicator matrix."""
    if label_binarizer.y_type_ == "multilabel-indicator":
        return np.asarray(y, dtype=dtype)
    return np.searchsorted(label_binarizer.classes_, y)


def check_weights(sample_weight, X, name):
    """Non-negative, finite weights with a positive sum, rescaled (float64)."""
    weights = _check_sample_weight(
        to_numpy(sample_weight), host_rows(X), dtype=np.float64, ensure_non_negative=True
    )
    check_finite_weights(weights, name)
    check_some_weight(weights.any(), name)
    return rescaled(weights)


def check_finite_weights(weights, name):
    if not np.isfinite(weights).all():
        raise ValueError(f"{name} must be finite; it contains NaN or infinity.")


def check_some_weight(any_positive, name):
    """The weights ``name`` (all rows of them) must not all be zero."""
    if not any_positive:
        raise ValueError(
            f"{name} must contain at least one non-zero number: it is zero for every "
            "sample, so there is nothing to fit."
        )


def rescaled(weights):
    """``weights`` times the power of two that brings their largest into [0.5, 1).

    ``J`` divides by the sum of the weights, so their scale does not change it; a
    power of two changes no digit, and keeps the sum of weights near 1.7e308 from
    overflowing and that of subnormal ones from being zero.
    """
    _, exponent = np.frexp(weights.max())
    return np.ldexp(weights, -exponent)


def check_class_weight(class_weight, label_binarizer):
    """``class_weight`` (not None) applies to class targets, and a dict of them maps
    labels to finite, non-negative numbers."""
    if label_binarizer.y_type_ == "multilabel-indicator":
        raise ValueError(
            "class_weight is not supported for multilabel y; pass sample_weight instead."
        )
    if not isinstance(class_weight, dict):
        return
    for label, weight in class_weight.items():
        if not isinstance(weight, Real):
            raise ValueError(
                f"class_weight must map each class to a number; got {weight!r} for class {label!r}."
            )
        if not np.isfinite(weight) or weight < 0:
            raise ValueError(
                f"class_weight must map each class to a finite, non-negative number; got "
                f"{weight!r} for class {label!r}."
            )


def objective_weights(sample_weight, class_weight, X, y, label_binarizer):
    """``s_i``: sample_weight times class_weight, as a new array of X's dtype."""
    weights = check_weights(sample_weight, X, "sample_weight")
    if class_weight is not None:
        check_class_weight(class_weight, label_binarizer)
        classes = label_binarizer.classes_
        per_class = compute_class_weight(class_weight, classes=classes, y=y)
        weights = weights * per_class[np.searchsorted(classes, y)]
        check_some_weight(weights.any(), WEIGHTED_BY_CLASS)
        weights = rescaled(weights)
    return weights.astype(numpy_dtype(X))
