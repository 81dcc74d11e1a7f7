"""The bulletin blocks on the page: presence, order, numbers, and what a full page leaves out.

Every number checked here (ranks, rates, month figures) is worked out in the test from the data
file's own figures, not read back from kreport's helpers.
"""

from __future__ import annotations

import io
import re
import tomllib
from dataclasses import replace
from typing import Any

import pytest

import kreport
from kreport.page.charts import ChartFlowable
from kreport.page.identity import OPTIONAL, LogoFlowable
from kreport.page.layout import PageLayout, degradation, lay_out
from kreport.page.trend import TrendChart
from kreport.source.keys import MAX_HIGHLIGHTS, MAX_METRICS
from pdfread import read_pdf

EXAMPLE = kreport.example_path("example-city")
RAW = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
# a mapping finds its logo from the working folder: tests that change the data leave it out
BARE = {k: v for k, v in RAW.items() if k != "logo"}
EVERY_BLOCK = [
    "header",
    "key figures",
    "main points",
    "summary table",
    "charts",
    "trend and ranking",
    "advice",
]


def flowables(layout: PageLayout) -> list[Any]:
    out: list[Any] = []

    def walk(items: Any) -> None:
        for item in items:
            out.append(item)
            if hasattr(item, "_cellvalues"):
                walk(cell for row in item._cellvalues for cell in row)
            elif isinstance(item, list | tuple):
                walk(item)

    walk(layout.story)
    return out


def trend_of(f: Any) -> bool:
    return isinstance(f, ChartFlowable) and isinstance(f.chart, TrendChart)


def en(text: Any) -> str:
    return text["en"] if isinstance(text, dict) else text


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_example_shows_every_block_in_order(lang: str, paper: str) -> None:
    layout = lay_out(kreport.parse(EXAMPLE, lang), paper)
    assert [n for n, _ in layout.sections] == EVERY_BLOCK
    assert layout.plan.left_out == frozenset()
    assert 0 < layout.used_height <= layout.frame[3]
    assert sum(isinstance(f, LogoFlowable) for f in flowables(layout)) == 1


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_example_page_prints_its_identity_once(lang: str) -> None:
    facts = read_pdf(kreport.build_bytes(EXAMPLE, lang))
    assert facts.pages == 1
    assert facts.images == 1  # the logo, embedded once
    words = {
        "en": ["No. 12", "Anti-fraud hotline 96110", "Prevention advice", "Fraud reports by month"],
        "zh": ["第12期", "全民反诈专线 96110", "防范提示", "诈骗警情月度走势", "区县排名"],
    }[lang]
    text = facts.text.replace("\r\n", "\n")
    for word in words:
        assert word in text, word


def test_no_logo_no_image_and_nothing_in_its_place() -> None:
    data = BARE
    layout = lay_out(kreport.parse(data))
    assert not any(isinstance(f, LogoFlowable) for f in flowables(layout))
    assert read_pdf(kreport.build_bytes(data)).images == 0


def test_ranking_rows_and_rates_on_the_page() -> None:
    text = read_pdf(kreport.build_bytes(EXAMPLE)).text
    regions = [(en(r["name"]), r["value"], r["population"]) for r in RAW["ranking"]["regions"]]
    ranked = sorted(
        ((name, value / people * 10_000) for name, value, people in regions if value),
        key=lambda x: -x[1],
    )
    # each ranked row reads "rank name figure change rate", in rank order
    at = 0
    for rank, (name, rate) in enumerate(ranked, start=1):
        found = re.search(rf"{rank} {re.escape(name)}\s.*?\s{rate:.1f}\b", text[at:])
        assert found, (rank, name, f"{rate:.1f}")
        at += found.end()
    total = sum(v for _, v, _ in regions) / sum(p for *_, p in regions) * 10_000
    assert re.search(rf"Total\s+749\s.*?{total:.1f}", text)
    assert "Fraud reports: none in Lake District" in text  # listed by name, not ranked
    assert "computed from population figures" in text


