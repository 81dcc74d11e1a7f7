"""The page's typography, colours and the small flowables it is built from."""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass, field
from typing import Any, cast

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Table, TableStyle
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaFrag
from reportlab.platypus.tables import _ExpandedCellTuple

from ..fonts import FAKE_BOLD_STROKE, FontSet
from . import breaks, cellstyle, palette
from .drawtext import covered, draw_simple
from .markup import escape, unescape
from .tags import STYLE_ROLES, Tag, Tagged
from .wrap import wrap

ACCENT = colors.HexColor(palette.ACCENT)  # deep navy: headings and rules; prints dark grey
RULE = colors.HexColor("#C8CED6")
TINT = colors.HexColor("#F2F4F7")
INK_C = colors.HexColor(palette.INK)
MUTED_C = colors.HexColor(palette.MUTED)

BODY_SIZE = 8.5  # points, at scale 1: body, table and list text
SMALL_FLOOR = 6.5
"""Small print never shrinks below this size (points), whatever the page's scale."""


def table_style(fonts: FontSet, commands: list[tuple[Any, ...]]) -> TableStyle:
    """A TableStyle whose cells use the page's font, never reportlab's unembedded Helvetica."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.regular.name), *commands])


_JUSTIFIED = ("LEFT", "RIGHT", "CENTRE", "CENTER")


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

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:
        """``Table._drawCell`` for a cell of one paragraph already wrapped to the cell's width
        (most cells): the same position, from the same arithmetic, without wrapping it again
        or asking its spaces five times. Any other cell is reportlab's."""
        v = cellval[0] if type(cellval) is _ExpandedCellTuple and len(cellval) == 1 else None
        s = cellstyle
        if type(v) is not StyledParagraph or s.href or s.destination:
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
        sb, sa = v.getSpaceBefore(), v.getSpaceAfter()
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


def text(value: str) -> str:
    """Data text made safe for a Paragraph: markup, entities and tags print literally."""
    return escape(value)


class Parsed:
    """Paragraph markup already parsed, for more paragraphs of the same text and style.

    Parsing (reportlab's ``ParaParser``, built on ``html.parser``) costs more than breaking the
    lines, and a layout sets the same texts several times, at several sizes, while it looks for
    the size that fills the page. A paragraph's fragments hold the text, font and colour of its
    style and its size; for markup of plain text, bold and line breaks only, the fragments at
    another size are the same with that size, so one parse serves every size.
    """

    _SIMPLE = re.compile(r"[^<]*(?:(?:<b>|</b>|<br/>)[^<]*)*")

    def __init__(self, limit: int = 0) -> None:
        self._frags: dict[tuple[Any, ...], tuple[str, float, list[ParaFrag]]] = {}
        self._limit = limit  # with a limit, the oldest parse goes first when it is reached
        self._lock = threading.Lock()
        # for each style (by ``_parse_part``), the fragment reportlab made of a plain text in it
        self._plain: dict[breaks.HashedOnce, ParaFrag] = {}

    def key(self, markup: str, style: ParagraphStyle) -> tuple[Any, ...] | None:
        if "<" in markup and not self._SIMPLE.fullmatch(markup):
            return None
        return (markup, _parse_part(style))

    def get(self, key: tuple[Any, ...], size: float) -> tuple[str, list[ParaFrag]] | None:
        found = self._frags.get(key)
        if found is None:
            return None
        text, parsed_size, frags = found
        if size == parsed_size:
            return text, [_clone(f) for f in frags]
        return text, [_clone(f, fontSize=size) for f in frags]

    def put(self, key: tuple[Any, ...], text: str, size: float, frags: list[ParaFrag]) -> None:
        # only fragments that all took the style's size (no <font size> crept in)
        if all(f.fontSize == size for f in frags):
            kept = (text, size, [_clone(f) for f in frags])
            with self._lock:  # layouts in threads share one
                if self._limit and len(self._frags) >= self._limit:
                    del self._frags[next(iter(self._frags))]
                self._frags[key] = kept
            if (
                len(frags) == 1
                and _is_plain(key[0])
                and frags[0].text == text
                and frags[0].__tag__ == "para"
            ):
                # styles are few (the page's in two font sets): no bound needed but a guard
                if len(self._plain) >= 256:
                    self._plain.clear()
                self._plain[key[1]] = kept[2][0]

    def plain(
        self, key: tuple[Any, ...], style: ParagraphStyle
    ) -> tuple[str, list[ParaFrag]] | None:
        """What reportlab's parser makes of markup of plain text and line breaks only (a
        figure, a label, explicit lines), from what it made of a plain text in a style alike.

        The parser wraps the markup in ``<para>``; each run of text between tags (whitespace
        collapsed, no entity in it) reaches ``handle_data`` in one piece and becomes a copy of
        the style's fragment holding that text; each ``<br/>`` a copy marked as a line break,
        holding no text. An empty run makes nothing."""
        template = self._plain.get(key[1])
        markup = key[0]
        if template is None or "&" in markup or style.textTransform is not None:
            return None
        text = cleanBlockQuotedText(markup)
        runs = text.split("<br/>") if "<" in text else [text]
        if any("<" in run for run in runs):
            return None
        size = style.fontSize
        frags = []
        for i, run in enumerate(runs):
            if i:
                frags.append(_line_break(template, size))
            if run:
                frags.append(_clone(template, fontSize=size, text=run))
        return text, frags


