"""A horizontal bar chart: its rows as measured for the page, and its marks as drawn.

``BarChart`` is measured without matplotlib (row heights from the label lines). ``draw_bars``
puts its marks on the canvas where matplotlib's ``barh``, ``Axes.text``, ``Line2D``, ``Polygon``,
``axvline`` and legend would (see ``plotframe.py``): labels left, placed as y tick labels are;
values at the bar ends; hatched and cut bars; the zero line; the key above. Laid out by hand (no
tight_layout): label widths come from the page's own font metrics.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from reportlab.pdfgen.canvas import Canvas

from ..fonts import FontSet
from .figures import CUT_LENGTH
from .legendbox import legend_above
from .marks import HATCH_STEP, HATCH_WIDTH
from .paint import text_width
from .palette import BREAK, INK, LAST_YEAR, MUTED, Tone
from .plotframe import Frame

LABEL_SIZE = 7.5  # at scale 1; the layout passes the page's size
MIN_BAR = 2.0  # points
LINE = 1.25  # line height as a multiple of font size
MAX_CHANGE_PLOT = 280.0  # points: the widest a change chart's bars and figures may spread
LABEL_CLEARANCE = 1.0  # ems between a row label and the figure at a fall's bar end
MIN_CHANGE_SPAN = 1.0  # the change chart's axis spans at least 1% (or 1 point)
LABEL_PAD = 5.0  # points between the row labels and the plot, as y tick labels have


@dataclass(frozen=True, slots=True)
class Row:
    """One bar (or bar pair) as drawn: label lines, this period, last year, end-of-bar text."""

    label: list[str]
    value: float
    previous: float | None
    text: str
    tone: Tone
    previous_tone: Tone = LAST_YEAR
    bar: bool = True  # False: the row is its text only, at the zero line ("2 → 52", "new")
    aggregate: bool = False  # a folded or catch-all row: many types, not one


def row_height(row: Row, size: float = LABEL_SIZE) -> float:
    return max(len(row.label) * size * LINE, size * 1.75) + size * 0.8


@dataclass(frozen=True, slots=True)
class BarChart:
    """A horizontal bar chart, measured without matplotlib."""

    rows: tuple[Row, ...]
    width: float
    diverging: bool
    legend: tuple[tuple[str, Tone], ...] | None = None
    row_pad: float = 0.0  # extra height per row, to use space the page would leave empty
    size: float = LABEL_SIZE  # labels and values, in points
    cut: frozenset[int] = field(default=frozenset())  # rows too long to draw to scale

    @property
    def top_pad(self) -> float:
        return self.size * 1.9 if self.legend else 2.0

    @property
    def height(self) -> float:
        return sum(row_height(r, self.size) + self.row_pad for r in self.rows) + self.top_pad + 2


def _drawn(chart: BarChart) -> tuple[list[float], list[float | None]]:
    """Each row's bar lengths as drawn, this period and last: cut bars (and a last-year bar of
    a cut row longer than them) shortened to ``CUT_LENGTH`` times the longest uncut bar."""
    rows = chart.rows
    uncut = [abs(r.value) for i, r in enumerate(rows) if r.bar and i not in chart.cut]
    uncut += [r.previous for i, r in enumerate(rows) if r.previous and i not in chart.cut]
    cap = CUT_LENGTH * max(uncut, default=1.0)
    values = [
        0.0 if not r.bar else math.copysign(cap, r.value) if i in chart.cut else r.value
        for i, r in enumerate(rows)
    ]
    previous = [
        None if r.previous is None else min(r.previous, cap) if i in chart.cut else r.previous
        for i, r in enumerate(rows)
    ]
    return values, previous


def draw_bars(chart: BarChart, canvas: Canvas, fonts: FontSet) -> None:
    """Draw ``chart`` with its lower left corner at the canvas origin."""
    canvas.saveState()
    canvas.translate(0, 0)
    bars_frame(chart, fonts).paint(canvas)
    canvas.restoreState()


@dataclass(frozen=True, slots=True)
class BarGeometry:
    """Where a bar chart's marks go, in its data coordinates: worked out once, then drawn
    directly (``bars_frame``) or through a matplotlib Figure (tests/chartoracle.py), which must
    agree byte for byte. Marks are listed in the order they are drawn."""

    position: tuple[float, float, float, float]  # the plot area, in fractions of the chart
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    per_pt: float  # data units per point along x
    ends: tuple[tuple[float, float, str, str], ...]  # (x, centre y, text, "left"/"right")
    bars: tuple[tuple[Tone, tuple[tuple[float, float, float], ...]], ...]  # (y, length, height)
    breaks: tuple[tuple[float, float, float], ...]  # (bar end, centre y, height) of cut bars
    labels: tuple[tuple[float, str], ...]  # (centre y, the label's lines joined by "\n")
    zero: tuple[str, float]  # the zero line's colour and width


def bar_geometry(chart: BarChart, fonts: FontSet) -> BarGeometry:
    """Labels left, values at bar ends, rows top to bottom."""
    rows, width, size = chart.rows, chart.width, chart.size
    heights = [row_height(r, size) + chart.row_pad for r in rows]
    top_pad, height = chart.top_pad, chart.height
    label_w = max(text_width(line, fonts, size) for r in rows for line in r.label) + 6
    text_w = [text_width(r.text, fonts, size) + 5 for r in rows]
    plot_w = max(width - label_w, 40.0)
    if chart.diverging:  # a few changes drawn across a whole page read as huge ones
        plot_w = min(plot_w, MAX_CHANGE_PLOT)
    position = (label_w / width, 2 / height, plot_w / width, (height - top_pad - 2) / height)
    drawn, previous = _drawn(chart)
    lo = min([0.0, *drawn])
    hi = max([0.0, *drawn, *(p or 0.0 for p in previous)])
    if chart.diverging and hi - lo < MIN_CHANGE_SPAN:
        # changes of a few hundredths must not fill the chart as if they were large ones
        if hi > 0 or lo == 0:
            hi = lo + MIN_CHANGE_SPAN
        else:
            lo = hi - MIN_CHANGE_SPAN
    left_room = max((w for d, w in zip(drawn, text_w, strict=True) if d < 0), default=0.0)
    if left_room:  # the figure of a fall stays clear of the row labels
        left_room += size * LABEL_CLEARANCE
    right_room = max((w for d, w in zip(drawn, text_w, strict=True) if d >= 0), default=0.0)
    span = (hi - lo) or 1.0
    frac = min((left_room + right_room) / plot_w, 0.85)
    span = span / (1 - frac)
    xlim = (lo - left_room / plot_w * span, hi + right_room / plot_w * span)
    per_pt = span / plot_w  # data units per point

    centres, edge = [], 0.0
    for h in heights:
        centres.append(height - top_pad - 2 - edge - h / 2)
        edge += h
    bar_h = min(size * 1.2 + chart.row_pad * 0.4, size * 1.9)
    paired = any(r.previous is not None for r in rows)
    # bars gathered by tone: the Figure drew them with one barh() per tone, each call costing
    # far more than the bars it draws, and a briefing can have dozens
    bars: dict[Tone, list[tuple[float, float, float]]] = {}
    breaks: list[tuple[float, float, float]] = []
    ends: list[tuple[float, float, str, str]] = []
    for i, (r, d, prev, y) in enumerate(zip(rows, drawn, previous, centres, strict=True)):
        if chart.diverging and r.bar and d:
            d = math.copysign(max(abs(d), MIN_BAR * per_pt), d)  # a change stays visible
        if paired:
            bars.setdefault(r.tone, []).append((y + bar_h / 4, d, bar_h / 2))
            if prev is not None:
                bars.setdefault(r.previous_tone, []).append((y - bar_h / 4, prev, bar_h / 2))
            if i in chart.cut:
                breaks.append((d, y + bar_h / 4, bar_h / 2))
                if r.previous is not None and prev != r.previous:
                    breaks.append((prev or 0.0, y - bar_h / 4, bar_h / 2))
        elif r.bar:
            bars.setdefault(r.tone, []).append((y, d, bar_h))
            if i in chart.cut:
                breaks.append((d, y, bar_h))
        end = max(d, prev or 0) if not chart.diverging else d
        pad = 3 * per_pt if end >= 0 else -3 * per_pt
        ends.append((end + pad, y, r.text, "left" if end >= 0 else "right"))
    return BarGeometry(
        position,
        xlim,
        (0, height - top_pad - 2),
        per_pt,
        tuple(ends),
        tuple((tone, tuple(items)) for tone, items in bars.items()),
        tuple(breaks),
        tuple((y, "\n".join(r.label)) for r, y in zip(rows, centres, strict=True)),
        (INK, 0.8) if chart.diverging else (MUTED, 0.6),
    )


def bars_frame(chart: BarChart, fonts: FontSet) -> Frame:
    """The chart's marks, placed as matplotlib would place them."""
    g, size = bar_geometry(chart, fonts), chart.size
    frame = Frame(chart.width, chart.height, g.position, g.xlim, g.ylim, fonts)
    for x, y, text, ha in g.ends:
        frame.text(x, y, text, size, INK, ha=ha, va="center")
    for tone, items in g.bars:
        edge_colour, linewidth = (tone.edge, 0.6) if tone.edge else ("none", 0.0)
        for y, length, h in items:  # barh: centred on y, from 0
            frame.rect(0, y - h / 2, length, h, tone.fill, edge_colour, linewidth)
        if tone.hatch:
            for y, length, h in items:
                xs, ys = hatch_lines(y, length, h, g.per_pt)
                frame.line(xs, ys, "white", HATCH_WIDTH, cap="butt")
    for end, y, h in g.breaks:
        corners, edges = break_mark(end, y, h, g.per_pt)
        frame.polygon(corners, BREAK, zorder=3)
        for xs, ys in edges:
            frame.line(xs, ys, INK, 0.5, zorder=4)
    # row labels placed exactly as y tick labels would be: LABEL_PAD left of the axes,
    # right-aligned, centred on the row
    label_at = frame.row_labels_transform(LABEL_PAD)
    for y, text in g.labels:
        frame.text(0, y, text, size, INK, ha="right", va="center_baseline", transform=label_at)
    frame.line([0, 0], [0, 1], *g.zero, transform=frame.xaxis_transform)  # axvline
    if chart.legend:
        legend_above(frame, chart.legend, size)
    return frame


def hatch_lines(
    y: float, length: float, h: float, per_pt: float
) -> tuple[list[float], list[float]]:
    """White diagonal stripes over one bar (x and y, broken by NaN): the second cue of a
    "worse" bar."""
    x0, x1 = sorted((0.0, length))
    xs: list[float] = []
    ys: list[float] = []
    x = x0 - h * per_pt
    while x < x1:
        xs += [x, x + h * per_pt, math.nan]
        ys += [y - h / 2, y + h / 2, math.nan]
        x += HATCH_STEP * per_pt
    return xs, ys


Corners = list[tuple[float, float]]


def break_mark(
    end: float, y: float, h: float, per_pt: float
) -> tuple[Corners, list[tuple[list[float], list[float]]]]:
    """A slanted white gap across a cut bar three quarters along it: its corners, and its two
    ink edges (x and y each)."""
    at = end * 0.78
    slant, gap, over = 2.5 * per_pt, 2.2 * per_pt, 2.0
    lo, hi = y - h / 2 - over, y + h / 2 + over
    corners = [(at, lo), (at + gap, lo), (at + gap + slant, hi), (at + slant, hi)]
    return corners, [([at + dx, at + dx + slant], [lo, hi]) for dx in (0.0, gap)]
