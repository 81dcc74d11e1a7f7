"""Turn the bytes of an .xlsx workbook into the cells of its chosen sheets, measured first.

An .xlsx file is a zip of XML. Read naively, a 5 KB file with one cell at ``XFD1048576`` makes the
reader allocate a 16,384 x 1,048,576 grid, and a 3 MB zip can unpack to gigabytes. So nothing is
handed to python-calamine until it has been measured here, with the standard library only:

1. the zip's central directory: how many members, and the unpacked size each declares, against
   ``MAX_MEMBERS`` and ``MAX_UNPACKED_BYTES``;
2. each member actually unpacked (streamed, stopping past its declared size), so a zip whose
   headers lie is caught before anything trusts them;
3. the workbook's sheet list (names, visibility, which XML part holds each sheet), to choose the
   sheets by name;
4. the chosen sheets' XML, scanned tag by tag (never parsed into a tree): where every cell is,
   against ``MAX_ROWS``, ``MAX_COLUMNS`` and ``MAX_CELLS``; which cells hold an error value
   (``#DIV/0!``) and which a formula with no saved result, which the reader would show as empty.

Every refusal is an ``InputError`` in well under a second and a few tens of MB.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeAlias
from xml.etree import ElementTree

from ..errors import InputError, Problem
from .cells import CellError
from .read import MAX_COLUMNS, MAX_ROWS

MAX_UNPACKED_BYTES = 64 * 1024 * 1024
"""Most bytes all members of a workbook may unpack to: a tally of 100,000 rows fits in a tenth."""
MAX_MEMBERS = 1000
"""Most files inside the zip: a workbook has a dozen or two."""
MAX_CELLS = 500_000
"""Most cells in a sheet's used range (from A1 to its last row and column): ten years of months
for a hundred regions and forty columns. The range is what a reader allocates, so a sheet with
two cells, at A1 and GR100000, counts 20 million."""

Xml: TypeAlias = bytes | bytearray

HIDDEN = ("hidden", "veryHidden")
KEPT_BYTES = 1 << 20
"""XML parts up to this size are kept once unpacked; a bigger one (a sheet) is unpacked again
when it is measured, so that a workbook's sheets are never all held at once."""
_CHUNK = 1 << 20

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
_OFFICE_DOC = "/officeDocument"
_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet of the workbook's list: its name, whether it is hidden, and its XML part."""

    name: str
    hidden: bool
    part: str


@dataclass(frozen=True, slots=True)
class Extent:
    """What scanning a sheet's XML found: its used range and the cells the reader would blank."""

    rows: int
    columns: int
    errors: Mapping[tuple[int, int], CellError]
    """0-based (row, column) -> the error value or missing result in that cell."""


