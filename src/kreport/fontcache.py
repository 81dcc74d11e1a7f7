"""Load a bundled font's metrics from a cache instead of parsing its tables: TTF file -> TTFont.

reportlab parses a TrueType font's tables (character map, widths, glyph locations) each time a
process registers it: about 8 ms for each DejaVu face and 55 ms for WenQuanYi, a fifth of a cold
build's import floor. ``tools/font_cache.py`` saves what the parse produces, per face, under
``data/fonts/cache/``; a test keeps the files equal to what it would write now. A cached face is
used only for the very file it was made from (size and checksum) and under the reportlab
version that made it; otherwise the font is parsed as usual. The PDF is the same either way.
"""

from __future__ import annotations

import gc
import marshal
import zlib
from pathlib import Path
from typing import Any

FORMAT = 1
CACHE_DIR = "cache"
_UNSTORED = frozenset({"_ttf_data", "filename", "_pdfScale"})
"""Set when the file is read (its bytes and path), or rebuilt (a function): never stored."""


def cache_path(font: Path, subfont: int) -> Path:
    return font.parent / CACHE_DIR / f"{font.name}-{subfont}.marshal"


def load(name: str, font: Path, subfont: int) -> Any | None:
    """The TTFont for ``font``, from its cache; None if there is none, or it does not fit."""
    import reportlab
    from reportlab.pdfbase.ttfonts import TTFontFace

    try:
        stored = cache_path(font, subfont).read_bytes()
    except OSError:
        return None
    face = TTFontFace.__new__(TTFontFace)
    _open(face, font, subfont)
    paused = gc.isenabled()
    gc.disable()  # a hundred thousand small objects that make no cycles
    try:
        saved = marshal.loads(stored)
    finally:
        if paused:
            gc.enable()
    if (saved.get("format"), saved.get("reportlab")) != (FORMAT, reportlab.Version):
        return None
    if saved["identity"] != _identity(face._ttf_data):
        return None
    attrs = saved["face"]
    for key in saved["names"]:  # stored as bytes, rebuilt as reportlab made them
        attrs[key] = _name_bytes(attrs[key])
    face.__dict__.update(attrs)
    face._pdfScale = _scale(face.unitsPerEm)
    return _font(name, face)


def dump(face: Any) -> bytes:
    """The cache of a parsed ``TTFontFace``: what ``load`` needs to rebuild it."""
    import reportlab
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    attrs = {k: v for k, v in face.__dict__.items() if k not in _UNSTORED}
    names = sorted(k for k, v in attrs.items() if isinstance(v, TTFNameBytes))
    stored = {k: (bytes(v) if k in names else v) for k, v in attrs.items()}
    saved = {
        "format": FORMAT,
        "reportlab": reportlab.Version,
        "identity": _identity(face._ttf_data),
        "names": names,
        "face": stored,
    }
    return marshal.dumps(saved, 2)  # version 2: no back-references, so the same bytes each time


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
    return len(data), zlib.adler32(data)


def _name_bytes(value: bytes) -> Any:
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    return TTFNameBytes(value)


def _scale(units_per_em: int) -> Any:
    """reportlab's font-unit to 1/1000 em scale, as ``extractInfo`` makes it."""
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor
