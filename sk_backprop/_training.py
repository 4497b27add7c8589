"""One fit: prepared arrays in, a result out. Early stopping's held-out set lives here.

``train`` runs a copy of a solver on an objective from a starting ``theta``,
watched by an ``EpochMonitor``, and returns a ``TrainingResult``: the weights,
their objective, the history of this call and the solver whose state the next
``partial_fit`` continues from. It writes nothing anywhere else, so an exception
at any point (a KeyboardInterrupt, a MemoryError, a diverging step) leaves the
caller's estimator and solver as they were; the estimator publishes the result
in one step.
"""

import copy
from dataclasses import dataclass
from math import ceil

import numpy as np
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.utils.validation import check_consistent_length

from ._compat import array_namespace, to_numpy
from ._core.arrays import copy as copy_array
from ._core.minibatch import AUTO_LEARNING_RATE, Adam, MomentumSGD
from ._core.monitor import EpochMonitor
from ._core.network import predict_logits, take_rows
from ._core.solvers import LBFGS, GradientDescent, NewtonCholesky
from ._core.stopping import TRAINING_LOSS, VALIDATION_SCORE
from ._inputs import check_declared, check_targets, check_weights


@dataclass
class TrainingResult:
    """What one call to ``train`` produced.

    Attributes
    ----------
    theta : ndarray of shape (n_params,)
        The returned weights (with early stopping, the best epoch's).
    loss : float
        ``J`` of ``theta`` on the training rows.
    loss_curve : list of float
        The objective after each epoch of this call.
    validation_scores : list of float or None
        The validation score after each epoch (early stopping only).
    best_validation_score : float or None
    converged : bool
        False when the solver ended short of its tolerance; ``reason`` says why.
    reason : str
    solver : object
        The solver in its state after this call.
    """

    theta: np.ndarray
    loss: float
    loss_curve: list
    validation_scores: list
    best_validation_score: float
    converged: bool
    reason: str
    solver: object

    @property
    def n_iter(self):
        return len(self.loss_curve)


def train(
    objective,
    theta,
    solver,
    *,
    max_iter,
    incremental=False,
    verbose=0,
    validation=None,
    callbacks=None,
):
    """Minimise ``objective`` from ``theta`` with a copy of ``solver``.

    Parameters
    ----------
    objective : _network.Objective
    theta : ndarray of shape (n_params,)
        The start; not modified.
    solver : a solver of ``_solvers``; not modified (a copy runs).
    max_iter : int
    incremental : bool
        ``partial_fit``'s single pass: no stopping rule.
    verbose : int
    validation : ValidationSet or None
        Early stopping's held-out data.
    callbacks : _callbacks.CallbackBridge or None

    Returns
    -------
    TrainingResult
    """
    solver = copy.deepcopy(solver)
    monitor = EpochMonitor(
        max_iter=max_iter,
        verbose=verbose,
        validation_score=None if validation is None else validation.score,
        callbacks=callbacks,
        theta=theta,
    )
    try:
        # Underflow in the sigmoid and the losses (exp of a large negative logit is
        # 0) is expected, never an error, whatever np.errstate the caller set.
        with np.errstate(under="ignore"):
            outcome = solver.run(objective, theta, monitor, max_iter, incremental)
    finally:
        monitor.close()
    if verbose and outcome.stopped:  # the last line says why training ended
        rule = outcome.stopped.startswith((TRAINING_LOSS, VALIDATION_SCORE))
        print(f"{outcome.stopped} Stopping." if rule else outcome.stopped)
    theta, loss = outcome.theta, outcome.objective
    if monitor.best_theta is not None and monitor.best_epoch != monitor.n_iter:
        theta = monitor.best_theta
        with np.errstate(under="ignore"):
            loss = objective(theta)[0]
    return TrainingResult(
        theta=copy_array(theta),
        loss=float(loss),
        loss_curve=monitor.loss_curve,
        validation_scores=monitor.validation_scores if validation is not None else None,
        best_validation_score=monitor.best_validation_score if validation is not None else None,
        converged=outcome.converged,
        reason=outcome.reason,
        solver=solver,
    )


