"""No input, however extreme, makes a fit print a warning of NumPy or raise a
floating-point error (docs/contract.md, "Bad input"): every solver, with and without
a hidden layer, on columns near the float maximum, dense, sparse and float32.

A fit on such data may stop far from the optimum (then it says so with a
ConvergenceWarning) or diverge (a ValueError naming learning_rate); it never lets a
RuntimeWarning out, under any np.errstate, and its probabilities are finite.
"""

import warnings

import numpy as np
import pytest
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning

from sk_backprop import SigmoidPerceptronClassifier

SOLVERS = ["lbfgs", "newton-cholesky", "gd", "sgd", "adam"]


def extreme(kind):
    """60 rows of 4 columns, one or more of them near the float maximum."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    y = (X[:, 0] > 0).astype(int)
    if kind == "a column of 1e300":
        X[:, 1] *= 1e300
    elif kind == "one entry of 1e300":
        X[5, 2] = 1e300
    elif kind == "a column of 1e150":  # its squares pass the float maximum
        X[:, 1] *= 1e150
    elif kind == "float32 near its maximum":
        X = (X * 3e37).astype(np.float32)
    elif kind == "float32 at its maximum":
        X = X.astype(np.float32)
        X[:, 0] = np.float32(3.3e38) * np.sign(X[:, 0])
    elif kind == "CSR of 1e300":
        X = sparse.csr_matrix(np.where(np.abs(X) > 0.5, X * 1e300, 0))
    elif kind == "3 classes, a column of 1e200":
        y = np.digitize(X[:, 0], [-0.5, 0.5])
        X[:, 1] *= 1e200
    return X, y


KINDS = [
    "a column of 1e300",
    "one entry of 1e300",
    "a column of 1e150",
    "float32 near its maximum",
    "float32 at its maximum",
    "CSR of 1e300",
    "3 classes, a column of 1e200",
]
CASES = [
    (solver, hidden)
    for solver in SOLVERS
    for hidden in [(), (3,)]
    if not (solver == "newton-cholesky" and hidden)
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("solver, hidden", CASES)
@pytest.mark.parametrize("errstate", ["default", "raise"])
def test_no_warning_leaks_and_no_floating_point_error(kind, solver, hidden, errstate):
    X, y = extreme(kind)
    clf = SigmoidPerceptronClassifier(hidden, solver=solver, max_iter=30, random_state=0)
    settings = {"all": "raise"} if errstate == "raise" else {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning but the two below fails the test
        warnings.simplefilter("ignore", ConvergenceWarning)
        with np.errstate(**settings):
            try:
                clf.fit(X, y)
            except ValueError as error:  # a divergence is caught and named, never NaN
                assert "learning_rate" in str(error)
                return
            proba = clf.predict_proba(X)
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
