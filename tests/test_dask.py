"""DaskSigmoidPerceptronClassifier on a LocalCluster: the in-memory model, on a cluster.

Most tests run on a cluster of threads (quick to start); those about processes
(serialisation, a killed worker, memory, transfers) on a cluster of processes.
"""

import gc
import os
import pickle
import signal
import threading
import time
import warnings
from contextlib import contextmanager

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_multilabel_classification

pytest.importorskip("distributed", reason="the dask extra is not installed")
dask = pytest.importorskip("dask")
da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
pd = pytest.importorskip("pandas")
from distributed import Client, LocalCluster, wait  # noqa: E402

from sk_backprop import SigmoidPerceptronClassifier  # noqa: E402
from sk_backprop.dask import DaskSigmoidPerceptronClassifier  # noqa: E402

X, y = make_classification(
    n_samples=1_200, n_features=8, n_informative=5, n_classes=3, random_state=0
)
w = np.random.default_rng(0).uniform(0.0, 2.0, size=y.size)
CHUNKS = 250  # 5 chunks, the last one short


def dask_arrays(*arrays, chunks=CHUNKS):
    return [None if a is None else da.from_array(a, chunks=(chunks,) + a.shape[1:]) for a in arrays]


def cluster_keys(client):
    return set(client.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.tasks)))


FIT_TASKS = ("check_part", "encode_part", "hold_out_part", "part_of", "_apply")


def left_by_fits(client, seconds=30):
    """Keys of the fits' own tasks still on the scheduler, once none is left or after
    ``seconds``. Releases are messages, and the futures of a fit that raised live on
    in the reference cycles of its traceback until the garbage collector runs (when it
    runs depends on what ran before: the check failed in a cascade on a busy machine),
    so each look first collects the garbage, then waits a moment for the scheduler."""
    deadline = time.monotonic() + seconds
    while True:
        gc.collect()
        left = {key for key in cluster_keys(client) if str(key).startswith(FIT_TASKS)}
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


@contextmanager
def local_client(processes):
    """A client of a LocalCluster of two workers of one thread each."""
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=processes, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def client():
    with local_client(processes=False) as client:
        yield client


@pytest.fixture(scope="module")
def process_client():
    with local_client(processes=True) as client:
        yield client


def both(params, X, y, sample_weight=None, **fit_params):
    """The in-memory fit and the cluster fit of the same data."""
    local = SigmoidPerceptronClassifier(**params).fit(X, y, sample_weight, **fit_params)
    dX, dy, dw = dask_arrays(X, y, sample_weight)
    on_cluster = DaskSigmoidPerceptronClassifier(**params).fit(dX, dy, dw)
    return local, on_cluster


def assert_same_model(local, on_cluster, coef_rtol=1e-8, loss_rtol=1e-10):
    assert on_cluster.loss_ == pytest.approx(local.loss_, rel=loss_rtol)
    assert on_cluster.n_iter_ == local.n_iter_
    for a, b in zip(local.coefs_ + local.intercepts_, on_cluster.coefs_ + on_cluster.intercepts_):
        assert type(b) is np.ndarray and b.dtype == a.dtype and b.shape == a.shape
        np.testing.assert_allclose(b, a, rtol=coef_rtol, atol=coef_rtol * np.abs(a).max())
    np.testing.assert_array_equal(on_cluster.classes_, local.classes_)
    assert on_cluster.n_features_in_ == local.n_features_in_


# ------------------------------------------------------------------ the model


def test_no_client_is_a_clear_error():  # first: before any test starts a client
    from distributed import default_client

    try:
        default_client()
        pytest.skip("a client of another test is still the default")
    except ValueError:
        pass
    with pytest.raises(ValueError, match="there is none in this process. Start one"):
        DaskSigmoidPerceptronClassifier().fit(*dask_arrays(X, y))