class ValidationSet:
    """Held-out rows on which early stopping scores each epoch's weights.

    ``score(theta)`` is the accuracy (sample-weighted) of the network with
    weights ``theta`` on ``X``, labels decoded by ``label_binarizer``.
    """

    def __init__(self, X, y, sample_weight, layout, label_binarizer):
        if sample_weight is not None and not np.any(sample_weight):
            raise ValueError(
                "Every validation sample has zero weight: early stopping has nothing "
                "to score. Give some validation rows a positive sample_weight."
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
        raise ValueError(
            f"validation_fraction={validation_fraction} holds out {n_held_out} of "
            f"{n_samples} samples for early stopping, so the training set would be "
            f"{'empty' if n_samples <= n_held_out else 'missing a class'}. Decrease "
            "validation_fraction, or give X_val and y_val to fit."
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
    if not weights[train_rows].any():
        raise ValueError(
            "Every training row left after holding out validation_fraction for "
            "early stopping has zero weight."
        )
    xp, device = array_namespace(X)
    training = take_rows(X, train_rows, xp, device), targets[train_rows], weights[train_rows]
    return training, (take_rows(X, held_out, xp, device), y[held_out], weights[held_out])


def history_attributes(result, previous, *, incremental, n_samples):
    """The history attributes after ``result``, joined to those of ``previous``
    (the fitted attributes of the fit a warm start or ``partial_fit`` continues;
    empty for a new fit). Validation scores exist only when this call had them."""
    loss_curve = previous.get("loss_curve_", []) + result.loss_curve
    attributes = {
        "_solver": result.solver,
        "n_iter_": previous.get("n_iter_", 0) + 1 if incremental else result.n_iter,
        "loss_curve_": loss_curve,
        "best_loss_": min(loss_curve, default=result.loss),
        "loss_": result.loss,
        "t_": previous.get("t_", 0) + result.n_iter * n_samples,
    }
    if result.validation_scores is not None:
        scores = previous.get("validation_scores_", []) + result.validation_scores
        attributes.update(
            validation_scores_=scores, best_validation_score_=max(scores, default=None)
        )
    return attributes


def early_stopping_data(
    X,
    y,
    targets,
    weights,
    *,
    early_stopping,
    validation_fraction,
    random_state,
    layout,
    label_binarizer,
    X_val,
    y_val,
    sample_weight_val,
    check_X_val,
):
    """The training rows and early stopping's ``ValidationSet`` (or None).

    ``X_val``, ``y_val`` given (as HistGradientBoostingClassifier takes them): they
    are the validation set and every row of ``X`` trains. Else, with
    ``early_stopping``, ``hold_out`` splits ``X``. ``check_X_val`` validates
    ``X_val`` as ``X`` was validated.

    Returns
    -------
    (X, targets, weights), validation : the training part and the ValidationSet.
    """
    if X_val is None and y_val is None:
        if not early_stopping:
            return (X, targets, weights), None
        multilabel = label_binarizer.y_type_ == "multilabel-indicator"
        training, (X_held, y_held, w_held) = hold_out(
            X,
            y,
            targets,
            weights,
            validation_fraction=validation_fraction,
            stratify=None if multilabel else y,
            random_state=random_state,
        )
        return training, ValidationSet(X_held, y_held, w_held, layout, label_binarizer)
    check_validation_arguments(X_val, y_val, early_stopping)
    X_val, y_val = check_X_val(X_val), check_targets(to_numpy(y_val))
    check_consistent_length(X_val, y_val)
    check_declared(y_val, label_binarizer, "y_val has labels")
    w_val = None
    if sample_weight_val is not None:
        w_val = check_weights(to_numpy(sample_weight_val), X_val, "sample_weight_val")
    return (X, targets, weights), ValidationSet(X_val, y_val, w_val, layout, label_binarizer)


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


def weight_attributes(theta, layout, dtype, xp=None, device=None):
    """The fitted attributes that describe the weights ``theta`` (views of it; in
    another namespace ``xp``, copies on ``device``)."""
    coefs, intercepts = layout.unpack(to_numpy(theta))
    if intercepts[0] is None:
        intercepts = [np.zeros(fan_out, dtype=dtype) for _, fan_out in layout.shapes]
    if xp is not None:
        coefs, intercepts = (
            [xp.asarray(array, copy=True, device=device) for array in arrays]
            for arrays in (coefs, intercepts)
        )
    return {
        "_fit_intercept": layout.fit_intercept,
        "coefs_": coefs,
        "intercepts_": intercepts,
        "n_layers_": len(coefs) + 1,
        "n_outputs_": coefs[-1].shape[1],
    }


def warm_theta(coefs, intercepts, layout, dtype, fit_intercept):
    """The weights of the previous fit (``fit_intercept`` its setting) packed as
    ``theta``, if ``layout`` is their network's."""
    if fit_intercept != layout.fit_intercept:
        raise ValueError(
            f"fit_intercept was {fit_intercept} for the weights this call continues and is "
            f"{layout.fit_intercept} now: partial_fit and warm_start go on with the same "
            "network. Set fit_intercept back, or fit anew."
        )
    coefs, intercepts = [to_numpy(c) for c in coefs], [to_numpy(i) for i in intercepts]
    old_shapes = tuple(coef.shape for coef in coefs)
    if old_shapes != layout.shapes:
        raise ValueError(
            "warm_start needs the network of the previous fit: its weight layers "
            f"have shapes {old_shapes}, hidden_layer_sizes now asks for {layout.shapes}."
        )
    return layout.pack(coefs, intercepts, dtype)


def make_solver(
    name,
    *,
    learning_rate,
    tol,
    n_iter_no_change,
    batch_size,
    shuffle,
    random_state,
    momentum,
    hidden_layers,
):
    """The solver object for the estimator's parameters."""
    if name == "lbfgs":
        return LBFGS(tol, n_iter_no_change)
    if name == "newton-cholesky":
        return NewtonCholesky(tol, n_iter_no_change)
    if name == "gd":
        return GradientDescent(learning_rate, tol, n_iter_no_change)
    auto = learning_rate == "auto"
    if auto:
        learning_rate = AUTO_LEARNING_RATE[name][int(bool(hidden_layers))]

    common = (learning_rate, tol, n_iter_no_change, batch_size, shuffle, random_state)
    if name == "sgd":
        return MomentumSGD(*common, momentum, auto=auto)
    return Adam(*common, auto=auto)
