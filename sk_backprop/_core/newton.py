"""Newton's direction for a network without hidden layers: one Cholesky solve per
output's block of the block-diagonal Hessian (``NewtonCholesky`` in ``solvers``)."""

import numpy as np
from scipy.linalg import LinAlgError, cho_factor, cho_solve


def newton_direction(hessians, gradient, layout):
    """``-H_j^{-1} g_j`` for each output ``j``, as a vector shaped as ``theta``."""
    coef_grads, intercept_grads = layout.unpack(gradient.astype(np.float64))
    direction = np.zeros(gradient.shape, dtype=np.float64)
    coef_directions, intercept_directions = layout.unpack(direction)
    for j, hessian in enumerate(hessians):
        g = coef_grads[0][:, j]
        if layout.fit_intercept:
            g = np.append(g, intercept_grads[0][j])
        d = _solve(hessian, -g)
        coef_directions[0][:, j] = d[: coef_grads[0].shape[0]]
        if layout.fit_intercept:
            intercept_directions[0][j] = d[-1]
    return direction


def _solve(hessian, right):
    if not np.isfinite(hessian).all():  # |x| beyond 1e154 squares to inf
        return right  # the gradient's direction, as for a Hessian Cholesky cannot take
    try:
        return cho_solve(cho_factor(hessian), right)
    except LinAlgError:  # singular (alpha=0 and collinear or separable data)
        ridge = 1e-10 * max(float(np.abs(np.diag(hessian)).max()), np.finfo(float).tiny)
        try:
            return cho_solve(cho_factor(hessian + ridge * np.eye(len(hessian))), right)
        except LinAlgError:
            return right  # the gradient's direction
