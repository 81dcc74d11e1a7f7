"""Turn a ``Trend`` into the monthly chart: the period's months against a year earlier.

Paired vertical bars per month, a year earlier pale on the left and this period dark on the
right (they differ in lightness, so the pair survives a grey printer), this period's figure
printed above its bar when it fits, the months named as the page's language names them ("Jan",
"1月"). A month with no figure a year earlier has no pale bar, never a zero one, and its label
is marked † with a note. Measured without matplotlib; ``draw_trend`` puts the marks where
matplotlib's ``bar``, ``Axes.text``, ``axhline`` and legend would (see ``plotframe.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from babel.dates import format_skeleton
from reportlab.pdfgen.canvas import Canvas

from ..fonts import FontSet
from ..model import Language, Trend
from . import numbers
from .legendbox import legend_above
from .paint import text_width
from .palette import INK, LAST_YEAR, MUTED, THIS_PERIOD
from .plotframe import Frame
from .styles import SMALL_FLOOR

PLOT_HEIGHT = 70.0  # the bars' height at scale 1, in points
DAGGER = "†"


@dataclass(frozen=True, slots=True)
class TrendChart:
    """What the chart draws: one (label, value, previous, value text) per month."""

    months: tuple[tuple[str, float, float | None, str], ...]
    legend: tuple[str, str]  # this period, a year earlier
    width: float
    size: float  # labels, in points

    @property
    def value_size(self) -> float:
        return max(self.size * 0.9, SMALL_FLOOR)

    @property
    def height(self) -> float:
        # legend row, the value labels above the tallest bar, the bars, the month labels
        return (
            self.size * 1.9
            + self.value_size * 1.4
            + PLOT_HEIGHT * self.size / 7.5
            + self.size * 1.6
        )


def month_label(year: int, month: int, language: Language) -> str:
    """``Jan`` / ``1月``: the month's abbreviated name in the page's language."""
    return str(format_skeleton("MMM", dt.date(year, month, 1), locale=numbers.locale_of(language)))


def trend_chart(
    trend: Trend,
    language: Language,
    currency: str,
    legend: tuple[str, str],
    width: float,
    size: float,
    fonts: FontSet,
) -> TrendChart:
    months = []
    for p in trend.points:
        label = month_label(p.month.year, p.month.month, language)
        if p.previous is None:
            label += DAGGER
        if trend.money:
            shown = numbers.money(p.value, currency, language)
        else:
            shown = numbers.number(p.value, language)
        months.append(
            (label, float(p.value), None if p.previous is None else float(p.previous), shown)
        )
    chart = TrendChart(tuple(months), legend, width, size)
    slot = width / len(months)
    if any(text_width(m[3], fonts, chart.value_size) > slot * 0.95 for m in months):
        # figures too wide for their month: print none rather than overlapping ones
        months = [(m[0], m[1], m[2], "") for m in months]
        chart = TrendChart(tuple(months), legend, width, size)
    return chart


BAR_WIDTH = 0.36  # of a month's slot, for each of its two bars


def draw_trend(chart: TrendChart, canvas: Canvas, fonts: FontSet) -> None:
    """Draw ``chart`` with its lower left corner at the canvas origin."""
    canvas.saveState()
    canvas.translate(0, 0)
    trend_frame(chart, fonts).paint(canvas)
    canvas.restoreState()


class TrendGeometry(NamedTuple):
    """Where the trend's plot goes, worked out once for both ways of drawing it (see
    ``barchart.BarGeometry``)."""

    position: tuple[float, float, float, float]  # the plot area, in fractions of the chart
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    per_pt: float  # data units per point along y


def trend_geometry(chart: TrendChart) -> TrendGeometry:
    """Month i centred at x = i; room above the tallest bar for its figure, below for names."""
    legend_h, label_h = chart.size * 1.9, chart.size * 1.6
    plot_h = chart.height - legend_h - label_h
    n = len(chart.months)
    hi = max([1.0, *(m[1] for m in chart.months), *(m[2] or 0 for m in chart.months)])
    top = hi * plot_h / (plot_h - chart.value_size * 1.4)
    position = (0, label_h / chart.height, 1, plot_h / chart.height)
    return TrendGeometry(position, (-0.5, n - 0.5), (0, top), top / plot_h)


def trend_frame(chart: TrendChart, fonts: FontSet) -> Frame:
    """The chart's marks: a year earlier and this period side by side per month."""
    size, vsize = chart.size, chart.value_size
    g = trend_geometry(chart)
    frame = Frame(chart.width, chart.height, g.position, g.xlim, g.ylim, fonts)
    bar_w = BAR_WIDTH
    xs = list(range(len(chart.months)))
    # bar(): centred on x, from 0; a year earlier first, as drawn
    for x, m in zip(xs, chart.months, strict=True):
        if m[2] is not None:
            frame.rect((x - bar_w / 2) - bar_w / 2, 0, bar_w, m[2], LAST_YEAR.fill, linewidth=0)
    for x, m in zip(xs, chart.months, strict=True):
        frame.rect((x + bar_w / 2) - bar_w / 2, 0, bar_w, m[1], THIS_PERIOD.fill, linewidth=0)
    per_pt = g.per_pt
    for x, m in zip(xs, chart.months, strict=True):
        if m[3]:
            frame.text(x + bar_w / 2, m[1] + 2 * per_pt, m[3], vsize, INK, "center", "bottom")
        frame.text(x, -4 * per_pt, m[0], size, INK, "center", "top")
    frame.line([0, 1], [0, 0], MUTED, 0.6, transform=frame.yaxis_transform)  # axhline
    legend_above(frame, [(chart.legend[0], THIS_PERIOD), (chart.legend[1], LAST_YEAR)], size)
    return frame


def months_alt(chart: TrendChart) -> str:
    """The trend chart said without a title from its block: its months and figures."""
    return "; ".join(f"{m[0]} {m[3]}" for m in chart.months)
