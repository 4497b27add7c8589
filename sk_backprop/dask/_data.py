"""The data of a fit on a Dask cluster: ``_data.PreparedData`` for dask collections.

``ClusterData`` checks the chunks on the workers (the in-memory checks, chunk by
chunk), learns from their summaries what the in-memory fit learns from ``y`` (the
classes, their counts, the weights' scale), encodes each chunk where it is, holds
out early stopping's rows, and gives the solvers ``ClusterObjective``: ``J`` as one
map-reduce over the chunks. Every error is the in-memory fit's, raised by the same
function of ``sk_backprop._inputs`` or ``sk_backprop._data``.
"""

import copy

import numpy as np
from sklearn.utils.validation import check_array, column_or_1d, validate_data

from .._core.objective import penalised, penalised_hessians
from .._data import check_training_weight, check_validation_arguments, refuse_hold_out
from .._inputs import (
    FLOAT_DTYPES,
    SPARSE_FORMATS,
    WEIGHTED_BY_CLASS,
    check_class_weight,
    check_labels_declared,
    check_n_labels,
    check_newton_cholesky,
    check_some_weight,
    fit_label_binarizer,
    fitted_probe,
    is_dask_collection,
    named_X_val,
)
from . import _chunks, _cluster

INCREMENTAL = (
    "dask_ml.wrappers.Incremental(SigmoidPerceptronClassifier(solver={solver!r}, ...)) "
    "feeds partial_fit one dask block at a time"
)


class ClusterData:
    """Dask collections ``X``, ``y``, ``sample_weight`` on the current client's
    cluster, checked and persisted once; released by ``release``."""

    @staticmethod
    def check_solver(solver, hidden_layer_sizes):
        if solver in ("sgd", "adam"):
            raise ValueError(
                f"solver={solver!r} steps once per mini-batch, and on a cluster each "
                "step would be a round trip to every worker. DaskSigmoidPerceptronClassifier "
                "trains with the full-batch solvers 'lbfgs', 'gd' and 'newton-cholesky'; "
                f"for {solver!r} on dask data, " + INCREMENTAL.format(solver=solver) + "."
            )
        if solver == "newton-cholesky":
            check_newton_cholesky(hidden_layer_sizes)

    def __init__(self, estimator, X, y, sample_weight, *, reset):
        self.name = type(estimator).__name__
        self.client = _cluster.current_client(self.name)
        self.input_attributes, self.dtype = input_attributes(estimator, X, reset=reset)
        self.n_features = self.input_attributes["n_features_in_"]
        self.namespace = (None, None)  # the fitted attributes are NumPy's
        self.callback_data = (X, y)
        self._held = []  # every ChunkSet this fit persisted, released at the end
        self._training = self._label_binarizer = None
        self._held_out = False
        try:
            self._checked = self._check(X, column(y, "y"), sample_weight, ("y", "sample_weight"))
        except BaseException:
            self.release()
            raise

    def _hold(self, chunks):
        self._held.append(chunks)
        return chunks

    def _check(self, X, y, sample_weight, names):
        checked = CheckedParts(self.client, X, y, sample_weight, self.dtype, self.name, names)
        self._hold(checked.chunks)
        checked.check_rows()
        return checked

    def label_binarizer(self, declared=None):
        return self._checked.label_binarizer()

    def classes(self, label_binarizer):
        return label_binarizer.classes_

    def check_declared(self, label_binarizer):
        self._checked.check_declared(label_binarizer)

    def encode(self, label_binarizer, class_weight):
        self._label_binarizer = label_binarizer
        self._training = self._hold(self._checked.encoded(class_weight, label_binarizer))

    def validation(self, estimator, layout, label_binarizer, random_state, fitted, validation):
        """Early stopping's ``ClusterValidation`` (or None): on ``X_val`` (dask, or in
        memory and scattered once), or on a held-out share of each training chunk."""
        X_val, y_val, sample_weight_val = validation
        multilabel = label_binarizer.y_type_ == "multilabel-indicator"
        if X_val is None and y_val is None:
            if not estimator.early_stopping:
                return None
            seed = int(random_state.randint(np.iinfo(np.int32).max))
            split = self._hold(
                self._training.transform(
                    _cluster.hold_out_part,
                    fraction=estimator.validation_fraction,
                    seed=seed,
                    stratify=not multilabel,
                )
            )
            kept, held = (
                self._hold(split.transform(_cluster.part_of, part=part)) for part in (0, 1)
            )
            split.release()
            self._training.release()
            self._training, self._held_out = kept, True
            return ClusterValidation(held, layout, multilabel)
        check_validation_arguments(X_val, y_val, estimator.early_stopping)
        X_val, y_val, sample_weight_val = as_dask(X_val, y_val, sample_weight_val)
        with named_X_val():
            input_attributes(fitted_probe(estimator, fitted), X_val, reset=False)
        checked = self._check(
            X_val, column(y_val, "y_val"), sample_weight_val, ("y_val", "sample_weight_val")
        )
        checked.check_declared(label_binarizer)
        held = self._hold(checked.encoded(None, label_binarizer))
        return ClusterValidation(held, layout, multilabel)

    def objective(self, layout, loss, alpha):
        """The ClusterObjective of the training chunks, after the checks a hold-out
        needs (every class left to train on, a positive weight)."""
        multilabel = self._label_binarizer.y_type_ == "multilabel-indicator"
        counts = self._training.map(_cluster.part_counts, layout.shapes[-1][1], multilabel)
        n_samples = sum(rows for rows, _, _ in counts)
        weight_sum = 0.0
        for _, part_sum, _ in counts:
            weight_sum += part_sum
        if self._held_out:
            if not multilabel:
                per_class = np.sum([c for _, _, c in counts if c is not None], axis=0)
                n_classes = self._label_binarizer.classes_.size
                if (per_class[:n_classes] == 0).any() or n_samples == 0:
                    refuse_hold_out(
                        "The training set left after holding out validation_fraction for "
                        "early stopping is missing a class"
                    )
            check_training_weight(weight_sum != 0)
        return ClusterObjective(
            self._training,
            n_samples=n_samples,
            weight_sum=weight_sum,
            layout=layout,
            loss=loss,
            alpha=alpha,
        )

    def release(self):
        """Let the cluster forget every chunk this fit persisted (idempotent)."""
        held, self._held = self._held, []
        for chunks in held:
            chunks.release()


