"""Hostile text through the shortcuts that write reportlab's bytes faster (issue 16's review):
text no example holds (parentheses and backslashes, every kind of white space, no-break spaces
and soft hyphens, combining marks, '#' and '/', the longest words, lone surrogates, characters
the fonts lack, more than a subset's 256 characters) is measured, drawn, embedded and formatted
both ways, and the bytes compared: as kreport does it, and with every shortcut aside and nothing
kept from it (reportlab's own measuring, drawing, embedding and formatting)."""

from __future__ import annotations

import io
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFString, format
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

import kreport
import test_drawing
import test_fontobjs
import test_measuring_same
import test_objfmt
from kreport import fonts
from kreport.errors import InputError, LayoutError
from kreport.page import checked, drawtext, objfmt, oneline, parsed, styles
from kreport.page import wrap as page_wrap
from kreport.page.markup import escape
from kreport.page.styles import make_styles, para
from kreport.source.keys import text_length


@contextmanager
def everything_reportlab() -> Iterator[None]:
    """Every shortcut aside (``checked.SHORTCUTS`` off) and each one's reference put back, with
    nothing kept from a build that took them: parses, styles, line breaks, subsets, widths."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(checked, "SHORTCUTS", False)
        mp.setattr(styles, "SHARED", parsed.Parsed())
        mp.setattr(styles, "_made", styles._made.__wrapped__)
        page_wrap.exact_sums.cache_clear()
        try:
            with (
                test_drawing.reportlab_drawing(),
                test_measuring_same.reportlab_measuring(),
                test_fontobjs.reportlab_embedding(),
                test_objfmt.reportlab_formatting(),
            ):
                yield
        finally:
            page_wrap.exact_sums.cache_clear()


# what hostile text is made of: single characters and runs that a data file may hold
_TRICKY = [
    *"()\\#/%<>[]{}&;'\"`~^|",
    "\\(",
    "\\)",
    ")(",
    "\\\\",
    "&amp;",
    "&#40;",
    "<b>",
    "</para>",
    "\t",
    "\r\n",
    "\u00a0",  # no-break space
    "\u00ad",  # soft hyphen
    "\ufeff",
    "\u3000",  # ideographic space
    "\u2009",  # thin space
    "e\u0301\u0308",  # combining marks
]


def _drawable(face: fonts.FontFace) -> list[str]:
    """Characters a page in ``face`` may show (as validation allows them: in the face's map,
    in the Basic Multilingual Plane, not right to left, not a control, format or private one)."""
    import unicodedata

    out = []
    for code in sorted(fonts._cmap(face)):
        c = chr(code)
        if code <= 0x20 or code > 0xFFFF or unicodedata.category(c)[0] == "C":
            continue
        if unicodedata.bidirectional(c) in ("R", "AL", "AN"):
            continue
        out.append(c)
    return out


@st.composite
def _hostile_text(draw: st.DrawFn, limit: int, alphabet: list[str]) -> str:
    covered = set(alphabet)
    tricky = [t for t in _TRICKY if all(c in covered or c.isspace() or c < " " for c in t)]
    pieces = st.one_of(
        st.sampled_from(tricky),
        st.sampled_from(alphabet),
        st.just(" "),
        st.integers(1, 45).map(lambda n: "W" * n),  # long words
        st.tuples(st.sampled_from(alphabet), st.integers(1, 6)).map(lambda t: t[0] * t[1]),
    )
    text = "".join(draw(st.lists(pieces, min_size=1, max_size=limit)))
    while text_length(" ".join(text.split())) > limit:
        text = text[:-1]
    return text if text.strip() else "x"


@st.composite
def hostile_briefing(draw: st.DrawFn) -> tuple[dict[str, Any], str | None]:
    """A briefing whose texts are hostile, set in one font (all Latin, or Chinese with ASCII
    and Latin-1 among it), and the edition to build."""
    chinese = draw(st.booleans())
    alphabet = _CJK if chinese else _LATIN
    if chinese:  # a little Latin within the Chinese: the CJK face has it
        alphabet = alphabet + _LATIN[:190]

    def t(limit: int) -> str:
        return draw(_hostile_text(limit, alphabet))

    raw: dict[str, Any] = {
        "title": t(60),
        "agency": t(50),
        "period": t(30),
        "mixed_languages": True,
        "issued": "2024-07-15",
    }
    for key, limit in (("source", 120), ("note", 150), ("marking", 30), ("baseline", 30)):
        if draw(st.booleans()):
            raw[key] = t(limit)
    raw["highlights"] = [t(100) for _ in range(draw(st.integers(0, 3)))]
    raw["metrics"] = [
        {"label": t(25) + f" {i}", "value": draw(st.integers(0, 10**9)), "previous": 1000 + i}
        for i in range(draw(st.integers(1, 6)))
    ]
    raw["fraud_types"] = [
        {"label": t(25) + f" {i}", "cases": draw(st.integers(0, 10**6))}
        for i in range(draw(st.integers(0, 8)))
    ]
    language = draw(st.sampled_from(["en", "zh"] if chinese else [None, "en"]))
    return raw, language


fonts.LATIN.register()
fonts.CJK.register()
_LATIN = _drawable(fonts.LATIN.regular)
_CJK = _drawable(fonts.CJK.regular)[:4000]


def _both_ways(raw: dict[str, Any], **options: Any) -> tuple[bytes, bytes] | None:
    try:
        ours = kreport.build_bytes(raw, **options)
    except (InputError, LayoutError):
        return None  # refused (what fits, what a font lacks): the validator's tests' concern
    with everything_reportlab():
        theirs = kreport.build_bytes(raw, **options)
    return ours, theirs


@pytest.mark.slow
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(case=hostile_briefing(), paper=st.sampled_from(["a4", "letter"]), pdfa=st.booleans())
def test_a_hostile_page_is_the_same_with_every_shortcut_aside(
    case: tuple[dict[str, Any], str | None], paper: str, pdfa: bool
) -> None:
    raw, language = case
    both = _both_ways(raw, language=language, paper=paper, pdfa=pdfa)
    if both is not None:
        assert both[0] == both[1]


KARAMAY = kreport.example_path("karamay")


@pytest.mark.parametrize(
    ("title", "language"),
    [
        ("Fraud (reported) \\ cases ) ( \\\\ #1 / 2 %", None),
        ("Caf\u00e9 re\u0301sume\u0301 \u00a0no-break\u00a0space, soft\u00adhyphen", None),
        ("W" * 40 + " " + "#/" * 10, None),
        ("tab\there\r\nline\u2009thin\u3000wide", None),
        ("电信诈骗（案件）\\ 反诈 #1 / 2", "zh"),
    ],
)
def test_hostile_titles_are_the_same_with_every_shortcut_aside(
    title: str, language: str | None
) -> None:
    import tomllib

    raw = tomllib.loads(KARAMAY.read_text("utf-8"))
    raw = {**raw, "title": title, "agency": title[:50], "mixed_languages": True}
    both = _both_ways(raw, language=language)
    assert both is not None  # built: the comparison compares something
    assert both[0] == both[1]


def test_a_page_of_many_chinese_characters_takes_second_subsets_alike() -> None:
    """Over 256 distinct characters: reportlab starts another subset of the face."""
    import tomllib

    raw = tomllib.loads(KARAMAY.read_text("utf-8"))
    many = _CJK[:600]
    raw = {
        **raw,
        "language": "zh",
        "title": "".join(many[:40]),
        "highlights": ["".join(many[40 + i * 100 : 140 + i * 100]) for i in range(5)],
        "mixed_languages": True,
    }
    raw.pop("translations", None)
    both = _both_ways(raw, language="zh")
    assert both is not None
    ours, theirs = both
    assert ours == theirs
    import pikepdf

    with pikepdf.open(io.BytesIO(ours)) as pdf:
        names = {str(f.BaseFont) for f in pdf.pages[0].Resources.Font.values()}
    assert any(n.startswith("/AAAAAB+") for n in names), names  # the second subset


# -- one line of a paragraph, measured (oneline.py) ---------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    text=_hostile_text(60, _LATIN),
    width=st.one_of(st.floats(0, 600), st.sampled_from([0.0, 1e-9, 0.5, 30.0, 1e6])),
    which=st.sampled_from(["body", "cell", "cell_num", "heading"]),
)
def test_a_hostile_paragraph_on_one_line_is_left_as_reportlab_leaves_it(
    text: str, width: float, which: str
) -> None:
    s = make_styles(fonts.LATIN, 1.07)
    style = getattr(s, which)
    markup = escape(text)
    ours, theirs = para(markup, style, s), para(markup, style, s)
    taken = oneline.wrap_one_line(ours, width)
    size = Paragraph.wrap(theirs, width, 1000)
    if taken is None:  # left to reportlab: untouched
        assert ours.__dict__.keys() == para(markup, style, s).__dict__.keys()
        return
    assert taken == size
    assert list(ours.__dict__) == list(theirs.__dict__)
    for name, value in theirs.__dict__.items():
        if name == "blPara":
            assert list(vars(ours.blPara).items()) == list(vars(value).items())
        elif name == "frags":
            assert [vars(f) for f in ours.frags] == [vars(f) for f in value]
        else:
            assert ours.__dict__[name] == value, name


# -- a line of words, drawn (drawtext.draw_string) ----------------------------------------------

_ANY_TEXT = st.one_of(
    st.text(max_size=30),
    st.lists(
        st.sampled_from([*_TRICKY, "\x00", "\x7f", "\ud800", "\udfff", "😀", "𠀀", "\ue000", "中"]),
        max_size=12,
    ).map("".join),
)


def _drawn_strings(texts: list[str], sizes: tuple[float, float]) -> tuple[Any, ...]:
    canvas = Canvas(io.BytesIO(), invariant=1)
    done: list[object] = []
    for name in (fonts.LATIN.regular.name, fonts.LATIN.bold.name, fonts.CJK.regular.name):
        canvas.setFont(name, *sizes)
        for i, text in enumerate(texts):
            try:
                drawtext.draw_string(canvas, 10.5 + i, 700.25 - i * 9, text)
            except Exception as e:  # whatever reportlab refuses, refused alike
                done.append(type(e))
    state = [
        getFont(n).state.get(canvas._doc)
        for n in (fonts.LATIN.regular.name, fonts.CJK.regular.name)
    ]
    return list(canvas._code), done, [(f.subsets, f.assignments) for f in state if f is not None]


@settings(max_examples=120, deadline=None)
@given(
    texts=st.lists(_ANY_TEXT, min_size=1, max_size=6),
    sizes=st.sampled_from([(7.5, 9.0), (12.0, 13.25), (0.1, 0.0)]),
)
def test_any_string_is_drawn_as_reportlabs_drawstring_draws_it(
    texts: list[str], sizes: tuple[float, float]
) -> None:
    shortcut = _drawn_strings(texts, sizes)
    with test_drawing.reportlab_drawing():
        assert _drawn_strings(texts, sizes) == shortcut


# -- the file's objects, formatted (objfmt.py) --------------------------------------------------

_ANY_KEYS = st.text(min_size=1, max_size=6)  # '#', '/', spaces, NUL, non-ASCII, surrogates
_ANY_NUMBERS = st.one_of(
    st.integers(), st.floats(), st.sampled_from([-0.0, 2**60, 2.0**60, 10**16, 1e16, True])
)
_ANY_VALUES = st.recursive(
    st.one_of(
        _ANY_NUMBERS,
        _ANY_KEYS.map(PDFName),
        st.text(max_size=8),
        st.builds(PDFString, st.text(max_size=8)),
        st.binary(max_size=4),
    ),
    lambda inner: st.one_of(
        st.builds(PDFArray, st.lists(inner, max_size=14)),
        st.builds(PDFDictionary, st.dictionaries(_ANY_KEYS, inner, max_size=8)),
        st.builds(
            lambda d: PDFDictionary(OrderedDict(d)), st.dictionaries(_ANY_KEYS, inner, max_size=8)
        ),
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(first=_ANY_VALUES, second=_ANY_VALUES)
def test_any_names_texts_and_numbers_are_formatted_as_reportlab_formats_them(
    first: Any, second: Any
) -> None:
    """Dictionary keys and names of any characters, texts reportlab's encoding cannot write
    (an error both ways), numbers of every kind; each formatted twice, the second time from
    what the first kept."""
    doc = Canvas(io.BytesIO())._doc
    for value in (first, second, first, second):
        assert test_objfmt._outcome(objfmt.value, value, doc) == test_objfmt._outcome(
            format, value, doc
        )
