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
4. the chosen sheets' XML, one at a time, scanned tag by tag by ``sheetxml.py`` (never parsed
   into a tree): where every cell is, against ``MAX_ROWS``, ``MAX_COLUMNS`` and ``MAX_CELLS``;
   which cells hold an error value (``#DIV/0!``) and which a formula with no saved result,
   which the reader would show as empty.

Every refusal is an ``InputError`` in well under a second and a few tens of MB.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree

from ..errors import InputError, Problem
from .sheetxml import Extent, measure

MAX_UNPACKED_BYTES = 64 * 1024 * 1024
"""Most bytes all members of a workbook may unpack to: a tally of 100,000 rows fits in a tenth."""
MAX_MEMBERS = 1000
"""Most files inside the zip: a workbook has a dozen or two."""
HIDDEN = ("hidden", "veryHidden")
KEPT_BYTES = 1 << 20
"""XML parts up to this size are kept once unpacked; a bigger one (a sheet) is unpacked again
when it is measured, so that a workbook's sheets are never all held at once."""
_CHUNK = 1 << 20

_OFFICE_DOC = "/officeDocument"
_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet of the workbook's list: its name, whether it is hidden, and its XML part."""

    name: str
    hidden: bool
    part: str


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
        return measure(self.member(sheet.part), sheet.name, self.fail)

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
