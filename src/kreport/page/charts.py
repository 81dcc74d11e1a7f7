"""Turn a ``Briefing``'s figures into matplotlib ``Figure`` objects sized in points.

Charts are laid out here by hand (no tight_layout): label widths come from the page's own font
metrics, so what matplotlib positions is exactly what reportlab later draws.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from reportlab.platypus import Flowable

from ..fonts import FontSet
from ..model import Breakdown, Briefing, ChangeKind, FraudType, Metric
from . import numbers
from .mplcanvas import draw_figure, new_figure, text_width
from .palette import BAD, GOOD, INK, LAST_YEAR, MUTED, NEUTRAL, THIS_PERIOD
from .words import words
from .wrap import wrap

LABEL_SIZE = 7.5
MIN_BAR = 2.0  # points
VALUE_SIZE = 7.5
LINE = 1.25  # line height as a multiple of font size
MAX_LABEL_LINES = 3

RC: dict[str, Any] = {
    "text.parse_math": False,  # "$5 to $10" is text, never mathtext
    "axes.unicode_minus": False,
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
}


@dataclass(frozen=True, slots=True)
class Row:
    """One bar (or bar pair) as drawn: label lines, this period, last year, end-of-bar text."""

    label: list[str]
    value: float
    previous: float | None
    text: str
    colour: str


def change_metrics(briefing: Briefing) -> list[Metric]:
    return [m for m in briefing.metrics if m.change is not None]


def yoy_rows(briefing: Briefing, fonts: FontSet, label_width: float) -> list[Row]:
    rows = []
    for m in change_metrics(briefing):
        assert m.change is not None
        good = m.good_news
        colour = NEUTRAL if good is None else (GOOD if good else BAD)
        amount = m.change.amount if m.change.kind is not ChangeKind.NEW else 0.0
        rows.append(
            Row(
                label=wrap(m.label, label_width, fonts.regular.name, LABEL_SIZE, MAX_LABEL_LINES),
                value=amount or 0.0,
                previous=None,
                text=numbers.change_signed(m.change, briefing.language),
                colour=colour,
            )
        )
    return rows


def fold_types(
    types: Sequence[FraudType], basis: Breakdown, max_rows: int, other_label: str
) -> list[FraudType]:
    """Sort by size, fold the tail into "Other" so at most ``max_rows`` remain, "Other" last."""
    key = basis.value
    ranked = sorted((t for t in types if not t.other), key=lambda t: -(getattr(t, key) or 0))
    others = [t for t in types if t.other]
    if len(ranked) + (1 if others else 0) > max_rows:
        keep = max_rows - 1
        others += ranked[keep:]
        ranked = ranked[:keep]
    if not others:
        return ranked
    if len(others) == 1 and others[0].other:
        return [*ranked, others[0]]
    prev_key = f"previous_{key}"
    prevs = [getattr(t, prev_key) for t in others]
    total = sum(getattr(t, key) or 0 for t in others)
    previous = None if any(p is None for p in prevs) else sum(prevs)
    label = next((t.label for t in others if t.other), other_label)
    if basis is Breakdown.CASES:
        folded = FraudType(
            label,
            cases=int(total),
            previous_cases=None if previous is None else int(previous),
            other=True,
        )
    else:
        folded = FraudType(label, losses=total, previous_losses=previous, other=True)
    return [*ranked, folded]


def type_rows(briefing: Briefing, fonts: FontSet, label_width: float, max_rows: int) -> list[Row]:
    basis = briefing.breakdown
    assert basis in (Breakdown.CASES, Breakdown.LOSSES)
    shown = fold_types(briefing.fraud_types, basis, max_rows, words(briefing.language).other)
    key = basis.value
    # shares only against a published total: the listed types may be just the largest few
    total = briefing.types_total or 0
    rows = []
    for t in shown:
        v = float(getattr(t, key) or 0)
        prev = getattr(t, f"previous_{key}")
        if basis is Breakdown.CASES:
            amount = numbers.number(v, briefing.language)
        else:
            amount = numbers.money(v, briefing.currency, briefing.language)
        share = numbers.share(v, total, briefing.language)
        rows.append(
            Row(
                label=wrap(t.label, label_width, fonts.regular.name, LABEL_SIZE, MAX_LABEL_LINES),
                value=v,
                previous=None if prev is None else float(prev),
                text=f"{amount} · {share}" if share else amount,
                colour=THIS_PERIOD,
            )
        )
    return rows


def row_height(row: Row) -> float:
    return max(len(row.label) * LABEL_SIZE * LINE, 13.0) + 6


@dataclass(frozen=True, slots=True)
class BarChart:
    """A horizontal bar chart, measured without matplotlib: the figure is made only to draw."""

    rows: tuple[Row, ...]
    width: float
    diverging: bool
    legend: tuple[str, str] | None = None
    row_pad: float = 0.0  # extra height per row, to use space the page would leave empty

    @property
    def top_pad(self) -> float:
        return 14.0 if self.legend else 2.0

    @property
    def height(self) -> float:
        return sum(row_height(r) + self.row_pad for r in self.rows) + self.top_pad + 2


def bars_figure(chart: BarChart, fonts: FontSet) -> Figure:
    """The matplotlib figure of ``chart``: labels left, values at bar ends, top to bottom."""
    with matplotlib.rc_context(RC):  # type: ignore[arg-type]
        return _bars(chart, fonts)


def _bars(chart: BarChart, fonts: FontSet) -> Figure:
    rows, width, diverging, legend = chart.rows, chart.width, chart.diverging, chart.legend
    heights = [row_height(r) + chart.row_pad for r in rows]
    top_pad, height = chart.top_pad, chart.height
    fig = new_figure(width, height)
    label_w = max(text_width(line, fonts, LABEL_SIZE) for r in rows for line in r.label) + 6
    text_w = [text_width(r.text, fonts, VALUE_SIZE) + 5 for r in rows]
    plot_w = max(width - label_w, 40.0)
    ax = fig.add_axes(
        (label_w / width, 2 / height, plot_w / width, (height - top_pad - 2) / height)
    )

    lo = min([0.0, *(r.value for r in rows)])
    hi = max([0.0, *(r.value for r in rows), *(r.previous or 0 for r in rows)])
    left_room = max((w for r, w in zip(rows, text_w, strict=True) if r.value < 0), default=0.0)
    right_room = max((w for r, w in zip(rows, text_w, strict=True) if r.value >= 0), default=0.0)
    span = (hi - lo) or 1.0
    frac = min((left_room + right_room) / plot_w, 0.85)
    span = span / (1 - frac)
    ax.set_xlim(lo - left_room / plot_w * span, hi + right_room / plot_w * span)

    centres, edge = [], 0.0
    for h in heights:
        centres.append(height - top_pad - 2 - edge - h / 2)
        edge += h
    ax.set_ylim(0, height - top_pad - 2)
    bar_h = min(9.0 + chart.row_pad * 0.4, 14.0)
    paired = any(r.previous is not None for r in rows)
    # a non-zero change stays visible as a sliver, however small beside the largest
    min_len = MIN_BAR / plot_w * span * (1 - frac)
    # bars are gathered and drawn with one barh() per series: each call costs far more than
    # the bars it draws (units, autoscale, containers), and a briefing can have dozens of rows
    bars: list[tuple[float, float, float, str]] = []  # (centre y, length, height, colour)
    for r, y in zip(rows, centres, strict=True):
        if diverging and r.value:
            r = replace(r, value=math.copysign(max(abs(r.value), min_len), r.value))
        if paired:
            bars.append((y + bar_h / 4, r.value, bar_h / 2, r.colour))
            if r.previous is not None:
                bars.append((y - bar_h / 4, r.previous, bar_h / 2, LAST_YEAR))
        else:
            bars.append((y, r.value, bar_h, r.colour))
        end = max(r.value, r.previous or 0) if not diverging else r.value
        pad = 3 / plot_w * span * (1 - frac) if r.value >= 0 else -3 / plot_w * span * (1 - frac)
        ax.text(
            end + pad,
            y,
            r.text,
            ha="left" if r.value >= 0 else "right",
            va="center",
            fontsize=VALUE_SIZE,
            color=INK,
            parse_math=False,
        )
    ys, lengths, heights_, colours = zip(*bars, strict=True)
    ax.barh(ys, lengths, height=heights_, color=colours, linewidth=0)
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
            fontsize=LABEL_SIZE,
            color=INK,
            parse_math=False,
        )
    ax.set_yticks([])
    ax.set_xticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.patch.set_visible(False)
    if diverging:
        ax.axvline(0, color=INK, linewidth=0.8)
    else:
        ax.axvline(0, color=MUTED, linewidth=0.6)
    if legend:
        from matplotlib.patches import Patch

        ax.legend(
            handles=[
                Patch(color=THIS_PERIOD, label=legend[0]),
                Patch(color=LAST_YEAR, label=legend[1]),
            ],
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncol=2,
            frameon=False,
            fontsize=LABEL_SIZE,
            handlelength=1.0,
            handleheight=0.8,
            borderaxespad=0.2,
            borderpad=0.1,
            columnspacing=1.2,
        )
    return fig


class ChartFlowable(Flowable):  # type: ignore[misc]
    """A bar chart placed in the story, drawn by matplotlib as vector operations on the page."""

    def __init__(self, chart: BarChart, fonts: FontSet) -> None:
        super().__init__()
        self.chart = chart
        self.fonts = fonts
        self.width, self.height = chart.width, chart.height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        draw_figure(bars_figure(self.chart, self.fonts), self.canv, 0, 0, self.fonts)
