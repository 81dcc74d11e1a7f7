"""The charts block: the year-on-year (or period-on-period) change chart and the fraud-type
chart, side by side or stacked at full width, each panel a heading, its chart and its notes.
"""

from __future__ import annotations

from dataclasses import replace

from reportlab.platypus import Flowable

from ..model import Breakdown, ChangeKind, is_chinese
from . import spoken, tags
from .barchart import BarChart
from .charts import (
    DAGGER,
    bar_flowable,
    change_groups,
    change_rows,
    diverging_chart,
    type_rows,
    types_cut,
)
from .dualtypes import dual_types
from .figures import small_base
from .palette import LAST_YEAR, THIS_PERIOD
from .plan import CHART_GAP, Page, grid, stack
from .styles import para, text


def charts(p: Page) -> Flowable | None:
    """The change chart and the fraud-type chart: side by side, or stacked at full width."""
    b, s, plan = p.b, p.s, p.plan
    has_change = plan.change_chart and bool(change_groups(b))
    has_types = bool(b.fraud_types)
    if not (has_change or has_types):
        return None
    gap = CHART_GAP * plan.scale
    both = b.breakdown is Breakdown.BOTH and "losses" not in plan.left_out
    side = has_change and has_types and not plan.stacked and not both  # two measures: full width
    change_w = (p.width - gap) * 0.44 if side else p.width
    types_w = p.width - change_w - gap if side else p.width
    panels: list[tuple[list[Flowable], float]] = []
    if has_change:
        panels.append((change_panel(p, change_w), change_w))
    if has_types:
        panels.append((types_panel(p, types_w), types_w))
    if side:
        cells: list[Flowable] = [stack(items, w_, s) for items, w_ in panels]
        table = grid([cells], [change_w + gap, types_w], s, 0)
        table.side_panels = tuple(panels)  # read by the layout, deciding whether to stack them
        return table
    return stack([stack(items, w_, s) for items, w_ in panels], p.width, s, pad=gap * 0.8)


def change_panel(p: Page, width: float) -> list[Flowable]:
    """One chart per unit: % changes and percentage-point changes never share an axis."""
    b, s, w = p.b, p.s, p.w
    title = w.previous_chart if b.comparison == "previous_period" else w.yoy_chart
    items: list[Flowable] = [para(text(title), s.heading, s)]
    groups = change_groups(b)
    notes: list[str] = []
    for kind, metrics in groups:
        named = title
        if len(groups) > 1 or kind is ChangeKind.POINTS:  # points bars are bare numbers
            caption = w.in_points if kind is ChangeKind.POINTS else w.in_percent
            items.append(para(text(caption), s.caption, s))
            named = f"{title}, {caption}" if not is_chinese(b.language) else f"{title}（{caption}）"
        rows = change_rows(b, metrics, s.fonts, width * 0.42, p.chart_size, p.figures)
        chart = diverging_chart(rows, width, p.plan.row_pad, p.chart_size)
        alt = spoken.change_chart(b, named, metrics)
        items.append(tags.figure(bar_flowable(chart, s.fonts), alt))
        if any(small_base(m) for m in metrics) and w.small_base_note not in notes:
            notes.append(w.small_base_note)
        if chart.cut and w.cut_note not in notes:
            notes.append(w.cut_note)
    if notes:
        items.append(para(text(" ".join(notes)), s.small, s))
    return items


def types_panel(p: Page, width: float) -> list[Flowable]:
    b, s, w = p.b, p.s, p.w
    items: list[Flowable]
    if b.breakdown is Breakdown.LIST:
        items = [para(text(w.types_list), s.heading, s)]
        for i, t in enumerate(b.fraud_types, 1):
            item = para(text(t.label), s.bullet, s)
            item.bulletText = f"{i}."
            items.append(item)
        tags.as_list(items[1:], "fraud types")
        items.append(para(text(w.types_list_caption), s.small, s))
        return items
    if b.breakdown is Breakdown.BOTH:
        if "losses" not in p.plan.left_out:
            return dual_types(p, width)
        b = replace(b, breakdown=Breakdown.CASES)  # the page gave way: cases alone
    title = w.types_chart_cases if b.breakdown is Breakdown.CASES else w.types_chart_losses
    rows = type_rows(b, s.fonts, width * 0.38, p.plan.type_rows, p.chart_size)
    last = w.previous_period if b.comparison == "previous_period" else w.last_year_legend
    legend = (
        ((w.this_period_legend, THIS_PERIOD), (last, LAST_YEAR))
        if any(r.previous is not None for r in rows)
        else None
    )
    cut = types_cut(rows)
    chart = BarChart(tuple(rows), width, False, legend, p.plan.row_pad, p.chart_size, cut)
    alt = spoken.types_chart(b, title, rows, last if legend else None)
    items = [para(text(title), s.heading, s), tags.figure(bar_flowable(chart, s.fonts), alt)]
    notes = [w.cut_note] if cut else []
    if legend and any(r.previous is None for r in rows):
        missing = (
            w.no_previous_previous if b.comparison == "previous_period" else w.no_previous_last_year
        )
        notes.append(f"{DAGGER} {missing}")
    if notes:
        items.append(para(text("   ".join(notes)), s.small, s))
    return items


__all__ = ["change_panel", "charts", "types_panel"]
