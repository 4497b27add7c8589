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
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from .._classifier import SigmoidPerceptronClassifier
from .._inputs import is_dask_collection
from . import _cluster
from ._data import INCREMENTAL, ClusterData, column, input_attributes


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
        return super().fit(
            X, y, sample_weight, X_val=X_val, y_val=y_val, sample_weight_val=sample_weight_val
        )

    def _prepare(self, X, y, sample_weight, hidden_layer_sizes, *, reset):
        """Dask collections are prepared on the cluster (``ClusterData``); anything
        else in memory, as the base class does."""
        if not is_dask_collection(X):
            return super()._prepare(X, y, sample_weight, hidden_layer_sizes, reset=reset)
        ClusterData.check_solver(self.solver, hidden_layer_sizes)
        return ClusterData(self, X, y, sample_weight, reset=reset)

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
        input_attributes(self, X, reset=False)  # the features, checked now
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
                    dask.delayed(_answer_part)(model, method, part, sample[:0]),
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
        input_attributes(self, X, reset=False)
        model = dask.delayed(self.to_local(), pure=True)
        X_parts, y_parts, w_parts = _cluster.parts(X, column(y, "y"), sample_weight)
        sums = dask.compute(
            *[dask.delayed(_score_part)(model, *part) for part in zip(X_parts, y_parts, w_parts)]
        )
        correct, total = (sum(values) for values in zip(*sums))
        return correct / total


def _answer_part(model, method, X, empty):
    """``method`` of the in-memory model on a part; ``empty`` (no rows, the answer's
    dtype and width) for a part without rows, which scikit-learn refuses."""
    if X.shape[0] == 0:
        return empty
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConversionWarning)
        return getattr(model, method)(X)


def _score_part(model, X, y, sample_weight):
    """The weight of the part's rows predicted right, and of all its rows."""
    y = np.asarray(y)
    if y.shape[0] == 0:
        return 0.0, 0.0
    predicted = model.predict(X)
    correct = (predicted == y).all(axis=1) if y.ndim == 2 else predicted == y
    weights = np.ones(y.shape[0]) if sample_weight is None else np.asarray(sample_weight, float)
    return float(weights @ correct), float(weights.sum())