def test_trend_chart_holds_the_months_and_their_figures() -> None:
    for lang, months in (
        ("en", ["Jan", "Feb", "Mar", "Apr"]),
        ("zh", ["1月", "2月", "3月", "4月"]),
    ):
        layout = lay_out(kreport.parse(EXAMPLE, lang))
        [chart] = [f.chart for f in flowables(layout) if trend_of(f)]
        expected = [(m["value"], m["previous"]) for m in RAW["trend"]["months"]]
        assert [(v, p) for _, v, p, _ in chart.months] == expected
        assert [label for label, *_ in chart.months] == months
        assert chart.legend == ("2023", "2022")


def test_a_month_without_a_figure_a_year_earlier_has_no_bar_and_a_mark() -> None:
    data = {**BARE, "trend": {**RAW["trend"], "months": [dict(m) for m in RAW["trend"]["months"]]}}
    del data["trend"]["months"][1]["previous"]
    layout = lay_out(kreport.parse(data))
    [chart] = [f.chart for f in flowables(layout) if trend_of(f)]
    assert chart.months[1][0] == "Feb†" and chart.months[1][2] is None
    assert "no figure for the same period last year" in read_pdf(kreport.build_bytes(data)).text


def test_both_measures_mark_a_type_with_no_figure_last_year() -> None:

    layout = lay_out(kreport.parse(EXAMPLE))
    charts = [
        f.chart for f in flowables(layout) if isinstance(f, ChartFlowable) and not trend_of(f)
    ]
    cases, losses = charts[-2], charts[-1]
    game = next(i for i, r in enumerate(cases.rows) if r.label == ["Fake game-item trading"])
    assert cases.rows[game].previous is None and cases.rows[game].text == "38 †"
    assert losses.rows[game].previous is None and losses.rows[game].text.endswith("†")
    brushing = cases.rows[0]
    # the cases' changes come from bases under 1,000: whole per cent (precision.py)
    assert brushing.text == f"212  \u2212{(251 - 212) / 251 * 100:.0f}%*"
    text = read_pdf(kreport.build_bytes(EXAMPLE)).text
    assert "Cases and losses by fraud type" in text
    assert "no figure for the same period last year" in text


def test_one_measure_marks_a_type_with_no_figure_last_year() -> None:
    """Singapore's malware-enabled scams have no 2022 figure: no pale bar, so the figure says
    why (†) and a note under the chart what † means, as the two-measure block does."""

    singapore = kreport.example_path("singapore")
    layout = lay_out(kreport.parse(singapore))
    (chart,) = [
        f.chart
        for f in flowables(layout)
        if isinstance(f, ChartFlowable) and not trend_of(f) and f.chart.legend
    ]
    marked = [r for r in chart.rows if r.text.endswith(" †")]
    assert [r.label for r in marked] == [["Malware-enabled", "scams"]]
    assert all(r.previous is None for r in marked)
    assert all(r.previous is not None for r in chart.rows if r not in marked)
    text = read_pdf(kreport.build_bytes(singapore)).text
    assert "† no figure for the same period last year" in text


def test_a_region_page_says_where_it_stands() -> None:
    regions = [(en(r["name"]), r["value"], r["population"]) for r in RAW["ranking"]["regions"]]
    ranked = sorted(
        (n for n, v, p in regions if v), key=lambda n: -next(v / p for m, v, p in regions if m == n)
    )
    data = {
        **BARE,
        "ranking": {**RAW["ranking"], "regions": [dict(r) for r in RAW["ranking"]["regions"]]},
    }
    third = ranked[2]
    for r in data["ranking"]["regions"]:
        r["focus"] = en(r["name"]) == third
    en_text = read_pdf(kreport.build_bytes(data, "en")).text
    zh_text = read_pdf(kreport.build_bytes(data, "zh")).text
    assert f"Where {third} stands" in en_text
    assert f"3rd of {len(regions)} districts" in en_text
    assert f"{len(regions)}个区县中排第3" in zh_text


