"""The bundled fonts: registration with reportlab, glyph coverage, and the face chosen per page.

Latin pages use DejaVu Sans (real bold). Chinese pages, and any page whose text DejaVu cannot
draw, use WenQuanYi Micro Hei for everything: reportlab has no per-glyph fallback, so one face
must cover the whole page. WenQuanYi has no bold; headings are drawn stroked ("fake bold").
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .model import Language, is_chinese

FONT_DIR = Path(__file__).parent / "data" / "fonts"


@dataclass(frozen=True, slots=True)
class FontFace:
    name: str  # the reportlab name it is registered under
    file: str
    subfont: int = 0


@dataclass(frozen=True, slots=True)
class FontSet:
    """The faces one page is set in."""

    regular: FontFace
    bold: FontFace
    fake_bold: bool  # True: ``bold`` is ``regular``, stroked to give weight

    def register(self) -> None:
        for face in (self.regular, self.bold):
            _register(face)


LATIN = FontSet(
    regular=FontFace("KR-DejaVuSans", "DejaVuSans.ttf"),
    bold=FontFace("KR-DejaVuSans-Bold", "DejaVuSans-Bold.ttf"),
    fake_bold=False,
)
_WQY = FontFace("KR-WenQuanYiMicroHei", "wqy-microhei.ttc", subfont=0)
CJK = FontSet(regular=_WQY, bold=_WQY, fake_bold=True)

FAKE_BOLD_STROKE = 0.028
"""Stroke width, as a fraction of the font size, that gives unbolded CJK text its weight."""


@functools.cache
def _register(face: FontFace) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from . import fontcache

    path = FONT_DIR / face.file
    font = fontcache.load(face.name, path, face.subfont)  # its tables parsed once, at release
    if font is None:
        font = TTFont(face.name, str(path), subfontIndex=face.subfont)
    pdfmetrics.registerFont(font)
    if face.name == LATIN.regular.name or face.name == _WQY.name:
        bold = LATIN.bold.name if face.name == LATIN.regular.name else face.name
        pdfmetrics.registerFontFamily(
            face.name, normal=face.name, bold=bold, italic=face.name, boldItalic=bold
        )


@functools.cache
def _cmap(face: FontFace) -> Mapping[int, int]:
    """``face``'s character map as reportlab parsed it (code point -> glyph): the font's own
    table, not a copy (a set of WenQuanYi's 34,000 code points would hold 2.5 MB more)."""
    from reportlab.pdfbase import pdfmetrics

    _register(face)
    glyphs: Mapping[int, int] = pdfmetrics.getFont(face.name).face.charToGlyph
    return glyphs


def _covers(cmap: Mapping[int, int], char: str) -> bool:
    # Only the BMP: reportlab writes code points above U+FFFF (DejaVu's emoji and math letters)
    # into the ToUnicode map as odd-length hex, so such text would print but not extract.
    code = ord(char)
    return code <= 0xFFFF and code in cmap


def _drawable(face: FontFace, text: str) -> bool:
    cmap = _cmap(face)
    return all(_covers(cmap, c) for c in set(text) if not c.isspace())  # each character once


def choose(language: Language, texts: Iterable[str]) -> FontSet:
    """The font set for a page in ``language`` showing ``texts``."""
    if is_chinese(language):
        return CJK
    return LATIN if _drawable(LATIN.regular, "".join(texts)) else CJK  # each character once


def missing_glyphs(language: Language, texts: Mapping[str, str]) -> list[tuple[str, str]]:
    """(field path, character) for every character the chosen font set cannot draw."""
    face = choose(language, texts.values()).regular
    cmap = _cmap(face)
    if _drawable(face, "".join(texts.values())):  # the page's characters, each looked up once
        return []
    out = []
    for path, text in texts.items():
        for c in dict.fromkeys(text):
            if not c.isspace() and not _covers(cmap, c):
                out.append((path, c))
    return out


@functools.cache
def metrics(face: FontFace) -> tuple[float, float]:
    """(ascent, descent) per unit of font size; descent is positive (read once per face)."""
    from reportlab.pdfbase import pdfmetrics

    _register(face)
    f = pdfmetrics.getFont(face.name).face
    return f.ascent / 1000, -f.descent / 1000
