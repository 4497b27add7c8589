"""The two losses of a sigmoid output layer, as functions of its logits.

Each loss takes the targets ``Y``, the output layer's pre-activations ``logits``
and its sigmoid ``outputs = sigmoid(logits)`` (all of shape
``(n_samples, n_outputs)``; ``outputs`` is consumed: the loss may overwrite it)
and returns

* ``losses``, shape ``(n_samples,)``: the loss of each sample, summed over outputs;
* ``output_delta``, shape ``(n_samples, n_outputs)``: ``d loss_i / d logits``.

Working from the logits rather than from the sigmoid outputs alone keeps both
finite for any finite logit: the log-loss is written with ``softplus(z)``, never
``log(0)``. ``xp`` is the array namespace when it is not NumPy (then nothing is
done in place).
"""

import numpy as np


def log_loss(Y, logits, outputs, xp=None):
    """Binary cross-entropy of each sigmoid output.

    ``loss = -sum_k [y log(a) + (1 - y) log(1 - a)] = sum_k [softplus(z) - y z]``
    with ``a = sigmoid(z)``; its derivative with respect to ``z`` is ``a - y``.
    ``softplus(z) = log(1 + e^z) = max(z, 0) - log(max(a, 1 - a))``: exact for
    ``z >= 0``, and for ``z < 0`` off by at most 1e-16 absolute (``1 - a`` rounds),
    with one logarithm per entry instead of two ``log_expit`` calls.
    """
    if xp is not None:  # softplus(z) = logaddexp(0, z), one stable operation
        losses = xp.logaddexp(xp.zeros_like(logits), logits) - Y * logits
        return xp.sum(losses, axis=1), outputs - Y
    softplus = np.maximum(logits, 0)
    softplus -= np.log(np.maximum(outputs, 1 - outputs))
    softplus -= Y * logits
    return softplus.sum(axis=1), np.subtract(outputs, Y, out=outputs)


def squared_error(Y, logits, outputs, xp=None):
    """Half the squared error of each sigmoid output: the seed's delta rule.

    ``loss = 0.5 * sum_k (y - a)^2``; its derivative with respect to ``z`` is
    ``(a - y) * a * (1 - a)``, the negative of the seed's
    ``delta = (y - a) * a * (1 - a)``.
    """
    xp = np if xp is None else xp
    error = outputs - Y
    losses = 0.5 * xp.sum(error**2, axis=1)
    return losses, error * outputs * (1 - outputs)


LOSSES = {"log_loss": log_loss, "squared_error": squared_error}
