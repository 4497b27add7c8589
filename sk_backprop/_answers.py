"""A fitted network's answers: functions of the output layer's logits.

The estimator validates ``X`` and calls ``blockwise``; what the user gets back
(logits, labels, probabilities, log-probabilities) is one of the transforms
below applied to one block of rows at a time. Every transform is finite for any
finite input: a logit that overflowed to +-inf is the largest float.
"""

import numpy as np
from scipy.special import expit, log_expit, log_softmax, softmax

from ._network import forward, row_blocks


def blockwise(X, coefs, intercepts, from_logits):
    """``from_logits`` of the logits of ``X``, a block of rows at a time, so that a
    wide output layer's temporaries stay the size of one block."""
    widest = max(max(coef.shape) for coef in coefs)
    answer = None
    for rows in row_blocks(X, widest):
        block = from_logits(forward(X if rows is None else X[rows], coefs, intercepts)[1])
        if rows is None:
            return block
        if answer is None:
            answer = np.empty((X.shape[0], *block.shape[1:]), dtype=block.dtype)
        answer[rows] = block
    return answer


def proba(logits, multilabel):
    """Class probabilities from the sigmoid outputs ``a = sigmoid(logits)``.

    Multilabel: each ``a_k``. One output (binary): ``[1 - a, a]``. Several:
    ``a_k / sum_j a_j``, computed as a softmax of ``log(a_k)``: exact, and finite
    even where every output underflows to 0.
    """
    if multilabel:
        return expit(logits)
    if logits.shape[1] == 1:
        return np.hstack([expit(-logits), expit(logits)])
    return softmax(finite_log_expit(logits), axis=1)


def log_proba(logits, multilabel):
    """The logarithm of ``proba``, never through ``log(0)``."""
    if multilabel:
        return log_expit(logits)
    if logits.shape[1] == 1:
        return np.hstack([log_expit(-logits), log_expit(logits)])
    return log_softmax(finite_log_expit(logits), axis=1)


def finite_log_expit(logits):
    """``log(sigmoid(z))`` with infinite logits (from overflow) taken as the largest floats."""
    return log_expit(np.nan_to_num(logits))
