"""Chart marks -> reportlab canvas operations: the one place where a chart meets the page.

Both ways of drawing a chart end here: the direct one (``plotframe.py`` and the chart modules
computing each mark as matplotlib would place it) and matplotlib's own Figure, drawn through the
renderer in ``tests/mplcanvas.py`` (the reference the direct drawing is checked against, byte for
byte). So a path or a text turns into the same canvas calls whichever way it was computed. Paths
are matplotlib ``Path`` objects walked through an affine transform exactly as a renderer walks
them; text is real text in the page's fonts, one text object per line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from matplotlib.path import Path as MplPath
from matplotlib.transforms import Affine2D, Transform
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ..fonts import FAKE_BOLD_STROKE, FontSet

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
    last = (0.0, 0.0)
    for verts, code in path.iter_segments(transform, remove_nans=True, simplify=False):
        if code == MplPath.MOVETO:
            p.moveTo(*verts[:2])
            last = (verts[0], verts[1])
        elif code == MplPath.LINETO:
            p.lineTo(*verts[:2])
            last = (verts[0], verts[1])
        elif code == MplPath.CURVE3:
            (cx, cy, x, y) = verts
            # a quadratic Bezier is the cubic with control points 2/3 of the way to its own
            p.curveTo(
                last[0] + 2 / 3 * (cx - last[0]),
                last[1] + 2 / 3 * (cy - last[1]),
                x + 2 / 3 * (cx - x),
                y + 2 / 3 * (cy - y),
                x,
                y,
            )
            last = (x, y)
        elif code == MplPath.CURVE4:
            p.curveTo(*verts[:6])
            last = (verts[4], verts[5])
        elif code == MplPath.CLOSEPOLY:
            p.close()
    return p


def _clip(c: Canvas, clip: Clip) -> None:
    if clip.rect is not None:
        x0, y0, w, h = clip.rect
        p = c.beginPath()
        p.rect(x0, y0, w, h)
        c.clipPath(p, stroke=0, fill=0)
    if clip.path is not None:
        c.clipPath(_path(c, clip.path, Affine2D()), stroke=0, fill=0)
