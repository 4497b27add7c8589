"""Helpers shared by the tests."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.preprocessing import StandardScaler

from sk_backprop._core.layout import Layout
from sk_backprop._core.objective import objective_and_gradient


def fitted_objective(clf, X, y, sample_weight=None):
    """docs/contract.md's J of the fitted weights of ``clf`` on all of ``X``, computed from
    the public attributes alone."""
    X = np.asarray(X, dtype=np.float64)
    hidden = tuple(coef.shape[1] for coef in clf.coefs_[:-1])
    layout = Layout.from_sizes(X.shape[1], hidden, clf.n_outputs_, clf.fit_intercept)
    theta = layout.pack(clf.coefs_, clf.intercepts_, np.float64)
    Y = clf._label_binarizer.transform(y).astype(np.float64)
    weights = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
    return objective_and_gradient(
        theta, X, Y, weights, layout=layout, loss=clf.loss, alpha=clf.alpha
    )[0]


@pytest.fixture(scope="session")
def large_data():
    X, y = make_classification(
        n_samples=20_000, n_features=20, n_informative=10, n_classes=3, random_state=0
    )
    return StandardScaler().fit_transform(X), y