@pytest.mark.parametrize("case", ["binary", "multiclass", "weights", "newton-cholesky"])
def test_convex_fit_is_the_in_memory_fit(client, case):
    target = (y == 1).astype(int) if case == "binary" else y
    params = {"random_state": 0}
    weights = None
    if case == "weights":
        params["class_weight"] = "balanced"
        weights = w
    if case == "newton-cholesky":
        params["solver"] = "newton-cholesky"
    local, on_cluster = both(params, X, target, weights)
    assert_same_model(local, on_cluster)


def test_multilabel_fit_is_the_in_memory_fit(client):
    X_ml, Y = make_multilabel_classification(
        n_samples=600, n_features=6, n_classes=3, random_state=0
    )
    X_ml = (X_ml - X_ml.mean(axis=0)) / X_ml.std(axis=0)  # counts: scaled, a few iterations
    local, on_cluster = both({"random_state": 0}, X_ml, Y)
    assert_same_model(local, on_cluster)
    np.testing.assert_array_equal(
        on_cluster.predict(da.from_array(X_ml, chunks=100)).compute(), local.predict(X_ml)
    )


def test_hidden_layers_follow_the_in_memory_fit(client):
    # Not convex: the two fits round their sums in different orders, and the
    # trajectories part after enough iterations; over 25 they agree to 1e-10.
    params = {"hidden_layer_sizes": (6,), "random_state": 0, "max_iter": 25, "tol": None}
    local, on_cluster = both(params, X, y, w)
    assert_same_model(local, on_cluster, coef_rtol=1e-7)


def test_gd_loss_curve_is_the_in_memory_one(client):
    params = {"solver": "gd", "max_iter": 30, "tol": None, "random_state": 0}
    local, on_cluster = both(params, X, y)
    np.testing.assert_allclose(on_cluster.loss_curve_, local.loss_curve_, rtol=1e-12)


def test_sparse_chunks_train_as_the_sparse_fit(client):
    sparse = pytest.importorskip("scipy.sparse")
    X_sparse = sparse.random(1_200, 40, density=0.1, format="csr", random_state=0)
    target = (X_sparse @ np.linspace(-1, 1, 40) > 0).astype(int)
    dX = da.from_array(X_sparse, chunks=(CHUNKS, 40), asarray=False)
    on_cluster = DaskSigmoidPerceptronClassifier(random_state=0).fit(dX, target)
    local = SigmoidPerceptronClassifier(random_state=0).fit(X_sparse, target)
    assert_same_model(local, on_cluster)
    np.testing.assert_array_equal(on_cluster.predict(dX).compute(), local.predict(X_sparse))


def test_a_chunk_of_zero_weights_is_allowed(client):
    weights = np.ones(y.size)
    weights[:CHUNKS] = 0  # the first chunk holds only zeros
    local, on_cluster = both({"random_state": 0}, X, y, weights)
    assert_same_model(local, on_cluster)


def test_float32_trains_in_float32(client):
    X32 = X.astype(np.float32)
    local, on_cluster = both({"random_state": 0, "max_iter": 30, "tol": None}, X32, y)
    assert on_cluster.coefs_[0].dtype == np.float32
    assert on_cluster.loss_ == pytest.approx(local.loss_, rel=1e-5)


def test_warm_start_continues_the_cluster_fit(client):
    dX, dy = dask_arrays(X, y)
    params = {"solver": "gd", "max_iter": 5, "tol": None, "random_state": 0}
    clf = DaskSigmoidPerceptronClassifier(**params, warm_start=True).fit(dX, dy).fit(dX, dy)
    reference = SigmoidPerceptronClassifier(**params, warm_start=True).fit(X, y).fit(X, y)
    assert len(clf.loss_curve_) == 10
    np.testing.assert_allclose(clf.loss_curve_, reference.loss_curve_, rtol=1e-12)


def test_verbose_prints_each_epoch(client, capsys):
    dX, dy = dask_arrays(X, y)
    DaskSigmoidPerceptronClassifier(solver="gd", max_iter=3, tol=None, verbose=1).fit(dX, dy)
    assert capsys.readouterr().out.count("Epoch") == 3


# ------------------------------------------------------------- early stopping


