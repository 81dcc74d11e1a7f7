"""A chart's marks placed where a matplotlib Figure and Axes would place them, without either.

``Frame`` holds the transforms an Axes at ``rect`` (fractions of a figure of ``width`` x
``height`` points, 72 dpi) with the given view limits would have, built from matplotlib's own
transform classes in the same chain (figure ``dpi_scale_trans`` -> figure bbox -> ``transAxes``;
``transLimits`` from the view limits; ``transData``), so every coordinate comes out as the same
float. Its ``rect``/``polygon``/``line``/``text`` add what ``barh``/``Polygon``/``Line2D``/
``Axes.text`` would draw, with matplotlib's defaults for what kreport leaves unset; ``paint``
draws them in matplotlib's order (by zorder, then as added) through ``paint.py``.

Text is placed by ``text_lines``, the arithmetic of ``matplotlib.text.Text._get_layout`` (one
line per text object, alignment, line heights at least those of the font matplotlib falls back
to); its widths and heights are the page fonts' own, as the Figure renderer reports them.

matplotlib's default settings are read from ``rcParamsDefault``, never from a user's
matplotlibrc, so the page does not depend on the machine. The Figure-based drawing this
reproduces is kept in ``tests/chartoracle.py``; tests compare the two byte for byte.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from matplotlib import get_data_path, rcParamsDefault
from matplotlib.colors import to_rgba
from matplotlib.path import Path as MplPath
from matplotlib.ticker import AutoLocator
from matplotlib.transforms import (
    Affine2D,
    Bbox,
    BboxTransformFrom,
    BboxTransformTo,
    IdentityTransform,
    ScaledTranslation,
    Transform,
    TransformedBbox,
    TransformWrapper,
    blended_transform_factory,
)
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ..fonts import FontSet, metrics
from .paint import CAPS, DPI, JOINS, NO_CLIP, Clip, Colour, Pen, paint_path, paint_text

RGBA = tuple[float, float, float, float]
Placed = tuple[str, float, float]  # a line of text and its offset from the anchor


def rgba(colour: Any) -> RGBA:
    return to_rgba(colour)


def colour(c: RGBA) -> Colour:
    """An RGBA as paint takes it: alpha only when below 1."""
    return (c[0], c[1], c[2], c[3] if c[3] < 1 else None)


def default(key: str) -> Any:
    """matplotlib's own default for setting ``key``."""
    return cast(Any, rcParamsDefault)[key]


@dataclass(frozen=True, slots=True)
class Measure:
    """The page fonts' metrics as the chart renderer reports them to matplotlib."""

    fonts: FontSet

    def __call__(self, s: str, size: float) -> tuple[float, float, float]:
        """(width, height, descent) of ``s`` at ``size``, as ``get_text_width_height_descent``."""
        ascent, descent = metrics(self.fonts.regular)
        width = float(stringWidth(s, self.fonts.regular.name, size))
        return width, (ascent + descent) * size, descent * size


@functools.cache
def _fallback_font_table() -> tuple[float, float, float, float]:
    """(line gap, ascent, descent, units per em) of the font matplotlib uses for text
    properties left at their defaults (DejaVu Sans, shipped with matplotlib)."""
    from matplotlib.ft2font import FT2Font

    font = FT2Font(os.path.join(get_data_path(), "fonts", "ttf", "DejaVuSans.ttf"))
    head = font.get_sfnt_table("head")
    os2 = font.get_sfnt_table("OS/2")
    hhea = font.get_sfnt_table("hhea")
    if head is not None and os2 is not None:
        return os2["sTypoLineGap"], os2["sTypoAscender"], os2["sTypoDescender"], head["unitsPerEm"]
    if head is not None and hhea is not None:
        return hhea["lineGap"], hhea["ascent"], hhea["descent"], head["unitsPerEm"]
    raise LookupError("matplotlib's DejaVu Sans has no OS/2 or hhea table")