def _is_plain(markup: str) -> bool:
    return "<" not in markup and "&" not in markup


def _line_break(template: ParaFrag, size: float) -> ParaFrag:
    """The fragment ``<br/>`` makes: the style's, marked as a line break, with no text (in
    the order the parser sets them)."""
    attrs = {k: v for k, v in template.__dict__.items() if k != "text"}
    attrs.update(fontSize=size, __tag__="br", lineBreak=True, text="")
    frag = ParaFrag.__new__(ParaFrag)
    frag.__dict__ = attrs
    return frag


def _clone(frag: ParaFrag, **changed: Any) -> ParaFrag:
    """``frag.clone(**changed)``: the same attributes, in the same order, in one step."""
    copy = ParaFrag.__new__(ParaFrag)
    attrs = frag.__dict__.copy()
    if changed:
        attrs.update(changed)
    copy.__dict__ = attrs
    return copy


_PARSE_PART = breaks.OWN + "parse_part"


def _parse_part(style: ParagraphStyle) -> breaks.HashedOnce:
    """What of ``style`` a parse's fragments hold besides its size (its name, font, colour and
    text transform), kept on the style and hashed once: a colour hashes in Python."""
    found = style.__dict__.get(_PARSE_PART)
    if found is None or found[0] != id(style):  # not one a parent style passed on
        part = (style.name, style.fontName, style.textColor, style.textTransform)
        found = (id(style), breaks.HashedOnce(part))
        style.__dict__[_PARSE_PART] = found
    return cast(breaks.HashedOnce, found[1])


SHARED = Parsed(limit=1024)
"""The parses every layout of this process shares: the page's fixed words (headings, column
heads, notes) and a batch's recurring labels are parsed once, not once per briefing. The key
names everything of a style that its fragments hold (styles come from ``make_styles`` alone,
whose fonts name their bold face), so a parse serves any layout; a few thousand kept parses
are a few megabytes at most, however long a batch runs."""


@dataclass(frozen=True, slots=True)
class Styles:
    fonts: FontSet
    agency: ParagraphStyle
    title: ParagraphStyle
    period: ParagraphStyle
    issued: ParagraphStyle
    marking: ParagraphStyle
    heading: ParagraphStyle
    caption: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle
    cell_num: ParagraphStyle
    cell_head: ParagraphStyle
    cell_head_num: ParagraphStyle
    tile_value: ParagraphStyle
    tile_label: ParagraphStyle
    small: ParagraphStyle
    small_right: ParagraphStyle
    bullet: ParagraphStyle
    parsed: Parsed = field(default_factory=Parsed)


def _new_style(name: str, **kw: Any) -> ParagraphStyle:
    """``ParagraphStyle(name, **kw)`` with no parent: its attributes set at once, in the order
    ``PropertySet.__init__`` sets them (name, parent, the class defaults, then ``kw``)."""
    style: ParagraphStyle = ParagraphStyle.__new__(ParagraphStyle)
    attrs = style.__dict__
    attrs["name"], attrs["parent"] = name, None
    attrs.update(ParagraphStyle.defaults)
    attrs.update(kw)
    return style


def make_styles(
    fonts: FontSet, scale: float = 1.0, spacing: float = 1.0, parsed: Parsed | None = None
) -> Styles:
    """The page's styles at ``scale`` times the base sizes (body text 8.5 pt at scale 1), the
    lines of bulleted and numbered items ``spacing`` times their usual distance apart; their
    paragraphs share ``parsed`` markup with other styles of the same layout.

    The last few are kept for the process: every layout measures scale 1 and the largest
    scale, and their styles then keep their keys (``breaks.name_style``) and their parses'
    keys, made once. Styles are never changed once made."""
    return _made(fonts, scale, spacing, parsed or SHARED)


