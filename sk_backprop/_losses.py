"""The two losses of a sigmoid output layer, as functions of its logits.

Each loss takes the targets ``Y`` and the output layer's pre-activations
``logits`` (both of shape ``(n_samples, n_outputs)``) and returns

* ``losses``, shape ``(n_samples,)``: the loss of each sample, summed over outputs;
* ``output_delta``, shape ``(n_samples, n_outputs)``: ``d loss_i / d logits``.

Working from the logits rather than from the sigmoid outputs keeps both finite
for any finite logit: ``log(sigmoid(z))`` is ``log_expit(z)``, never ``log(0)``.
"""

from scipy.special import expit, log_expit


def log_loss(Y, logits):
    """Binary cross-entropy of each sigmoid output.

    ``loss = -sum_k [y log(a) + (1 - y) log(1 - a)]`` with ``a = sigmoid(z)``;
    its derivative with respect to ``z`` is ``a - y``.
    """
    losses = -(Y * log_expit(logits) + (1 - Y) * log_expit(-logits)).sum(axis=1)
    return losses, expit(logits) - Y


def squared_error(Y, logits):
    """Half the squared error of each sigmoid output: the seed's delta rule.

    ``loss = 0.5 * sum_k (y - a)^2``; its derivative with respect to ``z`` is
    ``(a - y) * a * (1 - a)``, the negative of the seed's
    ``delta = (y - a) * a * (1 - a)``.
    """
    activations = expit(logits)
    error = activations - Y
    losses = 0.5 * (error**2).sum(axis=1)
    return losses, error * activations * (1 - activations)


LOSSES = {"log_loss": log_loss, "squared_error": squared_error}
