"""The recipes of docs/streaming.md, run as they are written there."""

import re
from pathlib import Path

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
    exec(compile(code, f"{DOC.name} block {index}", "exec"), {"__name__": "recipe"})
