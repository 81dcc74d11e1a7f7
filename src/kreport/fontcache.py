"""Load a bundled font's metrics from a cache instead of parsing its tables: TTF file -> TTFont.

reportlab parses a TrueType font's tables (character map, widths, glyph locations) each time a
process registers it: about 8 ms for each DejaVu face and 55 ms for WenQuanYi, a fifth of a cold
build's import floor. ``tools/font_cache.py`` saves what the parse produces, per face, under
``data/fonts/cache/``; a test keeps the files equal to what it would write now. A cached face is
used only for the very file it was made from (size and checksum) and under the reportlab
version that made it; otherwise the font is parsed as usual. The PDF is the same either way.

The per-glyph tables are kept as packed arrays, not as Python objects: the glyph locations and
the horizontal metrics (read only when a subset is written) and the glyph -> characters map
(read only when text is shaped, which needs uharfbuzz, and unpacked only then). As objects they
were a hundred thousand tuples and lists: half the time of loading WenQuanYi, and more again
when the collector next walks them.
"""

from __future__ import annotations

import functools
import marshal
import sys
import zlib
from array import array
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, overload

from reportlab.pdfbase.ttfonts import TTFontFace

from ._kept import Kept

FORMAT = 3
CACHE_DIR = "cache"
_UNSTORED = frozenset({"_ttf_data", "filename", "_pdfScale"})
"""Set when the file is read (its bytes and path), or rebuilt (a function): never stored."""
_PACKED = frozenset({"hmetrics", "glyphPos", "glyphToChar"})
"""Stored as arrays (``_pack``), rebuilt as ``HMetrics``, an ``array`` and ``CachedFace``."""


SUBSET_BUDGET = 1 << 20
"""Bytes of a face's subsets kept for the process: a DejaVu subset is about 35 KB, and over 600
generated briefings 1 MB wrote 213 subsets, 4 MB 198 and nothing kept 1,100."""


class CachedFace(TTFontFace):  # type: ignore[misc]
    """A ``TTFontFace`` from a cache. ``glyphToChar`` (glyph -> its characters, in the order
    reportlab's parse added them) is read only by reportlab's shaping: unpacked when first read.

    Its subsets are kept: the districts of a batch mostly use the same characters in the same
    order (a subset lists them in the order the page first draws them), and writing a subset is
    a twentieth of a page's CPU."""

    _glyph_chars: tuple[bytes, bytes]

    @functools.cached_property
    def _subsets(self) -> Kept[tuple[int, ...], bytes]:
        return Kept(SUBSET_BUDGET, weigh=len)

    def makeSubset(
        self, subset: Sequence[int], make: Callable[[Any, Sequence[int]], bytes] | None = None
    ) -> bytes:
        """The subset's file, kept; made by reportlab, or by ``make(self, subset)`` (the page
        stage's faster writer of the same bytes: ``page/subset.py``)."""
        key = tuple(subset)
        found = self._subsets.get(key)
        if found is None:
            found = super().makeSubset(subset) if make is None else make(self, subset)
            self._subsets.put(key, found)
        return found

    @functools.cached_property
    def glyphToChar(self) -> dict[int, list[int]]:
        glyphs, chars = (_unpack("I", b) for b in self._glyph_chars)
        out: dict[int, list[int]] = {}
        for glyph, char in zip(glyphs, chars, strict=True):
            out.setdefault(glyph, []).append(char)
        return out


class HMetrics(Sequence[tuple[float, int]]):
    """reportlab's ``hmetrics``, (advance, left side bearing) per glyph id, in two arrays.

    reportlab reads a font's advances as integers, and gives the glyphs after the last one the
    font lists the last advance again, scaled to 1/1000 em (a float): so the advances are
    ``aws`` and then ``rest`` for every glyph after them.
    """

    __slots__ = ("_aws", "_lsbs", "_rest")

    def __init__(self, aws: Sequence[int], lsbs: Sequence[int], rest: float) -> None:
        self._aws, self._lsbs, self._rest = aws, lsbs, rest

    def __len__(self) -> int:
        return len(self._lsbs)

    @overload
    def __getitem__(self, index: int) -> tuple[float, int]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[float, int]]: ...
    def __getitem__(self, index: int | slice) -> tuple[float, int] | list[tuple[float, int]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        lsb = self._lsbs[index]  # an IndexError as the list's
        if index < 0:
            index += len(self._lsbs)
        return (self._aws[index] if index < len(self._aws) else self._rest), lsb


def cache_path(font: Path, subfont: int) -> Path:
    return font.parent / CACHE_DIR / f"{font.name}-{subfont}.marshal"


def load(name: str, font: Path, subfont: int) -> Any | None:
    """The TTFont for ``font``, from its cache; None if there is none, or it does not fit."""
    import reportlab

    if array("H").itemsize != 2 or array("I").itemsize != 4:  # as the arrays were written
        return None
    try:
        stored = cache_path(font, subfont).read_bytes()
    except OSError:
        return None
    saved = marshal.loads(stored)  # no gc pause: what it makes (dicts of numbers) is not tracked
    if (saved.get("format"), saved.get("reportlab")) != (FORMAT, reportlab.Version):
        return None
    face = CachedFace.__new__(CachedFace)
    _open(face, font, subfont)
    if saved["identity"] != _identity(face._ttf_data):
        return None
    attrs = saved["face"]
    for key in saved["names"]:  # stored as bytes, rebuilt as reportlab made them
        attrs[key] = _name_bytes(attrs[key])
    face.__dict__.update(attrs)
    packed = saved["packed"]
    face.hmetrics = HMetrics(
        _unpack("H", packed["aws"]), _unpack("H", packed["lsbs"]), packed["rest"]
    )
    face.glyphPos = _unpack("I", packed["glyphPos"])
    face._glyph_chars = packed["glyphs"], packed["chars"]
    face._pdfScale = _scale(face.unitsPerEm)
    return _font(name, face)


def dump(face: Any) -> bytes:
    """The cache of a parsed ``TTFontFace``: what ``load`` needs to rebuild it."""
    import reportlab
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    attrs = {k: v for k, v in face.__dict__.items() if k not in _UNSTORED | _PACKED}
    names = sorted(k for k, v in attrs.items() if isinstance(v, TTFNameBytes))
    stored = {k: (bytes(v) if k in names else v) for k, v in attrs.items()}
    saved = {
        "format": FORMAT,
        "reportlab": reportlab.Version,
        "identity": _identity(face._ttf_data),
        "names": names,
        "face": stored,
        "packed": _pack(face),
    }
    return marshal.dumps(saved, 2)  # version 2: no back-references, so the same bytes each time


def _pack(face: Any) -> dict[str, Any]:
    """``face``'s per-glyph tables as arrays; ValueError if one is not as reportlab made it
    when this was written (then ``HMetrics`` or ``CachedFace`` must learn the new shape)."""
    metrics: list[tuple[float, int]] = list(face.hmetrics)
    aws = [aw for aw, _ in metrics]
    cut = len(aws)  # the advances after ``cut`` are all ``rest``, of the same type
    while cut > 0 and _same(aws[cut - 1], aws[-1]):
        cut -= 1
    glyph_chars = [(g, c) for g, chars in face.glyphToChar.items() for c in chars]
    packed: dict[str, Any] = {
        "aws": _packed("H", aws[:cut]),
        "lsbs": _packed("H", [lsb for _, lsb in metrics]),
        "rest": aws[-1] if aws else 0,
        "glyphPos": _packed("I", face.glyphPos),
        "glyphs": _packed("I", [g for g, _ in glyph_chars]),
        "chars": _packed("I", [c for _, c in glyph_chars]),
    }
    rebuilt = CachedFace.__new__(CachedFace)
    rebuilt._glyph_chars = packed["glyphs"], packed["chars"]
    hmetrics = HMetrics(_unpack("H", packed["aws"]), _unpack("H", packed["lsbs"]), packed["rest"])
    if not (
        _typed(hmetrics) == _typed(metrics)
        and _unpack("I", packed["glyphPos"]).tolist() == face.glyphPos
        and list(rebuilt.glyphToChar.items()) == list(face.glyphToChar.items())
    ):
        raise ValueError("reportlab's per-glyph tables changed shape: see fontcache._pack")
    return packed


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and a == b


def _typed(metrics: Sequence[tuple[float, int]]) -> list[tuple[type, float, type, int]]:
    return [(type(aw), aw, type(lsb), lsb) for aw, lsb in metrics]


def _packed(code: str, values: Sequence[float]) -> bytes:
    """``values`` (integers) as ``array(code)`` bytes, little-endian whatever the machine."""
    ints = [v for v in values if isinstance(v, int)]
    if len(ints) != len(values):
        raise ValueError("reportlab's per-glyph tables changed shape: see fontcache._pack")
    packed = array(code, ints)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def _unpack(code: str, data: bytes) -> array[int]:
    unpacked = array(code)
    unpacked.frombytes(data)
    if sys.byteorder == "big":
        unpacked.byteswap()
    return unpacked


def _open(face: Any, font: Path, subfont: int) -> None:
    """What ``TTFontFace.__init__`` does before it parses the tables: read the file and the
    table directory (and the collection header)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFontParser

    pdfmetrics.TypeFace.__init__(face, None)
    TTFontParser.__init__(face, str(font), validate=0, subfontIndex=subfont)


def _font(name: str, face: Any) -> Any:
    """A ``TTFont`` around ``face``: what ``TTFont.__init__`` does once it has parsed the face
    (a test compares the two, attribute by attribute)."""
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, unShapedFontGlob

    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in unShapedFontGlob)
    return font


def _identity(data: bytes) -> tuple[int, int]:
    return len(data), zlib.crc32(data)  # crc32: a third faster than adler32 on 5 MB, and surer


def _name_bytes(value: bytes) -> Any:
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    return TTFNameBytes(value)


def _scale(units_per_em: int) -> Any:
    """reportlab's font-unit to 1/1000 em scale, as ``extractInfo`` makes it."""
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor
