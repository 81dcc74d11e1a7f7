"""Turn one sheet's XML into its ``Extent``: where its cells are, against the limits, and which
hold an error value or a formula with no saved result (python-calamine would show them empty).

The XML is scanned tag by tag, never parsed into a tree; the common case (every cell written
``<c r="B7" ...>``, as Excel, LibreOffice and every library write them) at C speed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeAlias

from ..errors import InputError
from .cells import CellError
from .table import MAX_COLUMNS, MAX_ROWS

MAX_CELLS = 500_000
"""Most cells in a sheet's used range (from A1 to its last row and column): ten years of months
for a hundred regions and forty columns. The range is what a reader allocates, so a sheet with
two cells, at A1 and GR100000, counts 20 million."""

Xml: TypeAlias = bytes | bytearray
Fail: TypeAlias = Callable[[str, str], InputError]
"""Makes the workbook's error: (message, where)."""

_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_TAG = re.compile(rb"<" + _PREFIX + rb"(row|c|f)(?=[\s/>])([^>]*)>")
_REF = re.compile(rb"""\sr\s*=\s*["']\$?([A-Za-z]{0,4})\$?(\d{0,9})["']""")
_TYPE = re.compile(rb"""\st\s*=\s*["']([^"']*)["']""")
_CELL_END = re.compile(rb"</" + _PREFIX + rb"c\s*>|<" + _PREFIX + rb"c(?=[\s/>])")
_VALUE = re.compile(rb"<" + _PREFIX + rb"v(?:\s[^>]*)?>([^<]*)<")
_FAST_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*?(/?)>')
_FAST_CELL_TAG = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"([^>]*)>')
_FAST_ERROR = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*?\st="e"[^>/]*>')
_FORMULA = re.compile(rb"<f(?=[\s/>])")
_UNPREFIXED_ROOT = re.compile(rb"<worksheet[\s>]")
_ANY_CELL = re.compile(rb"<" + _PREFIX + rb"c(?=[\s/>])")
_SLICE = 1 << 21
_DIMENSION = re.compile(rb'<dimension ref="(?:[A-Z]{1,3}[0-9]{1,7}:)?([A-Z]{1,3})([0-9]{1,7})"')


@dataclass(frozen=True, slots=True)
class Extent:
    """What scanning a sheet's XML found: its used range and the cells the reader would blank."""

    rows: int
    columns: int
    errors: Mapping[tuple[int, int], CellError]
    """0-based (row, column) -> the error value or missing result in that cell."""


def measure(xml: Xml, name: str, fail: Fail) -> Extent:
    """Scan sheet ``name``'s XML for its used range and its error cells; refuse it past a limit."""
    scan = _Scan(name, fail)
    # Every cell written "<c r=...", no namespace prefix (what every writer does): counted
    # and measured at C speed. Anything else is counted and measured tag by tag.
    start = xml.find(b"<sheetData")
    plain = start != -1 and _UNPREFIXED_ROOT.search(xml, 0, 4096) and b":c " not in xml
    count = xml.count(b'<c r="', start) if plain else 0
    # every "<c" in the sheet's data a cell with its reference first (a rich-text <color>
    # also counts, and only sends the sheet the slow way)
    plain = plain and xml.count(b"<c", start) == count
    if not plain:
        for _ in _ANY_CELL.finditer(xml):
            count += 1
            if count > MAX_CELLS:
                break
    if count > MAX_CELLS:
        raise fail(
            f"has {count:,} cells or more, more than the {MAX_CELLS:,} a tally sheet may have",
            name,
        )
    return (scan.fast(xml, count) if plain else None) or scan.run(xml)


