"""The page's blocks, top to bottom: each turns the ``Briefing`` into one flowable for a ``Plan``.

``order.BLOCKS`` is the page in reading order: header, key figures, main points (the story
comes first, as in a statistical bulletin), summary table, charts, trend and ranking, advice,
note. Each block is one function ``(Page) -> Flowable | None``, None when the briefing has
nothing for it. To add a block, write its function and put it in ``order.BLOCKS`` at its place;
if it can give way on a full page, add a field to ``Plan`` (or a name to
``identity.OPTIONAL``) and a step to ``layout.degradation``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table

from ..errors import LayoutError
from ..fonts import FAKE_BOLD_STROKE
from ..model import Breakdown, Briefing, Change, ChangeKind, Metric, is_chinese
from . import numbers, spoken, tags
from .charts import (
    DAGGER,
    LABEL_SIZE,
    BarChart,
    bar_flowable,
    change_groups,
    change_rows,
    diverging_chart,
    type_rows,
    types_cut,
)
from .figures import change_words, small_base
from .marks import ChangeText, Direction, Key, TileFigure
from .markup import escape
from .palette import ACCENT as ACCENT_HEX
from .palette import BAD, GOOD, LAST_YEAR, MUTED, NEUTRAL, THIS_PERIOD, Tone, judgement
from .precision import Figures
from .styles import ACCENT, RULE, TINT, MemoTable, Styles, para, table_style, text
from .words import Words, words
from .wrap import wrap_balanced

MAX_TILES = 4
MIN_FIGURE_WIDTH = 12.0  # points: below this a table cell cannot show even a digit and a mark
MAX_TYPE_ROWS = 10  # the fraud-type chart's rows before the page has to give way
TILE_LABEL_LINES = 2  # a longer label is shortened at a word; the table has it in full
CHART_GAP = 18.0  # between side-by-side charts, at scale 1
GAP = 12.0  # between blocks, at scale 1


@dataclass(frozen=True, slots=True)
class Plan:
    """How the page is set: the knobs the fitting in ``layout.py`` turns."""

    scale: float = 1.0  # type and spacing, times the base sizes of ``styles.py``
    type_rows: int = MAX_TYPE_ROWS
    change_chart: bool = True
    stacked: bool = False  # two charts one above the other at full width, not side by side
    row_pad: float = 0.0  # extra height per chart row, to use room the page would leave empty
    left_out: frozenset[str] = frozenset()  # optional blocks given up (``identity.OPTIONAL``)
    spacing: float = 1.0  # line spacing of bulleted and numbered items, times the usual


@dataclass(frozen=True, slots=True)
class Page:
    """What every block is made from."""

    b: Briefing
    s: Styles
    w: Words
    width: float
    plan: Plan
    figures: Figures  # how each value and change is printed (``precision.py``)

    @property
    def chart_size(self) -> float:
        return LABEL_SIZE * self.plan.scale


Block = Callable[[Page], Flowable | None]


def stack(items: Sequence[Flowable], width: float, s: Styles, pad: float = 2.0) -> Table:
    """``items`` one under another, ``pad`` apart, in a column of ``width``."""
    return grid([[f] for f in items], [width], s, pad)


def grid(rows: list[list[Flowable]], widths: list[float], s: Styles, pad: float) -> Table:
    """A borderless table with no padding but ``pad`` below each row, cells top-aligned."""
    t = MemoTable(rows, colWidths=widths)
    t.setStyle(
        table_style(
            s.fonts,
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ],
        )
    )
    return t


# -- header ----------------------------------------------------------------------------------


def header(p: Page) -> Flowable:
    b, s, w, width = p.b, p.s, p.w, p.width
    top = [w.issue_number.format(n=b.issue_number)] if b.issue_number else []
    if b.issued:
        top.append(w.issued.format(date=numbers.date(b.issued, b.language)))
    top_right = text(" · ".join(top))
    if b.contact:
        top_right += ("<br/>" if top_right else "") + text(b.contact)
    period = text(b.period)
    if b.baseline:
        period += " · " + text(w.compared_with.format(baseline=b.baseline))
    rows: list[list[Flowable]] = []
    if b.marking:
        # the marking sits above everything, right-aligned in a solid box (prints dark in B/W)
        box = MemoTable(
            [[para(text(b.marking), s.marking, s)]],
            hAlign="RIGHT",
            colWidths=[
                min(stringWidth(b.marking, s.marking.fontName, s.marking.fontSize) + 20, width)
            ],
        )
        box.setStyle(
            table_style(
                s.fonts,
                [
                    ("BACKGROUND", (0, 0), (-1, -1), ACCENT),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ],
            )
        )
        rows.append([box, Spacer(0, 0)])
    o = len(rows)
    rows += [
        [para(text(b.agency), s.agency, s), para(top_right, s.issued, s)],
        [para(text(b.title), s.title, s), Spacer(0, 0)],
        [para(period, s.period, s), Spacer(0, 0)],
    ]
    style = [
        ("SPAN", (0, o + 1), (1, o + 1)),
        ("SPAN", (0, o + 2), (1, o + 2)),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, o + 2), (-1, o + 2), 8 * p.plan.scale),
        ("LINEBELOW", (0, o + 2), (-1, o + 2), 1.5, ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if b.marking:
        style += [("SPAN", (0, 0), (1, 0)), ("ALIGN", (0, 0), (0, 0), "RIGHT")]
    t = MemoTable(rows, colWidths=[width * 0.62, width * 0.38])
    t.setStyle(table_style(s.fonts, style))
    return t


# -- key figures -----------------------------------------------------------------------------


def headline_metrics(b: Briefing) -> list[Metric]:
    return ([m for m in b.metrics if m.headline] or list(b.metrics))[:MAX_TILES]


def tiles(p: Page) -> Flowable | None:
    """Up to four key figures of equal width, every figure on one line at one shared size."""
    b, s = p.b, p.s
    metrics = headline_metrics(b)
    if not metrics:
        return None
    col = p.width / len(metrics)
    inner = col - 14 * p.plan.scale - 6  # clear of the next tile's rule
    stroke = FAKE_BOLD_STROKE if s.fonts.fake_bold else 0.0
    # A change-only tile says its comparison where the edition's words put it: after the label
    # in English ("on last year"), before the change in Chinese ("同比下降12.5%").
    vs = _change_vs(p)
    leading_vs = not vs.startswith("{change}")
    figures = [
        TileFigure(_value_text(p, m), s.tile_value.fontName, 1, ACCENT_HEX, stroke=stroke)
        if m.value is not None
        else TileFigure(
            _tile_change(vs if leading_vs else "{change}", m, p),
            s.tile_value.fontName,
            1,
            ACCENT_HEX,
            arrow=(_direction(m), judgement(m.good_news)),
            stroke=stroke,
        )
        for m in metrics
    ]
    size = min(s.tile_value.fontSize, *(inner / f.width_at(1.0) for f in figures))
    font, label_size = s.tile_label.fontName, s.tile_label.fontSize
    labels = [wrap_balanced(m.label, inner, font, label_size, TILE_LABEL_LINES) for m in metrics]
    most = max(len(lines) for lines in labels)
    cells = []
    for m, figure, lines in zip(metrics, figures, labels, strict=True):
        figure.size = size
        if figure.arrow:  # the arrow is a shape: say the direction
            said = spoken.change(m, b.currency, b.language)
            tags.tag(figure, "P", actual=vs.replace("{change}", said) if leading_vs else said)
        parts: list[Flowable] = [
            figure,
            para("<br/>".join(escape(x) for x in lines), s.tile_label, s),
        ]
        if len(lines) < most:  # the change lines of all tiles on one level
            parts.append(Spacer(0, (most - len(lines)) * s.tile_label.leading))
        if m.value is not None and m.change is not None:
            parts.append(_change(m, p, s.body.fontSize, s.body.fontName, _change_vs(p)))
        elif m.value is None and not leading_vs:
            parts.append(para(text(_vs(p)), s.small, s))
        cells.append(parts)
    t = tags.cells_as_list(MemoTable([cells], colWidths=[col] * len(cells)), "key figures")
    t.setStyle(
        table_style(
            s.fonts,
            [
                ("LINEBEFORE", (0, 0), (-1, -1), 2.5, ACCENT),
                ("LEFTPADDING", (0, 0), (-1, -1), 8 * p.plan.scale),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6 * p.plan.scale),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ],
        )
    )
    return t


def _tile_change(pattern: str, m: Metric, p: Page) -> str:
    words = change_words(m, p.b.currency, p.b.language, p.figures.decimals(m))
    return pattern.replace("{change}", words)


def _direction(m: Metric) -> Direction:
    assert m.change is not None
    return m.change.direction


def _value_text(p: Page, m: Metric) -> str:
    """A metric's value as the summary table prints it (one precision per column)."""
    shown = p.figures.this[p.b.metrics.index(m)]
    assert shown is not None
    return shown


def _change(
    m: Metric,
    p: Page,
    size: float,
    font: str,
    pattern: str = "{change}",
    align: str = "left",
    leading: float = 1.3,
) -> ChangeText:
    """A change as drawn everywhere: arrow shape in its tone, the words, a star if computed."""
    assert m.change is not None
    star = "*" if m.change.derived else ""
    mark = ChangeText(
        m.change.direction,
        judgement(m.good_news),
        change_words(m, p.b.currency, p.b.language, p.figures.decimals(m)) + star,
        font,
        size,
        pattern=pattern,
        muted=MUTED,
        align=align,
        leading=leading,
    )
    said = spoken.change(m, p.b.currency, p.b.language) + star
    tags.tag(mark, "P", actual=pattern.replace("{change}", said))  # the arrow is a shape
    return mark


def _vs(p: Page) -> str:
    return p.w.vs_previous if p.b.comparison == "previous_period" else p.w.vs_last_year


def _change_vs(p: Page) -> str:
    """The pattern of a tile's change line: "{change} on last year", "{change} 同比"."""
    w = p.w
    return w.change_vs_previous if p.b.comparison == "previous_period" else w.change_vs_last_year


# -- main points -----------------------------------------------------------------------------


def main_points(p: Page) -> Flowable | None:
    s = p.s
    if not p.b.highlights:
        return None
    items: list[Flowable] = [para(text(p.w.highlights), s.heading, s)]
    for h in p.b.highlights:
        item = para(text(h), s.bullet, s)
        item.bulletText = "•"
        item.style.bulletFontName = s.fonts.regular.name
        items.append(item)
    tags.as_list(items[1:], "main points")
    return stack(items, p.width, s)


# -- summary table ---------------------------------------------------------------------------


def summary(p: Page) -> Flowable | None:
    b, s, w, width = p.b, p.s, p.w, p.width
    if not b.metrics:
        return None
    last = w.previous_period if b.comparison == "previous_period" else w.last_year
    change = w.change_previous if b.comparison == "previous_period" else w.change
    # a column nobody published (Karamay gave no last-year figures) is left out, not dashed
    f = p.figures
    columns = [
        (title, get)
        for title, get, shown in (
            (w.this_period, lambda i: f.this[i], any(m.value is not None for m in b.metrics)),
            (last, lambda i: f.last[i], any(m.previous is not None for m in b.metrics)),
            (change, lambda i: b.metrics[i].change, any(m.change is not None for m in b.metrics)),
        )
        if shown
    ]
    rows: list[list[Flowable]] = [
        [para(text(w.indicator), s.cell_head, s)]
        + [para(text(title), s.cell_head_num, s) for title, _ in columns]
    ]
    content = [0.0] * len(columns)
    missing = derived = False
    for row, m in enumerate(b.metrics):
        cells = [para(text(m.label), s.cell, s)]
        for i, (_, get) in enumerate(columns):
            v = get(row)
            missing |= v is None
            cell: Flowable
            if v is None:
                cell = para("—", s.cell_num, s)
                content[i] = max(content[i], stringWidth("—", s.cell_num.fontName, s.cell.fontSize))
            elif isinstance(v, Change):
                derived |= v.derived
                lead = s.cell.leading / s.cell.fontSize  # the cells' own line height
                cell = _change(m, p, s.cell.fontSize, s.cell.fontName, align="right", leading=lead)
                content[i] = max(content[i], cell.head_width)
            else:
                cell = para(text(v), s.cell_num, s)
                content[i] = max(content[i], stringWidth(v, s.cell.fontName, s.cell.fontSize))
            cells.append(cell)
        rows.append(cells)
    t = MemoTable(rows, colWidths=_column_widths(p, [t for t, _ in columns], content), repeatRows=0)
    tags.data_table(t, "summary")
    pad = 2.5 * p.plan.scale
    t.setStyle(
        table_style(
            s.fonts,
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
                ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
                ("BACKGROUND", (0, 0), (-1, 0), TINT),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), pad),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 1),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ],
        )
    )
    items: list[Flowable] = [para(text(w.summary), s.heading, s), t]
    notes = []
    if missing:
        notes.append("— " + w.not_published)
    if derived:
        notes.append("* " + w.computed)
    tones = _key_tones(b)
    if notes or tones:
        items.append(Spacer(width, 3 * p.plan.scale))
        items.append(Key(tones, notes, s.small.fontName, s.small.fontSize, MUTED))
    return stack(items, width, s, pad=0)


