"""A network of sigmoid layers: forward pass, backpropagation, the data term.

Notation (the same in the docs): layer ``k`` maps ``activations[k]`` of shape
``(n_samples, fan_in)`` to ``activations[k + 1] = sigmoid(activations[k] @ coefs[k]
+ intercepts[k])``. ``activations[0]`` is ``X``; the last layer's pre-activation is
the ``logits`` of the sigmoid outputs.

The weights are one flat vector ``theta``, cut into layers by ``layout.Layout``.

Arrays of another library (PyTorch, CuPy, array-api-strict) under scikit-learn's
array API dispatch go through the same functions with their namespace ``xp``
(``None``: NumPy). NumPy keeps its own in-place, cache-blocked path; in another
namespace each evaluation is one pass over all rows in that library, on its
device (docs/array_api.md).
"""

import numpy as np
from scipy.special import expit
from sklearn.utils import gen_batches

from .._compat import array_device, widest_float
from .losses import LOSSES
from .threads import single_thread

# Libraries whose expit scipy runs natively, on their device (with SCIPY_ARRAY_API=1).
SCIPY_NATIVE = ("torch", "cupy")


def sigmoid(z, out=None, xp=None):
    """``1 / (1 + exp(-z))``, the activation of every unit.

    NumPy's vectorised exp: 1.5x (float64) to 4x (float32) faster than
    ``scipy.special.expit``. Exact to 1e-16 absolute, which is what training needs;
    ``exp`` overflows to inf for z < -709 and gives exactly 0, so callers run it
    under ``np.errstate(over="ignore")``. Answers to users use ``expit``, which also
    keeps tiny probabilities relatively exact. In another namespace ``xp``, scipy's
    ``expit`` where it dispatches to the library's own (``torch.special.expit``:
    measured 6x faster on 1e7 entries than the formula in array API operations,
    which the other libraries get, in the form that never overflows).
    """
    if xp is not None:
        if xp.__name__.rsplit(".", 1)[-1] in SCIPY_NATIVE:
            return expit(z)
        small = xp.exp(-xp.abs(z))  # exp of -|z| only: nothing overflows
        return xp.where(z >= 0, 1 / (1 + small), small / (1 + small))
    out = np.negative(z, out=out)
    np.exp(out, out=out)
    out += 1
    return np.reciprocal(out, out=out)


def linear(inputs, coef, intercept, xp=None):
    """``inputs @ coef + intercept``, never NaN for finite arguments.

    A product of huge inputs (|x| near the float maximum) with ordinary weights
    can overflow, and ``inf - inf`` would then give NaN. Rows whose result is not
    finite are computed again with each row scaled by its largest entry, which
    keeps every partial sum finite; the result is then +-inf where the true value
    exceeds the float range, never NaN.
    """
    if xp is not None:
        return _linear_xp(inputs, coef, intercept, xp)
    with np.errstate(over="ignore", invalid="ignore"):
        outputs = inputs @ coef
        if intercept is not None:
            outputs += intercept
        if not np.isfinite(outputs.sum()):  # one cheap test; rows only if it fails
            overflowed = ~np.isfinite(outputs).all(axis=1)
            if overflowed.any():
                outputs[overflowed] = _scaled_rows_product(inputs[overflowed], coef, intercept)
    return outputs


def _scaled_rows_product(rows, coef, intercept):
    dense = rows.toarray() if hasattr(rows, "toarray") else rows
    scale = np.abs(dense).max(axis=1, keepdims=True)
    scale[scale == 0] = 1
    outputs = ((dense / scale) @ coef) * scale
    if intercept is not None:
        outputs += intercept
    return outputs


def _linear_xp(inputs, coef, intercept, xp):
    """``linear`` in the namespace ``xp``: the rows that overflowed are replaced by
    the scaled product (``xp.where``: no boolean assignment, which not every array
    library has). The products may overflow, as NumPy's do: a NumPy-backed library
    (array-api-strict) is kept from warning about it."""
    with np.errstate(over="ignore", invalid="ignore"):
        outputs = inputs @ coef
        if intercept is not None:
            outputs = outputs + intercept
        if bool(xp.isfinite(xp.sum(outputs))):  # one cheap test, as NumPy's path
            return outputs
        return _rescued_rows_xp(inputs, coef, intercept, outputs, xp)