def test_early_stopping_on_dask_validation_data_is_the_in_memory_one(client):
    X_val, y_val = X[:300] + 0.5, y[:300]
    params = {
        "solver": "gd",
        "early_stopping": True,
        "max_iter": 40,
        "random_state": 0,
        "n_iter_no_change": 5,
    }
    local = SigmoidPerceptronClassifier(**params).fit(X, y, X_val=X_val, y_val=y_val)
    dX, dy, dX_val, dy_val = dask_arrays(X, y, X_val, y_val, chunks=100)
    on_cluster = DaskSigmoidPerceptronClassifier(**params).fit(dX, dy, X_val=dX_val, y_val=dy_val)
    np.testing.assert_allclose(on_cluster.validation_scores_, local.validation_scores_, rtol=1e-12)
    assert on_cluster.n_iter_ == local.n_iter_
    # in-memory validation data is scattered once and scored the same way
    in_memory_val = DaskSigmoidPerceptronClassifier(**params).fit(dX, dy, X_val=X_val, y_val=y_val)
    assert in_memory_val.validation_scores_ == on_cluster.validation_scores_


def test_early_stopping_holds_out_a_share_of_each_chunk(client):
    dX, dy = dask_arrays(X, y)
    params = {"early_stopping": True, "random_state": 0, "validation_fraction": 0.2}
    clf = DaskSigmoidPerceptronClassifier(**params).fit(dX, dy)
    again = DaskSigmoidPerceptronClassifier(**params).fit(dX, dy)
    assert clf.validation_scores_ == again.validation_scores_  # seeded by random_state
    assert clf.best_validation_score_ > 0.7
    # about a fifth of the rows are held out: t_ counts the training rows
    n_train = clf.t_ / clf.n_iter_
    assert 0.75 * y.size < n_train < 0.85 * y.size


def test_bad_validation_data_gets_the_in_memory_errors(client):
    dX, dy = dask_arrays(X, y)
    clf = DaskSigmoidPerceptronClassifier(early_stopping=True)
    with pytest.raises(ValueError, match="y_val has labels \\[7\\]"):
        clf.fit(dX, dy, X_val=X[:10], y_val=np.full(10, 7))
    with pytest.raises(ValueError, match="X_val: X has 3 features"):
        clf.fit(dX, dy, X_val=X[:10, :3], y_val=y[:10])
    with pytest.raises(ValueError, match="y_val was not provided"):
        clf.fit(dX, dy, X_val=X[:10])


# ----------------------------------------------------------------- the inputs


def test_dataframe_with_unknown_chunk_sizes(client):
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    frame["label"] = y
    ddf = dd.from_pandas(frame, npartitions=4)
    ddf = ddf[ddf["f0"] > -100]  # a filter: the partitions' lengths are unknown
    features = ddf[[f"f{i}" for i in range(X.shape[1])]]
    clf = DaskSigmoidPerceptronClassifier(random_state=0).fit(features, ddf["label"])
    local = SigmoidPerceptronClassifier(random_state=0).fit(frame.drop(columns="label"), y)
    assert_same_model(local, clf)
    np.testing.assert_array_equal(clf.feature_names_in_, local.feature_names_in_)
    proba = clf.predict_proba(features)
    assert isinstance(proba, da.Array) and np.isnan(proba.shape[0])
    np.testing.assert_allclose(proba.compute(), local.predict_proba(frame.iloc[:, :-1]), rtol=1e-10)
    assert clf.score(features, ddf["label"]) == pytest.approx(local.score(frame.iloc[:, :-1], y))


def with_an_empty_chunk(kind):
    """X, y as dask collections one of whose chunks (partitions) has no rows, and
    the NumPy rows they hold."""
    keep = np.ones(y.size, dtype=bool)
    keep[CHUNKS : 2 * CHUNKS] = False  # the second chunk, all of it
    if kind == "array":
        dX, dy = dask_arrays(X, y)
        mask = da.from_array(keep, chunks=CHUNKS)
        return dX[mask], dy[mask], X[keep], y[keep]
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])]).assign(label=y)
    table = dd.from_pandas(frame.assign(keep=keep), chunksize=CHUNKS)
    table = table[table["keep"]].drop(columns="keep")
    return table.drop(columns="label"), table["label"], frame[keep].iloc[:, :-1], y[keep]


