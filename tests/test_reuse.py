"""What a layout keeps between its measurements: blocks a new plan does not change, parsed
markup, and the sizes of paragraphs and tables already measured. Each must give the page it
would get with everything built and measured afresh, byte for byte."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.lib import colors as colors_module
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.ttfonts import TTFontFace
from reportlab.platypus import Paragraph, Spacer, Table
from reportlab.platypus.paragraph import Paragraph as RLParagraph

import kreport
from gallery import maximal
from kreport import fontcache
from kreport._kept import Kept
from kreport.errors import InputError, LayoutError
from kreport.fonts import choose
from kreport.model import Briefing
from kreport.page import breaks, cellstyle, fontobjs, numbers, pack
from kreport.page import layout as page_layout
from kreport.page import parsed as parsed_module
from kreport.page import styles as styles_module
from kreport.page import subset as page_subset
from kreport.page import wrap as page_wrap
from kreport.page.blocks import Plan
from kreport.page.measure import Measurer
from kreport.page.parsed import Parsed
from kreport.page.styles import make_styles, para
from kreport.page.tables import MemoTable
from test_property import briefing

MARKUP = [
    "Fraud cases reported",
    "Loans &amp; credit &lt;online&gt;   with  spaces",
    "<b>OFFICIAL</b> · Page 1 of 1",
    "first line<br/>second line",
    "电信网络诈骗<br/>案件（宗）",
]


def _briefing(name: str, lang: str | None = None) -> Briefing:
    return kreport.parse(kreport.example_path(name), lang)


def _frags(p: Paragraph) -> list[dict[str, Any]]:
    return [{k: v for k, v in f.__dict__.items() if k != "_fkind"} for f in p.frags]


@pytest.mark.parametrize("markup", MARKUP)
def test_markup_parsed_at_one_size_serves_another(markup: str) -> None:
    fonts = choose("zh" if "电" in markup else "en", [markup])
    fonts.register()
    parsed = Parsed()
    small = make_styles(fonts, 1.0, parsed=parsed)
    large = make_styles(fonts, 1.37, parsed=parsed)
    para(markup, small.body, small)
    assert len(parsed._frags) == 1
    reused = para(markup, large.body, large)
    fresh = RLParagraph(markup, large.body)
    assert len(parsed._frags) == 1  # the second paragraph was not parsed again
    assert reused.text == fresh.text
    assert _frags(reused) == _frags(fresh)
    assert {f["fontSize"] for f in _frags(reused)} == {large.body.fontSize}
    assert reused.wrap(120, 1000) == fresh.wrap(120, 1000)


def test_other_markup_is_parsed_afresh() -> None:
    fonts = choose("en", [])
    fonts.register()
    styles = make_styles(fonts, parsed=Parsed())
    para('<font size="14">big</font> and <i>slanted</i>', styles.body, styles)
    para("a<br/>b<super>2</super>", styles.body, styles)
    assert not styles.parsed._frags


def test_a_paragraph_is_broken_once_per_width(monkeypatch: pytest.MonkeyPatch) -> None:
    fonts = choose("en", [])
    fonts.register()
    styles = make_styles(fonts)
    monkeypatch.setattr(breaks, "SHARED", breaks.Breaks())
    p = para("words " * 40, styles.body, styles)
    calls = []
    real = RLParagraph.breakLines
    monkeypatch.setattr(RLParagraph, "breakLines", lambda s, w: calls.append(w) or real(s, w))
    narrow = p.wrap(100, 1000)
    assert p.wrap(100, 50) == narrow and len(calls) == 1  # the height offered plays no part
    wide = p.wrap(300, 1000)
    assert len(calls) == 2 and wide[1] < narrow[1]
    # lines are kept from their key's second sight on: broken again at 100, then kept
    assert p.wrap(100, 1000) == narrow and len(calls) == 3
    other = para("words " * 40, styles.body, styles)
    assert other.wrap(100, 1000) == narrow and len(calls) == 3  # from what was kept
    assert other.blPara is p.blPara
    assert other.wrap(300, 1000) == wide and len(calls) == 4  # 300 seen a second time: kept
    assert p.wrap(300, 1000) == wide and p.blPara is other.blPara and len(calls) == 4


@pytest.mark.parametrize(
    "markup", ["one two three four five six seven", "<b>Bold</b> words<br/>on two lines and more"]
)
def test_kept_lines_are_the_lines_broken_afresh(
    markup: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fonts = choose("en", [])
    fonts.register()
    s = make_styles(fonts, 1.1)
    monkeypatch.setattr(breaks, "SHARED", breaks.Breaks())
    first = para(markup, s.body, s)
    widths = [40.0, 90.0, 40.0, 200.0, 90.0]
    for w in widths:  # the first paragraph's lines, broken at each width in turn, are kept
        first.wrap(w, 1000)  # from a width's second sight on
    assert len(breaks.SHARED) == 2
    for w in widths:  # a second answers from them; each is what a fresh paragraph breaks
        reused, fresh = para(markup, s.body, s), RLParagraph(markup, s.body)
        assert reused.wrap(w, 1000) == fresh.wrap(w, 1000)
        assert _lines(reused) == _lines(fresh) and reused.blPara is not fresh.blPara
    assert len(breaks.SHARED) == 3


def _lines(p: Paragraph) -> list[Any]:
    bl = p.blPara
    if bl.kind == 0:
        return [(line[0], line[1]) for line in bl.lines]
    return [
        (line.extraSpace, line.wordCount, [(w.fontName, w.text) for w in line.words])
        for line in bl.lines
    ]


def test_kept_breaks_are_bounded_least_recently_used_first() -> None:
    kept = breaks.Breaks(limit=2)
    kept.put("a", ((1.0, 1.0), {}))
    assert kept.get("a") is None and len(kept) == 0  # offered once: only its hash noted
    for key in ("a", "b", "b"):
        kept.put(key, ((1.0, 1.0), {}))
    assert kept.get("a") is not None  # now the most recently used
    kept.put("c", ((3.0, 3.0), {}))
    kept.put("c", ((3.0, 3.0), {}))
    assert kept.get("b") is None and kept.get("a") is not None and len(kept) == 2
    for n in range(20):  # the hashes noted are bounded too
        kept.put(f"once {n}", ((1.0, 1.0), {}))
    assert len(kept._seen) <= 8
    assert breaks.SHARED._limit == breaks.LIMIT > 0


def test_a_key_offered_first_is_noted_as_put_notes_it() -> None:
    kept, put = breaks.Breaks(limit=4), breaks.Breaks(limit=4)
    assert not kept.offered("d")  # first sight: noted, nothing to keep
    put.put("d", ((1.0, 1.0), {}))
    assert kept._seen == put._seen and len(kept) == len(put) == 0
    assert kept.offered("d") and kept.offered("d")  # seen: a put now keeps it
    kept.put("d", ((2.0, 2.0), {}))
    assert kept.get("d") == ((2.0, 2.0), {})
    for n in range(40):
        kept.offered(f"once {n}")
    assert len(kept._seen) <= 16


def test_a_style_key_is_its_own_not_its_parents() -> None:
    fonts = choose("en", [])
    fonts.register()
    s = make_styles(fonts)
    parent_key = breaks.style_key(s.body)
    child = ParagraphStyle("child", parent=s.body, fontSize=20)
    assert breaks.style_key(child) != parent_key
    assert breaks.style_key(s.body) == parent_key


def test_a_table_answers_again_without_measuring_its_cells(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fonts = choose("en", [])
    fonts.register()
    s = make_styles(fonts)
    inner = MemoTable([[para("words " * 30, s.body, s)], [Spacer(10, 20)]], colWidths=[150])
    outer = MemoTable([[inner, para("beside", s.body, s)]], colWidths=[160, 100])
    asked: list[float] = []
    real = MemoTable.wrap
    monkeypatch.setattr(
        MemoTable,
        "wrap",
        lambda t, w, h: asked.append(w) or real(t, w, h) if t is inner else real(t, w, h),
    )
    size = outer.wrap(260, 10_000)
    assert outer.wrap(260, 800) == size and len(asked) == 1
    # columns of fixed widths: the room offered plays no part (the frame offers the page's
    # width as (x + w) - x, a last bit off the layout's), so the size is answered again
    assert outer.wrap(260.00000000000006, 800) == size and outer.wrap(200, 800) == size
    assert len(asked) == 1
    assert Table.wrap(outer, 200, 800) == size  # as reportlab measures it there
    assert len(asked) == 2
    # a column given as a share of the room ("40%") is measured again at another room
    shared = MemoTable([[inner, para("beside " * 12, s.body, s)]], colWidths=[160, "40%"])
    narrow = shared.wrap(260, 10_000)
    asked.clear()
    wide = shared.wrap(400, 10_000)
    assert len(asked) == 1 and wide == Table.wrap(shared, 400, 10_000) and wide != narrow


def test_a_table_with_a_cell_across_rows_asks_again_for_less_height() -> None:
    fonts = choose("en", [])
    fonts.register()
    s = make_styles(fonts)
    rows = [[para("a " * 50, s.body, s), para("x", s.body, s)], ["", para("y", s.body, s)]]
    t = MemoTable(rows, colWidths=[80, 80])
    t.setStyle([("SPAN", (0, 0), (0, 1))])
    full = t.wrap(160, 10_000)
    assert t._kept == (160, 10_000, full)
    t.wrap(160, 30)
    assert t._kept is not None and t._kept[1] == 30  # measured again, not answered from before


def test_a_taller_chart_row_rebuilds_the_charts_alone() -> None:
    b = _briefing("karamay")
    fonts = choose(b.language, [*b.texts().values()])
    fonts.register()
    measure = Measurer(b, fonts, 500)
    first = measure(Plan(scale=1.2))
    padded = measure(replace(first.plan, row_pad=4.0))
    same = {n for (n, f), (_, g) in zip(first.blocks, padded.blocks, strict=True) if f is g}
    assert same == {n for n, _ in first.blocks} - {"charts"}
    assert padded.sections == page_layout._measure(b, fonts, 500, padded.plan).sections
    larger = measure(Plan(scale=1.3))
    assert not {id(f) for _, f in larger.blocks} & {id(f) for _, f in first.blocks}


class _NoBreaks(breaks.Breaks):
    """Keeps no paragraph's lines: each is broken afresh."""

    def get(self, key: Any) -> None:
        return None

    def put(self, key: Any, value: breaks.Wrapped) -> None:
        pass


