"""Traditional Chinese editions (zh-Hant, zh-HK, zh-TW, zh-MO): words, units, scripts, example."""

from __future__ import annotations

import gettext
from typing import Any

import pytest

import kreport
from kreport.model import LANGUAGES, Language, is_traditional
from kreport.page import numbers
from kreport.page.words import CATALOGUE, catalogue_path, translations, words
from kreport.source.script import TABLE, one_script
from pdfread import missing_from, read_pdf

TRADITIONAL: list[Language] = [lang for lang in LANGUAGES if is_traditional(lang)]
SIMPLIFIED_ONLY = one_script()["S"]
TRADITIONAL_ONLY = one_script()["T"]


def _catalogue(language: Language) -> dict[str, str]:
    locale = CATALOGUE[language]
    assert locale is not None
    with catalogue_path(locale).open("rb") as fp:
        raw: dict[str, str] = gettext.GNUTranslations(fp)._catalog  # type: ignore[attr-defined]
    return {key: value for key, value in raw.items() if key}


def test_the_one_script_table_is_read_as_its_lines_say() -> None:
    split: dict[str, dict[str, str]] = {"S": {}, "T": {}}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            tag, char, others = line.split("\t")
            assert len(char) == 1 and others, line
            split[tag][char] = others
    assert one_script() == split
    assert len(split["S"]) > 2000 and len(split["T"]) > 5000


def test_the_one_script_table_knows_the_usual_pairs() -> None:
    assert SIMPLIFIED_ONLY["发"] == "發髮" and SIMPLIFIED_ONLY["亿"] == "億"
    assert TRADITIONAL_ONLY["臺"] == "台" and TRADITIONAL_ONLY["騙"] == "骗"
    for both in "台后万里元港同比按年":  # forms of both scripts are never reported
        assert both not in SIMPLIFIED_ONLY and both not in TRADITIONAL_ONLY


@pytest.mark.parametrize("language", TRADITIONAL)
def test_traditional_catalogue_has_no_simplified_character(language: Language) -> None:
    for key, text in _catalogue(language).items():
        bad = [c for c in text if c in SIMPLIFIED_ONLY]
        assert bad == [], f"{language}: {key!r} -> {text!r} has Simplified {bad}"


def test_simplified_catalogue_has_no_traditional_character() -> None:
    for key, text in _catalogue("zh").items():
        assert not [c for c in text if c in TRADITIONAL_ONLY], (key, text)


def test_each_place_uses_its_own_words() -> None:
    assert words("zh").change_vs_last_year.format(change="下降1%") == "同比下降1%"
    assert words("zh-HK").change_vs_last_year.format(change="下跌1%") == "按年下跌1%"
    assert words("zh-MO").vs_last_year == "按年"
    assert words("zh-TW").change_vs_last_year.format(change="減少1%") == "較去年同期減少1%"
    assert words("zh-TW").fall.format(amount="1%") == "減少1%"
    assert words("zh-HK").fall.format(amount="1%") == "下跌1%"
    assert translations("zh-HK").pgettext("summary", "Summary") == "主要數據"


@pytest.mark.parametrize(
    ("language", "amount", "currency", "expected"),
    [
        ("zh", 739_000_000, "CNY", "7.39亿元"),
        ("zh-HK", 7_390_000_000, "HKD", "73.9億元"),  # CLDR's zh_Hant_HK would say 7.39B
        ("zh-MO", 1_430_000, "MOP", "143萬澳門元"),
        ("zh-TW", 15_276_000_000, "TWD", "152.76億元"),
        ("zh-TW", 19_000, "CNY", "1.9萬人民幣"),
        ("zh-HK", 15_276_000_000, "TWD", "152.76億新台幣"),  # CLDR's name in Hong Kong
        ("zh-Hant", 640_000, "SGD", "64萬新加坡幣"),
    ],
)
def test_amounts_as_each_place_writes_them(
    language: Language, amount: float, currency: str, expected: str
) -> None:
    assert numbers.money(amount, currency, language) == expected


def test_taiwan_names_its_dollar_with_tai_as_its_government_writes_it() -> None:
    assert numbers.currency_name("TWD", "zh-TW") == "新臺幣"
    assert numbers.currency_name("TWD", "zh-Hant") == "新台幣"  # CLDR


def _taiwan() -> dict[str, Any]:
    """Traditional text with money in another currency, so every fixed word and unit prints."""
    return {
        "title": "詐騙案件統計",
        "agency": "測試警察局",
        "period": "2023年1月至4月",
        "baseline": "2022年1月至4月",
        "issued": "2023-05-09",
        "currency": "USD",
        "source": "測試資料",
        "highlights": ["詐騙財損減少。"],
        "metrics": [
            {"label": "詐騙案件", "value": 120, "previous": 150, "unit": "件", "better": "down"},
            {"label": "財損", "value": 350_000_000, "change_pct": -3.5, "money": True},
            {"label": "破案率", "value": 12.5, "previous": 10, "unit": "%", "better": "up"},
            {"label": "新增類型", "value": 3, "previous": 0},
        ],
        "fraud_types": [
            {"label": "假投資", "losses": 20_000_000, "previous_losses": 10_000},
            {"label": "網路購物", "losses": 15_000},
        ],
    }


