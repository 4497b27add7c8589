"""What speed must not cost: copies of X, upcasts, or a different result."""

import tracemalloc

import numpy as np
import pytest
from scipy import sparse

from sk_backprop import SigmoidPerceptronClassifier
from sk_backprop._core import network as _network
from sk_backprop._core.layout import Layout, initial_theta
from sk_backprop._core.objective import objective_and_gradient


def _evaluate(X, hidden=(4, 3), n_outputs=3, seed=0):
    rng = np.random.RandomState(seed)
    Y = np.eye(n_outputs)[rng.randint(0, n_outputs, X.shape[0])]
    weights = rng.uniform(0.5, 2, X.shape[0])
    layout = Layout.from_sizes(X.shape[1], hidden, n_outputs, True)
    theta = initial_theta(layout, rng, np.float64)
    return objective_and_gradient(theta, X, Y, weights, layout=layout, loss="log_loss", alpha=0.1)


def test_fused_blocked_pass_equals_the_plain_pass(monkeypatch):
    X = np.random.RandomState(1).normal(size=(1000, 6))
    monkeypatch.setattr(_network, "BLOCK_BYTES", 1 << 40)
    assert _network.row_blocks(X) == [None]
    plain = _evaluate(X)
    monkeypatch.setattr(_network, "BLOCK_BYTES", 1)  # blocks of MIN_BLOCK_ROWS rows
    assert len(_network.row_blocks(X)) == 16
    fused = _evaluate(X)
    assert fused[0] == pytest.approx(plain[0], rel=1e-12)
    np.testing.assert_allclose(fused[1], plain[1], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("container", [sparse.csr_matrix, sparse.csc_array])
def test_sparse_input_is_not_cut_into_row_blocks(monkeypatch, container):
    monkeypatch.setattr(_network, "BLOCK_BYTES", 1)
    assert _network.row_blocks(container(np.ones((1000, 3)))) == [None]


def _peak_during(function):
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("solver", ["lbfgs", "gd"])
def test_fit_never_copies_X(dtype, order, solver):
    rng = np.random.RandomState(0)
    X = np.asarray(rng.normal(size=(40_000, 50)), dtype=dtype, order=order)
    y = (X[:, 0] > 0).astype(int)
    clf = SigmoidPerceptronClassifier(solver=solver, max_iter=3, tol=None)
    peak = _peak_during(lambda: clf.fit(X, y))
    # A copy of X would be X.nbytes at least; the fit's own buffers (labels, encoded
    # targets, weights, one block of the fused pass) are ~60 bytes per row, 0.3x
    # of these 200-byte float32 rows.
    assert peak < 0.5 * X.nbytes
    assert clf.coefs_[0].dtype == dtype


def test_prediction_does_not_copy_X():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40_000, 50)).astype(np.float32)
    clf = SigmoidPerceptronClassifier(max_iter=5).fit(X[:1000], (X[:1000, 0] > 0).astype(int))
    peak = _peak_during(lambda: clf.predict_proba(X))
    assert peak < 0.25 * X.nbytes


def test_csr_mini_batches_are_row_slices_without_shuffle():
    X = sparse.random(2000, 2000, density=0.02, format="csr", random_state=0)
    y = np.random.RandomState(0).randint(0, 2, 2000)
    clf = SigmoidPerceptronClassifier(solver="sgd", shuffle=False, max_iter=2, tol=None)
    peak = _peak_during(lambda: clf.fit(X, y))
    X_bytes = X.data.nbytes + X.indices.nbytes + X.indptr.nbytes
    assert peak < 0.5 * X_bytes


@pytest.mark.parametrize("solver", ["lbfgs", "gd", "sgd", "adam"])
def test_float32_is_kept_by_every_solver_and_answer(solver):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(500, 5)).astype(np.float32)
    y = rng.randint(0, 3, 500)
    clf = SigmoidPerceptronClassifier((4,), solver=solver, max_iter=5, tol=None).fit(X, y)
    assert {array.dtype for array in clf.coefs_ + clf.intercepts_} == {np.dtype(np.float32)}
    for method in ("predict_proba", "predict_log_proba", "decision_function"):
        assert getattr(clf, method)(X).dtype == np.float32


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_a_wide_sparse_matrix_is_evaluated_whole_without_a_copy(fmt):
    """Blocks are sized by what they compute (one output here), not by the 5,000
    input columns: no block of rows, so no copy, of CSR or CSC."""
    X = sparse.random(20_000, 5_000, density=0.02, format=fmt, random_state=0)
    y = np.random.RandomState(0).randint(0, 2, 20_000)
    X_bytes = X.data.nbytes + X.indices.nbytes + X.indptr.nbytes
    clf = SigmoidPerceptronClassifier(max_iter=3, tol=None)
    peak = _peak_during(lambda: clf.fit(X, y))
    assert peak < 0.25 * X_bytes
    peak = _peak_during(lambda: clf.predict_proba(X))
    assert peak < 0.25 * X_bytes


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_a_sparse_fit_is_the_dense_fit(fmt):
    X = sparse.random(600, 300, density=0.05, format=fmt, random_state=1)
    y = np.random.RandomState(1).randint(0, 3, 600)
    params = dict(hidden_layer_sizes=(4,), max_iter=30, tol=None, random_state=0)
    on_sparse = SigmoidPerceptronClassifier(**params).fit(X, y)
    on_dense = SigmoidPerceptronClassifier(**params).fit(X.toarray(), y)
    np.testing.assert_allclose(on_sparse.loss_curve_, on_dense.loss_curve_, rtol=1e-10)
    np.testing.assert_allclose(
        on_sparse.predict_proba(X), on_dense.predict_proba(X.toarray()), rtol=1e-8, atol=1e-12
    )