@pytest.mark.parametrize("kind", ["array", "dataframe"])
def test_an_empty_chunk_fits_answers_and_scores(client, kind):
    dX, dy, X_kept, y_kept = with_an_empty_chunk(kind)
    parts = dX.to_delayed()
    assert 0 in [len(part) for part in dask.compute(*np.ravel(np.asarray(parts, dtype=object)))]
    clf = DaskSigmoidPerceptronClassifier(random_state=0).fit(dX, dy)
    local = SigmoidPerceptronClassifier(random_state=0).fit(X_kept, y_kept)
    assert clf.loss_ == pytest.approx(local.loss_, rel=1e-10)
    for method in ("predict", "predict_proba", "predict_log_proba", "decision_function"):
        answer = getattr(clf, method)(dX).compute()
        np.testing.assert_allclose(answer, getattr(local, method)(X_kept), rtol=1e-6, atol=1e-9)
    assert clf.score(dX, dy) == pytest.approx(local.score(X_kept, y_kept))


@pytest.mark.parametrize("kind", ["array", "dataframe"])
def test_early_stopping_with_an_empty_chunk(client, kind):
    dX, dy, X_kept, y_kept = with_an_empty_chunk(kind)
    params = {"hidden_layer_sizes": (4,), "max_iter": 15, "random_state": 0}
    held_out = DaskSigmoidPerceptronClassifier(early_stopping=True, **params).fit(dX, dy)
    assert len(held_out.validation_scores_) == held_out.n_iter_
    given = DaskSigmoidPerceptronClassifier(early_stopping=True, **params)
    given.fit(dX, dy, X_val=dX, y_val=dy)
    # the weights returned are the best epoch's: they score its score on X_val
    assert given.score(X_kept, y_kept) == pytest.approx(given.best_validation_score_, abs=1e-12)


@pytest.mark.parametrize("weight", [2.0, 3])
def test_a_scalar_sample_weight_is_every_rows_weight_as_in_memory(client, weight):
    dX, dy = dask_arrays(X, y)
    scalar = DaskSigmoidPerceptronClassifier(random_state=0).fit(dX, dy, weight)
    assert_same_model(SigmoidPerceptronClassifier(random_state=0).fit(X, y, weight), scalar)


@pytest.mark.parametrize(
    "problem, match",
    [
        ("numpy y too short", "inconsistent numbers of samples: \\[1200, 1199\\]"),
        ("numpy weight too short", "sample_weight.shape == \\(1199,\\), expected \\(1200,\\)"),
        ("nan weight", "(?i)sample_weight.* (NaN|infinity)"),
        ("multilabel class_weight", "class_weight is not supported for multilabel"),
        ("negative class_weight", "class_weight must map each class to a finite, non-negative"),
        ("y_val label", "y_val has labels \\[7\\] that were not declared"),
    ],
)
def test_more_bad_input_gets_the_in_memory_error(client, problem, match):
    """Each case raised by the in-memory fit and by the cluster fit, same words."""
    X_bad, y_bad, w_bad, params, fit_params = X, y, None, {}, {}
    if problem == "numpy y too short":
        y_bad = y[:-1]
    elif problem == "numpy weight too short":
        w_bad = w[:-1]
    elif problem == "nan weight":
        w_bad = w.copy()
        w_bad[3] = np.nan
    elif problem == "multilabel class_weight":
        y_bad = np.stack([y == 0, y == 1], axis=1).astype(int)
        params = {"class_weight": "balanced"}
    elif problem == "negative class_weight":
        params = {"class_weight": {0: 1.0, 1: -1.0, 2: 1.0}}
    elif problem == "y_val label":
        params = {"early_stopping": True}
        y_val = y[:100].copy()
        y_val[0] = 7
        fit_params = {"X_val": X[:100], "y_val": y_val}
    with pytest.raises(ValueError, match=match):
        SigmoidPerceptronClassifier(**params).fit(X_bad, y_bad, w_bad, **fit_params)
    (dX,) = dask_arrays(X_bad)
    dy = y_bad if problem == "numpy y too short" else dask_arrays(y_bad)[0]
    dw = w_bad if problem == "numpy weight too short" else dask_arrays(w_bad)[0]
    clf = DaskSigmoidPerceptronClassifier(**params)
    with pytest.raises(ValueError, match=match):
        clf.fit(dX, dy, dw, **fit_params)
    assert not hasattr(clf, "coefs_")
    assert not left_by_fits(client)


