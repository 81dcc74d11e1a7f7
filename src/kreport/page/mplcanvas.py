"""Draw a matplotlib ``Figure`` straight onto a reportlab canvas, as vector paths and real text.

matplotlib keeps the chart's layout; reportlab embeds one subset of each font for the whole page,
so chart labels are selectable text in the page's own fonts, and no PDF is rendered and merged.
The figure is drawn at 72 dpi so that one display unit is one PDF point.
"""

from __future__ import annotations

from typing import Any, cast

from matplotlib.backend_bases import GraphicsContextBase, RendererBase
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Affine2D, Transform
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ..fonts import FAKE_BOLD_STROKE, FontSet, metrics

DPI = 72.0

_CAPS = {"butt": 0, "round": 1, "projecting": 2}
_JOINS = {"miter": 0, "round": 1, "bevel": 2}


def text_width(text: str, fonts: FontSet, size: float, bold: bool = False) -> float:
    """Width in points of ``text`` as the renderer will draw it: for laying charts out."""
    face = fonts.bold if bold else fonts.regular
    return float(stringWidth(text, face.name, size))


class ReportlabRenderer(RendererBase):
    """A matplotlib renderer whose output is reportlab canvas operations."""

    def __init__(self, canvas: Canvas, width: float, height: float, fonts: FontSet) -> None:
        super().__init__()
        self.canvas = canvas
        self.width = width
        self.height = height
        self.fonts = fonts

    # -- geometry ------------------------------------------------------------------------------

    def get_canvas_width_height(self) -> tuple[float, float]:
        return self.width, self.height

    def points_to_pixels(self, points: Any) -> Any:
        return points  # 72 dpi: a point is a display unit

    def flipy(self) -> bool:
        return False

    # -- paths ---------------------------------------------------------------------------------

    def draw_path(
        self, gc: GraphicsContextBase, path: MplPath, transform: Transform, rgbFace: Any = None
    ) -> None:
        c = self.canvas
        c.saveState()
        self._clip(gc)
        stroke = gc.get_linewidth() > 0 and gc.get_rgb()[3] > 0
        fill = rgbFace is not None and (len(rgbFace) < 4 or rgbFace[3] > 0)
        if fill:
            alpha = (
                gc.get_alpha()
                if gc.get_forced_alpha()
                else (rgbFace[3] if len(rgbFace) > 3 else 1.0)
            )
            c.setFillColorRGB(*rgbFace[:3], alpha=alpha if alpha < 1 else None)
        if stroke:
            r, g, b, a = gc.get_rgb()
            alpha = gc.get_alpha() if gc.get_forced_alpha() else a
            c.setStrokeColorRGB(r, g, b, alpha=alpha if alpha < 1 else None)
            c.setLineWidth(gc.get_linewidth())
            c.setLineCap(_CAPS.get(gc.get_capstyle(), 0))
            c.setLineJoin(_JOINS.get(gc.get_joinstyle(), 0))
            offset, dashes = gc.get_dashes()
            dashes = cast(Any, dashes)
            if dashes:
                c.setDash([float(d) for d in dashes], float(offset or 0))
        if fill or stroke:
            p = self._path(path, transform)
            c.drawPath(p, stroke=int(stroke), fill=int(fill), fillMode=0)
        c.restoreState()

    def _path(self, path: MplPath, transform: Transform) -> Any:
        p = self.canvas.beginPath()
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

    def _clip(self, gc: GraphicsContextBase) -> None:
        rect = gc.get_clip_rectangle()
        if rect is not None:
            x0, y0, w, h = rect.bounds
            p = self.canvas.beginPath()
            p.rect(x0, y0, w, h)
            self.canvas.clipPath(p, stroke=0, fill=0)
        clip_path, affine = gc.get_clip_path()
        if clip_path is not None and affine is not None:
            self.canvas.clipPath(
                self._path(clip_path.get_fully_transformed_path(), Affine2D()), stroke=0, fill=0
            )

    # -- text ----------------------------------------------------------------------------------

    def _face(self, prop: FontProperties) -> tuple[str, bool]:
        weight = prop.get_weight()
        bold = weight in ("bold", "heavy", "extra bold", "black", "semibold", "demibold") or (
            isinstance(weight, int) and weight >= 600
        )
        face = self.fonts.bold if bold else self.fonts.regular
        return face.name, bold and self.fonts.fake_bold

    def get_text_width_height_descent(
        self, s: str, prop: FontProperties, ismath: Any
    ) -> tuple[float, float, float]:
        name, _ = self._face(prop)
        size = prop.get_size_in_points()
        ascent, descent = metrics(self.fonts.regular)
        return float(stringWidth(s, name, size)), (ascent + descent) * size, descent * size

    def draw_text(
        self,
        gc: GraphicsContextBase,
        x: float,
        y: float,
        s: str,
        prop: FontProperties,
        angle: float,
        ismath: Any = False,
        mtext: Any = None,
    ) -> None:
        name, fake_bold = self._face(prop)
        size = prop.get_size_in_points()
        r, g, b, a = gc.get_rgb()
        c = self.canvas
        c.saveState()
        self._clip(gc)
        c.translate(x, y)
        if angle:
            c.rotate(angle)
        c.setFillColorRGB(r, g, b, alpha=a if a < 1 else None)
        t = c.beginText(0, 0)
        t.setFont(name, size)
        if fake_bold:
            c.setStrokeColorRGB(r, g, b)
            c.setLineWidth(size * FAKE_BOLD_STROKE)
            t.setTextRenderMode(2)
        t.textOut(s)
        c.drawText(t)
        c.restoreState()

    def draw_image(
        self, gc: GraphicsContextBase, x: float, y: float, im: Any, transform: Any = None
    ) -> None:
        raise NotImplementedError("kreport charts are vector only; no raster images")

    def option_scale_image(self) -> bool:
        return False


def draw_figure(fig: Figure, canvas: Canvas, x: float, y: float, fonts: FontSet) -> None:
    """Draw ``fig`` with its lower-left corner at (x, y) on ``canvas``."""
    width, height = fig.get_size_inches() * DPI
    renderer = ReportlabRenderer(canvas, width, height, fonts)
    canvas.saveState()
    canvas.translate(x, y)
    fig.draw(renderer)
    canvas.restoreState()


def new_figure(width: float, height: float) -> Figure:
    """A figure of ``width`` x ``height`` points, transparent, drawn by ``draw_figure``."""
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    fig.patch.set_visible(False)
    return fig


__all__ = ["DPI", "ReportlabRenderer", "draw_figure", "new_figure", "text_width"]
