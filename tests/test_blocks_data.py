"""The optional blocks' data: trend, ranking, rates, logo and identity keys, checked and computed.

Ranks, rates and sums are worked out here by hand (or by a second, naive method), never read
back from kreport's own helpers.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

import kreport
from kreport.errors import InputError
from kreport.model import Breakdown, YearMonth
from kreport.source.keys import LOGO_EMBED_SIDE, MAX_LOGO_BYTES
from kreport.source.validate import validate


def base(**extra: Any) -> dict[str, Any]:
    return {
        "title": "Monthly briefing",
        "agency": "Test Police",
        "period": "January–March 2023",
        "metrics": [{"label": "Reports", "value": 10}],
        **extra,
    }


def problems(data: dict[str, Any], folder: Path | None = None) -> list[str]:
    with pytest.raises(InputError) as exc:
        validate(data, "t.toml", folder=folder)
    return [f"{p.path}: {p.message}" for p in exc.value.problems]


# -- trend ---------------------------------------------------------------------------------------


def months(*values: tuple[int, int | None], start: str = "2023-01") -> list[dict[str, Any]]:
    year, month = (int(x) for x in start.split("-"))
    out = []
    for i, (value, previous) in enumerate(values):
        m = YearMonth(year, month).shift(i)
        entry: dict[str, Any] = {"month": str(m), "value": value}
        if previous is not None:
            entry["previous"] = previous
        out.append(entry)
    return out


def test_trend_keeps_every_month_and_a_missing_previous_stays_missing() -> None:
    data = base(trend={"label": "Reports", "months": months((5, 7), (6, None), (9, 3))})
    trend = kreport.parse(data).trend
    assert trend is not None
    assert [(str(p.month), p.value, p.previous) for p in trend.points] == [
        ("2023-01", 5, 7),
        ("2023-02", 6, None),
        ("2023-03", 9, 3),
    ]


def test_trend_crosses_a_year_end() -> None:
    data = base(trend={"label": "R", "months": months((1, 1), (2, 2), start="2022-12")})
    trend = kreport.parse(data).trend
    assert trend is not None and [str(p.month) for p in trend.points] == ["2022-12", "2023-01"]


@pytest.mark.parametrize(
    ("trend", "expected"),
    [
        ({"label": "R", "months": months((1, 1))}, "trend.months: has 1 entries; a trend needs"),
        ({"label": "R"}, "trend.months: required"),
        ({"months": months((1, 1), (2, 2))}, "trend.label: required text is missing"),
        (
            {
                "label": "R",
                "months": [{"month": "2023-01", "value": 1}, {"month": "2023-03", "value": 1}],
            },
            "trend.months[1].month: expected 2023-02, the month after 2023-01",
        ),
        (
            {
                "label": "R",
                "months": [{"month": "2023-1", "value": 1}, {"month": "2023-02", "value": 1}],
            },
            'trend.months[0].month: expected a month such as "2023-04", got "2023-1"',
        ),
        (
            {"label": "R", "months": [{"month": "2023-01"}, {"month": "2023-02", "value": 1}]},
            "trend.months[0].value: required",
        ),
        ({"label": "R", "months": months((1, -2), (1, 1))}, "trend.months[0].previous: must not"),
        ({"label": "R", "months": months(*[(1, 1)] * 13)}, "trend.months: has 13 entries"),
        ({"label": "R", "colour": 1, "months": months((1, 1), (1, 1))}, "trend.colour: unknown"),
        ("monthly", "trend: expected a table"),
    ],
)
def test_trend_problems_name_the_field(trend: Any, expected: str) -> None:
    assert any(p.startswith(expected) for p in problems(base(trend=trend))), problems(
        base(trend=trend)
    )


def test_a_month_whose_figure_failed_breaks_no_order() -> None:
    """A month left out for a bad figure is no gap: the next month is not blamed for it."""
    trend = {"label": "R", "months": months((1, None), (2, None), (3, None))}
    trend["months"][1]["value"] = 2e15
    assert problems(base(trend=trend)) == [
        "trend.months[1].value: 2e+15 is too large (the limit is 1e+15)"
    ]


def test_a_month_that_cannot_be_read_is_no_gap_either() -> None:
    trend = {"label": "R", "months": months((1, None), (2, None), (3, None), (4, None))}
    trend["months"][1]["month"] = "Feb"
    trend["months"][3]["month"] = "2023-05"
    assert problems(base(trend=trend)) == [
        'trend.months[1].month: expected a month such as "2023-04", got "Feb"',
        "trend.months[3].month: expected 2023-04, the month after 2023-03: "
        "the months must follow one another",
    ]


# -- ranking and rates ---------------------------------------------------------------------------

REGIONS = [
    # name, value, previous, population
    ("North", 120, 100, 400_000),
    ("South", 90, 120, 150_000),
    ("East", 0, 3, 50_000),
    ("West", 60, 60, 200_000),
    ("Lake", 30, None, 100_000),
    ("Hill", 0, 0, 20_000),
]


def ranking_data(with_population: bool = True, **extra: Any) -> dict[str, Any]:
    regions = []
    for name, value, previous, population in REGIONS:
        r: dict[str, Any] = {"name": name, "value": value}
        if previous is not None:
            r["previous"] = previous
        if with_population:
            r["population"] = population
        regions.append(r)
    return {"label": "Reports", "noun": "districts", "regions": regions, **extra}


def test_ranked_by_rate_per_10000_when_every_region_has_a_population() -> None:
    ranking = kreport.parse(base(ranking=ranking_data())).ranking
    assert ranking is not None and ranking.per == 10_000
    # by hand: North 3.0, South 6.0, West 3.0, Lake 3.0 per 10,000; East and Hill have none
    got = [(r.region.name, r.rank, round(r.rate or 0, 6)) for r in ranking.ranked()]
    assert got == [("South", 1, 6.0), ("North", 2, 3.0), ("West", 2, 3.0), ("Lake", 2, 3.0)]
    assert [r.name for r in ranking.zero()] == ["East", "Hill"]


def test_ranked_by_figure_without_populations_and_ties_share_a_rank() -> None:
    ranking = kreport.parse(base(ranking=ranking_data(with_population=False))).ranking
    assert ranking is not None and ranking.per is None
    got = [(r.region.name, r.rank, r.rate) for r in ranking.ranked()]
    assert got == [("North", 1, None), ("South", 2, None), ("West", 3, None), ("Lake", 4, None)]


def test_rate_base_of_100000_and_a_changed_population() -> None:
    data = ranking_data(rate_per=100_000)
    data["regions"][0]["previous_population"] = 250_000
    ranking = kreport.parse(base(ranking=data)).ranking
    assert ranking is not None
    north = next(r for r in ranking.ranked() if r.region.name == "North")
    assert north.rate == pytest.approx(120 / 400_000 * 100_000)
    assert north.previous_rate == pytest.approx(100 / 250_000 * 100_000)
    total = ranking.total()
    assert total.value == sum(v for _, v, _, _ in REGIONS)
    assert total.previous is None  # Lake has no previous figure: no invented total
    assert total.population == sum(p for *_, p in REGIONS)


def test_region_changes_are_computed_and_marked() -> None:
    ranking = kreport.parse(base(ranking=ranking_data())).ranking
    assert ranking is not None
    south = next(r for r in ranking.regions if r.name == "South").change()
    assert south is not None and south.derived
    assert south.amount == pytest.approx((90 - 120) / 120 * 100)
    assert next(r for r in ranking.regions if r.name == "Lake").change() is None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"rate_per": 1000}, "ranking.rate_per: expected 10000 or 100000, got 1000"),
        ({"regions": []}, "ranking.regions: a ranking needs at least 2 regions"),
        ({"label": None}, "ranking.label: required text is missing"),
        ({"rank": 1}, "ranking.rank: unknown key"),
    ],
)
def test_ranking_problems_name_the_field(change: dict[str, Any], expected: str) -> None:
    data = {k: v for k, v in {**ranking_data(), **change}.items() if v is not None}
    found = problems(base(ranking=data))
    assert any(p.startswith(expected) for p in found), found


def test_region_problems_name_the_region() -> None:
    data = ranking_data()
    del data["regions"][1]["population"]
    data["regions"][2]["population"] = 0
    data["regions"][3]["name"] = "North"
    data["regions"][4]["focus"] = True
    data["regions"][5]["focus"] = True
    found = problems(base(ranking=data))
    assert "ranking.regions[2].population: must be more than 0: a rate divides by it" in found
    assert "ranking.regions[3].name: 'North' is listed twice" in found
    assert "ranking.regions: focus = true on more than one region" in found
    assert any(p.startswith("ranking.regions: rates need every region's population") for p in found)


def test_rate_per_without_populations_is_an_error() -> None:
    found = problems(base(ranking=ranking_data(with_population=False, rate_per=10_000)))
    assert "ranking.rate_per: given, but no region has a population" in found


# -- identity ------------------------------------------------------------------------------------


def test_issue_number_contact_and_advice_are_resolved_per_language() -> None:
    data = base(
        mixed_languages=True,  # the rest of the data is English
        issue_number=12,
        contact={"en": "Hotline 96110", "zh": "反诈专线96110"},
        advice={"en": "Never move money to a safe account.", "zh": "不要向安全账户转账。"},
    )
    en, zh = kreport.parse(data, "en"), kreport.parse(data, "zh")
    assert (en.issue_number, en.contact, zh.advice) == (12, "Hotline 96110", "不要向安全账户转账。")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "issue_number: expected 1 to 99,999, got 0"),
        (12.5, "issue_number: expected a whole number such as 12, got 12.5"),
        ("12", 'issue_number: expected a whole number such as 12, got "12"'),
        (True, "issue_number: expected a whole number such as 12, got true"),
    ],
)
def test_bad_issue_numbers(value: Any, expected: str) -> None:
    assert problems(base(issue_number=value)) == [expected]


def png(size: tuple[int, int], mode: str = "RGB", colour: Any = (20, 60, 120)) -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, colour).save(buf, format="PNG")
    return buf.getvalue()


def test_logo_is_found_beside_the_data_file_and_scaled_down(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "logo.png").write_bytes(png((1200, 300)))
    logo = validate(base(logo="img/logo.png"), "t", folder=tmp_path).logo
    assert logo is not None and logo.mode == "RGB"
    assert logo.size == (LOGO_EMBED_SIDE, LOGO_EMBED_SIDE // 4)
    assert len(logo.pixels) == logo.size[0] * logo.size[1] * 3


def test_logo_keeps_transparency_only_when_it_hides_something(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(png((40, 20), "RGBA", (0, 0, 0, 0)))
    (tmp_path / "b.png").write_bytes(png((40, 20), "RGBA", (0, 0, 0, 255)))
    jpeg = io.BytesIO()
    Image.new("RGB", (30, 30), (200, 10, 10)).save(jpeg, format="JPEG")
    (tmp_path / "c.JPG").write_bytes(jpeg.getvalue())
    modes = [validate(base(logo=n), "t", folder=tmp_path).logo for n in ("a.png", "b.png", "c.JPG")]
    assert [m.mode if m else None for m in modes] == ["RGBA", "RGB", "RGB"]


def test_a_data_file_finds_its_logo_through_the_library(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(png((10, 10)))
    (tmp_path / "b.toml").write_text(
        'title = "T"\nagency = "A"\nperiod = "P"\nlogo = "logo.png"\n'
        '[[metrics]]\nlabel = "x"\nvalue = 1\n',
        encoding="utf-8",
    )
    assert kreport.parse(tmp_path / "b.toml").logo is not None


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("logo.svg", b"<svg/>", "SVG logos are not supported; export the logo as a PNG"),
        ("/etc/logo.png", None, "must be a path relative to the data file"),
        ("logo.gif", b"GIF89a", "expected a .png, .jpg or .jpeg file"),
        ("missing.png", None, "no file 'missing.png'"),
        ("fake.png", b"<html>not an image</html>", "'fake.png' is not a PNG or JPEG image"),
        ("tiff.png", b"II*\x00" + b"\x00" * 100, "'tiff.png' is not a PNG or JPEG image"),
        ("big.png", b"\x89PNG" + b"\x00" * MAX_LOGO_BYTES, "'big.png' is larger than the 1024 KiB"),
        ("cut.png", png((50, 50))[:60], "'cut.png' cannot be decoded"),
    ],
)
def test_bad_logos_are_refused(
    tmp_path: Path, name: str, content: bytes | None, expected: str
) -> None:
    if content is not None:
        (tmp_path / name).write_bytes(content)
    found = problems(base(logo=name), tmp_path)
    assert len(found) == 1 and found[0].startswith("logo: ") and expected in found[0], found


@pytest.mark.parametrize(
    ("side", "expected"),
    [
        (5_000, "is 5000 x 5000 pixels; at most 4096 on a side"),
        (10_000, "is 10000 x 10000 pixels; at most 4096 on a side"),  # Pillow would only warn
        (20_000, "is over 16,777,216 pixels; refused before decoding"),  # Pillow refuses too
    ],
)
def test_a_decompression_bomb_is_refused_from_its_header(
    tmp_path: Path, side: int, expected: str
) -> None:
    """A huge PNG of one colour is a few KiB; its size is refused before a pixel is decoded."""
    buf = io.BytesIO()
    Image.new("1", (side, side)).save(buf, format="PNG")
    assert len(buf.getvalue()) < MAX_LOGO_BYTES
    (tmp_path / "bomb.png").write_bytes(buf.getvalue())
    [found] = problems(base(logo="bomb.png"), tmp_path)
    assert expected in found


# -- fraud types by cases and losses -------------------------------------------------------------


def test_both_measures_are_drawn_when_every_type_has_both() -> None:
    types = [
        {"label": "A", "cases": 5, "losses": 100.0, "previous_cases": 3},
        {"label": "B", "cases": 2, "losses": 50.0},
    ]
    assert kreport.parse(base(currency="CNY", fraud_types=types)).breakdown is Breakdown.BOTH
    types[1].pop("losses")
    assert kreport.parse(base(currency="CNY", fraud_types=types)).breakdown is Breakdown.CASES
    found = problems(base(currency="CNY", fraud_types=types, breakdown="both"))
    assert found == [
        "fraud_types[1].losses: missing, but breakdown = 'both' needs it on every type"
    ]
