"""SigmoidPerceptronClassifier: parameters, the two fitting calls and the answers.

``fit`` and ``partial_fit`` are one template, ``_fit_prepared``, over the data a
``_prepare`` returns (``_data``: checked and encoded by ``_inputs``, in memory here,
on a cluster in ``sk_backprop.dask``); one fit's loop runs in ``_training`` (on an
objective of ``_core.objective``, minimised by a solver of ``_core``), the fitted
attributes are published in one step by ``_state`` (so a failed call changes
nothing) and the answers are transforms from ``_answers``.
"""

import copy
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from . import _answers
from ._callbacks import CallbackBridge
from ._compat import (
    ARRAY_API_SUPPORT,
    CallbackSupportMixin,
    Interval,
    Options,
    StrOptions,
    _check_partial_fit_first_call,
    _fit_context,
    array_namespace,
    check_same_namespace,
    to_numpy,
)
from ._core.layout import Layout, initial_theta
from ._data import InMemoryData
from ._inputs import check_hidden_layer_sizes, check_warm_targets, n_outputs, validate_X
from ._legacy import STATE_TYPES_0_1_0
from ._state import FittedStateMixin
from ._training import (
    history_attributes,
    make_solver,
    train,
    warm_theta,
    weight_attributes,
)
from ._version import DOCUMENTATION


