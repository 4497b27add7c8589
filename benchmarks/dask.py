"""DaskSigmoidPerceptronClassifier against one machine and against dask-ml.

    python benchmarks/dask.py [n_rows] [repeats]

On a LocalCluster of 1 and then 2 worker processes (one thread each; the data
generated on the workers and persisted, in 4 chunks per worker):

(a) one evaluation of the objective and its gradient on the cluster
    (``ClusterObjective``: theta out, one pinned task per worker, the per-chunk
    sums back) against the same evaluation in memory (``ArrayObjective``, one
    BLAS thread), medians of ``repeats``, at 20,000 rows and at ``n_rows``;
(b) the time to the optimum of the same problem (logistic regression, 50 features,
    alpha = 1 / (C n) with C = 1) by the Dask estimator (lbfgs), the in-memory
    estimator (lbfgs), dask-ml's ``LogisticRegression(solver="lbfgs")`` on the same
    dask arrays and scikit-learn's ``LogisticRegression`` (lbfgs) in memory, with
    the objective ``J`` each reached (ours, evaluated on all rows: dask-ml also
    penalises the intercept, so its optimum is not J's).

The machine's load is printed first; the numbers are one run's (b) and medians
of ``repeats`` for (a).
"""

import os
import sys
import time
import warnings
from statistics import median

import numpy as np

# This file is named dask.py, and Python puts its folder first on the path: without
# this, `import dask` would import this file.
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [path for path in sys.path if os.path.abspath(path or os.curdir) != HERE]

N_FEATURES = 50


def data(client, n_rows, n_workers):
    import dask.array as da

    rng = da.random.default_rng(0)
    chunks = (-(-n_rows // (4 * n_workers)), N_FEATURES)
    X = rng.standard_normal((n_rows, N_FEATURES), chunks=chunks)
    beta = np.linspace(-1, 1, N_FEATURES)
    noise = rng.logistic(size=n_rows, chunks=chunks[0])
    y = (X @ beta + noise > 0).astype(int)
    X, y = client.persist([X, y])
    from distributed import wait

    wait([X, y])
    return X, y


def objective_value(theta_coef, intercept, X, y, alpha):
    """J of a logistic model (coef, intercept) on all of X, y (in memory)."""
    from sk_backprop._core.layout import Layout
    from sk_backprop._core.objective import ArrayObjective

    layout = Layout.from_sizes(X.shape[1], (), 1, True)
    theta = layout.pack(
        [np.asarray(theta_coef).reshape(-1, 1)], [np.atleast_1d(intercept)], np.float64
    )
    objective = ArrayObjective(X, y, np.ones(y.size), layout=layout, loss="log_loss", alpha=alpha)
    return objective(theta)[0]


def evaluation_times(client, X, y, X_local, y_local, repeats):
    """Seconds of one evaluation on the cluster and in memory (one BLAS thread)."""
    from threadpoolctl import threadpool_limits

    from sk_backprop._core.layout import Layout, initial_theta
    from sk_backprop._core.objective import ArrayObjective
    from sk_backprop.dask import DaskSigmoidPerceptronClassifier
    from sk_backprop.dask._data import ClusterData

    data = ClusterData(DaskSigmoidPerceptronClassifier(), X, y, None, reset=True)
    try:
        data.encode(data.label_binarizer(), None)
        layout = Layout.from_sizes(N_FEATURES, (), 1, True)
        cluster = data.objective(layout, "log_loss", 1e-4)
        theta = initial_theta(layout, np.random.RandomState(0), np.float64)
        cluster(theta)  # warm
        on_cluster = []
        for _ in range(repeats):
            start = time.perf_counter()
            cluster(theta)
            on_cluster.append(time.perf_counter() - start)
    finally:
        data.release()
    local = ArrayObjective(
        X_local, y_local, np.ones(y_local.size), layout=layout, loss="log_loss", alpha=1e-4
    )
    in_memory = []
    with threadpool_limits(1, user_api="blas"):
        for _ in range(repeats):
            start = time.perf_counter()
            local(theta)
            in_memory.append(time.perf_counter() - start)
    return median(on_cluster), median(in_memory)


def timed(fit):
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = fit()
    return model, time.perf_counter() - start


def time_to_optimum(client, X, y, X_local, y_local):
    from dask_ml.linear_model import LogisticRegression as DaskMLLogisticRegression
    from sklearn.linear_model import LogisticRegression

    from sk_backprop import SigmoidPerceptronClassifier
    from sk_backprop.dask import DaskSigmoidPerceptronClassifier

    n = y_local.size
    C = 1.0
    alpha = 1 / (C * n)
    rows = []
    ours, seconds = timed(
        lambda: DaskSigmoidPerceptronClassifier(alpha=alpha, tol=1e-6, max_iter=500).fit(X, y)
    )
    rows.append(("ours on the cluster (lbfgs)", seconds, ours.loss_))
    local, seconds = timed(
        lambda: SigmoidPerceptronClassifier(alpha=alpha, tol=1e-6, max_iter=500).fit(
            X_local, y_local
        )
    )
    rows.append(("ours in memory (lbfgs)", seconds, local.loss_))
    dask_ml, seconds = timed(
        lambda: DaskMLLogisticRegression(C=C, solver="lbfgs", max_iter=500).fit(X, y)
    )
    rows.append(
        (
            "dask-ml LogisticRegression (lbfgs)",
            seconds,
            objective_value(dask_ml.coef_, dask_ml.intercept_, X_local, y_local, alpha),
        )
    )
    sklearn, seconds = timed(
        lambda: LogisticRegression(C=C, max_iter=500, tol=1e-6).fit(X_local, y_local)
    )
    rows.append(
        (
            "scikit-learn LogisticRegression (lbfgs)",
            seconds,
            objective_value(sklearn.coef_, sklearn.intercept_, X_local, y_local, alpha),
        )
    )
    return rows


def main():
    from distributed import Client, LocalCluster

    n_rows = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    print(
        f"load average: {os.getloadavg()}, {os.cpu_count()} CPUs; n_rows={n_rows:,}, "
        f"{N_FEATURES} features"
    )
    for n_workers in (1, 2):
        with (
            LocalCluster(
                n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=":0"
            ) as cluster,
            Client(cluster) as client,
        ):
            print(f"\n## {n_workers} worker(s) x 1 thread\n")
            print("| rows | one evaluation on the cluster | in memory, 1 BLAS thread | overhead |")
            print("|---|---|---|---|")
            for rows in (20_000, n_rows):
                X, y = data(client, rows, n_workers)
                # gathered arrays may start at any byte, and misaligned data make NumPy
                # and BLAS several times slower: the in-memory fits get aligned copies
                X_local, y_local = (np.array(a) for a in client.compute([X, y], sync=True))
                cluster_s, memory_s = evaluation_times(client, X, y, X_local, y_local, repeats)
                print(
                    f"| {rows:,} | {1000 * cluster_s:.1f} ms | {1000 * memory_s:.1f} ms | "
                    f"{1000 * (cluster_s - memory_s):+.1f} ms |"
                )
            print("\n| fit | seconds | J reached |\n|---|---|---|")
            for name, seconds, value in time_to_optimum(client, X, y, X_local, y_local):
                print(f"| {name} | {seconds:.2f} | {value:.10f} |")
            del X_local, y_local


if __name__ == "__main__":
    main()