def _font_height(size: float) -> tuple[float, float, float]:
    """(min ascent, min descent, line gap) of a text at ``size`` points, as Text._get_layout."""
    gap, ascent, descent, upem = _fallback_font_table()
    scale = 1 / upem * size * DPI / 72
    return ascent * scale, -descent * scale, gap * scale


@dataclass(frozen=True, slots=True)
class TextLayout:
    lines: list[Placed]
    width: float  # of the text's box
    height: float
    last_descent: float  # of the last line, as laid out


def text_lines(text: str, size: float, ha: str, va: str, measure: Measure) -> TextLayout:
    """``text``'s lines and their offsets from its anchor point: ``Text._get_layout`` for an
    unrotated text at 72 dpi with line spacing 'normal'."""
    lines = text.split("\n")
    min_ascent, min_descent, line_gap = _font_height(size)
    if len(lines) == 1:
        line_gap = 0
    thisy = 0.0
    wads: list[tuple[float, float, float]] = []
    ys: list[float] = []
    baseline = d = 0.0
    for line in lines:
        w, h, d = measure(line, size) if line else (0, 0, 0)
        a = h - d
        a = max(a, min_ascent) + line_gap / 2
        d = max(d, min_descent) + line_gap / 2
        baseline = a - thisy
        thisy -= a
        wads.append((w, a, d))
        ys.append(thisy)
        thisy -= d
    descent = d
    ws = [w for w, _, _ in wads]
    width = max(ws)
    xmin: float = 0
    xmax = width
    ymax: float = 0
    ymin = ys[-1] - descent
    if ha == "left":
        offsets = [(0.0, y) for y in ys]
    elif ha == "center":
        offsets = [(0.0 + width / 2 - w / 2, y) for y, w in zip(ys, ws, strict=True)]
    else:
        offsets = [(0.0 + width - w, y) for y, w in zip(ys, ws, strict=True)]
    # the box's corners (unrotated: min and max are the corners themselves)
    xs_c, ys_c = (xmin, xmin, xmax, xmax), (ymin, ymax, ymax, ymin)
    xmin, xmax, ymin, ymax = min(xs_c), max(xs_c), min(ys_c), max(ys_c)
    width_rot, height_rot = xmax - xmin, ymax - ymin
    offsetx = xmin if ha == "left" else xmax if ha == "right" else (xmin + xmax) / 2
    offsety = (
        ymin
        if va == "bottom"
        else ymax
        if va == "top"
        else (ymin + ymax) / 2
        if va == "center"
        else ymin + descent
        if va == "baseline"
        else ymin + height_rot - baseline / 2  # center_baseline
    )
    xmin -= offsetx
    ymin -= offsety
    placed = [(line, x - offsetx, y - offsety) for line, (x, y) in zip(lines, offsets, strict=True)]
    # Bbox.from_bounds(xmin, ymin, width_rot, height_rot).size, as matplotlib computes it
    box_w = (xmin + width_rot) - xmin
    box_h = (ymin + height_rot) - ymin
    return TextLayout(placed, box_w, box_h, wads[-1][2])


def rect_transform(x0: float, y0: float, x1: float, y1: float) -> Transform:
    """A ``Rectangle``'s patch transform: the unit square onto its extents (with the identity
    rotation about its corner that matplotlib composes in)."""
    bbox = Bbox.from_extents(x0, y0, x1, y1)
    return BboxTransformTo(bbox) + _rotation(bbox)


def rect_matrix(x0: float, y0: float, x1: float, y1: float) -> Any:
    """The matrix of ``rect_transform``'s affine, multiplied as matplotlib multiplies it.

    For a rectangle at a finite corner the factors are known without building them: the
    rotation about the corner by 0 degrees is exactly the identity (its translations cancel
    to +0.0, its cosine is 1 and sine 0), and ``BboxTransformTo``'s matrix is the box's
    bounds (width and height as ``Bbox.bounds`` subtracts them). The product is then taken as
    matplotlib takes it, so the matrix is the same to the bit (a test compares the two)."""
    x0, y0, x1, y1 = float(x0), float(y0), float(x1), float(y1)  # as the Bbox stores them
    if not (math.isfinite(x0) and math.isfinite(y0)):
        bbox = Bbox.from_extents(x0, y0, x1, y1)
        return np.dot(_rotation(bbox).get_matrix(), BboxTransformTo(bbox).get_matrix())
    to_box = np.array([[x1 - x0, 0.0, x0], [0.0, y1 - y0, y0], [0.0, 0.0, 1.0]], float)
    return np.dot(_IDENTITY, to_box)


