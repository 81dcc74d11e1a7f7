"""A simple paragraph that fits on one line -> what reportlab's ``Paragraph.wrap`` leaves on it.

Most paragraphs a layout measures at a new type size are one run of one font, text without
markup, on one line: a figure in a table cell, a column head, a heading, a caption. reportlab
breaks such a paragraph by ``Paragraph.breakLines``, whose set-up (bidi, shaping, hyphenation,
bullets, the fragment's kind) costs several times the words' widths. ``wrap_one_line`` does
what ``Paragraph.wrap`` and ``breakLines`` do for exactly that case, term for term: the same
words, each measured by the same ``stringWidth`` and added up in the same order against the
same limit, the same line and ``blPara`` (a clone of the fragment, as ``breakLines`` clones it),
the same attributes set in the same order. A paragraph that needs more than one line, or
anything else ``breakLines`` would treat (a bullet, a soft hyphen, a non-breaking space, a
right-to-left or CJK style, shaping, dots, a background), is left to reportlab: ``None``.

Like every shortcut that follows reportlab's private code, it is taken only under the reportlab
versions it was compared with (``checked.py``); the tests build every page both ways.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.pdfmetrics import getAscentDescent, getFont
from reportlab.platypus.paragraph import Paragraph, split, strip
from reportlab.platypus.paraparser import ParaFrag
from reportlab.rl_config import _FUZZ

from . import checked
from .parsed import _clone

_LEFT_TO_REPORTLAB = ("\xa0", "\xad")  # split differently (no-break space), hyphenated (soft)
_FACES: dict[tuple[str, float, str], tuple[Any, float, float, float]] = {}
"""(font name, size, encoding) -> (the font, the width of a space, ascent, descent): what
``breakLines`` works out for every paragraph, the same for every paragraph in one font and
size (a font name stands for its registered font, checked at each use)."""
_FACES_LIMIT = 256  # a few fonts at a few sizes for each layout: cleared, never grown past this


def wrap_one_line(p: Paragraph, available_width: float) -> tuple[float, float] | None:
    """``p.wrap(available_width, …)`` for a simple paragraph that fits on one line: its size,
    with ``p`` left as reportlab leaves it; None (``p`` untouched) for any other paragraph."""
    if not checked.SHORTCUTS or available_width < _FUZZ or p.bulletText:
        return None
    style = p.style
    frags = p.frags
    if len(frags) != 1 or type(frags[0]) is not ParaFrag:  # not yet cut into words
        return None
    f = frags[0]
    attrs = f.__dict__
    if (
        style.wordWrap is not None
        or style.shaping
        or style.endDots
        or "text" not in attrs
        or "cbDefn" in attrs
        or "backColor" in attrs
        or getattr(style, "hyphenationLang", "")
        or getattr(p, "autoLeading", getattr(style, "autoLeading", "")) in ("max", "min")
        or type(p).breakLines is not Paragraph.breakLines
    ):
        return None
    text = strip(f.text)
    if not text or any(c in text for c in _LEFT_TO_REPORTLAB):
        return None
    # Paragraph.wrap's widths (no bullet: breakLines leaves them as they are)
    left = style.leftIndent
    first_width = available_width - (left + style.firstLineIndent) - style.rightIndent
    max_width = first_width
    # breakLines' loop, while every word stays on the first line
    font_name, font_size, encoding = f.fontName, f.fontSize, p.encoding
    font = getFont(font_name)
    width_of = font.stringWidth  # what pdfmetrics.stringWidth calls
    key = (font_name, font_size, encoding)
    known = _FACES.get(key)
    if known is None or known[0] is not font:
        space = width_of(" ", font_size, encoding=encoding)
        known = (font, space, *getAscentDescent(font_name, font_size))
        if len(_FACES) >= _FACES_LIMIT:
            _FACES.clear()
        _FACES[key] = known
    _, space, ascent, descent = known
    shrink = style.spaceShrinkage * space
    words = split(text)
    current = -space
    for n, word in enumerate(words):  # n: the words on the line so far
        new = current + space + width_of(word, font_size, encoding=encoding)
        if new > max_width + shrink * n:
            return None  # a second line, or a word too long for the first: reportlab's
        current = new
    # the attributes Paragraph.wrap and breakLines set, in the order they set them
    d: dict[str, Any] = p.__dict__
    d["width"] = available_width
    d["_wrapWidths"] = [first_width, available_width - left - style.rightIndent]
    d["_width_max"] = current if current > 0 else 0
    d["height"] = 0
    d["_splitLongWordCount"] = 0
    d["_hyphenations"] = 0
    # f.clone(…): its attributes, then these, in this order
    line = (max_width - current, words)
    d["blPara"] = _clone(
        f, kind=0, lines=[line], ascent=ascent, descent=descent, fontSize=font_size
    )
    height = 1 * style.leading
    d["height"] = height
    return available_width, height


__all__ = ["wrap_one_line"]
