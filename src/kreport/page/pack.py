"""Write a reportlab document's objects as the final bytes: compact, with an ID from the content.

reportlab would write every object on its own with a row in a cross-reference table (PDF 1.4
style). A tagged page has about a hundred small structure elements, whose headers and rows
alone would add a fifth to the file; here every object that is not a stream goes into one
compressed object stream, with a compressed cross-reference stream (PDF 1.5), so tagging costs
a few percent. Each stream's data is followed by an end of line that /Length does not count
(PDF/A requires it; reportlab writes none), and the file ID is the digest of everything before
it, so the same page always gives the same bytes.

The objects are taken in reportlab's order and formatted as reportlab formats them (by
``objfmt.py``, or by reportlab itself), a ``Block`` of objects already written (``reserve``) as
its bytes: reportlab's own file (offsets, cross-reference table, trailer, its ID) is never
written, nor parsed back.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from itertools import accumulate, chain, count, repeat
from typing import Any

from reportlab import rl_config
from reportlab.pdfbase.pdfdoc import (
    NoEncryption,
    PDFArray,
    PDFFile,
    PDFObject,
    PDFStream,
    PDFStreamFilterZCompress,
    PDFTrueTypeFont,
    PDFZCompress,
    format,
)

from .._kept import Kept
from . import checked, objfmt
from .fontobjs import add_objects
from .objfmt import top

_LENGTH = re.compile(rb"/Length (\d+)(?! \d+ R)\b")
_STREAM = b"\nstream\n"


FLATE_BUDGET = 1 << 20
"""Bytes of compressed streams kept for the process (mostly subsets: see ``SUBSET_BUDGET``)."""

_FLATE: Kept[bytes, bytes] = Kept(FLATE_BUDGET, weigh=len)
"""A stream's data (by its digest) -> the data compressed as reportlab would."""


class Flate(PDFStreamFilterZCompress):  # type: ignore[misc]
    """reportlab's Flate filter, with what it compressed kept: the pages of a batch carry the
    same streams again (a font's subset, its character map), and compressing them is a tenth of
    a page's CPU. reportlab compresses at zlib's default level, so must this."""

    def encode(self, data: str | bytes) -> bytes:
        if isinstance(data, str):
            data = data.encode("utf8")
        key = hashlib.blake2b(data, digest_size=20).digest()
        found = _FLATE.get(key)
        if found is None:
            found = zlib.compress(data)
            _FLATE.put(key, found)
        return found


FLATE = Flate()


class FlateOnce(Flate):
    """The same filter for a stream no other page repeats (a page's own drawing): compressed,
    without hashing it to look for it, or noting it among what may be kept."""

    def encode(self, data: str | bytes) -> bytes:
        if isinstance(data, str):
            data = data.encode("utf8")
        return zlib.compress(data)


FLATE_ONCE = FlateOnce()

_WIDTHS: Kept[tuple[object, ...], bytes] = Kept(256)
"""A font subset's /Widths (its glyphs' advances, and reportlab's line-breaking setting) -> the
array as reportlab formats it."""


class Written(PDFObject):  # type: ignore[misc]
    """An object given as its bytes: reportlab's ``format`` asks it for them."""

    def __init__(self, data: bytes = b"") -> None:
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


class Block(PDFObject):  # type: ignore[misc]
    """Consecutive objects given as their bytes, registered as one (``reserve``)."""

    def __init__(self, objects: list[bytes]) -> None:
        self.objects = objects

    def format(self, document: Any) -> bytes:
        raise TypeError("a block of objects is written by pack, not formatted")


def reserve(doc: Any, objects: list[bytes]) -> int:
    """Register ``objects`` (each an object's bytes, none a stream) in reportlab document
    ``doc`` under consecutive numbers; returns the first. One registered object stands for
    them all, and ``pack`` writes each: a page's hundred structure elements, registered and
    formatted one by one, would cost more than writing them."""
    if not objects:
        raise ValueError("no objects to reserve numbers for")
    first: int = doc.idToObjectNumberAndVersion[doc.Reference(Block(objects)).name][0]
    doc.objectcounter += len(objects) - 1  # the numbers after the first are the block's
    return first


def _widths(array: Any, doc: Any, fast: bool = False) -> Any:
    """``array`` (a subset's widths: numbers only, so formatted alike in any document) as the
    bytes reportlab formats it to, kept: a batch's pages repeat their subsets, so their widths."""
    numbers = tuple(array.sequence)
    key = (*numbers, rl_config.pdfMultiLine)
    found = _WIDTHS.get(key)
    if found is None:
        plain = fast and array.multiline != "forced"
        found = objfmt.array(array.sequence, doc) if plain else array.format(doc)
        if all(type(n) in (int, float) for n in numbers):
            _WIDTHS.put(key, found)
    return Written(found)