class CheckedParts:
    """The parts of one data set on the cluster, checked (``_cluster.check_part``),
    with what the client learnt of them: rows, labels, counts, weight maxima."""

    def __init__(self, client, X, y, sample_weight, dtype, estimator_name, names):
        self.dtype, self.names, self.estimator_name = dtype, names, estimator_name
        X_parts, y_parts, w_parts = _cluster.parts(X, y, sample_weight, names=names)
        self.chunks = _chunks.ChunkSet.compute(
            client,
            _cluster.check_part,
            list(zip(X_parts, y_parts, w_parts)),
            X,
            dtype=dtype,
            estimator_name=estimator_name,
        )

    def check_rows(self):
        """Learn each part's summary; refuse a set without rows; drop empty parts."""
        summaries = self.chunks.map(_cluster.part_summary)
        self.n_samples = sum(summary["rows"] for summary in summaries)
        if self.n_samples == 0:
            raise ValueError(
                f"Found array with 0 sample(s) (shape=(0, {summaries[0]['features']})) "
                f"while a minimum of 1 is required by {self.estimator_name}."
            )
        filled = [i for i, summary in enumerate(summaries) if summary["rows"]]
        self.chunks.keep(filled)  # parts without rows add nothing
        self.summaries = [summaries[i] for i in filled]

    @property
    def multilabel(self):
        return any(summary["n_labels"] is not None for summary in self.summaries)

    def _labels(self):
        return np.unique(np.concatenate([summary["labels"] for summary in self.summaries]))

    def label_binarizer(self):
        """The LabelBinarizer of the whole ``y``, fitted on the union of the parts'
        labels (the classes and the type of target are those of all of ``y``)."""
        if self.multilabel:
            widths = {summary["n_labels"] for summary in self.summaries}
            if len(widths) > 1 or None in widths:
                raise ValueError("y mixes 1-D labels and indicator rows across its chunks.")
            (width,) = widths
            return fit_label_binarizer(np.eye(2, width, dtype=int))  # an indicator of width
        return fit_label_binarizer(self._labels())

    def check_declared(self, label_binarizer):
        """The labels must be among the fitted classes (as ``_inputs.check_declared``)."""
        if label_binarizer.y_type_ == "multilabel-indicator":
            for width in sorted({summary["n_labels"] or 1 for summary in self.summaries}):
                check_n_labels(width, label_binarizer, self.names[0])
            return
        check_labels_declared(self._labels(), label_binarizer, self.names[0])

    def class_totals(self, label_binarizer, key):
        """Per class, the sum (``counts``) or the largest (``weight_max``) over parts."""
        classes = label_binarizer.classes_
        totals = np.zeros(classes.size)
        for summary in self.summaries:
            positions = np.searchsorted(classes, summary["labels"])
            if key == "counts":
                np.add.at(totals, positions, summary["counts"])
            else:
                np.maximum.at(totals, positions, summary["weight_max"])
        return totals

    def encoded(self, class_weight, label_binarizer):
        """A ChunkSet of ``(X, targets, weights)`` parts, encoded on the workers as
        ``_inputs`` encodes in memory (class indices; s_i rescaled by the same powers
        of two). The checked chunks are released."""
        multilabel = label_binarizer.y_type_ == "multilabel-indicator"
        classes = label_binarizer.classes_
        largest = max(max(summary["weight_max"], default=0.0) for summary in self.summaries)
        check_some_weight(largest != 0, self.names[1])
        first = int(np.frexp(largest)[1])
        class_weights, second = None, 0
        if class_weight is not None:
            check_class_weight(class_weight, label_binarizer)
            counts = self.class_totals(label_binarizer, "counts")
            class_weights = class_weights_from_counts(class_weight, classes, counts, self.n_samples)
            weighted_max = (
                np.ldexp(self.class_totals(label_binarizer, "weight_max"), -first) * class_weights
            ).max()
            check_some_weight(weighted_max != 0, WEIGHTED_BY_CLASS)
            second = int(np.frexp(weighted_max)[1])
        encoded = self.chunks.transform(
            _cluster.encode_part,
            classes=classes,
            multilabel=multilabel,
            class_weights=class_weights,
            exponents=(first, second),
            dtype=self.dtype,
        )
        self.chunks.release()
        return encoded


