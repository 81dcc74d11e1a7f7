"""Turn sources and recipient rows into ``Letter``s: each row's briefing, built, with its preview.

A row's ``region`` names one of the briefings the sources stand for — a region of a tally split
with ``--by region`` (by its name as the tally writes it, ``North District``, as its file is
named, ``north-district``, or as its pages name it, the label the TOML's ``[regions]`` table
gives it in any language, ``北区``), or a data file of a batch (``north`` for ``north.toml``).
An empty region is the whole-area briefing. Every row is matched before anything is built, so a
misspelt region stops the run before a single message leaves. Each briefing is built once per
edition however many rows get it, and written beside the delivery log as a record of what went.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .._atomic import write_atomic
from ..api import Paper, output_path
from ..errors import InputError, KreportError, Problem
from ..model import Briefing, Language
from ..sources import By, Item, Source, collect
from .recipients import Recipient


@dataclass(frozen=True, slots=True)
class Letter:
    """One message to send: a recipient and their briefing as built, or why it could not be."""

    recipient: Recipient
    briefing: Briefing | None = None
    pdf: bytes = b""
    path: Path | None = None
    """Where the PDF was written; its name is the attachment's."""
    preview: bytes = b""
    error: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest() if self.pdf else ""


def match(
    sources: Sequence[Source],
    recipients: Sequence[Recipient],
    *,
    period: str | None = None,
    by: By | None = None,
    label: str = "<recipients>",
) -> list[tuple[Recipient, Item]]:
    """The briefing each row gets; ``InputError`` listing every row that names none."""
    items = collect(sources, period=period, by=by)
    broken = [i.error for i in items if i.error is not None]
    for i in items:
        if i.tally is not None and i.tally.problems:  # a tally's bad cells, its TOML's keys
            try:
                i.validate()
            except KreportError as exc:
                broken.append(exc)
    if broken:
        raise KreportError("\n".join(str(e) for e in broken))
    names = {i.name.casefold(): i for i in items}
    whole: list[Item] | None = None
    problems: list[Problem] = []
    out: list[tuple[Recipient, Item]] = []
    for r in recipients:
        where = f'row {r.row}, column "region"'
        if r.region:
            item = names.get(r.region.casefold()) or names.get(_slug(r.region))
            item = item or next((i for i in items if r.region.casefold() in _names_of(i)), None)
            if item is None:
                known = ", ".join(sorted(i.name for i in items))
                problems.append(Problem(where, f"no briefing for {r.region!r}; there are: {known}"))
                continue
        else:
            if whole is None:
                whole = items if by is None else collect(sources, period=period)
            if len(whole) != 1:
                problems.append(
                    Problem(where, f"is empty, but the sources stand for {len(whole)} briefings")
                )
                continue
            item = whole[0]
        out.append((r, item))
    if problems:
        raise InputError(label, problems)
    return out


def _names_of(item: Item) -> set[str]:
    """How a row may name ``item`` besides its file name: as messages name it, or as its pages
    do (a tally region's label from the TOML's ``[regions]`` table, in any language)."""
    labels = item.tally.labels if item.tally is not None else ()
    return {n.casefold() for n in (item.label, *labels)}


def _slug(region: str) -> str:
    from ..tally.briefings import slug

    try:
        return slug(region)
    except ValueError:  # no letters or digits: no region's file has that name
        return ""


def build_letters(
    pairs: Sequence[tuple[Recipient, Item]],
    out_dir: Path,
    *,
    language: str | None = None,
    paper: Paper = "a4",
    preview_ppi: int = 144,
) -> list[Letter]:
    """Build each row's briefing (once per briefing and edition) and write its PDF to ``out_dir``.

    A briefing that fails to build fails the rows that need it, not the others; so does one
    that would overwrite another briefing's file (a whole-area tally named like a region).
    """
    built: dict[tuple[str, str | None], Letter] = {}
    written: dict[Path, str] = {}
    letters = []
    for recipient, item in pairs:
        edition = recipient.language or language
        key = (item.name, edition)
        if key not in built:
            built[key] = _build(item, edition, paper, out_dir, preview_ppi, written)
        made = built[key]
        letters.append(
            Letter(recipient, made.briefing, made.pdf, made.path, made.preview, made.error)
        )
    return letters


def _build(
    item: Item,
    edition: str | None,
    paper: Paper,
    out_dir: Path,
    ppi: int,
    written: dict[Path, str],
) -> Letter:
    from ..page.layout import lay_out
    from ..page.pdf import render
    from .png import pdf_to_png

    placeholder = Recipient(0, "")
    try:
        briefing = item.validate(edition)
        path = _path(item, briefing.language, out_dir)
        if written.setdefault(path, item.label) != item.label:
            raise KreportError(
                f"{written[path]} and {item.label} would both write {path}; rename one"
            )
        pdf = render(lay_out(briefing, paper))
        write_atomic(pdf, path)
        return Letter(placeholder, briefing, pdf, path, pdf_to_png(pdf, ppi))
    except KreportError as exc:
        return Letter(placeholder, error=str(exc))


def _path(item: Item, language: Language, out_dir: Path) -> Path:
    # Named by the edition actually built, so that two rows asking for the same edition in
    # different words (no lang, and the file's own) share one file, and two editions never do.
    return output_path(item.name, language, out_dir)


__all__ = ["Letter", "build_letters", "match"]
