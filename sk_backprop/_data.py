"""The data of one fit, prepared wherever they are: the interface and its in-memory kind.

A fit asks its data, in this order (``SigmoidPerceptronClassifier._fit_prepared``):
the classes (``label_binarizer``, ``classes``), the encoded targets and the weights
``s_i`` (``encode``), early stopping's validation data (``validation``, which may
hold out some of the training rows), the objective ``J`` on the training rows
(``objective``), and at the end, however the fit ended, ``release``. ``PreparedData``
states that interface; ``InMemoryData`` is its kind for arrays in this process
(NumPy, SciPy sparse, another array library's under array API dispatch), and
``sk_backprop.dask._data.ClusterData`` its kind for dask collections on a cluster.
A new kind of data (another cluster engine) is one more implementation: see
docs/architecture.md, "A new data source".

Nothing here writes on an estimator: what a fit publishes is returned.
"""

from math import ceil
from typing import Any, Protocol

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.validation import check_consistent_length

from ._compat import array_namespace, numpy_dtype, to_numpy
from ._core.layout import Layout
from ._core.network import predict_logits, take_rows
from ._core.objective import ArrayObjective, Objective
from ._inputs import (
    check_declared,
    check_newton_cholesky,
    check_targets,
    check_weights,
    encode_targets,
    fit_label_binarizer,
    objective_weights,
    validate_X_val,
    validate_X_y,
)

# The error of a training set that a hold-out left without a positive weight.
NO_TRAINING_WEIGHT = (
    "Every training row left after holding out validation_fraction for early stopping"
)


class Validation(Protocol):
    """Early stopping's data: ``score(theta)``, the weighted accuracy of the network
    with weights ``theta`` (``ValidationSet`` in memory, ``ClusterValidation`` on a
    cluster)."""

    def score(self, theta: np.ndarray) -> float: ...


class PreparedData(Protocol):
    """The data of one fit, checked: what the estimator's fit asks of them.

    Attributes
    ----------
    input_attributes : dict
        ``n_features_in_`` and ``feature_names_in_`` (None: absent) to publish.
    n_features : int
    dtype : numpy.dtype
        The floating dtype the fit trains in.
    namespace : tuple
        ``(xp, device)`` of the fitted weights (``(None, None)``: NumPy).
    callback_data : tuple
        ``(X, y)`` as scikit-learn's callbacks are given them.
    """

    input_attributes: dict
    n_features: int
    dtype: np.dtype
    namespace: tuple
    callback_data: tuple

    def label_binarizer(self, declared: np.ndarray | None = None) -> LabelBinarizer:
        """The LabelBinarizer of ``y`` (``declared``: of those classes, partial_fit's)."""

    def classes(self, label_binarizer: LabelBinarizer) -> Any:
        """``classes_`` as the fit publishes it."""

    def check_declared(self, label_binarizer: LabelBinarizer) -> None:
        """Refuse labels that are not among ``label_binarizer``'s classes."""

    def encode(self, label_binarizer: LabelBinarizer, class_weight: dict | str | None) -> None:
        """Encode the targets and the weights ``s_i`` of the training rows."""

    def validation(
        self,
        estimator: BaseEstimator,
        layout: Layout,
        label_binarizer: LabelBinarizer,
        random_state: np.random.RandomState,
        fitted: dict,
        validation: tuple,
    ) -> Validation | None:
        """Early stopping's validation data (None without): ``validation`` is
        ``(X_val, y_val, sample_weight_val)``; without ``X_val``, with
        ``estimator.early_stopping``, a share of the training rows is held out."""

    def objective(self, layout: Layout, loss: str, alpha: float) -> Objective:
        """``J`` on the training rows."""

    def release(self) -> None:
        """Free what the preparation holds (a cluster's persisted chunks)."""


class InMemoryData:
    """The rows of a fit in this process: ``X`` validated by scikit-learn (its
    namespace and device kept), ``y`` on the host."""

    def __init__(self, estimator, X, y, sample_weight, *, reset):
        self._y_namespace = array_namespace(y)
        X, y, fitted = validate_X_y(estimator, X, y, reset=reset)
        self.X, self.y, self.sample_weight = X, y, sample_weight
        self.input_attributes = fitted
        self.n_features, self.dtype = X.shape[1], numpy_dtype(X)
        self.namespace = array_namespace(X)
        self.callback_data = (X, y)
        self.targets = self.weights = None

    @staticmethod
    def check_solver(solver, hidden_layer_sizes, X):
        if solver == "newton-cholesky":
            check_newton_cholesky(hidden_layer_sizes, array_namespace(X)[0])

    def label_binarizer(self, declared=None):
        if declared is None:
            return fit_label_binarizer(self.y)
        return fit_label_binarizer(self.y if self.y.ndim == 2 else declared, what="classes")

    def classes(self, label_binarizer):
        """``classes_`` as scikit-learn's array API classifiers keep it: in the
        namespace and on the device of ``y``, strings always in NumPy."""
        xp, device = self._y_namespace
        classes = label_binarizer.classes_
        if xp is None or classes.dtype.kind not in "biuf":
            return classes
        return xp.asarray(classes, device=device)

    def check_declared(self, label_binarizer):
        check_declared(self.y, label_binarizer)

    def encode(self, label_binarizer, class_weight):
        self.weights = objective_weights(
            self.sample_weight, class_weight, self.X, self.y, label_binarizer
        )
        self.targets = encode_targets(self.y, label_binarizer, self.dtype)

    def validation(self, estimator, layout, label_binarizer, random_state, fitted, validation):
        X_val, y_val, sample_weight_val = validation
        if X_val is None and y_val is None:
            if not estimator.early_stopping:
                return None
            multilabel = label_binarizer.y_type_ == "multilabel-indicator"
            (self.X, self.targets, self.weights), (X_held, y_held, w_held) = hold_out(
                self.X, self.y, self.targets, self.weights,
                validation_fraction=estimator.validation_fraction,
                stratify=None if multilabel else self.y,
                random_state=random_state,
            )  # fmt: skip
            return ValidationSet(X_held, y_held, w_held, layout, label_binarizer)
        check_validation_arguments(X_val, y_val, estimator.early_stopping)
        X_val = validate_X_val(estimator, X_val, fitted, self.X)
        y_val = check_targets(to_numpy(y_val))
        check_consistent_length(X_val, y_val)
        check_declared(y_val, label_binarizer, "y_val")
        w_val = None
        if sample_weight_val is not None:
            w_val = check_weights(to_numpy(sample_weight_val), X_val, "sample_weight_val")
        return ValidationSet(X_val, y_val, w_val, layout, label_binarizer)

    def objective(self, layout, loss, alpha):
        return ArrayObjective(
            self.X, self.targets, self.weights, layout=layout, loss=loss, alpha=alpha
        )

    def release(self):
        """Nothing to free: the arrays go with the last reference to them."""


