"""The summary table: every metric's figures (this period, last year or the previous period)
and change, with the key to the changes' colours and the notes its cells call for.

A column nobody published is left out; a header wraps only when its column truly lacks room.
"""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer

from ..errors import LayoutError
from ..model import Briefing, Change
from . import tags
from .marks import Key
from .palette import BAD, GOOD, MUTED, NEUTRAL, Tone
from .plan import Page, change_mark, stack
from .styles import ACCENT, RULE, TINT, para, table_style, text
from .tables import MemoTable
from .words import words

MIN_FIGURE_WIDTH = 12.0  # points: below this a table cell cannot show even a digit and a mark


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
                size, font = s.cell.fontSize, s.cell.fontName
                cell = change_mark(m, p, size, font, align="right", leading=lead)
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


__all__ = ["MIN_FIGURE_WIDTH", "summary"]