@pytest.mark.parametrize(
    "problem, match",
    [
        ("nan", "Input X contains NaN"),
        ("inf", "Input X contains infinity"),
        ("continuous", "Unknown label type: continuous"),
        ("one class", "contains only one class"),
        ("negative weight", "Negative values in data passed to `sample_weight`"),
        ("zero weights", "(?i)sample.weights? must contain at least one non-zero number"),
        ("lengths", "inconsistent numbers of samples: \\[1200, 1199\\]"),
        ("1-D X", "Expected 2D array"),
    ],
)
def test_bad_input_gets_the_in_memory_error(client, problem, match):
    X_bad, y_bad, w_bad = X.copy(), y.copy(), None
    if problem == "nan":
        X_bad[700, 3] = np.nan
    elif problem == "inf":
        X_bad[700, 3] = np.inf
    elif problem == "continuous":
        y_bad = y + 0.5 * np.random.default_rng(0).random(y.size)
    elif problem == "one class":
        y_bad = np.zeros_like(y)
    elif problem == "negative weight":
        w_bad = np.ones(y.size)
        w_bad[900] = -1
    elif problem == "zero weights":
        w_bad = np.zeros(y.size)
    elif problem == "lengths":
        y_bad = y[:-1]
    elif problem == "1-D X":
        X_bad = X[:, 0]
    if problem != "1-D X":
        with pytest.raises(ValueError, match=match):
            SigmoidPerceptronClassifier().fit(X_bad, y_bad, w_bad)
    clf = DaskSigmoidPerceptronClassifier()
    dX = da.from_array(X_bad, chunks=CHUNKS)
    dy = da.from_array(y_bad, chunks=CHUNKS)
    dw = None if w_bad is None else da.from_array(w_bad, chunks=CHUNKS)
    with pytest.raises(ValueError, match=match):
        clf.fit(dX, dy, dw)
    assert not hasattr(clf, "coefs_")
    assert not left_by_fits(client)  # nothing of the failed fit is left


@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_minibatch_solvers_name_incremental(client, solver):
    with pytest.raises(ValueError, match="dask_ml.wrappers.Incremental"):
        DaskSigmoidPerceptronClassifier(solver=solver).fit(*dask_arrays(X, y))
    with pytest.raises(TypeError, match="dask_ml.wrappers.Incremental"):
        DaskSigmoidPerceptronClassifier(solver=solver).partial_fit(
            *dask_arrays(X, y), classes=[0, 1, 2]
        )


def test_fit_releases_everything_it_persisted(client):
    dX, dy = client.persist(dask_arrays(X, y))  # the user's persisted data stay
    wait([dX, dy])
    keys = cluster_keys(client)
    DaskSigmoidPerceptronClassifier(early_stopping=True, random_state=0).fit(dX, dy)
    assert not left_by_fits(client)
    assert keys <= cluster_keys(client)


