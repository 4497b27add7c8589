"""The numeric core: layout, forward pass and the backpropagated gradient."""

import itertools

import numpy as np
import pytest
from scipy import sparse

from sk_backprop._core.layout import Layout, initial_theta
from sk_backprop._core.network import linear, predict_logits
from sk_backprop._core.objective import objective_and_gradient

DEPTHS = [(), (3,), (4, 3)]
LOSSES = ["log_loss", "squared_error"]


def _targets(kind, n_samples, rng):
    if kind == "binary":
        return rng.randint(0, 2, size=(n_samples, 1)).astype(float)
    if kind == "multiclass":
        return np.eye(3)[rng.randint(0, 3, size=n_samples)]
    return rng.randint(0, 2, size=(n_samples, 4)).astype(float)  # multilabel


def _problem(kind, hidden, fit_intercept=True, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(9, 5))
    Y = _targets(kind, 9, rng)
    layout = Layout.from_sizes(5, hidden, Y.shape[1], fit_intercept)
    theta = initial_theta(layout, rng, np.float64)
    return X, Y, layout, theta, rng


def _finite_difference_gradient(fun, theta, step=1e-6):
    gradient = np.empty_like(theta)
    for j in range(theta.size):
        shift = np.zeros_like(theta)
        shift[j] = step
        gradient[j] = (fun(theta + shift)[0] - fun(theta - shift)[0]) / (2 * step)
    return gradient


@pytest.mark.parametrize(
    "loss, hidden, kind, weighted, alpha",
    list(
        itertools.product(
            LOSSES, DEPTHS, ["binary", "multiclass", "multilabel"], [False, True], [0.0, 0.3]
        )
    ),
)
def test_backpropagated_gradient_matches_finite_differences(loss, hidden, kind, weighted, alpha):
    X, Y, layout, theta, rng = _problem(kind, hidden)
    sample_weight = rng.uniform(0, 3, size=X.shape[0]) if weighted else np.ones(X.shape[0])

    def fun(t):
        return objective_and_gradient(t, X, Y, sample_weight, layout=layout, loss=loss, alpha=alpha)

    analytic = fun(theta)[1]
    numeric = _finite_difference_gradient(fun, theta)
    # Central differences err by O(step^2) + O(eps / step) ~ 1e-11 here.
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("hidden", DEPTHS)
def test_gradient_without_intercepts_matches_finite_differences(hidden):
    X, Y, layout, theta, _ = _problem("multiclass", hidden, fit_intercept=False)

    def fun(t):
        return objective_and_gradient(
            t, X, Y, np.ones(X.shape[0]), layout=layout, loss="log_loss", alpha=0.1
        )

    np.testing.assert_allclose(
        fun(theta)[1], _finite_difference_gradient(fun, theta), rtol=1e-6, atol=1e-9
    )


def test_objective_is_the_weighted_mean_loss_plus_the_penalty_on_coefs_only():
    X, Y, layout, theta, rng = _problem("binary", (3,))
    sample_weight = rng.uniform(0.5, 2, size=X.shape[0])
    logits = predict_logits(X, theta, layout)
    proba = 1 / (1 + np.exp(-logits))
    losses = -(Y * np.log(proba) + (1 - Y) * np.log(1 - proba)).sum(axis=1)
    coefs, _ = layout.unpack(theta)
    expected = sample_weight @ losses / sample_weight.sum() + 0.5 * 0.7 * sum(
        (coef**2).sum() for coef in coefs
    )
    objective, _ = objective_and_gradient(
        theta, X, Y, sample_weight, layout=layout, loss="log_loss", alpha=0.7
    )
    assert objective == pytest.approx(expected, rel=1e-12)


def test_integer_weights_equal_repeated_samples():
    X, Y, layout, theta, rng = _problem("multiclass", (4, 3))
    counts = rng.randint(0, 4, size=X.shape[0])
    counts[0] = 2
    weighted = objective_and_gradient(
        theta, X, Y, counts.astype(float), layout=layout, loss="log_loss", alpha=0.1
    )
    repeated = objective_and_gradient(
        theta,
        X.repeat(counts, axis=0),
        Y.repeat(counts, axis=0),
        np.ones(counts.sum()),
        layout=layout,
        loss="log_loss",
        alpha=0.1,
    )
    assert weighted[0] == pytest.approx(repeated[0], rel=1e-12)
    np.testing.assert_allclose(weighted[1], repeated[1], rtol=1e-10, atol=1e-14)


def test_layout_unpack_gives_views_and_pack_inverts_it():
    layout = Layout.from_sizes(5, (4, 3), 2, fit_intercept=True)
    theta = np.arange(layout.n_params, dtype=float)
    coefs, intercepts = layout.unpack(theta)
    assert [c.shape for c in coefs] == [(5, 4), (4, 3), (3, 2)]
    assert [b.shape for b in intercepts] == [(4,), (3,), (2,)]
    assert all(np.shares_memory(c, theta) for c in coefs)
    np.testing.assert_array_equal(layout.pack(coefs, intercepts, float), theta)


