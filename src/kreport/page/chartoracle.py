"""The charts drawn as matplotlib Figures: the reference the direct drawing is checked against.

This is how kreport drew its charts before ``plotframe.py``: ``bars_figure`` and
``trend_figure`` build a Figure with an Axes (``barh``, ``Axes.text``, ``Line2D``, ``Polygon``,
``axvline``, ``legend``) and ``mplcanvas.draw_figure`` turns it into canvas operations. A build
never imports this module (it imports ``matplotlib.figure``); the tests draw every example and a
generated set both ways and compare the PDFs byte for byte (tests/test_chart_oracle.py), so a
matplotlib upgrade that moves anything fails loudly. ``figures_drawn()`` makes the page's charts
draw through here.

The Figures are made under matplotlib's default settings plus ``RC`` (never a user's
matplotlibrc), as the direct drawing reads ``rcParamsDefault``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon
from reportlab.pdfgen.canvas import Canvas

from ..fonts import FontSet
from .barchart import (
    LABEL_CLEARANCE,
    MAX_CHANGE_PLOT,
    MIN_BAR,
    MIN_CHANGE_SPAN,
    BarChart,
    _drawn,
    row_height,
)
from .charts import ChartFlowable
from .legendbox import SETTINGS
from .marks import HATCH_STEP, HATCH_WIDTH
from .mplcanvas import draw_figure, new_figure, text_width
from .palette import BREAK, INK, LAST_YEAR, MUTED, THIS_PERIOD, Tone
from .trend import TrendChart

RC: dict[str, Any] = {
    "text.parse_math": False,  # "$5 to $10" is text, never mathtext
    "axes.unicode_minus": False,
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
}


@contextmanager
def _settings() -> Iterator[None]:
    """matplotlib's defaults and ``RC``, whatever the user's matplotlibrc says."""
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        with matplotlib.rc_context(RC):  # type: ignore[arg-type]
            yield


def bars_figure(chart: BarChart, fonts: FontSet) -> Figure:
    """The matplotlib figure of ``chart``: labels left, values at bar ends, top to bottom."""
    with _settings():
        return _bars(chart, fonts)


def _bars(chart: BarChart, fonts: FontSet) -> Figure:
    rows, width, size = chart.rows, chart.width, chart.size
    heights = [row_height(r, size) + chart.row_pad for r in rows]
    top_pad, height = chart.top_pad, chart.height
    fig = new_figure(width, height)
    label_w = max(text_width(line, fonts, size) for r in rows for line in r.label) + 6
    text_w = [text_width(r.text, fonts, size) + 5 for r in rows]
    plot_w = max(width - label_w, 40.0)
    if chart.diverging:  # a few changes drawn across a whole page read as huge ones
        plot_w = min(plot_w, MAX_CHANGE_PLOT)
    ax = fig.add_axes(
        (label_w / width, 2 / height, plot_w / width, (height - top_pad - 2) / height)
    )
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
    ax.set_xlim(lo - left_room / plot_w * span, hi + right_room / plot_w * span)
    per_pt = span / plot_w  # data units per point

    centres, edge = [], 0.0
    for h in heights:
        centres.append(height - top_pad - 2 - edge - h / 2)
        edge += h
    ax.set_ylim(0, height - top_pad - 2)
    bar_h = min(size * 1.2 + chart.row_pad * 0.4, size * 1.9)
    paired = any(r.previous is not None for r in rows)
    # bars are gathered by tone and drawn with one barh() per tone: each call costs far more
    # than the bars it draws (units, autoscale, containers), and a briefing can have dozens
    bars: dict[Tone, list[tuple[float, float, float]]] = {}  # (centre y, length, height)
    breaks: list[tuple[float, float, float]] = []  # (bar end, centre y, height) of cut bars
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
        ax.text(
            end + pad,
            y,
            r.text,
            ha="left" if end >= 0 else "right",
            va="center",
            fontsize=size,
            color=INK,
            parse_math=False,
        )
    for tone, items in bars.items():
        ys, lengths, hs = zip(*items, strict=True)
        container = ax.barh(
            ys,
            lengths,
            height=hs,
            color=tone.fill,
            edgecolor=tone.edge or "none",
            linewidth=0.6 if tone.edge else 0,
        )
        if tone.hatch:
            for patch, y, length, h in zip(container.patches, ys, lengths, hs, strict=True):
                _hatch(ax, patch, y, length, h, per_pt)
    for end, y, h in breaks:
        _break_mark(ax, end, y, h, per_pt)
    # row labels placed exactly as y tick labels would be (5 pt left of the axes, right-aligned,
    # centred on the row), without the tick objects matplotlib would build for each
    label_at, va, ha = ax.get_yaxis_text1_transform(5)
    for r, y in zip(rows, centres, strict=True):
        ax.text(
            0,
            y,
            "\n".join(r.label),
            transform=label_at,
            va=va,
            ha=ha,
            fontsize=size,
            color=INK,
            parse_math=False,
        )
    ax.set_yticks([])
    ax.set_xticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.patch.set_visible(False)
    ax.axvline(
        0, color=INK if chart.diverging else MUTED, linewidth=0.8 if chart.diverging else 0.6
    )
    if chart.legend:
        legend_above(ax, [(label, tone) for label, tone in chart.legend], size)
    return fig


def _hatch(ax: Any, patch: Any, y: float, length: float, h: float, per_pt: float) -> None:
    """White diagonal stripes over one bar, clipped to it: the second cue of a "worse" bar."""
    x0, x1 = sorted((0.0, length))
    xs: list[float] = []
    ys: list[float] = []
    x = x0 - h * per_pt
    while x < x1:
        xs += [x, x + h * per_pt, math.nan]
        ys += [y - h / 2, y + h / 2, math.nan]
        x += HATCH_STEP * per_pt
    ax.add_line(
        Line2D(xs, ys, color="white", linewidth=HATCH_WIDTH, clip_path=patch, solid_capstyle="butt")
    )


def _break_mark(ax: Any, end: float, y: float, h: float, per_pt: float) -> None:
    """A slanted white gap across a cut bar, edged in ink, three quarters along it."""
    at = end * 0.78
    slant, gap, over = 2.5 * per_pt, 2.2 * per_pt, 2.0
    lo, hi = y - h / 2 - over, y + h / 2 + over
    corners = [(at, lo), (at + gap, lo), (at + gap + slant, hi), (at + slant, hi)]
    ax.add_patch(Polygon(corners, closed=True, facecolor=BREAK, edgecolor="none", zorder=3))
    for dx in (0.0, gap):
        ax.add_line(
            Line2D([at + dx, at + dx + slant], [lo, hi], color=INK, linewidth=0.5, zorder=4)
        )


def legend_above(ax: Any, entries: Sequence[tuple[str, Tone]], size: float) -> None:
    """The chart's key on one line above its plot area: a swatch in each tone and its label."""
    ax.legend(
        handles=[
            Patch(facecolor=tone.fill, edgecolor=tone.edge or tone.fill, label=label)
            for label, tone in entries
        ],
        ncol=len(entries),
        fontsize=size,
        **SETTINGS,
    )


