"""Turn the PDF that reportlab wrote into the final bytes: compact, with an ID from the content.

reportlab writes every object on its own with a row in a cross-reference table (PDF 1.4
style). A tagged page has about a hundred small structure elements, whose headers and rows
alone would add a fifth to the file; here every object that is not a stream goes into one
compressed object stream, with a compressed cross-reference stream (PDF 1.5), so tagging costs
a few percent. Each stream's data is followed by an end of line that /Length does not count
(PDF/A requires it; reportlab writes none), and the file ID is the digest of everything before
it, so the same page always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib

_TAIL = re.compile(rb"startxref\n(\d+)\n%%EOF\n?$")
_XREF = re.compile(rb"xref\n0 (\d+)\n")
_OBJ = re.compile(rb"(\d+) 0 obj\n")
_LENGTH = re.compile(rb"/Length (\d+)(?! \d+ R)\b")
_STREAM = b"\nstream\n"


def pack(data: bytes) -> bytes:
    """``data`` (a file as reportlab writes it) with its objects packed; same content."""
    tail = _TAIL.search(data)
    xref = int(tail[1]) if tail else -1
    head = _XREF.match(data, xref)
    if tail is None or head is None:
        raise ValueError("not a file as reportlab writes it: no cross-reference table")
    size = int(head[1])
    rows = data[head.end() : head.end() + 20 * size]
    starts = [int(rows[20 * i : 20 * i + 10]) for i in range(1, size)]
    trailer = data[head.end() + 20 * size : tail.start()]
    root, info = (re.search(rb"/%s (\d+) 0 R" % k, trailer) for k in (b"Root", b"Info"))
    if root is None or info is None:
        raise ValueError("the trailer names no /Root or /Info")

    streams: dict[int, tuple[bytes, bytes]] = {}  # number -> (dictionary, data)
    plain: dict[int, bytes] = {}
    ends = [*sorted(starts)[1:], xref]
    for start, end in zip(sorted(starts), ends, strict=True):
        m = _OBJ.match(data, start)
        if m is None or not data.startswith(b"endobj\n", end - 7):
            raise ValueError(f"no object where the cross-reference table says (byte {start})")
        num, body = int(m[1]), data[m.end() : end - 7].rstrip(b"\n")
        at = body.find(_STREAM)
        if at < 0:
            plain[num] = body
            continue
        length = _LENGTH.search(body, 0, at)
        first = at + len(_STREAM)
        if length is None or body[first + int(length[1]) :] != b"endstream":
            raise ValueError(f"stream object {num} does not end where its /Length says")
        streams[num] = (body[:at], body[first : first + int(length[1])])

    out = bytearray(data[: min(starts)])  # the header, with its binary comment
    where: dict[int, tuple[int, int, int]] = {0: (0, 0, 65535)}
    for num in sorted(streams):
        where[num] = (1, len(out), 0)
        out += _object(num, *streams[num])
    objstm, xstm = size, size + 1
    index, chunks, pos = [], [], 0
    for k, num in enumerate(sorted(plain)):
        where[num] = (2, objstm, k)
        index.append(b"%d %d" % (num, pos))
        chunks.append(plain[num] + b"\n")
        pos += len(chunks[-1])
    heading = b" ".join(index) + b"\n"
    packed = zlib.compress(heading + b"".join(chunks), 9)
    where[objstm] = (1, len(out), 0)
    out += _object(
        objstm,
        b"<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>"
        % (len(index), len(heading), len(packed)),
        packed,
    )
    digest = hashlib.md5(out, usedforsecurity=False).hexdigest().encode()
    where[xstm] = (1, len(out), 0)
    table = zlib.compress(
        b"".join(struct.pack(">BIH", *where.get(i, (0, 0, 0))) for i in range(size + 2)), 9
    )
    out += _object(
        xstm,
        b"<</Type/XRef/Size %d/W[1 4 2]/Root %s 0 R/Info %s 0 R/ID[<%s><%s>]"
        b"/Filter/FlateDecode/Length %d>>"
        % (size + 2, root[1], info[1], digest, digest, len(table)),
        table,
    )
    out += b"startxref\n%d\n%%%%EOF\n" % where[xstm][1]
    return bytes(out)


def _object(num: int, dictionary: bytes, data: bytes) -> bytes:
    return b"%d 0 obj\n%s\nstream\n%s\nendstream\nendobj\n" % (num, dictionary, data)


__all__ = ["pack"]
