"""Wide data (n << p): how far each solver, with its defaults, ends from the optimum.

50 rows of ``make_classification`` (10 informative features), 2,000 or 20,000
columns, dense or sparse (5% of the entries kept); the optimum is lbfgs's at
``tol=1e-12``. Prints the table of docs/solvers.md ("Wide data"). Run:
``python benchmarks/wide_gaps.py``.
"""

import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning

from sk_backprop import SigmoidPerceptronClassifier


def data(n_features, kind):
    X, y = make_classification(
        n_samples=50, n_features=n_features, n_informative=10, random_state=0
    )
    if kind == "sparse":
        X = sp.csr_matrix(X * (np.random.default_rng(0).random(X.shape) < 0.05))
    return X, y


def main():
    print("| data | solver | epochs | relative gap | gap / tol | ConvergenceWarning |")
    print("|---|---|---|---|---|---|")
    for n_features in (2_000, 20_000):
        for kind in ("dense", "sparse"):
            X, y = data(n_features, kind)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                best = SigmoidPerceptronClassifier(tol=1e-12, max_iter=20_000).fit(X, y).loss_
            for solver in ("lbfgs", "newton-cholesky", "gd", "sgd", "adam"):
                if solver == "newton-cholesky" and n_features > 2_000:
                    continue  # a 20,000-square Hessian
                clf = SigmoidPerceptronClassifier(solver=solver, random_state=0)
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always", ConvergenceWarning)
                    clf.fit(X, y)
                warned = any(issubclass(w.category, ConvergenceWarning) for w in caught)
                gap = (clf.loss_ - best) / best
                print(
                    f"| 50 x {n_features:,} {kind} (J* = {best:.2e}) | {solver} | {clf.n_iter_} "
                    f"| {gap:.2e} | {gap / clf.tol:.2f} | {'yes' if warned else 'no'} |"
                )


if __name__ == "__main__":
    main()
