"""The public pipeline: load -> validate -> lay out (charts included) -> write."""

from __future__ import annotations

from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal, TypeAlias

from .model import Briefing

Paper: TypeAlias = Literal["a4", "letter"]
Input: TypeAlias = str | Path | Mapping[str, Any]
"""A data file's path, or an already-parsed mapping with the same keys."""

EXAMPLES_DIR = Path(str(files("kreport") / "data" / "examples"))
DEFAULT_EXAMPLE = "karamay"


def example_names() -> list[str]:
    return sorted(p.stem for p in EXAMPLES_DIR.glob("*.toml"))


def example_path(name: str) -> Path:
    path = EXAMPLES_DIR / f"{name}.toml"
    if not path.is_file():
        from .errors import KreportError

        raise KreportError(
            f"no example named {name!r}; the examples are: {', '.join(example_names())}"
        )
    return path


def parse(source: Input, language: str | None = None) -> Briefing:
    """Load and validate ``source``; raises ``InputError`` listing every problem."""
    from .source.load import load
    from .source.validate import validate

    if isinstance(source, Mapping):
        return validate(source, "<data>", language)
    path = Path(source)
    return validate(load(path), str(path), language)


def build_bytes(
    source: Input | Briefing, language: str | None = None, paper: Paper = "a4"
) -> bytes:
    """The one-page PDF for ``source`` as bytes."""
    from .page.layout import lay_out
    from .page.pdf import render

    briefing = source if isinstance(source, Briefing) else parse(source, language)
    return render(lay_out(briefing, paper))


def build(
    source: Input | Briefing, output: str | Path, language: str | None = None, paper: Paper = "a4"
) -> Path:
    """Build ``source`` and write the PDF atomically to ``output``; returns the path written."""
    from ._atomic import write_atomic

    return write_atomic(build_bytes(source, language, paper), Path(output))


def default_output(source: Path, language: str | None, out_dir: Path = Path("out")) -> Path:
    """``out/<input name>[-<lang>].pdf``; the language suffix only when one was asked for."""
    stem = source.stem
    if source.parent == EXAMPLES_DIR:
        stem = _EXAMPLE_OUTPUT.get(stem, stem)
    suffix = f"-{language}" if language and language != "en" else ""
    return out_dir / f"{stem}{suffix}.pdf"


_EXAMPLE_OUTPUT = {
    "karamay": "karamay-2023-jan-apr",
    "singapore": "singapore-2023",
    "jieyang": "jieyang-2021-09-18-24",
}