def test_a_zero_region_page_says_it_had_none() -> None:
    data = {
        **BARE,
        "ranking": {**RAW["ranking"], "regions": [dict(r) for r in RAW["ranking"]["regions"]]},
    }
    data["ranking"]["regions"][-1]["focus"] = True  # Lake District, 0 reports
    text = read_pdf(kreport.build_bytes(data)).text
    assert "None this period: one of 1 of the 6 districts with none" in text


# -- what a full page leaves out -----------------------------------------------------------------


def test_the_degradation_order_leaves_the_optional_blocks_out_first_to_last() -> None:
    b = kreport.parse(EXAMPLE)
    steps = [p.left_out for p in degradation(b)]
    firsts = []
    for left in steps:
        if left and left not in firsts:
            firsts.append(left)
    assert firsts == [
        frozenset(OPTIONAL[:1]),
        frozenset(OPTIONAL[:2]),
        frozenset(OPTIONAL[:3]),
        frozenset(OPTIONAL),
    ]
    # fraud types fold (8, 6, 5, 4 rows) before they lose their losses column
    plans = list(degradation(b))
    assert plans[-1].left_out == frozenset(OPTIONAL) and plans[-2].type_rows == 4


def heavy(points: int, extra: int, without: str = "") -> dict[str, Any]:
    """The example with ``points`` main points of the longest length allowed and ``extra`` more
    metrics with long labels (within the documented limits: the page must give way to fit)."""
    point = ("A main point that takes room on the page, two lines of it or more. " * 4)[:240]
    more = [
        {"label": f"An additional indicator with a long label, number {i}", "value": 100 + i}
        for i in range(extra)
    ]
    data = {k: v for k, v in BARE.items() if k != without}
    return {**data, "highlights": [point.strip()] * points, "metrics": [*data["metrics"], *more]}


HEAVIER = [(n, 0) for n in range(1, MAX_HIGHLIGHTS + 1)] + [
    (MAX_HIGHLIGHTS, k) for k in range(1, MAX_METRICS - len(BARE["metrics"]) + 1)
]


@pytest.mark.slow
def test_each_omission_step_in_turn_with_a_note() -> None:
    seen: set[frozenset[str]] = set()
    # beside a ranking the trend's place stays taken by the ranking, so leaving the trend out
    # frees little: without a ranking it is the trend alone that gives way second
    for paper, without in (("a4", ""), ("letter", ""), ("letter", "ranking")):
        before: frozenset[str] = frozenset()
        for points, extra in HEAVIER:
            data = heavy(points, extra, without)
            layout = lay_out(kreport.parse(data), paper)
            left = layout.plan.left_out
            # always the first blocks of the documented order, and never fewer as the page fills
            prefixes = {frozenset(OPTIONAL[:k]) for k in range(len(OPTIONAL) + 1)}
            assert left - {without} in {p - {without} for p in prefixes}
            assert before <= left
            before = left
            seen.add(left)
            text = read_pdf(kreport.build_bytes(data, paper=paper)).text.replace("\n", " ")
            assert ("Left out for lack of space" in text) == bool(left - {without})
            note = text.split("Left out for lack of space")[-1] if left else ""
            for block, words in (
                ("advice", "prevention advice"),
                ("trend", "the monthly trend"),
                ("ranking", "the ranking"),
            ):
                shown_out = block in left and block != without
                assert shown_out == (words in note), (paper, points, extra, block)
            assert layout.plan.scale >= 0.88  # never below the type-size floor
    # every optional block gave way at some point, in turn
    assert {frozenset(OPTIONAL[:k]) for k in (1, 2, 3)} <= seen | {s | {"ranking"} for s in seen}, (
        seen
    )


