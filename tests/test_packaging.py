"""The oldest versions CI tests are the floors pyproject.toml claims."""

import re
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")
ROOT = Path(__file__).resolve().parents[1]


def test_ci_tests_the_oldest_versions_pyproject_accepts():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    floors = dict(
        re.fullmatch(r"([\w-]+)>=([\d.]+)", requirement).groups()
        for requirement in project["dependencies"]
    )
    pins = dict(
        line.split("==")
        for line in (ROOT / ".ci" / "oldest.txt").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert pins.keys() == floors.keys()
    for name, floor in floors.items():
        assert pins[name].startswith(floor), (name, pins[name], floor)
