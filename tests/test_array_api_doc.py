"""The examples of docs/array_api.md, run as they are written there (PyTorch's CPU
build is enough; CUDA is used where present)."""

import os
import re
from pathlib import Path

import pytest

from sk_backprop._compat import ARRAY_API_SUPPORT

DOC = Path(__file__).resolve().parents[1] / "docs" / "array_api.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.DOTALL)


def test_the_page_has_its_examples():
    assert len(BLOCKS) == 2


@pytest.mark.skipif(
    os.environ.get("SCIPY_ARRAY_API") != "1" or not ARRAY_API_SUPPORT,
    reason="array API dispatch needs SCIPY_ARRAY_API=1 and scikit-learn >= 1.8",
)
def test_the_examples_run_in_order(capsys):
    pytest.importorskip("torch")
    namespace = {"__name__": "example"}
    for index, code in enumerate(BLOCKS):
        exec(compile(code, f"{DOC.name} block {index}", "exec"), namespace)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Tensor torch.float32")
    assert float(out[0].split("accuracy ")[1]) > 0.8