def test_a_failed_fit_leaves_the_estimator_as_it_was(client):
    dX, dy = dask_arrays(X, y)
    clf = DaskSigmoidPerceptronClassifier(random_state=0).fit(dX, dy)
    before = pickle.dumps(clf)
    X_bad = X.copy()
    X_bad[5, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        clf.fit(da.from_array(X_bad, chunks=CHUNKS), dy)
    assert pickle.dumps(clf) == before


# ----------------------------------------------------------------- the answers


@pytest.mark.parametrize(
    "method", ["predict", "predict_proba", "predict_log_proba", "decision_function"]
)
def test_answers_are_lazy_and_equal_to_numpys(client, method):
    dX, dy = dask_arrays(X, y)
    clf = DaskSigmoidPerceptronClassifier(random_state=0).fit(dX, dy)
    answer = getattr(clf, method)(dX)
    assert isinstance(answer, da.Array)
    expected = getattr(clf.to_local(), method)(X)
    assert answer.shape == expected.shape and answer.dtype == expected.dtype
    np.testing.assert_array_equal(answer.compute(), expected)
    np.testing.assert_array_equal(getattr(clf, method)(X), expected)  # NumPy in, NumPy out


def test_score_on_dask_and_numpy(client):
    dX, dy, dw = dask_arrays(X, y, w)
    clf = DaskSigmoidPerceptronClassifier(random_state=0).fit(dX, dy)
    assert clf.score(dX, dy, dw) == pytest.approx(clf.score(X, y, w), rel=1e-12)
    assert clf.score(dX, dy) == clf.score(X, y)


def test_to_local_pickle_and_skops(client, tmp_path):
    skops_io = pytest.importorskip("skops.io")
    dX, dy = dask_arrays(X, y)
    clf = DaskSigmoidPerceptronClassifier(random_state=0).fit(dX, dy)
    local = clf.to_local()
    assert type(local) is SigmoidPerceptronClassifier
    assert local.get_params() == SigmoidPerceptronClassifier(**clf.get_params()).get_params()
    np.testing.assert_array_equal(local.predict_proba(X), clf.predict_proba(X))
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    path = tmp_path / "model.skops"
    skops_io.dump(local, path)
    loaded = skops_io.load(path, trusted=skops_io.get_untrusted_types(file=path))
    np.testing.assert_array_equal(loaded.predict(X), clf.predict(X))


def test_the_plain_estimator_warns_that_it_gathers_dask_data(client):
    dX, dy = dask_arrays(X, y)
    with pytest.warns(UserWarning, match="gathers all of it.*DaskSigmoidPerceptronClassifier"):
        SigmoidPerceptronClassifier(max_iter=5, tol=None).fit(dX, dy)


def test_incremental_blocks_stay_silent(client):
    incremental = pytest.importorskip("dask_ml.wrappers").Incremental
    dX, dy = dask_arrays(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        model = incremental(SigmoidPerceptronClassifier(solver="adam", random_state=0))
        model.fit(dX, dy, classes=[0, 1, 2])
    assert model.estimator_.t_ == y.size


# ------------------------------------------------------------- on processes


def test_bitwise_reproducible_on_processes(process_client):
    dX, dy, dw = dask_arrays(X, y, w)
    params = {"hidden_layer_sizes": (5,), "max_iter": 30, "random_state": 0, "tol": None}
    first = DaskSigmoidPerceptronClassifier(**params).fit(dX, dy, dw)
    second = DaskSigmoidPerceptronClassifier(**params).fit(dX, dy, dw)
    assert first.loss_curve_ == second.loss_curve_
    for a, b in zip(first.coefs_, second.coefs_):
        np.testing.assert_array_equal(a, b)


def test_no_X_bytes_cross_between_workers(process_client):
    # y's chunks may move once to meet X's when the targets are encoded; X's never
    dX, dy = process_client.persist(dask_arrays(X, y))
    wait([dX, dy])

    def received(dask_worker):
        return [key for entry in dask_worker.transfer_incoming_log for key in entry["keys"]]

    before = process_client.run(received)
    DaskSigmoidPerceptronClassifier(random_state=0, max_iter=50).fit(dX, dy)
    after = process_client.run(received)
    moved = [key for worker, keys in after.items() for key in keys[len(before[worker]) :]]
    assert not [key for key in moved if dX.name in str(key)]
    assert len(moved) <= len(dy.chunks[0])


def test_a_worker_killed_mid_fit_changes_nothing(process_client):
    callback = pytest.importorskip("sklearn.callback", reason="scikit-learn < 1.9")
    del callback
    dX, dy = dask_arrays(X, y)
    params = {"solver": "gd", "max_iter": 20, "tol": None, "random_state": 0}
    undisturbed = DaskSigmoidPerceptronClassifier(**params).fit(dX, dy)
    victim = sorted(process_client.run(os.getpid).values())[0]

    class KillAWorker:
        max_propagation_depth = None

        def setup(self, estimator, context):
            pass

        def teardown(self, estimator, context):
            pass

        def on_fit_task_begin(self, estimator, context, *, X=None, y=None, metadata=None):
            pass

        def on_fit_task_end(self, estimator, context, *, metadata=None, fitted_estimator=None):
            if context.task_name == "epoch" and context.task_id == 5:
                os.kill(victim, signal.SIGKILL)
            return False

    disturbed = DaskSigmoidPerceptronClassifier(**params).set_callbacks(KillAWorker())
    disturbed.fit(dX, dy)
    assert victim not in process_client.run(os.getpid).values()
    assert disturbed.loss_curve_ == undisturbed.loss_curve_
    np.testing.assert_array_equal(disturbed.coefs_[0], undisturbed.coefs_[0])


def fit_within(seconds, fit):
    """``fit()``'s result, or its exception; a failure if it has not ended within
    ``seconds`` (it runs in a daemon thread, which a hung fit cannot keep alive)."""
    outcome = {}

    def run():
        try:
            outcome["result"] = fit()
        except BaseException as error:  # handed to the test
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"the fit did not end within {seconds} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def kill_a_worker_when(monkeypatch, client, phase):
    """Kill one worker process (SIGKILL; its nanny starts another) once the fit
    reaches ``phase``; returns the list the killed pid is put in."""
    from sk_backprop.dask import _chunks, _cluster, _data

    killed = []

    def kill():
        if not killed:
            killed.append(sorted(client.run(os.getpid).values())[0])
            os.kill(killed[0], signal.SIGKILL)

    if phase in ("checks", "encoding"):
        original = _chunks.ChunkSet.transform if phase == "encoding" else None
        if phase == "checks":
            compute = _chunks.ChunkSet.compute.__func__

            def computed(cls, *args, **kwargs):
                chunks = compute(cls, *args, **kwargs)
                kill()
                return chunks

            monkeypatch.setattr(_chunks.ChunkSet, "compute", classmethod(computed))
        else:

            def transformed(self, function, **kwargs):
                chunks = original(self, function, **kwargs)
                if function is _cluster.encode_part:
                    kill()
                return chunks

            monkeypatch.setattr(_chunks.ChunkSet, "transform", transformed)
        return killed
    target, at = {
        "first evaluation": (_data.ClusterObjective, 1),
        "mid-fit": (_data.ClusterObjective, 6),
        "validation": (_data.ClusterValidation, 3),
    }[phase]
    name = "score" if target is _data.ClusterValidation else "__call__"
    original = getattr(target, name)
    calls = []

    def counted(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == at:
            kill()
        return original(self, *args, **kwargs)

    monkeypatch.setattr(target, name, counted)
    return killed


def data_of_origin(client, origin):
    """X and y as dask collections of one origin: computed from a graph when needed,
    persisted first, a DataFrame, or scattered (futures with no graph behind them)."""
    if origin == "graph":
        return dask_arrays(X, y)
    if origin == "persisted":
        dX, dy = client.persist(dask_arrays(X, y))
        wait([dX, dy])
        return dX, dy
    if origin == "dataframe":
        frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])]).assign(label=y)
        table = client.persist(dd.from_pandas(frame, npartitions=5))
        return table.drop(columns="label"), table["label"]
    rows = range(0, y.size, CHUNKS)
    X_parts = client.scatter([X[i : i + CHUNKS] for i in rows])
    y_parts = client.scatter([y[i : i + CHUNKS] for i in rows])
    shapes = [min(CHUNKS, y.size - i) for i in rows]
    dX = da.concatenate(
        [da.from_delayed(p, shape=(n, X.shape[1]), dtype=X.dtype) for p, n in zip(X_parts, shapes)]
    )
    dy = da.concatenate(
        [da.from_delayed(p, shape=(n,), dtype=y.dtype) for p, n in zip(y_parts, shapes)]
    )
    return dX, dy


PHASES = ["checks", "encoding", "first evaluation", "mid-fit", "validation"]
UNDISTURBED = {}  # (a DataFrame, early stopping) -> the fit no worker was lost in
WORKER_LOSS = [(phase, origin) for phase in PHASES for origin in ("graph", "persisted")] + [
    ("mid-fit", "dataframe"),
    ("checks", "scattered"),
    ("mid-fit", "scattered"),
]


@pytest.fixture
def fresh_process_client():
    """A cluster of two worker processes of this test's own: a test that kills a
    worker depends on no earlier test's restarts."""
    with local_client(processes=True) as client:
        yield client


@pytest.mark.parametrize("phase, origin", WORKER_LOSS)
def test_a_worker_lost_at_any_phase_changes_nothing_or_says_why(
    fresh_process_client, monkeypatch, phase, origin
):
    """Recomputable data: the fit ends as undisturbed, to the bit. Scattered data: an
    error that names the worker that left. Never a wait without end."""
    process_client = fresh_process_client
    params = {
        "solver": "gd",
        "max_iter": 12,
        "tol": None,
        "random_state": 0,
        "early_stopping": phase == "validation",
    }
    dX, dy = data_of_origin(process_client, origin)
    killed = kill_a_worker_when(monkeypatch, process_client, phase)
    if origin == "scattered":
        with pytest.raises(RuntimeError, match="left the cluster with chunks of the data that"):
            fit_within(60, lambda: DaskSigmoidPerceptronClassifier(**params).fit(dX, dy))
        assert killed
        return
    disturbed = fit_within(60, lambda: DaskSigmoidPerceptronClassifier(**params).fit(dX, dy))
    assert killed  # the worker was lost during this fit
    monkeypatch.undo()
    key = (origin == "dataframe", phase == "validation")  # the same chunks, the same fit
    if key not in UNDISTURBED:
        UNDISTURBED[key] = fit_within(
            60, lambda: DaskSigmoidPerceptronClassifier(**params).fit(dX, dy)
        )
    assert disturbed.loss_curve_ == UNDISTURBED[key].loss_curve_
    np.testing.assert_array_equal(disturbed.coefs_[0], UNDISTURBED[key].coefs_[0])


