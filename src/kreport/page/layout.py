"""Turn a validated ``Briefing`` into a ``PageLayout``: the flowables of one page, measured.

Everything is measured before anything is drawn: if the page would overflow, the breakdown folds
more types into "Other"; if it still cannot fit, a ``LayoutError`` names what is too large.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, TypeAlias

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table

from .._version import __version__
from ..errors import LayoutError
from ..fonts import FontSet, choose
from ..model import Breakdown, Briefing, Change, Metric
from . import numbers
from .charts import BarChart, ChartFlowable, change_metrics, type_rows, yoy_rows
from .styles import (
    ACCENT,
    BAD_C,
    GOOD_C,
    NEUTRAL_C,
    RULE,
    TINT,
    Styles,
    make_styles,
    para,
    table_style,
    text,
)
from .words import Words, words

PAPERS = {"a4": A4, "letter": LETTER}
MARGIN = 16 * mm
GAP = 12.0  # between sections
FOOTER_HEIGHT = 30.0
MAX_TILES = 4
TILE_MIN = 12.0  # smallest key-figure size before a figure may wrap
TYPE_ROWS = (10, 8, 6, 5, 4)  # folding steps tried for the breakdown chart, largest first
MAX_ROW_PAD = 12.0  # most extra height given to a chart row when the page has room
MAX_EXTRA_GAP = 6.0  # and then to each gap between sections


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

    @property
    def used_height(self) -> float:
        return sum(h for _, h in self.sections) + GAP * (len(self.sections) - 1)


def lay_out(briefing: Briefing, paper: str = "a4") -> PageLayout:
    w = words(briefing.language)
    fonts = choose(briefing.language, [*briefing.texts().values()])
    fonts.register()
    styles = make_styles(fonts)
    page_w, page_h = PAPERS[paper]
    width = page_w - 2 * MARGIN
    frame_h = page_h - 2 * MARGIN - FOOTER_HEIGHT
    attempts = TYPE_ROWS if briefing.breakdown in (Breakdown.CASES, Breakdown.LOSSES) else (0,)
    for max_rows in attempts:
        blocks, sections, used = _measured(briefing, styles, w, width, max_rows, 0.0)
        if used <= frame_h:
            break
    else:
        biggest = ", ".join(
            f"{name} {h:.0f} pt" for name, h in sorted(sections, key=lambda s: -s[1])[:3]
        )
        raise LayoutError(
            f"the briefing is {used - frame_h:.0f} pt taller than one page "
            f"({frame_h:.0f} pt) even with fraud types folded; largest sections: "
            f"{biggest}. Shorten the highlights or labels, or remove metrics."
        )
    # Space the page would leave empty goes to the charts' rows, up to MAX_ROW_PAD each.
    rows = max((len(c.rows) for c in _bar_charts(blocks)), default=0)
    if rows and frame_h - used > 1:
        pad = min(MAX_ROW_PAD, (frame_h - used) / rows)
        for attempt in (pad, pad / 2):
            stretched = _measured(briefing, styles, w, width, max_rows, attempt)
            if stretched[2] <= frame_h:
                blocks, sections, used = stretched
                break
    gap = GAP + min(MAX_EXTRA_GAP, (frame_h - used) / max(len(blocks) - 1, 1))
    story: list[Flowable] = []
    for i, (_, f) in enumerate(blocks):
        if i:
            story.append(Spacer(width, gap))
        story.append(f)
    return PageLayout(
        briefing,
        fonts,
        styles,
        (page_w, page_h),
        (MARGIN, MARGIN + FOOTER_HEIGHT, width, frame_h),
        tuple(story),
        sections,
        _footer(briefing, styles, w, width),
    )


def _height(f: Flowable, width: float) -> float:
    return float(f.wrap(width, 10_000)[1])


Blocks: TypeAlias = list[tuple[str, Flowable]]


def _measured(
    b: Briefing, s: Styles, w: Words, width: float, max_rows: int, row_pad: float
) -> tuple[Blocks, tuple[tuple[str, float], ...], float]:
    """The page's blocks, each block's height, and the total height with gaps."""
    blocks = _blocks(b, s, w, width, max_rows, row_pad)
    sections = tuple((name, _height(f, width)) for name, f in blocks)
    return blocks, sections, sum(h for _, h in sections) + GAP * (len(sections) - 1)


def _bar_charts(blocks: Blocks) -> list[BarChart]:
    charts = [f for name, f in blocks if name == "charts"]
    return [c.chart for c in _flowables(charts) if isinstance(c, ChartFlowable)]


def _flowables(items: Sequence[Any]) -> list[Any]:
    """Every flowable inside ``items``, looking into table cells."""
    out: list[Any] = []
    for item in items:
        out.append(item)
        if isinstance(item, Table):
            out += _flowables([cell for row in item._cellvalues for cell in row])
        elif isinstance(item, list | tuple):
            out += _flowables(item)
    return out


def _blocks(
    b: Briefing, s: Styles, w: Words, width: float, max_rows: int, row_pad: float
) -> Blocks:
    blocks: list[tuple[str, Flowable]] = [("header", _header(b, s, w, width))]
    headline = [m for m in b.metrics if m.headline] or list(b.metrics[:MAX_TILES])
    if headline:
        blocks.append(("key figures", _tiles(b, headline[:MAX_TILES], s, w, width)))
    if b.metrics:
        blocks.append(("summary table", _summary(b, s, w, width)))
    charts = _charts(b, s, w, width, max_rows, row_pad)
    if charts is not None:
        blocks.append(("charts", charts))
    if b.highlights:
        items: list[Flowable] = [para(text(w.highlights), s.heading, s)]
        items += [para(text(h), s.bullet, s) for h in b.highlights]
        for p in items[1:]:
            p.bulletText = "•"
            p.style.bulletFontName = s.fonts.regular.name
        blocks.append(("highlights", _stack(items, width, s)))
    if b.note:
        blocks.append(("note", para(text(b.note), s.small, s)))
    return blocks


def _stack(items: Sequence[Flowable], width: float, s: Styles, pad: float = 2.0) -> Table:
    """``items`` one under another, ``pad`` apart, in a column of ``width``."""
    return _grid([[f] for f in items], [width], s, pad)


def _grid(rows: list[list[Flowable]], widths: list[float], s: Styles, pad: float) -> Table:
    """A borderless table with no padding but ``pad`` below each row, cells top-aligned."""
    t = Table(rows, colWidths=widths)
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


def _header(b: Briefing, s: Styles, w: Words, width: float) -> Table:
    top_right = text(w.issued.format(date=numbers.date(b.issued, b.language))) if b.issued else ""
    period = text(b.period)
    if b.baseline:
        period += " · " + text(w.compared_with.format(baseline=b.baseline))
    rows: list[list[Flowable]] = []
    if b.marking:
        # the marking sits above everything, right-aligned in a solid box (prints dark in B/W)
        box = Table(
            [[para(text(b.marking), s.marking, s)]],
            hAlign="RIGHT",
            colWidths=[stringWidth(b.marking, s.marking.fontName, s.marking.fontSize) + 20],
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
        rows.append([Spacer(0, 0), box])
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
        ("BOTTOMPADDING", (0, o + 2), (-1, o + 2), 8),
        ("LINEBELOW", (0, o + 2), (-1, o + 2), 1.5, ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if b.marking:
        style.append(("ALIGN", (1, 0), (1, 0), "RIGHT"))
    t = Table(rows, colWidths=[width * 0.62, width * 0.38])
    t.setStyle(table_style(s.fonts, style))
    return t


def _change_markup(m: Metric, b: Briefing, s: Styles, pattern: str = "{change}") -> str:
    """The coloured arrow, then the change in words set in ``pattern`` (the word order)."""
    assert m.change is not None
    colour = {True: GOOD_C, False: BAD_C, None: NEUTRAL_C}[m.good_news]
    mark = numbers.change_mark(m.change)
    star = "*" if m.change.derived else ""
    change = numbers.change_words(m.change, b.language) + star
    return f'<font color="{colour.hexval()}">{mark}</font> {text(pattern.format(change=change))}'


def _tiles(b: Briefing, metrics: Sequence[Metric], s: Styles, w: Words, width: float) -> Table:
    cells = []
    col = width / len(metrics)
    bigs = [
        (text(numbers.value(m, m.value, b.currency, b.language)), _plain_value(m, b))
        if m.value is not None
        else (_change_markup(m, b, s), _plain_change(m, b))
        for m in metrics
    ]
    # one size for every tile, the largest at which each figure fits on one line
    widest = max(stringWidth(plain, s.tile_value.fontName, 1) for _, plain in bigs)
    big_style = copy.copy(s.tile_value)
    big_style.fontSize = max(TILE_MIN, min(s.tile_value.fontSize, (col - 15) / widest))
    big_style.leading = big_style.fontSize * 1.15
    for m, (big, _) in zip(metrics, bigs, strict=True):
        parts: list[Flowable] = [para(big, big_style, s), para(text(m.label), s.tile_label, s)]
        if m.value is not None and m.change is not None:
            parts.append(para(_change_markup(m, b, s, _change_vs(b, w)), s.small, s))
        elif m.value is None:
            parts.append(para(text(_vs(b, w)), s.small, s))
        cells.append(parts)
    t = Table([cells], colWidths=[col] * len(cells))
    t.setStyle(
        table_style(
            s.fonts,
            [
                ("LINEBEFORE", (0, 0), (-1, -1), 2.5, ACCENT),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ],
        )
    )
    return t


def _plain_value(m: Metric, b: Briefing) -> str:
    assert m.value is not None
    return numbers.value(m, m.value, b.currency, b.language)


def _plain_change(m: Metric, b: Briefing) -> str:
    assert m.change is not None
    return f"{numbers.change_mark(m.change)} {numbers.change_words(m.change, b.language)}"


def _vs(b: Briefing, w: Words) -> str:
    return w.vs_previous if b.comparison == "previous_period" else w.vs_last_year


def _change_vs(b: Briefing, w: Words) -> str:
    if b.comparison == "previous_period":
        return w.change_vs_previous
    return w.change_vs_last_year


def _summary(b: Briefing, s: Styles, w: Words, width: float) -> Table:
    last = w.previous_period if b.comparison == "previous_period" else w.last_year
    change = w.change_previous if b.comparison == "previous_period" else w.change
    # a column nobody published (Karamay gave no last-year figures) is left out, not dashed
    columns = [
        (title, get)
        for title, get, shown in (
            (w.this_period, attrgetter("value"), any(m.value is not None for m in b.metrics)),
            (last, attrgetter("previous"), any(m.previous is not None for m in b.metrics)),
            (change, attrgetter("change"), any(m.change is not None for m in b.metrics)),
        )
        if shown
    ]
    rows: list[list[Flowable]] = [
        [para(text(w.indicator), s.cell_head, s)]
        + [para(text(title), s.cell_head_num, s) for title, _ in columns]
    ]
    missing = derived = False
    for m in b.metrics:
        cells = [para(text(m.label), s.cell, s)]
        for _, get in columns:
            v = get(m)
            missing |= v is None
            if v is None:
                cells.append(para("—", s.cell_num, s))
            elif isinstance(v, Change):
                derived |= v.derived
                cells.append(para(_change_markup(m, b, s), s.cell_num, s))
            else:
                cells.append(para(text(numbers.value(m, v, b.currency, b.language)), s.cell_num, s))
        rows.append(cells)
    num_w = 100.0
    widths = [width - len(columns) * num_w] + [num_w] * len(columns)
    t = Table(rows, colWidths=widths, repeatRows=0)
    t.setStyle(
        table_style(
            s.fonts,
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
                ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
                ("BACKGROUND", (0, 0), (-1, 0), TINT),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ],
        )
    )
    items: list[Flowable] = [para(text(w.summary), s.heading, s), t]
    notes = []
    if missing:
        notes.append(f"— {w.not_published}")
    if derived:
        notes.append(f"* {w.computed}")
    if notes:
        items.append(Spacer(width, 3))
        items.append(para(text("   ".join(notes)), s.small, s))
    return _stack(items, width, s, pad=0)


def _charts(
    b: Briefing, s: Styles, w: Words, width: float, max_rows: int, row_pad: float
) -> Table | None:
    panels: list[list[Flowable]] = []
    has_yoy = bool(change_metrics(b))
    has_types = bool(b.fraud_types)
    gap = 18.0
    yoy_w = (width - gap) * 0.44 if has_types else width
    types_w = width - yoy_w - gap if has_yoy else width
    if has_yoy:
        title = w.previous_chart if b.comparison == "previous_period" else w.yoy_chart
        rows = yoy_rows(b, s.fonts, yoy_w * 0.42)
        panels.append(
            [
                para(text(title), s.heading, s),
                ChartFlowable(BarChart(tuple(rows), yoy_w, True, None, row_pad), s.fonts),
            ]
        )
    if has_types:
        panels.append(_types_panel(b, s, w, types_w, max_rows, row_pad))
    if not panels:
        return None
    widths = [yoy_w, types_w] if len(panels) == 2 else [width]
    return _grid(
        [[_stack(p, cw, s) for p, cw in zip(panels, widths, strict=True)]],
        [yoy_w + gap, types_w] if len(panels) == 2 else [width],
        s,
        0,
    )


def _types_panel(
    b: Briefing, s: Styles, w: Words, width: float, max_rows: int, row_pad: float
) -> list[Flowable]:
    if b.breakdown is Breakdown.LIST:
        items: list[Flowable] = [para(text(w.types_list), s.heading, s)]
        for i, t in enumerate(b.fraud_types, 1):
            p = para(text(t.label), s.bullet, s)
            p.bulletText = f"{i}."
            items.append(p)
        items.append(para(text(w.types_list_caption), s.small, s))
        return items
    title = w.types_chart_cases if b.breakdown is Breakdown.CASES else w.types_chart_losses
    rows = type_rows(b, s.fonts, width * 0.38, max_rows)
    last = w.previous_period if b.comparison == "previous_period" else w.last_year_legend
    legend = (w.this_period_legend, last) if any(r.previous is not None for r in rows) else None
    chart = BarChart(tuple(rows), width, False, legend, row_pad)
    return [para(text(title), s.heading, s), ChartFlowable(chart, s.fonts)]


def _footer(b: Briefing, s: Styles, w: Words, width: float) -> tuple[Flowable, ...]:
    left = text(w.source.format(source=b.source)) if b.source else ""
    right = text(f"{w.generated_by.format(version=__version__)} · {w.page}")
    if b.marking:
        right = f"<b>{text(b.marking)}</b> · {right}"
    t = Table(
        [[para(left, s.small, s), para(right, s.small_right, s)]],
        colWidths=[width * 0.62, width * 0.38],
    )
    t.setStyle(
        table_style(
            s.fonts,
            [
                ("LINEABOVE", (0, 0), (-1, 0), 0.5, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("ALIGN", (2, 0), (2, 0), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ],
        )
    )
    return (t,)


__all__ = ["MARGIN", "PAPERS", "PageLayout", "lay_out"]
