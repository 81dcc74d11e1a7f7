"""A chart's key -> swatch and label marks on a ``Frame``, placed as matplotlib's legend would.

``legend_above`` is ``Axes.legend(loc="lower left", bbox_to_anchor=(0, 1), ncol=len(entries),
frameon=False, ...)`` with kreport's settings (``SETTINGS``), without the Legend: the same
packing as ``matplotlib.offsetbox`` (each entry a swatch ``DrawingArea`` and a ``TextArea`` in
an ``HPacker``, one column per entry in a ``VPacker``, the columns in an ``HPacker``, all in a
padded ``VPacker`` anchored at the Axes' top left corner), with the same arithmetic in the same
order, so swatches and labels land on the same floats.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Affine2D, Bbox, BboxTransformTo, TransformedBbox

from .paint import NO_CLIP
from .palette import Tone
from .plotframe import Frame, _patch, default, on, rect_matrix, text_lines

ZORDER = 5.0  # a Legend's
SETTINGS: dict[str, Any] = {
    "loc": "lower left",
    "bbox_to_anchor": (0, 1.0),
    "frameon": False,
    "handlelength": 1.0,
    "handleheight": 0.8,
    "borderaxespad": 0.2,
    "borderpad": 0.1,
    "columnspacing": 1.2,
}
"""kreport's legend settings besides the font size and columns (one per entry)."""


def legend_above(frame: Frame, entries: Sequence[tuple[str, Tone]], size: float) -> None:
    """The chart's key on one line above its plot area: a swatch in each tone and its label."""
    fontsize = float(size)
    s = SETTINGS
    handletextpad, labelspacing = default("legend.handletextpad"), default("legend.labelspacing")
    descent = 0.35 * fontsize * (s["handleheight"] - 0.7)
    height = fontsize * s["handleheight"] - descent
    columns: list[_Box] = []
    for label, tone in entries:
        swatch = _Swatch(frame, tone, s["handlelength"] * fontsize, height, 0.0, descent)
        item = _Pack([swatch, _Label(frame, label, fontsize)], handletextpad * fontsize, "h")
        columns.append(_Pack([item], labelspacing * fontsize, "v", align="baseline"))
    row = _Pack(columns, s["columnspacing"] * fontsize, "h")
    box = _Pack([row], labelspacing * fontsize, "v", pad=s["borderpad"] * fontsize, align="center")
    bbox, _ = box.layout()
    # the box's lower left corner on the Axes' top left one, borderaxespad inside it
    anchor = TransformedBbox(Bbox.from_bounds(0, 1.0, 0, 0), BboxTransformTo(frame.bbox))
    pad = s["borderaxespad"] * fontsize
    placed = Bbox.from_bounds(0, 0, bbox.width, bbox.height).anchored(
        "SW", container=anchor.padded(-pad, -pad)
    )
    x, y = placed.p0
    box.draw(x + -bbox.x0, y + -bbox.y0)


class _Box:
    def bbox(self) -> Bbox:
        raise NotImplementedError

    def draw(self, x: float, y: float) -> None:
        raise NotImplementedError


@dataclass
class _Swatch(_Box):
    """A ``DrawingArea`` holding the legend handle of a ``Patch``: a Rectangle filling it."""

    frame: Frame
    tone: Tone
    width: float
    height: float
    xdescent: float
    ydescent: float

    def bbox(self) -> Bbox:
        return Bbox.from_bounds(
            -self.xdescent * 1.0, -self.ydescent * 1.0, self.width * 1.0, self.height * 1.0
        )

    def draw(self, x: float, y: float) -> None:
        # HandlerPatch: Rectangle((-xdescent, -ydescent), width, height) (no padding)
        x0, y0 = -(self.xdescent - 0.0), -(self.ydescent - 0.0)
        w, h = self.width - 0.0, self.height - 0.0
        area = Affine2D().scale(1.0) + Affine2D().translate(x, y)
        affine = on(area.get_matrix(), rect_matrix(x0, y0, x0 + w, y0 + h))
        tone, path = self.tone, MplPath.unit_rectangle()
        self.frame.add(
            ZORDER, _patch(path, affine, tone.fill, tone.edge or tone.fill, None, NO_CLIP)
        )