class _Scan:
    """One pass over a sheet's XML tags, placing cells the way the reader does (a cell without a
    reference follows the one before it; a row without a number follows the row before)."""

    def __init__(self, name: str, fail: Fail) -> None:
        self.name = name
        self.fail = fail
        self.rows = self.columns = 0
        self.errors: dict[tuple[int, int], CellError] = {}

    def fast(self, xml: Xml, cells: int) -> Extent | None:
        """The common case at C speed: every one of the ``cells`` written ``<c r="B7" ...>``,
        as Excel, LibreOffice and every library write them; None when it needs ``run``."""
        claimed = self.claimed(xml, cells)
        if claimed is not None:
            rows, columns = claimed
            letters = {_column_letters(columns - 1).encode()}
        else:
            rows, letters = self.refs(xml)
            columns = max((_column_index(c) + 1 for c in letters), default=0)
        if rows > MAX_ROWS:  # name the cell that is too far down
            far = re.search(rb'<c r="([A-Z]{1,3})%d"' % rows, xml)
            self.place(rows - 1, _column_index(far.group(1)) if far else 0)
        if columns > MAX_COLUMNS:
            name = max(letters, key=lambda c: (len(c), c))
            far = re.search(rb'<c r="' + name + rb'([0-9]{1,7})"', xml)
            self.place(int(far.group(1)) - 1 if far else 0, columns - 1)
        if rows and columns:
            self.place(rows - 1, columns - 1)  # the used range as a whole
        self.rows, self.columns = rows, columns
        if b't="e"' in xml:
            for m in _FAST_ERROR.finditer(xml):
                value = _VALUE.search(xml, m.end(), self.cell_end(xml, m.end()))
                text = value.group(1).decode("utf-8", "replace").strip() if value else ""
                self.errors[_position(m)] = CellError(text or "#N/A")
        if b"<f" in xml:
            for m in _FORMULA.finditer(xml):
                cell = _FAST_CELL_TAG.match(xml, xml.rfind(b"<c ", 0, m.start()))
                if cell is None:
                    return None
                kind = _TYPE.search(cell.group(3))
                if kind and kind.group(1) in (b"e", b"str", b"s", b"inlineStr"):
                    continue
                value = _VALUE.search(xml, m.end(), self.cell_end(xml, m.end()))
                if value is None or not value.group(1).strip():
                    self.errors[_position(cell)] = CellError(None)
        return Extent(self.rows, self.columns, self.errors)

    @staticmethod
    def claimed(xml: Xml, cells: int) -> tuple[int, int] | None:
        """The sheet's ``<dimension ref="A1:V120"/>`` as (rows, columns), once one search at C
        speed has shown that no cell lies beyond it; None when there is none to trust."""
        found = _DIMENSION.search(xml, 0, 4096)
        if found is None or not cells:
            return None
        letters, digits = found.group(1), found.group(2)
        rows, columns = int(digits), _column_index(letters) + 1
        if rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
            return None  # ``refs`` finds the real extent, which may be smaller
        beyond = re.compile(
            rb'<c r="(?:(?:'
            + _greater(letters, b"A-Z")
            + rb")[0-9]|[A-Z]+(?:"
            + _greater(digits, b"0-9")
            + rb')")'
        )
        return None if beyond.search(xml) else (rows, columns)

    @staticmethod
    def refs(xml: Xml) -> tuple[int, set[bytes]]:
        """The last row and the column letters of every cell that holds something."""
        rows = 0
        letters: set[bytes] = set()
        start = 0
        while start < len(xml):  # in slices, so a big sheet never makes a big list
            stop = xml.find(b"<c ", start + _SLICE) if start + _SLICE < len(xml) else -1
            stop = len(xml) if stop == -1 else stop
            found = _FAST_CELL.findall(xml, start, stop)
            filled = [(col, row) for col, row, empty in found if not empty]
            letters.update(col for col, _ in filled)
            rows = max(rows, max((int(row) for _, row in filled), default=0))
            start = stop
        return rows, letters

    def run(self, xml: Xml) -> Extent:
        row, col = -1, -1  # the current cell, 0-based; no row started yet
        cell_type = b""
        for m in _TAG.finditer(xml):
            kind, attrs = m.group(1), m.group(2)
            if kind == b"row":
                ref = _REF.search(attrs) if b"r" in attrs else None
                row = int(ref.group(2)) - 1 if ref and ref.group(2) else row + 1
                col = -1
            elif kind == b"c":
                ref = _REF.search(attrs) if b"r" in attrs else None
                if ref and ref.group(1):
                    col = _column_index(ref.group(1))
                    if ref.group(2):
                        row = int(ref.group(2)) - 1
                else:
                    col += 1
                row = max(row, 0)
                found = _TYPE.search(attrs) if b"t" in attrs else None
                cell_type = found.group(1) if found else b""
                if attrs.endswith(b"/"):  # <c r="XFD9" s="1"/>: formatting only, never read
                    continue
                self.place(row, col)
                if cell_type == b"e":
                    value = _VALUE.search(xml, m.end(), self.cell_end(xml, m.end()))
                    text = value.group(1).decode("utf-8", "replace").strip() if value else ""
                    self.errors[(row, col)] = CellError(text or "#N/A")
            elif col >= 0 and cell_type not in (b"e", b"str", b"s", b"inlineStr"):
                # a formula: its cell needs a saved result, or the reader shows it empty
                value = _VALUE.search(xml, m.end(), self.cell_end(xml, m.end()))
                if value is None or not value.group(1).strip():
                    self.errors[(row, col)] = CellError(None)
        return Extent(self.rows, self.columns, self.errors)

    @staticmethod
    def cell_end(xml: Xml, start: int) -> int:
        end = _CELL_END.search(xml, start)
        return end.start() if end else len(xml)

    def place(self, row: int, col: int) -> None:
        if row >= MAX_ROWS or col >= MAX_COLUMNS or row < 0:
            ref = f"{_column_letters(col)}{row + 1}"
            limit = (
                f"row {row + 1} is past the {MAX_ROWS:,} rows"
                if row >= MAX_ROWS or row < 0
                else f"column {_column_letters(col)} is past the {MAX_COLUMNS} columns"
            )
            raise self.fail(
                f"{limit} a tally sheet may use; delete it (and any formatting there)",
                f"{self.name}!{ref}",
            )
        self.rows = max(self.rows, row + 1)
        self.columns = max(self.columns, col + 1)
        if self.rows * self.columns > MAX_CELLS:
            raise self.fail(
                f"its used range A1:{_column_letters(self.columns - 1)}{self.rows} has "
                f"{self.rows * self.columns:,} cells, more than the {MAX_CELLS:,} a tally "
                "sheet may have; delete what lies beyond the table (and any formatting there)",
                self.name,
            )


def _greater(text: bytes, alphabet: bytes) -> bytes:
    """A regex for strings over ``alphabet`` (a class such as ``A-Z``) that sort after ``text``
    as column letters or row numbers do: longer ones, or as long and greater at some place."""
    alternatives = [b"[" + alphabet + b"]{%d,}" % (len(text) + 1)]
    last = alphabet[-1:]
    for i, ch in enumerate(text):
        if bytes([ch]) == last:
            continue
        above = bytes([ch + 1]) + b"-" + last
        rest = len(text) - i - 1
        alternatives.append(text[:i] + b"[" + above + b"]" + b"[" + alphabet + b"]{%d}" % rest)
    return b"|".join(alternatives)


def _position(cell: re.Match[bytes]) -> tuple[int, int]:
    """0-based (row, column) of a ``<c r="B7"`` match."""
    return int(cell.group(2)) - 1, _column_index(cell.group(1))


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + ch - ord("A") + 1
    return index - 1


def _column_letters(col: int) -> str:
    letters = ""
    col += 1
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters
