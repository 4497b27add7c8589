"""The recipes of docs/dask.md, run as they are written there."""

import re
from pathlib import Path

import numpy as np
import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "dask.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.DOTALL)


def test_the_page_has_its_two_recipes():
    assert len(BLOCKS) == 2


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_documented_recipe_runs(index):
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    pytest.importorskip("skops")
    code = BLOCKS[index]
    namespace = {"__name__": "recipe"}
    exec(compile(code, f"{DOC.name} block {index}", "exec"), namespace)
    CHECKS[index](namespace)


def check_the_array_recipe(recipe):
    """The accuracy the page states, and answers of the saved model equal to the
    fitted one's."""
    assert recipe["accuracy"] == pytest.approx(0.7257, abs=1e-4)
    assert recipe["first_rows"].shape == (5, 2)
    assert recipe["loaded"].n_iter_ == recipe["clf"].n_iter_
    np.testing.assert_array_equal(recipe["loaded"].coefs_[0], recipe["clf"].coefs_[0])


def check_the_dataframe_recipe(recipe):
    """The lazy labels are the in-memory model's on the rows the filter kept."""
    frame, clf = recipe["frame"], recipe["clf"]
    kept = frame[frame["x0"] > -3]
    expected = clf.to_local().predict(kept.drop(columns="label"))
    np.testing.assert_array_equal(np.asarray(recipe["labels"]), expected)


CHECKS = {0: check_the_array_recipe, 1: check_the_dataframe_recipe}
