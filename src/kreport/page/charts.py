"""Turn a ``Briefing``'s figures into bar charts: rows measured here, matplotlib figures to draw.

Charts are laid out here by hand (no tight_layout): label widths come from the page's own font
metrics, so what matplotlib positions is exactly what reportlab later draws.

Two charts exist. The change chart diverges from a zero line and holds one unit only: changes
in % and changes in percentage points are never scaled against each other (``change_groups``
splits them; the layout draws each group as its own chart with its unit named). A change from
a small base is written as its figures with no bar, and a bar that would dwarf the others is
cut with a break mark (rules in ``figures.py``). The fraud-type chart ranks the types, the
folded "Other (n types)" row and the user's own catch-all row last and lighter.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon
from reportlab.platypus import Flowable

from ..fonts import FontSet
from ..model import Breakdown, Briefing, ChangeKind, FraudType, Language, Metric
from . import numbers
from .figures import CUT_LENGTH, before_after, cut_rows, signed_number, small_base
from .marks import HATCH_STEP, HATCH_WIDTH
from .mplcanvas import draw_figure, new_figure, text_width
from .palette import (
    BREAK,
    INK,
    LAST_YEAR,
    MUTED,
    OTHER,
    OTHER_LAST_YEAR,
    THIS_PERIOD,
    Tone,
    judgement,
)
from .precision import Figures, column
from .tags import Tag, Tagged
from .words import words
from .wrap import wrap_balanced

LABEL_SIZE = 7.5  # at scale 1; the layout passes the page's size
MIN_BAR = 2.0  # points
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
    tone: Tone
    previous_tone: Tone = LAST_YEAR
    bar: bool = True  # False: the row is its text only, at the zero line ("2 → 52", "new")
    aggregate: bool = False  # a folded or catch-all row: many types, not one


@dataclass(frozen=True, slots=True)
class Shown:
    """A row of the fraud-type chart: a type as given, or ``folded`` smaller types added up."""

    type: FraudType
    folded: int = 0

    @property
    def unranked(self) -> bool:
        return self.folded > 0 or self.type.other


def change_metrics(briefing: Briefing) -> list[Metric]:
    return [m for m in briefing.metrics if m.change is not None]


def change_groups(briefing: Briefing) -> list[tuple[ChangeKind, list[Metric]]]:
    """The change charts' metrics, by unit: % changes ("new" among them), then percentage
    points. A unit with a single change gets no chart: one bar compares nothing, and the change
    is in the table (and its tile)."""
    changed = change_metrics(briefing)
    pct = [m for m in changed if m.change and m.change.kind is not ChangeKind.POINTS]
    pts = [m for m in changed if m.change and m.change.kind is ChangeKind.POINTS]
    return [
        (k, ms) for k, ms in ((ChangeKind.PERCENT, pct), (ChangeKind.POINTS, pts)) if len(ms) > 1
    ]


def change_rows(
    briefing: Briefing,
    metrics: Sequence[Metric],
    fonts: FontSet,
    label_width: float,
    size: float,
    figures: Figures | None = None,
) -> list[Row]:
    rows = []
    lang = briefing.language
    for m in metrics:
        assert m.change is not None
        label = wrap_balanced(m.label, label_width, fonts.regular.name, size, MAX_LABEL_LINES)
        tone = judgement(m.good_news)
        if m.change.kind is ChangeKind.NEW:
            rows.append(Row(label, 0.0, None, words(lang).new, tone, bar=False))
        elif small_base(m):
            rows.append(
                Row(label, 0.0, None, before_after(m, briefing.currency, lang), tone, bar=False)
            )
        else:
            assert m.change.amount is not None
            decimals = figures.decimals(m) if figures else None
            rows.append(Row(label, m.change.amount, None, bar_text(m, lang, decimals), tone))
    return rows


def bar_text(m: Metric, language: Language, decimals: int | None = None) -> str:
    """A change as printed at its bar's end: ``+171%``; in percentage points the bare number,
    ``+2.5``, since the chart's caption names the unit. ``decimals`` as in ``precision.py``."""
    assert m.change is not None
    if m.change.kind is ChangeKind.POINTS:
        return signed_number(m.change, language, decimals)
    return numbers.change_signed(m.change, language, decimals)


