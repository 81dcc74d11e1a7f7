"""Turn a validated ``Briefing`` into a ``PageLayout``: the flowables of one page, measured.

Everything is measured before anything is drawn. The blocks (``blocks.py``) are built for a
``Plan`` and measured (``measure.py``, which rebuilds only what a new plan changes); the plan is
then adjusted until the page is full but not overfull.

A page too full for its data gives way in this order (``degradation``), each step keeping the
ones before it, and only then fails with a ``LayoutError`` naming the largest sections:

1. the change chart is left out: the summary table's Change column shows the same changes;
2. the type shrinks in steps down to ``FLOOR_SCALE`` (body text 7.5 pt, small print 6.5 pt);
3. the optional blocks are left out, in ``identity.OPTIONAL`` order: the prevention advice,
   the monthly trend, the ranking; a line at the foot of the page names each one left out;
4. the fraud-type chart folds more types into "Other": 8, 6, 5, then 4 rows;
5. fraud types drawn by cases and losses keep their cases only (also named at the foot).

A sparse page grows instead (``grow``), within stated maxima: two charts of very different
heights are stacked at full width rather than leaving a hole beside the shorter; the type grows
up to ``MAX_SCALE`` (body text 13.6 pt); then listed items spread up to ``MAX_SPACING`` times
their line spacing; chart rows get up to ``MAX_ROW_PAD`` more height; the gaps between blocks
grow up to ``MAX_GAP``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table

from ..errors import LayoutError
from ..fonts import FontSet, choose
from ..model import Breakdown, Briefing
from . import tags
from .charts import BarChart, ChartFlowable, change_groups
from .identity import OPTIONAL
from .measure import Measured, Measurer
from .panels import change_panel, types_panel
from .plan import CHART_GAP, MAX_TYPE_ROWS, Plan
from .precision import as_printed, figures
from .styles import BODY_SIZE, RULE, Styles, make_styles, para, table_style, text
from .tables import MemoTable
from .words import Words, words

PAPERS = {"a4": A4, "letter": LETTER}
MARGIN = 16 * mm
FOOTER_HEIGHT = 30.0  # at least: a long source line makes the footer, measured, taller
FOOTER_GAP = 8.0  # between the frame and the footer's rule (pdf.py draws it there)
BODY_FLOOR = 7.5  # points: the smallest body text a full page shrinks to
SHRINK_STEPS = (0.96, 0.92, BODY_FLOOR / BODY_SIZE)
FLOOR_SCALE = SHRINK_STEPS[-1]
FOLD_STEPS = (8, 6, 5, 4)
MAX_SCALE = 1.6
MAX_SPACING = 1.4  # line spacing of list items: 1.35 times the type size, up to 1.9
MAX_ROW_PAD = 12.0
MAX_GAP = 72.0
STACK_RATIO = 0.5  # stack two charts when the shorter is under half the taller's height
MIN_STACKED_CHANGES = 3  # and the change chart has at least this many bars


@dataclass(frozen=True, slots=True)
class PageLayout:
    """One page, ready to draw: flowables top to bottom in a frame, and the footer's parts."""

    briefing: Briefing
    fonts: FontSet
    styles: Styles
    page_size: tuple[float, float]
    frame: tuple[float, float, float, float]  # x, y, width, height
    story: tuple[Flowable, ...]
    sections: tuple[tuple[str, float], ...]  # (name, height in points) as measured
    footer: tuple[Flowable, ...]
    plan: Plan
    gap: float

    @property
    def used_height(self) -> float:
        return sum(h for _, h in self.sections) + self.gap * (len(self.sections) - 1)


_Measure = Callable[[Plan], Measured]