def test_layout_without_intercepts_holds_only_coefs():
    layout = Layout.from_sizes(5, (4,), 1, fit_intercept=False)
    assert layout.n_params == layout.n_coefs == 5 * 4 + 4 * 1
    assert layout.unpack(np.zeros(layout.n_params))[1] == [None, None]


def test_initial_weights_break_symmetry_within_the_sigmoid_bound():
    layout = Layout.from_sizes(6, (5,), 1, fit_intercept=True)
    theta = initial_theta(layout, np.random.RandomState(0), np.float32)
    coefs, _ = layout.unpack(theta)
    assert theta.dtype == np.float32
    assert np.abs(coefs[0]).max() <= 4 * np.sqrt(2 / 11)
    assert np.unique(coefs[0], axis=1).shape[1] == 5  # every hidden unit differs


@pytest.mark.parametrize("container", [np.asarray, sparse.csr_matrix, sparse.csr_array])
def test_linear_of_huge_inputs_is_infinite_not_nan(container):
    inputs = container(np.array([[1e300, -1e300, 1e300], [1.0, 2.0, 3.0]]))
    coef = np.array([[1e10], [1e10], [1e10]])
    with np.errstate(all="raise"):
        outputs = linear(inputs, coef, np.array([0.5]))
    assert outputs[0, 0] == np.inf
    assert outputs[1, 0] == pytest.approx(6e10 + 0.5)


def test_sparse_input_gives_the_dense_objective_and_gradient():
    X, Y, layout, theta, _ = _problem("multilabel", (3,))
    X[X < 0.3] = 0
    args = dict(layout=layout, loss="log_loss", alpha=0.2)
    dense = objective_and_gradient(theta, X, Y, np.ones(9), **args)
    for container in (sparse.csr_matrix, sparse.csc_array):
        sparse_result = objective_and_gradient(theta, container(X), Y, np.ones(9), **args)
        assert sparse_result[0] == pytest.approx(dense[0], rel=1e-12)
        np.testing.assert_allclose(sparse_result[1], dense[1], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("outputs, hidden", [(1, ()), (10, ()), (3, (16,))])
def test_any_block_size_gives_the_whole_evaluation_to_1e_12(monkeypatch, outputs, hidden):
    import sk_backprop._core.network as network

    rng = np.random.RandomState(0)
    X = rng.randn(3000, 40)
    targets = rng.randint(0, outputs, 3000) if outputs > 1 else rng.randint(0, 2, 3000)
    layout = Layout.from_sizes(40, hidden, outputs, True)
    theta = initial_theta(layout, rng, np.float64) + 0.1 * rng.randn(layout.n_params)
    weights = rng.rand(3000)
    args = dict(layout=layout, loss="log_loss", alpha=1e-3)
    monkeypatch.setattr(network, "BLOCK_BYTES", 1 << 30)
    whole_value, whole_gradient = objective_and_gradient(theta, X, targets, weights, **args)
    for block_bytes in (1 << 14, 1 << 17, 1 << 19):
        monkeypatch.setattr(network, "BLOCK_BYTES", block_bytes)
        monkeypatch.setattr(network, "MIN_BLOCK_BYTES", 0)
        monkeypatch.setattr(network, "MIN_BLOCK_BYTES_THREADS", 0)
        assert len(network.row_blocks(X, layout.widest_computed)) > 1
        value, gradient = objective_and_gradient(theta, X, targets, weights, **args)
        assert value == pytest.approx(whole_value, rel=1e-12)
        np.testing.assert_allclose(gradient, whole_gradient, rtol=1e-12, atol=1e-15)


def test_blocks_shrink_with_the_width_of_what_they_compute():
    from sk_backprop._core.network import row_blocks

    X = np.zeros((200_000, 100))
    rows = {width: row_blocks(X, width)[0].stop for width in (1, 3, 10, 64)}
    assert rows[1] > rows[3] > rows[10] >= rows[64] >= 64


def test_blocks_follow_the_blas_threads_that_run_them():
    """One BLAS thread, however it was set (here a user's threadpool_limits), takes
    the smaller floor; more threads the larger one (_core/network.py, BLOCK_BYTES)."""
    from threadpoolctl import threadpool_info, threadpool_limits

    import sk_backprop._core.network as network

    X = np.zeros((200_000, 100))
    with threadpool_limits(1, user_api="blas"):
        one = network.row_blocks(X, 100)[0].stop
    assert one == network.MIN_BLOCK_BYTES // 800
    with threadpool_limits(2, user_api="blas"):
        blas = [info for info in threadpool_info() if info["user_api"] == "blas"]
        if any(info["num_threads"] != 2 for info in blas):
            pytest.skip("this machine runs one BLAS thread at most")
        two = network.row_blocks(X, 100)[0].stop
    assert two == network.MIN_BLOCK_BYTES_THREADS // 800
