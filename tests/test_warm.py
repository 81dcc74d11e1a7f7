"""The warm path does no work twice when once gives the same page (issue 16); the pages
themselves are held byte-identical by the other tests."""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.platypus import paraparser

from kreport import example_path, fonts, parse
from kreport.errors import InputError
from kreport.page import parsed as parsed_module
from kreport.page.styles import make_styles, para
from kreport.source.keys import text_length


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    # every parse counted as the parser would make it: no plain text or explicit lines made
    # from a kept fragment (tests/test_reuse.py holds those to what the parser makes)
    monkeypatch.setattr(parsed_module.Parsed, "plain", lambda self, key, style: None)
    seen: list[str] = []
    original = paraparser.ParaParser.parse

    def counted(self: paraparser.ParaParser, text: str, style: object) -> object:
        seen.append(text)
        return original(self, text, style)

    monkeypatch.setattr(paraparser.ParaParser, "parse", counted)
    yield seen


def test_a_chinese_paragraph_on_one_line_is_parsed_once(parses: list[str]) -> None:
    fonts.CJK.register()
    s = make_styles(fonts.CJK)
    p = para("电信网络诈骗警情同比下降", s.body, s)
    p.wrap(400, 1000)
    assert parses == ["电信网络诈骗警情同比下降"]
    assert len(p.blPara.lines) == 1
    p.wrap(300, 1000)  # once wrapped, another width starts again from a fresh parse, as before
    assert len(parses) == 2 and len(p.blPara.lines) == 1


def test_a_chinese_paragraph_is_broken_again_for_another_width(parses: list[str]) -> None:
    fonts.CJK.register()
    s = make_styles(fonts.CJK)
    p = para("电信网络诈骗警情同比下降，破获电信网络诈骗案件同比上升", s.body, s)
    p.wrap(400, 1000)
    assert len(p.blPara.lines) == 1
    p.wrap(60, 1000)  # narrower: our own line breaks, parsed as explicit lines
    assert len(p.blPara.lines) > 1 and "<br/>" in parses[-1]
    p.wrap(400, 1000)  # and wide again: one line, parsed afresh
    assert len(p.blPara.lines) == 1 and len(parses) == 3


@given(st.text())
def test_a_texts_length_is_counted_as_the_limits_count_it(text: str) -> None:
    # ASCII texts are counted by their length, without a width lookup per character
    expected = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    assert text_length(text) == expected


def test_right_to_left_text_is_still_refused_beside_ascii() -> None:
    raw = tomllib.loads(example_path("karamay").read_text(encoding="utf-8"))
    raw["language"] = "en"
    raw["title"] = "Fraud briefing שלום"
    with pytest.raises(InputError, match="right to left"):
        parse(raw)


@given(st.dictionaries(st.text(max_size=5), st.text(max_size=12), max_size=6), st.booleans())
def test_missing_glyphs_are_found_as_character_by_character(
    texts: dict[str, str], chinese: bool
) -> None:
    # each character is now looked up once per page, not once per text it appears in
    language = "zh" if chinese else "en"
    face = (
        fonts.CJK if chinese or not all(_old_drawable(t) for t in texts.values()) else fonts.LATIN
    )
    assert fonts.choose(language, texts.values()) is face
    cmap = fonts._cmap(face.regular)
    expected = [
        (path, c)
        for path, text in texts.items()
        for c in dict.fromkeys(text)
        if not c.isspace() and not fonts._covers(cmap, c)
    ]
    assert fonts.missing_glyphs(language, texts) == expected


def _old_drawable(text: str) -> bool:
    cmap = fonts._cmap(fonts.LATIN.regular)
    return all(fonts._covers(cmap, c) for c in text if not c.isspace())