def _rescued_rows_xp(inputs, coef, intercept, outputs, xp):
    scale = xp.max(xp.abs(inputs), axis=1, keepdims=True)
    scale = xp.where(scale == 0, xp.ones_like(scale), scale)
    rescued = ((inputs / scale) @ coef) * scale
    if intercept is not None:
        rescued = rescued + intercept
    finite_rows = xp.all(xp.isfinite(outputs), axis=1, keepdims=True)
    return xp.where(finite_rows, outputs, rescued)


def forward(X, coefs, intercepts, xp=None):
    """Forward pass: ``(activations, logits)``.

    ``activations`` is the list ``[X, a_1, ..., a_{L-1}]`` of every layer's input
    (the hidden layers' sigmoid outputs), ``logits`` the output layer's
    pre-activation, shape ``(n_samples, n_outputs)``.
    """
    activations = [X]
    for coef, intercept in zip(coefs[:-1], intercepts[:-1]):
        if xp is not None:
            activations.append(sigmoid(linear(activations[-1], coef, intercept, xp), xp=xp))
            continue
        # NumPy: -z from the negated weights, so the sigmoid takes three passes over
        # the block, not four (negating the weights costs one pass over them)
        negated = linear(activations[-1], -coef, None if intercept is None else -intercept)
        with np.errstate(over="ignore"):
            np.exp(negated, out=negated)
        negated += 1
        activations.append(np.reciprocal(negated, out=negated))
    return activations, linear(activations[-1], coefs[-1], intercepts[-1], xp)


def backward(activations, output_delta, coefs, with_intercepts, xp=np):
    """Backpropagation: the gradient of each layer, from the last to the first.

    Yields ``(k, coef_grad, intercept_grad)`` (``intercept_grad`` None without
    intercepts). ``output_delta`` is ``d J / d logits``; the chain rule through
    layer ``k``:

    * ``coef_grad = activations[k].T @ delta_k``
    * ``intercept_grad = sum_i delta_k[i]``
    * ``delta_{k-1} = (delta_k @ coefs[k].T) * a_k * (1 - a_k)``, with
      ``a_k = activations[k]`` and ``a * (1 - a)`` the sigmoid's derivative.
    """
    delta = output_delta
    for k in range(len(coefs) - 1, -1, -1):
        if xp is np:
            # the column sums as a product: a third of sum(axis=0)'s time on blocks of
            # 1,310 x 100 rows (one BLAS pass instead of a strided reduction)
            intercept_grad = np.ones(len(delta), delta.dtype) @ delta if with_intercepts else None
            yield k, activations[k].T @ delta, intercept_grad
        else:
            # (delta.T @ a).T: the same product, which PyTorch's CPU kernels compute
            # 6x faster than a.T @ delta on 1e6 x 100 rows
            yield (
                k,
                (delta.T @ activations[k]).T,
                xp.sum(delta, axis=0) if with_intercepts else None,
            )
        if k == 0:
            break
        hidden = activations[k]
        if xp is not np:
            delta = (delta @ coefs[k].T) * hidden * (1 - hidden)
            continue
        # in place: activations[k] is not read again once its own gradient is out
        delta = delta @ coefs[k].T
        delta *= hidden
        delta *= np.subtract(1, hidden, out=hidden)


def dense_targets(targets, n_outputs, dtype, xp=None):
    """The 0/1 target matrix ``Y`` of shape ``(n_samples, n_outputs)``.

    ``targets`` is either that matrix already (multilabel) or the class index of
    each sample (1-D), which is how fits keep the targets: one integer a row
    instead of ``n_outputs`` floats (with 1,000 classes, 8 bytes instead of 8,000).
    With one output the index is the target itself (binary: class 1 or not).
    """
    if targets.ndim == 2:
        return targets
    if xp is not None:
        if n_outputs == 1:
            return xp.astype(targets[:, None], dtype)
        classes = xp.arange(n_outputs, dtype=targets.dtype, device=array_device(targets))
        return xp.astype(targets[:, None] == classes, dtype)
    if n_outputs == 1:
        return targets.astype(dtype)[:, np.newaxis]
    Y = np.zeros((targets.size, n_outputs), dtype=dtype)
    Y[np.arange(targets.size), targets] = 1
    return Y


