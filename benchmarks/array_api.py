"""The classifier on NumPy, PyTorch CPU and PyTorch CUDA arrays, side by side.

    SCIPY_ARRAY_API=1 python benchmarks/array_api.py              # 1,000,000 x 100
    SCIPY_ARRAY_API=1 python benchmarks/array_api.py --rows 200000 --repeats 3

float32 data, 1 and 10 outputs (binary and 10 classes), no hidden layer and 64 hidden
units. For each array library (PyTorch rows only where torch is installed; CUDA rows
only where a GPU is):

* epoch: one evaluation of the objective and its gradient on all rows (what one
  ``gd`` epoch or L-BFGS iteration costs), median of ``--repeats``;
* adam epoch: one pass of ``solver="adam"`` in mini-batches of 4,096 rows;
* to optimum: a ``solver="lbfgs"`` fit at ``tol=1e-4`` (no hidden layer), and
  LogisticRegression (lbfgs, the same namespace, C matched to alpha) beside it.

Ratios are to the NumPy row of the same table, measured in this process. The
machine, the threads (BLAS and torch) and the load are printed first.
"""

import argparse
import os
import platform
import statistics
import sys
import time
import warnings

os.environ.setdefault("SCIPY_ARRAY_API", "1")  # before scipy and scikit-learn load

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

from sk_backprop import SigmoidPerceptronClassifier  # noqa: E402
from sk_backprop._core.layout import Layout, initial_theta  # noqa: E402
from sk_backprop._core.objective import ArrayObjective  # noqa: E402

ALPHA = 1e-4


def data(rows, features, n_classes, seed=0):
    """float32 rows with labels from a noisy linear model (learnable, not separable)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((rows, features), dtype=np.float32)
    W = rng.standard_normal((features, n_classes), dtype=np.float32) / np.sqrt(features)
    scores = X @ W + rng.standard_normal((rows, n_classes), dtype=np.float32)
    y = (scores[:, 0] > 0).astype(np.int64) if n_classes == 1 else scores.argmax(axis=1)
    return X, y


def backends():
    """(name, to_array) for each available library and device."""
    found = [("numpy", lambda a: a)]
    try:
        import torch
    except ImportError:
        return found
    found.append(("torch-cpu", lambda a: torch.asarray(a, device="cpu")))
    if torch.cuda.is_available():
        found.append(("torch-cuda", lambda a: torch.asarray(a, device="cuda")))
    return found


def synchronise(name):
    if name == "torch-cuda":
        import torch

        torch.cuda.synchronize()


def median_seconds(function, repeats, name):
    times = []
    for _ in range(repeats):
        synchronise(name)
        start = time.perf_counter()
        function()
        synchronise(name)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def epoch_seconds(name, X, y, hidden, repeats):
    """One evaluation of J and its gradient on every row (the estimator's own Objective)."""
    n_outputs = 1 if y.max() == 1 else int(y.max()) + 1
    layout = Layout.from_sizes(X.shape[1], hidden, n_outputs, True)
    theta = initial_theta(layout, np.random.RandomState(0), np.float32)
    targets = np.asarray(y)
    weights = np.ones(X.shape[0], dtype=np.float32)
    with sklearn.config_context(array_api_dispatch=True):
        objective = ArrayObjective(X, targets, weights, layout=layout, loss="log_loss", alpha=ALPHA)
        objective(theta)  # warm-up (kernels, allocator)
        return median_seconds(lambda: objective(theta), repeats, name)


def fit_seconds(name, make, X, y, repeats):
    with sklearn.config_context(array_api_dispatch=True), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return median_seconds(lambda: make().fit(X, y), repeats, name)


def _fmt(seconds):
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--fit-repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    arguments = parser.parse_args(argv)

    try:
        import torch

        torch.set_num_threads(arguments.threads)
        torch_line = f"torch {torch.__version__}, {torch.get_num_threads()} threads, CUDA: " + (
            torch.cuda.get_device_name() if torch.cuda.is_available() else "none"
        )
    except ImportError:
        torch_line = "torch not installed: NumPy rows only"
    blas = ", ".join(f"{p['internal_api']} {p.get('version')}" for p in threadpool_info())
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.2f}; Python {sys.version.split()[0]}, numpy "
        f"{np.__version__}, scikit-learn {sklearn.__version__}; BLAS {blas}, "
        f"{arguments.threads} threads; {torch_line}"
    )
    print(f"data: {arguments.rows:,} x {arguments.features} float32")

    with threadpool_limits(arguments.threads):
        for n_classes in (1, 10):
            X_np, y_np = data(arguments.rows, arguments.features, n_classes)
            C = 1 / (ALPHA * arguments.rows)
            rows = []
            base = {}
            for name, to_array in backends():
                X, y = to_array(X_np), to_array(y_np)
                measured = {
                    "epoch": epoch_seconds(name, X, y_np, (), arguments.repeats),
                    "epoch, 64 hidden": epoch_seconds(name, X, y_np, (64,), arguments.repeats),
                    "adam epoch": fit_seconds(
                        name,
                        lambda: SigmoidPerceptronClassifier(
                            solver="adam",
                            batch_size=4096,
                            max_iter=1,
                            tol=None,
                            alpha=ALPHA,
                            random_state=0,
                        ),
                        X,
                        y,
                        arguments.fit_repeats,
                    ),
                    "lbfgs to optimum": fit_seconds(
                        name,
                        lambda: SigmoidPerceptronClassifier(alpha=ALPHA, max_iter=500),
                        X,
                        y,
                        arguments.fit_repeats,
                    ),
                    "LogisticRegression": fit_seconds(
                        name,
                        lambda: LogisticRegression(C=C, max_iter=500),
                        X,
                        y,
                        arguments.fit_repeats,
                    ),
                }
                base = base or measured
                rows.append((name, measured))
            outputs = "1 output (binary)" if n_classes == 1 else "10 outputs (10 classes)"
            columns = list(rows[0][1])
            print(f"\n### {outputs}: seconds (ratio to NumPy)\n")
            print("| arrays | " + " | ".join(columns) + " |")
            print("|---|" + "---|" * len(columns))
            for name, measured in rows:
                cells = [f"{_fmt(measured[c])} ({measured[c] / base[c]:.2f})" for c in columns]
                print(f"| {name} | " + " | ".join(cells) + " |")
            del X_np


if __name__ == "__main__":
    main()
