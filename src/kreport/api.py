"""The public pipeline: source -> raw briefing -> validated ``Briefing`` -> page -> PDF bytes.

Reads like the stages: ``sources.collect`` names what to build, ``source.validate`` checks it,
``page.layout`` lays it out on one page and ``page.pdf`` writes the bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal, TypeAlias

from .model import Briefing
from .sources import (
    DEFAULT_EXAMPLE,
    By,
    Item,
    collect,
    example_names,
    example_path,
    files_read,
    only,
    output_name,
    refuse_overwriting_inputs,
)

Paper: TypeAlias = Literal["a4", "letter"]
Input: TypeAlias = str | Path | Mapping[str, Any] | Item
"""A data file's or tally's path, an already-parsed mapping with a data file's keys, or an Item."""


def parse(source: Input, language: str | None = None, *, period: str | None = None) -> Briefing:
    """Load and validate ``source``; raises ``InputError`` listing every problem.

    A tally is read for ``period`` (default: its TOML's ``months``, else the year to date).
    """
    from .source.validate import validate

    if isinstance(source, Mapping):
        return validate(source, "<data>", language)
    return only(collect([source], period=period), str(source)).validate(language)


def check(
    source: Input | Briefing,
    language: str | None = None,
    paper: Paper = "a4",
    *,
    period: str | None = None,
) -> Briefing:
    """What a build of ``source`` would report, writing nothing: it is validated, then laid out
    on one page (measured only, no PDF made). Raises ``InputError`` or ``LayoutError``."""
    from .page.layout import lay_out

    briefing = source if isinstance(source, Briefing) else parse(source, language, period=period)
    lay_out(briefing, paper)  # only once the data is valid: the layout is most of the cost
    return briefing


def build_bytes(
    source: Input | Briefing,
    language: str | None = None,
    paper: Paper = "a4",
    *,
    period: str | None = None,
    pdfa: bool = False,
) -> bytes:
    """The one-page PDF for ``source`` as bytes: tagged for accessibility (PDF/UA-1), and with
    ``pdfa`` also archival (PDF/A-2b)."""
    from .page.layout import lay_out
    from .page.pdf import render

    briefing = source if isinstance(source, Briefing) else parse(source, language, period=period)
    return render(lay_out(briefing, paper), pdfa=pdfa)


def build(
    source: Input | Briefing,
    output: str | Path,
    language: str | None = None,
    paper: Paper = "a4",
    *,
    period: str | None = None,
    pdfa: bool = False,
) -> Path:
    """Build ``source`` and write the PDF atomically to ``output``; returns the path written.
    With ``pdfa``, the PDF is PDF/A-2b as well as tagged (see ``build_bytes``).

    For one briefing per region of a tally, use ``build_many([tally], out_dir, by="region")``.
    Raises ``OutputError``, writing nothing, if ``output`` is a file ``source`` is read from
    (the data file, or a tally's TOML or spreadsheets), or anything but a regular file.
    """
    from ._atomic import write_atomic

    output = Path(output)
    ready = for_output(source, output, period=period)
    return write_atomic(build_bytes(ready, language, paper, pdfa=pdfa), output)


def for_output(
    source: Input | Briefing, output: Path, *, period: str | None = None
) -> Item | Mapping[str, Any] | Briefing:
    """``source`` collected and ready to build into ``output`` (tallies read for ``period``).

    Raises ``OutputError`` if ``output`` is one of the files ``source`` is read from, before
    anything is built: every writer (PDF, PNG) calls this first.
    """
    if isinstance(source, Briefing | Mapping):
        return source
    if isinstance(source, Item):
        item = source
    else:
        item = only(collect([source], period=period), str(source))
    refuse_overwriting_inputs([output], item.inputs)  # before reading it
    raw = item.load()
    refuse_overwriting_inputs([output], files_read(item, raw))  # its logo, too
    return replace(item, raw=raw)


def default_output(source: Path, language: str | None, out_dir: Path = Path("out")) -> Path:
    """``out/<input name>[-<lang>].pdf``; the language suffix only when one was asked for."""
    return output_path(output_name(source), language, out_dir)


def output_path(name: str, language: str | None, out_dir: Path = Path("out")) -> Path:
    suffix = f"-{language}" if language and language != "en" else ""
    return out_dir / f"{name}{suffix}.pdf"


__all__ = [
    "DEFAULT_EXAMPLE",
    "By",
    "Input",
    "Item",
    "Paper",
    "build",
    "build_bytes",
    "check",
    "collect",
    "default_output",
    "example_names",
    "example_path",
    "for_output",
    "output_path",
    "parse",
]
