"""The page drawn through kreport's drawing shortcuts is the page reportlab draws, byte for byte.

Drawing writes some operators directly where reportlab would go the long way round (a simple
paragraph's text, ``drawtext.py``). ``reportlab_drawing`` puts reportlab's own methods back;
every example, the gallery, the fullest pages and generated briefings are built both ways and
compared, and single paragraphs of each kind the shortcut takes (or refuses) are drawn both
ways on a bare canvas and compared operator by operator.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Table
from reportlab.platypus.paraparser import ParaFrag

import bothways
import kreport
from bothways import GALLERY_PAGES
from gallery import maximal
from kreport.errors import InputError, LayoutError
from kreport.fonts import choose
from kreport.page import drawtext, paint
from kreport.page import styles as styles_module
from kreport.page.styles import StyledParagraph, make_styles, para
from kreport.page.tables import MemoTable
from test_property import briefing


@contextmanager
def reportlab_drawing() -> Iterator[None]:
    """Every drawing shortcut off: reportlab draws all of the page, and measures its tables
    again when the frame asks."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(StyledParagraph, "drawPara", Paragraph.drawPara)
        mp.setattr(StyledParagraph, "drawOn", Flowable.drawOn)
        mp.setattr(paint, "_writes", lambda c: False)
        mp.setattr(drawtext, "draw_string", lambda c, x, y, text: c.drawString(x, y, text))
        mp.setattr(MemoTable, "wrap", Table.wrap)
        mp.setattr(MemoTable, "_drawCell", Table._drawCell)
        yield


def both_ways(source: Any, **options: Any) -> tuple[bytes, bytes]:
    return bothways.both_ways(source, reportlab_drawing, **options)


@pytest.mark.parametrize("name", kreport.example_names())
def test_each_example_is_drawn_as_reportlab_draws_it(name: str) -> None:
    shortcut, reference = both_ways(kreport.example_path(name))
    assert shortcut == reference


def test_the_shortcut_draws_most_paragraphs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparisons above compare something: most of a page's paragraphs take it."""
    taken: list[bool] = []
    real = drawtext.draw_simple

    def counted(p: Any, canv: Any, simple: Any = None) -> bool:
        taken.append(real(p, canv, simple))
        return taken[-1]

    monkeypatch.setattr(styles_module, "draw_simple", counted)
    kreport.build_bytes(kreport.example_path("karamay"))
    assert len(taken) > 20 and sum(taken) > 0.8 * len(taken)


@pytest.mark.slow
@pytest.mark.parametrize("name", kreport.example_names())
def test_every_example_edition_and_paper(name: str) -> None:
    bothways.assert_every_edition_alike(kreport.example_path(name), reportlab_drawing)


@pytest.mark.slow
@pytest.mark.parametrize("path", GALLERY_PAGES, ids=[p.stem for p in GALLERY_PAGES])
def test_every_gallery_page(path: Path) -> None:
    bothways.assert_every_edition_alike(path, reportlab_drawing)


@pytest.mark.slow
@pytest.mark.parametrize("script", ["en", "zh", "zh-Hant"])
def test_the_fullest_pages(script: str) -> None:
    for paper in ("a4", "letter"):
        for pdfa in (False, True):
            shortcut = kreport.build_bytes(maximal(script), paper=paper, pdfa=pdfa)  # type: ignore[arg-type]
            with reportlab_drawing():
                reference = kreport.build_bytes(maximal(script), paper=paper, pdfa=pdfa)  # type: ignore[arg-type]
            assert shortcut == reference, (script, paper, pdfa)


@pytest.mark.slow
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(raw=briefing(), paper=st.sampled_from(["a4", "letter"]))
def test_any_page_is_drawn_as_reportlab_draws_it(raw: dict[str, Any], paper: str) -> None:
    try:
        b = kreport.parse(raw)
        shortcut = kreport.build_bytes(b, paper=paper)  # type: ignore[arg-type]
    except (InputError, LayoutError):
        return  # characters the fonts lack; what cannot fit is the layout's tests' concern
    with reportlab_drawing():
        assert kreport.build_bytes(b, paper=paper) == shortcut  # type: ignore[arg-type]