def test_losses_give_way_last_and_the_note_says_so() -> None:
    b = kreport.parse(EXAMPLE)
    plans = list(degradation(b))
    layout_plan = plans[-1]
    assert "losses" in layout_plan.left_out
    from kreport.fonts import choose
    from kreport.page.layout import _measure  # the measured page for one plan

    fonts = choose(b.language, [*b.texts().values()])
    fonts.register()
    measured = _measure(b, fonts, 500, layout_plan)
    names = [n for n, _ in measured.sections]
    assert "trend and ranking" not in names and "advice" not in names
    assert names[-1] == "left out"
    assert replace(layout_plan, left_out=frozenset()) != layout_plan


def test_the_readme_walk_through_builds_the_example(in_tmp: Any) -> None:
    import shlex
    from pathlib import Path

    from click.testing import CliRunner

    from kreport.cli import main

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    lines = [
        line.split("#")[0].strip()
        for line in readme.splitlines()
        if line.startswith("kreport build --example example-city")
    ]
    assert len(lines) == 3
    for line in lines:
        result = CliRunner().invoke(main, shlex.split(line)[1:])
        assert result.exit_code == 0, result.output
        pdf = Path(result.stdout.strip().splitlines()[-1])
        assert (
            pdf.name.startswith("example-city-2023-jan-apr")
            and read_pdf(pdf.read_bytes()).pages == 1
        )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_ranking_changes_keep_clear_of_the_figures_and_round_like_the_summary(lang: str) -> None:
    """ "90▽ 18.2%*" ran figure into change: each change now fits its column with a gap before
    its arrow, and is rounded as the summary's computed changes (bases under 1,000: whole %)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Table

    from kreport.page.marks import ChangeText
    from kreport.page.markup import unescape
    from kreport.page.ranking import CHANGE_GAP

    layout = lay_out(kreport.parse(EXAMPLE, lang))

    def cell(c: Any) -> Any:  # reportlab keeps a cell's flowables in a tuple
        return c[0] if isinstance(c, tuple) else c

    (table,) = [
        f
        for f in flowables(layout)
        if isinstance(f, Table)
        and len(f._colWidths) == 5  # rank, region, figure, change, rate
        and any(isinstance(cell(row[3]), ChangeText) for row in f._cellvalues)
    ]
    widths = table._colWidths
    font, size = layout.styles.cell.fontName, layout.styles.cell.fontSize
    for row in table._cellvalues[1:]:
        figure, change = cell(row[2]), cell(row[3])
        assert stringWidth(unescape(figure.text), font, size) + 6 <= widths[2] + 0.01
        assert change.head_width + 6 + CHANGE_GAP <= widths[3] + 0.01
        assert "." not in change.words  # "18%", never "18.2%" from a base under 1,000
    text = read_pdf(kreport.build_bytes(EXAMPLE, "en")).text if lang == "en" else ""
    for r in RAW["ranking"]["regions"] if lang == "en" else []:
        if r["value"] and r.get("previous"):
            pct = abs(r["value"] - r["previous"]) / r["previous"] * 100
            assert f"{pct:.0f}%*" in text


def _drawn_text(f: ChartFlowable[Any]) -> str:
    """The text ``f`` draws, alone on a page of its size."""
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(f.width, f.height))
    f.paint(f.chart, canvas, f.fonts)
    canvas.showPage()
    canvas.save()
    return read_pdf(out.getvalue()).text


def _chart_words(chart: Any) -> list[str]:
    """Every word a chart prints, in the order it draws them: a trend's figures and months,
    a bar chart's figures, row labels and key."""
    if isinstance(chart, TrendChart):
        shown = [w for m in chart.months for w in (m[3], m[0]) if w]
        legend = list(chart.legend)
    else:
        shown = [r.text for r in chart.rows] + [line for r in chart.rows for line in r.label]
        legend = [label for label, _ in chart.legend or ()]
    return " ".join(shown + legend).split()


