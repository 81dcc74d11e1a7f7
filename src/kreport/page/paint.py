"""Chart marks -> reportlab canvas operations: the one place where a chart meets the page.

Both ways of drawing a chart end here: the direct one (``plotframe.py`` and the chart modules
computing each mark as matplotlib would place it) and matplotlib's own Figure, drawn through the
renderer in ``tests/mplcanvas.py`` (the reference the direct drawing is checked against, byte for
byte). So a path or a text turns into the same canvas calls whichever way it was computed. Paths
are matplotlib ``Path`` objects walked through an affine transform exactly as a renderer walks
them; text is real text in the page's fonts, one text object per line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from matplotlib.path import Path as MplPath
from matplotlib.transforms import Affine2D, Transform
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import FILL_EVEN_ODD, PATH_OPS, Canvas

from ..fonts import FAKE_BOLD_STROKE, FontSet
from . import checked
from .drawtext import escaper, font_tail, show

DPI = 72.0  # charts are laid out at 72 dpi: one display unit is one PDF point

CAPS = {"butt": 0, "round": 1, "projecting": 2}
JOINS = {"miter": 0, "round": 1, "bevel": 2}

Bounds = tuple[float, float, float, float]  # x0, y0, width, height
Colour = tuple[float, float, float, float | None]  # r, g, b and an alpha below 1, or None


@dataclass(frozen=True, slots=True)
class Pen:
    """How a path is stroked: colour, width in points, cap and join codes, dashes."""

    colour: Colour
    width: float
    cap: int
    join: int
    dashes: tuple[list[float], float] | None = None  # (dash lengths, offset)


@dataclass(frozen=True, slots=True)
class Clip:
    """A mark's clipping: a rectangle and/or a path already in page units."""

    rect: Bounds | None = None
    path: MplPath | None = None


NO_CLIP = Clip()


def text_width(text: str, fonts: FontSet, size: float, bold: bool = False) -> float:
    """Width in points of ``text`` as a chart draws it: for laying charts out."""
    face = fonts.bold if bold else fonts.regular
    return float(stringWidth(text, face.name, size))


def paint_path(
    c: Canvas,
    path: MplPath,
    transform: Transform,
    fill: Colour | None,
    pen: Pen | None,
    clip: Clip = NO_CLIP,
) -> None:
    """Fill and/or stroke ``path`` (through ``transform``) inside its own graphics state."""
    if _writes(c) and _plain_path(fill, pen, clip):
        _write_path(c, path, transform, fill, pen, clip)
        return
    c.saveState()
    _clip(c, clip)
    if fill is not None:
        c.setFillColorRGB(fill[0], fill[1], fill[2], alpha=fill[3])
    if pen is not None:
        r, g, b, a = pen.colour
        c.setStrokeColorRGB(r, g, b, alpha=a)
        c.setLineWidth(pen.width)
        c.setLineCap(pen.cap)
        c.setLineJoin(pen.join)
        if pen.dashes:
            c.setDash(pen.dashes[0], pen.dashes[1])
    if fill is not None or pen is not None:
        p = _path(c, path, transform)
        c.drawPath(p, stroke=int(pen is not None), fill=int(fill is not None), fillMode=0)
    c.restoreState()


def paint_text(
    c: Canvas,
    x: float,
    y: float,
    text: str,
    font: str,
    size: float,
    colour: Colour,
    angle: float = 0.0,
    fake_bold: bool = False,
    clip: Clip = NO_CLIP,
) -> None:
    """One line of text with its baseline's left end at (x, y), in its own graphics state."""
    r, g, b, a = colour
    if _writes(c) and a is None and not angle and not fake_bold and clip == NO_CLIP:
        face = getFont(font)
        if face._dynamicFont:
            _write_text(c, x, y, text, face, size, (r, g, b))
            return
    c.saveState()
    _clip(c, clip)
    c.translate(x, y)
    if angle:
        c.rotate(angle)
    c.setFillColorRGB(r, g, b, alpha=a)
    t = c.beginText(0, 0)
    t.setFont(font, size)
    if fake_bold:
        c.setStrokeColorRGB(r, g, b)
        c.setLineWidth(size * FAKE_BOLD_STROKE)
        t.setTextRenderMode(2)
    t.textOut(text)
    c.drawText(t)
    c.restoreState()


def _path(c: Canvas, path: MplPath, transform: Transform) -> Any:
    p = c.beginPath()
    for op, xy in _segments(path, transform):
        if op == "m":
            p.moveTo(*xy)
        elif op == "l":
            p.lineTo(*xy)
        elif op == "c":
            p.curveTo(*xy)
        else:
            p.close()
    return p


