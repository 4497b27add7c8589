"""Exact full-batch training on data spread over a Dask cluster.

``DaskSigmoidPerceptronClassifier`` is ``SigmoidPerceptronClassifier`` with the
same parameters whose ``fit`` takes dask arrays and DataFrames and trains on the
cluster of the current ``distributed`` client, without gathering ``X`` or ``y``:
the objective is a sum over rows, so each evaluation is one map-reduce over
chunks persisted once (``_cluster``), and the solvers run unchanged on the client
(docs: "Training on a Dask cluster").
"""

import copy
import warnings

import numpy as np
from sklearn.exceptions import DataConversionWarning
from sklearn.utils import check_random_state
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_array, check_is_fitted, column_or_1d, validate_data

from .._classifier import SigmoidPerceptronClassifier, _classes
from .._compat import _fit_context
from .._core.layout import Layout, initial_theta
from .._inputs import (
    FLOAT_DTYPES,
    SPARSE_FORMATS,
    check_class_weight,
    check_hidden_layer_sizes,
    check_newton_cholesky,
    check_warm_targets,
    fit_label_binarizer,
    is_dask_collection,
    n_outputs,
)
from .._training import check_validation_arguments, warm_theta
from . import _cluster

INCREMENTAL = (
    "dask_ml.wrappers.Incremental(SigmoidPerceptronClassifier(solver={solver!r}, ...)) "
    "feeds partial_fit one dask block at a time"
)


