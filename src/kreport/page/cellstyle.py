"""A table style whose cell commands all cover every cell -> one cell style the cells share.

reportlab's ``Table.setStyle`` sets each cell command on each cell's own style, one after
another; a page has some thirty tables, and nearly all of their cell commands (font, paddings,
vertical alignment) cover the whole table. Such commands give every cell the same style, so
it is made once for those commands (on a one-cell table, by reportlab) and shared; the
table's other commands (lines, backgrounds, spans) are set as reportlab sets them. A table
only reads its cells' styles after ``setStyle``; a table whose cells share a style is given
styles of their own again before any later command could change one (``MemoTable``).
"""

from __future__ import annotations

import functools
from typing import Any

from reportlab.platypus import TableStyle
from reportlab.platypus.tables import LINECOMMANDS, CellStyle, _setCellStyle

_NOT_CELL = frozenset({"BACKGROUND", "ROWBACKGROUNDS", "COLBACKGROUNDS", "SPAN", "NOSPLIT"})
_NOT_CELL |= {"ROUNDEDCORNERS", *LINECOMMANDS}
_WHOLE = ((0, 0), (-1, -1))
DEFAULT = CellStyle("default")
"""reportlab's default cell style, which the cells of a table not yet styled share; never
changed (a cell gets a style of its own, ``own``, before a command is set on it)."""


def is_cell_command(cmd: Any) -> bool:
    """A command reportlab sets on cells' styles (as ``Table._addCommand`` tells them)."""
    return cmd[0] not in _NOT_CELL


def split(style: TableStyle) -> tuple[CellStyle, TableStyle] | None:
    """The cell style ``style``'s cell commands give every cell, and a style of its other
    commands; None when a cell command covers less than the whole table (or none is given)."""
    commands = style.getCommands()
    cells = [c for c in commands if is_cell_command(c)]
    if not cells or any(tuple(c[1:3]) != _WHOLE for c in cells):
        return None
    # the values' types too: 0 and 0.0 are equal, but a cell's padding keeps its own
    key = tuple((tuple(c), tuple(type(v) for v in c)) for c in cells)
    try:
        shared = _shared(key)
    except TypeError:  # a value that cannot be hashed
        return None
    rest = TableStyle([c for c in commands if not is_cell_command(c)])
    rest._opts = style._opts
    for a in ("spaceBefore", "spaceAfter"):
        if hasattr(style, a):
            setattr(rest, a, getattr(style, a))
    return shared, rest


def own(cell: CellStyle) -> CellStyle:
    """A style of its own for a cell, equal to ``cell``."""
    mine = CellStyle(cell.name)
    mine.__dict__.update(cell.__dict__)
    return mine


@functools.lru_cache(maxsize=256)
def _shared(key: tuple[tuple[tuple[Any, ...], tuple[type, ...]], ...]) -> CellStyle:
    # what a one-cell table's setStyle makes of these commands, each covering the table: its
    # cell's style, named as Table names it, set command by command by reportlab's own
    # _setCellStyle (as _addCommand sets a cell command), without making the table
    cell = CellStyle(repr((0, 0)))
    cells = [[cell]]
    for command, _ in key:
        _setCellStyle(cells, 0, 0, command[0], command[3:])
    return cell


__all__ = ["DEFAULT", "is_cell_command", "own", "split"]
