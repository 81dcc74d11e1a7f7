"""A font subset's bytes, as reportlab's ``TTFontFace.makeSubset`` writes them, in fewer steps.

A Chinese page's subsets are mostly new to the process (each district's name brings its own
characters, in its own order): reportlab then walks each of the ~300 glyphs through its file
reader (a method call per number read) and copies the font's tables afresh (WenQuanYi's glyph
table is megabytes). Here each glyph's components are read once per face and kept, the tables
that every subset copies unchanged are kept per face, and the rest is reportlab's arithmetic,
step for step, on the same bytes. ``TTFontMaker`` (reportlab's) assembles the file.

A shortcut (``checked.py``): tests compare it with reportlab's for every page's subsets and for
generated ones, byte for byte.
"""

from __future__ import annotations

import contextlib
import struct
from collections.abc import Sequence
from typing import Any

from reportlab.pdfbase.ttfonts import (
    GF_ARG_1_AND_2_ARE_WORDS,
    GF_MORE_COMPONENTS,
    GF_WE_HAVE_A_SCALE,
    GF_WE_HAVE_A_TWO_BY_TWO,
    GF_WE_HAVE_AN_X_AND_Y_SCALE,
    TTFontMaker,
)

_COPIED = ("name", "OS/2", "cvt ", "fpgm", "prep")
"""The tables a subset copies as they are (the last three optional)."""

_SHORT = struct.Struct(">h")
_USHORT = struct.Struct(">H")


class _FaceParts:
    """What every subset of one face reuses: its unchanged tables, and what each glyph used so
    far is (``_glyph``)."""

    __slots__ = ("glyf", "glyphs", "tables")

    def __init__(self, face: Any) -> None:
        tables: list[tuple[str, bytes]] = []
        for tag in _COPIED:
            with contextlib.suppress(KeyError):  # optional, as reportlab leaves them out
                tables.append((tag, face.get_table(tag)))
        post = b"\x00\x03\x00\x00" + face.get_table("post")[4:16] + b"\x00" * 16
        tables.append(("post", post))
        self.tables = tuple(tables)
        self.glyf = face.get_table_pos("glyf")  # (offset, length)
        self.glyphs: dict[int, _Glyph] = {}


_Glyph = tuple[tuple[int, ...], tuple[int, ...], int, int, int, int, int]
"""A glyph as a subset uses it: the glyphs it is made of (a composite's, in order; else
none), where in its data each is numbered, its advance and left side bearing (as integers),
where its data starts in the file and where it ends (cut at the glyph table's end), and the
length the glyph table's index gives it (which counts towards the next glyph's place)."""

_PARTS: dict[int, tuple[Any, _FaceParts]] = {}
"""id(face) -> (face, its parts): a process has a few faces, all kept for its life."""


def _parts(face: Any) -> _FaceParts:
    found = _PARTS.get(id(face))
    if found is None or found[0] is not face:
        found = _PARTS[id(face)] = (face, _FaceParts(face))
    return found[1]


def _glyph(face: Any, parts: _FaceParts, glyph: int) -> _Glyph:
    """Glyph ``glyph`` of ``face`` (kept): its components as ``makeSubset``'s first pass reads
    them (from the file, at the glyph's place), and where its last pass renumbers them (in the
    glyph's data, cut at the table's end, when it is longer than two bytes)."""
    found = parts.glyphs.get(glyph)
    if found is not None:
        return found
    data = face._ttf_data
    pos = face.glyphPos[glyph]
    size = face.glyphPos[glyph + 1] - pos
    start, length = parts.glyf
    components: list[int] = []
    if size:
        at = start + pos
        if _SHORT.unpack(data[at : at + 2])[0] < 0:
            at += 10
            flags = GF_MORE_COMPONENTS
            while flags & GF_MORE_COMPONENTS:
                flags = _USHORT.unpack(data[at : at + 2])[0]
                components.append(_USHORT.unpack(data[at + 2 : at + 4])[0])
                at += _step(flags)
    begin = start + pos
    end = max(begin, min(begin + size, start + length))  # as a slice of the table's copy
    numbered: list[int] = []
    own = data[begin:end]
    if size > 2 and _SHORT.unpack(own[:2])[0] < 0:
        at = 10
        flags = GF_MORE_COMPONENTS
        while flags & GF_MORE_COMPONENTS:
            flags = _USHORT.unpack(own[at : at + 2])[0]
            numbered.append(at + 2)
            at += _step(flags)
    aw, lsb = face.hmetrics[glyph]
    found = (tuple(components), tuple(numbered), int(aw), int(lsb), begin, end, size)
    parts.glyphs[glyph] = found
    return found