class DaskSigmoidPerceptronClassifier(SigmoidPerceptronClassifier):
    """A ``SigmoidPerceptronClassifier`` that trains on a Dask cluster.

    The parameters are those of :class:`~sk_backprop.SigmoidPerceptronClassifier`
    and mean the same. ``fit`` on dask arrays or dask DataFrames trains on the
    cluster of the current ``distributed`` client: the rows stay on the workers
    (checked, encoded and persisted once, one chunk per block or partition), and
    each evaluation of the objective is one task per worker thread over the
    chunks that worker holds, whose partial sums the client adds in chunk order.
    The result is the in-memory fit's, up to the order of the sums: the same
    objective, the same solver, the same fitted attributes (NumPy arrays).

    ``solver`` may be ``"lbfgs"``, ``"gd"`` or ``"newton-cholesky"``: the full-batch
    solvers. ``"sgd"`` and ``"adam"`` step once per mini-batch, and a round trip to
    the cluster per mini-batch would make an epoch take minutes; for them
    ``dask_ml.wrappers.Incremental`` streams the blocks through ``partial_fit``.

    On NumPy or SciPy input every method is the base class's: ``fit`` trains in
    memory. On dask input the answers are lazy dask arrays.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=()
        Units of each hidden layer. Every parameter means what it means for
        :class:`~sk_backprop.SigmoidPerceptronClassifier`, whose page says more.
    loss : {"log_loss", "squared_error"}, default="log_loss"
        The loss of each sigmoid output.
    solver : {"lbfgs", "newton-cholesky", "gd", "sgd", "adam"}, default="lbfgs"
        The minimiser; ``"sgd"`` and ``"adam"`` train only NumPy data (see above).
    learning_rate : "auto" or float, default="auto"
        The step of ``"gd"`` (``"auto"``: a line search each epoch).
    max_iter : int, default=200
        Most epochs (``"lbfgs"``: iterations).
    batch_size : "auto" or int, default="auto"
        Rows per mini-batch of ``"sgd"`` and ``"adam"`` (NumPy data only).
    alpha : float, default=1e-4
        Strength of the L2 penalty on the coefs.
    fit_intercept : bool, default=True
        Whether each layer has an intercept.
    momentum : float, default=0.9
        Momentum of ``"sgd"``.
    tol : float or None, default=1e-4
        The tolerance of the stopping rule.
    n_iter_no_change : int or np.inf, default=10
        Epochs without improvement by more than ``tol`` that stop training.
    early_stopping : bool, default=False
        Stop when the validation accuracy stops improving. On dask data without
        ``X_val``, each chunk holds out a random ``validation_fraction`` of the rows
        of each class (the user guide's page "Training on a Dask cluster").
    validation_fraction : float, default=0.1
        Share of the training rows held out for early stopping.
    class_weight : dict, "balanced" or None, default=None
        Weight of each class in the objective ("balanced": from the classes'
        counts over all chunks).
    shuffle : bool, default=True
        Whether ``"sgd"`` and ``"adam"`` shuffle the rows (NumPy data only).
    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights and early stopping's hold-out.
    warm_start : bool, default=False
        Start from the weights of the previous fit.
    verbose : int, default=0
        1 prints one line per epoch, as the in-memory fit.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        As :class:`~sk_backprop.SigmoidPerceptronClassifier`'s; every fitted
        attribute is a NumPy array or a number, whatever the input was.
    coefs_ : list of ndarray
    intercepts_ : list of ndarray
    n_iter_ : int
    loss_ : float
    loss_curve_ : list of float
    best_loss_ : float
    t_ : int
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Only when ``X`` has string column names.
    n_layers_ : int
    n_outputs_ : int

    See Also
    --------
    sk_backprop.SigmoidPerceptronClassifier : The same model in memory.
    dask_ml.wrappers.Incremental : ``partial_fit`` over dask blocks, for sgd and adam.

    Examples
    --------
    >>> import dask.array as da
    >>> from distributed import Client, LocalCluster
    >>> from sk_backprop.dask import DaskSigmoidPerceptronClassifier
    >>> with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
    ...                   dashboard_address=":0") as cluster, Client(cluster):
    ...     X = da.random.default_rng(0).normal(size=(2_000, 3), chunks=500)
    ...     y = (X[:, 0] > 0).astype(int)
    ...     clf = DaskSigmoidPerceptronClassifier().fit(X, y)
    ...     accuracy = clf.score(X, y)
    >>> accuracy > 0.95
    True
    """

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, *, X_val=None, y_val=None, sample_weight_val=None):
        """Train on the cluster (dask ``X``), or in memory (NumPy ``X``).

        Parameters
        ----------
        X : dask array or dask DataFrame of shape (n_samples, n_features)
            Training data, left on the workers. Chunk sizes may be unknown.
        y : dask array or dask Series of shape (n_samples,) or (n_samples, n_labels)
            Labels partitioned as ``X`` (a NumPy ``y`` is cut by ``X``'s chunks).
        sample_weight : dask array or dask Series of shape (n_samples,), default=None
            Non-negative weights of the samples, partitioned as ``X``.
        X_val : dask or NumPy array, or DataFrame, of shape (n_val, n_features), default=None
            Early stopping's data; scored on the cluster each epoch.
        y_val : dask or NumPy array, or Series, of shape (n_val,), default=None
            The labels of ``X_val``.
        sample_weight_val : dask or NumPy array of shape (n_val,), default=None
            Weights of the validation samples in the validation score.

        Returns
        -------
        self : DaskSigmoidPerceptronClassifier
            The fitted estimator.
        """
        if not is_dask_collection(X):
            return super().fit(
                X, y, sample_weight, X_val=X_val, y_val=y_val, sample_weight_val=sample_weight_val
            )
        hidden_layer_sizes = check_hidden_layer_sizes(self.hidden_layer_sizes)
        if self.solver in ("sgd", "adam"):
            raise ValueError(
                f"solver={self.solver!r} steps once per mini-batch, and on a cluster each "
                "step would be a round trip to every worker. DaskSigmoidPerceptronClassifier "
                "trains with the full-batch solvers 'lbfgs', 'gd' and 'newton-cholesky'; "
                f"for {self.solver!r} on dask data, " + INCREMENTAL.format(solver=self.solver) + "."
            )
        if self.solver == "newton-cholesky":
            check_newton_cholesky(hidden_layer_sizes, np.empty(0))
        client = _cluster.current_client(type(self).__name__)
        created = []  # every ChunkSet of this fit, released however it ends
        try:
            return self._fit_on_cluster(
                client,
                created,
                hidden_layer_sizes,
                X,
                y,
                sample_weight,
                X_val,
                y_val,
                sample_weight_val,
            )
        finally:
            for chunks in created:
                chunks.release()

    def _fit_on_cluster(
        self,
        client,
        created,
        hidden_layer_sizes,
        X,
        y,
        sample_weight,
        X_val,
        y_val,
        sample_weight_val,
    ):
        warm = self.warm_start and hasattr(self, "coefs_")
        fitted, dtype = self._input_attributes(X, reset=not warm)
        name = type(self).__name__
        data = _Checked(client, created, X, _column(y, "y"), sample_weight, dtype, name)
        label_binarizer = data.label_binarizer()
        if warm:
            check_warm_targets(label_binarizer, self._label_binarizer)
        fitted.update(
            classes_=_classes(label_binarizer, None, None), _label_binarizer=label_binarizer
        )
        training = data.encoded(self.class_weight, label_binarizer)
        layout = Layout.from_sizes(
            fitted["n_features_in_"],
            hidden_layer_sizes,
            n_outputs(label_binarizer),
            self.fit_intercept,
        )
        random_state = check_random_state(self.random_state)
        theta = (
            warm_theta(
                self.coefs_,
                self.intercepts_,
                layout,
                dtype,
                getattr(self, "_fit_intercept", layout.fit_intercept),
            )
            if warm
            else initial_theta(layout, random_state, dtype)
        )
        training, validation = self._validation(
            client,
            created,
            training,
            label_binarizer,
            layout,
            fitted,
            dtype,
            random_state,
            X_val,
            y_val,
            sample_weight_val,
        )
        objective = _training_objective(
            training,
            label_binarizer,
            layout,
            self.loss,
            self.alpha,
            X_val is None and self.early_stopping,
        )
        solver = self._make_solver(objective.n_samples, random_state, hidden_layer_sizes)
        return self._train_and_publish(
            objective,
            X,
            y,
            theta,
            layout,
            solver,
            fitted,
            incremental=False,
            validation=validation,
            continued=warm,
            namespace=(None, None),
        )

    def _input_attributes(self, X, reset):
        """``n_features_in_``, ``feature_names_in_`` and the dtype of the fit, from
        ``X``'s metadata (no data), checked as ``validate_data`` checks them."""
        meta = _meta(X)
        probe = copy.copy(self)
        checked = validate_data(
            probe,
            meta,
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

    def _validation(
        self,
        client,
        created,
        training,
        label_binarizer,
        layout,
        fitted,
        dtype,
        random_state,
        X_val,
        y_val,
        sample_weight_val,
    ):
        """The training chunks and early stopping's ``ClusterValidation`` (or None)."""
        multilabel = label_binarizer.y_type_ == "multilabel-indicator"
        if X_val is None and y_val is None:
            if not self.early_stopping:
                return training, None
            seed = int(random_state.randint(np.iinfo(np.int32).max))
            training, held_out = _hold_out(
                created, training, self.validation_fraction, seed, stratify=not multilabel
            )
            return training, _cluster.ClusterValidation(held_out, layout, multilabel)
        check_validation_arguments(X_val, y_val, self.early_stopping)
        X_val, y_val, sample_weight_val = _as_dask(X_val, y_val, sample_weight_val)
        probe = copy.copy(self)
        vars(probe).pop("feature_names_in_", None)
        vars(probe).update((k, v) for k, v in fitted.items() if v is not None)
        try:
            probe._input_attributes(X_val, reset=False)
        except ValueError as error:  # scikit-learn's message calls it X
            raise ValueError(f"X_val: {error}") from error
        data = _Checked(
            client,
            created,
            X_val,
            _column(y_val, "y_val"),
            sample_weight_val,
            dtype,
            type(self).__name__,
            names=("y_val", "sample_weight_val"),
        )
        data.check_declared(label_binarizer)
        held_out = data.encoded(None, label_binarizer, weight_name="sample_weight_val")
        return training, _cluster.ClusterValidation(held_out, layout, multilabel)

    # ---------------------------------------------------------------- streaming

    @available_if(SigmoidPerceptronClassifier._partial_fit_available)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """One pass over a NumPy chunk, as the base class's; refused on dask data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            A chunk of the training data, in memory.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Its labels.
        classes : array-like of shape (n_classes,), default=None
            Every class of the stream; required on the first call.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the chunk's samples.

        Returns
        -------
        self : DaskSigmoidPerceptronClassifier
            The estimator, updated.
        """
        if is_dask_collection(X):
            raise TypeError(
                "partial_fit takes one chunk in memory; for a dask collection, "
                + INCREMENTAL.format(solver=self.solver)
                + ", or fit trains on all of it on the cluster."
            )
        return super().partial_fit(X, y, classes=classes, sample_weight=sample_weight)

    # ------------------------------------------------------------------ answers

    def to_local(self):
        """Return the fitted model as a plain :class:`~sk_backprop.SigmoidPerceptronClassifier`.

        For saving with skops, or for answering without a cluster. The weights
        are copies.

        Returns
        -------
        estimator : SigmoidPerceptronClassifier
            The same parameters and fitted attributes.
        """
        check_is_fitted(self)
        local = SigmoidPerceptronClassifier(**self.get_params())
        vars(local).update(copy.deepcopy(self._fitted_state()))
        return local

    def _lazy(self, X, method):
        """``method`` of the in-memory model, a chunk at a time, as a lazy dask array."""
        import dask
        import dask.array as da

        check_is_fitted(self)
        self._input_attributes(X, reset=False)  # the features, checked now
        local = self.to_local()
        answer = getattr(local, method)
        with warnings.catch_warnings():  # one row, for the answer's dtype and shape
            warnings.simplefilter("ignore", UserWarning)  # (fitted with feature names)
            sample = answer(np.zeros((1, self.n_features_in_), dtype=self.coefs_[0].dtype))
        model = dask.delayed(local, pure=True)
        X_parts, row_chunks = _cluster._parts_of(X, "X")
        rows = row_chunks or (np.nan,) * len(X_parts)
        return da.concatenate(
            [
                da.from_delayed(
                    dask.delayed(_answer_part)(model, method, part),
                    shape=(n_rows, *sample.shape[1:]),
                    dtype=sample.dtype,
                    meta=sample[:0],
                )
                for part, n_rows in zip(X_parts, rows)
            ]
        )

    def decision_function(self, X):
        """Return the logits (see the base class); a lazy dask array on dask input.

        Parameters
        ----------
        X : {array-like, sparse matrix, dask array, dask DataFrame} of shape (n_samples, n_features)
            The samples.

        Returns
        -------
        scores : ndarray or dask array of shape (n_samples,) or (n_samples, n_outputs)
            The logit of each sigmoid output.
        """
        if is_dask_collection(X):
            return self._lazy(X, "decision_function")
        return super().decision_function(X)

    def predict(self, X):
        """Predict class labels (see the base class); lazily on dask input.

        Parameters
        ----------
        X : {array-like, sparse matrix, dask array, dask DataFrame} of shape (n_samples, n_features)
            The samples.

        Returns
        -------
        y_pred : ndarray or dask array of shape (n_samples,) or (n_samples, n_labels)
            The predicted labels.
        """
        if is_dask_collection(X):
            return self._lazy(X, "predict")
        return super().predict(X)

    def predict_proba(self, X):
        """Return probability estimates (see the base class); lazily on dask input.

        Parameters
        ----------
        X : {array-like, sparse matrix, dask array, dask DataFrame} of shape (n_samples, n_features)
            The samples.

        Returns
        -------
        proba : ndarray or dask array of shape (n_samples, n_classes)
            The probability of each class, in the order of ``classes_``.
        """
        if is_dask_collection(X):
            return self._lazy(X, "predict_proba")
        return super().predict_proba(X)

    def predict_log_proba(self, X):
        """Return log-probabilities (see the base class); lazily on dask input.

        Parameters
        ----------
        X : {array-like, sparse matrix, dask array, dask DataFrame} of shape (n_samples, n_features)
            The samples.

        Returns
        -------
        log_proba : ndarray or dask array of shape (n_samples, n_classes)
            The logarithm of each class's probability.
        """
        if is_dask_collection(X):
            return self._lazy(X, "predict_log_proba")
        return super().predict_log_proba(X)

    def score(self, X, y, sample_weight=None):
        """Return the mean accuracy (subset accuracy for multilabel ``y``), weighted.

        On dask input a map-reduce of each chunk's weight of rows predicted
        right: nothing but two numbers per chunk comes to the client.

        Parameters
        ----------
        X : {array-like, sparse matrix, dask array, dask DataFrame} of shape (n_samples, n_features)
            Test samples.
        y : array-like or dask collection of shape (n_samples,) or (n_samples, n_labels)
            True labels, partitioned as ``X`` when dask.
        sample_weight : array-like or dask collection of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            The (weighted) share of samples predicted right.
        """
        if not is_dask_collection(X):
            return super().score(X, y, sample_weight=sample_weight)
        import dask

        check_is_fitted(self)
        self._input_attributes(X, reset=False)
        model = dask.delayed(self.to_local(), pure=True)
        X_parts, y_parts, w_parts = _cluster.parts(X, _column(y, "y"), sample_weight)
        sums = dask.compute(
            *[dask.delayed(_score_part)(model, *part) for part in zip(X_parts, y_parts, w_parts)]
        )
        correct, total = (sum(values) for values in zip(*sums))
        return correct / total


class _Checked:
    """The parts of one data set on the cluster, checked (``_cluster.check_part``),
    with what the client learnt of them: rows, labels, counts, weight maxima."""

    def __init__(
        self,
        client,
        created,
        X,
        y,
        sample_weight,
        dtype,
        estimator_name,
        names=("y", "sample_weight"),
    ):
        import dask

        self.client, self.created, self.dtype = client, created, dtype
        X_parts, y_parts, w_parts = _cluster.parts(X, y, sample_weight, names=names)
        checks = [
            dask.delayed(_cluster.check_part, pure=False)(
                X_part,
                y_part,
                w_part,
                dtype=dtype,
                estimator_name=estimator_name,
            )
            for X_part, y_part, w_part in zip(X_parts, y_parts, w_parts)
        ]
        self.chunks = _cluster.ChunkSet.compute(client, checks, X_parts, X)
        created.append(self.chunks)
        summaries = self.chunks.map(_cluster.part_summary)
        self.names = names
        self.n_samples = sum(summary["rows"] for summary in summaries)
        if self.n_samples == 0:
            raise ValueError(
                f"Found array with 0 sample(s) (shape=(0, {summaries[0]['features']})) "
                f"while a minimum of 1 is required by {estimator_name}."
            )
        filled = [i for i, summary in enumerate(summaries) if summary["rows"]]
        self.chunks.keep(filled)  # parts without rows add nothing
        self.summaries = [summaries[i] for i in filled]

    @property
    def multilabel(self):
        return any(summary["n_labels"] is not None for summary in self.summaries)

    def label_binarizer(self):
        """The LabelBinarizer of the whole ``y``, fitted on the union of the parts'
        labels (the classes and the type of target are those of all of ``y``)."""
        if self.multilabel:
            widths = {summary["n_labels"] for summary in self.summaries}
            if len(widths) > 1 or None in widths:
                raise ValueError("y mixes 1-D labels and indicator rows across its chunks.")
            (width,) = widths
            return fit_label_binarizer(np.eye(2, width, dtype=int))  # an indicator of width
        labels = np.unique(np.concatenate([summary["labels"] for summary in self.summaries]))
        return fit_label_binarizer(labels)

    def check_declared(self, label_binarizer):
        """y_val's labels must be among the fitted classes (as ``check_declared``)."""
        classes = label_binarizer.classes_
        if label_binarizer.y_type_ == "multilabel-indicator":
            widths = {summary["n_labels"] for summary in self.summaries}
            if widths != {classes.size}:
                raise ValueError(
                    f"y_val has {sorted(w or 1 for w in widths)} labels; the network was "
                    f"set up for {classes.size}."
                )
            return
        labels = np.unique(np.concatenate([summary["labels"] for summary in self.summaries]))
        undeclared = np.setdiff1d(labels, classes)
        if undeclared.size:
            raise ValueError(
                f"y_val has labels {undeclared.tolist()} that were not declared in classes "
                f"{classes.tolist()}."
            )

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

    def encoded(self, class_weight, label_binarizer, weight_name=None):
        """A ChunkSet of ``(X, targets, weights)`` parts, encoded on the workers as
        ``_inputs`` encodes in memory (class indices; s_i rescaled)."""
        weight_name = weight_name or self.names[1]
        multilabel = label_binarizer.y_type_ == "multilabel-indicator"
        classes = label_binarizer.classes_
        largest = max(max(summary["weight_max"], default=0.0) for summary in self.summaries)
        if largest == 0:
            raise ValueError(
                f"{weight_name} must contain at least one non-zero number: it is zero for "
                "every sample, so there is nothing to fit."
            )
        first = int(np.frexp(largest)[1])
        class_weights, second = None, 0
        if class_weight is not None:
            if multilabel:
                raise ValueError(
                    "class_weight is not supported for multilabel y; pass sample_weight instead."
                )
            check_class_weight(class_weight)
            counts = self.class_totals(label_binarizer, "counts")
            class_weights = _class_weights(class_weight, classes, counts, self.n_samples)
            weighted_max = (
                np.ldexp(self.class_totals(label_binarizer, "weight_max"), -first) * class_weights
            ).max()
            if weighted_max == 0:
                raise ValueError(
                    "sample_weight times class_weight must contain at least one non-zero "
                    "number: it is zero for every sample, so there is nothing to fit."
                )
            second = int(np.frexp(weighted_max)[1])
        encoded = self.chunks.transform(
            _cluster.encode_part,
            classes=classes,
            multilabel=multilabel,
            class_weights=class_weights,
            exponents=(first, second),
            dtype=self.dtype,
        )
        self.created.append(encoded)
        self.chunks.release()
        return encoded


def _class_weights(class_weight, classes, counts, n_samples):
    """``compute_class_weight``'s weights from the classes' counts ("balanced":
    ``n_samples / (n_classes * count)``, its formula), without the labels."""
    from sklearn.utils.class_weight import compute_class_weight

    if class_weight == "balanced":
        return n_samples / (classes.size * counts.astype(np.float64))
    return compute_class_weight(class_weight, classes=classes, y=classes)


def _hold_out(created, training, fraction, seed, stratify):
    """Early stopping's split of every chunk (``_cluster.hold_out_part``)."""
    split = training.transform(
        _cluster.hold_out_part, fraction=fraction, seed=seed, stratify=stratify
    )
    created.append(split)
    kept, held = (split.transform(_cluster.part_of, part=part) for part in (0, 1))
    created.extend([kept, held])
    split.release()
    training.release()
    return kept, held


def _training_objective(chunks, label_binarizer, layout, loss, alpha, held_out):
    """The ClusterObjective of the training chunks, after the checks a hold-out
    needs (every class left to train on, a positive weight)."""
    multilabel = label_binarizer.y_type_ == "multilabel-indicator"
    counts = chunks.map(_cluster.part_counts, layout.shapes[-1][1], multilabel)
    n_samples = sum(rows for rows, _, _ in counts)
    weight_sum = 0.0
    for _, part_sum, _ in counts:
        weight_sum += part_sum
    if held_out:
        if not multilabel:
            per_class = np.sum([c for _, _, c in counts if c is not None], axis=0)
            n_classes = label_binarizer.classes_.size
            if (per_class[:n_classes] == 0).any() or n_samples == 0:
                raise ValueError(
                    "The training set left after holding out validation_fraction for "
                    "early stopping is missing a class. Decrease validation_fraction, or "
                    "give X_val and y_val to fit."
                )
        if weight_sum == 0:
            raise ValueError(
                "Every training row left after holding out validation_fraction for "
                "early stopping has zero weight."
            )
    return _cluster.ClusterObjective(
        chunks, n_samples=n_samples, weight_sum=weight_sum, layout=layout, loss=loss, alpha=alpha
    )


def _meta(X):
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


def _column(y, name):
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


def _as_dask(X, y, sample_weight):
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
        X, accept_sparse=SPARSE_FORMATS, dtype=None, ensure_min_samples=0, ensure_all_finite=False
    )
    return da.from_array(X, chunks=(max(X.shape[0], 1), X.shape[1])), y, sample_weight


def _answer_part(model, method, X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConversionWarning)
        return getattr(model, method)(X)


def _score_part(model, X, y, sample_weight):
    """The weight of the part's rows predicted right, and of all its rows."""
    y = np.asarray(y)
    predicted = model.predict(X)
    correct = (predicted == y).all(axis=1) if y.ndim == 2 else predicted == y
    weights = np.ones(y.shape[0]) if sample_weight is None else np.asarray(sample_weight, float)
    return float(weights @ correct), float(weights.sum())