# -- single paragraphs on a bare canvas ----------------------------------------------------------

LATIN_TEXT = "Reported (online) fraud \\ cases rose 12.5% — a <b>marked</b> rise, in the year"
CJK_TEXT = "电信网络诈骗案件冒充公检法虚假投资理财刷单返利贷款类警情，反诈中心统计数据分析。"


def _drawn(p: Paragraph, width: float, before: Any = None) -> tuple[list[str], Any, bytes]:
    """``p`` wrapped to ``width`` and drawn on a fresh canvas: its operators, the canvas's
    graphics state after them, and the file."""
    buf = io.BytesIO()
    canvas = Canvas(buf, invariant=1)
    canvas.setPageCompression(0)
    if before is not None:
        before(canvas)
    p.wrapOn(canvas, width, 1000)
    p.drawOn(canvas, 20, 500)
    p.drawOn(canvas, 20, 300)  # again: the font's subsets are the canvas's already
    code = list(canvas._code)
    state = [getattr(canvas, a) for a in Canvas.STATE_ATTRIBUTES if a != "_extgstate"]
    state += [canvas._extgstate._d, canvas.state_stack, canvas._doc._pdfVersion]
    canvas.showPage()
    canvas.save()
    return code, state, buf.getvalue()


def _both(make: Any, width: float, before: Any = None) -> tuple[Any, Any]:
    shortcut = _drawn(make(), width, before)
    with reportlab_drawing():
        reference = _drawn(make(), width, before)
    return shortcut, reference


def _style(script: str, **kw: Any) -> tuple[Any, ParagraphStyle]:
    fonts = choose("zh" if script == "zh" else "en", [])
    fonts.register()
    s = make_styles(fonts, 1.1)
    return s, ParagraphStyle("probe", parent=s.body, **kw)


@pytest.mark.parametrize("script", ["en", "zh"])
@pytest.mark.parametrize("align", [TA_LEFT, TA_RIGHT, TA_CENTER, TA_JUSTIFY])
@pytest.mark.parametrize("width", [60.0, 140.0, 600.0])
@pytest.mark.parametrize("indent", [0.0, 7.5])
def test_a_paragraph_is_drawn_as_reportlab_draws_it(
    script: str, align: int, width: float, indent: float
) -> None:
    s, style = _style(script, alignment=align, firstLineIndent=indent, leftIndent=indent / 3)
    text = CJK_TEXT if script == "zh" else LATIN_TEXT.replace("<b>", "").replace("</b>", "")
    shortcut, reference = _both(lambda: para(styles_module.text(text), style, s), width)
    assert shortcut == reference


@pytest.mark.parametrize("markup", [LATIN_TEXT, "one<br/>two<br/>three", "", "   "])
@pytest.mark.parametrize("align", [TA_LEFT, TA_RIGHT])
def test_markup_and_empty_paragraphs_are_drawn_as_reportlab_draws_them(
    markup: str, align: int
) -> None:
    s, style = _style("en", alignment=align)
    shortcut, reference = _both(lambda: para(markup, style, s), 120)
    assert shortcut == reference


@pytest.mark.parametrize("script", ["en", "zh"])
def test_bulleted_and_bold_paragraphs_are_drawn_as_reportlab_draws_them(script: str) -> None:
    s, _ = _style(script)
    text = CJK_TEXT if script == "zh" else "A point worth a list item, long enough to wrap twice"
    for style in (s.bullet, s.title, s.marking, s.small_right):

        def make(style: ParagraphStyle = style) -> Paragraph:
            return _bulleted(text, s) if style is s.bullet else para(text, style, s)

        shortcut, reference = _both(make, 150)
        assert shortcut == reference, style.name


def _bulleted(text: str, s: Any) -> Paragraph:
    p = para(text, s.bullet, s)
    p.bulletText = "•"
    return p


