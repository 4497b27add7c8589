"""The objective ``J`` that every solver minimises, whatever holds the data.

``J(theta) = sum_i s_i loss_i / sum_i s_i + (alpha / 2) * sum_k ||coefs[k]||^2``

(docs/contract.md, "The objective"). ``Objective`` is the interface the solvers
see: they never see the data. ``ArrayObjective`` is ``J`` on arrays in this process;
``sk_backprop.dask._data.ClusterObjective`` is ``J`` on chunks spread over a Dask
cluster. Each computes the data term (``network.data_term_and_gradient`` over its
rows) and adds the L2 penalty with ``penalised``, the one place it is added.
"""

from typing import Any, Protocol, TypeAlias

import numpy as np
from sklearn.utils import gen_batches

from .._compat import array_device, array_namespace, to_numpy, widest_float
from .layout import Layout
from .network import data_hessians, data_term_and_gradient, take_rows

# theta and gradients: NumPy arrays, or arrays of X's library under array API dispatch
Array: TypeAlias = Any
# the rows of a mini-batch: a slice, or an array of row indices
Rows: TypeAlias = slice | np.ndarray


class Objective(Protocol):
    """What a full-batch solver (gd, lbfgs, newton-cholesky) may ask of ``J``.

    ``objective(theta)`` returns ``(J(theta), gradient)``: a float and an array of
    ``theta``'s shape, namespace and device. ``hessians(theta)`` returns each
    output's Hessian of ``J`` (networks without hidden layers). ``to_device(theta)``
    puts a NumPy ``theta`` where the data are, for solvers that update it there.
    """

    layout: Layout
    alpha: float
    n_samples: int

    def __call__(self, theta: Array, rows: Rows | None = None) -> tuple[float, Array]: ...

    def hessians(self, theta: np.ndarray) -> list[np.ndarray]: ...

    def to_device(self, theta: np.ndarray, copy: bool = False) -> Array: ...


class RowObjective(Objective, Protocol):
    """What the mini-batch solvers (sgd, adam) also ask: ``objective(theta, rows)``,
    ``J``'s batch term on ``rows`` (averaging to ``J`` over a pass), and a scale of
    the curvature for their automatic step."""

    def curvature_bound(self) -> float: ...


def penalised(
    data_term: float, gradient: Array, theta: Array, layout: Layout, alpha: float, xp=None
) -> tuple[float, Array]:
    """``J`` and its gradient from the data term and its gradient: adds
    ``(alpha / 2) * ||coefs||^2`` to the value and ``alpha * coefs`` to the gradient
    of the coefs (never to the intercepts, which follow them in ``theta``).
    ``gradient`` (NumPy) is updated in place and returned."""
    n_coefs = layout.n_coefs
    penalty = theta[:n_coefs]
    with np.errstate(over="ignore", invalid="ignore"):
        if xp is None:
            objective = data_term + 0.5 * alpha * float(np.vdot(penalty, penalty))
            gradient[:n_coefs] += alpha * penalty
            return objective, gradient
        widest = widest_float(xp, array_device(theta))
        objective = data_term + 0.5 * alpha * float(xp.sum(xp.astype(penalty * penalty, widest)))
        coefs = gradient[:n_coefs] + alpha * penalty
        return objective, xp.concat([coefs, gradient[n_coefs:]])


def penalised_hessians(
    hessians: list[np.ndarray], layout: Layout, alpha: float
) -> list[np.ndarray]:
    """Each output's Hessian of ``J`` from its data term's: ``alpha`` added on the
    diagonal entries of the coefs (not the intercept's). In place; returned."""
    n_features = layout.shapes[0][0]
    for hessian in hessians:
        hessian[np.arange(n_features), np.arange(n_features)] += alpha
    return hessians


def objective_and_gradient(
    theta, X, targets, sample_weight, *, layout, loss, alpha, weight_sum=None, xp=None
):
    """``J`` and its gradient on the rows ``X`` (arguments as
    ``network.data_term_and_gradient``'s, ``alpha`` the penalty's strength)."""
    data_term, gradient = data_term_and_gradient(
        theta, X, targets, sample_weight, layout=layout, loss=loss, weight_sum=weight_sum, xp=xp
    )
    return penalised(data_term, gradient, theta, layout, alpha, xp)