def data_term_and_gradient(
    theta, X, targets, sample_weight, *, layout, loss, weight_sum=None, xp=None
):
    """The data term of the objective ``J`` and its gradient with respect to ``theta``.

    ``sum_i s_i loss_i / weight_sum``, with ``weight_sum = sum_i s_i`` by default. A
    mini-batch ``B`` of a data set of ``n`` rows passes ``weight_sum = S * |B| / n``
    (``S`` the whole set's sum), so that the batch objectives of one pass average to
    the whole set's ``J``; a chunk of a data set spread over a cluster passes the whole
    set's ``S``, so that the chunks' terms add up to the whole set's. The L2 penalty
    is ``objective.penalised``'s, added once to the sum of such terms.

    The pass is fused: rows are taken a block at a time (see ``row_blocks``), and
    each block goes forward, through the loss and backward while it is still in
    the cache, so ``X`` is read from memory once per evaluation, not twice.

    Parameters
    ----------
    theta : ndarray of shape (layout.n_params,)
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
    targets : ndarray of shape (n_samples, n_outputs) or (n_samples,)
        Targets in {0, 1}, or each sample's class index (see ``dense_targets``).
    sample_weight : ndarray of shape (n_samples,)
        ``s_i``: non-negative, with a positive sum.
    layout : Layout
    loss : {"log_loss", "squared_error"}
    weight_sum : float, default=None
        The data term's normaliser; ``sample_weight.sum()`` when None.
    xp : array namespace, default=None
        The namespace of every array argument, when it is not NumPy.

    Returns
    -------
    data_term : float
        Non-finite only when the arithmetic overflowed; callers check.
    gradient : ndarray of shape (layout.n_params,)
    """
    if xp is not None:
        return _data_term_and_gradient_xp(
            theta, X, targets, sample_weight, layout=layout, loss=loss,
            weight_sum=weight_sum, xp=xp,
        )  # fmt: skip
    coefs, intercepts = layout.unpack(theta)
    gradient = np.zeros_like(theta)
    coef_grads, intercept_grads = layout.unpack(gradient)
    scale = 1.0 / (sample_weight.sum() if weight_sum is None else weight_sum)
    n_outputs = layout.shapes[-1][1]
    data_term = 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        for rows in row_blocks(X, layout.widest_computed):
            X_block = X if rows is None else X[rows]
            Y_block = dense_targets(
                targets if rows is None else targets[rows], n_outputs, theta.dtype
            )
            weights = sample_weight if rows is None else sample_weight[rows]
            weights = weights * scale
            activations, logits = forward(X_block, coefs, intercepts)
            losses, output_delta = LOSSES[loss](Y_block, logits, sigmoid(logits))
            # summed in float64: float32 sums of many rows are too coarse for the
            # line search's sufficient-decrease test
            data_term += float(np.add.reduce(weights * losses, dtype=np.float64))
            output_delta *= weights[:, np.newaxis]
            for k, coef_grad, intercept_grad in backward(
                activations, output_delta, coefs, layout.fit_intercept
            ):
                coef_grads[k] += coef_grad
                if intercept_grad is not None:
                    intercept_grads[k] += intercept_grad
    return data_term, gradient