@dataclass
class _Label(_Box):
    """A ``TextArea``: left-aligned text on its baseline, multi-line text centred on it."""

    frame: Frame
    text: str
    size: float

    def __post_init__(self) -> None:
        measure = self.frame.measure
        _, h_, d_ = measure("lp", self.size)
        self.layout = text_lines(self.text, self.size, "left", "baseline", measure)
        w, h = self.layout.width, self.layout.height
        last_descent = self.layout.last_descent
        self.shift = 0.0
        if len(self.layout.lines) > 1:
            yd_new = 0.5 * h - 0.5 * (h_ - d_)
            self.shift = last_descent - yd_new
            last_descent = yd_new
        else:
            h_d = max(h_ - d_, h - last_descent)
            h = h_d + last_descent
        self._bbox = Bbox.from_bounds(0, -last_descent, w, h)

    def bbox(self) -> Bbox:
        return self._bbox

    def draw(self, x: float, y: float) -> None:
        baseline = Affine2D()
        if len(self.layout.lines) > 1:
            baseline.translate(0, self.shift)
        posx, posy = (Affine2D().translate(x, y) + baseline).transform((0.0, 0.0))
        if self.text:
            colour = default("text.color")
            mark = self.frame.text_mark(self.layout.lines, posx, posy, self.size, colour)
            self.frame.add(ZORDER, mark)


@dataclass
class _Pack(_Box):
    """An ``HPacker`` ("h") or ``VPacker`` ("v") in 'fixed' mode."""

    children: list[_Box]
    sep: float
    direction: str
    pad: float = 0.0
    align: str = "baseline"
    _layout: tuple[Bbox, list[tuple[float, float]]] | None = None

    def layout(self) -> tuple[Bbox, list[tuple[float, float]]]:
        """The box and its children's offsets (matplotlib recomputes them; they are the same)."""
        if self._layout is None:
            self._layout = self._lay_out()
        return self._layout

    def _lay_out(self) -> tuple[Bbox, list[tuple[float, float]]]:
        pad, sep = self.pad * 1.0, self.sep * 1.0
        boxes = [c.bbox() for c in self.children]
        if self.direction == "h":
            (y0, y1), yoffsets = _aligned([b.intervaly for b in boxes], self.align)
            width, xoffsets = _packed([b.width for b in boxes], sep)
            x0 = boxes[0].x0
            xoffsets -= [b.x0 for b in boxes] - x0
            bbox = Bbox.from_bounds(x0, y0, width, y1 - y0).padded(pad)
            return bbox, [*zip(xoffsets, yoffsets, strict=True)]
        (x0, x1), xoffsets = _aligned([b.intervalx for b in boxes], self.align)
        height, yoffsets = _packed([b.height for b in boxes], sep)
        yoffsets = height - (yoffsets + [b.y1 for b in boxes])
        ydescent = yoffsets[0]
        yoffsets = yoffsets - ydescent
        bbox = Bbox.from_bounds(x0, -ydescent, x1 - x0, height).padded(pad)
        return bbox, [*zip(xoffsets, yoffsets, strict=True)]

    def bbox(self) -> Bbox:
        return self.layout()[0]

    def draw(self, x: float, y: float) -> None:
        _, offsets = self.layout()
        for child, (ox, oy) in zip(self.children, offsets, strict=True):
            child.draw(x + ox, y + oy)


def _packed(widths: list[float], sep: float) -> tuple[float, Any]:
    """offsetbox's fixed packing: boxes side by side, ``sep`` apart."""
    offsets_ = np.cumsum([0] + [w + sep for w in widths])
    return offsets_[-1] - sep, offsets_[:-1]


def _aligned(spans: list[Any], align: str) -> tuple[tuple[float, float], list[float]]:
    """offsetbox's alignment of boxes across the packing direction (baseline or centre)."""
    if align == "baseline":
        return (min(y0 for y0, _ in spans), max(y1 for _, y1 in spans)), [0] * len(spans)
    height = max(y1 - y0 for y0, y1 in spans)
    return (0, height), [(height - (y1 - y0)) * 0.5 - y0 for y0, y1 in spans]