def _keep_nothing(mp: pytest.MonkeyPatch, tables: bool = True) -> None:
    """Build as if nothing were kept for the process: each plan measured afresh, every
    paragraph broken afresh, every subset written, every stream compressed and every font's
    widths formatted afresh."""
    mp.setattr(page_layout, "Measurer", _fresh_each_time)
    mp.setattr(breaks, "SHARED", _NoBreaks())
    mp.setattr(page_wrap, "_balanced", page_wrap._balanced.__wrapped__)
    if tables:
        mp.setattr(MemoTable, "wrap", MemoTable.__mro__[1].wrap)
    mp.setattr(fontcache.CachedFace, "makeSubset", _subset_afresh)
    mp.setattr(page_subset, "_PARTS", {})  # and each glyph read afresh
    mp.setattr(fontobjs, "_CMAPS", Kept(0))
    mp.setattr(pack, "_FLATE", Kept(0))
    mp.setattr(pack, "_WIDTHS", Kept(0))
    # styles, shared cell styles and dates made afresh each time, lines measured string by
    # string with stringWidth (not summed from the line before)
    mp.setattr(styles_module, "_made", styles_module._made.__wrapped__)
    mp.setattr(cellstyle, "_shared", cellstyle._shared.__wrapped__)
    mp.setattr(numbers, "date", numbers.date.__wrapped__)
    mp.setattr(page_wrap, "exact_sums", lambda font: False)


