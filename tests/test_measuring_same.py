"""The page measured through kreport's measuring shortcuts is the page reportlab measures, byte
for byte.

Measuring takes two shortcuts around reportlab's own code: a simple paragraph that fits on one
line is wrapped without ``breakLines``' set-up (``oneline.py``), and a table of our own measures
its rows without what only spans, given heights or a canvas ask (``MemoTable._calc_height``).
``reportlab_measuring`` puts reportlab's methods back, with a fresh table of kept line breaks
(so that no wrap the shortcut made is handed on); every example in every edition and paper, the
gallery, the fullest pages and generated briefings are built both ways and compared.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.platypus import Paragraph, Table

import bothways
import kreport
from bothways import GALLERY_PAGES
from gallery import maximal
from kreport.errors import InputError, LayoutError
from kreport.fonts import choose
from kreport.page import breaks, oneline
from kreport.page import styles as styles_module
from kreport.page.parsed import Parsed
from kreport.page.styles import make_styles, para
from kreport.page.tables import MemoTable
from test_property import briefing


@contextmanager
def reportlab_measuring() -> Iterator[None]:
    """Every measuring shortcut off, and no line breaks kept from before."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(styles_module, "wrap_one_line", lambda p, width: None)
        mp.setattr(MemoTable, "_calc_height", Table._calc_height)
        mp.setattr(breaks, "SHARED", breaks.Breaks())
        yield


@pytest.mark.parametrize("name", kreport.example_names())
def test_each_example_is_measured_as_reportlab_measures_it(name: str) -> None:
    ours, theirs = bothways.both_ways(kreport.example_path(name), reportlab_measuring)
    assert ours == theirs