def class_weights_from_counts(class_weight, classes, counts, n_samples):
    """``compute_class_weight``'s weights from the classes' counts ("balanced":
    ``n_samples / (n_classes * count)``, its formula), without the labels."""
    from sklearn.utils.class_weight import compute_class_weight

    if class_weight == "balanced":
        return n_samples / (classes.size * counts.astype(np.float64))
    return compute_class_weight(class_weight, classes=classes, y=classes)


class ClusterObjective:
    """``J`` and its gradient over a ``ChunkSet`` of training parts: the
    ``_core.objective.Objective`` interface on a cluster (the full batch only).

    Each part returns its data term and gradient, normalised by the whole set's
    weight sum; the client adds them in chunk order in float64, then the penalty
    (``penalised``, as the in-memory objective adds it).
    """

    def __init__(self, chunks, *, n_samples, weight_sum, layout, loss, alpha):
        self.chunks, self.n_samples, self.weight_sum = chunks, n_samples, weight_sum
        self.layout, self.loss, self.alpha = layout, loss, alpha

    def __call__(self, theta, rows=None):
        if rows is not None:
            raise NotImplementedError(
                "A ClusterObjective evaluates all rows: mini-batches are "
                "dask_ml.wrappers.Incremental's."
            )
        shares = self.chunks.map(
            _cluster.part_objective, theta, self.layout, self.loss, self.weight_sum
        )
        data_term = 0.0
        gradient = np.zeros(theta.shape, dtype=np.float64)
        for value, part_gradient in shares:
            data_term += value
            gradient += part_gradient
        objective, gradient = penalised(data_term, gradient, theta, self.layout, self.alpha)
        return objective, gradient.astype(theta.dtype, copy=False)

    def hessians(self, theta):
        """The data term's Hessians summed over the parts in chunk order, penalised."""
        shares = self.chunks.map(
            _cluster.part_hessians, theta, self.layout, self.loss, self.weight_sum
        )
        hessians = [np.zeros_like(hessian) for hessian in shares[0]]
        for share in shares:
            for total, part in zip(hessians, share):
                total += part
        return penalised_hessians(hessians, self.layout, self.alpha)

    def to_device(self, theta, copy=False):
        return theta.copy() if copy else theta