def test_many_characters_take_a_second_subset() -> None:
    """More than a subset's 256 codes: the run switches font subset mid-line, as reportlab's."""
    s, style = _style("zh")
    text = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 400))
    shortcut, reference = _both(lambda: para(text, style, s), 400)
    assert shortcut == reference
    assert any("+1 " in op for op in shortcut[0])  # the second subset was used


def test_a_canvas_with_another_fill_alpha_is_left_to_reportlab() -> None:
    s, style = _style("en")
    style.textColor = colors.Color(0.2, 0.3, 0.4, alpha=0.5)

    def translucent(canvas: Canvas) -> None:
        canvas.setFillAlpha(0.25)

    shortcut, reference = _both(lambda: para("Half seen", style, s), 120, translucent)
    assert shortcut == reference
    assert any(op.endswith(" gs") for op in shortcut[0])  # reportlab set the alpha


def test_a_bullet_of_fragments_is_left_to_reportlab() -> None:
    """A bullet given as fragments is drawn by reportlab in their own colours and alphas,
    which the paragraph's own colour must then undo: reportlab's way, not the shortcut's."""
    s, style = _style("en", bulletFontName=choose("en", []).regular.name)

    def make() -> Paragraph:
        p = para("An item", style, s)
        dot = ParaFrag()
        dot.text, dot.fontName, dot.fontSize = "•", style.bulletFontName, 8
        dot.textColor = colors.Color(1, 0, 0, alpha=0.5)
        p.bulletText = [dot]
        return p

    shortcut, reference = _both(make, 150)
    assert shortcut == reference
    assert any(op.endswith(" gs") for op in shortcut[0])  # the paragraph's opacity put back


# -- chart marks on a bare canvas ----------------------------------------------------------------


@pytest.mark.parametrize("seed", [16, 7])
def test_generated_charts_are_drawn_as_reportlab_draws_them(seed: int) -> None:
    from chartgen import charts
    from kreport.page.barchart import BarChart, draw_bars
    from kreport.page.trend import draw_trend

    kinds = set()
    for i, (chart, fonts) in enumerate(charts(seed=seed, n=30)):
        fonts.register()
        draw = draw_bars if isinstance(chart, BarChart) else draw_trend
        kinds.add(draw)

        def on_canvas(draw: Any = draw, chart: Any = chart, fonts: Any = fonts) -> list[str]:
            canvas = Canvas(io.BytesIO(), pagesize=(chart.width, chart.height), invariant=1)
            draw(chart, canvas, fonts)
            return list(canvas._code)

        shortcut = on_canvas()
        with reportlab_drawing():
            assert on_canvas() == shortcut, f"chart {i}: {chart}"
    assert len(kinds) == 2  # bar and trend charts both compared


def test_paths_and_texts_of_every_kind_are_written_as_reportlab_writes_them() -> None:
    from matplotlib.path import Path as MplPath
    from matplotlib.transforms import Affine2D

    from kreport.page.paint import Clip, Pen, paint_path, paint_text

    fonts = choose("zh", [])
    fonts.register()
    curved = MplPath(
        [(0, 0), (10, 5), (20, 0), (25, 10), (30, 12), (35, 8), (0, 0), (float("nan"), 1)],
        [1, 3, 3, 4, 4, 4, 79, 2],
    )
    paths = [MplPath.unit_rectangle(), curved, MplPath([(0, 0), (1, 1)], [1, 2])]
    pens = [None, Pen((0.1, 0.2, 0.3, None), 0.75, 1, 2), Pen((0.1, 0.2, 0.3, 0.5), 1.0, 0, 0)]
    fills = [None, (0.9, 0.5, 0.25, None), (0.9, 0.5, 0.25, 0.4)]
    clips = [Clip(), Clip(rect=(1.5, 2.5, 100.0, 50.25)), Clip(path=MplPath.unit_rectangle())]
    texts = ["Fraud 12.5% (up)", "电信网络诈骗", "", "a\\\\b"]

    def on_canvas() -> list[str]:
        canvas = Canvas(io.BytesIO(), invariant=1)
        canvas.setLineCap(1)  # a state that a mark's own settings must not depend on
        for path in paths:
            for pen in pens:
                for fill in fills:
                    for clip in clips:
                        paint_path(canvas, path, Affine2D().scale(3.5, 2.25), fill, pen, clip)
        for text in texts:
            for colour in [(0.2, 0.3, 0.4, None), (0.2, 0.3, 0.4, 0.5)]:
                for angle, bold in [(0.0, False), (90.0, False), (0.0, True)]:
                    for clip in clips[:2]:
                        name = fonts.regular.name
                        paint_text(canvas, 12.25, 30.5, text, name, 7.5, colour, angle, bold, clip)
        return list(canvas._code)

    shortcut = on_canvas()
    with reportlab_drawing():
        assert on_canvas() == shortcut