@pytest.mark.parametrize("language", TRADITIONAL)
def test_a_traditional_edition_prints_no_simplified_character(language: Language) -> None:
    facts = read_pdf(kreport.build_bytes(_taiwan(), language))
    assert facts.pages == 1
    w = words(language)
    expected = [w.summary, w.indicator, w.highlights, w.page, w.new, w.computed]
    assert missing_from(facts, expected) == []
    assert "萬" in facts.text and "億" in facts.text
    for reader, text in (("PDFium", facts.text), ("pypdf", facts.text_pypdf)):
        bad = sorted({c for c in text if c in SIMPLIFIED_ONLY})
        assert bad == [], f"{language} ({reader}): Simplified characters on the page: {bad}"


def test_the_simplified_edition_prints_no_traditional_character() -> None:
    data = {**_taiwan(), "title": "诈骗案件统计", "agency": "测试公安局", "source": "测试"}
    data["highlights"] = ["诈骗损失减少。"]
    data["metrics"] = [{**m, "label": "指标", "unit": None} for m in data["metrics"]]
    data["fraud_types"] = [{**t, "label": f"类型{i}"} for i, t in enumerate(data["fraud_types"])]
    for m in data["metrics"]:
        m.pop("unit")
    text = read_pdf(kreport.build_bytes(data, "zh")).text
    assert not sorted({c for c in text if c in TRADITIONAL_ONLY})


@pytest.mark.parametrize("language", ["zh-HK", "zh-TW", "zh-MO", "zh-Hant"])
def test_simplified_text_in_a_traditional_edition_names_the_field(language: Language) -> None:
    data = {**_taiwan(), "highlights": ["正常", "诈骗损失"]}
    with pytest.raises(kreport.InputError) as err:
        kreport.parse(data, language)
    [problem] = err.value.problems
    assert problem.path == "highlights[1]"
    assert "Simplified characters in a Traditional edition" in problem.message
    assert "诈→詐" in problem.message and "损→損" in problem.message


def test_traditional_text_in_the_simplified_edition_names_the_field() -> None:
    data = {**_taiwan(), "title": {"zh": "詐騙案件統計", "zh-TW": "詐騙案件統計"}}
    with pytest.raises(kreport.InputError) as err:
        kreport.parse(data, "zh")
    problems = {p.path: p.message for p in err.value.problems}
    assert "Traditional characters in a Simplified edition" in problems["title"]
    assert "詐→诈" in problems["title"]


def test_fallback_follows_the_chain_and_never_crosses_the_script() -> None:
    data = {**_taiwan(), "title": {"zh": "简体标题", "zh-HK": "香港標題", "zh-Hant": "繁體標題"}}
    with pytest.raises(kreport.InputError, match="set fallback = true to use its 'zh-HK' text"):
        kreport.parse(data, "zh-MO")
    allowed = {**data, "fallback": True}
    assert kreport.parse(allowed, "zh-MO").title == "香港標題"
    assert kreport.parse(allowed, "zh-TW").title == "繁體標題"
    only_simplified = {**allowed, "title": {"zh": "简体标题"}}
    with pytest.raises(kreport.InputError, match="no 'zh-TW' text"):
        kreport.parse(only_simplified, "zh-TW")


def test_hong_kong_example_in_every_traditional_edition() -> None:
    for language in TRADITIONAL:
        facts = read_pdf(kreport.build_bytes(kreport.example_path("hongkong"), language))
        assert facts.pages == 1
        assert missing_from(facts, ["香港警務處", "39,490宗", "11,449 · 29%"]) == []
        assert not {c for c in facts.text if c in SIMPLIFIED_ONLY}
    hk = read_pdf(kreport.build_bytes(kreport.example_path("hongkong"))).text
    assert "73.9億元" in hk and "按年下跌2.4%" in hk


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [("zh", "同比下降12.5%", "同比"), ("en", "12.5%", "on last year")],
)
def test_a_change_only_tile_puts_the_comparison_where_the_edition_does(
    language: str, expected: str, absent: str
) -> None:
    """Chinese says the comparison first ("同比下降12.5%"); English after the label."""
    from kreport.page.layout import lay_out
    from kreport.page.marks import TileFigure

    layout = lay_out(kreport.parse(kreport.example_path("karamay"), language))
    tiles = next(f for f in layout.story if _inside(f, TileFigure))
    cells = [item for row in tiles._cellvalues for cell in row for item in cell]
    assert "".join(cells[0].parts) == expected
    texts = [getattr(c, "text", "") for c in cells]
    if language == "zh":  # said once, in the figure, not again under the label
        assert absent not in texts
    else:
        assert absent in texts


def _inside(flowable: Any, kind: type) -> bool:
    cells = getattr(flowable, "_cellvalues", ())
    return any(isinstance(i, kind) for row in cells for cell in row for i in cell)