class Workbook:
    """A measured .xlsx: its members checked, its sheet list read; ``cells`` reads one sheet."""

    def __init__(self, data: bytes, source: str) -> None:
        self.data = data
        self.source = source
        self.zip = self._open()
        self.parts = self._unpack_sizes()
        self.sheets = self._sheet_list()

    def fail(self, message: str, where: str = "") -> InputError:
        return InputError(self.source, [Problem(where, message)])

    # -- 1 and 2: the zip ------------------------------------------------------------------------

    def _open(self) -> zipfile.ZipFile:
        # Counted before zipfile builds an object per member: 20 MB of tiny entries is ~400,000.
        if self.data.count(b"PK\x01\x02") > MAX_MEMBERS:
            raise self.fail(f"holds more than {MAX_MEMBERS} files; it is not a tally workbook")
        try:
            return zipfile.ZipFile(io.BytesIO(self.data))
        except (zipfile.BadZipFile, ValueError, OSError):
            raise self.fail(
                "is not an .xlsx workbook (not a zip file); save it from Excel or LibreOffice "
                'as "Excel Workbook (.xlsx)"'
            ) from None

    def _unpack_sizes(self) -> dict[str, int]:
        infos = self.zip.infolist()
        declared = sum(i.file_size for i in infos)
        if declared > MAX_UNPACKED_BYTES:
            raise self.fail(self._too_big(declared))
        sizes = {}
        # kept for ``member``: the small XML parts (sheet list, relationships), unpacked once;
        # a big one (a sheet) is unpacked again when measured, so that only one is ever held
        self._unpacked: dict[str, bytearray] = {}
        for info in infos:
            if info.flag_bits & 0x1:
                raise self.fail("is encrypted (password-protected); save a copy without a password")
            keep = info.filename.endswith((".xml", ".rels")) and info.file_size <= KEPT_BYTES
            data = self._read(info, keep)
            sizes[info.filename] = info.file_size
            if keep:
                self._unpacked[info.filename] = data
        return sizes

    def _read(self, info: zipfile.ZipInfo, keep: bool = True) -> bytearray:
        """A member's bytes (with ``keep``, else none, only checked), unpacked at most one byte
        past what it declares."""
        bounded = zipfile.ZipInfo(info.filename, info.date_time)
        for attr in ("compress_type", "compress_size", "flag_bits", "header_offset", "CRC"):
            setattr(bounded, attr, getattr(info, attr))
        bounded.file_size = info.file_size + 1  # so that a longer stream shows itself
        data, size = bytearray(), 0
        try:
            with self.zip.open(bounded) as fh:
                # in slices: read() at once would hold the bytes twice while it joins them
                while chunk := fh.read(_CHUNK):
                    size += len(chunk)
                    if keep:
                        data += chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
            raise self.fail(f"is damaged: cannot unpack {info.filename} ({exc})") from None
        if size != info.file_size:
            raise self.fail(
                f"is damaged or crafted: {info.filename} unpacks to more or less than the "
                f"{info.file_size} bytes it declares"
            )
        return data

    def _too_big(self, size: int) -> str:
        return (
            f"unpacks to {size / 2**20:.0f} MiB of XML, more than the "
            f"{MAX_UNPACKED_BYTES >> 20} MiB a tally workbook may"
        )

    def member(self, name: str) -> bytearray:
        if name in self._unpacked:
            return self._unpacked[name]
        info = self.zip.getinfo(name) if name in self.parts else None
        if info is None:
            raise self.fail(f"is damaged: it has no {name}")
        return self._read(info)

    # -- 3: the sheet list -----------------------------------------------------------------------

    def _xml(self, name: str) -> ElementTree.Element:
        data = self.member(name)
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:  # never in a workbook; entity bombs are
            raise self.fail(f"is crafted: {name} declares XML entities")
        try:
            return ElementTree.fromstring(data)
        except ElementTree.ParseError as exc:
            raise self.fail(f"is damaged: {name} is not well-formed XML ({exc})") from None

    def _targets(self, rels: str, folder: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, part path) from a .rels part."""
        out = {}
        for rel in self._xml(rels).iter(f"{_RELS_NS}Relationship"):
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}"
            out[rel.get("Id", "")] = (rel.get("Type", ""), posixpath.normpath(path).lstrip("/"))
        return out

    def _sheet_list(self) -> list[Sheet]:
        office = [
            part
            for kind, part in self._targets("_rels/.rels", "").values()
            if kind.endswith(_OFFICE_DOC)
        ]
        book = office[0] if office else "xl/workbook.xml"
        folder, name = posixpath.split(book)
        targets = self._targets(f"{folder}/_rels/{name}.rels", folder)
        sheets = []
        for element in self._xml(book).iter():
            if not element.tag.endswith("}sheet"):
                continue
            kind, part = targets.get(element.get(_R_ID, ""), ("", ""))
            if part in self.parts and kind.endswith("/worksheet"):
                hidden = element.get("state", "visible") in HIDDEN
                sheets.append(Sheet(element.get("name", ""), hidden, part))
        return sheets

    def choose(self, wanted: str, explicit: bool = False) -> Sheet | None:
        """The sheet named ``wanted`` after trimming and folding case; None if there is none.

        Two sheets that match are an error, never a silent choice. A hidden sheet is chosen
        only when ``explicit`` (named by the user, not by kreport's default).
        """
        key = wanted.strip().casefold()
        found = [s for s in self.sheets if s.name.strip().casefold() == key]
        usable = found if explicit else [s for s in found if not s.hidden]
        if len(usable) > 1:
            names = " and ".join(f'"{s.name}"' for s in usable)
            raise self.fail(
                f'the sheets {names} all match "{wanted}" (case and spaces are ignored); '
                "rename all but one"
            )
        if not usable and found:
            raise self.fail(
                f'the sheet "{found[0].name}" is hidden, so it is not used; unhide it, or name '
                f'it in the briefing TOML (sheets = {{ {wanted} = "{found[0].name}" }})'
            )
        return usable[0] if usable else None

    # -- 4: a sheet's cells ----------------------------------------------------------------------

    def measure(self, sheet: Sheet) -> Extent:
        """Scan ``sheet``'s XML for its used range and its error cells; refuse it past a limit."""
        xml = self.member(sheet.part)
        scan = _Scan(sheet.name, self)
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
            raise self.fail(
                f"has {count:,} cells or more, more than the {MAX_CELLS:,} a tally sheet may have",
                sheet.name,
            )
        return (scan.fast(xml, count) if plain else None) or scan.run(xml)

    def select(
        self, wanted: Sequence[str], explicit: Mapping[str, str] | None = None
    ) -> dict[str, tuple[Sheet, Extent]]:
        """The sheets ``wanted`` (kreport's names for them) that exist, each measured.

        ``explicit`` maps a wanted name to the sheet the user named for it (hidden allowed).
        """
        out = {}
        for name in wanted:
            given = (explicit or {}).get(name)
            sheet = self.choose(given if given is not None else name, explicit=given is not None)
            if sheet is None and given is not None:
                raise self.fail(f'has no sheet named "{given}"', f"sheets.{name}")
            if sheet is not None:
                out[name] = (sheet, self.measure(sheet))
        return out


class _Scan:
    """One pass over a sheet's XML tags, placing cells the way the reader does (a cell without a
    reference follows the one before it; a row without a number follows the row before)."""

    def __init__(self, name: str, book: Workbook) -> None:
        self.name = name
        self.book = book
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
            raise self.book.fail(
                f"{limit} a tally sheet may use; delete it (and any formatting there)",
                f"{self.name}!{ref}",
            )
        self.rows = max(self.rows, row + 1)
        self.columns = max(self.columns, col + 1)
        if self.rows * self.columns > MAX_CELLS:
            raise self.book.fail(
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