def trend_figure(chart: TrendChart, fonts: FontSet) -> Figure:
    with _settings():
        return _figure(chart, fonts)


def _figure(chart: TrendChart, fonts: FontSet) -> Figure:
    size, vsize = chart.size, chart.value_size
    fig = new_figure(chart.width, chart.height)
    legend_h, label_h = size * 1.9, size * 1.6
    plot_h = chart.height - legend_h - label_h
    ax = fig.add_axes((0, label_h / chart.height, 1, plot_h / chart.height))
    n = len(chart.months)
    hi = max([1.0, *(m[1] for m in chart.months), *(m[2] or 0 for m in chart.months)])
    top = hi * plot_h / (plot_h - vsize * 1.4)  # room above the tallest bar for its figure
    ax.set_xlim(-0.5, n - 0.5)
    ax.set_ylim(0, top)
    bar_w = 0.36
    xs = list(range(n))
    prev = [(x, m[2]) for x, m in zip(xs, chart.months, strict=True) if m[2] is not None]
    if prev:
        ax.bar(
            [x - bar_w / 2 for x, _ in prev],
            [v for _, v in prev],
            width=bar_w,
            color=LAST_YEAR.fill,
            linewidth=0,
        )
    ax.bar(
        [x + bar_w / 2 for x in xs],
        [m[1] for m in chart.months],
        width=bar_w,
        color=THIS_PERIOD.fill,
        linewidth=0,
    )
    per_pt = top / plot_h
    for x, m in zip(xs, chart.months, strict=True):
        if m[3]:
            ax.text(
                x + bar_w / 2,
                m[1] + 2 * per_pt,
                m[3],
                ha="center",
                va="bottom",
                fontsize=vsize,
                color=INK,
                parse_math=False,
            )
        ax.text(
            x, -4 * per_pt, m[0], ha="center", va="top", fontsize=size, color=INK, parse_math=False
        )
    ax.axhline(0, color=MUTED, linewidth=0.6)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.patch.set_visible(False)
    legend_above(ax, [(chart.legend[0], THIS_PERIOD), (chart.legend[1], LAST_YEAR)], size)
    return fig


def draw_chart(chart: Any, canvas: Canvas, fonts: FontSet) -> None:
    """Draw a bar chart or the trend chart through its matplotlib Figure."""
    make = trend_figure if isinstance(chart, TrendChart) else bars_figure
    draw_figure(make(chart, fonts), canvas, 0, 0, fonts)


@contextmanager
def figures_drawn() -> Iterator[list[Any]]:
    """Pages built inside draw their charts through matplotlib Figures; yields the list of
    charts drawn so far."""
    draw = ChartFlowable.draw
    drawn: list[Any] = []

    def through_figure(self: ChartFlowable[Any]) -> None:
        drawn.append(self.chart)
        draw_chart(self.chart, self.canv, self.fonts)

    ChartFlowable.draw = through_figure  # type: ignore[method-assign]
    try:
        yield drawn
    finally:
        ChartFlowable.draw = draw  # type: ignore[method-assign]