def test_the_shortcuts_measure_most_one_line_paragraphs_and_tables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The comparisons compare something: the shortcuts are taken, and often."""
    lines: list[bool] = []
    real = oneline.wrap_one_line

    def counted(p: Any, width: float) -> Any:
        size = real(p, width)
        lines.append(size is not None)
        return size

    tables: list[str] = []
    ours, theirs = MemoTable._calc_height, Table._calc_height

    def ours_counted(self: MemoTable, *args: Any, **kw: Any) -> None:
        tables.append("ours")
        ours(self, *args, **kw)

    def theirs_counted(self: Table, *args: Any, **kw: Any) -> None:
        tables.append("theirs")
        theirs(self, *args, **kw)

    monkeypatch.setattr(styles_module, "wrap_one_line", counted)
    monkeypatch.setattr(MemoTable, "_calc_height", ours_counted)
    monkeypatch.setattr(Table, "_calc_height", theirs_counted)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(breaks, "SHARED", breaks.Breaks())
        kreport.build_bytes(kreport.example_path("karamay"))
    assert sum(lines) > 20 and sum(lines) > 0.5 * len(lines)
    # a table reportlab measured after all shows as both (the header's spans: a few)
    assert tables.count("ours") > 20 and tables.count("theirs") < 0.2 * tables.count("ours")


def test_a_paragraph_on_one_line_is_left_as_reportlab_leaves_it() -> None:
    fonts = choose("en", ["x"])
    fonts.register()
    s = make_styles(fonts, 1.13)
    shortcut: list[bool] = []
    for text, style, width in [
        ("1,234,567", s.cell_num, 60.0),
        ("Reported  fraud\tcases", s.cell, 200.0),
        ("Summary", s.heading, 300.0),
        ("x", s.body, 0.5),  # narrower than its one word: reportlab's
        ("two words", s.body, 20.0),  # two lines: reportlab's
        ("  ", s.body, 100.0),  # no words: reportlab's
    ]:
        ours, theirs = para(text, style, s), para(text, style, s)
        taken = oneline.wrap_one_line(ours, width)
        size = Paragraph.wrap(theirs, width, 1000)
        shortcut.append(taken is not None)
        if taken is None:
            assert ours.__dict__.keys() == para(text, style, s).__dict__.keys()
            continue
        assert taken == size
        assert list(ours.__dict__) == list(theirs.__dict__)
        for name, value in theirs.__dict__.items():
            if name == "blPara":
                assert vars(ours.blPara) == vars(value)
                assert list(vars(ours.blPara)) == list(vars(value))
                assert type(ours.blPara) is type(value)
            elif name == "frags":
                assert [vars(f) for f in ours.frags] == [vars(f) for f in value]
            else:
                assert ours.__dict__[name] == value, name
    assert shortcut == [True, True, True, False, False, False]


@pytest.mark.slow
@pytest.mark.parametrize("name", kreport.example_names())
def test_every_example_edition_and_paper(name: str) -> None:
    bothways.assert_every_edition_alike(kreport.example_path(name), reportlab_measuring)


@pytest.mark.slow
@pytest.mark.parametrize("path", GALLERY_PAGES, ids=[p.stem for p in GALLERY_PAGES])
def test_every_gallery_page(path: Path) -> None:
    bothways.assert_every_edition_alike(path, reportlab_measuring)


@pytest.mark.slow
@pytest.mark.parametrize("script", ["en", "zh", "zh-Hant"])
def test_the_fullest_pages(script: str) -> None:
    for paper in ("a4", "letter"):
        ours = kreport.build_bytes(maximal(script), paper=paper)  # type: ignore[arg-type]
        with reportlab_measuring():
            theirs = kreport.build_bytes(maximal(script), paper=paper)  # type: ignore[arg-type]
        assert ours == theirs, (script, paper)


@pytest.mark.slow
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(raw=briefing(), paper=st.sampled_from(["a4", "letter"]))
def test_any_page_is_measured_as_reportlab_measures_it(raw: dict[str, Any], paper: str) -> None:
    try:
        b = kreport.parse(raw)
        ours = kreport.build_bytes(b, paper=paper)  # type: ignore[arg-type]
    except (InputError, LayoutError):
        return
    with reportlab_measuring():
        assert kreport.build_bytes(b, paper=paper) == ours  # type: ignore[arg-type]


MARKUPS = st.one_of(
    st.sampled_from(
        ["", "  ", "Summary", "1,234,567", "a<br/>b", "<b>Fraud</b> cases", "x &amp; y", "诈骗案件"]
    ),
    st.text(alphabet=st.sampled_from(list("ab 1,.\t\n\xa0\xad—诈，")), max_size=12),
)


@settings(max_examples=200)
@given(
    markup=MARKUPS,
    name=st.sampled_from(["body", "cell_num", "heading", "title", "bullet", "small", "tile_value"]),
    script=st.sampled_from(["en", "zh"]),
    scale=st.sampled_from([1.0, 0.93, 1.17]),
)
def test_a_paragraph_made_in_one_step_is_the_one_its_constructor_makes(
    markup: str, name: str, script: str, scale: float
) -> None:
    """``para`` makes its paragraph without calling the constructors: the same attributes, in
    the same order, with the same values (fragments alike), whether the parse is new or kept."""
    from kreport.page import checked

    fonts = choose(script, ["x"])  # type: ignore[arg-type]
    fonts.register()
    for _ in range(2):  # a parse made, then a parse kept
        s = make_styles(fonts, scale, parsed=OURS)
        ours = para(markup, getattr(s, name), s)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(checked, "SHORTCUTS", False)
            s = make_styles(fonts, scale, parsed=THEIRS)
            theirs = para(markup, getattr(s, name), s)
        assert type(ours) is type(theirs)
        assert list(ours.__dict__) == list(theirs.__dict__)
        for key, value in theirs.__dict__.items():
            if key == "frags":
                assert [(type(f), list(vars(f).items())) for f in ours.frags] == [
                    (type(f), list(vars(f).items())) for f in value
                ]
            elif key == "_parsed":
                assert ours._parsed is OURS and value is THEIRS
            elif key == "style":  # made alike, for another table of parses
                assert {k: v for k, v in vars(ours.style).items() if k[0] != "_"} == {
                    k: v for k, v in vars(value).items() if k[0] != "_"
                }
            else:
                assert ours.__dict__[key] == value, key


OURS, THEIRS = Parsed(), Parsed()