def test_one_flowable_class_draws_every_chart_and_tags_it_as_a_figure() -> None:
    """Bar charts and the monthly trend go through one ChartFlowable with their own figure
    factory; each is tagged a Figure whose alternative text (the block's) names what it shows,
    and without the block's text it still says every row or month."""
    from kreport.page.tags import Tag

    layout = lay_out(kreport.parse(EXAMPLE))
    placed = [f for f in flowables(layout) if isinstance(f, ChartFlowable)]
    assert {type(f.chart).__name__ for f in placed} == {"BarChart", "TrendChart"}
    for f in placed:
        assert isinstance(f.tag, Tag) and f.tag.role == "Figure" and f.tag.alt
        assert f.default_tag().role == "Figure"
        assert _drawn_text(f).split() == _chart_words(f.chart)  # it draws the chart it has
    trend = next(f for f in placed if trend_of(f))
    assert trend.default_tag().alt == "; ".join(f"{m[0]} {m[3]}" for m in trend.chart.months)
    assert "189" in str(trend.tag.alt)  # the block's text: January's reports


def _tile_changes(source: Any, language: str | None = None) -> list[Any]:
    from kreport.page.marks import ChangeText

    layout = lay_out(kreport.parse(source, language))
    for f in layout.story:
        cells = getattr(f, "_cellvalues", ())
        found = [i for row in cells for cell in row for i in cell if isinstance(i, ChangeText)]
        if found and any(type(i).__name__ == "TileFigure" for r in cells for c in r for i in c):
            return found
    return []


@pytest.mark.parametrize("language", [None, "zh"])
def test_a_rows_tile_changes_are_laid_out_alike(language: str | None) -> None:
    """When one tile's change needs two lines, every tile's change takes two: a change on one
    line beside one on two reads as a different kind of figure."""
    data = tomllib.loads(kreport.example_path("singapore").read_text(encoding="utf-8"))
    if language:
        data = kreport.example_path("example-city")
    changes = _tile_changes(data, language)
    assert len(changes) >= 2
    counts = {len(c._lines) for c in changes}
    assert len(counts) == 1, counts  # alike
    if counts == {2}:
        assert any(not c.fits_one_line(c.width) for c in changes)  # because one must
    else:
        assert all(c.fits_one_line(c.width) for c in changes)


def test_tile_changes_that_all_fit_stay_on_one_line() -> None:
    data = tomllib.loads(kreport.example_path("singapore").read_text(encoding="utf-8"))
    data["metrics"] = [m for m in data["metrics"] if m.get("value") is not None][:2]
    changes = _tile_changes(data)
    assert changes and all(len(c._lines) == 1 for c in changes)  # two wide tiles: room enough


@pytest.mark.parametrize(("lang", "said"), [("en", "6 more*"), ("zh", "增加6")])
def test_a_regions_change_from_a_small_base_is_its_difference(lang: str, said: str) -> None:
    """As in the summary: +150% from 4 cases is a count story, so the ranking says "6 more"."""
    from copy import deepcopy

    data = deepcopy(BARE)
    region = data["ranking"]["regions"][-1]
    region["value"], region["previous"] = 10, 4
    text = read_pdf(kreport.build_bytes(data, lang)).text
    assert said in text and "150%" not in text
    from kreport.page.marks import ChangeText

    def changes(items: Any) -> list[ChangeText]:
        out: list[ChangeText] = []
        for i in items:
            if isinstance(i, ChangeText):
                out.append(i)
            elif isinstance(i, list | tuple):
                out += changes(i)
            else:
                out += changes(c for row in getattr(i, "_cellvalues", ()) for c in row)
        return out

    layout = lay_out(kreport.parse(data, lang))
    actual = [c.tag.actual for c in changes(flowables(layout)) if c.tag is not None]
    assert any(said.rstrip("*") in a for a in actual)  # said aloud as printed