def lay_out(briefing: Briefing, paper: str = "a4") -> PageLayout:
    shown = figures(briefing)  # and so those of the briefing as printed (``as_printed``)
    briefing = as_printed(briefing, shown)  # a change is drawn the way its rounded figure reads
    fonts = choose(briefing.language, [*briefing.texts().values()])
    fonts.register()
    page_w, page_h = PAPERS[paper]
    width = page_w - 2 * MARGIN
    footer = _footer(briefing, make_styles(fonts), words(briefing.language), width)
    footer_h = max(FOOTER_HEIGHT, sum(float(f.wrap(width, page_h)[1]) for f in footer) + FOOTER_GAP)
    frame_h = page_h - 2 * MARGIN - footer_h

    m = _fit(briefing, Measurer(briefing, fonts, width, shown), frame_h)
    gap = m.gap
    if len(m.sections) > 1:
        gap = min(MAX_GAP, m.gap + (frame_h - m.used) / (len(m.sections) - 1))
    story: list[Flowable] = []
    for i, (_, f) in enumerate(m.blocks):
        if i:
            story.append(Spacer(width, gap))
        story.append(f)
    return PageLayout(
        briefing,
        fonts,
        m.page.s,
        (page_w, page_h),
        (MARGIN, MARGIN + footer_h, width, frame_h),
        tuple(story),
        m.sections,
        footer,
        m.plan,
        gap,
    )


def _measure(b: Briefing, fonts: FontSet, width: float, plan: Plan) -> Measured:
    """The page measured for ``plan`` alone."""
    return Measurer(b, fonts, width)(plan)


def degradation(b: Briefing) -> Iterator[Plan]:
    """The plans tried for a full page, in the documented order; each keeps the steps before."""
    plan = Plan()
    yield plan
    if change_groups(b):
        plan = replace(plan, change_chart=False)
        yield plan
    for scale in SHRINK_STEPS:
        plan = replace(plan, scale=scale)
        yield plan
    present = {
        "advice": b.advice is not None,
        "trend": b.trend is not None,
        "ranking": b.ranking is not None,
        "losses": False,  # only after folding: two measures of a few types beat one of many
    }
    for block in OPTIONAL:
        if present[block]:
            plan = replace(plan, left_out=plan.left_out | {block})
            yield plan
    if b.breakdown in (Breakdown.CASES, Breakdown.LOSSES, Breakdown.BOTH):
        for rows in FOLD_STEPS:
            if rows < MAX_TYPE_ROWS:
                plan = replace(plan, type_rows=rows)
                yield plan
    if b.breakdown is Breakdown.BOTH:
        yield replace(plan, left_out=plan.left_out | {"losses"})


def _fit(b: Briefing, measure: _Measure, frame_h: float) -> Measured:
    first: Measured | None = None
    for plan in degradation(b):
        m = measure(plan)
        first = first or m
        if m.used <= frame_h:
            return grow(b, m, measure, frame_h) if m is first else m
    assert m is not None
    biggest = ", ".join(
        f"{name} {h:.0f} pt" for name, h in sorted(m.sections, key=lambda s: -s[1])[:3]
    )
    raise LayoutError(
        f"the briefing is {m.used - frame_h:.0f} pt taller than one page ({frame_h:.0f} pt) "
        f"even with the smallest type, fraud types folded and the change chart left out; "
        f"largest sections: {biggest}. Shorten the main points or labels, or remove metrics."
    )


def grow(b: Briefing, m: Measured, measure: _Measure, frame_h: float) -> Measured:
    """Use the room a sparse page would leave empty: stack, enlarge, then pad the chart rows."""
    if _should_stack(m):
        stacked = measure(replace(m.plan, stacked=True))
        if stacked.used <= frame_h:
            m = stacked
    m = _grow_scale(m, measure, frame_h)
    if m.plan.scale >= MAX_SCALE and frame_h - m.used > 1:
        for spacing in (MAX_SPACING, (1 + MAX_SPACING) / 2):
            spaced = measure(replace(m.plan, spacing=spacing))
            if spaced.used <= frame_h:
                m = spaced
                break
    rows = _chart_rows(m)
    if rows and frame_h - m.used > 1:
        pad = min(MAX_ROW_PAD * m.plan.scale, (frame_h - m.used) / rows)
        for attempt in (pad, pad / 2):
            padded = measure(replace(m.plan, row_pad=attempt))
            if padded.used <= frame_h:
                return padded
    return m


def _grow_scale(m: Measured, measure: _Measure, frame_h: float) -> Measured:
    """The largest scale up to ``MAX_SCALE`` that still fits, in a few measurements.

    Height grows about as a power of the scale (lines get taller, and longer texts wrap into
    more of them); the power is estimated from the largest scale, then corrected downwards.
    """
    if m.used >= frame_h * 0.98:
        return m
    top = measure(replace(m.plan, scale=MAX_SCALE))
    if top.used <= frame_h:
        return top
    power = max(math.log(top.used / m.used) / math.log(MAX_SCALE), 0.5)
    scale = min(MAX_SCALE, (frame_h / m.used) ** (1 / power))
    for _ in range(4):
        if scale <= 1.0:
            break
        tried = measure(replace(m.plan, scale=scale))
        if tried.used <= frame_h:
            return tried
        scale = 1 + (scale - 1) * 0.6
    return m


def _should_stack(m: Measured) -> bool:
    """Two charts side by side whose heights differ so much that the shorter leaves a hole."""
    p = m.page
    if not (change_groups(p.b) and p.b.fraud_types and m.plan.change_chart):
        return False
    if sum(len(ms) for _, ms in change_groups(p.b)) < MIN_STACKED_CHANGES:
        return False  # two bars across the full width are heavy; a column beside is lighter
    gap = CHART_GAP * m.plan.scale
    change_w = (p.width - gap) * 0.44
    types_w = p.width - change_w - gap
    # the panels the charts block built side by side for this plan, when it did (not for
    # fraud types drawn by cases and losses, which take the full width): the same panels
    block = next((f for name, f in m.blocks if name == "charts"), None)
    panels = getattr(block, "side_panels", None)
    if panels is None or [w for _, w in panels] != [change_w, types_w]:
        panels = ((change_panel(p, change_w), change_w), (types_panel(p, types_w), types_w))
    heights = [sum(float(f.wrap(w, 10_000)[1]) for f in items) for items, w in panels]
    return min(heights) < STACK_RATIO * max(heights)


def _chart_rows(m: Measured) -> int:
    """The rows of the tallest column of charts, among which spare height is shared."""
    charts = _bar_charts([f for name, f in m.blocks if name == "charts"])
    if not charts:
        return 0
    if m.plan.stacked or len(charts) == 1:
        return sum(len(c.rows) for c in charts)
    return max(len(c.rows) for c in charts)


def _bar_charts(items: list[object]) -> list[BarChart]:
    """Every bar chart inside ``items``, looking into table cells."""
    out: list[BarChart] = []
    for item in items:
        if isinstance(item, ChartFlowable) and isinstance(item.chart, BarChart):
            out.append(item.chart)
        elif isinstance(item, Table):
            out += _bar_charts([cell for row in item._cellvalues for cell in row])
        elif isinstance(item, list | tuple):
            out += _bar_charts(list(item))
    return out


def _footer(b: Briefing, s: Styles, w: Words, width: float) -> tuple[Flowable, ...]:
    left = text(w.source.format(source=b.source)) if b.source else ""
    right = text(w.page)
    plain = w.page
    if b.marking:
        right = f"<b>{text(b.marking)}</b> · {right}"
        plain = f"{b.marking} · {plain}"
    # the page number and marking on one line when they can have up to 45% of the width
    right_w = stringWidth(plain, s.fonts.bold.name, s.small_right.fontSize) + 2
    right_w = min(max(right_w, width * 0.25), width * 0.45)
    # the source is content; the page number and the repeated marking are page furniture
    t = MemoTable(
        [[para(left, s.small, s), tags.artifact(para(right, s.small_right, s))]],
        colWidths=[width - right_w, right_w],
    )
    t.setStyle(
        table_style(
            s.fonts,
            [
                ("LINEABOVE", (0, 0), (-1, 0), 0.5, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ],
        )
    )
    return (t,)


__all__ = ["MARGIN", "PAPERS", "PageLayout", "degradation", "lay_out"]
