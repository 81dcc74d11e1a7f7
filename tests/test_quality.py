"""The code checks a pull request must pass, run as the project runs them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers import ROOT


@pytest.mark.parametrize(
    "args",
    [
        ["ruff", "check", "src", "tests"],
        ["ruff", "format", "--check", "src", "tests"],
        ["mypy"],  # files and strictness come from pyproject.toml
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_tool_passes(args: list[str]) -> None:
    run = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, f"{' '.join(args)} failed:\n{run.stdout}\n{run.stderr}"
