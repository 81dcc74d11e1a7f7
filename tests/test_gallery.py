"""The gallery: stress briefings built on A4 and Letter, compared with baselines reviewed by eye.

Data files in tests/data/gallery/ (a tiny base, % and points mixed, 30 even types, a realistic
full page, sparse pages, Traditional Chinese), and in ``gallery.py`` every documented limit at
its maximum at once, in English, Simplified and Traditional Chinese. Each must build exactly
one page on both papers. After an intended change to the page, regenerate the baselines with
``pytest tests/test_gallery.py --regen-baselines`` and look at them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import kreport
from gallery import maximal
from kreport.model import Briefing
from kreport.page import layout as page_layout
from kreport.page.blocks import MAX_TILES, TileFigure
from kreport.page.layout import FOOTER_GAP, PageLayout, degradation, lay_out
from kreport.page.marks import ChangeText
from kreport.source.keys import MAX_HIGHLIGHTS, MAX_METRICS
from kreport.sources import example_names
from pdfread import read_pdf, render_png
from test_visual import compare

GALLERY = Path(__file__).parent / "data" / "gallery"
FILES = sorted(p.stem for p in GALLERY.glob("*.toml"))
MAXIMAL = ["maximal-en", "maximal-zh", "maximal-zh-Hant"]
PAPERS = ["a4", "letter"]
SCALE = 1.0
BAND = 0.15  # the largest blank band allowed, as a share of the page height


def source(name: str) -> Any:
    if name.startswith("maximal-"):
        return maximal(name.removeprefix("maximal-"))
    return GALLERY / f"{name}.toml"


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("name", FILES + MAXIMAL)
def test_gallery_page(name: str, paper: str, regen_baselines: bool) -> None:
    pdf = kreport.build_bytes(source(name), paper=paper)
    f = read_pdf(pdf)
    assert f.pages == 1
    assert f.page_size == pytest.approx(page_layout.PAPERS[paper], abs=0.01)
    compare(f"gallery-{name}-{paper}", render_png(pdf, SCALE), regen_baselines)


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("script", ["en", "zh", "zh-Hant"])
def test_every_limit_at_its_maximum_fits(script: str, paper: str) -> None:
    data = maximal(script)
    b = kreport.parse(data)
    assert len(b.metrics) == MAX_METRICS and len(b.highlights) == MAX_HIGHLIGHTS
    layout = lay_out(b, paper)
    assert layout.used_height <= layout.frame[3] + 0.01
    assert layout.plan in list(degradation(b))  # it took the page giving way to fit


# -- the degradation order --------------------------------------------------------------------


def growing() -> Iterator[Briefing]:
    """Briefings with more and more content: metrics first, then main points, then (beyond
    what a data file may hold, to reach the last steps) metrics again."""
    full = maximal("en")
    for n in range(1, MAX_METRICS + 1):
        yield kreport.parse({**full, "highlights": [], "metrics": full["metrics"][:n]})
    for n in range(1, MAX_HIGHLIGHTS + 1):
        yield kreport.parse({**full, "highlights": full["highlights"][:n]})
    b = kreport.parse(full)
    for n in range(1, 8):
        yield replace(b, metrics=b.metrics + b.metrics[:n])


def step_of(layout: PageLayout, steps: list[Any]) -> int:
    return steps.index(layout.plan) if layout.plan in steps else 0  # grown from the first


def test_each_step_of_the_degradation_order_is_taken_in_turn() -> None:
    """More content takes later steps, each only when the one before it does not fit, and
    every documented step is reached (on A4 or on Letter)."""
    reached: set[int] = set()
    for paper in PAPERS:
        last = 0
        for b in growing():
            steps = list(degradation(b))
            try:
                layout = lay_out(b, paper)
            except kreport.LayoutError:
                last = len(steps)
                continue
            step = step_of(layout, steps)
            assert step >= last, "more content must not need fewer steps"
            if step > 0:  # the step before did not fit
                earlier = page_layout._measure(b, layout.fonts, layout.frame[2], steps[step - 1])
                assert earlier.used > layout.frame[3]
            last = step
            reached.add(step)
    b = kreport.parse(maximal("en"))
    assert reached == set(range(len(list(degradation(b)))))


def test_the_order_is_change_chart_then_type_size_then_folding() -> None:
    steps = list(degradation(kreport.parse(maximal("en"))))
    assert steps[0] == page_layout.Plan()
    assert not steps[1].change_chart and steps[1].scale == 1
    scales = [s.scale for s in steps[2:]]
    assert scales[: len(page_layout.SHRINK_STEPS)] == list(page_layout.SHRINK_STEPS)
    assert steps[-1].scale == page_layout.FLOOR_SCALE and steps[-1].type_rows == 4
    assert [s.type_rows for s in steps[1 + len(page_layout.SHRINK_STEPS) :]] == [10, 8, 6, 5, 4]


def test_the_type_never_shrinks_below_its_floor() -> None:
    layout = lay_out(kreport.parse(maximal("zh")), "letter")
    assert layout.styles.body.fontSize >= 7.5 - 1e-9
    assert layout.styles.small.fontSize >= 6.5 - 1e-9


# -- space used well --------------------------------------------------------------------------


def blank_bands(pdf: bytes, layout: PageLayout) -> tuple[float, float]:
    """From a render: the blank band between the last block and the footer's rule, and the
    largest blank band between blocks, each as a share of the page height."""
    scale = 2.0
    image = np.asarray(render_png(pdf, scale).convert("L"))
    page_h = layout.page_size[1]
    x, y, width, height = layout.frame
    top = round((page_h - y - height) * scale)
    rule = round((page_h - y + FOOTER_GAP) * scale)
    left, right = round(x * scale), round((x + width) * scale)
    inked = np.nonzero((image[top:rule, left:right] < 235).any(axis=1))[0]
    assert inked.size, "nothing drawn"
    below = (rule - top - 1 - inked[-1]) / scale / page_h
    between = float(np.diff(inked).max(initial=0)) / scale / page_h
    return below, between


SPARSE_AND_EXAMPLES = [
    *((kreport.example_path(n), n) for n in example_names()),  # every bundled example
    (GALLERY / "types-list.toml", "types-list"),
    (GALLERY / "two-small-charts.toml", "two-small-charts"),
]


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize(
    ("path", "name"), SPARSE_AND_EXAMPLES, ids=[n for _, n in SPARSE_AND_EXAMPLES]
)
def test_no_empty_band_on_the_page(path: Path, name: str, paper: str) -> None:
    b = kreport.parse(path)
    below, between = blank_bands(kreport.build_bytes(path, paper=paper), lay_out(b, paper))
    assert below <= BAND, f"{below:.0%} of the page is blank above the footer"
    assert between <= BAND, f"a blank band of {between:.0%} between blocks"


def test_the_blank_band_measure_can_fail() -> None:
    """A page cut short (one block only, on a page grown no further) is measured as blank."""
    data = {"title": "t", "agency": "a", "period": "p", "metrics": [{"label": "x", "value": 1}]}
    b = kreport.parse(data)
    below, _ = blank_bands(kreport.build_bytes(data), lay_out(b))
    assert below > BAND


# -- hierarchy ---------------------------------------------------------------------------------


def flowables(items: Any) -> Iterator[Any]:
    from reportlab.platypus import Table

    for item in items:
        yield item
        if isinstance(item, Table):
            yield from flowables(cell for row in item._cellvalues for cell in row)
        elif isinstance(item, list | tuple):
            yield from flowables(item)


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("name", FILES + MAXIMAL)
def test_key_figures_one_line_equal_widths_change_at_body_size(name: str, paper: str) -> None:
    layout = lay_out(kreport.parse(source(name)), paper)
    names = [n for n, _ in layout.sections]
    if "key figures" not in names:
        return
    if "main points" in names:  # the story comes right under the key figures
        assert names.index("main points") == names.index("key figures") + 1
    tiles = dict(
        zip(names, [f for f in layout.story if f.__class__.__name__ != "Spacer"], strict=True)
    )
    table = tiles["key figures"]
    widths = table._colWidths
    assert len(widths) <= MAX_TILES and max(widths) - min(widths) < 0.01
    inner = widths[0] - 14 * layout.plan.scale - 6
    figures = [f for f in flowables([table]) if isinstance(f, TileFigure)]
    assert len(figures) == len(widths)
    assert len({f.size for f in figures}) == 1  # one shared size
    assert all(f.width_at(f.size) <= inner + 0.01 for f in figures)  # so no figure wraps
    changes = [f for f in flowables([table]) if isinstance(f, ChangeText)]
    assert all(c.size == pytest.approx(layout.styles.body.fontSize) for c in changes)