class ClusterValidation:
    """Early stopping's score on held-out parts on the cluster: the weighted
    accuracy, a map-reduce of the weight of the rows predicted right."""

    def __init__(self, chunks, layout, multilabel):
        self.chunks, self.layout, self.multilabel = chunks, layout, multilabel

    def score(self, theta):
        pairs = self.chunks.map(_cluster.part_correct, theta, self.layout, self.multilabel)
        correct = sum(pair[0] for pair in pairs)
        total = sum(pair[1] for pair in pairs)
        return correct / total


def input_attributes(estimator, X, reset):
    """``n_features_in_``, ``feature_names_in_`` and the dtype of the fit, from
    ``X``'s metadata (no data), checked as ``validate_data`` checks them (on a copy
    of ``estimator``: nothing is written on it)."""
    probe = copy.copy(estimator)
    checked = validate_data(
        probe,
        meta(X),
        reset=reset,
        accept_sparse=SPARSE_FORMATS,
        dtype=FLOAT_DTYPES,
        ensure_min_samples=0,
    )
    fitted = {
        "n_features_in_": probe.n_features_in_,
        "feature_names_in_": getattr(probe, "feature_names_in_", None),
    }
    return fitted, checked.dtype


def meta(X):
    """An empty stand-in for ``X`` with its columns (names, dtypes) and no rows."""
    import dask.array as da

    if isinstance(X, da.Array):
        if X.ndim != 2:
            raise ValueError(
                f"Expected 2D array, got {X.ndim}D array instead: X must be a 2-D dask "
                "array of shape (n_samples, n_features)."
            )
        meta = X._meta
        if hasattr(meta, "format"):  # a sparse matrix
            return meta.__class__((0, X.shape[1]), dtype=X.dtype)
        return np.empty((0, X.shape[1]), dtype=X.dtype)
    if hasattr(X, "columns"):
        return X._meta
    raise TypeError(f"X must be a dask array or a dask DataFrame, got {type(X).__name__}.")


def column(y, name):
    """A column vector ``y`` as 1-D, with scikit-learn's warning (a one-column
    DataFrame too), lazily; anything else unchanged."""
    shape = getattr(y, "shape", ())
    if hasattr(y, "columns") and getattr(y, "ndim", 1) == 2 and len(y.columns) == 1:
        column_or_1d(np.zeros((1, 1)), warn=True)
        return y[y.columns[0]]
    if is_dask_collection(y) and len(shape) == 2 and shape[1] == 1:
        column_or_1d(np.zeros((1, 1)), warn=True)
        return y[:, 0]
    return y


def as_dask(X, y, sample_weight):
    """Validation data in memory as one-chunk dask collections (scattered once)."""
    import dask.array as da

    if is_dask_collection(X):
        return X, y, sample_weight
    if hasattr(X, "columns"):
        import dask.dataframe as dd

        X = dd.from_pandas(X, npartitions=1)
        if hasattr(y, "index"):
            y = dd.from_pandas(y, npartitions=1)
        if hasattr(sample_weight, "index"):
            sample_weight = dd.from_pandas(sample_weight, npartitions=1)
        return X, y, sample_weight
    X = check_array(
        X,
        accept_sparse=SPARSE_FORMATS,
        dtype=None,
        ensure_min_samples=0,
        ensure_all_finite=False,
    )
    return da.from_array(X, chunks=(max(X.shape[0], 1), X.shape[1])), y, sample_weight
