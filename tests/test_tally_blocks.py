"""A tally's months and regions become the trend and the ranking, computed here independently."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

import kreport
from kreport.errors import InputError
from kreport.tally.briefings import briefings

MONTHS = [f"{y}-{m:02d}" for y in (2022, 2023) for m in range(1, 13)]
REGIONS = {"A": 1, "B": 2, "C": 3}


def reports(region: str, month: str) -> int:
    """The figure every test tally holds: easy to recompute by hand."""
    year, m = (int(x) for x in month.split("-"))
    return 10 * REGIONS[region] + m + (5 if year == 2023 else 0)


def tally(folder: Path, toml: str = "", zero: str | None = None) -> Path:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["month", "region", "Reports", "Losses"])
    for month in MONTHS:
        for region in REGIONS:
            value = 0 if region == zero and month.startswith("2023") else reports(region, month)
            w.writerow([month, region, value, 100 * REGIONS[region]])
    (folder / "t.csv").write_text(buf.getvalue(), encoding="utf-8")
    spec = folder / "t.toml"
    spec.write_text(f'tally = "t.csv"\ntitle = "T"\nagency = "A"\n{toml}', encoding="utf-8")
    return spec


def whole(spec: Path, period: str = "2023-02..2023-04") -> dict[str, Any]:
    ((_, raw),) = briefings(spec, period)
    return dict(raw)


def test_trend_is_the_first_column_month_by_month_against_a_year_earlier(tmp_path: Path) -> None:
    raw = whole(tally(tmp_path))
    expected = [
        {
            "month": f"2023-{m:02d}",
            "value": sum(reports(r, f"2023-{m:02d}") for r in REGIONS),
            "previous": sum(reports(r, f"2022-{m:02d}") for r in REGIONS),
        }
        for m in (2, 3, 4)
    ]
    assert raw["trend"] == {"label": "Reports", "money": False, "months": expected}
    trend = kreport.parse(raw).trend
    assert trend is not None and [p.value for p in trend.points] == [e["value"] for e in expected]


def test_the_measure_key_chooses_the_column_and_its_label(tmp_path: Path) -> None:
    raw = whole(
        tally(
            tmp_path,
            'measure = "Losses"\ncurrency = "CNY"\n[columns.Reports]\n'
            '[columns.Losses]\nlabel = { en = "Losses", zh = "损失" }\nmoney = true\n',
        )
    )
    assert raw["trend"]["label"] == {"en": "Losses", "zh": "损失"} and raw["trend"]["money"]
    assert [p["value"] for p in raw["trend"]["months"]] == [600, 600, 600]
    assert raw["ranking"]["money"]


def test_a_one_month_period_has_no_trend(tmp_path: Path) -> None:
    assert "trend" not in whole(tally(tmp_path), "2023-04")


def test_ranking_holds_every_region_with_its_population_and_rate_base(tmp_path: Path) -> None:
    spec = tally(
        tmp_path,
        'rate_per = 100000\nregion_noun = { en = "districts", zh = "区县" }\n'
        '[regions]\nA = { en = "Alpha", zh = "甲区" }\n'
        "[population]\nA = 50000\nB = { 2023 = 80000, 2022 = 79000 }\nC = 120000\n",
        zero="C",
    )
    raw = whole(spec)
    period, baseline = ["2023-02", "2023-03", "2023-04"], ["2022-02", "2022-03", "2022-04"]

    def total(region: str, months: list[str]) -> int:
        return sum(reports(region, m) for m in months)

    assert raw["ranking"] == {
        "label": "Reports",
        "noun": {"en": "districts", "zh": "区县"},
        "money": False,
        "rate_per": 100_000,
        "regions": [
            {
                "name": {"en": "Alpha", "zh": "甲区"},
                "value": total("A", period),
                "previous": total("A", baseline),
                "population": 50000,
            },
            {
                "name": "B",
                "value": total("B", period),
                "previous": total("B", baseline),
                "population": 80000,
                "previous_population": 79000,
            },
            {"name": "C", "value": 0, "previous": total("C", baseline), "population": 120000},
        ],
    }
    ranking = kreport.parse(raw).ranking
    assert ranking is not None
    rates = {r.region.name: r.rate for r in ranking.ranked()}
    # by hand: A has 3 * (10 + 5) + (2 + 3 + 4) = 54 over 50,000 people; B 84 over 80,000
    assert rates == {"Alpha": pytest.approx(54 / 50000 * 100_000), "B": pytest.approx(105.0)}
    assert [r.region.name for r in ranking.ranked()] == ["Alpha", "B"]
    assert [r.name for r in ranking.zero()] == ["C"]


def test_region_pages_carry_the_whole_ranking_with_their_region_in_focus(tmp_path: Path) -> None:
    pages = dict(briefings(tally(tmp_path), "2023-02..2023-04", by="region"))
    assert sorted(pages) == ["a", "b", "c"]
    for name, raw in pages.items():
        focus = [r["name"] for r in raw["ranking"]["regions"] if r.get("focus")]
        assert focus == [name.upper()]
        # the region's own trend: its months only
        assert raw["trend"]["months"][0]["value"] == reports(name.upper(), "2023-02")
    ranking = kreport.parse(pages["a"]).ranking
    assert ranking is not None and ranking.focus is not None
    standing = {r.region.name: r.rank for r in ranking.ranked()}
    assert standing == {"C": 1, "B": 2, "A": 3}  # C has the largest figures


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('measure = "Nope"\n', ("measure", 'no metrics column "Nope" to show month by month')),
        ("rate_per = 1000\n", ("rate_per", "expected 10000 or 100000")),
        ("rate_per = 10000\n", ("rate_per", "given without a [population] table")),
        ("[population]\nA = 1\nB = 2\n", ('population."C"', "missing: rates need every")),
        (
            "[population]\nA = 1\nB = 2\nC = 3\nZ = 4\n",
            ('population."Z"', "no such region in the tally for this period"),
        ),
        (
            "[population]\nA = { 2021 = 5 }\nB = 1\nC = 1\n",
            ('population."A"', "no figure for 2023"),
        ),
        ("[population]\nA = -5\n", ('population."A"', "expected a number of people, above 0")),
        ("region_noun = 5\n", ("region_noun", "expected text or")),
    ],
)
def test_tally_block_problems_name_the_toml_key(
    tmp_path: Path, toml: str, expected: tuple[str, str]
) -> None:
    with pytest.raises(InputError) as exc:
        whole(tally(tmp_path, toml))
    assert any(
        p.path == expected[0] and p.message.startswith(expected[1]) for p in exc.value.problems
    ), exc.value.problems


def test_trend_and_ranking_are_computed_not_typed(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        whole(tally(tmp_path, "[trend]\nlabel = 'x'\n"))
    assert [(p.path, p.message) for p in exc.value.problems] == [
        ("trend", "not a tally briefing key; it is computed from the tally")
    ]
