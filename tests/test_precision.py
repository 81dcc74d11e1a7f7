"""Numbers: one precision per column, short forms that lose no digit, changes rounded to what
their figures support (rules in kreport/page/precision.py, documented in the README)."""

from __future__ import annotations

from typing import Any

import pytest

import kreport
from kreport.model import Metric
from kreport.page.precision import column, figures
from pdfread import missing_from, read_pdf

MONEY = Metric("x", money=True)
COUNT = Metric("n")
PERCENT = Metric("p", unit="%")


@pytest.mark.parametrize(
    ("value", "currency", "language", "shown"),
    [
        (1_902_600, "CNY", "en", "CNY 1,902,600"),  # 1.9026 million: the short form would round
        (651_800_000, "SGD", "en", "SGD 651.8 million"),
        (1_902_600, "CNY", "zh", "190.26万元"),
        (651_800_000, "SGD", "zh", "65,180万新加坡元"),  # 6.518亿 needs three decimals
        (7_390_000_000, "HKD", "zh-HK", "73.9億元"),
        (987_654_321_005, "CNY", "en", "CNY 987,654,321,005"),
        (876_543_210_000, "CNY", "en", "CNY 876,543,210,000"),  # never "876,543.21 million"
    ],
)
def test_a_short_form_loses_no_digit(
    value: float, currency: str, language: Any, shown: str
) -> None:
    assert column([MONEY], [value], currency, language) == [shown]


def test_counts_shorten_beside_money_at_the_same_threshold() -> None:
    shown = column([COUNT, MONEY], [2_600_000, 12_500_000_000], "USD", "en")
    assert shown == ["2.6 million", "USD 12.5 billion"]


@pytest.mark.parametrize(
    ("metrics", "values", "language", "shown"),
    [
        ([MONEY, MONEY], [256e6, 201.1e6], "en", ["AUD 256.0 million", "AUD 201.1 million"]),
        ([PERCENT, PERCENT], [16, 12.6], "en", ["16.0%", "12.6%"]),
        (
            [MONEY, MONEY],
            [66_530_000, 56_858_000],
            "zh",
            ["6,653.0万澳大利亚元", "5,685.8万澳大利亚元"],
        ),
        # short and full forms of one kind keep their own decimals; counts stay whole
        (
            [MONEY, MONEY, COUNT],
            [651.8e6, 13_999, 46_563],
            "en",
            ["AUD 651.8 million", "AUD 13,999", "46,563"],
        ),
    ],
)
def test_one_precision_per_column(
    metrics: list[Metric], values: list[float], language: Any, shown: list[str]
) -> None:
    assert column(metrics, values, "AUD", language) == shown


def base(metrics: list[dict[str, Any]]) -> dict[str, Any]:
    return {"title": "t", "agency": "a", "period": "p", "metrics": metrics}


def test_computed_changes_are_rounded_alike_to_what_the_smallest_base_supports() -> None:
    fine = [
        {"label": "A", "value": 9800, "previous": 10_000},  # -2.0%
        {"label": "B", "value": 10_990, "previous": 10_000},  # +9.9%
    ]
    f = read_pdf(kreport.build_bytes(base(fine)))
    assert missing_from(f, ["2.0%*", "9.9%*"]) == []
    coarse = [*fine, {"label": "C", "value": 160, "previous": 150}]  # a base under 1,000
    b = kreport.parse(base(coarse))
    assert figures(b).pct_decimals == 0
    f = read_pdf(kreport.build_bytes(base(coarse)))
    assert missing_from(f, ["2%*", "10%*", "7%*"]) == []
    assert "6.7%" not in f.text and "9.9%" not in f.text


def test_a_small_count_shows_its_difference_not_a_percentage() -> None:
    f = read_pdf(
        kreport.build_bytes(base([{"label": "Repeat victims", "value": 18, "previous": 17}]))
    )
    assert missing_from(f, ["1 more*"]) == []
    assert "5.9%" not in f.text and "6%" not in f.text


def test_published_changes_print_as_published() -> None:
    data = base([{"label": "A", "change_pct": -12.5}, {"label": "B", "change_pct": 171}])
    f = read_pdf(kreport.build_bytes(data))
    assert missing_from(f, ["12.5%", "171%"]) == []
    assert "171.0%" not in f.text


def test_points_changes_take_the_decimals_of_their_percentages() -> None:
    data = base([{"label": "Rate", "value": 14.5, "previous": 12.0, "unit": "%"}])
    f = read_pdf(kreport.build_bytes(data))
    assert missing_from(f, ["14.5%", "12.0%", "2.5 pts*"]) == []


def test_the_key_figures_print_what_the_table_prints() -> None:
    data = base(
        [
            {"label": "A", "value": 256e6, "money": True, "headline": True},
            {"label": "B", "value": 201.1e6, "money": True, "headline": True},
        ]
    )
    data["currency"] = "AUD"
    f = read_pdf(kreport.build_bytes(data))
    # the tile sets the digits and the unit in two sizes: extracted text keeps both
    assert f.text.count("256.0") == 2 and f.text.count("201.1") == 2


def test_karamay_keeps_exactly_the_published_figures() -> None:
    en = read_pdf(kreport.build_bytes(kreport.example_path("karamay")))
    published = ["12.5%", "171%", "CNY 1,902,600", "954 cards", "CNY 113,500", "151"]
    assert missing_from(en, [*published, "CNY 629,100", "41,573 messages"]) == []
    zh = read_pdf(kreport.build_bytes(kreport.example_path("karamay"), language="zh"))
    assert missing_from(zh, ["190.26万元", "11.35万元", "62.91万元", "41,573条"]) == []


def test_cases_and_losses_charts_keep_one_format_and_precision_per_column() -> None:
    """example-city printed "CNY 1.02 million" beside "CNY 688,200", and "−2%*" beside
    "−22.4%*": each chart of the two-measure block is a column, with one form for its figures
    and one number of decimals for its changes."""
    import re

    from helpers import charts_in
    from kreport.page.layout import lay_out

    layout = lay_out(kreport.parse(kreport.example_path("example-city"), "en"))
    cases, losses = [c for c in charts_in(layout) if not c.diverging][:2]
    for chart in (cases, losses):
        texts = [r.text for r in chart.rows]
        assert not any("million" in t for t in texts) or all("million" in t for t in texts)
        decimals = {
            len(m.group(1) or "") for t in texts if (m := re.search(r"\d(?:\.(\d+))?%\*", t))
        }
        assert len(decimals) == 1, texts
    # cases from bases under 1,000: whole %; losses (amounts) with their decimal
    assert all("." not in r.text.split()[-1] for r in cases.rows)
    assert "CNY 1,020,500  −22.4%*" in [r.text for r in losses.rows]
