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

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon
from reportlab.pdfgen.canvas import Canvas

from kreport.fonts import FontSet
from kreport.page.barchart import LABEL_PAD, BarChart, bar_geometry, break_mark, hatch_lines
from kreport.page.charts import ChartFlowable
from kreport.page.legendbox import SETTINGS
from kreport.page.marks import HATCH_WIDTH
from kreport.page.palette import BREAK, INK, LAST_YEAR, MUTED, THIS_PERIOD, Tone
from kreport.page.trend import BAR_WIDTH, TrendChart, trend_geometry
from mplcanvas import draw_figure, new_figure

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
    g, size = bar_geometry(chart, fonts), chart.size
    fig = new_figure(chart.width, chart.height)
    ax = fig.add_axes(g.position)
    ax.set_xlim(*g.xlim)
    ax.set_ylim(*g.ylim)
    for x, y, text, ha in g.ends:
        ax.text(x, y, text, ha=ha, va="center", fontsize=size, color=INK, parse_math=False)
    for tone, items in g.bars:
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
                xs, hys = hatch_lines(y, length, h, g.per_pt)
                ax.add_line(
                    Line2D(
                        xs,
                        hys,
                        color="white",
                        linewidth=HATCH_WIDTH,
                        clip_path=patch,
                        solid_capstyle="butt",
                    )
                )
    for end, y, h in g.breaks:
        corners, edges = break_mark(end, y, h, g.per_pt)
        ax.add_patch(Polygon(corners, closed=True, facecolor=BREAK, edgecolor="none", zorder=3))
        for ex, ey in edges:
            ax.add_line(Line2D(ex, ey, color=INK, linewidth=0.5, zorder=4))
    # row labels placed exactly as y tick labels would be (5 pt left of the axes, right-aligned,
    # centred on the row), without the tick objects matplotlib would build for each
    label_at, va, ha = ax.get_yaxis_text1_transform(LABEL_PAD)
    for y, text in g.labels:
        ax.text(
            0, y, text, transform=label_at, va=va, ha=ha, fontsize=size, color=INK, parse_math=False
        )
    ax.set_yticks([])
    ax.set_xticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.patch.set_visible(False)
    ax.axvline(0, color=g.zero[0], linewidth=g.zero[1])
    if chart.legend:
        legend_above(ax, [(label, tone) for label, tone in chart.legend], size)
    return fig


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
    g = trend_geometry(chart)
    fig = new_figure(chart.width, chart.height)
    ax = fig.add_axes(g.position)
    ax.set_xlim(*g.xlim)
    ax.set_ylim(*g.ylim)
    bar_w = BAR_WIDTH
    xs = list(range(len(chart.months)))
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
    per_pt = g.per_pt
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
