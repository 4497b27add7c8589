"""A fitted network's answers: functions of the output layer's logits.

The estimator validates ``X`` and calls ``blockwise``; what the user gets back
(logits, labels, probabilities, log-probabilities) is one of the transforms
below applied to one block of rows at a time. Every transform is finite for any
finite input: a logit that overflowed to +-inf is the largest float.

``xp`` is the namespace of the logits when it is not NumPy's: NumPy keeps
scipy's ``expit``/``log_expit``/``softmax``; elsewhere the same functions are
written with the operations every array library has, as stably.
"""

import numpy as np
from scipy.special import expit, log_expit, log_softmax, softmax

from ._compat import to_numpy
from ._core.network import forward, row_blocks


def blockwise(X, coefs, intercepts, from_logits, xp=None):
    """``from_logits`` of the logits of ``X``, a block of rows at a time, so that a
    wide output layer's temporaries stay the size of one block (NumPy; another
    namespace answers all rows at once, on its device). Underflow (a probability
    below the smallest float is 0) is expected, never an error, whatever
    ``np.errstate`` the caller set."""
    with np.errstate(under="ignore"):
        return _blockwise(X, coefs, intercepts, from_logits, xp)


def _blockwise(X, coefs, intercepts, from_logits, xp):
    if xp is not None:
        return from_logits(forward(X, coefs, intercepts, xp)[1])
    widest = max(coef.shape[1] for coef in coefs)  # the widest computed layer
    answer = None
    for rows in row_blocks(X, widest):
        block = from_logits(forward(X if rows is None else X[rows], coefs, intercepts)[1])
        if rows is None:
            return block
        if answer is None:
            answer = np.empty((X.shape[0], *block.shape[1:]), dtype=block.dtype)
        answer[rows] = block
    return answer


def labels(logits, label_binarizer, xp=None, device=None):
    """The labels (multilabel: the indicator matrix) the logits predict.

    In another namespace, as scikit-learn's array API classifiers answer: the
    class indices come to the host, where the classes are; numeric labels go back
    to ``xp`` and ``device``, strings stay a NumPy array.
    """
    if xp is None:
        return label_binarizer.inverse_transform(logits, threshold=0.0)
    if label_binarizer.y_type_ == "multilabel-indicator":
        return xp.astype(logits > 0, xp.int64)
    if logits.shape[1] == 1:
        indices = xp.astype(logits[:, 0] > 0, xp.int64)
    else:
        indices = xp.argmax(logits, axis=1)
    predicted = label_binarizer.classes_[to_numpy(indices)]
    if predicted.dtype.kind in "biuf":
        return xp.asarray(predicted, device=device)
    return predicted


def proba(logits, multilabel, xp=None):
    """Class probabilities from the sigmoid outputs ``a = sigmoid(logits)``.

    Multilabel: each ``a_k``. One output (binary): ``[1 - a, a]``. Several:
    ``a_k / sum_j a_j``, computed as a softmax of ``log(a_k)``: exact, and finite
    even where every output underflows to 0.
    """
    if xp is not None:
        return xp.exp(log_proba(logits, multilabel, xp))  # log_proba <= 0: no overflow
    if multilabel:
        return expit(logits)
    if logits.shape[1] == 1:
        return np.hstack([expit(-logits), expit(logits)])
    return softmax(finite_log_expit(logits), axis=1)


def log_proba(logits, multilabel, xp=None):
    """The logarithm of ``proba``, never through ``log(0)``."""
    if xp is not None:
        if multilabel:
            return _log_expit(logits, xp)
        if logits.shape[1] == 1:
            return xp.concat([_log_expit(-logits, xp), _log_expit(logits, xp)], axis=1)
        log_outputs = _log_expit(_finite(logits, xp), xp)
        shifted = log_outputs - xp.max(log_outputs, axis=1, keepdims=True)
        return shifted - xp.log(xp.sum(xp.exp(shifted), axis=1, keepdims=True))
    if multilabel:
        return log_expit(logits)
    if logits.shape[1] == 1:
        return np.hstack([log_expit(-logits), log_expit(logits)])
    return log_softmax(finite_log_expit(logits), axis=1)


def finite_log_expit(logits):
    """``log(sigmoid(z))`` with infinite logits (from overflow) taken as the largest floats."""
    return log_expit(np.nan_to_num(logits))


def _log_expit(z, xp):
    """``log(sigmoid(z)) = min(z, 0) - log1p(exp(-|z|))``: exact for every z, finite
    for finite z, and no ``exp`` of a positive number (no overflow)."""
    return xp.minimum(z, xp.zeros_like(z)) - xp.log1p(xp.exp(-xp.abs(z)))


def _finite(logits, xp):
    """Infinite logits (from overflow) as the largest floats."""
    largest = xp.finfo(logits.dtype).max
    return xp.clip(logits, min=-largest, max=largest)