@functools.lru_cache(maxsize=16, typed=True)
def _made(fonts: FontSet, scale: float, spacing: float, parsed: Parsed) -> Styles:
    reg, bold = fonts.regular.name, fonts.bold.name
    # every attribute below follows from these (and the constants of this module)
    made_from = (reg, bold, fonts.fake_bold, scale, type(scale), spacing, type(spacing))

    def style(
        name: str,
        size: float,
        *,
        strong: bool = False,
        colour: Any = INK_C,
        lead: float = 1.3,
        align: int = TA_LEFT,
        floor: float = 0.0,
        **kw: Any,
    ) -> ParagraphStyle:
        size = max(size * scale, floor)
        ps = _new_style(
            name,
            fontName=bold if strong else reg,
            bulletFontName=reg,  # reportlab's default is Helvetica, which is never embedded
            fontSize=size,
            leading=size * lead,
            textColor=colour,
            alignment=align,
            wordWrap="CJK" if fonts.fake_bold else None,
            **kw,
        )
        ps.strong = strong  # read by para(): stroke the text when the face has no bold
        breaks.name_style(ps, (name, *made_from))
        return ps

    return Styles(
        fonts=fonts,
        agency=style("agency", 9.5, strong=True, colour=ACCENT),
        title=style("title", 19, strong=True, lead=1.2),
        period=style("period", 10, colour=MUTED_C),
        issued=style("issued", 9, colour=MUTED_C, align=TA_RIGHT),
        marking=style("marking", 9, strong=True, colour=colors.white, align=TA_RIGHT),
        heading=style("heading", 10.5, strong=True, colour=ACCENT, spaceBefore=0, spaceAfter=4),
        caption=style("caption", 7.5, strong=True, colour=MUTED_C, lead=1.3),
        body=style("body", BODY_SIZE),
        cell=style("cell", BODY_SIZE, lead=1.25),
        cell_num=style("cell_num", BODY_SIZE, lead=1.25, align=TA_RIGHT),
        cell_head=style("cell_head", 7.5, strong=True, colour=MUTED_C, lead=1.2),
        cell_head_num=style(
            "cell_head_num", 7.5, strong=True, colour=MUTED_C, lead=1.2, align=TA_RIGHT
        ),
        tile_value=style("tile_value", 17, strong=True, colour=ACCENT, lead=1.15),
        tile_label=style("tile_label", 8, colour=INK_C, lead=1.25),
        small=style("small", 7, colour=MUTED_C, lead=1.3, floor=SMALL_FLOOR),
        small_right=style(
            "small_right", 7, colour=MUTED_C, lead=1.3, align=TA_RIGHT, floor=SMALL_FLOOR
        ),
        bullet=style(
            "bullet",
            BODY_SIZE,
            lead=1.35 * spacing,
            leftIndent=11 * scale,
            bulletIndent=0,
            bulletFontSize=BODY_SIZE * scale,
        ),
        parsed=parsed,
    )


_UNSET = object()
# what reportlab's Paragraph.wrap and breakLines set: kept whether or not their values changed
_WRAP_SETS = frozenset(
    {
        "width",
        "height",
        "blPara",
        "_wrapWidths",
        "frags",
        "_width_max",
        "_splitLongWordCount",
        "_hyphenations",
    }
)


_ROLE_TAGS = {role: Tag(role) for role in ("P", *STYLE_ROLES.values())}


