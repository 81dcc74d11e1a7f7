"""The charts drawn directly are byte for byte the charts matplotlib's Figure draws (issue 16).

The page draws its charts without a Figure (``plotframe.py``), reproducing matplotlib's
geometry; ``chartoracle.py`` keeps the Figure-based drawing. Every page and chart here is made
both ways and compared byte for byte, so a matplotlib upgrade that moves a bar, a label or the
key fails here, naming the case. The fast loop checks each example in its own language and a
few dozen generated charts; the slow sweep every example in each of its languages and both
papers, the stress gallery, the maximal briefings and a few hundred generated charts.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfgen.canvas import Canvas

import bothways
import kreport
from bothways import GALLERY_PAGES
from chartgen import charts
from chartoracle import draw_chart, figures_drawn
from gallery import maximal
from kreport.fonts import FontSet
from kreport.page.barchart import BarChart, draw_bars
from kreport.page.trend import draw_trend

DRAWN: list[Any] = []  # the charts the oracle drew, to show what a comparison covered


@contextmanager
def through_figures() -> Iterator[None]:
    """Charts drawn through matplotlib's Figures (noting which, for what a comparison covered)."""
    with figures_drawn() as drawn:
        yield
    DRAWN.extend(drawn)


def both_ways(source: Any, **options: Any) -> tuple[bytes, bytes]:
    """The page built as kreport draws it, and with its charts drawn through Figures."""
    return bothways.both_ways(source, through_figures, **options)


def chart_both_ways(chart: Any, fonts: FontSet) -> tuple[bytes, bytes]:
    """One chart alone on a page, drawn directly and through its Figure."""
    fonts.register()
    draw = draw_bars if isinstance(chart, BarChart) else draw_trend
    out = []
    for paint in (draw, draw_chart):
        buf = io.BytesIO()
        canvas = Canvas(buf, pagesize=(chart.width, chart.height), invariant=1)
        canvas.setPageCompression(0)
        paint(chart, canvas, fonts)
        canvas.showPage()
        canvas.save()
        out.append(buf.getvalue())
    return out[0], out[1]


@pytest.mark.parametrize("name", kreport.example_names())
def test_each_example_draws_its_charts_as_matplotlib_does(name: str) -> None:
    DRAWN.clear()
    direct, oracle = both_ways(kreport.example_path(name))
    assert direct == oracle
    assert DRAWN  # the example has charts, and the oracle drew them


def test_generated_charts_draw_as_matplotlib_does() -> None:
    for i, (chart, fonts) in enumerate(charts(seed=16, n=36)):
        direct, oracle = chart_both_ways(chart, fonts)
        assert direct == oracle, f"chart {i}: {chart}"


def test_the_comparison_sees_a_moved_mark() -> None:
    """A chart one hundredth of a point wider draws differently: equal bytes mean equal marks."""
    from dataclasses import replace

    chart, fonts = next((c, f) for c, f in charts(seed=16, n=3) if isinstance(c, BarChart))
    direct, _ = chart_both_ways(chart, fonts)
    _, wider = chart_both_ways(replace(chart, width=chart.width + 0.01), fonts)
    assert len(direct) > 1000 and direct != wider


@pytest.mark.slow
@pytest.mark.parametrize("name", kreport.example_names())
def test_every_example_edition_and_paper(name: str) -> None:
    bothways.assert_every_edition_alike(kreport.example_path(name), through_figures)


@pytest.mark.slow
@pytest.mark.parametrize("path", GALLERY_PAGES, ids=[p.stem for p in GALLERY_PAGES])
def test_every_gallery_page(path: Path) -> None:
    bothways.assert_every_edition_alike(path, through_figures)


@pytest.mark.slow
@pytest.mark.parametrize("script", ["en", "zh", "zh-Hant"])
def test_maximal_pages(script: str) -> None:
    for paper in ("a4", "letter"):
        direct, oracle = both_ways(maximal(script), paper=paper)
        assert direct == oracle, (script, paper)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(6))
def test_many_generated_charts(seed: int) -> None:
    for i, (chart, fonts) in enumerate(charts(seed=seed, n=60)):
        direct, oracle = chart_both_ways(chart, fonts)
        assert direct == oracle, f"seed {seed} chart {i}: {chart}"


_CORNERS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(-1e4, 1e4),
    st.sampled_from([0.0, -0.0, 1e-300, -1e-300, 0.5, -3.25]),
    st.integers(-(2**62), 2**62),
)


@settings(max_examples=400, deadline=None)
@given(x0=_CORNERS, y0=_CORNERS, x1=_CORNERS, y1=_CORNERS)
def test_a_rectangles_matrix_is_matplotlibs_to_the_bit(x0: Any, y0: Any, x1: Any, y1: Any) -> None:
    """``rect_matrix`` without building the rotation and box transforms: the very floats the
    transforms multiply to, zeros' signs included (a non-finite corner is left to them)."""
    import numpy as np
    from matplotlib.transforms import Bbox, BboxTransformTo

    from kreport.page.plotframe import _rotation, rect_matrix

    with np.errstate(all="ignore"):
        bbox = Bbox.from_extents(x0, y0, x1, y1)
        expected = np.dot(_rotation(bbox).get_matrix(), BboxTransformTo(bbox).get_matrix())
        got = rect_matrix(x0, y0, x1, y1)
    assert got.tobytes() == expected.tobytes()


def test_a_rectangle_at_an_infinite_corner_is_left_to_matplotlib() -> None:
    import numpy as np
    from matplotlib.transforms import Bbox, BboxTransformTo

    from kreport.page.plotframe import _rotation, rect_matrix

    with np.errstate(all="ignore"):
        bbox = Bbox.from_extents(float("inf"), 0.0, 1.0, 2.0)
        expected = np.dot(_rotation(bbox).get_matrix(), BboxTransformTo(bbox).get_matrix())
        got = rect_matrix(float("inf"), 0.0, 1.0, 2.0)
    assert got.tobytes() == expected.tobytes()