def data_hessians(theta, X, targets, sample_weight, *, layout, loss, weight_sum=None):
    """The Hessian of the data term of ``J`` for each output of a network without
    hidden layers (``objective.penalised_hessians`` adds the penalty's).

    Without hidden layers ``J`` is a sum of one term per output, so its Hessian is
    block diagonal: for output ``j``, with ``X1 = [X, 1]`` (no column of ones
    without intercepts), the data term's is ``X1^T diag(s c_j / S) X1``, where
    ``c_ij = a_ij (1 - a_ij)`` for the log-loss (its exact second derivative) and
    ``(a_ij (1 - a_ij))^2`` for the squared error (the Gauss-Newton matrix, which
    drops the term that can make that loss's Hessian indefinite). Computed a block of
    rows at a time; sparse ``X`` whole.

    Returns
    -------
    hessians : list of ndarray of shape (n_features + fit_intercept,) * 2, float64
    """
    ((n_features, n_outputs),) = layout.shapes
    coefs, intercepts = layout.unpack(theta)
    scale = 1.0 / (sample_weight.sum() if weight_sum is None else weight_sum)
    size = n_features + layout.fit_intercept
    hessians = [np.zeros((size, size)) for _ in range(n_outputs)]
    sparse = hasattr(X, "format")
    with np.errstate(over="ignore", invalid="ignore"):
        for rows in [None] if sparse else row_blocks(X, max(n_features, 1)):
            X_block = X if rows is None else X[rows]
            weights = (sample_weight if rows is None else sample_weight[rows]) * scale
            outputs = sigmoid(linear(X_block, coefs[0], intercepts[0]))
            curvature = outputs * (1 - outputs)
            if loss == "squared_error":
                curvature *= curvature
            curvature *= weights[:, np.newaxis]
            for j, hessian in enumerate(hessians):
                c = curvature[:, j]
                if sparse:
                    weighted = X_block.multiply(c[:, np.newaxis]).tocsr()
                    hessian[:n_features, :n_features] += (X_block.T @ weighted).toarray()
                else:
                    hessian[:n_features, :n_features] += X_block.T @ (X_block * c[:, np.newaxis])
                if layout.fit_intercept:
                    column = np.asarray(X_block.T @ c).ravel()
                    hessian[:n_features, n_features] += column
                    hessian[n_features, :n_features] += column
                    hessian[n_features, n_features] += c.sum()
    return hessians


def _data_term_and_gradient_xp(theta, X, targets, sample_weight, *, layout, loss, weight_sum, xp):
    """``data_term_and_gradient`` in the namespace of ``theta`` (not NumPy), on its
    device: one pass over all rows (the cache blocks are NumPy's), the gradient
    assembled from the per-layer ones."""
    with np.errstate(over="ignore", invalid="ignore"):  # as NumPy's path
        coefs, intercepts = layout.unpack(theta, xp)
        scale = 1.0 / (float(xp.sum(sample_weight)) if weight_sum is None else weight_sum)
        Y = dense_targets(targets, layout.shapes[-1][1], theta.dtype, xp)
        weights = sample_weight * scale
        activations, logits = forward(X, coefs, intercepts, xp)
        losses, output_delta = LOSSES[loss](Y, logits, sigmoid(logits, xp=xp), xp)
        widest = widest_float(xp, array_device(theta))
        data_term = float(xp.sum(xp.astype(weights * losses, widest)))
        output_delta = output_delta * weights[:, None]
        coef_grads, intercept_grads = [None] * len(coefs), [None] * len(coefs)
        for k, coef_grad, intercept_grad in backward(
            activations, output_delta, coefs, layout.fit_intercept, xp
        ):
            coef_grads[k] = xp.reshape(coef_grad, (-1,))
            intercept_grads[k] = intercept_grad
        parts = coef_grads + (intercept_grads if layout.fit_intercept else [])
        return data_term, xp.concat(parts)


