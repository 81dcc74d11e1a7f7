"""Turn a recipients CSV into ``Recipient`` rows, reporting every problem at once.

Columns (header row, any order, case ignored): ``email`` (required), ``region``, ``lang``,
``cc`` and ``name``. Nothing is sent unless every row is good: a typo in an address or an
edition is found before the first message leaves, not after half of them did.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass
from email.errors import HeaderParseError, MessageDefect
from email.headerregistry import Address
from pathlib import Path

from ..errors import InputError, Problem
from ..model import ALIASES, LANGUAGES, Language, language_tag

COLUMNS = ("email", "region", "lang", "cc", "name")
MAX_ROWS = 5000
"""More recipients than this is refused before anything is built: a mail merge of that size
belongs to a mailing-list server, and a mistake would reach too many people."""
MAX_BYTES = 2_000_000


@dataclass(frozen=True, slots=True)
class Recipient:
    """One row: who gets which briefing, in which edition."""

    row: int
    """The CSV line number (the header is line 1), for messages."""
    email: str
    name: str = ""
    region: str = ""
    """The region as the row writes it; empty for the whole-area briefing."""
    language: Language | None = None
    """The edition; None for the data file's own (or ``--lang``)."""
    cc: tuple[str, ...] = ()

    @property
    def address(self) -> Address:
        return Address(display_name=self.name, addr_spec=self.email)


def read_recipients(path: str | Path) -> list[Recipient]:
    """The rows of the CSV at ``path``; ``InputError`` listing every problem in it."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(str(path), [Problem("", f"is {size:,} bytes; the limit is 2 MB")])
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), [Problem("", f"cannot read: {exc.strerror or exc}")]) from None
    return parse_recipients(data, str(path))


def parse_recipients(data: bytes, source: str = "<recipients>") -> list[Recipient]:
    """The rows of CSV ``data`` (UTF-8, with or without a byte-order mark)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            source,
            [Problem("", f"is not UTF-8 (byte {exc.start}); save it as 'CSV UTF-8'")],
        ) from None
    lines = text.splitlines()
    header = lines[0] if lines else ""
    # Spreadsheets in many locales save CSV with ';' (the comma is their decimal separator).
    delimiter = ";" if ";" in header and "," not in header else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    problems: list[Problem] = []
    columns = _columns(rows[0] if rows else [], problems)
    if problems:
        raise InputError(source, problems)
    if len(rows) - 1 > MAX_ROWS:
        raise InputError(source, [Problem("", f"has {len(rows) - 1} rows; at most {MAX_ROWS}")])
    out: list[Recipient] = []
    seen: dict[tuple[str, str, str], int] = {}
    for line, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue  # blank lines at the end of an exported sheet
        recipient = _row(line, cells, columns, problems)
        if recipient is None:
            continue
        key = (recipient.email.casefold(), recipient.region.casefold(), recipient.language or "")
        if key in seen:
            problems.append(
                Problem(f"row {line}", f"repeats row {seen[key]} (same email, region and lang)")
            )
        seen.setdefault(key, line)
        out.append(recipient)
    if not out and not problems:
        problems.append(Problem("", "has no recipients below its header"))
    if problems:
        raise InputError(source, problems)
    return out


def _columns(header: list[str], problems: list[Problem]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for i, raw in enumerate(header):
        name = raw.strip().casefold()
        if name in COLUMNS:
            if name in columns:
                problems.append(Problem("header", f'the column "{name}" appears twice'))
            columns[name] = i
        elif name:
            close = difflib.get_close_matches(name, COLUMNS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            known = ", ".join(COLUMNS)
            problems.append(
                Problem("header", f"unknown column {raw.strip()!r}{hint} (known: {known})")
            )
    if "email" not in columns:
        problems.append(Problem("header", 'needs an "email" column'))
    return columns


def _row(
    line: int, cells: list[str], columns: dict[str, int], problems: list[Problem]
) -> Recipient | None:
    def cell(name: str) -> str:
        i = columns.get(name)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    where = f"row {line}"
    before = len(problems)
    email = _address(cell("email"), f'{where}, column "email"', problems)
    cc = tuple(
        _address(a.strip(), f'{where}, column "cc"', problems)
        for a in cell("cc").replace(";", ",").split(",")
        if a.strip()
    )
    name = cell("name")
    for label, text in (("name", name), ("region", cell("region"))):
        if any(ord(c) < 32 or ord(c) == 127 for c in text):
            problems.append(Problem(f'{where}, column "{label}"', "contains a control character"))
    language = None
    if cell("lang"):
        language = language_tag(cell("lang"))
        if language is None:
            known = ", ".join([*LANGUAGES, *ALIASES])
            problems.append(
                Problem(f'{where}, column "lang"', f"unknown edition {cell('lang')!r}; use {known}")
            )
    if len(problems) > before:
        return None
    return Recipient(line, email, name, cell("region"), language, cc)


def _address(text: str, where: str, problems: list[Problem]) -> str:
    if not text:
        problems.append(Problem(where, "is empty; an email address is needed"))
        return ""
    if not text.isascii():
        problems.append(
            Problem(where, f"{text!r}: addresses with non-ASCII characters are not supported")
        )
        return ""
    try:
        address = Address(addr_spec=text)
    except (ValueError, HeaderParseError, MessageDefect):
        problems.append(Problem(where, f"{text!r} is not an email address"))
        return ""
    if not address.username or not address.domain:
        problems.append(Problem(where, f"{text!r} is not an email address"))
        return ""
    return address.addr_spec


__all__ = ["COLUMNS", "MAX_ROWS", "Recipient", "parse_recipients", "read_recipients"]
