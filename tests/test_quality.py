"""The code checks a pull request must pass, run as the project runs them."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from helpers import ROOT


@pytest.mark.parametrize(
    "args",
    [
        # the whole tree: src, tests, assets, benchmarks and tools (what .gitignore leaves)
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
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


def _imported(folder: Path) -> set[str]:
    """The top-level modules the Python files in ``folder`` import (in functions too)."""
    found: set[str] = set()
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - {p.stem for p in folder.glob("*.py")}


def test_every_package_the_tests_import_is_declared() -> None:
    """A fresh `pip install -e .[test]` has what the tests and tools import: nothing is there
    only because the shared environment happens to hold it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {
        re.split(r"[\s<>=!~\[;]", spec, maxsplit=1)[0].lower().replace("_", "-")
        for spec in project["dependencies"] + project["optional-dependencies"]["test"]
    }
    owners = importlib.metadata.packages_distributions()
    imported = _imported(ROOT / "tests") | _imported(ROOT / "tools")
    third_party = sorted(imported - set(sys.stdlib_module_names) - {"kreport"})
    assert "fontTools" in third_party  # the check looks where the imports are
    missing = {
        module: owners.get(module)
        for module in third_party
        if not {d.lower().replace("_", "-") for d in owners.get(module, [module])} & declared
    }
    assert not missing, f"imported but not in pyproject's dependencies or test extra: {missing}"
