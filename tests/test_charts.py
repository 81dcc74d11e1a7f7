"""The change chart cannot mislead: one unit per axis, small bases as figures, dwarfing bars cut."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

import kreport
from helpers import REQUIRED, charts_in
from kreport.model import Metric
from kreport.page.charts import BarChart, _drawn, change_groups
from kreport.page.figures import CUT_LENGTH, DWARF_RATIO, SMALL_BASE, cut_rows, small_base
from kreport.page.layout import lay_out
from pdfread import missing_from, read_pdf

GALLERY = Path(__file__).parent / "data" / "gallery"
MIXED = GALLERY / "mixed-changes.toml"
# the same English data in any edition, asked for as a mixed page
ANY_EDITION = {**tomllib.loads(MIXED.read_text(encoding="utf-8")), "mixed_languages": True}


def change_charts(data: Any, lang: str = "en") -> list[BarChart]:
    return [c for c in charts_in(lay_out(kreport.parse(data, lang))) if c.diverging]


def unit_of(text: str) -> str:
    return "%" if text.endswith("%") else "points" if text[-1].isdigit() else "other"


def test_percent_and_points_never_share_an_axis() -> None:
    charts = change_charts(MIXED)
    assert len(charts) == 2
    units = [{unit_of(r.text) for r in c.rows if r.bar} for c in charts]
    assert units == [{"%"}, {"points"}]
    assert [r.text for r in charts[1].rows] == ["+2.5", "\u22122.5"]


def test_each_unit_is_named_when_both_are_charted() -> None:
    f = read_pdf(kreport.build_bytes(MIXED))
    assert missing_from(f, ["Change in %", "Change in percentage points"]) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_small_base_is_shown_as_its_figures_not_a_bar(lang: str) -> None:
    [pct, _] = change_charts(ANY_EDITION, lang)
    rows = {r.label[0]: r for r in pct.rows}
    assert rows["Cases solved"].text == "2 \u2192 52"
    assert not rows["Cases solved"].bar
    assert rows["Repeat victims"].text == "17 \u2192 18"
    assert rows["Fraud reports"].bar  # 3,600 is no small base


def test_a_small_base_change_is_a_count_difference_in_the_table() -> None:
    f = read_pdf(kreport.build_bytes(MIXED))
    assert missing_from(f, ["50 more*", "1 more*"]) == []
    assert "2,500%" not in f.text and "5.9%" not in f.text
    zh = read_pdf(kreport.build_bytes(ANY_EDITION, language="zh"))
    assert missing_from(zh, ["增加50*", "基数不足20"]) == []


def test_small_base_rule() -> None:
    assert SMALL_BASE == 20
    kind = kreport.parse(MIXED).metrics[1]  # 2 -> 52
    assert small_base(kind)
    big = Metric("x", value=52, previous=20, change=kind.change)
    assert not small_base(big)
    money = Metric("y", value=52, previous=19.5, change=kind.change, money=True)
    assert small_base(money)


def test_a_dwarfing_bar_is_cut_and_labelled_with_its_true_value() -> None:
    [pct, _] = change_charts(MIXED)
    labels = [r.label[0] for r in pct.rows]
    crypto = labels.index("Crypto-asset reports")
    assert pct.cut == {crypto}
    assert pct.rows[crypto].text == "+2,400%"
    drawn, _ = _drawn(pct)
    uncut = max(abs(d) for i, d in enumerate(drawn) if i != crypto)
    assert drawn[crypto] == pytest.approx(CUT_LENGTH * uncut)
    f = read_pdf(kreport.build_bytes(MIXED))
    assert missing_from(f, ["+2,400%", "A broken bar is too long to draw to scale"]) == []


@pytest.mark.parametrize(
    ("magnitudes", "cut"),
    [
        ([46.8, 1.3, 49.6, 32.8], set()),  # one small change does not get the others cut
        ([12.5, 171], set()),  # Karamay: 13.7 times, drawn to scale
        ([12.0, 2400.0, 16.9, 27.6], {1}),
        ([3000.0, 2500.0, 10.0, 12.0, 9.0], {0, 1}),
        ([0.0, 0.0, 5.0], set()),
        ([5.0], set()),
    ],
)
def test_cut_rows(magnitudes: list[float], cut: set[int]) -> None:
    assert cut_rows(magnitudes) == cut


def test_cut_rule_is_relative_to_the_median_of_the_others() -> None:
    just = [1.0, 1.0, 1.0, DWARF_RATIO * 1.0]
    assert cut_rows(just) == set()
    assert cut_rows([*just[:3], DWARF_RATIO * 1.01]) == {3}


def base(**extra: Any) -> dict[str, Any]:
    return {**REQUIRED, **extra}


def test_a_single_change_gets_no_chart() -> None:
    one_pct = [
        {"label": "Reports", "change_pct": -12.5},
        {"label": "Rate", "value": 10.0, "previous": 8.0, "unit": "%"},
        {"label": "Share", "value": 11.0, "previous": 8.0, "unit": "%"},
    ]
    groups = change_groups(kreport.parse(base(metrics=one_pct)))
    assert [len(ms) for _, ms in groups] == [2]  # points only: the single % change is not drawn
    assert change_groups(kreport.parse(base(metrics=one_pct[:2]))) == []


def test_karamay_chart_is_to_scale() -> None:
    [chart] = change_charts(kreport.example_path("karamay"))
    assert chart.cut == frozenset()
    assert [r.text for r in chart.rows] == ["\u221212.5%", "+171%"]


def test_a_full_width_change_chart_is_capped_and_its_figures_clear_the_labels() -> None:
    """Hong Kong without fraud types: two falls across the whole page put "−13.3%" against the
    row label; the bars now spread at most MAX_CHANGE_PLOT and a fall's figure keeps an em
    clear of the labels."""
    import tomllib

    from kreport.page.barchart import MAX_CHANGE_PLOT, bars_frame
    from kreport.page.paint import text_width

    raw = tomllib.loads(kreport.example_path("hongkong").read_text(encoding="utf-8"))
    raw = {k: v for k, v in raw.items() if k not in ("fraud_types", "types_total", "logo")}
    layout = lay_out(kreport.parse(raw, "zh-HK"))
    (chart,) = [c for c in charts_in(layout) if c.diverging]
    assert chart.width > MAX_CHANGE_PLOT + 100  # full width: the case in question
    frame = bars_frame(chart, layout.fonts)
    plot_w = frame.position[2] * chart.width
    assert plot_w <= MAX_CHANGE_PLOT + 0.01
    lo, hi = frame.xlim
    per_pt = (hi - lo) / plot_w
    drawn, _ = _drawn(chart)
    falls = [(r, d) for r, d in zip(chart.rows, drawn, strict=True) if d < 0]
    assert len(falls) == 2
    for r, d in falls:
        room = (d - lo) / per_pt  # points left of the bar's end, inside the plot
        assert room >= text_width(r.text, layout.fonts, chart.size) + 3 + 0.9 * chart.size
