"""The recipes of docs/dask.md, run as they are written there."""

import re
from pathlib import Path

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
    exec(compile(code, f"{DOC.name} block {index}", "exec"), {"__name__": "recipe"})