def _column_widths(p: Page, titles: list[str], content: list[float]) -> list[float]:
    """Widths of the table's columns: a header wraps only when its column truly lacks room.

    Each number column wants its figures' and its header's width; the label column keeps what
    its longest label needs, up to 40% of the width. When that leaves too little, headers wrap
    first (the figures keep their width), and only then the figures.
    """
    s = p.s
    pad = 8.0
    least = 56 * p.plan.scale
    label_need = max(stringWidth(m.label, s.cell.fontName, s.cell.fontSize) for m in p.b.metrics)
    label_w = min(label_need + pad, p.width * 0.4)
    heads = [stringWidth(t, s.cell_head.fontName, s.cell_head.fontSize) for t in titles]
    want = [max(c + pad, h + pad, least) for c, h in zip(content, heads, strict=True)]
    room = p.width - label_w
    if sum(want) > room:
        figures = [max(c + pad, least) for c in content]
        if sum(figures) <= room:
            short = [w - f for w, f in zip(want, figures, strict=True)]
            share = (room - sum(figures)) / sum(short)
            want = [f + d * share for f, d in zip(figures, short, strict=True)]
        else:
            want = [f * room / sum(figures) for f in figures]
    if min(want) < pad + MIN_FIGURE_WIDTH:  # no room left for a cell's text at all
        raise LayoutError("the summary table's figures are too wide for the page")
    return [p.width - sum(want), *want]


def _key_tones(b: Briefing) -> list[tuple[Tone, str]]:
    """The judgements shown on the page, when colour means something (a change with ``better``)."""
    judged = {m.good_news for m in b.metrics if m.change is not None}
    if not judged & {True, False}:
        return []
    w = words(b.language)
    order = [(True, GOOD, w.better), (False, BAD, w.worse), (None, NEUTRAL, w.no_judgement)]
    return [(tone, label) for good, tone, label in order if good in judged]


# -- charts ----------------------------------------------------------------------------------


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
        return grid([cells], [change_w + gap, types_w], s, 0)
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
            from .dualtypes import dual_types

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


# -- note ------------------------------------------------------------------------------------


def note(p: Page) -> Flowable | None:
    return para(text(p.b.note), p.s.small, p.s) if p.b.note else None