def fold_types(
    types: Sequence[FraudType], basis: Breakdown, max_rows: int, other: str, more: str
) -> list[Shown]:
    """Rank by size and fold the smallest into one row so at most ``max_rows`` remain.

    The folded row is labelled ``other`` (or ``more`` when the data has its own catch-all row)
    with ``{n}`` the number of types it holds; a label the user gave never absorbs other types.
    Folded and catch-all rows come last.
    """
    key = basis.value
    ranked = sorted((t for t in types if not t.other), key=lambda t: -(getattr(t, key) or 0))
    own = [t for t in types if t.other]
    if len(ranked) + len(own) <= max_rows:
        return [Shown(t) for t in ranked + own]
    if len(own) >= max_rows - 1:  # catch-alls alone fill the chart: fold them as types too
        ranked = sorted(types, key=lambda t: -(getattr(t, key) or 0))
        own = []
    keep = max(max_rows - len(own) - 1, 0)
    tail, ranked = ranked[keep:], ranked[:keep]
    prevs = [getattr(t, f"previous_{key}") for t in tail]
    total = sum(getattr(t, key) or 0 for t in tail)
    previous = None if any(p is None for p in prevs) else sum(prevs)
    label = (more if own else other).format(n=len(tail))
    if basis is Breakdown.CASES:
        folded = FraudType(
            label,
            cases=int(total),
            previous_cases=None if previous is None else int(previous),
            other=True,
        )
    else:
        folded = FraudType(label, losses=total, previous_losses=previous, other=True)
    return [*(Shown(t) for t in ranked), Shown(folded, len(tail)), *(Shown(t) for t in own)]


def type_rows(
    briefing: Briefing, fonts: FontSet, label_width: float, max_rows: int, size: float
) -> list[Row]:
    basis = briefing.breakdown
    assert basis in (Breakdown.CASES, Breakdown.LOSSES)
    w = words(briefing.language)
    shown = fold_types(briefing.fraud_types, basis, max_rows, w.folded, w.folded_more)
    key = basis.value
    # shares only against a published total: the listed types may be just the largest few
    total = briefing.types_total or 0
    rows = []
    values = [float(getattr(s.type, key) or 0) for s in shown]
    # amounts share one precision, like a column of the table
    as_money = [Metric("", money=basis is Breakdown.LOSSES)] * len(values)
    amounts = column(as_money, values, briefing.currency, briefing.language)
    # beside last year's bars, a type with none is marked: no pale bar is not a zero
    paired = any(getattr(s.type, f"previous_{key}") is not None for s in shown)
    for s, v, amount in zip(shown, values, amounts, strict=True):
        t = s.type
        prev = getattr(t, f"previous_{key}")
        assert amount is not None
        if paired and prev is None:
            amount = f"{amount} {DAGGER}"
        share = numbers.share(v, total, briefing.language)
        rows.append(
            Row(
                label=wrap_balanced(
                    t.label, label_width, fonts.regular.name, size, MAX_LABEL_LINES
                ),
                value=v,
                previous=None if prev is None else float(prev),
                text=f"{amount} · {share}" if share else amount,
                tone=OTHER if s.unranked else THIS_PERIOD,
                previous_tone=OTHER_LAST_YEAR if s.unranked else LAST_YEAR,
                aggregate=s.unranked,
            )
        )
    return rows


def row_height(row: Row, size: float = LABEL_SIZE) -> float:
    return max(len(row.label) * size * LINE, size * 1.75) + size * 0.8


