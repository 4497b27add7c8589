"""The recipes of docs/streaming.md, run as they are written there."""

import re
from pathlib import Path

import numpy as np
import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "streaming.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.DOTALL)


def test_the_page_has_its_four_recipes():
    assert len(BLOCKS) == 4


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_documented_recipe_runs(index):
    code = BLOCKS[index]
    if "dask" in code:
        pytest.importorskip("dask_ml")
        pytest.importorskip("distributed")
    namespace = {"__name__": "recipe"}
    exec(compile(code, f"{DOC.name} block {index}", "exec"), namespace)
    CHECKS[index](namespace)


def check_the_memory_mapped_recipe(recipe):
    """Five passes over ten chunks of 2,000 rows: 50 partial_fit calls."""
    clf = recipe["clf"]
    assert clf.n_iter_ == 50 and clf.t_ == 5 * 20_000


def check_the_incremental_recipe(recipe):
    """One pass over the 4,000 rows, scored as the in-memory model scores them."""
    estimator = recipe["incremental"].estimator_
    assert estimator.t_ == 4_000
    assert recipe["accuracy"] == pytest.approx(estimator.score(recipe["X"], recipe["y"]))


def check_the_grid_search_recipe(recipe):
    search = recipe["search"]
    assert search.best_score_ == max(search.cv_results_["mean_test_score"])


def check_the_delayed_recipe(recipe):
    """The chain of delayed partial_fit calls is the same training as a plain loop."""
    from sklearn.base import clone

    trained = clone(recipe["base"]).set_params(**recipe["best_params"])
    for _ in range(3):
        for start in range(0, 3_000, 500):
            rows = slice(start, start + 500)
            trained.partial_fit(recipe["X_train"][rows], recipe["y_train"][rows], classes=[0, 1])
    assert trained.score(recipe["X_test"], recipe["y_test"]) == recipe["best_score"]
    assert np.isfinite(trained.loss_)


CHECKS = {
    0: check_the_memory_mapped_recipe,
    1: check_the_incremental_recipe,
    2: check_the_grid_search_recipe,
    3: check_the_delayed_recipe,
}
