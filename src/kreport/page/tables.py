"""Tables that keep their measurement: cell rows -> a reportlab ``Table`` asked its size once
per room, whose cells of one paragraph are drawn from that paragraph's kept wrap."""

from __future__ import annotations

from typing import Any, cast

from reportlab import rl_config
from reportlab.platypus import Flowable, Table, TableStyle
from reportlab.platypus.tables import _calc_pc, _ExpandedCellTuple

from . import cellstyle, checked
from .styles import StyledParagraph

_JUSTIFIED = ("LEFT", "RIGHT", "CENTRE", "CENTER")


_STYLE_SPACES = (
    StyledParagraph.getSpaceBefore is Flowable.getSpaceBefore
    and StyledParagraph.getSpaceAfter is Flowable.getSpaceAfter
    and not any(hasattr(StyledParagraph, n) for n in ("spaceBefore", "spaceAfter", "__getattr__"))
)
"""Whether a paragraph's spaces are its own attributes if it has them, else its style's, as
``Flowable.getSpaceBefore`` and ``getSpaceAfter`` look them up."""


def _spaces(p: StyledParagraph) -> tuple[float, float]:
    """``(p.getSpaceBefore(), p.getSpaceAfter())``: the style's, for a paragraph with none of
    its own, without first failing to find them on the paragraph (most of what they cost)."""
    own = p.__dict__
    if not _STYLE_SPACES or "spaceBefore" in own or "spaceAfter" in own or "style" not in own:
        return p.getSpaceBefore(), p.getSpaceAfter()
    style = own["style"]
    return getattr(style, "spaceBefore", 0), getattr(style, "spaceAfter", 0)


def _bounds_errors() -> int:
    """What reportlab does with a cell too wide (bit 0 set: ignore it, unless bit 2: warn)."""
    return int(rl_config.allowTableBoundsErrors)


