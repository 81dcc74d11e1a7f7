"""The page's blocks, top to bottom: each turns the ``Briefing`` into one flowable for a ``Plan``.

``order.BLOCKS`` is the page in reading order: header, key figures, main points (the story
comes first, as in a statistical bulletin), summary table, charts, trend and ranking, advice,
note. Each block is one function ``(Page) -> Flowable | None``, None when the briefing has
nothing for it. To add a block, write its function and put it in ``order.BLOCKS`` at its place;
if it can give way on a full page, add a field to ``Plan`` (or a name to
``identity.OPTIONAL``) and a step to ``layout.degradation``.

Here: the header, the main points and the note; the key figures are ``tiles.py``, the summary
table ``summary.py``, the charts ``panels.py``, all built from ``plan.py``'s ``Page``.
"""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer

from . import numbers, tags
from .marks import TileFigure
from .panels import change_panel, charts, types_panel
from .plan import CHART_GAP, GAP, MAX_TYPE_ROWS, Block, Page, Plan, change_mark, grid, stack
from .styles import ACCENT, para, table_style, text
from .summary import MIN_FIGURE_WIDTH, _column_widths, summary
from .tables import MemoTable
from .tiles import MAX_TILES, headline_metrics, tiles

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


# -- main points -----------------------------------------------------------------------------


def main_points(p: Page) -> Flowable | None:
    s = p.s
    if not p.b.highlights:
        return None
    items: list[Flowable] = [para(text(p.w.highlights), s.heading, s)]
    for h in p.b.highlights:
        item = para(text(h), s.bullet, s)
        item.bulletText = "•"
        items.append(item)
    tags.as_list(items[1:], "main points")
    return stack(items, p.width, s)


# -- note ------------------------------------------------------------------------------------


def note(p: Page) -> Flowable | None:
    return para(text(p.b.note), p.s.small, p.s) if p.b.note else None


__all__ = [  # the blocks, and what other modules and the tests have always found here
    "CHART_GAP",
    "GAP",
    "MAX_TILES",
    "MAX_TYPE_ROWS",
    "MIN_FIGURE_WIDTH",
    "Block",
    "Page",
    "Plan",
    "TileFigure",
    "_column_widths",
    "change_mark",
    "change_panel",
    "charts",
    "grid",
    "header",
    "headline_metrics",
    "main_points",
    "note",
    "stack",
    "summary",
    "tiles",
    "types_panel",
]
