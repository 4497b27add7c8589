"""Default against default, as a user compares them (section (e) of run.py).

``SigmoidPerceptronClassifier()`` against ``LogisticRegression(C=1 / (alpha n))``
(the same objective's penalty; LogisticRegression's default is multinomial, ours
one sigmoid per class) and, with a hidden layer, against ``MLPClassifier`` of the
same layer: process CPU time of a fit (all the BLAS threads' work, so a busy
machine changes it less than wall time), medians of interleaved repeats (ours,
theirs, ours, ...), each the mean of enough fits to take half a second. Also the
processor and its caches, read from the system.
"""

import math
import os
import platform
import statistics
import time
import warnings
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier

from sk_backprop import SigmoidPerceptronClassifier


def processor():
    """The CPU's model name and its caches per level (Linux's sysfs; else '?')."""
    name = platform.processor() or "?"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
                break
    caches = []
    for index in sorted(Path("/sys/devices/system/cpu/cpu0/cache").glob("index*")):
        try:
            level, kind, size = ((index / f).read_text().strip() for f in ("level", "type", "size"))
        except OSError:
            continue
        if kind != "Instruction":
            caches.append(f"L{level} {size}")
    return name, ", ".join(caches) or "?"


def problems(quick):
    rows = 20_000 if quick else 200_000
    X2, y2 = make_classification(rows, 100, n_informative=30, random_state=0)
    X5, y5 = make_classification(rows, 100, n_informative=30, n_classes=5, random_state=0)
    rng = np.random.default_rng(0)
    n_text = 2_000 if quick else 20_000
    Xs = sparse.random(n_text, 5_000, density=0.01, format="csr", random_state=0)
    ys = (Xs @ rng.standard_normal(5_000) > 0).astype(int)
    Xh, yh = X5[: rows // 10], y5[: rows // 10]
    return [
        (f"dense binary, {rows:,} x 100", X2, y2, ()),
        (f"dense 5 classes, {rows:,} x 100", X5, y5, ()),
        (f"sparse text-like, {n_text:,} x 5,000, 1% filled", Xs, ys, ()),
        (f"hidden layer of 100, {rows // 10:,} x 100, 5 classes", Xh, yh, (100,)),
    ]


def cpu_seconds(make, X, y, fits=1):
    """Process CPU seconds of one fit: the mean of ``fits`` fits timed together (a
    fit of 0.04 s is a few ticks of the process clock)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.process_time()
        for _ in range(fits):
            model = make().fit(X, y)
        return (time.process_time() - start) / fits, model


def defaults_table(repeats, quick):
    name, caches = processor()
    print("\n### (e) default against default: process CPU seconds of a fit\n")
    print(f"- processor: {name}; caches per core: {caches}")
    print(f"- load average at the start: {os.getloadavg()[0]:.2f}\n")
    print("| problem | ours (iterations) | theirs (iterations) | ours / theirs |")
    print("|---|---|---|---|")
    for label, X, y, hidden in problems(quick):
        n = X.shape[0]
        if hidden:
            theirs_make = lambda: MLPClassifier(hidden_layer_sizes=hidden, random_state=0)  # noqa: E731
            peer = "MLPClassifier"
        else:
            theirs_make = lambda: LogisticRegression(C=1 / (1e-4 * n))  # noqa: E731
            peer = "LogisticRegression"
        ours_make = lambda: SigmoidPerceptronClassifier(hidden_layer_sizes=hidden, random_state=0)  # noqa: E731
        ours, theirs = [], []
        first, _ = cpu_seconds(ours_make, X, y)  # also warms the caches for both
        fits = max(1, math.ceil(0.5 / max(first, 1e-3)))  # half a second a measurement
        for _ in range(repeats):  # interleaved, so a change of load hits both
            seconds, ours_model = cpu_seconds(ours_make, X, y, fits)
            ours.append(seconds)
            seconds, theirs_model = cpu_seconds(theirs_make, X, y, fits)
            theirs.append(seconds)
        o, t = statistics.median(ours), statistics.median(theirs)
        their_iter = np.max(theirs_model.n_iter_)
        print(
            f"| {label} (against {peer}) | {o:.2f} s ({ours_model.n_iter_}) | {t:.2f} s "
            f"({their_iter}) | {o / t:.2f} |"
        )
    print(f"\n- load average at the end: {os.getloadavg()[0]:.2f}")
