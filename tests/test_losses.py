"""The two losses against their formulas, from logits."""

import numpy as np
import pytest
from scipy.special import expit

from sk_backprop._core.losses import LOSSES, log_loss, squared_error

Y = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
LOGITS = np.array([[-2.0, 0.5], [3.0, -40.0], [0.0, 800.0]])


def test_log_loss_is_the_binary_cross_entropy_summed_over_outputs():
    a = expit(LOGITS)
    # -[y log(a) + (1 - y) log(1 - a)] = log(1 + e^z) - y z, the form without log(0)
    expected = (np.logaddexp(0, LOGITS) - Y * LOGITS).sum(axis=1)
    losses, delta = log_loss(Y, LOGITS, expit(LOGITS))
    np.testing.assert_allclose(losses, expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(delta, a - Y)


def test_log_loss_stays_finite_where_the_output_rounds_to_0_or_1():
    losses, delta = log_loss(
        np.array([[1.0, 0.0]]), np.array([[-800.0, 800.0]]), expit(np.array([[-800.0, 800.0]]))
    )
    assert losses[0] == pytest.approx(1600.0)
    assert np.isfinite(delta).all()


def test_squared_error_delta_is_the_seeds_rule_negated():
    a = expit(LOGITS)
    losses, delta = squared_error(Y, LOGITS, a.copy())
    np.testing.assert_allclose(losses, 0.5 * ((Y - a) ** 2).sum(axis=1))
    np.testing.assert_allclose(delta, -((Y - a) * a * (1 - a)))


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_output_delta_is_the_derivative_of_the_loss(name):
    loss = LOSSES[name]
    logits = np.array([[-1.3, 0.4], [2.0, -0.7]])
    Y = np.array([[0.0, 1.0], [1.0, 1.0]])
    _, delta = loss(Y, logits, expit(logits))
    step = 1e-6
    for i, k in np.ndindex(*logits.shape):
        shifted = [logits.copy(), logits.copy()]
        shifted[0][i, k] += step
        shifted[1][i, k] -= step
        up, down = (loss(Y, z, expit(z))[0][i] for z in shifted)
        assert delta[i, k] == pytest.approx((up - down) / (2 * step), rel=1e-6)