_IDENTITY = np.eye(3)
"""What ``_rotation`` gives for a finite corner: the identity, every zero +0.0."""


def on(outer: Any, inner: Any) -> Affine2D:
    """The affine of ``inner + outer`` from their matrices, as ``CompositeGenericTransform``
    computes it (the outer matrix computed once for many marks)."""
    return Affine2D(np.dot(outer, inner))


def _rotation(bbox: Bbox) -> Affine2D:
    px, py = bbox.x0, bbox.y0
    return (
        Affine2D()
        .translate(-px, -py)
        .scale(1, 1.0)
        .rotate_deg(0.0)
        .scale(1, 1 / 1.0)
        .translate(px, py)
    )


class Frame:
    """The transforms of an Axes and the marks drawn in it, in the order matplotlib draws."""

    def __init__(
        self,
        width: float,
        height: float,
        rect: tuple[float, float, float, float],
        xlim: tuple[float, float],
        ylim: tuple[float, float],
        fonts: FontSet,
    ) -> None:
        self.fonts = fonts
        self.measure = Measure(fonts)
        self.dpi_scale_trans = Affine2D().scale(DPI)
        figure = TransformedBbox(
            Bbox.from_bounds(0, 0, width / DPI, height / DPI), self.dpi_scale_trans
        )
        self.bbox = TransformedBbox(Bbox.from_bounds(*rect), BboxTransformTo(figure))
        self.trans_axes = BboxTransformTo(self.bbox)
        self.position = rect  # of the Axes, in fractions of the figure
        (x0, x1), (y0, y1) = self.xlim, self.ylim = _limits(*xlim), _limits(*ylim)
        view = Bbox([[x0, y0], [x1, y1]])
        scale = TransformWrapper(IdentityTransform())
        limits = BboxTransformFrom(TransformedBbox(view, scale))
        self.trans_data = scale + (limits + self.trans_axes)
        # trans_data's affine, as each artist computes it afresh (the same product every time)
        self.data_affine = self.trans_data.get_affine()
        self.xaxis_transform = blended_transform_factory(self.trans_data, self.trans_axes)
        self.yaxis_transform = blended_transform_factory(self.trans_axes, self.trans_data)
        # what the Axes clips its patches and lines to: its own patch, a unit Rectangle
        axes_patch = rect_transform(0.0, 0.0, 1.0, 1.0) + self.trans_axes
        self.clip = Clip(TransformedBbox(Bbox.unit(), axes_patch).bounds)
        self.marks: list[tuple[float, Callable[[Canvas], None]]] = []

    # -- marks --------------------------------------------------------------------------------

    def add(self, zorder: float, mark: Callable[[Canvas], None]) -> None:
        self.marks.append((zorder, mark))

    def rect(
        self,
        x0: float,
        y0: float,
        width: float,
        height: float,
        face: Any,
        edge: Any = "none",
        linewidth: float | None = None,
        transform: Transform | None = None,
        clip: Clip | None = None,
        zorder: float = 1.0,
    ) -> None:
        """A ``Rectangle`` at (x0, y0) (its corner), as ``bar``/``barh`` add them."""
        outer = (self.data_affine if transform is None else transform.get_affine()).get_matrix()
        affine = on(outer, rect_matrix(x0, y0, x0 + width, y0 + height))
        path = MplPath.unit_rectangle()
        self.add(zorder, _patch(path, affine, face, edge, linewidth, clip or self.clip))

    def polygon(self, corners: Sequence[tuple[float, float]], face: Any, zorder: float) -> None:
        """A closed ``Polygon`` in data units with no edge."""
        xy = np.asarray(corners)
        if (xy[0] != xy[-1]).any():
            xy = np.concatenate([xy, [xy[0]]])
        path = MplPath(xy, closed=True)
        self.add(zorder, _patch(path, self.data_affine, face, "none", None, self.clip))

    def line(
        self,
        xs: Sequence[float],
        ys: Sequence[float],
        colour: Any,
        linewidth: float,
        transform: Transform | None = None,
        cap: str | None = None,
        zorder: float = 2.0,
    ) -> None:
        """A solid ``Line2D`` (NaN breaks it), clipped to the Axes."""
        x = np.asarray(xs, float).ravel()
        y = np.asarray(ys, float).ravel()
        xy = np.column_stack(np.broadcast_arrays(x, y)).astype(float)
        path = MplPath(xy)
        affine = cast(Transform, (transform or self.data_affine).get_affine().frozen())
        pen = Pen(
            colour_of(colour),
            linewidth,
            CAPS[cap or default("lines.solid_capstyle").name],  # CapStyle and JoinStyle enums
            JOINS[default("lines.solid_joinstyle").name],
        )
        clip = self.clip
        self.add(zorder, lambda c: paint_path(c, path, affine, None, pen, clip))

    def text(
        self,
        x: float,
        y: float,
        s: str,
        size: float,
        colour: Any,
        ha: str = "left",
        va: str = "baseline",
        transform: Transform | None = None,
        zorder: float = 3.0,
    ) -> None:
        """An unclipped ``Axes.text`` at (x, y) in ``transform``'s units (data by default)."""
        if s == "":
            return
        size = float(size)  # as FontProperties keeps it
        posx, posy = (transform or self.data_affine).transform((x, y))
        layout = text_lines(s, size, ha, va, self.measure)
        self.add(zorder, self.text_mark(layout.lines, posx, posy, size, colour))

    def text_mark(
        self, lines: list[Placed], posx: float, posy: float, size: float, colour: Any
    ) -> Callable[[Canvas], None]:
        name = self.fonts.regular.name
        c4 = colour_of(colour)

        def draw(c: Canvas) -> None:
            for line, x, y in lines:
                paint_text(c, x + posx, y + posy, line, name, size, c4, 0.0, False, NO_CLIP)

        return draw

    def row_labels_transform(self, pad_points: float) -> Transform:
        """``Axes.get_yaxis_text1_transform(pad_points)``: axes x, data y, ``pad_points`` left."""
        return self.yaxis_transform + ScaledTranslation(
            -1 * pad_points / 72, 0, self.dpi_scale_trans
        )

    def paint(self, c: Canvas) -> None:
        for _, mark in sorted(self.marks, key=lambda m: m[0]):
            mark(c)


def colour_of(c: Any) -> Colour:
    return colour(rgba(c))


_LOCATOR = AutoLocator()


def _limits(v0: float, v1: float) -> tuple[float, float]:
    """View limits as ``Axis._set_lim`` stores them."""
    reverse = bool(v0 > v1)
    lo, hi = _LOCATOR.nonsingular(v0, v1)  # an Axes' default locator's
    a, b = sorted([lo, hi], reverse=reverse)
    return a, b


def _patch(
    path: MplPath,
    affine: Transform,
    face: Any,
    edge: Any,
    linewidth: float | None,
    clip: Clip,
) -> Callable[[Canvas], None]:
    """A Patch's draw: no fill when the face is transparent, no edge when it is, or its
    width is 0; butt caps and mitred joins."""
    f = rgba(face)
    e = rgba(edge)
    lw = default("patch.linewidth") if linewidth is None else linewidth
    if e[3] == 0:
        lw = 0
    fill = colour(f) if f[3] else None
    pen = Pen(colour(e), lw, CAPS["butt"], JOINS["miter"]) if lw > 0 and e[3] > 0 else None
    return lambda c: paint_path(c, path, affine, fill, pen, clip)
