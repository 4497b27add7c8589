"""SigmoidPerceptronClassifier: validation, targets and weights, dispatch, answers.

The arithmetic lives in ``_network`` (forward, backpropagation, objective) and
``_solvers`` (the minimisers); this module only prepares their inputs and turns
their output into scikit-learn's fitted attributes and answers.
"""

import warnings
from math import ceil
from numbers import Integral, Real

import numpy as np
from scipy.special import expit, log_expit, log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils import check_random_state, column_or_1d
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, validate_data

from ._compat import (
    CallbackSupportMixin,
    Interval,
    StrOptions,
    _check_sample_weight,
    _fit_context,
)
from ._monitor import EpochMonitor
from ._network import Layout, Objective, forward, initial_theta, predict_logits
from ._solvers import make_solver

_SPARSE_FORMATS = ["csr", "csc"]
_FLOAT_DTYPES = [np.float64, np.float32]


class SigmoidPerceptronClassifier(CallbackSupportMixin, ClassifierMixin, BaseEstimator):
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

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=()
        Number of sigmoid units of each hidden layer. ``()`` has no hidden layer:
        a logistic model for each output. An int ``n`` means ``(n,)``.

    loss : {"log_loss", "squared_error"}, default="log_loss"
        ``"log_loss"``: the binary cross-entropy of each sigmoid output.
        ``"squared_error"``: ``0.5 * (y - a)^2`` of each output, whose output
        delta is the seed's rule ``(y - a) * a * (1 - a)``.

    solver : {"lbfgs", "gd", "sgd", "adam"}, default="lbfgs"
        ``"lbfgs"``: scipy's L-BFGS-B on the backpropagated gradient.
        ``"gd"``: full-batch gradient descent, the seed's loop.
        ``"sgd"``: mini-batch gradient descent with momentum.
        ``"adam"``: mini-batch Adam. All four minimise the same objective.

    learning_rate : "auto" or float, default="auto"
        The step. ``"gd"``: ``"auto"`` chooses the step of each epoch by a
        backtracking (Armijo) line search; a float is a fixed step, as in the
        seed. ``"sgd"`` and ``"adam"``: ``"auto"`` is 0.1, divided by 5 (at most 4
        times) whenever the objective stops improving by ``tol``.
        Ignored by ``"lbfgs"``, which has a line search of its own.

    max_iter : int, default=200
        Most epochs (``"lbfgs"``: iterations).

    batch_size : "auto" or int, default="auto"
        Rows per mini-batch of ``"sgd"`` and ``"adam"``; ``"auto"`` is
        ``min(200, n_samples)``. ``"gd"`` and ``"lbfgs"`` use the full batch.

    alpha : float, default=1e-4
        Strength of the L2 penalty on the coefs (never on the intercepts). It
        means the same for every solver and batch size.

    fit_intercept : bool, default=True
        Whether each layer has an intercept. The seed's network has none.

    momentum : float, default=0.9
        Momentum of ``"sgd"`` (heavy-ball): ``v = momentum * v - step * g``.

    tol : float or None, default=1e-4
        Training stops when the objective (with ``early_stopping``, the
        validation score) has not improved by ``tol`` on its best for
        ``n_iter_no_change`` consecutive epochs. ``"lbfgs"`` instead stops when
        no gradient entry exceeds ``tol``. ``None`` runs exactly ``max_iter``
        epochs (L-BFGS-B stops earlier only at an exact stationary point).

    n_iter_no_change : int, default=10
        Epochs without an improvement of ``tol`` before training stops.

    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data (stratified), stop
        when its accuracy stops improving and return the weights that scored
        best. Works with every solver; ``partial_fit`` ignores it.

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
        seconds); 2 shows a progress bar with ETA (tqdm's when installed).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels (for multilabel ``y``, the label indices).
    coefs_ : list of ndarray
        ``coefs_[k]`` of shape ``(fan_in, fan_out)`` is weight layer ``k``.
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
        The objective after each epoch, since the weights were initialised.
    best_loss_ : float
        The smallest value in ``loss_curve_``.
    validation_scores_ : list of float
        Accuracy on the held-out data after each epoch (only with early stopping).
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

    _parameter_constraints: dict = {
        "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "loss": [StrOptions({"log_loss", "squared_error"})],
        "solver": [StrOptions({"lbfgs", "gd", "sgd", "adam"})],
        "learning_rate": [StrOptions({"auto"}), Interval(Real, 0, None, closed="neither")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "fit_intercept": ["boolean"],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "tol": [Interval(Real, 0, None, closed="left"), None],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
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
    def fit(self, X, y, sample_weight=None):
        """Train the network on ``X``, ``y`` by backpropagation.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data. float32 data is trained in float32.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a 0/1 indicator matrix for multilabel data.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights ``s_i`` of the samples in the objective.

        Returns
        -------
        self : SigmoidPerceptronClassifier
            The fitted estimator.
        """
        hidden_layer_sizes = self._check_hyperparameters()
        warm = self.warm_start and hasattr(self, "coefs_")
        X, y = self._validate_X_y(X, y, reset=not warm)
        label_binarizer = LabelBinarizer().fit(y)
        one_class = label_binarizer.classes_.size < 2
        if one_class and label_binarizer.y_type_ != "multilabel-indicator":
            raise ValueError(
                f"y contains only one class ({label_binarizer.classes_[0]!r}); a "
                "classifier needs samples of at least 2 classes."
            )
        if warm:
            self._check_same_classes(label_binarizer.classes_)
        self._label_binarizer = label_binarizer
        self.classes_ = label_binarizer.classes_
        weights = self._objective_weights(X, y, sample_weight)
        return self._train(X, y, weights, hidden_layer_sizes, incremental=False, warm=warm)

    def _partial_fit_available(self):
        if self.solver == "lbfgs":
            raise AttributeError(
                "partial_fit is not available for solver='lbfgs': L-BFGS needs the "
                "whole objective. Use solver='gd', 'sgd' or 'adam'."
            )
        return True

    @available_if(_partial_fit_available)
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """One pass over a chunk of the data, continuing from the current weights.

        ``solver="gd"`` takes one full-batch step on the chunk; ``"sgd"`` and
        ``"adam"`` one pass over it in mini-batches. Not available for
        ``solver="lbfgs"``.

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
        hidden_layer_sizes = self._check_hyperparameters()
        first_call = not hasattr(self, "classes_")
        X, y = self._validate_X_y(X, y, reset=first_call)
        if first_call:
            if classes is None:
                raise ValueError("classes must be passed on the first call to partial_fit.")
            self._label_binarizer = LabelBinarizer().fit(
                y if y.ndim == 2 else column_or_1d(classes)
            )
            self.classes_ = self._label_binarizer.classes_
        elif classes is not None and not np.array_equal(np.sort(classes), self.classes_):
            raise ValueError(
                f"classes={list(classes)} is not the same as on the first call to "
                f"partial_fit, which gave {self.classes_.tolist()}."
            )
        if y.ndim == 1:
            undeclared = np.setdiff1d(y, self.classes_)
            if undeclared.size:
                raise ValueError(
                    f"y has labels {undeclared.tolist()} that were not declared in "
                    f"classes {self.classes_.tolist()} on the first call to partial_fit."
                )
        elif y.shape[1] != self.classes_.size:
            raise ValueError(
                f"y has {y.shape[1]} labels; the first call to partial_fit had "
                f"{self.classes_.size}."
            )
        weights = self._objective_weights(X, y, sample_weight)
        return self._train(
            X, y, weights, hidden_layer_sizes, incremental=True, warm=not first_call
        )

    def _train(self, X, y, weights, hidden_layer_sizes, *, incremental, warm):
        """Run the solver; ``incremental`` is partial_fit's single pass."""
        Y = self._encode_targets(y, X.dtype)
        layout = Layout.from_sizes(
            X.shape[1], hidden_layer_sizes, Y.shape[1], self.fit_intercept
        )
        if warm:
            theta = self._warm_theta(layout, X.dtype)
            history = {"loss_curve": self.loss_curve_, "best_loss": self.best_loss_}
            seen, epochs_before = self.t_, self.n_iter_
        else:
            self._random_state = check_random_state(self.random_state)
            theta = initial_theta(layout, self._random_state, X.dtype)
            history, seen, epochs_before = None, 0, 0
        if not (incremental and hasattr(self, "_solver")):
            self._solver = self._make_solver(X.shape[0])

        validation_score = None
        if self.early_stopping and not incremental:
            X, Y, weights, validation_score = self._split_validation(X, y, Y, weights, layout)

        max_iter = 1 if incremental else self.max_iter
        callback_context = self._begin_callbacks(X, y, max_iter)
        monitor = EpochMonitor(
            tol=self.tol,
            n_iter_no_change=self.n_iter_no_change,
            use_loss_rule=self.solver != "lbfgs" and not incremental,
            max_iter=max_iter,
            verbose=self.verbose,
            validation_score=validation_score,
            history=history,
            on_epoch=self._epoch_callback(callback_context, X, y, layout),
        )
        objective = Objective(X, Y, weights, layout=layout, loss=self.loss, alpha=self.alpha)
        try:
            theta = self._solver.run(objective, theta, monitor, max_iter)
        finally:
            monitor.close()
        recorded_is_exact = self._solver.records_exact_objective and monitor.n_iter > 0
        if monitor.best_theta is not None:
            theta, recorded_is_exact = monitor.best_theta, False

        vars(self).update(self._fitted_weights(theta.copy(), layout, X.dtype))
        self.n_iter_ = epochs_before + 1 if incremental else monitor.n_iter
        self.loss_curve_ = monitor.loss_curve
        self.best_loss_ = monitor.best_loss
        # J of the returned weights: the last recorded value where that is exactly
        # it, else one more evaluation (mini-batch averages, restored best weights).
        self.loss_ = self.loss_curve_[-1] if recorded_is_exact else objective(theta)[0]
        self.t_ = seen + monitor.n_iter * X.shape[0]
        if validation_score is not None:
            self.validation_scores_ = monitor.validation_scores
            self.best_validation_score_ = monitor.best_validation_score
        if callback_context is not None:
            callback_context.call_on_fit_task_end(
                estimator=self, X=X, y=y, reconstruction_attributes={}
            )
        if not (incremental or monitor.has_converged or self.tol is None):
            warnings.warn(
                f"SigmoidPerceptronClassifier: solver={self.solver!r} reached "
                f"max_iter={self.max_iter} before the tolerance tol={self.tol} was "
                "met. Increase max_iter, or scale the data.",
                ConvergenceWarning,
            )
        return self

    def _make_solver(self, n_samples):
        batch_size = min(200, n_samples) if self.batch_size == "auto" else self.batch_size
        return make_solver(
            self.solver,
            learning_rate=self.learning_rate,
            tol=self.tol,
            batch_size=batch_size,
            shuffle=self.shuffle,
            random_state=self._random_state,
            momentum=self.momentum,
        )

    def _split_validation(self, X, y, Y, weights, layout):
        """Hold out ``validation_fraction`` of the rows, stratified by class.

        Returns the training part and ``validation_score(theta)``: the accuracy
        (sample-weighted) of the weights ``theta`` on the held-out rows.
        """
        stratify = None if self._is_multilabel() else y
        n_held_out = ceil(self.validation_fraction * X.shape[0])
        if stratify is not None:  # at least one row of each class
            n_held_out = max(n_held_out, self.classes_.size)
        try:
            train, held_out = train_test_split(
                np.arange(X.shape[0]),
                test_size=n_held_out,
                random_state=self._random_state,
                stratify=stratify,
            )
        except ValueError as error:
            raise ValueError(
                f"early_stopping=True could not hold out validation_fraction="
                f"{self.validation_fraction} of {X.shape[0]} samples: {error} Use "
                "more data or early_stopping=False."
            ) from error
        X_val, y_val, weights_val = X[held_out], y[held_out], weights[held_out]
        if not weights_val.any():
            weights_val = None

        def validation_score(theta):
            logits = predict_logits(X_val, theta, layout)
            y_pred = self._label_binarizer.inverse_transform(logits, threshold=0.0)
            return accuracy_score(y_val, y_pred, sample_weight=weights_val)

        if not weights[train].any():
            raise ValueError(
                "Every training row left after holding out validation_fraction for "
                "early stopping has zero weight."
            )
        return X[train], Y[train], weights[train], validation_score

    # ------------------------------------------------------------ callbacks

    def _begin_callbacks(self, X, y, max_iter):
        """The root context of scikit-learn's callbacks (1.9+), or None when no
        callback is set here or by a meta-estimator around it."""
        if not hasattr(self, "_init_callback_context") or not (
            getattr(self, "_skl_callbacks", None) or hasattr(self, "_parent_callback_ctx")
        ):
            return None
        context = self._init_callback_context(max_subtasks=max_iter)
        context.call_on_fit_task_begin(estimator=self, X=X, y=y)
        return context

    def _epoch_callback(self, context, X, y, layout):
        if context is None:
            return None

        def on_epoch(epoch, theta, objective):
            def fitted_attributes():
                return self._fitted_weights(theta.copy(), layout, X.dtype)

            epoch_context = context.subcontext(task_name="epoch")
            epoch_context.call_on_fit_task_begin(estimator=self, X=X, y=y)
            return epoch_context.call_on_fit_task_end(
                estimator=self,
                X=X,
                y=y,
                metadata={"objective": objective},
                reconstruction_attributes=fitted_attributes,
            )

        return on_epoch

    # --------------------------------------------------------- validation

    def _check_hyperparameters(self):
        """What the parameter constraints cannot say; returns hidden_layer_sizes."""
        sizes = self.hidden_layer_sizes
        sizes = (sizes,) if isinstance(sizes, Integral) else tuple(sizes)
        if not all(isinstance(size, Integral) and size >= 1 for size in sizes):
            raise ValueError(
                "hidden_layer_sizes must hold positive integers, got "
                f"{self.hidden_layer_sizes!r}."
            )
        return tuple(int(size) for size in sizes)

    def _validate_X_y(self, X, y, reset):
        with _quiet_overflow():
            X, y = validate_data(
                self,
                X,
                y,
                reset=reset,
                accept_sparse=_SPARSE_FORMATS,
                dtype=_FLOAT_DTYPES,
                multi_output=True,
            )
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        return X, y

    def _check_same_classes(self, classes):
        if not np.array_equal(classes, self.classes_):
            raise ValueError(
                "warm_start can only be used where y has the same classes as in the "
                f"previous call to fit. Previously got {self.classes_}, y has {classes}."
            )

    def _objective_weights(self, X, y, sample_weight):
        """``s_i``: sample_weight times class_weight, as a new array."""
        weights = _check_sample_weight(
            sample_weight, X, dtype=X.dtype, ensure_non_negative=True
        )
        if self.class_weight is not None:
            if self._is_multilabel():
                raise ValueError(
                    "class_weight is not supported for multilabel y; pass "
                    "sample_weight instead."
                )
            per_class = compute_class_weight(self.class_weight, classes=self.classes_, y=y)
            weights = weights * per_class.astype(X.dtype)[np.searchsorted(self.classes_, y)]
            if not weights.any():
                raise ValueError(
                    "The product of sample_weight and class_weight is zero for every "
                    "sample: there is nothing to fit."
                )
        return weights

    def _encode_targets(self, y, dtype):
        """``LabelBinarizer``'s 0/1 targets, written straight into ``dtype``.

        Its own ``transform`` builds an int64 matrix first, which with float32 data
        and ten classes is twice the targets' size again at the fit's peak.
        """
        if self._is_multilabel():
            return np.asarray(y, dtype=dtype)
        indices = np.searchsorted(self.classes_, y)
        if self.classes_.size == 2:
            return (indices == 1).astype(dtype)[:, np.newaxis]
        Y = np.zeros((indices.size, self.classes_.size), dtype=dtype)
        Y[np.arange(indices.size), indices] = 1
        return Y

    def _warm_theta(self, layout, dtype):
        old_shapes = tuple(coef.shape for coef in self.coefs_)
        if old_shapes != layout.shapes:
            raise ValueError(
                "warm_start needs the network of the previous fit: its weight layers "
                f"have shapes {old_shapes}, hidden_layer_sizes now asks for "
                f"{layout.shapes}."
            )
        return layout.pack(self.coefs_, self.intercepts_, dtype)

    @staticmethod
    def _fitted_weights(theta, layout, dtype):
        """The fitted attributes that describe the weights ``theta`` (views of it)."""
        coefs, intercepts = layout.unpack(theta)
        if intercepts[0] is None:
            intercepts = [np.zeros(fan_out, dtype=dtype) for _, fan_out in layout.shapes]
        return {
            "coefs_": coefs,
            "intercepts_": intercepts,
            "n_layers_": len(coefs) + 1,
            "n_outputs_": coefs[-1].shape[1],
        }

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

    def _logits(self, X):
        check_is_fitted(self)
        with _quiet_overflow():
            X = validate_data(
                self, X, reset=False, accept_sparse=_SPARSE_FORMATS, dtype=_FLOAT_DTYPES
            )
        return forward(X, self.coefs_, self.intercepts_)[1]

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
        logits = self._logits(X)
        return logits.ravel() if self.n_outputs_ == 1 else logits

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
        logits = self._logits(X)
        return self._label_binarizer.inverse_transform(logits, threshold=0.0)

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
        logits = self._logits(X)
        if self._is_multilabel():
            return expit(logits)
        if self.n_outputs_ == 1:
            return np.hstack([expit(-logits), expit(logits)])
        # a_k / sum_j a_j computed as a softmax of log(a_k): exact, and finite even
        # where every output underflows to 0.
        return softmax(_finite_log_expit(logits), axis=1)

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
        logits = self._logits(X)
        if self._is_multilabel():
            return log_expit(logits)
        if self.n_outputs_ == 1:
            return np.hstack([log_expit(-logits), log_expit(logits)])
        return log_softmax(_finite_log_expit(logits), axis=1)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.classifier_tags.multi_label = True
        return tags


def _quiet_overflow():
    """scikit-learn's finiteness check sums X first; with values near the float
    maximum and an inf that sum meets ``inf - inf`` and numpy warns before the
    check raises its clear ValueError. Only the warning is silenced."""
    return np.errstate(over="ignore", invalid="ignore")


def _finite_log_expit(logits):
    """``log(sigmoid(z))`` with infinite logits (from overflow) taken as the largest floats."""
    return log_expit(np.nan_to_num(logits))