# Bytes of X per block of the fused pass: a block, and what it computes, stays in
# cache between the forward and the backward product. The best size depends on the
# width of the layers the block computes far more than on the BLAS threads. Measured
# at one thread (per-thread CPU time, medians of 5, 100,000 rows, OpenBLAS SkylakeX;
# d input columns) against the former fixed 4 MiB: 1 output, 2-4 MiB best at every d;
# 3 outputs, 1-2 MiB (0.52-0.61x); 10 outputs, 512 KiB (0.35x at d=20, 0.61x at 100,
# 0.64x at 400); 30 outputs, 256-512 KiB (0.43-0.74x); a hidden layer of 64, 512 KiB
# to 1 MiB (0.48-0.55x), of 16, 256 KiB to 1 MiB (0.82-0.91x). So a block holds
# BLOCK_BYTES / (units of the widest computed layer), at least MIN_BLOCK_BYTES. With
# two BLAS threads smaller blocks pay less and can cost (a hidden layer of 16: 1.22x
# at 512 KiB, 1.07x at 1 MiB; 10 outputs: 0.87x at 1 MiB, 0.91x at 512 KiB), so the
# floor is MIN_BLOCK_BYTES_THREADS unless the BLAS runs one thread (threads.py:
# our limit or the user's).
# Cache sizes read at run time were tried as the rule (blocks a multiple of L2) and
# measured against these constants on a second processor, an Intel Xeon with 2 MiB of
# L2 a core (twice SkylakeX's), one thread, 100,000 rows, medians of 5, BLOCK_BYTES
# from 256 KiB to 16 MiB: 1 output, d=100, 1-4 MiB best (11-12 ms; 8 MiB 17 ms); 10
# outputs, d=100, 4 MiB best (36 ms; 2 MiB 40, 8 MiB 49); 10 outputs, d=20, 2-4 MiB
# (18-19 ms); a hidden layer of 64, 16 MiB (121 ms; 4 MiB 148). The optimum did not
# double with L2, so the constants stay, one rule for both (a hidden layer of 64 gains
# 18% from larger blocks there: not enough to split the rule on one measurement).
BLOCK_BYTES = 1 << 22
MIN_BLOCK_BYTES = 1 << 19
MIN_BLOCK_BYTES_THREADS = 1 << 20
MIN_BLOCK_ROWS = 64
# Sparse X is cut only where one block's widest computed layer would pass this many
# bytes: a block of 1,000 float64 outputs per row then holds 32,768 rows.
SPARSE_BLOCK_BYTES = 1 << 28


def row_blocks(X, widest=0):
    """Slices of rows of dense ``X`` (see ``BLOCK_BYTES``), or ``[None]`` for all.

    ``widest`` is the units of the widest layer a pass computes (hidden or output).
    A dense row's bytes are those of the wider of its input and that layer: with
    1,000 outputs a block's logits, not its inputs, fill the cache. Sparse matrices
    are cut by what a block computes, never by their width, and only where that
    layer is wider than ``SPARSE_BLOCK_BYTES`` allows whole: a block of their rows is
    a copy, not a view (and of CSC a gather over every column), and sparse products
    gain little from the cache. Counting the input width cut a 20,000 x 5,000 CSR into
    3 copied blocks and a 100,000 x 20,000 one into 60 (the copies were 43% of an
    evaluation).
    """
    n_samples = X.shape[0]
    itemsize = X.dtype.itemsize
    sparse = hasattr(X, "format")
    row_bytes = itemsize * max(widest if sparse else max(X.shape[1], widest), 1)
    floor = MIN_BLOCK_BYTES if single_thread() else MIN_BLOCK_BYTES_THREADS
    block_bytes = min(BLOCK_BYTES, max(floor, BLOCK_BYTES // max(widest, 1)))
    rows = max(MIN_BLOCK_ROWS, int(block_bytes // row_bytes))
    if sparse:
        rows = max(rows, int(SPARSE_BLOCK_BYTES // row_bytes))
    if rows >= n_samples:
        return [None]
    return list(gen_batches(n_samples, rows))


def take_rows(X, rows, xp=None, device=None):
    """``X[rows]`` for a slice or an array of row indices (NumPy's, on the host),
    in any namespace ``xp``: ``xp.take`` where ``X`` is not NumPy's."""
    if xp is None:
        return X[rows]
    if isinstance(rows, slice):
        return X[rows, ...]
    return xp.take(X, xp.asarray(rows, device=device), axis=0)


def predict_logits(X, theta, layout, xp=None):
    """The output layer's pre-activation for ``X``, shape ``(n_samples, n_outputs)``."""
    return forward(X, *layout.unpack(theta, xp), xp)[1]