def _step(flags: int) -> int:
    """The bytes from one component's flags to the next's."""
    step = 8 if flags & GF_ARG_1_AND_2_ARE_WORDS else 6
    if flags & GF_WE_HAVE_A_SCALE:
        step += 2
    elif flags & GF_WE_HAVE_AN_X_AND_Y_SCALE:
        step += 4
    elif flags & GF_WE_HAVE_A_TWO_BY_TWO:
        step += 8
    return step


def make_subset(face: Any, subset: Sequence[int]) -> bytes:
    """``face.makeSubset(subset)`` as reportlab's ``TTFontFace`` writes it."""
    parts = _parts(face)
    char_to_glyph = face.charToGlyph
    glyph_map = [0]  # new glyph index -> old
    glyph_set = {0: 0}  # old glyph index -> new
    code_to_glyph = {}
    for code in subset:
        old = char_to_glyph.get(code, 0)
        new = glyph_set.get(old)
        if new is None:
            new = glyph_set[old] = len(glyph_map)
            glyph_map.append(old)
        code_to_glyph[code] = new
    glyphs = []
    n = 0
    while n < len(glyph_map):  # the glyphs composite glyphs are made of, as they come
        g = _glyph(face, parts, glyph_map[n])
        glyphs.append(g)
        for old in g[0]:
            if old not in glyph_set:
                glyph_set[old] = len(glyph_map)
                glyph_map.append(old)
        n += 1

    output = TTFontMaker()
    for tag, table in parts.tables:
        output.add(tag, table)
    num_glyphs = len(glyph_map)

    data = face._ttf_data
    hmtx: list[int] = []
    offsets = []
    glyf = []
    pos = 0
    pack_at = _USHORT.pack_into
    for components, numbered, aw, lsb, begin, end, size in glyphs:
        hmtx.append(aw)
        hmtx.append(lsb)
        offsets.append(pos)
        if numbered:  # a composite: its components renumbered
            own = bytearray(data[begin:end])
            for at, old in zip(numbered, components, strict=True):
                pack_at(own, at, glyph_set[old])
            glyf.append(bytes(own))
        else:
            glyf.append(data[begin:end])
        pos += size
        if pos % 4:
            padding = 4 - pos % 4
            glyf.append(b"\0" * padding)
            pos += padding
    offsets.append(pos)

    n = len(hmtx) - 2
    while n and hmtx[n] == hmtx[n - 2]:
        n -= 2
    n += 2
    hmtx = hmtx[:n] + hmtx[n + 1 :: 2]
    output.add("hmtx", struct.pack(f">{len(hmtx)}H", *hmtx))
    output.add("hhea", _set_ushort(face.get_table("hhea"), 34, n >> 1))
    output.add("maxp", _set_ushort(face.get_table("maxp"), 4, num_glyphs))

    entries = len(subset)
    cmap = [0, 1, 1, 0, 0, 12, 6, 10 + entries * 2, 0, 0, entries]
    cmap += [code_to_glyph[code] for code in subset]
    output.add("cmap", struct.pack(f">{len(cmap)}H", *cmap))
    output.add("glyf", b"".join(glyf))

    if (pos + 1) >> 1 > 0xFFFF:
        loc_format = 1
        loca = struct.pack(f">{len(offsets)}L", *offsets)
    else:
        loc_format = 0
        loca = struct.pack(f">{len(offsets)}H", *(o >> 1 for o in offsets))
    output.add("loca", loca)
    output.add("head", _set_ushort(face.get_table("head"), 50, loc_format))
    return bytes(output.makeStream())


def _set_ushort(data: bytes, offset: int, value: int) -> bytes:
    return data[:offset] + _USHORT.pack(value) + data[offset + 2 :]


__all__ = ["make_subset"]