def pack(doc: Any, canvas: Any) -> bytes:
    """The file of reportlab document ``doc``, whose pages ``canvas`` has shown, packed."""

    def kept(filters: Any, flate: Flate = FLATE) -> Any:
        return filters and [flate if f is PDFZCompress else f for f in filters]

    # what reportlab's PDFDocument.GetPDFData does before it formats the objects
    for font in doc.delayedFonts:
        add_objects(font, doc)
    doc.info.invariant = doc.invariant
    root, info = doc.Reference(doc.Catalog), doc.Reference(doc.info)
    doc.Outlines.prepare(doc, canvas)
    if doc.Outlines.ready < 0:
        doc.Catalog.Outlines = None
    doc.encrypt.prepare(doc)
    if doc.encrypt.info():
        raise ValueError("an encrypted document cannot be packed")
    head = PDFFile(doc._pdfVersion).format(doc)  # the header, with its binary comment
    fast = checked.SHORTCUTS and objfmt.plain()  # objects formatted in fewer steps
    doc.defaultStreamFilters = kept(doc.defaultStreamFilters)

    # what PDFDocument.format does: objects in number order, formatting may add more
    streams: dict[int, tuple[bytes, bytes]] = {}  # number -> (dictionary, data)
    plain: dict[int, bytes] = {}
    ids, objects = doc.numberToId, doc.idToObject
    num, reserved = 1, 0
    while num in ids:
        obj = objects[ids[num]]
        if type(obj) is Block:
            block = len(obj.objects)
            if type(doc.encrypt) is not NoEncryption:  # which registers nothing
                for n in range(num, num + block):
                    doc.encrypt.register(n, 0)
            plain.update(zip(range(num, num + block), obj.objects, strict=True))
            num += block
            reserved += block - 1
            continue
        doc.encrypt.register(num, 0)
        if isinstance(obj, PDFStream):
            own = any(obj is getattr(p, "Contents", None) for p in doc.Pages.pages)
            obj.filters = kept(obj.filters, FLATE_ONCE if own else FLATE)
        elif isinstance(obj, PDFTrueTypeFont) and type(getattr(obj, "Widths", None)) is PDFArray:
            obj.Widths = _widths(obj.Widths, doc, fast)
        body = (top(obj, doc) if fast else format(obj, doc, toplevel=1)).rstrip(b"\n")
        at = body.find(_STREAM)
        if at < 0:
            plain[num] = body
        else:
            length = _LENGTH.search(body, 0, at)
            first = at + len(_STREAM)
            if length is None or body[first + int(length[1]) :] != b"endstream":
                raise ValueError(f"stream object {num} does not end where its /Length says")
            streams[num] = (body[:at], body[first : first + int(length[1])])
        num += 1
    if num - 1 != len(ids) + reserved:
        raise ValueError("reportlab's objects are not numbered 1 to N")
    size = num  # as reportlab's cross-reference table would say: objects and the free entry
    numbers = doc.idToObjectNumberAndVersion

    out = bytearray(head)
    where: dict[int, tuple[int, int, int]] = {0: (0, 0, 65535)}
    for num in sorted(streams):
        where[num] = (1, len(out), 0)
        out += _object(num, *streams[num])
    objstm, xstm = size, size + 1
    # each object's bytes and an end of line, the index giving its number and offset
    order = sorted(plain)
    chunks = [plain[num] for num in order]
    offsets = accumulate((len(c) + 1 for c in chunks), initial=0)
    index = b" ".join([b"%d %d" % pair for pair in zip(order, offsets, strict=False)])  # +1 end
    where.update(zip(order, zip(repeat(2), repeat(objstm), count()), strict=False))  # (2, stm, k)
    heading = index + b"\n"
    body = b"\n".join(chunks) + b"\n" if chunks else b""
    packed = zlib.compress(heading + body, 9)
    where[objstm] = (1, len(out), 0)
    out += _object(
        objstm,
        b"<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>"
        % (len(order), len(heading), len(packed)),
        packed,
    )
    digest = hashlib.md5(out, usedforsecurity=False).hexdigest().encode()
    where[xstm] = (1, len(out), 0)
    rows = [where.get(i, _UNUSED) for i in range(size + 2)]  # one ">BIH" each, unpadded
    table = zlib.compress(struct.pack(">" + "BIH" * len(rows), *chain.from_iterable(rows)), 9)
    out += _object(
        xstm,
        b"<</Type/XRef/Size %d/W[1 4 2]/Root %d 0 R/Info %d 0 R/ID[<%s><%s>]"
        b"/Filter/FlateDecode/Length %d>>"
        % (size + 2, numbers[root.name][0], numbers[info.name][0], digest, digest, len(table)),
        table,
    )
    out += b"startxref\n%d\n%%%%EOF\n" % where[xstm][1]
    return bytes(out)


_UNUSED = (0, 0, 0)  # a number no object has: a free entry of generation 0


def _object(num: int, dictionary: bytes, data: bytes) -> bytes:
    return b"%d 0 obj\n%s\nstream\n%s\nendstream\nendobj\n" % (num, dictionary, data)


__all__ = ["FLATE", "FLATE_ONCE", "Block", "Flate", "FlateOnce", "Written", "pack", "reserve"]