class SigmoidPerceptronClassifier(
    FittedStateMixin, CallbackSupportMixin, ClassifierMixin, BaseEstimator
):
    """A network of sigmoid units trained by backpropagation.

    With ``hidden_layer_sizes=()`` this is the seed notebook's network: the
    inputs feed sigmoid outputs through one weight layer. Each integer in
    ``hidden_layer_sizes`` adds a hidden layer of sigmoid units, trained by
    backpropagating the output deltas through the chain rule.

    Every solver minimises the same objective::

        J(W) = sum_i s_i * loss_i / sum_i s_i + (alpha / 2) * sum_k ||W_k||^2

    where ``s_i`` is the product of ``sample_weight`` and ``class_weight``, the
    loss is summed over the sigmoid outputs and the penalty never touches the
    intercepts.

    With scikit-learn's array API dispatch on, ``X`` may be a PyTorch, CuPy or
    array-api-strict array: the fit and the answers then run in its library, on
    its device (the user guide's page "GPU and other array libraries").

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=()
        Number of sigmoid units of each hidden layer. ``()`` has no hidden layer:
        a logistic model for each output. An int ``n`` means ``(n,)``.

    loss : {"log_loss", "squared_error"}, default="log_loss"
        ``"log_loss"``: the binary cross-entropy of each sigmoid output.
        ``"squared_error"``: ``0.5 * (y - a)^2`` of each output, whose output
        delta is the seed's rule ``(y - a) * a * (1 - a)``.

    solver : {"lbfgs", "newton-cholesky", "gd", "sgd", "adam"}, default="lbfgs"
        ``"lbfgs"``: scipy's L-BFGS-B on the backpropagated gradient.
        ``"newton-cholesky"``: Newton steps from each output's exact Hessian
        (Gauss-Newton for the squared error), as LogisticRegression's; only
        without hidden layers, on NumPy or sparse data; it holds one dense
        ``(n_features + 1)``-square matrix per output, so it suits few features.
        ``"gd"``: full-batch gradient descent, the seed's loop.
        ``"sgd"``: mini-batch gradient descent with momentum.
        ``"adam"``: mini-batch Adam. All four minimise the same objective.

    learning_rate : "auto" or float, default="auto"
        The step. ``"gd"``: ``"auto"`` chooses the step of each epoch by a
        backtracking (Armijo) line search; a float is a fixed step, as in the
        seed. ``"sgd"`` and ``"adam"``: a float is the step, never changed;
        ``"auto"`` starts at 0.1 (``"adam"`` with hidden layers: 0.01; lower where
        the data's curvature needs it); when the epoch objective stops improving
        while the fit is not yet within ``tol`` of the optimum and the full
        objective did not fall since the last such plateau, the batches grow
        5-fold up to the whole data, and then the step is divided by 5 (at most
        8 times); never with ``early_stopping``.
        ``partial_fit`` always steps by the float, or by the ``"auto"`` start.
        Ignored by ``"lbfgs"``, which has a line search of its own.

    max_iter : int, default=200
        Most epochs (``"lbfgs"``: iterations).

    batch_size : "auto" or int, default="auto"
        Rows per mini-batch of ``"sgd"`` and ``"adam"`` (their first batches
        where ``learning_rate="auto"``); ``"auto"`` is ``min(200, n_samples)``.
        ``"gd"`` and ``"lbfgs"`` use the full batch.

    alpha : float, default=1e-4
        Strength of the L2 penalty on the coefs (never on the intercepts). It
        means the same for every solver and batch size.

    fit_intercept : bool, default=True
        Whether each layer has an intercept. The seed's network has none.

    momentum : float, default=0.9
        Momentum of ``"sgd"`` (heavy-ball): ``v = momentum * v - step * g``.

    tol : float or None, default=1e-4
        The tolerance of the stopping rule, scikit-learn's: training stops after
        ``n_iter_no_change`` consecutive epochs whose objective (with
        ``early_stopping``, validation score) did not improve on the best by more
        than ``tol``. ``"lbfgs"`` stops by L-BFGS-B's own tests instead (no
        gradient entry above ``tol``), as MLPClassifier. A fit that stops short of
        the optimum by more than ``tol`` warns with a ConvergenceWarning that says
        how far (the table of docs/solvers.md). ``None`` runs exactly
        ``max_iter`` epochs (L-BFGS-B stops earlier only at an exact stationary
        point).

    n_iter_no_change : int or np.inf, default=10
        Epochs without improvement by more than ``tol`` that stop training
        (not ``"lbfgs"`` without ``early_stopping``); ``np.inf`` never stops early.

    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data (stratified), or
        score on ``X_val``, ``y_val`` given to :meth:`fit`; stop when the
        accuracy has not improved by more than ``tol`` for ``n_iter_no_change``
        consecutive epochs (MLPClassifier's rule) and return the weights that
        scored best.
        Works with every solver; ``partial_fit`` ignores it.

    validation_fraction : float, default=0.1
        Share of the training data held out for early stopping.

    class_weight : dict, "balanced" or None, default=None
        Weight of each class in the objective, multiplied into
        ``sample_weight``. ``"balanced"`` uses
        ``n_samples / (n_classes * np.bincount(y))``. Not for multilabel ``y``.

    shuffle : bool, default=True
        Whether ``"sgd"`` and ``"adam"`` shuffle the rows before each epoch.

    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights, the shuffling and the validation split.

    warm_start : bool, default=False
        Start from the weights of the previous fit (same classes, features and
        hidden layers) and go on recording the loss curve.

    verbose : int, default=0
        1 prints one line per epoch (epoch, objective, validation score, elapsed
        seconds); 2 shows a progress bar with ETA (tqdm's when installed), for
        scikit-learn releases before 1.9, which have no ``ProgressBar`` callback.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels (for multilabel ``y``, the label indices).
    coefs_ : list of ndarray
        ``coefs_[k]`` of shape ``(fan_in, fan_out)`` is weight layer ``k`` (arrays
        of ``X``'s library, on its device, under array API dispatch).
    intercepts_ : list of ndarray
        ``intercepts_[k]`` of shape ``(fan_out,)``; zeros with ``fit_intercept=False``.
    coef_ : ndarray of shape (1, n_features) or (n_outputs, n_features)
        Only without hidden layers: the coefs as ``LogisticRegression`` shapes them.
    intercept_ : ndarray of shape (1,) or (n_outputs,)
        Only without hidden layers.
    n_iter_ : int
        Epochs run by the last call to ``fit``; each ``partial_fit`` adds one.
    loss_ : float
        The objective at the returned weights.
    loss_curve_ : list of float
        The objective after each epoch, since the weights were initialised
        (``warm_start`` and ``partial_fit`` append to it).
    best_loss_ : float
        The smallest value in ``loss_curve_``.
    validation_scores_ : list of float
        Accuracy on the held-out data after each epoch of the fits that had early
        stopping since the weights were initialised (absent after a fit without).
    best_validation_score_ : float
        The best of ``validation_scores_``; its weights are the ones returned.
    t_ : int
        Number of samples seen by the solver, epochs times samples.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Only when ``X`` has string column names.
    n_layers_ : int
        Number of layers, the input and output layers included.
    n_outputs_ : int
        Number of sigmoid outputs: 1 for binary ``y``, else one per class or label.

    See Also
    --------
    sklearn.neural_network.MLPClassifier : Multi-layer perceptron with other
        activations and a softmax output.
    sklearn.linear_model.LogisticRegression : The convex special case.

    Examples
    --------
    The seed notebook's network and training loop: squared error, no
    intercept, full-batch gradient descent with a fixed step.

    >>> from sk_backprop import SigmoidPerceptronClassifier
    >>> X = [[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]]
    >>> y = [0, 1, 1, 0]
    >>> clf = SigmoidPerceptronClassifier(
    ...     loss="squared_error", solver="gd", learning_rate=4.0, max_iter=10_000,
    ...     tol=None, alpha=0.0, fit_intercept=False, random_state=0,
    ... ).fit(X, y)
    >>> round(float(clf.predict_proba([[1, 0, 0]])[0, 1]), 6)
    0.999937
    """

    # The HTML representation links to the estimator's page of our documentation.
    _doc_link_module = "sk_backprop"
    _doc_link_template = DOCUMENTATION + "generated/{estimator_module}.{estimator_name}.html"

    _parameter_constraints: dict = {
        "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "loss": [StrOptions({"log_loss", "squared_error"})],
        "solver": [StrOptions({"lbfgs", "newton-cholesky", "gd", "sgd", "adam"})],
        "learning_rate": [StrOptions({"auto"}), Interval(Real, 0, None, closed="neither")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "fit_intercept": ["boolean"],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "tol": [Interval(Real, 0, None, closed="left"), None],
        "n_iter_no_change": [
            Interval(Integral, 1, None, closed="left"),
            Options(Real, {np.inf}),
        ],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        hidden_layer_sizes=(),
        *,
        loss="log_loss",
        solver="lbfgs",
        learning_rate="auto",
        max_iter=200,
        batch_size="auto",
        alpha=1e-4,
        fit_intercept=True,
        momentum=0.9,
        tol=1e-4,
        n_iter_no_change=10,
        early_stopping=False,
        validation_fraction=0.1,
        class_weight=None,
        shuffle=True,
        random_state=None,
        warm_start=False,
        verbose=0,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.loss = loss
        self.solver = solver
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.momentum = momentum
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.class_weight = class_weight
        self.shuffle = shuffle
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose

    # ------------------------------------------------------------------ fit

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, *, X_val=None, y_val=None, sample_weight_val=None):
        """Train the network on ``X``, ``y`` by backpropagation.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data. float32 data is trained in float32.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a 0/1 indicator matrix for multilabel data.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights ``s_i`` of the samples in the objective.
        X_val : {array-like, sparse matrix} of shape (n_val, n_features), default=None
            Data on which early stopping scores each epoch, instead of a part of
            ``X`` held out; needs ``early_stopping=True`` and ``y_val``. In a
            Pipeline, ``Pipeline(..., transform_input=["X_val"])`` transforms it
            as ``X``.
        y_val : array-like of shape (n_val,) or (n_val, n_labels), default=None
            The labels of ``X_val``.
        sample_weight_val : array-like of shape (n_val,), default=None
            Weights of the validation samples in the validation score.

        Returns
        -------
        self : SigmoidPerceptronClassifier
            The fitted estimator.
        """
        hidden_layer_sizes = check_hidden_layer_sizes(self.hidden_layer_sizes)
        warm = self.warm_start and hasattr(self, "coefs_")
        data = self._prepare(X, y, sample_weight, hidden_layer_sizes, reset=not warm)
        try:
            label_binarizer = data.label_binarizer()
            if warm:
                check_warm_targets(label_binarizer, self._label_binarizer)
            return self._fit_prepared(
                data, label_binarizer, data.classes(label_binarizer), hidden_layer_sizes,
                incremental=False, continued=warm,
                validation=(X_val, y_val, sample_weight_val),
            )  # fmt: skip
        finally:
            data.release()

    def _partial_fit_available(self):
        if self.solver in ("lbfgs", "newton-cholesky"):
            raise AttributeError(
                f"partial_fit is not available for solver={self.solver!r}: it needs the "
                "whole objective. Use solver='gd', 'sgd' or 'adam'."
            )
        return True

    @available_if(_partial_fit_available)
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """One pass over a chunk of the data, continuing from the current weights.

        ``solver="gd"`` takes one full-batch step on the chunk; ``"sgd"`` and
        ``"adam"`` one pass over it in mini-batches, with the step the user asked
        for. Not available for ``solver="lbfgs"``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            A chunk of the training data.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Its class labels, or a 0/1 indicator matrix for multilabel data.
        classes : array-like of shape (n_classes,), default=None
            Every class of the whole stream; required on the first call, and
            when given later it must be the same. For multilabel ``y`` the
            label indices ``range(n_labels)``.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the chunk's samples.

        Returns
        -------
        self : SigmoidPerceptronClassifier
            The estimator, updated.
        """
        hidden_layer_sizes = check_hidden_layer_sizes(self.hidden_layer_sizes)
        if self.class_weight == "balanced":
            raise ValueError(
                "class_weight 'balanced' is not supported for partial_fit. In order "
                "to use 'balanced' weights, use compute_class_weight('balanced', "
                "classes=classes, y=y). In place of y you can use a large enough "
                "sample of the full training set target to properly estimate the "
                "class frequency distributions. Pass the resulting weights as the "
                "class_weight parameter."
            )
        probe = copy.copy(self)  # sklearn's helpers write on it, never on self
        if hasattr(self, "_label_binarizer"):  # the classes, on the host
            probe.classes_ = self._label_binarizer.classes_
        first_call = _check_partial_fit_first_call(probe, to_numpy(classes))
        if not first_call:  # the solver's state lives where the first chunk was
            check_same_namespace(X, self, "partial_fit")
        data = self._prepare(X, y, sample_weight, hidden_layer_sizes, reset=first_call)
        try:
            if first_call:
                label_binarizer = data.label_binarizer(declared=probe.classes_)
                classes = data.classes(label_binarizer)
            else:
                label_binarizer, classes = self._label_binarizer, self.classes_
            data.check_declared(label_binarizer)
            return self._fit_prepared(
                data, label_binarizer, classes, hidden_layer_sizes,
                incremental=True, continued=not first_call, validation=None,
            )  # fmt: skip
        finally:
            data.release()

    def _prepare(self, X, y, sample_weight, hidden_layer_sizes, *, reset):
        """The data of a fit on ``X``, checked (``_data.PreparedData``): in this
        process. The Dask estimator prepares dask collections on the cluster."""
        InMemoryData.check_solver(self.solver, hidden_layer_sizes, X)
        return InMemoryData(self, X, y, sample_weight, reset=reset)

    def _fit_prepared(
        self, data, label_binarizer, classes, hidden_layer_sizes, *, incremental, continued,
        validation,
    ):  # fmt: skip
        """The one fit of ``fit`` and ``partial_fit`` on prepared ``data``: targets and
        weights, the network and its start, early stopping's data, the objective and
        the solver; then train and publish (or leave the estimator as it was).

        ``continued``: from the weights (and, for ``partial_fit``, the solver state) of
        the fit before; ``incremental``: ``partial_fit``'s single pass."""
        fitted = {
            **data.input_attributes,
            "classes_": classes,
            "_label_binarizer": label_binarizer,
        }
        data.encode(label_binarizer, self.class_weight)
        layout = Layout.from_sizes(
            data.n_features, hidden_layer_sizes, n_outputs(label_binarizer), self.fit_intercept
        )
        random_state = check_random_state(self.random_state)
        if continued:
            theta = warm_theta(
                self.coefs_, self.intercepts_, layout, data.dtype,
                getattr(self, "_fit_intercept", layout.fit_intercept),
            )  # fmt: skip
        else:
            theta = initial_theta(layout, random_state, data.dtype)
        validation = None if incremental else data.validation(
            self, layout, label_binarizer, random_state, fitted, validation
        )  # fmt: skip
        objective = data.objective(layout, self.loss, self.alpha)
        solver = self._make_solver(objective.n_samples, random_state, hidden_layer_sizes)
        if incremental and continued:
            # the solver the parameters ask for now, continuing the last one's state
            # when it is of the same kind (set_params may have changed either)
            solver = solver.resume(getattr(self, "_solver_state", None))
        return self._train_and_publish(
            objective, *data.callback_data, theta, layout, solver, fitted,
            incremental=incremental, validation=validation, continued=continued,
            namespace=data.namespace,
        )  # fmt: skip

    def _train_and_publish(
        self,
        objective,
        X,
        y,
        theta,
        layout,
        solver,
        fitted,
        *,
        incremental,
        validation,
        continued,
        namespace,
    ):
        """Train on ``objective``, then publish every fitted attribute at once (or
        nothing). ``X``, ``y`` are what the callbacks see; the fitted weights go to
        ``namespace`` (``(xp, device)``, ``(None, None)`` for NumPy)."""
        max_iter = 1 if incremental else self.max_iter
        dtype = theta.dtype
        xp, device = namespace

        def reconstruct(theta):
            return {**fitted, **weight_attributes(theta, layout, dtype, xp, device)}

        callbacks = CallbackBridge.for_fit(self, X, y, max_iter, reconstruct)
        result = train(
            objective,
            theta,
            solver,
            max_iter=max_iter,
            incremental=incremental,
            verbose=self.verbose,
            validation=validation,
            callbacks=callbacks,
        )
        attributes = {
            **reconstruct(result.theta),
            **history_attributes(
                result,
                self._fitted_state() if continued else {},
                incremental=incremental,
                n_samples=objective.n_samples,
            ),
        }
        if callbacks is not None:
            callbacks.fit_ends(attributes)
        self._publish(attributes)
        if not (incremental or result.converged or self.tol is None):
            warnings.warn(
                f"{type(self).__name__}: solver={self.solver!r} {result.reason}.",
                ConvergenceWarning,
                stacklevel=1,
            )
        return self

    def _make_solver(self, n_samples, random_state, hidden_layers):
        batch_size = min(200, n_samples) if self.batch_size == "auto" else self.batch_size
        return make_solver(
            self.solver,
            learning_rate=self.learning_rate,
            tol=self.tol,
            n_iter_no_change=self.n_iter_no_change,
            batch_size=batch_size,
            shuffle=self.shuffle,
            random_state=random_state,
            momentum=self.momentum,
            hidden_layers=hidden_layers,
        )

    # ------------------------------------------------------------- answers

    @property
    def coef_(self):
        """Coefs of a network without hidden layers, shaped as LogisticRegression's."""
        self._check_no_hidden_layer("coef_")
        return self.coefs_[0].T

    @property
    def intercept_(self):
        """Intercepts of a network without hidden layers, as LogisticRegression's."""
        self._check_no_hidden_layer("intercept_")
        return self.intercepts_[0]

    def _check_no_hidden_layer(self, name):
        if "coefs_" not in vars(self):
            raise AttributeError(f"{name} is set by fit")
        if len(self.coefs_) != 1:
            raise AttributeError(
                f"{name} exists only for a network without hidden layers; use coefs_"
            )

    def _answer(self, X, from_logits, method):
        """``from_logits(logits, xp, device)`` of the logits of ``X`` (see
        ``_answers.blockwise``), in ``X``'s namespace ``xp`` (None: NumPy)."""
        check_is_fitted(self)
        check_same_namespace(X, self, method)
        X = validate_X(self, X)
        xp, device = array_namespace(X)
        return _answers.blockwise(
            X, self.coefs_, self.intercepts_, lambda logits: from_logits(logits, xp, device), xp
        )

    def _is_multilabel(self):
        return self._label_binarizer.y_type_ == "multilabel-indicator"

    def decision_function(self, X):
        """The logit of each sigmoid output (the output layer's pre-activation).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            1-D for binary ``y``: the logit of the positive class.
        """
        logits = self._answer(X, lambda logits, xp, device: logits, "decision_function")
        if self.n_outputs_ > 1:
            return logits
        return logits.ravel() if isinstance(logits, np.ndarray) else logits[:, 0]

    def predict(self, X):
        """Predict class labels (for multilabel ``y``, an indicator matrix).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_labels)
            The predicted labels, of the type of those given to ``fit``.
        """
        return self._answer(
            X,
            lambda logits, xp, device: _answers.labels(logits, self._label_binarizer, xp, device),
            "predict",
        )

    def predict_proba(self, X):
        """Probability estimates from the sigmoid outputs.

        Binary: ``[1 - p, p]``. Multiclass: the outputs normalised to sum to 1.
        Multilabel: each label's own sigmoid output.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            The probability of each class (multilabel: of each label), in the
            order of ``classes_``.
        """
        return self._answer(
            X,
            lambda logits, xp, device: _answers.proba(logits, self._is_multilabel(), xp),
            "predict_proba",
        )

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`, computed without taking ``log(0)``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            The logarithm of each class's probability, in the order of ``classes_``.
        """
        return self._answer(
            X,
            lambda logits, xp, device: _answers.log_proba(logits, self._is_multilabel(), xp),
            "predict_log_proba",
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.classifier_tags.multi_label = True
        # newton-cholesky's Hessians are NumPy's (as LogisticRegression's tags, by solver)
        tags.array_api_support = ARRAY_API_SUPPORT and self.solver != "newton-cholesky"
        return tags


def skops_trusted_types():
    """Return the names of sk_backprop's types that a skops file may hold.

    A skops file of a fitted ``SigmoidPerceptronClassifier`` holds the estimator
    and, besides it, only arrays, numbers, strings and scikit-learn's own types
    (which skops trusts by default): ``skops.io.get_untrusted_types`` lists the
    estimator alone. The names returned are the estimator's, and those 0.1.0's
    files gave the solver state it kept then (files written since never hold
    them). Pass them to ``skops.io.load(path, trusted=...)`` (or to mlflow's
    ``skops_trusted_types``) with whatever else the file holds, after checking
    those.

    Returns
    -------
    names : list of str
        Sorted full names (``module.qualname``).

    Examples
    --------
    >>> from sk_backprop import skops_trusted_types
    >>> "sk_backprop._classifier.SigmoidPerceptronClassifier" in skops_trusted_types()
    True
    """
    cls = SigmoidPerceptronClassifier
    return sorted([f"{cls.__module__}.{cls.__qualname__}", *STATE_TYPES_0_1_0])
