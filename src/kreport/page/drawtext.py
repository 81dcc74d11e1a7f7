"""A simple paragraph's lines -> the content-stream operators reportlab's ``drawPara`` writes.

Most paragraphs on the page are one run of one font and colour (``blPara.kind == 0``), left,
right or centred, without a border, background, underline or link. For those, ``draw_simple``
appends to the canvas the very strings ``Paragraph.drawPara`` appends (``q``, the fill colour,
the bullet's own text object, one ``BT … ET`` and ``Q``, each the same list entry), without the
text object, the saved graphics states and the per-line calls that make them: the same font
subsets are assigned in the same order (``splitString``), the same numbers formatted by the
same ``fp_str``, the same cursor moves merged as ``moveCursor`` merges them.

Anything else (and any state of the canvas that would make reportlab write more, such as a
fill alpha other than the colour's) is not ``covered`` and is left to reportlab. A covered
paragraph leaves the canvas's graphics state as it found it, so ``StyledParagraph.drawOn``
writes the ``q``/``cm``/``Q`` around it without saving and restoring reportlab's copy. Tests draw
every example, the gallery and generated briefings both ways and compare the bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple, cast

from reportlab.lib.colors import CMYKColor, Color
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph
from reportlab.platypus import paragraph as rl_paragraph

from . import checked

_ALIGNED = (TA_LEFT, TA_RIGHT, TA_CENTER)
_SIMPLE_WRAPS = (None, "", "CJK")  # RTL and LTR are bidi-handled: reportlab's own


class Simple(NamedTuple):
    """A paragraph ``draw_simple`` covers: the subset font its one run is set in, or None
    when it has no lines (``drawPara`` then draws nothing at all)."""

    font: TTFont | None


_NO_LINES = Simple(None)


def covered(p: Paragraph, canv: object) -> Simple | None:
    """What ``draw_simple`` would draw paragraph ``p`` (wrapped) on ``canv`` with, or None if
    ``p`` or the canvas is not a case it covers."""
    if not checked.SHORTCUTS:
        return None
    style = p.style
    bl = p.blPara
    if bl.kind != 0 or not isinstance(canv, Canvas) or canv._enforceColorSpace is not None:
        return None
    if p.bulletText is not None and not isinstance(p.bulletText, str):
        return None  # a bullet of fragments: reportlab draws it in their colours and alphas
    if style.backColor or (getattr(style, "borderColor", None) and style.borderWidth):
        return None
    if style.alignment not in _ALIGNED or style.wordWrap not in _SIMPLE_WRAPS:
        return None
    if getattr(p, "_offsets", None) is not None or getattr(p, "autoLeading", None) is not None:
        return None
    if getattr(style, "autoLeading", "") in ("max", "min") or not canv.bottomup:
        return None
    lines = bl.lines
    if not lines:
        return _NO_LINES
    if bl.us_lines or bl.link or any(line[0] <= -1e-8 for line in lines):
        return None  # underlines, links, lines set tighter than their width: word spacing
    if not _colour_is_plain(bl.textColor, canv):
        return None
    if p.bulletText and not _colour_is_plain(getattr(style, "bulletColor", style.textColor), canv):
        return None
    font = getFont(bl.fontName)
    return Simple(font) if font._dynamicFont else None


def draw_simple(p: Paragraph, canv: Any, simple: Simple | None = None) -> bool:
    """Draw paragraph ``p`` (wrapped) on ``canv`` as ``drawPara`` would; ``False`` if ``p`` or
    the canvas (any platypus canvas; only reportlab's own is drawn on) is not a case this
    covers, and nothing was drawn. ``simple``: what ``covered`` answered, if asked already."""
    if simple is None:
        simple = covered(p, canv)
        if simple is None:
            return False
    font = simple.font
    if font is None:
        return True
    style = p.style
    bl = p.blPara
    lines = bl.lines
    colour = bl.textColor
    bullet = p.bulletText
    code = canv._code
    doc = canv._doc
    code.append("q")  # saveState: nothing below changes the canvas's own state but the colour
    offset = style.firstLineIndent
    if rl_paragraph.paraFontSizeHeightOffset:
        cur_y = p.height - bl.fontSize
    else:
        cur_y = p.height - getattr(bl, "ascent", bl.fontSize)
    if bullet:
        offset = rl_paragraph._drawBullet(canv, offset, cur_y, bullet, style, rtl=False)
    saved_colour = canv._fillColorObj
    code.append(f"{fp_str(colour.red, colour.green, colour.blue)} rg")  # setFillColor
    if getattr(colour, "alpha", None) is not None:  # its alpha, already the canvas's
        doc.ensureMinPdfVersion("transparency")
    tx = ["BT", f"1 0 0 1 {fp_str(style.leftIndent, cur_y)} Tm"]
    escape = escaper(canv)
    tail = font_tail(bl.fontSize, style.leading)
    subset_now = -1
    align = style.alignment
    for i, (extra, words) in enumerate(lines):
        at = offset if i == 0 else 0
        if align == TA_RIGHT:
            at += extra
        elif align == TA_CENTER:
            at += 0.5 * extra
        if at > 1e-6 or at < -1e-6:
            _move(tx, at)
        runs, subset_now = show(font, " ".join(words), doc, escape, tail, subset_now)
        tx.append(runs + " T*")
        if at > 1e-6 or at < -1e-6:
            _move(tx, -at)
    tx.append("ET")
    code.append(" ".join(tx))
    code.append("Q")  # restoreState
    canv._fillColorObj = saved_colour
    return True


def draw_string(c: Any, x: float, y: float, text: str) -> None:
    """``c.drawString(x, y, text)``: one line of ``text`` in the canvas's font, size, leading
    and colours. For a subset font on a reportlab canvas, the text object's code is written
    as reportlab's makes it (``BT``, the origin, the runs, ``T*``, ``ET``: one list entry),
    without the text object; anything else is reportlab's own."""
    font = getFont(c._fontname)
    if not (checked.SHORTCUTS and font._dynamicFont and isinstance(c, Canvas) and c.bottomup):
        c.drawString(x, y, text)
        return
    tail = font_tail(c._fontsize, c._leading)
    runs, _ = show(font, text, c._doc, escaper(c), tail)
    c._code.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm {runs} T* ET")


_TAILS: dict[tuple[float, float], str] = {}
"""(size, leading) -> ``font_tail``'s text: a page sets its text in a dozen sizes, over and
over (``fp_str`` writes a number by its value alone, so equal keys write alike)."""


def font_tail(size: float, leading: float) -> str:
    """What ``setFont`` writes after a font's name: its size and leading."""
    key = (size, leading)
    found = _TAILS.get(key)
    if found is None:
        found = f"{fp_str(size)} Tf {fp_str(leading)} TL"
        if len(_TAILS) < 1024:
            _TAILS[key] = found
    return found


def escaper(canv: Any) -> Callable[[bytes], str]:
    """The canvas's ``_escape`` (how a run's codes are written inside parentheses): reportlab's
    own is ``escapePDF``, taken directly, without the method around it."""
    if type(canv)._escape is Canvas._escape:
        return cast(Callable[[bytes], str], escapePDF)
    return cast(Callable[[bytes], str], canv._escape)


def show(
    font: TTFont,
    text: str,
    doc: Any,
    escape: Callable[[bytes], str],
    tail: str,
    subset_now: int = -1,
) -> tuple[str, int]:
    """The operators a text object writes to show ``text`` in subset ``font`` (its
    ``_textOut``): each run of one subset as ``(…) Tj``, preceded by the subset's name and
    ``tail`` (``font_tail``) where the subset changes from ``subset_now``. Returns them and
    the subset in use after them. Paragraphs here and chart text (``paint.py``) both write
    their runs with this, so the two cannot drift apart from reportlab's bytes separately."""
    runs = []
    for subset, chars in font.splitString(text, doc):
        if subset != subset_now:
            runs.append(f"{font.getSubsetInternalName(subset, doc)} {tail}")
            subset_now = subset
        runs.append(f"({escape(chars)}) Tj")
    return " ".join(runs), subset_now


def _colour_is_plain(colour: object, canv: Canvas) -> bool:
    """An RGB colour whose alpha (if any) is the canvas's fill alpha already: setting it writes
    ``r g b rg`` and nothing more (and asks the document for PDF 1.4, as any alpha does)."""
    if not isinstance(colour, Color) or isinstance(colour, CMYKColor):
        return False
    alpha = getattr(colour, "alpha", None)
    return alpha is None or alpha == canv._extgstate._d.get("ca", 1)


def _move(tx: list[str], dx: float) -> None:
    """``PDFTextObject.moveCursor(dx, 0)``: a move straight after another is merged with it,
    from its written (rounded) figures."""
    last = tx[-1]
    if last.endswith(" Td"):
        figures = last.split()
        del tx[-1]  # always "dx dy Td" here: this text object writes no other moves
        dx += float(figures[-3])
    tx.append(f"{fp_str(dx, 0)} Td")
