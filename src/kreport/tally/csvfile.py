"""Turn a CSV file into its rows of text cells, read a slice at a time: never the whole file nor
its whole text in memory, however many rows it has.

The encoding is told by one pass over the bytes that keeps nothing but the header line: UTF-8 (a
BOM allowed), UTF-16 with a BOM, or else GB18030 (Chinese Excel's "CSV"), taken only if it reads
as Chinese. The separator is whichever of comma, semicolon and tab the header has most of. A
second pass parses the same bytes (no more than the first pass checked) as they are read.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from ..errors import InputError, Problem
from .table import MAX_FILE_BYTES

_SLICE = 1 << 20
_BOM = b"\xef\xbb\xbf"
_LATIN_GLUED = re.compile(r"[A-Za-z][\u3400-\u9fff]|[\u3400-\u9fff][A-Za-z]")
"""Latin-1 text read as GB18030 glues a Han character to the letters around an accent
("Région" -> "R" + Han + "ion"); real Chinese tallies are accepted, such files are not."""


class Sniffed(NamedTuple):
    """How to read a CSV file: its encoding, its separator and how many bytes it has."""

    encoding: str
    delimiter: str
    size: int


class _Pass(NamedTuple):
    size: int
    bad: int | None  # offset of the first byte that does not decode, if any
    byte: int  # and that byte
    header: str  # the text up to the first line break
    chinese: bool  # every character ASCII or Chinese, no Latin letter glued to a Han one


def sniff(path: Path) -> Sniffed:
    """The encoding, separator and size of the CSV file ``path``; ``InputError`` if it is too
    big or not text in an encoding kreport reads."""
    source = str(path)
    with _open(path) as fh:
        head = fh.read(3)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        utf16 = _decode(path, "utf-16", 0)
        if utf16.bad is not None:
            raise InputError(source, [Problem("", "is damaged UTF-16 text")])
        return Sniffed("utf-16", _delimiter(utf16.header), utf16.size)
    bom = len(_BOM) if head == _BOM else 0
    utf8 = _decode(path, "utf-8", bom)
    if utf8.bad is None:
        return Sniffed("utf-8-sig", _delimiter(utf8.header), utf8.size)
    # Chinese Excel saves "CSV" in GB18030 (GBK); accepted only if it reads as Chinese
    gb = _decode(path, "gb18030", 0, chinese=True)
    if gb.bad is None and gb.chinese:
        return Sniffed("gb18030", _delimiter(gb.header), gb.size)
    raise InputError(
        source,
        [
            Problem(
                "",
                f"not UTF-8 text (invalid byte 0x{utf8.byte:02X} at offset {utf8.bad}); save it "
                'as "CSV UTF-8" (Excel: File > Save As > CSV UTF-8; LibreOffice: character set '
                "Unicode (UTF-8))",
            )
        ],
    )


def rows(path: Path, how: Sniffed) -> Iterator[list[str]]:
    """The rows of ``path`` as ``sniff`` found it, parsed as they are read."""
    source = str(path)
    with _open(path) as fh:
        lines = io.TextIOWrapper(
            io.BufferedReader(_Upto(fh, how.size)), encoding=how.encoding, newline=""
        )
        try:
            yield from csv.reader(lines, delimiter=how.delimiter)
        except csv.Error as exc:
            raise InputError(source, [Problem("", f"malformed CSV: {exc}")]) from None
        except UnicodeDecodeError:
            raise InputError(source, [Problem("", "changed while it was read")]) from None


def _open(path: Path) -> BinaryIO:
    from ..source.load import open_regular

    return open_regular(path)


def _decode(path: Path, encoding: str, skip: int, chinese: bool = False) -> _Pass:
    """One pass over ``path``'s bytes (after the first ``skip``), decoded a slice at a time and
    let go: its size (refused past the limit before anything else is said), the first byte that
    does not decode, the header line and, with ``chinese``, whether it reads as Chinese."""
    decoder = codecs.getincrementaldecoder(encoding)()
    size, bad, byte, fits, last = 0, None, 0, True, ""
    head: list[str] = []  # the text up to the first line break, once it has come
    header: str | None = None
    with _open(path) as fh:
        size = len(fh.read(skip))
        while True:
            data = fh.read(min(_SLICE, MAX_FILE_BYTES + 1 - size))
            if size + len(data) > MAX_FILE_BYTES:
                raise InputError(
                    str(path),
                    [Problem("", f"file is larger than the {MAX_FILE_BYTES >> 20} MiB limit")],
                )
            if bad is None:
                held = getattr(decoder, "buffer", b"")  # the bytes of a character cut in two
                try:
                    text = decoder.decode(data, final=not data)
                except UnicodeDecodeError as exc:  # where, as UTF-8 (the one named) says it
                    seen = held + data
                    bad = size - len(held) + exc.start
                    byte = seen[exc.start] if exc.start < len(seen) else 0
                    text = ""
                if header is None:
                    head.append(text)
                    if "\n" in text or not data or bad is not None:
                        header = "".join(head).split("\n", 1)[0]
                if chinese and not text.isascii():
                    fits = fits and all(c.isascii() or _is_cjk(c) for c in text)
                    fits = fits and not _LATIN_GLUED.search(last + text)
                last = text[-1:] or last
            size += len(data)
            if not data:
                break
    return _Pass(size, bad, byte, header or "", fits)


class _Upto(io.RawIOBase):
    """At most ``left`` bytes of ``fh``: what the first pass read and checked."""

    def __init__(self, fh: BinaryIO, left: int) -> None:
        self.fh = fh
        self.left = left

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        got = int(self.fh.readinto(memoryview(buffer)[: self.left]))  # type: ignore[attr-defined]
        self.left -= got
        return got


def _is_cjk(c: str) -> bool:
    """Han characters, CJK punctuation and fullwidth forms: what a GB18030 tally holds."""
    code = ord(c)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x3000 <= code <= 0x303F
        or 0xFF00 <= code <= 0xFFEF
        or 0x2000 <= code <= 0x206F  # general punctuation: “ ” — …
    )


def _delimiter(header: str) -> str:
    """``,``, ``;`` or a tab: whichever the header row has most of (``,`` when none)."""
    header = re.sub(r'"[^"]*"', "", header)  # not inside quoted headers
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","
