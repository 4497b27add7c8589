"""Files written by sk_backprop 0.1.0 (the flat layout) load and answer as they did.

The files in tests/data/v0_1_0 were written by 0.1.0 (make_fixtures.py there says
how): a pickle and a skops file of an estimator per solver with its probabilities on
iris, and the command line's saved pipeline with its answers.
"""

import pickle
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris

from sk_backprop import SigmoidPerceptronClassifier, skops_trusted_types
from sk_backprop.cli import main

skops_io = pytest.importorskip("skops.io")

DATA = Path(__file__).parent / "data" / "v0_1_0"
# 0.1.0 wrote its pickles with NumPy 2, whose arrays pickle as numpy._core objects:
# NumPy 1 cannot read them, whoever the estimator is.
needs_numpy_2 = pytest.mark.skipif(
    int(np.__version__.split(".")[0]) < 2, reason="pickles of NumPy 2 arrays need NumPy 2"
)


def assert_same_answers(proba, expected):
    """The same weights answer the same to rounding: scipy's expit and NumPy's sums
    round differently from one release to another (1e-16 seen), never by more."""
    np.testing.assert_allclose(proba, expected, rtol=1e-14, atol=1e-15)


SOLVERS = ["lbfgs", "newton-cholesky", "gd", "sgd", "adam"]
X, y = load_iris(return_X_y=True)


@needs_numpy_2
@pytest.mark.parametrize("solver", SOLVERS)
def test_a_pickle_of_0_1_0_loads_and_answers_as_it_did(solver):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the same version wrote it: no version warning
        clf = pickle.loads((DATA / f"{solver}.pickle").read_bytes())
    assert isinstance(clf, SigmoidPerceptronClassifier)
    assert_same_answers(clf.predict_proba(X), np.load(DATA / f"{solver}.proba.npy"))


@needs_numpy_2
@pytest.mark.parametrize("solver", ["sgd", "adam", "gd"])
def test_a_pickle_of_0_1_0_continues_with_partial_fit(solver):
    clf = pickle.loads((DATA / f"{solver}.pickle").read_bytes())
    before = clf.n_iter_
    clf.partial_fit(X, y)
    assert clf.n_iter_ == before + 1


@pytest.mark.parametrize("solver", SOLVERS)
def test_a_skops_file_of_0_1_0_loads_trusting_skops_trusted_types(solver):
    path = DATA / f"{solver}.skops"
    untrusted = skops_io.get_untrusted_types(file=path)
    assert set(untrusted) <= set(skops_trusted_types())
    clf = skops_io.load(path, trusted=skops_trusted_types())
    assert_same_answers(clf.predict_proba(X), np.load(DATA / f"{solver}.proba.npy"))


def test_skops_trusted_types_names_the_estimator_and_no_function():
    names = skops_trusted_types()
    assert "sk_backprop._classifier.SigmoidPerceptronClassifier" in names
    assert "sk_backprop._solvers.LBFGS" in names  # 0.1.0's name of the state
    assert all(name.startswith("sk_backprop.") and not name.endswith(".") for name in names)


def test_a_model_file_saved_by_0_1_0_predicts_as_it_did(tmp_path, capsys):
    output = tmp_path / "answers.csv"
    code = main(
        [
            "--model", str(DATA / "pipeline.skops"),
            "--predict", str(DATA / "iris.csv"),
            "--output", str(output),
        ]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    pd.testing.assert_frame_equal(
        pd.read_csv(output), pd.read_csv(DATA / "pipeline_answers.csv"), check_exact=True
    )
