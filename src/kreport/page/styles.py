"""The page's typography: a scale and line spacing -> its paragraph styles (``make_styles``),
its colours, and the paragraph flowable data text is set in (``StyledParagraph``, ``para``).

Parsed markup is kept by ``parsed.py``; tables that keep their measurement are ``tables.py``'s."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, cast

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, TableStyle
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaFrag

from ..fonts import FAKE_BOLD_STROKE, FontSet
from . import breaks, checked, palette
from .drawtext import covered, draw_simple
from .markup import escape, unescape
from .oneline import wrap_one_line
from .parsed import SHARED, Parsed
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


def text(value: str) -> str:
    """Data text made safe for a Paragraph: markup, entities and tags print literally."""
    return escape(value)


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
        # ``para()`` makes most paragraphs without calling this: an attribute set here must be
        # set there too, in the same order (its both-ways tests compare the two)
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
        frags = getattr(self, "frags", None)
        if checked.SHORTCUTS and frags and type(frags[0]) is ParaFrag:
            # getPlainText's text without asking whether the fragments are already words (a
            # fragment cannot be indexed: the question raises and is caught, for each of the
            # page's paragraphs)
            plain = "".join([f.text for f in frags if hasattr(f, "text")])
            return bool(plain.strip() or self.bulletText)
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
            return self._wrap_lines(available_width, available_height)
        before = dict(self.__dict__)
        size = self._wrap_lines(available_width, available_height)
        if k is not None:
            now = self.__dict__
            state = {n: v for n, v in now.items() if before.get(n, _UNSET) is not v}
            state.update((n, now[n]) for n in _WRAP_SETS if n in now)
            breaks.SHARED.put(k, (size, state))
            self._shared = True
        return size

    def _wrap_lines(self, available_width: float, available_height: float) -> tuple[float, float]:
        """reportlab's wrap; a simple paragraph on one line without its set-up (``oneline.py``)."""
        size = wrap_one_line(self, available_width)
        if size is None:
            size = cast(tuple[float, float], super().wrap(available_width, available_height))
        return size

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        # Flowable.drawOn saves the graphics state, moves the origin and restores the state;
        # around a simple paragraph (which restores its fill colour itself) the state differs
        # in nothing but the origin, which nothing inside reads: the operators alone will do
        simple = None if _sW or self.fake_bold or self.debug else covered(self, canvas)
        if simple is None or getattr(self, "_showBoundary", None):
            super().drawOn(canvas, x, y, _sW)
            return
        code = canvas._code
        code.append("q")
        code.append(f"{fp_str(1, 0, 0, 1, x, y)} cm")
        # Flowable._drawOn, draw and drawPara in one step: no canv is left on the paragraph
        self._draw_tagged(canvas, lambda c: draw_simple(self, c, simple), quiet=2)
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
    fake_bold = cjk and getattr(style, "strong", False)
    plain = unescape(markup) if cjk and "<" not in markup else None
    if not checked.SHORTCUTS:
        return StyledParagraph(
            markup, style, fake_bold=fake_bold, plain=plain, parsed=styles.parsed
        )
    # StyledParagraph(…) in one step: what its __init__ and Paragraph.__init__ set, in their
    # order (a page makes some hundred and fifty paragraphs, several times over)
    p: StyledParagraph = _new_paragraph(StyledParagraph)
    p._parsed = styles.parsed
    p.caseSensitive = 1
    p.encoding = "utf8"
    p._setup(markup, style, getattr(style, "bulletText", None), None, cleanBlockQuotedText)
    p.fake_bold = fake_bold
    p.plain = plain
    p._broken_for = None
    p._wrapped = None
    p._shared = False
    return p


_new_paragraph = object.__new__