def _subset_afresh(face: Any, subset: Any, make: Any = None) -> bytes:
    """A subset's file written, not taken from what its face kept."""
    return cast(bytes, (make or TTFontFace.makeSubset)(face, subset))


class _ParsedAfresh(Parsed):
    """Keeps parses for one measurement, but makes no plain text from another's fragment."""

    def plain(self, key: Any, style: Any) -> None:
        return None


def _fresh_each_time(b: Briefing, fonts: Any, width: float, shown: Any = None) -> Any:
    def measure(plan: Plan) -> Any:
        fresh = Measurer(b, fonts, width)  # its figures worked out afresh too
        fresh.parsed = _ParsedAfresh()  # nor the parses other layouts of the process left
        return fresh(plan)

    return measure


def test_a_second_layout_parses_nothing_anew(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab.platypus import paraparser

    b = _briefing("example-city")
    page_layout.lay_out(b)
    parses: list[str] = []
    real = paraparser.ParaParser.parse
    monkeypatch.setattr(
        paraparser.ParaParser, "parse", lambda p, text, st: parses.append(text) or real(p, text, st)
    )
    again = page_layout.lay_out(b)
    assert parses == []
    _keep_nothing(monkeypatch, tables=False)
    fresh = page_layout.lay_out(b)
    assert parses  # measured with nothing kept, the same page parses its markup
    assert (fresh.plan, fresh.sections) == (again.plan, again.sections)


def test_the_shared_parses_are_bounded() -> None:
    fonts = choose("en", [])
    fonts.register()
    parsed = Parsed(limit=2)
    s = make_styles(fonts, parsed=parsed)
    for markup in ("one", "two", "three"):
        para(markup, s.body, s)
    assert [k[0] for k in parsed._frags] == ["two", "three"]
    assert parsed_module.SHARED._limit > 0 and make_styles(fonts).parsed is parsed_module.SHARED


@pytest.mark.parametrize(
    ("name", "lang"),
    [("karamay", None), ("karamay", "zh"), ("example-city", None), ("singapore", None)],
)
def test_a_page_is_the_same_built_with_nothing_kept(
    name: str, lang: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = kreport.build_bytes(kreport.example_path(name), language=lang)
    _keep_nothing(monkeypatch)
    assert kreport.build_bytes(kreport.example_path(name), language=lang) == kept


@pytest.mark.parametrize("script", ["en", "zh"])
def test_the_fullest_page_is_the_same_built_with_nothing_kept(
    script: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = kreport.build_bytes(maximal(script))
    _keep_nothing(monkeypatch, tables=False)
    assert kreport.build_bytes(maximal(script)) == kept


def test_balancing_a_label_measures_each_line_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from kreport.page import wrap

    fonts = choose("en", [])
    fonts.register()
    label = "Reported telecom and online fraud involving fake investment platforms"
    expected = wrap.wrap_balanced(label, 90, fonts.regular.name, 8)
    measured: list[str] = []
    real = wrap.stringWidth
    monkeypatch.setattr(wrap, "stringWidth", lambda s, f, z: measured.append(s) or real(s, f, z))
    assert wrap._balance(label, 90, fonts.regular.name, 8, 0) == expected  # not kept
    assert len(expected) > 1 and measured
    assert len(measured) == len(set(measured))  # tried at nine widths, each line measured once
    measured.clear()
    again = wrap.wrap_balanced(label, 90, fonts.regular.name, 8)
    assert again == expected and not measured  # kept for the process: nothing measured again
    again.append("changed by a caller")
    assert wrap.wrap_balanced(label, 90, fonts.regular.name, 8) == expected  # a list of its own


@pytest.mark.parametrize("locale", ["en_GB", "en_US", "zh_Hans_CN", "zh_Hant_HK"])
def test_a_figure_formatted_with_kept_patterns_is_babels(locale: str) -> None:
    from decimal import Decimal

    from babel.numbers import format_decimal

    from kreport.page import numbers

    values = [0, 0.004, 0.5, 1, 12.345, 99.95, 1234.5, -2.5, 987_654_321.125, 1e-7, 10**15]
    values += [0.0, 1.0, Decimal("1.50"), Decimal("12.3450"), 12.0, 12, Decimal(12)]
    patterns = ["#,##0", "#,##0.#", "#,##0.##", "#,##0.00", "@##", "0.#", "0.0", "#,##0.0"]
    for pattern in patterns:
        for v in values:
            for _ in range(2):  # formatted, then answered from what was kept
                assert numbers.decimal(v, pattern, locale) == format_decimal(
                    v, format=pattern, locale=locale
                )


def test_a_block_that_compares_plans_depends_on_every_field() -> None:
    from kreport.page.measure import _Watched

    plan = Plan(scale=1.2, row_pad=3.0)
    watched = _Watched(plan)
    assert watched == plan and plan == watched and hash(watched) == hash(plan)
    assert watched != replace(plan, row_pad=0.0)
    assert watched.read == {f for f in Plan.__dataclass_fields__}
    fresh = _Watched(plan)
    assert fresh.read == {"scale", "spacing"} and fresh.row_pad == 3.0
    assert fresh.read == {"scale", "spacing", "row_pad"}


def test_a_layout_drawn_again_gives_the_same_bytes() -> None:
    from kreport.page.layout import lay_out
    from kreport.page.pdf import render

    for src in (kreport.example_path("karamay"), maximal("zh")):
        laid = lay_out(kreport.parse(src))
        first = render(laid)
        render(laid, pdfa=True)  # drawn in between on another canvas
        assert render(laid) == first == kreport.build_bytes(src)


@pytest.mark.slow
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(raw=briefing(), paper=st.sampled_from(["a4", "letter"]))
def test_any_page_is_the_same_built_with_nothing_kept(raw: dict[str, Any], paper: str) -> None:
    """Whatever the data, what the layout keeps between plans (blocks, parsed markup, measured
    tables) gives the page that building everything afresh for each plan gives."""
    try:
        b = kreport.parse(raw)
        kept = kreport.build_bytes(b, paper=paper)  # type: ignore[arg-type]
    except (InputError, LayoutError):
        return  # characters the fonts lack; the layout's own tests cover what cannot fit
    with pytest.MonkeyPatch.context() as mp:
        _keep_nothing(mp)
        assert kreport.build_bytes(b, paper=paper) == kept  # type: ignore[arg-type]


def _one_type(name: str) -> Briefing:
    import tomllib

    data = tomllib.loads(kreport.example_path(name).read_text(encoding="utf-8"))
    data["fraud_types"] = data["fraud_types"][:1]
    return kreport.parse(data)


@pytest.mark.parametrize(
    ("name", "types", "stacks"),
    [
        ("karamay", None, False),
        ("example-city", None, False),
        ("singapore", None, False),
        ("jieyang", None, False),
        ("hongkong", None, False),
        ("singapore", 1, True),  # four changes beside one type: the shorter leaves a hole
        ("karamay", 1, False),
    ],
)
def test_stacking_is_decided_from_the_panels_the_charts_block_built(
    name: str, types: int | None, stacks: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    b = _briefing(name) if types is None else _one_type(name)
    fonts = choose(b.language, [*b.texts().values()])
    fonts.register()
    m = Measurer(b, fonts, 515)(Plan())
    charts = dict(m.blocks).get("charts")
    kept = getattr(charts, "side_panels", None)
    rebuilt = page_layout._should_stack(m) if kept is None else None
    if kept is not None:
        with monkeypatch.context() as mp:  # answered from the block: no panel built again
            mp.setattr(page_layout, "change_panel", None)
            mp.setattr(page_layout, "types_panel", None)
            from_block = page_layout._should_stack(m)
        del charts.side_panels
        rebuilt = page_layout._should_stack(m)
        assert from_block == rebuilt
    fresh = Measurer(b, fonts, 515)(Plan())  # a block built afresh, its panels built again
    assert page_layout._should_stack(fresh) == rebuilt == stacks


@pytest.mark.parametrize("pad", [0, 0.0, 2.0, 14.4])
def test_a_grid_shares_the_cell_style_its_style_would_set(pad: float) -> None:
    from reportlab.platypus import Table

    from kreport.page.plan import grid, grid_style

    for script in ("en", "zh"):
        fonts = choose(script, [])
        fonts.register()
        s = make_styles(fonts)

        def rows() -> list[list[Any]]:
            return [[Spacer(1, 1), Spacer(2, 2)], [Spacer(3, 3), Spacer(4, 4)]]

        shared = grid(rows(), [50.0, 60.0], s, pad)
        styled = Table(rows(), colWidths=[50.0, 60.0])
        styled.setStyle(grid_style(fonts.regular.name, pad))
        for mine, theirs in zip(shared._cellStyles, styled._cellStyles, strict=True):
            for a, b in zip(mine, theirs, strict=True):
                assert {k: v for k, v in vars(a).items() if k != "name"} == {
                    k: v for k, v in vars(b).items() if k != "name"
                }
                assert all(type(v) is type(vars(b)[k]) for k, v in vars(a).items())
        assert shared._cellStyles[0][0] is grid(rows(), [50.0, 60.0], s, pad)._cellStyles[1][1]
        assert shared.wrap(110, 1000) == styled.wrap(110, 1000)


def _cells(t: Any) -> list[list[dict[str, Any]]]:
    return [
        [{k: v for k, v in vars(c).items() if k != "name"} for c in row] for row in t._cellStyles
    ]


_COLOUR = colors_module.HexColor("#123456")


@pytest.mark.parametrize(
    "commands",
    [
        [("FONTNAME", (0, 0), (-1, -1), "Helvetica-Bold"), ("LEFTPADDING", (0, 0), (-1, -1), 4)],
        [
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, _COLOUR),
            ("BACKGROUND", (0, 0), (-1, 0), _COLOUR),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TEXTCOLOR", (0, 0), (-1, -1), _COLOUR),
            ("LINEBEFORE", (0, 0), (-1, -1), 2.5, _COLOUR),
        ],
        [("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (-1, -1), "RIGHT")],  # partial
        [("SPAN", (0, 0), (1, 0)), ("LINEABOVE", (0, 0), (-1, 0), 0.5, _COLOUR)],  # no cell command
    ],
)
def test_a_table_styled_whole_is_styled_as_reportlab_styles_it(commands: list[Any]) -> None:
    from reportlab.platypus import Table, TableStyle

    def rows() -> list[list[Any]]:
        return [[Spacer(5, 5 + i + j) for j in range(3)] for i in range(3)]

    mine, theirs = MemoTable(rows(), colWidths=[40, 50, 60]), Table(rows(), colWidths=[40, 50, 60])
    mine.setStyle(TableStyle(commands))
    theirs.setStyle(TableStyle(commands))
    assert _cells(mine) == _cells(theirs)
    for name in ("_linecmds", "_bkgrndcmds", "_spanCmds", "_nosplitCmds"):
        assert getattr(mine, name) == getattr(theirs, name)
    assert mine.wrap(150, 1000) == theirs.wrap(150, 1000)
    mine.setStyle([("LEFTPADDING", (1, 1), (1, 1), 9)])  # more style later: that cell alone
    theirs.setStyle([("LEFTPADDING", (1, 1), (1, 1), 9)])
    assert _cells(mine) == _cells(theirs)


def test_a_grid_styled_again_leaves_other_grids_alone() -> None:
    from kreport.page.plan import grid

    fonts = choose("en", [])
    fonts.register()
    s = make_styles(fonts)
    one = grid([[Spacer(1, 1), Spacer(1, 1)]], [10.0, 10.0], s, 1.5)
    other = grid([[Spacer(1, 1)]], [10.0], s, 1.5)
    before = _cells(other)
    assert one._cellStyles[0][0] is other._cellStyles[0][0]  # shared
    one.setStyle([("LEFTPADDING", (0, 0), (0, 0), 7)])
    assert _cells(other) == before and one._cellStyles[0][0].leftPadding == 7
    assert one._cellStyles[0][1].leftPadding == 0


def test_the_default_cell_style_tables_share_is_never_changed() -> None:
    from reportlab.platypus import Table

    from kreport.page import cellstyle

    t = MemoTable([[Spacer(1, 1), Spacer(1, 2)], [Spacer(1, 3)]], colWidths=[20, 30])
    plain = Table([[Spacer(1, 1), Spacer(1, 2)], [Spacer(1, 3)]], colWidths=[20, 30])
    assert all(c is cellstyle.DEFAULT for row in t._cellStyles for c in row)
    assert _cells(t) == _cells(plain) and t.wrap(50, 100) == plain.wrap(50, 100)
    for src in (kreport.example_path("karamay"), kreport.example_path("example-city")):
        kreport.build_bytes(src)
    kreport.build_bytes(maximal("zh"))
    assert vars(cellstyle.DEFAULT) == {"name": "default"}


_PLAIN = st.text(
    st.characters(codec="utf-8", exclude_characters="<&", exclude_categories=("Cs",)), max_size=40
)


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(_PLAIN, min_size=1, max_size=4), scale=st.sampled_from([1.0, 1.13, 1.6]))
def test_plain_text_from_a_kept_fragment_is_what_the_parser_makes(
    texts: list[str], scale: float
) -> None:
    """Markup with no tag but line breaks and no entity is made from a fragment reportlab's
    parser made of a plain text in a style alike: the same text and fragments as a fresh
    parse, attributes in the same order."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(breaks, "SHARED", _NoBreaks())  # each paragraph's lines its own
        _plain_texts_as_parsed(texts, scale)


def _plain_texts_as_parsed(texts: list[str], scale: float) -> None:
    for script in ("en", "zh"):
        fonts = choose(script, [])
        fonts.register()
        parsed = Parsed()
        s = make_styles(fonts, scale, parsed=parsed)
        para("seen first", s.cell_num, s)  # parsed: its fragment serves what follows
        assert parsed._plain
        lines = "<br/>".join(texts)  # explicit lines: <br/> makes a fragment of its own
        for text in (*texts, lines, f"<br/>{lines}", f"{lines} <br/><br/>"):
            for style in (s.cell_num, s.cell_num, s.heading):
                mine, fresh = para(text, style, s), RLParagraph(text, style)
                assert mine.text == fresh.text
                assert _frags(mine) == _frags(fresh)
                assert [list(f.__dict__) for f in mine.frags] == [
                    list(f.__dict__) for f in fresh.frags
                ]
                unkept = para(text, style, replace(s, parsed=None))  # type: ignore[arg-type]
                assert unkept._parsed is None
                assert _frags(mine) == _frags(unkept) and mine.text == unkept.text
                assert mine.wrap(90, 1000) == unkept.wrap(90, 1000)
                assert _lines(mine) == _lines(unkept)


def test_plain_text_is_not_parsed_once_its_style_has_a_fragment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reportlab.platypus import paraparser

    fonts = choose("en", [])
    fonts.register()
    s = make_styles(fonts, 1.21, parsed=Parsed())
    para("12,345", s.cell_num, s)
    parses: list[str] = []
    real = paraparser.ParaParser.parse
    monkeypatch.setattr(
        paraparser.ParaParser, "parse", lambda p, text, st: parses.append(text) or real(p, text, st)
    )
    for text in ("67,890", "  spaced   out ", "", "a > b", "two<br/>lines", "<br/>"):
        para(text, s.cell_num, s)
    assert parses == []
    para("a &amp; b", s.cell_num, s)  # an entity: parsed
    para("<b>bold</b>", s.cell_num, s)  # a tag: parsed
    para("x", s.cell, s)  # another style: parsed, then its fragment kept too
    assert parses == ["a &amp; b", "<b>bold</b>", "x"]


def test_styles_named_alike_are_alike() -> None:
    """make_styles keys each style by its arguments (``breaks.name_style``), not by its forty
    attributes: equal keys must mean equal attributes, and the kept styles equal new ones."""

    def attrs(style: ParagraphStyle) -> tuple[Any, ...]:
        return tuple((k, v, type(v)) for k, v in vars(style).items() if not k.startswith("_kr"))

    by_key: dict[Any, Any] = {}
    for script in ("en", "zh"):
        fonts = choose(script, [])
        fonts.register()
        for scale in (1, 1.0, 0.88, 1.6, 1.6000000000000001, 1.2345):
            for spacing in (1.0, 1, 1.2, 1.4):
                s = make_styles(fonts, scale, spacing)
                assert make_styles(fonts, scale, spacing) is s  # kept for the process
                fresh = styles_module._made.__wrapped__(fonts, scale, spacing, s.parsed)
                for name in s.__dataclass_fields__:
                    style = getattr(s, name)
                    if not isinstance(style, ParagraphStyle):
                        continue
                    assert attrs(style) == attrs(getattr(fresh, name))
                    key = breaks.style_key(style)
                    assert key == breaks.style_key(getattr(fresh, name))
                    assert by_key.setdefault(key, attrs(style)) == attrs(style)
    assert len(by_key) > 18 * 2 * 5


def test_explicit_lines_of_a_chinese_paragraph_are_the_parsers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Chinese paragraph broken by our rules is set as explicit lines made from the style's
    kept fragment, not parsed and not kept: the fragments a fresh parse of the lines makes."""
    from reportlab.platypus import paraparser

    fonts = choose("zh", [])
    fonts.register()
    s = make_styles(fonts, 1.17, parsed=Parsed())
    text = "电信网络诈骗警情同比下降，破获电信网络诈骗案件同比上升（宗）"
    p = para(text, s.body, s)
    parses: list[str] = []
    real = paraparser.ParaParser.parse
    monkeypatch.setattr(
        paraparser.ParaParser, "parse", lambda q, t, st: parses.append(t) or real(q, t, st)
    )
    kept = dict(s.parsed._frags)
    for width in (60.0, 95.0, 400.0, 60.0):
        p.wrap(width, 1000)
        assert parses == []  # the lines made, not parsed
        fresh = RLParagraph(p.text, s.body)
        assert "<br/>" in p.text or width == 400.0
        assert _frags(p) == _frags(fresh)
        unkept = para(text, s.body, replace(s, parsed=None))  # type: ignore[arg-type]
        assert unkept.wrap(width, 1000) == p.wrap(width, 1000)
        assert _lines(unkept) == _lines(p)
        parses.clear()
    assert s.parsed._frags == kept  # nothing more kept


_LINE_TEXT = st.text(
    st.one_of(
        st.sampled_from(list("电信网络诈骗警情同比下降，破获案件（宗）。、 　")),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    max_size=60,
)


@settings(max_examples=120, deadline=None)
@given(
    text=_LINE_TEXT,
    asks=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=12),
    size=st.sampled_from([7.5, 8.5, 11.05, 13.6]),
)
def test_line_widths_summed_from_the_last_line_are_reportlabs(
    text: str, asks: list[tuple[int, int]], size: float
) -> None:
    """A line one token longer than the last line measured is measured by adding its new
    characters' widths to that line's sum: the float reportlab's stringWidth returns, for each
    prefix in order and for any substring asked in any order after them."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    for fonts in (choose("zh", []), choose("en", [])):
        fonts.register()
        face = fonts.regular.name
        assert page_wrap.exact_sums(face)
        sums = page_wrap._Sums(face, size)
        for n in range(len(text) + 1):
            assert sums[text[:n]] == stringWidth(text[:n], face, size)
        for a, b in asks:
            piece = text[a:b] + text[: (a + b) % 7]
            assert sums[piece] == stringWidth(piece, face, size)


@settings(max_examples=120, deadline=None)
@given(text=_LINE_TEXT, width=st.floats(5, 300), max_lines=st.integers(0, 3))
def test_lines_broken_with_summed_widths_are_the_lines_measured_afresh(
    text: str, width: float, max_lines: int
) -> None:
    for fonts in (choose("zh", []), choose("en", [])):
        fonts.register()
        face = fonts.regular.name
        fresh = page_wrap._wrap(text, width, page_wrap._Widths(face, 9.35), max_lines)
        assert page_wrap.wrap(text, width, face, 9.35, max_lines) == fresh


def _wrap_as_before(text: str, width: float, widths: Any, max_lines: int = 0) -> list[str]:
    """wrap.py's line breaking as it was before its lines were summed and cut short: every
    string measured by stringWidth (``_Widths``), the fitting check made twice, no early end."""
    w = page_wrap
    lines: list[str] = []
    line = ""
    for tok in w.tokens(text):
        candidate = line + tok
        if widths[candidate.rstrip()] <= width or not line.strip():
            line = candidate
            while widths[line.rstrip()] > width and len(line) > 1:
                cut = w._fit(line, width, widths)
                lines.append(line[:cut])
                line = line[cut:]
            continue
        k = w._tail(line)
        if tok in w.NO_LINE_START and k < len(line):
            lines.append(line[:-k].rstrip())
            line = line[-k:] + tok
            continue
        if line and line[-1] in w.NO_LINE_END:
            lines.append(line[:-1].rstrip())
            line = line[-1] + tok.lstrip()
            continue
        lines.append(line.rstrip())
        line = tok.lstrip()
    if line.strip():
        lines.append(line.rstrip())
    lines = w._no_widow(lines, width, widths)
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = w._shorten(lines[-1], width, widths)
    return lines


def _balance_as_before(text: str, width: float, font: str, size: float, max_lines: int) -> Any:
    widths = page_wrap._Widths(font, size)
    lines = _wrap_as_before(text, width, widths)
    if len(lines) < 2 or (max_lines and len(lines) > max_lines):
        return _wrap_as_before(text, width, widths, max_lines)
    longest = max(widths[t] for t in page_wrap.tokens(text) if t.strip())
    lo, hi = max(width / len(lines), longest), width
    for _ in range(8):
        mid = (lo + hi) / 2
        if len(_wrap_as_before(text, mid, widths)) == len(lines):
            hi = mid
        else:
            lo = mid
    return _wrap_as_before(text, hi, widths)


_LABEL = st.lists(
    st.sampled_from(
        [
            "Fraud",
            "cases",
            "reported",
            "investment",
            "platforms",
            "电",
            "信",
            "诈骗",
            "（宗）",
            "，",
            " ",
            "  ",
        ]
    ),
    max_size=14,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(
    text=st.one_of(_LABEL, _LINE_TEXT),
    width=st.floats(4, 260),
    size=st.sampled_from([6.5, 8.0, 9.35, 12.8]),
    max_lines=st.integers(0, 3),
)
def test_lines_and_balanced_labels_are_as_broken_before(
    text: str, width: float, size: float, max_lines: int
) -> None:
    """Summed widths, the fitting check made once and a balancing try cut short once it has
    too many lines give the lines the plain algorithm gives."""
    for fonts in (choose("zh", []), choose("en", [])):
        fonts.register()
        face = fonts.regular.name
        plain = page_wrap._Widths(face, size)
        assert page_wrap.wrap(text, width, face, size, max_lines) == _wrap_as_before(
            text, width, plain, max_lines
        )
        if text.strip():
            assert page_wrap._balance(text, width, face, size, max_lines) == _balance_as_before(
                text, width, face, size, max_lines
            )


def _figures_kept_through_rounding(b: Briefing) -> None:
    from kreport.page.precision import as_printed, figures

    shown = figures(b)
    assert figures(as_printed(b)) == shown == figures(as_printed(b, shown))
    assert as_printed(b, shown) == as_printed(b)


def test_the_figures_of_every_example_as_printed_are_its_own() -> None:
    """The layout works out a briefing's figures once, for the briefing as printed too."""
    seen = 0
    for name in kreport.example_names():
        for lang in (None, "en", "zh"):
            try:
                b = _briefing(name, lang)
            except InputError:  # no edition in that language
                continue
            _figures_kept_through_rounding(b)
            seen += 1
    assert seen > len(kreport.example_names())


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], deadline=None)
@given(raw=briefing())
def test_the_figures_of_any_briefing_as_printed_are_its_own(raw: dict[str, Any]) -> None:
    try:
        b = kreport.parse(raw)
    except InputError:
        return
    _figures_kept_through_rounding(b)


def _attrs(style: ParagraphStyle) -> list[tuple[str, Any]]:
    return [(k, v) for k, v in vars(style).items() if not k.startswith(breaks.OWN)]


def test_styles_are_made_as_reportlab_makes_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """make_styles sets a style's attributes at once: the same attributes, in the same order,
    as ParagraphStyle's own constructor sets them."""
    made = {}
    for fonts in (choose("zh", []), choose("en", [])):
        fonts.register()
        for scale, spacing in ((1.0, 1.0), (1.37, 1.2), (0.88, 1)):
            made[fonts, scale, spacing] = styles_module._made.__wrapped__(
                fonts, scale, spacing, Parsed()
            )
    monkeypatch.setattr(styles_module, "_new_style", lambda n, **kw: ParagraphStyle(n, **kw))
    for (fonts, scale, spacing), s in made.items():
        theirs = styles_module._made.__wrapped__(fonts, scale, spacing, Parsed())
        for name in s.__dataclass_fields__:
            mine = getattr(s, name)
            if isinstance(mine, ParagraphStyle):
                assert _attrs(mine) == _attrs(getattr(theirs, name))
                assert breaks.style_key(mine) == breaks.style_key(getattr(theirs, name))
    kw = {"fontSize": 9, "leading": 11.7, "leftIndent": 3.5, "spaceAfter": 4, "extra": 1}
    assert vars(styles_module._new_style("x", **kw)) == vars(ParagraphStyle("x", **kw))
    assert list(vars(styles_module._new_style("x", **kw))) == list(vars(ParagraphStyle("x", **kw)))


def test_a_kept_date_is_babels() -> None:
    import datetime as dt

    from babel.dates import format_date

    from kreport.page import numbers

    for language, locale in numbers._LOCALE.items():
        for day in (dt.date(2023, 5, 9), dt.date(2024, 2, 29), dt.date(1999, 12, 31)):
            for _ in range(2):  # written, then answered from what was kept
                assert numbers.date(day, language) == format_date(day, "long", locale=locale)


@pytest.mark.parametrize(
    "commands",
    [
        [("FONTNAME", (0, 0), (-1, -1), "Helvetica"), ("LEFTPADDING", (0, 0), (-1, -1), 9.84)],
        [
            ("FONT", (0, 0), (-1, -1), "Helvetica-Bold", 9.5),
            ("FONT", (0, 0), (-1, -1), "Helvetica", 8, 11),
            ("TEXTCOLOR", (0, 0), (-1, -1), "#123456"),
            ("TEXTCOLOR", (0, 0), (-1, -1), _COLOUR),
            ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3.075),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("LEADING", (0, 0), (-1, -1), 12.5),
            ("FONTSIZE", (0, 0), (-1, -1), 7),
        ],
    ],
)
def test_a_shared_cell_style_is_a_one_cell_tables(commands: list[Any]) -> None:
    """The style cells share is made by reportlab's own per-cell setter, as a one-cell table's
    setStyle makes it: the same name, attributes and types."""
    from reportlab.platypus import Table, TableStyle

    from kreport.page import cellstyle

    one = Table([[""]], colWidths=[1])
    one.setStyle(TableStyle(commands))
    shared = cellstyle.split(TableStyle(commands))
    assert shared is not None
    theirs = vars(one._cellStyles[0][0])
    assert vars(shared[0]) == theirs
    assert {k: type(v) for k, v in vars(shared[0]).items()} == {
        k: type(v) for k, v in theirs.items()
    }


def test_the_pieces_of_a_split_paragraph_keep_their_own_lines() -> None:
    """reportlab makes a split paragraph's pieces without text: they have no key, so one
    paragraph's pieces never take another's kept lines."""
    fonts = choose("en", [])
    fonts.register()
    s = make_styles(fonts)
    firsts = []
    for word in ("alpha", "beta", "gamma"):
        p = para(" ".join([word] * 30), s.body, s)
        p.wrap(100, 1000)
        pieces = p.split(100, 25)
        assert len(pieces) == 2 and breaks.key(pieces[1].text, s.body, None, 100) is None
        for q in pieces:
            q.wrap(100, 1000)
        firsts.append([q.blPara.lines[0][1][0] for q in pieces])
    assert firsts == [[w, w] for w in ("alpha", "beta", "gamma")]