def _segments(path: MplPath, transform: Transform) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """``path``'s segments through ``transform`` as a renderer walks them: each a PDF path
    operator (``m``, ``l``, ``c``, ``h``) and its coordinates. ``_path`` and ``_path_code``
    both walk this one, so a path object and its written code cannot drift apart."""
    last = (0.0, 0.0)
    for verts, code in path.iter_segments(transform, remove_nans=True, simplify=False):
        if code == MplPath.MOVETO:
            last = (verts[0], verts[1])
            yield "m", last
        elif code == MplPath.LINETO:
            last = (verts[0], verts[1])
            yield "l", last
        elif code == MplPath.CURVE3:
            (cx, cy, x, y) = verts
            # a quadratic Bezier is the cubic with control points 2/3 of the way to its own
            yield (
                "c",
                (
                    last[0] + 2 / 3 * (cx - last[0]),
                    last[1] + 2 / 3 * (cy - last[1]),
                    x + 2 / 3 * (cx - x),
                    y + 2 / 3 * (cy - y),
                    x,
                    y,
                ),
            )
            last = (x, y)
        elif code == MplPath.CURVE4:
            yield "c", tuple(verts[:6])
            last = (verts[4], verts[5])
        elif code == MplPath.CLOSEPOLY:
            yield "h", ()


def _clip(c: Canvas, clip: Clip) -> None:
    if clip.rect is not None:
        x0, y0, w, h = clip.rect
        p = c.beginPath()
        p.rect(x0, y0, w, h)
        c.clipPath(p, stroke=0, fill=0)
    if clip.path is not None:
        c.clipPath(_path(c, clip.path, Affine2D()), stroke=0, fill=0)


# -- the same operators, written directly ---------------------------------------------------------
# A chart draws a few dozen marks, each in its own graphics state: reportlab saves its copy of
# the state, makes a path or text object and restores the copy for each. A mark that sets
# nothing but its colours, line style and origin leaves the canvas's state as it found it, so
# its operators are written as reportlab writes them (the same list entries) without that.
# tests/test_drawing.py draws the pages both ways (``_writes`` answering False) and compares.


def _writes(c: Canvas) -> bool:
    """Whether marks on ``c`` may be written directly: a reportlab canvas with no colour space
    to enforce (which would rewrite colours), under a reportlab this was checked against."""
    return checked.SHORTCUTS and isinstance(c, Canvas) and c._enforceColorSpace is None


def _plain_path(fill: Colour | None, pen: Pen | None, clip: Clip) -> bool:
    return (
        clip.path is None
        and (fill is None or fill[3] is None)
        and (pen is None or (pen.colour[3] is None and not pen.dashes))
    )


def _write_path(
    c: Canvas, path: MplPath, transform: Transform, fill: Colour | None, pen: Pen | None, clip: Clip
) -> None:
    """``paint_path``'s operators for a path without alpha, dashes or a clipping path."""
    code = c._code
    code.append("q")
    if clip.rect is not None:  # clipPath(rect, stroke=0, fill=0)
        mode = c._fillMode
        rect = f"n {fp_str(clip.rect)} re"
        code.append(f"{rect}{' W* ' if mode == FILL_EVEN_ODD else ' W '}{PATH_OPS[0, 0, mode]}")
    if fill is not None:
        code.append(f"{fp_str(fill[0], fill[1], fill[2])} rg")
    if pen is not None:
        r, g, b, _ = pen.colour
        code.append(f"{fp_str(r, g, b)} RG")
        code.append(f"{fp_str(pen.width)} w")
        code.append(f"{int(pen.cap):d} J")  # as '%d J' % mode
        code.append(f"{int(pen.join):d} j")
    if fill is not None or pen is not None:
        code.append(_path_code(path, transform))
        code.append(PATH_OPS[int(pen is not None), int(fill is not None), 0])
    code.append("Q")


def _path_code(path: MplPath, transform: Transform) -> str:
    """What ``_path``'s path object gives as its code: ``n`` and the segments' operators, each
    formatted as ``PDFPathObject`` formats it."""
    ops = ["n"]
    for op, xy in _segments(path, transform):
        ops.append(f"{fp_str(*xy)} {op}" if xy else op)
    return " ".join(ops) if len(ops) > 1 else ""


def _write_text(
    c: Canvas, x: float, y: float, text: str, font: Any, size: float, rgb: tuple[float, ...]
) -> None:
    """``paint_text``'s operators for unrotated, unclipped, opaque text in a subset font."""
    doc = c._doc
    code = c._code
    code.append("q")
    code.append(f"{fp_str(1, 0, 0, 1, x, y)} cm")
    code.append(f"{fp_str(rgb)} rg")
    tail = font_tail(size, size * 1.2)  # setFont's leading
    runs, _ = show(font, text, doc, escaper(c), tail)
    code.append(" ".join(("BT", f"1 0 0 1 {fp_str(0, 0)} Tm", runs, "ET")))
    code.append("Q")