class StyledParagraph(Tagged, Paragraph):  # type: ignore[misc]
    """A Paragraph that gives weight to bold text set in a font with no bold face.

    Tagged as ``P``, or as its style's role (``H1`` for the title), unless layout tags it."""

    text: str
    frags: list[Any]
    style: ParagraphStyle
    _own_lines = False  # set up with explicit lines of its own (not kept for other paragraphs)

    def __init__(
        self,
        markup: str,
        style: ParagraphStyle,
        fake_bold: bool = False,
        plain: str | None = None,
        parsed: Parsed | None = None,
        **kw: Any,
    ) -> None:
        self._parsed = parsed
        super().__init__(markup, style, **kw)
        self.fake_bold = fake_bold
        self.plain = plain
        self._broken_for: float | None = None
        self._wrapped: tuple[float, tuple[float, float]] | None = None
        self._shared = False  # its lines or fragments are kept in breaks.SHARED

    def _setup(
        self, text: str, style: ParagraphStyle, bullet: Any, frags: Any, cleaner: Any
    ) -> None:
        parsed = self._parsed if frags is None else None
        key = parsed.key(text, style) if parsed is not None else None
        # lines broken for one width are this paragraph's own: made here, not kept
        keep = not self._own_lines
        found = parsed.get(key, style.fontSize) if parsed is not None and key and keep else None
        if found is None and parsed is not None and key:
            found = parsed.plain(key, style)
            if found is not None and keep:
                parsed.put(key, found[0], style.fontSize, found[1])
        if found is None:
            super()._setup(text, style, bullet, frags, cleaner)
            if parsed is not None and key and keep and self.style is style:
                parsed.put(key, self.text, style.fontSize, self.frags)
            return
        # what Paragraph._setup sets, from the fragments of an earlier parse
        self.text, self.frags = found
        self.style = style
        self.bulletText = bullet
        self.debug = 0

    def default_tag(self) -> Tag:
        return _ROLE_TAGS[STYLE_ROLES.get(self.style.name, "P")]

    def has_content(self) -> bool:
        return bool(self.getPlainText().strip() or self.bulletText)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # asked again for the same width (tables ask while measuring and again while drawing),
        # the lines are already broken: the height offered plays no part in a paragraph's size
        if self._wrapped is not None and self._wrapped[0] == available_width:
            return self._wrapped[1]
        # reportlab's CJK breaker lets "，" start a line; plain CJK text is broken by our own
        # rules (wrap.py) instead and handed to reportlab as explicit lines.
        if self.plain is not None and self._broken_for != available_width:
            st = self.style
            width = available_width - st.leftIndent - st.rightIndent
            lines = wrap(self.plain, width, st.fontName, st.fontSize)
            markup = "<br/>".join(escape(line) for line in lines)
            # a fresh paragraph whose text stays one line is already what this would parse
            if self._broken_for is not None or cleanBlockQuotedText(markup) != self.text:
                # the lines of this width are this paragraph's own: made here, not kept
                self._own_lines = True
                Paragraph.__init__(self, markup, st, bulletText=self.bulletText)
                self._own_lines = False
                self._shared = False  # fragments of its own again
            self._broken_for = available_width
        size = self._broken(available_width, available_height)
        self._wrapped = (available_width, size)
        return size

    def _broken(self, available_width: float, available_height: float) -> tuple[float, float]:
        """reportlab's wrap, or what it left on an earlier paragraph with the same key."""
        k = breaks.key(self.text, self.style, self.bulletText, available_width)
        found = breaks.SHARED.get(k) if k is not None else None
        if found is not None:
            size, state = found
            self.__dict__.update(state)
            self._shared = True
            return size
        if self._shared:  # fragments other paragraphs' kept lines hold: never broken again
            self._setup(self.text, self.style, self.bulletText, None, cleanBlockQuotedText)
        if k is not None and not breaks.SHARED.offered(k):
            # a key's first sight: only its hash is noted, so what wrapping leaves is not
            # collected (as put would have noted it; its paragraph counts as sharing, as then)
            self._shared = True
            return cast(tuple[float, float], super().wrap(available_width, available_height))
        before = dict(self.__dict__)
        size = cast(tuple[float, float], super().wrap(available_width, available_height))
        if k is not None:
            now = self.__dict__
            state = {n: v for n, v in now.items() if before.get(n, _UNSET) is not v}
            state.update((n, now[n]) for n in _WRAP_SETS if n in now)
            breaks.SHARED.put(k, (size, state))
            self._shared = True
        return size

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        # Flowable.drawOn saves the graphics state, moves the origin and restores the state;
        # around a simple paragraph (which restores its fill colour itself) the state differs
        # in nothing but the origin, which nothing inside reads: the operators alone will do
        font = None if _sW or self.fake_bold or self.debug else covered(self, canvas)
        if font is None or getattr(self, "_showBoundary", None):
            super().drawOn(canvas, x, y, _sW)
            return
        code = canvas._code
        code.append("q")
        code.append(f"{fp_str(1, 0, 0, 1, x, y)} cm")
        # Flowable._drawOn, draw and drawPara in one step: no canv is left on the paragraph
        self._draw_tagged(canvas, lambda c: draw_simple(self, c, font))
        self.__dict__.pop("canv", None)
        code.append("Q")

    def drawPara(self, debug: int = 0) -> None:
        # a simple paragraph's operators written directly, as reportlab writes them
        if debug or not draw_simple(self, self.canv):
            super().drawPara(debug)

    def draw(self) -> None:
        if not self.fake_bold:
            super().draw()
            return
        c = self.canv
        c.saveState()
        c.setStrokeColor(self.style.textColor)
        c.setLineWidth(self.style.fontSize * FAKE_BOLD_STROKE)
        # text render mode is graphics state: set once, it holds for the paragraph's text
        t = c.beginText()
        t.setTextRenderMode(2)
        c.drawText(t)
        super().draw()
        c.restoreState()


def para(markup: str, style: ParagraphStyle, styles: Styles) -> Paragraph:
    """A paragraph of ``markup`` (already escaped), stroked when its style is bold."""
    cjk = styles.fonts.fake_bold
    return StyledParagraph(
        markup,
        style,
        fake_bold=cjk and getattr(style, "strong", False),
        plain=unescape(markup) if cjk and "<" not in markup else None,
        parsed=styles.parsed,
    )
