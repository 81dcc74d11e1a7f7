"""Turn a ``Briefing``'s figures into bar charts' rows, and place charts in the story.

Two charts exist. The change chart diverges from a zero line and holds one unit only: changes
in % and changes in percentage points are never scaled against each other (``change_groups``
splits them; the layout draws each group as its own chart with its unit named). A change from
a small base is written as its figures with no bar, and a bar that would dwarf the others is
cut with a break mark (rules in ``figures.py``). The fraud-type chart ranks the types, the
folded "Other (n types)" row and the user's own catch-all row last and lighter.

A chart is measured here and in ``barchart.py`` without matplotlib; ``ChartFlowable`` draws it
when the page is drawn (``barchart.draw_bars``, ``trend.draw_trend``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from ..fonts import FontSet
from ..model import Breakdown, Briefing, ChangeKind, FraudType, Language, Metric
from . import numbers
from .barchart import LABEL_SIZE as LABEL_SIZE  # the names the blocks and tests know here
from .barchart import BarChart as BarChart
from .barchart import Row as Row
from .barchart import _drawn as _drawn
from .barchart import draw_bars
from .figures import CUT_LENGTH, before_after, cut_rows, signed_number, small_base
from .palette import LAST_YEAR, OTHER, OTHER_LAST_YEAR, THIS_PERIOD, judgement
from .precision import Figures, column
from .tags import Tag, Tagged
from .words import words
from .wrap import wrap_balanced

MAX_LABEL_LINES = 3


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
    amounts = _amounts(
        tuple(values), basis is Breakdown.LOSSES, briefing.currency, briefing.language
    )
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


@functools.lru_cache(maxsize=64)
def _amounts(
    values: tuple[float, ...], money: bool, currency: str, language: Language
) -> tuple[str | None, ...]:
    """The texts of a chart's amounts, one precision for all (``precision.column``). Kept for
    the last few charts: a layout draws the same types at every type size it tries."""
    return tuple(column([Metric("", money=money)] * len(values), values, currency, language))


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


def diverging_chart(rows: Sequence[Row], width: float, row_pad: float, size: float) -> BarChart:
    """A change chart: bars from a zero line, the dwarfing ones cut (see ``figures.py``)."""
    cut = cut_rows([abs(r.value) if r.bar else 0.0 for r in rows])
    return BarChart(tuple(rows), width, True, None, row_pad, size, frozenset(cut))


class Measured(Protocol):
    """A chart measured without matplotlib: its size on the page, in points."""

    @property
    def width(self) -> float: ...

    @property
    def height(self) -> float: ...


C = TypeVar("C", bound=Measured)


class ChartFlowable(Tagged, Flowable, Generic[C]):  # type: ignore[misc]
    """A chart placed in the story, drawn as vector operations on the page: ``paint`` draws
    the measured ``chart`` with its lower left corner at the canvas origin, only when the page
    is drawn.

    Tagged as one Figure: its marks are the picture that the alternative text reads; without
    alternative text from the block, ``describe`` says the chart."""

    def default_tag(self) -> Tag:
        return Tag("Figure", alt=self.describe(self.chart))

    def __init__(
        self,
        chart: C,
        fonts: FontSet,
        paint: Callable[[C, Canvas, FontSet], None],
        describe: Callable[[C], str],
    ) -> None:
        super().__init__()
        self.chart = chart
        self.fonts = fonts
        self.paint = paint
        self.describe = describe
        self.width, self.height = chart.width, chart.height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.paint(self.chart, self.canv, self.fonts)


def bars_alt(chart: BarChart) -> str:
    """A bar chart said without a title from its block: every row's label and bar-end text."""
    return "; ".join(f"{' '.join(r.label)} {r.text}" for r in chart.rows)


def bar_flowable(chart: BarChart, fonts: FontSet) -> ChartFlowable[BarChart]:
    return ChartFlowable(chart, fonts, draw_bars, bars_alt)
