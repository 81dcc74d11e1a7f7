"""What every block of the page is made from: the ``Plan`` (the knobs the fitting in
``layout.py`` turns), the ``Page`` (briefing, styles, words, width, plan), the borderless tables
blocks are stacked in, and a change as the page draws it everywhere (``change_mark``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable, Table, TableStyle
from reportlab.platypus.tables import CellStyle

from ..model import Briefing, Metric
from . import spoken, tags
from .barchart import LABEL_SIZE
from .figures import change_words
from .marks import ChangeText
from .palette import MUTED, judgement
from .precision import Figures
from .styles import Styles
from .tables import MemoTable
from .words import Words

MAX_TYPE_ROWS = 10  # the fraud-type chart's rows before the page has to give way
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
    cell = _grid_cell(s.fonts.regular.name, pad)
    return MemoTable(rows, colWidths=widths, cellStyles=[[cell] * len(widths) for _ in rows])


def grid_style(font: str, pad: float) -> TableStyle:
    """What every cell of a ``grid`` is set with."""
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), font),  # as table_style: never reportlab's Helvetica
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )


@functools.lru_cache(maxsize=64, typed=True)
def _grid_cell(font: str, pad: float) -> CellStyle:
    """The cell style ``grid_style`` gives every cell, made once for each font and padding and
    shared by the cells of every grid: a table only reads its cells' styles (only ``setStyle``
    changes them, and no grid is given more style), and a page has some twenty grids whose
    cells would each be set command by command."""
    t = Table([[""]], colWidths=[1])
    t.setStyle(grid_style(font, pad))
    cell: CellStyle = t._cellStyles[0][0]
    return cell


def change_mark(
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


__all__ = ["CHART_GAP", "GAP", "MAX_TYPE_ROWS", "Block", "Page", "Plan", "change_mark", "grid"]
__all__ += ["stack"]