class MemoTable(Table):  # type: ignore[misc]
    """A Table that, asked its size again for the same room, answers without measuring again.

    Platypus asks often: the layout measures each block, the frame asks again before drawing,
    and a table drawing a cell that holds a table asks that one again, and so on down. The
    answer is reportlab's own, kept: the cells hold the state the same measurement left them in.
    The height offered matters to reportlab only for a cell spanning rows (it stops measuring
    rows beyond it), so then it is part of the question too; the width offered only for columns
    given as shares of it (``_fixed_widths``).
    """

    _kept: tuple[float, float, tuple[float, float]] | None = None
    _shared_cells = False  # its cells may share one style object (``cellstyle.py``)
    _pristine = False  # its cells share reportlab's default style, as yet unchanged

    def __init__(self, *args: Any, **kw: Any) -> None:
        self._shared_cells = kw.get("cellStyles") is not None  # as a grid's do
        data = args[0] if args else kw.get("data")
        if not self._shared_cells and isinstance(data, list | tuple) and data:
            # one default style for every cell until a command sets them, not one made for
            # each cell that a style covering the whole table would replace at once
            ncols = max(len(r) if isinstance(r, list | tuple) else 1 for r in data)
            kw["cellStyles"] = [[cellstyle.DEFAULT] * ncols for _ in data]
            self._pristine = True
        super().__init__(*args, **kw)

    def setStyle(self, tblstyle: Any) -> None:
        style = tblstyle if isinstance(tblstyle, TableStyle) else TableStyle(tblstyle)
        whole = cellstyle.split(style) if self._pristine else None
        if whole is not None:  # every cell alike: one style, made once for these commands
            shared, style = whole
            self._cellStyles = [[shared] * self._ncols for _ in range(self._nrows)]
            self._shared_cells, self._pristine = True, False
        elif (self._shared_cells or self._pristine) and any(
            map(cellstyle.is_cell_command, style.getCommands())
        ):
            self._cellStyles = [[cellstyle.own(c) for c in row] for row in self._cellStyles]
            self._shared_cells = self._pristine = False  # each cell its own, before it changes
        super().setStyle(style)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        kept = self._kept
        if (
            kept is not None
            and (kept[0] == available_width or self._fixed_widths())
            and (kept[1] == available_height or not self._row_spans())
        ):
            return kept[2]
        size = cast(tuple[float, float], super().wrap(available_width, available_height))
        self._kept = (available_width, available_height, size)
        return size

    def _fixed_widths(self) -> bool:
        """Whether the room offered plays no part in the table's size: every column's width is
        a number (as given, or as reportlab worked out a column left to it, once). reportlab
        then sets the columns, and so wraps the cells, at those widths whatever the room. (The
        frame offers the page's width as (x + w) - x, which can differ from the width the layout
        measured in the last bit.) A share of the room ("*", "40%") depends on the room."""
        return all(type(w) is float or type(w) is int for w in self._argW)

    def _row_spans(self) -> bool:
        spans = getattr(self, "_spanRanges", {})  # (col, row) -> (x0, y0, x1, y1), or None
        return any(r is not None and r[1] != r[3] for r in spans.values())

    def _calc_height(
        self, availHeight: float, availWidth: float, H: Any = None, W: Any = None
    ) -> None:
        """``Table._calc_height`` for a table of our own (no spans, no row heights given, every
        column's width known, measured before it is drawn): each row's cells measured as
        reportlab measures them, term for term, without what only spans, given heights, a
        canvas or a column left to its contents ask of each cell. Any other table, or a cell
        reportlab would complain of, is reportlab's (from the start: what a row measured so
        far is kept by its cells, and processing a cell twice leaves it as once)."""
        argH = self._argH
        if not W:
            W = _calc_pc(self._argW, availWidth)
        if (
            not checked.SHORTCUTS
            or self._spanCmds
            or self._minRowHeights
            or getattr(self, "canv", None)
            or not all(W)
            or any(h is not None for h in argH)
        ):
            super()._calc_height(availHeight, availWidth, H, W)
            return
        H = argH[:]
        self._rowHeights = H
        values, styles = self._cellvalues, self._cellStyles
        for i, (V, S) in enumerate(zip(values, styles, strict=True)):
            h = 0
            for j, (v, s, w) in enumerate(zip(V, S, W, strict=False)):  # as reportlab zips
                if isinstance(v, tuple | list | Flowable):
                    if type(v) is not _ExpandedCellTuple:  # else processing returns it as is
                        v = V[j] = self._cellListProcess(v, w, None)
                    if len(v) == 1:  # _listCellGeom of one flowable, term for term
                        f = v[0]
                        aW = w - s.leftPadding - s.rightPadding
                        if aW < 0:  # reportlab's to judge
                            super()._calc_height(availHeight, availWidth, None, W)
                            return
                        vw, vh = f.wrapOn(None, aW, 72000 - s.topPadding - s.bottomPadding)
                        sb, sa = f.getSpaceBefore(), f.getSpaceAfter()
                        dW, t = max(0, vw), 0 + (vh + sa + sb) - sb - sa
                    else:
                        dW, t = self._listCellGeom(v, w, s)
                    if dW + s.leftPadding + s.rightPadding > w and _bounds_errors() & 5 != 1:
                        # too wide: reportlab's to raise or warn, unless set to ignore it
                        super()._calc_height(availHeight, availWidth, None, W)
                        return
                else:
                    lines = ((v is not None and str(v)) or "").split("\n")
                    t = (s.leading or 1.2 * s.fontsize) * len(lines)
                t += s.bottomPadding + s.topPadding
                if t > h:
                    h = t
            H[i] = h
        # the row positions, as Table._calc_height adds them up (compensated, bottom up)
        positions: list[float] = []
        height = c = 0
        for h in reversed(H):
            positions.append(height)
            y = h - c
            t = height + y
            c = (t - height) - y
            height = t
        positions.append(height)
        positions.reverse()
        self._rowpositions = positions
        self._height = height
        self._hmax = len(H)

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:
        """``Table._drawCell`` for a cell of one paragraph already wrapped to the cell's width
        (most cells): the same position, from the same arithmetic, without wrapping it again
        or asking its spaces five times. Any other cell is reportlab's."""
        v = cellval[0] if type(cellval) is _ExpandedCellTuple and len(cellval) == 1 else None
        s = cellstyle
        if type(v) is not StyledParagraph or s.href or s.destination or not checked.SHORTCUTS:
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        colpos, rowpos = pos
        colwidth, rowheight = size
        wrapped = v._wrapped
        just = s.alignment
        if (
            wrapped is None
            or wrapped[0] != colwidth - s.leftPadding - s.rightPadding  # _listCellGeom's aW
            or wrapped[0] < 0
            or just not in _JUSTIFIED
        ):
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        cur: Any = self.__dict__.get("_curcellstyle")
        if cur is not s:  # as Table._drawCell
            if cur is None or s.color != cur.color:
                self.canv.setFillColor(s.color)
            if (
                cur is None
                or s.leading != cur.leading
                or s.fontname != cur.fontname
                or s.fontsize != cur.fontsize
            ):
                self.canv.setFont(s.fontname, s.fontsize, s.leading)
            self._curcellstyle = s
        v.__dict__.pop("canv", None)  # as wrapOn leaves it
        vw, vh = wrapped[1]
        sb, sa = _spaces(v)
        h = 0 + (vh + sa + sb) - sb - sa  # _listCellGeom's height, term for term
        valign = s.valign
        if valign == "TOP":
            y = rowpos + rowheight - s.topPadding
        elif valign == "BOTTOM":
            y = rowpos + s.bottomPadding + h
        else:
            y = rowpos + (rowheight + s.bottomPadding - s.topPadding + h) / 2.0
        y += sb
        if just == "LEFT":
            x = colpos + s.leftPadding
        elif just == "RIGHT":
            x = colpos + colwidth - s.rightPadding - vw
        else:
            x = colpos + (colwidth + s.leftPadding - s.rightPadding - vw) / 2.0
        y -= sb
        y -= vh
        v.drawOn(self.canv, x, y)
