"""The key figures: up to four tiles of equal width under the header, each a figure (or, with no
figure, its change) on one line at a size all tiles share, its label, and its change.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from ..fonts import FAKE_BOLD_STROKE
from ..model import Briefing, Metric
from . import spoken, tags
from .figures import change_words
from .marks import ChangeText, Direction, TileFigure
from .markup import escape
from .palette import ACCENT as ACCENT_HEX
from .palette import judgement
from .plan import Page, change_mark
from .styles import ACCENT, para, table_style, text
from .tables import MemoTable
from .wrap import wrap_balanced

MAX_TILES = 4
TILE_LABEL_LINES = 2  # a longer label is shortened at a word; the table has it in full


def headline_metrics(b: Briefing) -> list[Metric]:
    return ([m for m in b.metrics if m.headline] or list(b.metrics))[:MAX_TILES]


def tiles(p: Page) -> Flowable | None:
    """Up to four key figures of equal width, every figure on one line at one shared size."""
    b, s = p.b, p.s
    metrics = headline_metrics(b)
    if not metrics:
        return None
    col = p.width / len(metrics)
    left, right = 8 * p.plan.scale, 6 * p.plan.scale  # a tile's padding
    cell_w = col - left - right
    inner = cell_w - 6  # clear of the next tile's rule
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
    changes: list[ChangeText] = []
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
            mark = change_mark(m, p, s.body.fontSize, s.body.fontName, _change_vs(p))
            changes.append(mark)
            parts.append(mark)
        elif m.value is None and not leading_vs:
            parts.append(para(text(_vs(p)), s.small, s))
        cells.append(parts)
    # the tiles' changes alike: on two lines each when one does not fit on one
    if not all(c.fits_one_line(cell_w) for c in changes):
        for c in changes:
            c.two_lines = True
    t = tags.cells_as_list(MemoTable([cells], colWidths=[col] * len(cells)), "key figures")
    t.setStyle(
        table_style(
            s.fonts,
            [
                ("LINEBEFORE", (0, 0), (-1, -1), 2.5, ACCENT),
                ("LEFTPADDING", (0, 0), (-1, -1), left),
                ("RIGHTPADDING", (0, 0), (-1, -1), right),
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


def _vs(p: Page) -> str:
    return p.w.vs_previous if p.b.comparison == "previous_period" else p.w.vs_last_year


def _change_vs(p: Page) -> str:
    """The pattern of a tile's change line: "{change} on last year", "{change} 同比"."""
    w = p.w
    return w.change_vs_previous if p.b.comparison == "previous_period" else w.change_vs_last_year


__all__ = ["MAX_TILES", "headline_metrics", "tiles"]