def output_hessians(theta, X, targets, sample_weight, *, layout, loss, alpha, weight_sum=None):
    """Each output's Hessian of ``J`` (no hidden layers): ``H_j = X1^T diag(s c_j / S)
    X1 + alpha P`` (``network.data_hessians``, then ``penalised_hessians``)."""
    hessians = data_hessians(
        theta, X, targets, sample_weight, layout=layout, loss=loss, weight_sum=weight_sum
    )
    return penalised_hessians(hessians, layout, alpha)


class ArrayObjective:
    """``J`` and its gradient on a data set, or on a mini-batch of its rows.

    ``objective(theta)`` is ``objective_and_gradient`` on all of ``X``;
    ``objective(theta, rows)`` on ``X[rows]`` (a slice is a view, no copy), with
    the data term normalised by ``S * |rows| / n``: the batch objectives of one
    pass over the data then average to ``J`` exactly, whatever the weights. This
    is the in-memory ``Objective`` (NumPy, SciPy sparse, or another array library's
    arrays); ``objective_and_gradient`` is its one evaluation.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
    targets : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        Class indices or a 0/1 matrix (see ``dense_targets``).
    sample_weight : ndarray of shape (n_samples,)
    layout : Layout
    loss : {"log_loss", "squared_error"}
    alpha : float
    """

    def __init__(self, X, targets, sample_weight, *, layout, loss, alpha):
        self.layout, self.loss, self.alpha = layout, loss, alpha
        self.n_samples = X.shape[0]
        self.weight_sum = float(sample_weight.sum())
        # X of another array library: the targets and weights join it on its device;
        # theta and the gradient cross to the host at each evaluation (n_params numbers)
        self.xp, self.device = array_namespace(X)
        if self.xp is not None:
            targets = self.xp.asarray(targets, device=self.device)
            sample_weight = self.xp.asarray(sample_weight, device=self.device)
        self.X, self.targets, self.sample_weight = X, targets, sample_weight

    def __call__(self, theta, rows=None):
        if rows is None:
            X, targets, weights, weight_sum = self.X, self.targets, self.sample_weight, None
        else:
            X, targets, weights = (
                take_rows(array, rows, self.xp, self.device)
                for array in (self.X, self.targets, self.sample_weight)
            )
            weight_sum = self.weight_sum * weights.shape[0] / self.n_samples
        on_device = theta if self.xp is None else self.xp.asarray(theta, device=self.device)
        value, gradient = objective_and_gradient(
            on_device, X, targets, weights, weight_sum=weight_sum,
            layout=self.layout, loss=self.loss, alpha=self.alpha, xp=self.xp,
        )  # fmt: skip
        if self.xp is None:
            return value, gradient
        # the gradient goes where theta is: to the host for L-BFGS (scipy's), none
        # for the solvers that keep theta on the device
        return value, to_numpy(gradient) if isinstance(theta, np.ndarray) else gradient

    def hessians(self, theta):
        """``output_hessians`` on all rows (NumPy data, no hidden layer)."""
        return output_hessians(
            theta,
            self.X,
            self.targets,
            self.sample_weight,
            layout=self.layout,
            loss=self.loss,
            alpha=self.alpha,
        )

    def curvature_bound(self):
        """A scale of the curvature of ``J``: ``(mean_i ||x_i||^2 + [fit_intercept])
        / 4 + alpha``. Without hidden layers and weights it bounds the largest
        eigenvalue of the Hessian (a sigmoid output's log-loss has curvature at
        most 1/4, and the trace of ``X^T X / n`` bounds its largest eigenvalue).
        One pass over ``X`` (its stored values, if sparse) by views, never a copy."""
        xp = np if self.xp is None else self.xp
        values = getattr(self.X, "data", None)
        sparse = values is not None and hasattr(self.X, "nnz")
        total = 0.0
        # |x| beyond 1e154 squares to inf: the bound is then inf, and the step it caps 0
        with np.errstate(over="ignore", invalid="ignore"):
            if sparse:
                for block in gen_batches(values.size, 1 << 16):
                    total += float(np.dot(values[block], values[block]))
            else:
                for block in gen_batches(self.X.shape[0], 256):
                    part = self.X[block, ...]
                    total += float(xp.sum(part * part))
        return (total / self.n_samples + self.layout.fit_intercept) / 4 + self.alpha

    def to_device(self, theta, copy=False):
        """``theta`` on the device of the data (NumPy data: ``theta`` itself, or a
        copy), for the solvers that update it there."""
        if self.xp is None:
            return theta.copy() if copy else theta
        return self.xp.asarray(theta, copy=True, device=self.device)