class ValidationSet:
    """Held-out rows on which early stopping scores each epoch's weights.

    ``score(theta)`` is the accuracy (sample-weighted) of the network with
    weights ``theta`` on ``X``, labels decoded by ``label_binarizer``.
    """

    def __init__(self, X, y, sample_weight, layout, label_binarizer):
        if sample_weight is not None and not np.any(sample_weight):
            raise ValueError(
                "The sample weights for validation set are all zero: early stopping has "
                "nothing to score. Give some validation rows a positive sample_weight, or "
                "hold out other rows (another random_state)."
            )
        self.X, self.y, self.sample_weight = X, y, sample_weight
        self.layout, self.label_binarizer = layout, label_binarizer
        self.xp, self.device = array_namespace(X)

    def score(self, theta):
        if self.xp is None:
            logits = predict_logits(self.X, theta, self.layout)
        else:  # the logits come back to the host for the labels
            theta = self.xp.asarray(theta, device=self.device)
            logits = to_numpy(predict_logits(self.X, theta, self.layout, self.xp))
        with np.errstate(over="ignore", invalid="ignore"):
            y_pred = self.label_binarizer.inverse_transform(logits, threshold=0.0)
        return accuracy_score(self.y, y_pred, sample_weight=self.sample_weight)


def hold_out(X, y, targets, weights, *, validation_fraction, stratify, random_state):
    """Split off ``validation_fraction`` of the rows, stratified by ``stratify``
    (at least one row of each class).

    Returns ``(X, targets, weights)`` of the training part and
    ``(X, y, weights)`` of the held-out part. The training rows are copied out of
    ``X``: this is the one place a fit copies ``X``.
    """
    n_samples = X.shape[0]
    n_held_out = ceil(validation_fraction * n_samples)
    n_classes = 1 if stratify is None else np.unique(stratify).size
    n_held_out = max(n_held_out, n_classes)
    if n_samples - n_held_out < n_classes:
        refuse_hold_out(
            "The validation set is too small: "
            f"validation_fraction={validation_fraction} holds out {n_held_out} of "
            f"{n_samples} samples for early stopping (at least one a class), so the training "
            f"set would be {'empty' if n_samples <= n_held_out else 'missing a class'}"
        )
    try:
        train_rows, held_out = train_test_split(
            np.arange(n_samples),
            test_size=n_held_out,
            random_state=random_state,
            stratify=stratify,
        )
    except ValueError as error:
        raise ValueError(
            "The validation set is too small. Increase 'validation_fraction' or the "
            f"size of your dataset (early_stopping=True holds out {n_held_out} of "
            f"{n_samples} samples: {error})"
        ) from error
    check_training_weight(weights[train_rows].any())
    xp, device = array_namespace(X)
    training = take_rows(X, train_rows, xp, device), targets[train_rows], weights[train_rows]
    return training, (take_rows(X, held_out, xp, device), y[held_out], weights[held_out])


def refuse_hold_out(problem):
    """A hold-out that would leave the training set without a class."""
    raise ValueError(
        f"{problem}. Decrease validation_fraction, use more samples, or give X_val and "
        "y_val to fit."
    )


def check_training_weight(any_positive):
    if not any_positive:
        raise ValueError(f"{NO_TRAINING_WEIGHT} has zero weight.")


def check_validation_arguments(X_val, y_val, early_stopping):
    """``X_val`` and ``y_val`` come together, and only with early stopping (as
    HistGradientBoostingClassifier's)."""
    if X_val is None or y_val is None:
        given, missing = ("X_val", "y_val") if y_val is None else ("y_val", "X_val")
        raise ValueError(f"{given} is provided, but {missing} was not provided.")
    if not early_stopping:
        raise ValueError(
            "X_val and y_val are passed to fit while at the same time early_stopping "
            "is False. When passing X_val and y_val to fit, early_stopping should be "
            "set to True."
        )
