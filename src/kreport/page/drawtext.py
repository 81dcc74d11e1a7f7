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

from typing import Any

from reportlab.lib.colors import CMYKColor, Color
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import paragraph as rl_paragraph

_ALIGNED = (TA_LEFT, TA_RIGHT, TA_CENTER)
_SIMPLE_WRAPS = (None, "", "CJK")  # RTL and LTR are bidi-handled: reportlab's own


_NO_LINES = object()  # a paragraph with no lines: drawPara draws nothing at all


def covered(p: Any, canv: Any) -> Any:
    """The font ``draw_simple`` would draw paragraph ``p`` (wrapped) on ``canv`` in, or None
    if ``p`` or the canvas is not a case it covers."""
    style = p.style
    bl = p.blPara
    if bl.kind != 0 or not isinstance(canv, Canvas) or canv._enforceColorSpace is not None:
        return None
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
    return font if font._dynamicFont else None


def draw_simple(p: Any, canv: Any, font: Any = None) -> bool:
    """Draw paragraph ``p`` (wrapped) on ``canv`` as ``drawPara`` would; ``False`` if ``p`` or
    the canvas is not a case this covers, and nothing was drawn. ``font``: what ``covered``
    answered, if it was asked already."""
    if font is None:
        font = covered(p, canv)
        if font is None:
            return False
    if font is _NO_LINES:
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
    escape = canv._escape
    tail = f"{fp_str(bl.fontSize)} Tf {fp_str(style.leading)} TL"
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
        runs = []
        for subset, chars in font.splitString(" ".join(words), doc):
            if subset != subset_now:
                runs.append(f"{font.getSubsetInternalName(subset, doc)} {tail}")
                subset_now = subset
            runs.append(f"({escape(chars)}) Tj")
        tx.append(" ".join(runs) + " T*")
        if at > 1e-6 or at < -1e-6:
            _move(tx, -at)
    tx.append("ET")
    code.append(" ".join(tx))
    code.append("Q")  # restoreState
    canv._fillColorObj = saved_colour
    return True


def _colour_is_plain(colour: Any, canv: Any) -> bool:
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
