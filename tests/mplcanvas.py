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
from matplotlib.transforms import Transform
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from kreport.fonts import FontSet, metrics
from kreport.page.paint import (
    CAPS,
    DPI,
    JOINS,
    Clip,
    Colour,
    Pen,
    paint_path,
    paint_text,
    text_width,
)


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
        fill: Colour | None = None
        pen: Pen | None = None
        if rgbFace is not None and (len(rgbFace) < 4 or rgbFace[3] > 0):
            alpha = (
                gc.get_alpha()
                if gc.get_forced_alpha()
                else (rgbFace[3] if len(rgbFace) > 3 else 1.0)
            )
            fill = (rgbFace[0], rgbFace[1], rgbFace[2], alpha if alpha < 1 else None)
        if gc.get_linewidth() > 0 and gc.get_rgb()[3] > 0:
            r, g, b, a = gc.get_rgb()
            alpha = gc.get_alpha() if gc.get_forced_alpha() else a
            offset, dashes = gc.get_dashes()
            dashes = cast(Any, dashes)
            pen = Pen(
                (r, g, b, alpha if alpha < 1 else None),
                gc.get_linewidth(),
                CAPS.get(gc.get_capstyle(), 0),
                JOINS.get(gc.get_joinstyle(), 0),
                ([float(d) for d in dashes], float(offset or 0)) if dashes else None,
            )
        paint_path(self.canvas, path, transform, fill, pen, self._clip(gc))

    def _clip(self, gc: GraphicsContextBase) -> Clip:
        rect = gc.get_clip_rectangle()
        clip_path, affine = gc.get_clip_path()
        return Clip(
            None if rect is None else rect.bounds,
            None if clip_path is None or affine is None else clip_path.get_fully_transformed_path(),
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
        r, g, b, a = gc.get_rgb()
        colour = (r, g, b, a if a < 1 else None)
        size = prop.get_size_in_points()
        paint_text(self.canvas, x, y, s, name, size, colour, angle, fake_bold, self._clip(gc))

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
