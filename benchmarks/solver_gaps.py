"""How close each solver gets to the optimum of J, on three convex problems.

    python benchmarks/solver_gaps.py

Without hidden layers J is convex with a unique optimum; L-BFGS at tol=1e-10 gives
it. For each solver and tol the table shows the relative gap ``(J - J*) / J*`` of
the returned weights, the epochs run and whether a ConvergenceWarning was raised.
The promise (docs/contract.md, "The solvers' promise"): gap <= 10 tol, or a warning.
"""

import time
import warnings

from sklearn.datasets import load_breast_cancer, load_digits, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler

from sk_backprop import SigmoidPerceptronClassifier


def problems():
    X, y = make_classification(n_samples=200, n_features=10, n_informative=5, random_state=42)
    yield (
        "make_classification 200 x 10, alpha=0.05, no intercept",
        X,
        y,
        dict(alpha=0.05, fit_intercept=False),
    )
    X, y = load_breast_cancer(return_X_y=True)
    yield (
        "breast_cancer 569 x 30, alpha=1e-3",
        StandardScaler().fit_transform(X),
        y,
        dict(alpha=1e-3),
    )
    X, y = load_digits(return_X_y=True)
    yield (
        "digits 1,797 x 64 (10 classes), alpha=1e-3",
        StandardScaler().fit_transform(X),
        y,
        dict(alpha=1e-3),
    )


def main():
    print(
        "| problem | solver | tol | epochs | relative gap | gap / tol | ConvergenceWarning "
        "| seconds |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, X, y, params in problems():
        optimum = SigmoidPerceptronClassifier(tol=1e-10, max_iter=100_000, **params).fit(X, y).loss_
        for solver in ("lbfgs", "gd", "sgd", "adam"):
            for tol in (1e-4, 1e-8):
                clf = SigmoidPerceptronClassifier(
                    solver=solver, tol=tol, max_iter=20_000, random_state=0, **params
                )
                start = time.perf_counter()
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    clf.fit(X, y)
                seconds = time.perf_counter() - start
                warned = any(issubclass(w.category, ConvergenceWarning) for w in caught)
                gap = (clf.loss_ - optimum) / optimum
                print(
                    f"| {name} | {solver} | {tol:g} | {clf.n_iter_} | {gap:.2e} | "
                    f"{gap / tol:.2f} | {'yes' if warned else 'no'} | {seconds:.2f} |"
                )


if __name__ == "__main__":
    main()