@dataclass(frozen=True, slots=True)
class BarChart:
    """A horizontal bar chart, measured without matplotlib: the figure is made only to draw."""

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


def types_cut(rows: Sequence[Row]) -> frozenset[int]:
    """The fraud-type rows to cut: dwarfing ones (as in a change chart), and a folded or
    catch-all row longer than ``CUT_LENGTH`` times the longest single type, since it adds up
    many types and would otherwise flatten every ranked one."""
    longest = max((r.value for r in rows if not r.aggregate), default=0.0)
    big = {
        i for i, r in enumerate(rows) if r.aggregate and longest and r.value > CUT_LENGTH * longest
    }
    return frozenset(cut_rows([r.value for r in rows]) | big)


DAGGER = "†"  # a figure with none for the same period last year (as in dualtypes.py)
MAX_CHANGE_PLOT = 280.0  # points: the widest a change chart's bars and figures may spread
LABEL_CLEARANCE = 1.0  # ems between a row label and the figure at a fall's bar end
MIN_CHANGE_SPAN = 1.0  # the change chart's axis spans at least 1% (or 1 point)


def diverging_chart(rows: Sequence[Row], width: float, row_pad: float, size: float) -> BarChart:
    """A change chart: bars from a zero line, the dwarfing ones cut (see ``figures.py``)."""
    cut = cut_rows([abs(r.value) if r.bar else 0.0 for r in rows])
    return BarChart(tuple(rows), width, True, None, row_pad, size, frozenset(cut))


def bars_figure(chart: BarChart, fonts: FontSet) -> Figure:
    """The matplotlib figure of ``chart``: labels left, values at bar ends, top to bottom."""
    with matplotlib.rc_context(RC):  # type: ignore[arg-type]
        return _bars(chart, fonts)


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


class Measured(Protocol):
    """A chart measured without matplotlib: its size on the page, in points."""

    @property
    def width(self) -> float: ...

    @property
    def height(self) -> float: ...


C = TypeVar("C", bound=Measured)


def legend_above(ax: Any, entries: Sequence[tuple[str, Tone]], size: float) -> None:
    """The chart's key on one line above its plot area: a swatch in each tone and its label."""
    ax.legend(
        handles=[
            Patch(facecolor=tone.fill, edgecolor=tone.edge or tone.fill, label=label)
            for label, tone in entries
        ],
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncol=len(entries),
        frameon=False,
        fontsize=size,
        handlelength=1.0,
        handleheight=0.8,
        borderaxespad=0.2,
        borderpad=0.1,
        columnspacing=1.2,
    )


class ChartFlowable(Tagged, Flowable, Generic[C]):  # type: ignore[misc]
    """A chart placed in the story, drawn by matplotlib as vector operations on the page:
    ``make_figure`` turns the measured ``chart`` into its figure, only when the page is drawn.

    Tagged as one Figure: its marks are the picture that the alternative text reads; without
    alternative text from the block, ``describe`` says the chart."""

    def default_tag(self) -> Tag:
        return Tag("Figure", alt=self.describe(self.chart))

    def __init__(
        self,
        chart: C,
        fonts: FontSet,
        make_figure: Callable[[C, FontSet], Figure],
        describe: Callable[[C], str],
    ) -> None:
        super().__init__()
        self.chart = chart
        self.fonts = fonts
        self.make_figure = make_figure
        self.describe = describe
        self.width, self.height = chart.width, chart.height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        draw_figure(self.make_figure(self.chart, self.fonts), self.canv, 0, 0, self.fonts)


def bars_alt(chart: BarChart) -> str:
    """A bar chart said without a title from its block: every row's label and bar-end text."""
    return "; ".join(f"{' '.join(r.label)} {r.text}" for r in chart.rows)


def bar_flowable(chart: BarChart, fonts: FontSet) -> ChartFlowable[BarChart]:
    return ChartFlowable(chart, fonts, bars_figure, bars_alt)
