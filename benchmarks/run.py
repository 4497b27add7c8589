"""Benchmarks of sk_backprop against its peers, run side by side in one process.

    python benchmarks/run.py            # the full run (about 15 minutes on 2 cores)
    python benchmarks/run.py --quick    # smaller data, fewer repeats (under 2 minutes)
    python benchmarks/run.py --threads 1
    python benchmarks/run.py --threads 1,2 --sections ab   # both, side by side

Every figure is a ratio of medians over repeats measured in this run, so machines
and loads can be compared only through the ratios. It prints the machine, the BLAS,
the thread count and the load, and warns when another process competed for the CPU.

(a) epoch time of solver="gd" against the plain two-product NumPy epoch and one
    streaming read of X (with a hidden layer of 64, against that network's two
    products with X, X @ W1 and X.T @ D1: its limit is their arithmetic, not memory);
    (b) time to the optimum of J (docs/contract.md) to 1e-4 relative against LogisticRegression with
    each of its solvers (and PyTorch's full-batch L-BFGS when torch is installed);
    (c) time to 99.5% of LogisticRegression's test accuracy; (d) peak memory of a fit
    above X's own size; (e) default against default, as a user compares them
    (benchmarks/defaults.py: CPU seconds, with the processor and its caches).
"""

import argparse
import os
import platform
import statistics
import sys
import time
import tracemalloc
import warnings

import numpy as np
from defaults import defaults_table  # benchmarks/defaults.py, beside this script
from scipy import sparse
from sklearn.datasets import load_breast_cancer, load_digits, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.model_selection import train_test_split
from sklearn.multiclass import OneVsRestClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import LabelBinarizer, StandardScaler
from threadpoolctl import threadpool_info, threadpool_limits

from sk_backprop import SigmoidPerceptronClassifier
from sk_backprop._core.layout import Layout
from sk_backprop._core.objective import objective_and_gradient

ALPHA = 1e-3  # the objective's penalty in (b); LogisticRegression's C is matched to it
# LogisticRegression's solvers in (b), one-vs-rest for multiclass as our outputs are
LR_SOLVERS = ("lbfgs", "newton-cholesky", "newton-cg", "liblinear", "sag", "saga")
# A solver whose single fit takes longer than this is not tried at tighter tolerances.
FIT_BUDGET_SECONDS = 60


