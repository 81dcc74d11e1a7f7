"""Chinese editions: texts, fonts, Traditional characters, translations, line-break rules."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import kreport
from kreport.page import numbers
from pdfread import PdfFacts, missing_from, read_pdf

KARAMAY_TYPES = ["兼职刷单类", "冒充客服类", "虚假征信类", "虚假服务类", "虚假投资理财类", "贷款类"]
JIEYANG_TYPES = {
    "刷单返利类": 16,
    "贷款、代办信用卡类": 13,
    "冒充电商物流客服类": 13,
    "其他类型": 8,
    "冒充公检法及政府机关类": 5,
    "虚假购物、服务类": 4,
    "网络游戏产品虚假交易类": 4,
    "投资理财类": 2,
    "冒充领导、熟人类": 1,
    "网络婚恋、交友类": 1,
}
NO_LINE_START = "，。；：、？！）》」』】"


def test_karamay_zh_texts(facts: dict[str, PdfFacts]) -> None:
    f = facts["karamay-zh"]
    expected = [
        "克拉玛依市公安局",
        "打击治理电信网络诈骗工作简报",
        "2023年1月至4月",
        *KARAMAY_TYPES,
    ]
    assert missing_from(f, expected) == []
    # the published order of a list without counts is kept
    order = [f.text.index(t) for t in KARAMAY_TYPES]
    assert order == sorted(order)


def test_jieyang_types_with_counts(facts: dict[str, PdfFacts]) -> None:
    total = sum(JIEYANG_TYPES.values())
    assert total == 67  # the published total
    shown = [
        f"{numbers.number(n, 'zh')} · {numbers.share(n, total, 'zh')}"
        for n in JIEYANG_TYPES.values()
    ]
    assert "16 · 24%" in shown
    assert missing_from(facts["jieyang-zh"], [*JIEYANG_TYPES, *shown]) == []


@pytest.mark.parametrize("key", ["karamay-zh", "jieyang-zh"])
def test_zh_page_uses_only_wenquanyi(facts: dict[str, PdfFacts], key: str) -> None:
    fonts = facts[key].fonts
    assert fonts
    assert all("WenQuanYi" in name and embedded for name, embedded in fonts.items()), fonts


def traditional() -> dict[str, Any]:
    return {
        "title": "電信詐騙案件簡報",
        "agency": "臺北市政府警察局",
        "period": "2023年1月至4月",
        "language": "zh-TW",
        "currency": "TWD",
        "highlights": ["詐騙損失逾三萬元，民眾應提高警覺。"],
        "metrics": [
            {"label": "詐騙案件", "value": 120, "unit": "件", "headline": True},
            {"label": "財物損失", "value": 35000, "money": True},
        ],
    }


def test_traditional_characters_print() -> None:
    f = read_pdf(kreport.build_bytes(traditional()))
    assert f.pages == 1
    assert (
        missing_from(f, ["電信詐騙案件簡報", "臺北市政府警察局", "詐騙損失逾三萬元", "120件"]) == []
    )
    assert f.fonts and all(f.fonts.values())
    assert all("WenQuanYi" in name for name in f.fonts)


def test_traditional_in_an_english_edition_switches_face() -> None:
    """DejaVu has no Han characters: the whole page is then set in WenQuanYi, never blanks."""
    data = {**traditional(), "language": "en", "title": "Fraud briefing 詐騙 萬"}
    data["mixed_languages"] = True  # Chinese texts in an English edition, asked for
    f = read_pdf(kreport.build_bytes(data))
    assert missing_from(f, ["Fraud briefing 詐騙 萬"]) == []
    assert all("WenQuanYi" in name and emb for name, emb in f.fonts.items())


def test_missing_translation_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "half.toml"
    path.write_text(
        'title = "简报"\nagency = "公安局"\nperiod = "本周"\nlanguage = "zh"\n\n'
        '[[metrics]]\nlabel = {en = "x"}\nvalue = 1\n',
        encoding="utf-8",
    )
    with pytest.raises(kreport.InputError) as err:
        kreport.build_bytes(path)
    [problem] = err.value.problems
    assert problem.path == "metrics[0].label"
    assert "zh" in problem.message
    assert str(path) in str(err.value)


def test_english_edition_of_a_zh_only_text_is_refused() -> None:
    data = {**traditional(), "title": {"zh": "简报"}}
    with pytest.raises(kreport.InputError, match=r"title: no 'en' text"):
        kreport.parse(data, "en")


@pytest.mark.parametrize("char", ["\U0001f600", "\ue000"])
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_unprintable_character_names_character_and_field(char: str, lang: str) -> None:
    data = {**traditional(), "language": lang, "highlights": ["正常", f"含有{char}字符"]}
    data["mixed_languages"] = True  # the English edition prints the Chinese texts as they are
    with pytest.raises(kreport.InputError) as err:
        kreport.build_bytes(data)
    [problem] = err.value.problems
    assert problem.path == "highlights[1]"
    assert f"U+{ord(char):04X}" in problem.message


def kinsoku_briefing() -> dict[str, Any]:
    """Commas and full stops at every offset, so some must fall where a line ends."""
    phrase = "电信网络诈骗警情同比下降，破获案件上升。"
    return {
        "title": "标点测试" + "，标点" * 5,
        "agency": "测试公安局",
        "period": "2023年",
        "language": "zh",
        "source": ("来源：" + "某某市公安局新闻发布会，" * 12)[:100],  # each character counts two
        "highlights": [("啊" * k + phrase * 6)[:120] for k in range(5)],
        "metrics": [
            {"label": "诈骗" * (6 + k) + "，" + "案件" * 2, "value": 10 + k} for k in range(6)
        ],
        "fraud_types": [{"label": "啊" * k + "冒充客服，" + "类" * k} for k in range(8)],
    }


def line_starts(text: str) -> list[str]:
    return [line.strip()[0] for line in text.splitlines() if line.strip()]


def test_no_closing_punctuation_starts_a_line() -> None:
    f = read_pdf(kreport.build_bytes(kinsoku_briefing()))
    assert f.pages == 1
    for reader, text in (("PDFium", f.text), ("pypdf", f.text_pypdf)):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert len(lines) > 40, "the test text did not wrap"
        bad = [line for line in lines if line[0] in NO_LINE_START]
        assert bad == [], f"{reader}: lines starting with closing punctuation: {bad}"


@pytest.mark.parametrize("key", ["karamay-zh", "jieyang-zh"])
def test_examples_have_no_line_starting_with_punctuation(
    facts: dict[str, PdfFacts], key: str
) -> None:
    starts = line_starts(facts[key].text)
    assert not set(starts) & set(NO_LINE_START)


def is_widow(line: str) -> bool:
    """One CJK character alone on a line, with nothing but its punctuation."""
    core = line.rstrip(NO_LINE_START + " ")
    return len(core) == 1 and "\u4e00" <= core <= "\u9fff"


@pytest.mark.parametrize(
    "text",
    [
        "公安机关将深入分析受害群体和本地案件，坚持分类施策，保持宣传防范的针对性。",
        "網上騙案佔整體約六成（25,346宗），涉款52.4億元，以網購騙案最多（11,449宗）。",
        "如有懷疑，請致電防騙易熱線18222查詢。",
        "2025年1月至11月共接獲39,490宗詐騙案，較2024年同期下跌2.4%；涉案騙款約73.9億元，減少13.3%。",
    ],
)
def test_no_line_holds_one_character_and_its_punctuation(text: str) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from kreport import fonts
    from kreport.page.wrap import wrap

    fonts.CJK.register()
    face = fonts.CJK.regular.name
    for n in range(8, len(text)):  # at least 8 characters a line, as on the page
        width = stringWidth(text[:n], face, 10) + 0.5
        lines = wrap(text, width, face, 10)
        assert "".join(lines).replace(" ", "") == text.replace(" ", ""), "nothing lost"
        assert len(lines) == 1 or not is_widow(lines[-1]), lines
        assert not [line for line in lines[1:] if line[0] in NO_LINE_START], lines
        for number in re.findall(r"[\d.,%]*\d[\d.,%]*", text):  # a number never breaks
            assert any(number.rstrip(".,") in line for line in lines), (number, lines)


def test_the_widow_rule_moves_a_character_down() -> None:
    """Where plain breaking would leave 性。 alone, the last line takes 对 with it."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from kreport import fonts
    from kreport.page.wrap import wrap

    fonts.CJK.register()
    face = fonts.CJK.regular.name
    text = "公安机关将深入分析受害群体和本地案件，坚持分类施策，保持宣传防范的针对性。"
    lines = wrap(text, stringWidth(text[:12], face, 10) + 0.5, face, 10)
    assert lines[-2:] == ["策，保持宣传防范的针", "对性。"]
