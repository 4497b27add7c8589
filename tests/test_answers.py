"""The answers as functions of the logits: probabilities, their logs, block by block."""

import numpy as np
import pytest
from scipy.special import expit

from sk_backprop import _answers
from sk_backprop._core.layout import Layout, initial_theta
from sk_backprop._core.network import forward


@pytest.mark.parametrize("n_outputs", [1, 4])
@pytest.mark.parametrize("multilabel", [False, True])
def test_proba_is_the_normalised_sigmoid_outputs(n_outputs, multilabel):
    logits = np.random.RandomState(0).normal(scale=3, size=(50, n_outputs))
    a = expit(logits)
    if multilabel:
        expected = a
    elif n_outputs == 1:
        expected = np.hstack([1 - a, a])
    else:
        expected = a / a.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(_answers.proba(logits, multilabel), expected, rtol=1e-12)
    np.testing.assert_allclose(_answers.log_proba(logits, multilabel), np.log(expected), rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_answers_are_finite_for_extreme_logits(dtype):
    big = np.finfo(dtype).max
    logits = np.array([[-np.inf, -big, -1e4], [np.inf, big, 0], [-1e4, -1e4, -1e4]], dtype)
    proba = _answers.proba(logits, multilabel=False)
    log_proba = _answers.log_proba(logits, multilabel=False)
    assert proba.dtype == log_proba.dtype == dtype
    assert np.isfinite(proba).all() and np.isfinite(log_proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-6)
    # equal logits: equal probabilities, even where every sigmoid underflows
    np.testing.assert_allclose(proba[2], 1 / 3, rtol=1e-6)


def test_blockwise_equals_one_pass(monkeypatch):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(1000, 5))
    layout = Layout.from_sizes(5, (7,), 3, True)
    coefs, intercepts = layout.unpack(initial_theta(layout, rng, np.float64))
    whole = forward(X, coefs, intercepts)[1]
    monkeypatch.setattr("sk_backprop._core.network.BLOCK_BYTES", 8 * 7 * 64)
    blocks = _answers.blockwise(X, coefs, intercepts, lambda logits: logits)
    np.testing.assert_allclose(blocks, whole, rtol=1e-13)
