"""Turn fraud types with cases and losses into one block: two bar charts sharing their rows.

Cases on the left (with the type names), losses on the right, the types in one order (by cases,
the folded and catch-all rows last), each bar's figure followed by its change computed from last
year's figure (marked *). A type with no figure last year has no pale bar and its figure is
marked †, with a note: never a bar of zero, never a change from nothing.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from ..model import Breakdown, FraudType, Language, Metric, computed_change
from . import numbers, spoken, tags
from .barchart import BarChart, Row
from .charts import MAX_LABEL_LINES, Shown, bar_flowable, fold_types
from .palette import LAST_YEAR, OTHER, OTHER_LAST_YEAR, THIS_PERIOD
from .plan import Page, grid, stack
from .precision import base_decimals, column, rounded
from .styles import para, text
from .wrap import wrap_balanced

DAGGER = "†"
GAP = 14.0  # between the two charts, at scale 1


def shown_types(p: Page) -> list[Shown]:
    """The rows, ordered and folded by cases; a folded row adds up losses too."""
    b, w = p.b, p.w
    shown = fold_types(b.fraud_types, Breakdown.CASES, p.plan.type_rows, w.folded, w.folded_more)
    kept = {id(s.type) for s in shown if not s.folded}
    tail = [t for t in b.fraud_types if id(t) not in kept]
    out = []
    for s in shown:
        if s.folded:
            prevs = [t.previous_losses for t in tail]
            folded = FraudType(
                s.type.label,
                cases=s.type.cases,
                previous_cases=s.type.previous_cases,
                losses=sum(t.losses or 0 for t in tail),
                previous_losses=None
                if any(v is None for v in prevs)
                else sum(v or 0 for v in prevs),
                other=True,
            )
            s = Shown(folded, s.folded)
        out.append(s)
    return out


def _text(
    value: float, previous: float | None, shown: str | None, decimals: int, language: Language
) -> tuple[str, bool]:
    """The bar-end text, and whether it needed the † of a missing figure last year."""
    assert shown is not None
    if previous is None:
        return f"{shown} {DAGGER}", True
    change = computed_change(value, previous)
    assert change is not None
    change = rounded(change, decimals)
    return f"{shown}  {numbers.change_signed(change, language, decimals)}*", False


def dual_types(p: Page, width: float) -> list[Flowable]:
    b, s, w = p.b, p.s, p.w
    size = p.chart_size
    gap = GAP * p.plan.scale
    left_w = (width - gap) * 0.55
    right_w = width - gap - left_w
    left, right = [], []
    dagger = False
    types = shown_types(p)
    # each chart is a column: one format and precision for its figures, and for its changes
    # the decimals their smallest base supports (precision.py)
    cases_v = [float(sh.type.cases or 0) for sh in types]
    losses_v = [float(sh.type.losses or 0) for sh in types]
    cases_shown = column([Metric("")] * len(types), cases_v, b.currency, b.language)
    losses_shown = column([Metric("", money=True)] * len(types), losses_v, b.currency, b.language)
    cases_dec = base_decimals([t.type.previous_cases for t in types if t.type.previous_cases])
    losses_dec = base_decimals([t.type.previous_losses for t in types if t.type.previous_losses])
    for i, sh in enumerate(types):
        t = sh.type
        tone = OTHER if sh.unranked else THIS_PERIOD
        last = OTHER_LAST_YEAR if sh.unranked else LAST_YEAR
        label = wrap_balanced(t.label, left_w * 0.42, s.fonts.regular.name, size, MAX_LABEL_LINES)
        cases, losses = cases_v[i], losses_v[i]
        c_text, c_dag = _text(cases, t.previous_cases, cases_shown[i], cases_dec, b.language)
        l_text, l_dag = _text(losses, t.previous_losses, losses_shown[i], losses_dec, b.language)
        dagger |= c_dag or l_dag
        prev_c = None if t.previous_cases is None else float(t.previous_cases)
        prev_l = None if t.previous_losses is None else float(t.previous_losses)
        left.append(Row(label, cases, prev_c, c_text, tone, last))
        right.append(Row([""] * len(label), losses, prev_l, l_text, tone, last))
    last_words = w.previous_period if b.comparison == "previous_period" else w.last_year_legend
    paired = any(r.previous is not None for r in left + right)
    legend = ((w.this_period_legend, THIS_PERIOD), (last_words, LAST_YEAR)) if paired else None
    pad = p.plan.row_pad
    cases_chart = BarChart(tuple(left), left_w, False, legend, pad, size)
    losses_chart = BarChart(tuple(right), right_w, False, None, pad, size)
    # the legend sits over the cases only; the losses chart drops by its height to keep rows level
    drop = Spacer(right_w, cases_chart.top_pad - losses_chart.top_pad)
    heads = [para(text(w.cases), s.caption, s), para(text(w.losses), s.caption, s)]
    # the losses chart's rows are named by the cases chart beside it: its alt text names them
    cases_fig = bar_flowable(cases_chart, s.fonts)
    losses_fig = bar_flowable(losses_chart, s.fonts)
    tags.figure(cases_fig, spoken.rows_chart(w.cases, left, left, b.language))
    tags.figure(losses_fig, spoken.rows_chart(w.losses, right, left, b.language))
    body = grid(
        [heads, [cases_fig, stack([drop, losses_fig], right_w, s, pad=0)]],
        [left_w + gap, right_w],
        s,
        0,
    )
    items: list[Flowable] = [para(text(w.types_both), s.heading, s), body]
    notes = []
    if any(r.previous is not None for r in left + right):
        notes.append(f"* {w.computed}")
    if dagger:
        missing = (
            w.no_previous_previous if b.comparison == "previous_period" else w.no_previous_last_year
        )
        notes.append(f"{DAGGER} {missing}")
    if notes:
        items.append(para(text("   ".join(notes)), s.small, s))
    return [stack(items, width, s)]
