"""The tree shows the pipeline: no module imports from a later stage, click stays in the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import kreport
from helpers import loaded_after

SRC = Path(kreport.__file__).parent

# Stage of each top-level module or package: an import may only go to the same or a lower stage.
STAGES = {
    "_version": 0,
    "_atomic": 0,
    "_env": 0,
    "_kept": 0,
    "_pace": 0,
    "errors": 0,
    "model": 0,
    "fonts": 0,
    "fontcache": 0,
    "source": 1,
    "tally": 2,
    "page": 3,
    "sources": 4,
    "api": 5,
    "pool": 6,
    "batch": 6,
    "deliver": 7,
    "cli": 8,
}


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "__pycache__" not in p.parts)


def _top(path: Path, root: Path = SRC) -> str:
    part = path.relative_to(root).parts[0]
    return part.removesuffix(".py")


def _imports(path: Path, root: Path = SRC) -> list[tuple[str, int]]:
    """(absolute module imported, line) for every import in ``path``, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ["kreport", *path.relative_to(root).parts[:-1]]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
                if node.module is None:  # from . import x: each name may be a module
                    found += [(f"{mod}.{a.name}", node.lineno) for a in node.names]
                    continue
            else:
                mod = node.module or ""
            found.append((mod, node.lineno))
    return found


def _stage(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "kreport" or len(parts) == 1:
        return None
    return STAGES.get(parts[1])


def test_every_module_has_a_stage() -> None:
    assert {_top(p) for p in _modules()} - {"__init__"} <= set(STAGES)


def _violations(path: Path, root: Path = SRC) -> list[str]:
    top = _top(path, root)
    if top == "__init__":  # the package's public face re-exports every stage
        return []
    own = STAGES[top]
    wrong = []
    for module, line in _imports(path, root):
        stage = _stage(module)
        if stage is not None and stage > own:
            wrong.append(f"line {line}: {module} (stage {stage} > {own})")
        if (module == "click" or module.startswith("click.")) and top != "cli":
            wrong.append(f"line {line}: click below the CLI")
        if module == "kreport" and top != "cli":
            wrong.append(f"line {line}: the package itself (import a stage module instead)")
    return wrong


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_import_from_a_later_stage_or_of_click_below_the_cli(path: Path) -> None:
    assert _violations(path) == []


def test_the_checker_catches_upward_relative_imports_and_click(tmp_path: Path) -> None:
    bad = tmp_path / "source" / "bad.py"
    bad.parent.mkdir()
    bad.write_text("import click\nfrom ..page.layout import lay_out\nfrom . import keys\n")
    found = _violations(bad, tmp_path)
    assert found == ["line 1: click below the CLI", "line 2: kreport.page.layout (stage 3 > 1)"]


def test_init_and_schema_load_neither_matplotlib_nor_reportlab(tmp_path: Path) -> None:
    code = (
        "from kreport.cli import main\n"
        "try:\n    main(['init', 'b.toml'])\nexcept SystemExit:\n    pass\n"
    )
    loaded = loaded_after(code, tmp_path)
    assert (tmp_path / "b.toml").is_file()
    assert not {"matplotlib", "reportlab"} & loaded


def test_the_validators_parts_are_small_and_share_one_set_of_checks() -> None:
    """The validator is split by what it checks (scalars, figures, blocks, the briefing), each
    part on the real scalar checks: none re-declares them as stubs."""
    from kreport.source import blocks, figures, scalars, validate

    for module in (scalars, figures, blocks, validate):
        text = Path(module.__file__ or "").read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 400, module.__name__
        assert "NotImplementedError" not in text, module.__name__
    assert issubclass(blocks.BlockChecks, scalars.Checks)
    assert issubclass(figures.FigureChecks, scalars.Checks)
