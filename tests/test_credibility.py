"""Credibility: issued after the period, one language per edition unless asked, kreport's name
in the metadata and not on the page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import kreport
from helpers import REQUIRED
from kreport.source import period
from kreport.source.period import period_end
from pdfread import read_pdf


def base(**extra: Any) -> dict[str, Any]:
    return {**REQUIRED, "metrics": [{"label": "Reports", "value": 12}], **extra}


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("2023", dt.date(2023, 12, 31)),
        ("Q1 2024", dt.date(2024, 3, 31)),
        ("March 2024", dt.date(2024, 3, 31)),
        ("January–April 2023", dt.date(2023, 4, 30)),
        ("November 2022 – February 2023", dt.date(2023, 2, 28)),
        ("18–24 September 2021", dt.date(2021, 9, 24)),
        ("28 August–3 September 2023", dt.date(2023, 9, 3)),
        ("September 18–24, 2021", dt.date(2021, 9, 24)),
        ("2023年1月至4月", dt.date(2023, 4, 30)),
        ("2023年1-4月", dt.date(2023, 4, 30)),
        ("2022年11月至2023年2月", dt.date(2023, 2, 28)),
        ("2021年9月18日至24日", dt.date(2021, 9, 24)),
        ("2024年第一季度", dt.date(2024, 3, 31)),
        ("Week 12", None),
        ("the year to date", None),
        ("31 February 2023", None),
        # no such month or year: not checked (these were internal errors)
        ("2023年13月", None),
        ("2023年1月至13月", None),
        ("2023年2月30日", None),
        ("0000", None),
        ("0000年", None),
        ("Q1 0000", None),
        ("ſep 2023", None),  # matched as "sep" only by case-insensitive matching
        ("9999年12月", dt.date(9999, 12, 31)),
        ("2024年2月", dt.date(2024, 2, 29)),
        ("February 2023", dt.date(2023, 2, 28)),
    ],
)
def test_the_end_of_a_period_is_read_only_when_sure(text: str, end: dt.date | None) -> None:
    assert period_end(text) == end


def test_month_names_are_the_english_ones_calendar_gives() -> None:
    import calendar

    assert {
        name.lower(): i
        for i in range(1, 13)
        for name in (calendar.month_name[i], calendar.month_abbr[i], calendar.month_abbr[i] + ".")
    } == period._MONTHS


def test_an_issue_date_before_the_period_ends_is_refused() -> None:
    with pytest.raises(kreport.InputError) as err:
        kreport.parse(base(period="January–April 2023", issued="2023-03-01"))
    [problem] = err.value.problems
    assert problem.path == "issued"
    assert "2023-03-01 is before the end of the period" in problem.message
    assert "2023-04-30" in problem.message
    assert kreport.parse(base(period="January–April 2023", issued="2023-04-30")).issued
    assert kreport.parse(base(period="Week 12", issued="2020-01-01")).issued  # not checked


def test_a_tally_built_for_other_months_does_not_carry_the_tomls_issue_date() -> None:
    from kreport.tally.briefings import briefings

    spec = Path(__file__).parent.parent / "assets" / "example-tally.toml"  # months 2023-01..04
    ((_, own),) = briefings(spec, None)
    ((_, other),) = briefings(spec, "2023-07..2023-12")
    assert "issued" in own and "issued" not in other
    assert read_pdf(kreport.build_bytes(other)).text.count("Issued") == 0


@pytest.mark.parametrize("lang", ["zh", "zh-HK"])
def test_english_texts_in_a_chinese_edition_are_refused_by_field(lang: str) -> None:
    data = base(title={"en": "Weekly briefing", "zh": "周报", "zh-HK": "周報"})
    with pytest.raises(kreport.InputError) as err:
        kreport.parse(data, lang)
    paths = [p.path for p in err.value.problems]
    assert paths == ["agency", "period", "metrics[0].label"]  # the title has its translation
    assert all("English text in the Chinese edition" in p.message for p in err.value.problems)
    assert all("mixed_languages = true" in p.message for p in err.value.problems)


def test_chinese_texts_in_an_english_edition_are_refused() -> None:
    with pytest.raises(kreport.InputError) as err:
        kreport.parse(base(agency="克拉玛依市公安局"), "en")
    assert [p.path for p in err.value.problems] == ["agency"]


def test_a_mixed_edition_when_asked_for() -> None:
    b = kreport.parse(base(mixed_languages=True), "zh")
    assert b.title == "Weekly briefing" and b.language == "zh"


def test_figures_codes_and_chinese_with_latin_are_not_mixing() -> None:
    data = base(
        language="zh",
        title="APP诈骗警情",
        agency="公安局",
        period="2023年",
        marking="A",
        metrics=[{"label": "诈骗", "value": 12, "unit": "%"}],
    )
    assert kreport.parse(data).title == "APP诈骗警情"


def test_kreports_name_is_in_the_metadata_not_on_the_page(built: dict[str, bytes]) -> None:
    for data in built.values():
        f = read_pdf(data)
        assert "kreport" not in f.text.lower()
        assert f.metadata["/Producer"].startswith("kreport ")
