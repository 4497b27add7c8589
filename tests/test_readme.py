"""The README's Python snippets run as written, and warn about nothing."""

import re
import warnings
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
SNIPPETS = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)


def test_the_readme_has_its_snippets():
    assert len(SNIPPETS) >= 2


@pytest.mark.parametrize("index", range(len(SNIPPETS)))
def test_a_readme_snippet_runs_without_warnings(index, capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        exec(compile(SNIPPETS[index], f"README.md snippet {index}", "exec"), {})
    assert capsys.readouterr().out


def rst_python_blocks(path):
    """The ``.. code-block:: python`` blocks of an reST page, dedented."""
    import textwrap

    blocks = re.findall(r"\.\. code-block:: python\n\n((?:   .*\n|\n)+)", path.read_text())
    return [textwrap.dedent(block) for block in blocks]


def test_the_docs_index_snippet_runs_as_written():
    blocks = rst_python_blocks(README.parent / "docs" / "index.rst")
    assert blocks
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for block in blocks:
            exec(compile(block, "docs/index.rst", "exec"), {})
