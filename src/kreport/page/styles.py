"""The page's typography, colours and the small flowables it is built from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, TableStyle
from reportlab.platypus.paragraph import cleanBlockQuotedText

from ..fonts import FAKE_BOLD_STROKE, FontSet
from . import palette
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


def make_styles(fonts: FontSet, scale: float = 1.0, spacing: float = 1.0) -> Styles:
    """The page's styles at ``scale`` times the base sizes (body text 8.5 pt at scale 1), the
    lines of bulleted and numbered items ``spacing`` times their usual distance apart."""
    reg, bold = fonts.regular.name, fonts.bold.name

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
        ps = ParagraphStyle(
            name,
            fontName=bold if strong else reg,
            fontSize=size,
            leading=size * lead,
            textColor=colour,
            alignment=align,
            wordWrap="CJK" if fonts.fake_bold else None,
            **kw,
        )
        ps.strong = strong  # read by para(): stroke the text when the face has no bold
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
    )


class StyledParagraph(Tagged, Paragraph):  # type: ignore[misc]
    """A Paragraph that gives weight to bold text set in a font with no bold face.

    Tagged as ``P``, or as its style's role (``H1`` for the title), unless layout tags it."""

    def __init__(
        self,
        markup: str,
        style: ParagraphStyle,
        fake_bold: bool = False,
        plain: str | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(markup, style, **kw)
        self.fake_bold = fake_bold
        self.plain = plain
        self._broken_for: float | None = None

    def default_tag(self) -> Tag:
        return Tag(STYLE_ROLES.get(self.style.name, "P"))

    def has_content(self) -> bool:
        return bool(self.getPlainText().strip() or self.bulletText)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # reportlab's CJK breaker lets "，" start a line; plain CJK text is broken by our own
        # rules (wrap.py) instead and handed to reportlab as explicit lines.
        if self.plain is not None and self._broken_for != available_width:
            st = self.style
            width = available_width - st.leftIndent - st.rightIndent
            lines = wrap(self.plain, width, st.fontName, st.fontSize)
            markup = "<br/>".join(escape(line) for line in lines)
            # a fresh paragraph whose text stays one line is already what this would parse
            if self._broken_for is not None or cleanBlockQuotedText(markup) != self.text:
                Paragraph.__init__(self, markup, st, bulletText=self.bulletText)
            self._broken_for = available_width
        return cast(tuple[float, float], super().wrap(available_width, available_height))

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
    )