def median_seconds(function, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def table(title, header, rows):
    print(f"\n### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


# --------------------------------------------------------------- (a) epochs


def epoch_table(sizes, repeats):
    rows = []
    rng = np.random.RandomState(0)
    for n_samples in sizes:
        for dtype in (np.float64, np.float32):
            X = rng.standard_normal((n_samples, 100)).astype(dtype)
            read = median_seconds(lambda: X.sum(), repeats)
            for n_outputs in (1, 10):
                y = _linear_labels(X, n_outputs, rng)
                W = rng.standard_normal((100, n_outputs)).astype(dtype) * 0.01
                plain = median_seconds(lambda: X.T @ (X @ W), repeats)
                ours = _gd_epoch_seconds(X, y, repeats, learning_rate=0.1)
                auto, evaluations = _line_search_epoch(X, y)
                rows.append(
                    [
                        f"{n_samples:,} x 100",
                        dtype.__name__,
                        str(n_outputs),
                        f"{read * 1e3:.1f}",
                        f"{plain * 1e3:.1f}",
                        f"{ours * 1e3:.1f}",
                        f"{ours / read:.2f}",
                        f"{ours / plain:.2f}",
                        f"{auto / ours:.2f}",
                        f"{evaluations:.2f}",
                    ]
                )
            # a hidden layer of 64, one output: the two products with X dominate
            y = _linear_labels(X, 1, rng)
            W1 = rng.standard_normal((100, 64)).astype(dtype) * 0.01
            D1 = rng.standard_normal((n_samples, 64)).astype(dtype)
            plain = median_seconds(lambda: (X @ W1, X.T @ D1), repeats)  # noqa: F821 (del'd later)
            ours = _gd_epoch_seconds(X, y, repeats, learning_rate=0.1, hidden=(64,))
            rows.append(
                [
                    f"{n_samples:,} x 100",
                    dtype.__name__,
                    "1, hidden 64",
                    f"{read * 1e3:.1f}",
                    f"{plain * 1e3:.1f}",
                    f"{ours * 1e3:.1f}",
                    f"{ours / read:.2f}",
                    f"{ours / plain:.2f}",
                    "",
                    "",
                ]
            )
            del D1
    table(
        "(a) one epoch of solver='gd' (ms; ratios of medians)",
        [
            "X",
            "dtype",
            "outputs",
            "read X",
            "plain 2 products",
            "gd epoch",
            "gd / read",
            "gd / plain",
            "auto / fixed step",
            "evaluations per auto epoch",
        ],
        rows,
    )


def _linear_labels(X, n_outputs, rng):
    """Labels a linear model explains, with noise: something to learn, as in real data
    (random labels leave a flat objective whose line search sees only rounding)."""
    scores = X[:, :20] @ rng.standard_normal((20, max(n_outputs, 2)))
    scores += 2 * rng.standard_normal(scores.shape)
    return scores.argmax(axis=1) if n_outputs > 1 else (scores[:, 0] > 0).astype(int)


def _gd_epoch_seconds(X, y, repeats, learning_rate, hidden=()):
    """Per-epoch time of fit, with the one-off validation and set-up subtracted."""

    def fit(epochs):
        SigmoidPerceptronClassifier(
            hidden,
            solver="gd",
            learning_rate=learning_rate,
            max_iter=epochs,
            tol=None,
            alpha=0.0,
            random_state=0,
        ).fit(X, y)

    return (median_seconds(lambda: fit(6), repeats) - median_seconds(lambda: fit(1), repeats)) / 5


def _line_search_epoch(X, y):
    counter = {"calls": 0}
    from sk_backprop._core import objective as _objective

    original = _objective.objective_and_gradient

    def counting(*args, **kwargs):
        counter["calls"] += 1
        return original(*args, **kwargs)

    clf = SigmoidPerceptronClassifier(solver="gd", max_iter=20, tol=None)
    _objective.objective_and_gradient = counting
    try:
        start = time.perf_counter()
        clf.fit(X, y)
        seconds = time.perf_counter() - start
    finally:
        _objective.objective_and_gradient = original
    return seconds / clf.n_iter_, counter["calls"] / clf.n_iter_


# ------------------------------------------------------------ data for (b), (c)


def datasets(quick):
    sets = {}
    for name, loader in (("breast_cancer", load_breast_cancer), ("digits", load_digits)):
        X, y = loader(return_X_y=True)
        sets[name] = (StandardScaler().fit_transform(X), y)
    n = 20_000 if quick else 200_000
    for n_classes in (2, 5):
        X, y = make_classification(n, 100, n_informative=20, n_classes=n_classes, random_state=0)
        sets[f"make_classification {n:,} x 100, {n_classes} classes"] = (X, y)
    n_sparse, n_features = (20_000, 5_000) if quick else (100_000, 20_000)
    rng = np.random.RandomState(0)
    X = sparse.random(
        n_sparse,
        n_features,
        density=50 / n_features,
        format="csr",
        random_state=rng,
        data_rvs=rng.standard_normal,
    )
    w = rng.standard_normal(n_features)
    y = (X @ w + 0.5 * rng.standard_normal(n_sparse) > 0).astype(int)
    sets[f"sparse CSR {n_sparse:,} x {n_features:,}, 50 non-zeros a row"] = (X, y)
    return sets


def objective(X, y, coef, intercept, alpha):
    """J (docs/contract.md; no hidden layer, log-loss, unit weights) of
    (n_outputs, n_features) coefs."""
    Y = LabelBinarizer().fit_transform(y).astype(float)
    layout = Layout.from_sizes(X.shape[1], (), Y.shape[1], True)
    theta = layout.pack([np.asarray(coef).T], [np.ravel(intercept)], np.float64)
    return objective_and_gradient(
        theta, X, Y, np.ones(X.shape[0]), layout=layout, loss="log_loss", alpha=alpha
    )[0]


# ---------------------------------------------------------- (b) the optimum


def optimum_table(sets, repeats):
    rows = []
    for name, (X, y) in sets.items():
        reference = SigmoidPerceptronClassifier(alpha=ALPHA, tol=1e-10, max_iter=10_000).fit(X, y)
        best = objective(X, y, reference.coef_, reference.intercept_, ALPHA)
        C = 1 / (ALPHA * X.shape[0])
        ours = _time_to_optimum(
            lambda tol: SigmoidPerceptronClassifier(alpha=ALPHA, tol=tol, max_iter=10_000),
            X,
            y,
            best,
            repeats,
        )

        def logistic(solver):
            def make(tol):
                model = LogisticRegression(C=C, tol=tol, max_iter=10_000, solver=solver)
                return model if np.unique(y).size == 2 else OneVsRestClassifier(model)

            return make

        newton = _time_to_optimum(
            lambda tol: SigmoidPerceptronClassifier(
                solver="newton-cholesky", alpha=ALPHA, tol=tol, max_iter=10_000
            ),
            X,
            y,
            best,
            repeats,
        )
        theirs = {
            solver: _time_to_optimum(logistic(solver), X, y, best, repeats) for solver in LR_SOLVERS
        }
        reached = [seconds for seconds in theirs.values() if isinstance(seconds, float)]
        fastest = min(reached) if reached else None
        row = [
            name,
            _fmt(ours),
            _fmt(newton),
            *(_fmt(theirs[s]) for s in LR_SOLVERS),
            _ratio(ours, fastest),
        ]
        torch_time = _torch_lbfgs_time(X, y, best, repeats)
        row += [_fmt(torch_time), _ratio(ours, torch_time)]
        rows.append(row)
    table(
        f"(b) seconds to the optimum of J within 1e-4 relative (no hidden layer, alpha={ALPHA})",
        [
            "data",
            "ours (default lbfgs)",
            "ours (newton-cholesky)",
            *(f"LR {solver}" for solver in LR_SOLVERS),
            "ours / fastest LR",
            "PyTorch L-BFGS",
            "ours / PyTorch",
        ],
        rows,
    )


def _coefs(model):
    if hasattr(model, "estimators_"):
        return (
            np.vstack([e.coef_ for e in model.estimators_]),
            np.hstack([e.intercept_ for e in model.estimators_]),
        )
    return model.coef_, model.intercept_


def _time_to_optimum(make, X, y, best, repeats):
    """The fastest tol of a ladder that reaches J <= best * (1 + 1e-4), and its median
    time; a string when a fit fails or passes the budget first."""
    for tol in (1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-10):
        model = make(tol)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            try:
                start = time.perf_counter()
                model.fit(X, y)
            except ValueError as error:  # a solver that refuses the data
                return f"refused ({str(error)[:40]})"
            if time.perf_counter() - start > FIT_BUDGET_SECONDS:
                return f"over {FIT_BUDGET_SECONDS} s"
            seconds = (
                median_seconds(lambda: model.fit(X, y), repeats - 1)
                if repeats > 1
                else time.perf_counter() - start
            )
        if objective(X, y, *_coefs(model), ALPHA) <= best * (1 + 1e-4):
            return seconds
    return None


def _torch_lbfgs_time(X, y, best, repeats):
    try:
        import torch
    except ImportError:
        return "torch not installed"
    if sparse.issparse(X):
        return "dense only"
    Y = torch.tensor(LabelBinarizer().fit_transform(y), dtype=torch.float64)
    X_t = torch.tensor(np.asarray(X), dtype=torch.float64)

    def fit():
        W = torch.zeros(X_t.shape[1], Y.shape[1], dtype=torch.float64, requires_grad=True)
        b = torch.zeros(Y.shape[1], dtype=torch.float64, requires_grad=True)
        optimizer = torch.optim.LBFGS(
            [W, b],
            max_iter=10_000,
            tolerance_grad=1e-7,
            tolerance_change=1e-12,
            line_search_fn="strong_wolfe",
        )

        def closure():
            optimizer.zero_grad()
            loss = (
                torch.nn.functional.binary_cross_entropy_with_logits(
                    X_t @ W + b, Y, reduction="sum"
                )
                / X_t.shape[0]
                + 0.5 * ALPHA * (W * W).sum()
            )
            loss.backward()
            return loss

        optimizer.step(closure)
        return W.detach().numpy().T, b.detach().numpy()

    seconds = median_seconds(fit, repeats)
    coef, intercept = fit()
    return seconds if objective(X, y, coef, intercept, ALPHA) <= best * (1 + 1e-4) else None


# ---------------------------------------------------- (c) the target accuracy


def accuracy_table(sets, repeats):
    rows = []
    for name, (X, y) in sets.items():
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0, stratify=y)
        target = 0.995 * LogisticRegression(max_iter=1000).fit(X_train, y_train).score(
            X_test, y_test
        )
        models = {
            "LogisticRegression": LogisticRegression(max_iter=1000),
            "SGDClassifier(log_loss)": SGDClassifier(loss="log_loss", random_state=0),
            "MLPClassifier((), lbfgs)": MLPClassifier((), solver="lbfgs", random_state=0),
            "MLPClassifier((), adam)": MLPClassifier((), random_state=0),
            "ours (defaults)": SigmoidPerceptronClassifier(random_state=0),
            "ours (adam)": SigmoidPerceptronClassifier(solver="adam", random_state=0),
        }
        results = {}
        for model_name, model in models.items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                seconds = median_seconds(lambda: model.fit(X_train, y_train), repeats)
            results[model_name] = (seconds, model.score(X_test, y_test) >= target)
        peers = [s for n, (s, ok) in results.items() if ok and not n.startswith("ours")]
        ours = [s for n, (s, ok) in results.items() if ok and n.startswith("ours")]
        cells = [f"{s:.3f}{'' if ok else ' (missed)'}" for s, ok in results.values()]
        best_ratio = f"{min(ours) / min(peers):.2f}" if ours and peers else "n/a"
        rows.append([name, f"{target:.4f}", *cells, best_ratio])
    table(
        "(c) seconds to 99.5% of LogisticRegression's test accuracy (fit time; "
        "'missed' = below the target)",
        ["data", "target", *models, "our best / best peer"],
        rows,
    )


# -------------------------------------------------------------- (d) memory


def memory_table(quick):
    rows = []
    rng = np.random.RandomState(0)
    n = 50_000 if quick else 200_000
    for dtype in (np.float64, np.float32):
        X = rng.standard_normal((n, 100)).astype(dtype)
        for n_outputs in (1, 10):
            y = rng.randint(0, 2 if n_outputs == 1 else n_outputs, n)
            for solver in ("lbfgs", "gd", "adam"):
                clf = SigmoidPerceptronClassifier(solver=solver, max_iter=3, tol=None)
                tracemalloc.start()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    clf.fit(X, y)
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                rows.append(
                    [
                        f"{n:,} x 100",
                        dtype.__name__,
                        str(n_outputs),
                        solver,
                        f"{X.nbytes / 2**20:.0f}",
                        f"{peak / 2**20:.1f}",
                        f"{peak / X.nbytes:.3f}",
                    ]
                )
    table(
        "(d) peak memory of a fit above X (MiB; traced allocations)",
        ["X", "dtype", "outputs", "solver", "X", "fit's peak", "peak / X"],
        rows,
    )


# ------------------------------------------------------------------ the run


def _fmt(seconds):
    if isinstance(seconds, str):
        return seconds
    return "not reached" if seconds is None else f"{seconds:.3f}"


def _ratio(ours, theirs):
    if not all(isinstance(value, float) for value in (ours, theirs)):
        return "n/a"
    return f"{ours / theirs:.2f}"


def machine_report(threads):
    print("## sk_backprop benchmarks\n")
    print(f"- machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"- Python {platform.python_version()}, NumPy {np.__version__}")
    for pool in threadpool_info():
        print(
            f"- {pool['internal_api']} {pool.get('version', '')} "
            f"({pool.get('architecture', '')}), {pool['num_threads']} threads"
        )
    print(f"- thread limit: {threads or 'none'}")
    print(f"- load average before: {os.getloadavg()[0]:.2f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small data, 3 repeats")
    parser.add_argument(
        "--threads", default=None, help="BLAS/OpenMP threads, or a list (1,2): each section at each"
    )
    parser.add_argument("--repeats", type=int, default=None, help="repeats per timing")
    parser.add_argument("--sections", default="abcde", help="which tables, e.g. 'ad'")
    arguments = parser.parse_args(argv)
    repeats = arguments.repeats or (3 if arguments.quick else 5)
    thread_counts = [int(n) for n in arguments.threads.split(",")] if arguments.threads else [None]
    machine_report(arguments.threads)
    wall_start = time.perf_counter()
    sets = None
    for section in "abcde":
        if section not in arguments.sections:
            continue
        if section in "bc" and sets is None:
            sets = datasets(arguments.quick)
        for threads in thread_counts:  # the thread counts of one table side by side
            if len(thread_counts) > 1:
                print(f"\n#### {threads} BLAS thread(s)")
            with threadpool_limits(threads):
                if section == "a":
                    epoch_table([50_000] if arguments.quick else [200_000, 1_000_000], repeats)
                elif section == "b":
                    optimum_table(sets, repeats)
                elif section == "c":
                    accuracy_table(sets, repeats)
                elif section == "d":
                    memory_table(arguments.quick)
                else:
                    defaults_table(repeats, arguments.quick)
    wall = time.perf_counter() - wall_start
    load = os.getloadavg()[0]
    print(f"\n- wall time {wall:.0f} s; load average after: {load:.2f}")
    usable = max(n or os.cpu_count() for n in thread_counts)
    if load > usable + 0.5 or load > os.cpu_count():
        print(
            f"- WARNING: the load ({load:.2f}) exceeded the {usable} threads this run "
            "used: another process competed for the CPU, and the ratios are suspect."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
