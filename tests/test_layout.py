"""The page layout as objects, before anything is drawn: sections, heights, folded charts."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kreport
from helpers import REQUIRED, charts_in
from kreport.model import Breakdown, FraudType
from kreport.page.charts import Shown, fold_types
from kreport.page.layout import PAPERS, PageLayout, lay_out
from kreport.page.palette import OTHER, THIS_PERIOD
from pdfread import missing_from, read_pdf

EXAMPLES = [("karamay", "en"), ("karamay", "zh"), ("singapore", "en"), ("jieyang", "zh")]
ALL_SECTIONS = ["header", "key figures", "main points", "summary table", "charts"]


def names(layout: PageLayout) -> list[str]:
    return [name for name, _ in layout.sections]


@pytest.mark.parametrize(("name", "lang"), EXAMPLES)
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_examples_fit_the_frame(name: str, lang: str, paper: str) -> None:
    layout = lay_out(kreport.parse(kreport.example_path(name), lang), paper)
    _, _, width, height = layout.frame
    assert names(layout) == ALL_SECTIONS
    assert 0 < layout.used_height <= height
    assert all(h > 0 for _, h in layout.sections)
    assert width < layout.page_size[0] and height < layout.page_size[1]


def test_karamay_sections_in_reading_order() -> None:
    layout = lay_out(kreport.parse(kreport.example_path("karamay")))
    assert names(layout) == ALL_SECTIONS
    assert charts_in(layout)[0].diverging  # year-on-year bars diverge from zero
    assert [r.text for r in charts_in(layout)[0].rows] == ["\u221212.5%", "+171%"]


def base(**extra: Any) -> dict[str, Any]:
    # English texts built in every edition here: a mixed page, asked for
    return {**REQUIRED, "mixed_languages": True, **extra}


def test_only_metrics_has_no_charts() -> None:
    data = base(metrics=[{"label": f"Metric {i}", "value": 10 * i} for i in range(1, 6)])
    layout = lay_out(kreport.parse(data))
    assert names(layout) == ["header", "key figures", "summary table"]
    assert charts_in(layout) == []
    assert read_pdf(kreport.build_bytes(data)).pages == 1


def test_only_fraud_types_has_no_figures_or_table() -> None:
    data = base(fraud_types=[{"label": f"Type {i}", "cases": 10 - i} for i in range(5)])
    layout = lay_out(kreport.parse(data))
    assert names(layout) == ["header", "charts"]
    [chart] = charts_in(layout)
    assert [r.label for r in chart.rows] == [[f"Type {i}"] for i in range(5)]
    f = read_pdf(kreport.build_bytes(data))
    assert f.pages == 1
    assert missing_from(f, [f"Type {i}" for i in range(5)]) == []


def thirty_types() -> dict[str, Any]:
    types = [{"label": f"Scam type {i:02d}", "cases": 300 - i} for i in range(30)]
    return base(fraud_types=types, metrics=[{"label": "Cases", "value": 8565}])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_thirty_types_fold_into_ten_rows_other_last(lang: str) -> None:
    briefing = kreport.parse(thirty_types(), lang)
    [chart] = charts_in(lay_out(briefing))
    labels = [" ".join(r.label) for r in chart.rows]
    other = "Other (21 types)" if lang == "en" else "其他（21类）"
    assert len(chart.rows) == 10
    assert labels[-1] == other
    assert labels[:-1] == [f"Scam type {i:02d}" for i in range(9)]
    assert sum(r.value for r in chart.rows) == sum(300 - i for i in range(30))
    # the folded row is drawn lighter than the ranked types
    assert chart.rows[-1].tone == OTHER and chart.rows[0].tone == THIS_PERIOD
    f = read_pdf(kreport.build_bytes(briefing))
    shown = [f"Scam type {i:02d}" for i in range(30) if not missing_from(f, [f"Scam type {i:02d}"])]
    assert shown == labels[:-1]
    assert missing_from(f, [other]) == []


def t(label: str, cases: int, prev: int | None = None, other: bool = False) -> FraudType:
    return FraudType(label, cases=cases, previous_cases=prev, other=other)


def fold(types: list[FraudType], rows: int, basis: Breakdown = Breakdown.CASES) -> list[Shown]:
    return fold_types(types, basis, rows, "Other ({n} types)", "{n} more types")


def test_fold_types_keeps_small_lists_sorted() -> None:
    types = [t("b", 2), t("Other", 9, other=True), t("a", 5)]
    assert [s.type for s in fold(types, 10)] == [types[2], types[0], types[1]]
    assert [s.folded for s in fold(types, 10)] == [0, 0, 0]


def test_fold_types_never_merges_into_the_users_own_other_row() -> None:
    types = [t(f"x{i}", 20 - i, 10) for i in range(12)] + [t("Others", 7, 3, other=True)]
    folded = fold(types, 5)
    assert [f.type.label for f in folded] == ["x0", "x1", "x2", "9 more types", "Others"]
    assert folded[-1].type is types[-1]  # the user's row, untouched
    assert folded[-2].folded == 9
    assert folded[-2].type.cases == sum(20 - i for i in range(3, 12))
    assert folded[-2].type.previous_cases == 9 * 10
    assert sum(f.type.cases or 0 for f in folded) == sum(x.cases or 0 for x in types)


def test_fold_types_previous_unknown_when_any_part_lacks_it() -> None:
    types = [t("a", 9, 1), t("b", 8, 1), t("c", 7, None), t("d", 6, 1)]
    folded = fold(types, 2)
    assert folded[-1].type == FraudType(
        "Other (3 types)", cases=8 + 7 + 6, previous_cases=None, other=True
    )


def test_fold_types_by_losses() -> None:
    types = [FraudType(f"l{i}", losses=1000.5 * (i + 1), previous_losses=1.0) for i in range(6)]
    folded = fold_types(types, Breakdown.LOSSES, 3, "其他（{n}类）", "其余{n}类")
    assert [f.type.label for f in folded] == ["l5", "l4", "其他（4类）"]
    assert folded[-1].type.losses == pytest.approx(1000.5 * (1 + 2 + 3 + 4))
    assert folded[-1].type.previous_losses == 4.0


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(0, 10_000), min_size=1, max_size=40),
    others=st.sets(st.integers(0, 39), max_size=4),
    max_rows=st.integers(2, 10),
)
def test_fold_types_properties(counts: list[int], others: set[int], max_rows: int) -> None:
    types = [t(f"type {i}", c, other=i in others) for i, c in enumerate(counts)]
    folded = fold(types, max_rows)
    assert len(folded) <= max_rows
    assert sum(f.type.cases or 0 for f in folded) == sum(counts)
    assert sum(max(f.folded, 1) for f in folded) == len(types)
    # a label in the chart is either the user's own, untouched, or ours with its count
    for f in folded:
        assert f.type in types if not f.folded else f"{f.folded} " in f.type.label
    # ranked rows first, largest first; the folded and catch-all rows last
    flags = [f.unranked for f in folded]
    assert flags == sorted(flags)
    ranked = [f.type.cases or 0 for f in folded if not f.unranked]
    assert ranked == sorted(ranked, reverse=True)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_page_that_cannot_fit_names_its_largest_sections(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file within the limits fits A4 and Letter; on a page too small, the build fails
    after every step of the degradation order, naming what is too large."""
    monkeypatch.setitem(PAPERS, "a4", (595.0, 400.0))
    data = base(
        language=lang,
        metrics=[
            {"label": f"Indicator {i}", "value": 1000 + i, "previous": 900} for i in range(10)
        ],
        highlights=["A main point long enough to wrap over more than one line of the page. " * 3]
        * 5,
    )
    with pytest.raises(kreport.LayoutError) as err:
        kreport.build_bytes(data)
    message = str(err.value)
    assert "taller than one page" in message
    assert "summary table" in message and "main points" in message
    assert "smallest type, fraud types folded and the change chart left out" in message