def test_X_larger_than_a_worker_memory_trains():
    psutil = pytest.importorskip("psutil")
    # 1.2 GB over 3 workers that may hold 1 GiB each, of which their imports take
    # 210-250 MB and their share of X 400 MB: a margin for the temporaries
    n_rows, n_features = 1_500_000, 100
    no_spilling = {
        f"distributed.worker.memory.{name}": False for name in ("target", "spill", "pause")
    }
    with (
        dask.config.set(no_spilling),
        LocalCluster(
            n_workers=3,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            memory_limit="1GiB",
        ) as cluster,
        Client(cluster) as client,
    ):
        spill = client.run(lambda dask_worker: dask_worker.memory_manager.memory_spill_fraction)
        assert set(spill.values()) == {False}
        rng = da.random.default_rng(0)
        X_big = rng.standard_normal((n_rows, n_features), chunks=(25_000, n_features))
        y_big = (X_big[:, 0] + 0.5 * X_big[:, 1] > 0).astype(int)
        assert X_big.nbytes > 2**30
        client_memory = psutil.Process().memory_info().rss
        clf = DaskSigmoidPerceptronClassifier(max_iter=5, tol=None).fit(X_big, y_big)
        growth = psutil.Process().memory_info().rss - client_memory
    assert clf.n_iter_ == 5 and np.isfinite(clf.loss_)
    assert growth < 0.05 * X_big.nbytes
