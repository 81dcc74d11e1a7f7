"""Turn a ``Trend`` into the monthly chart: the period's months against a year earlier.

Paired vertical bars per month, a year earlier pale on the left and this period dark on the
right (they differ in lightness, so the pair survives a grey printer), this period's figure
printed above its bar when it fits, the months named as the page's language names them ("Jan",
"1月"). A month with no figure a year earlier has no pale bar, never a zero one, and its label
is marked † with a note. Measured without matplotlib; the figure is made only to draw.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import matplotlib
from babel.dates import format_skeleton
from matplotlib.figure import Figure

from ..fonts import FontSet
from ..model import Language, Trend
from . import numbers
from .charts import RC, legend_above
from .mplcanvas import new_figure, text_width
from .palette import INK, LAST_YEAR, MUTED, THIS_PERIOD
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


def trend_figure(chart: TrendChart, fonts: FontSet) -> Figure:
    with matplotlib.rc_context(RC):  # type: ignore[arg-type]
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


def months_alt(chart: TrendChart) -> str:
    """The trend chart said without a title from its block: its months and figures."""
    return "; ".join(f"{m[0]} {m[3]}" for m in chart.months)