def test_strings_are_written_as_reportlab_draws_them() -> None:
    """A change's, the key's and a tile's words (``drawtext.draw_string``): ASCII, Chinese,
    empty, escaped, characters the face lacks, a second subset, each font and size and leading,
    a standard font (reportlab's own), and the font state the document is left with."""
    latin, cjk = choose("en", []), choose("zh", [])
    latin.register()
    cjk.register()
    texts = ["▲ 46.8% on last year", "上升46.8% 同比", "", "a (b) \\ c", "\u0378x", "ab  cd "]
    many = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 300))

    def on_canvas() -> tuple[list[str], list[Any]]:
        canvas = Canvas(io.BytesIO(), invariant=1)
        for name in (latin.regular.name, latin.bold.name, cjk.regular.name, "Helvetica"):
            for size, leading in ((7.5, None), (12.0, 13.25)):
                canvas.setFont(name, size, leading)
                for i, text in enumerate([*texts, many]):
                    drawtext.draw_string(canvas, 10.5 + i, 700.25 - i * 9, text)
        fonts = [getFont(n).state.get(canvas._doc) for n in (latin.regular.name, cjk.regular.name)]
        return list(canvas._code), [(f.subsets, f.assignments) for f in fonts if f is not None]

    shortcut = on_canvas()
    with reportlab_drawing():
        assert on_canvas() == shortcut
    assert any("+1 " in op for op in shortcut[0])  # the second subset was used


def test_table_cells_are_placed_as_reportlab_places_them() -> None:
    """Every alignment, vertical alignment and padding, paragraphs with space before and after,
    cells of several flowables, strings and empty cells."""
    from reportlab.platypus import Spacer

    s, _ = _style("en")
    spaced = ParagraphStyle("spaced", parent=s.cell, spaceBefore=3.5, spaceAfter=2.25)

    def table() -> MemoTable:
        rows = []
        for r in range(3):
            row: list[Any] = [para(f"row {r} " * (r + 1), spaced if r % 2 else s.cell, s)]
            row += [para("right", s.cell_num, s), para("a longer centred cell text", s.cell, s)]
            row += [[para("two", s.cell, s), Spacer(5, 4)], "text", ""]
            rows.append(row)
        t = MemoTable(rows, colWidths=[60.5, 40, 55.25, 30, 25, 10])
        t.setStyle(
            [
                ("VALIGN", (0, 0), (-1, 0), "TOP"),
                ("VALIGN", (0, 1), (-1, 1), "MIDDLE"),
                ("VALIGN", (0, 2), (-1, 2), "BOTTOM"),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("ALIGN", (2, 0), (2, -1), "CENTRE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3.25),
                ("RIGHTPADDING", (0, 1), (-1, 1), 1.5),
                ("TOPPADDING", (0, 2), (-1, 2), 4),
                ("TEXTCOLOR", (0, 1), (-1, 1), colors.red),
                ("FONTSIZE", (4, 0), (4, -1), 6),
            ]
        )
        return t

    by_reportlab: list[Any] = []
    real = Table._drawCell
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Table, "_drawCell", lambda t, v, *a: by_reportlab.append(v) or real(t, v, *a))
        shortcut = _drawn(table(), 300)  # the table drawn twice
    assert len(by_reportlab) == 2 * 9  # the 9 one-paragraph cells of 18 took the shortcut
    with reportlab_drawing():
        assert _drawn(table(), 300) == shortcut
