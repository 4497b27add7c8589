"""One fit: an objective in, a result out; and the fitted attributes of a result.

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

import numpy as np

from ._callbacks import CallbackBridge
from ._compat import to_numpy
from ._core.arrays import copy as copy_array
from ._core.minibatch import AUTO_LEARNING_RATE, Adam, MomentumSGD
from ._core.monitor import EpochMonitor
from ._core.objective import Array, Objective
from ._core.solvers import LBFGS, GradientDescent, NewtonCholesky, Solver
from ._core.stopping import TRAINING_LOSS, VALIDATION_SCORE
from ._data import Validation


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
    objective: Objective,
    theta: Array,
    solver: Solver,
    *,
    max_iter: int,
    incremental: bool = False,
    verbose: int = 0,
    validation: Validation | None = None,
    callbacks: CallbackBridge | None = None,
) -> TrainingResult:
    """Minimise ``objective`` from ``theta`` with a copy of ``solver``.

    Parameters
    ----------
    objective : _core.objective.Objective
    theta : ndarray of shape (n_params,)
        The start; not modified.
    solver : a solver of ``_core.solvers`` or ``_core.minibatch``; not modified (a copy runs).
    max_iter : int
    incremental : bool
        ``partial_fit``'s single pass: no stopping rule.
    verbose : int
    validation : Validation or None
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


def history_attributes(result, previous, *, incremental, n_samples):
    """The history attributes after ``result``, joined to those of ``previous``
    (the fitted attributes of the fit a warm start or ``partial_fit`` continues;
    empty for a new fit). Validation scores exist only when this call had them."""
    loss_curve = previous.get("loss_curve_", []) + result.loss_curve
    attributes = {
        "_solver_state": result.solver.export_state(),
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
