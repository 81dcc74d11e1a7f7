"""Figures at the edges of their rounding: a change that prints as 0% is no change (no arrow,
no colour judgement, no bar filling the chart), shares near 0% and 100%, compact forms at the
top of their units."""

from __future__ import annotations

from typing import Any

import pytest

import kreport
from helpers import REQUIRED, charts_in
from kreport.deliver.message import key_figures
from kreport.page import numbers
from kreport.page.barchart import bars_frame
from kreport.page.layout import lay_out
from kreport.page.numbers import DOWN, FLAT, UP
from pdfread import read_pdf


def metrics_of(data: dict[str, Any]) -> Any:
    return lay_out(kreport.parse(data)).briefing.metrics


@pytest.mark.parametrize(
    "metric",
    [
        {"label": "Reports", "change_pct": 0.001, "better": "down"},
        {"label": "Reports", "change_pct": -0.004, "better": "down"},
        {"label": "Reports", "value": 100_001, "previous": 100_000, "better": "down"},
        {"label": "Rate", "value": 12.501, "previous": 12.5, "unit": "%", "better": "up"},
    ],
)
def test_a_change_that_rounds_to_nothing_is_no_change(metric: dict[str, Any]) -> None:
    data = {**REQUIRED, "metrics": [metric]}
    (m,) = metrics_of(data)
    assert m.change is not None and m.change.direction == "flat"
    assert m.good_news is None  # neither Better nor Worse
    text = read_pdf(kreport.build_bytes(data)).text
    assert UP not in text and DOWN not in text
    ((_, figure),) = key_figures(kreport.parse(data))
    assert figure.count(FLAT) == 1 and UP not in figure


def test_a_change_that_rounds_to_something_keeps_its_direction() -> None:
    data = {**REQUIRED, "metrics": [{"label": "Reports", "change_pct": 0.05, "better": "down"}]}
    (m,) = metrics_of(data)
    assert m.change is not None and m.change.direction == "up" and m.good_news is False


def test_tiny_changes_do_not_fill_the_change_chart() -> None:
    data = {
        **REQUIRED,
        "metrics": [
            {"label": "Reports", "change_pct": 0.3},
            {"label": "Losses", "change_pct": 0.2},
            {"label": "Arrests", "change_pct": 0.1},
        ],
    }
    layout = lay_out(kreport.parse(data))
    (chart,) = [c for c in charts_in(layout) if c.diverging]
    lo, hi = bars_frame(chart, layout.fonts).xlim
    assert hi - lo >= 1.0  # the axis spans at least 1%, so +0.3% is a short bar
    assert 0.3 / (hi - lo) < 0.35


@pytest.mark.parametrize(
    ("pct", "shown"),
    [(99.6, "99.6%"), (0.04, "<0.1%"), (0.4, "0.4%"), (0, "0%"), (100, "100%"), (50.4, "50%")],
)
def test_share_near_the_ends(pct: float, shown: str) -> None:
    assert numbers.share(pct, 100, "en") == shown


@pytest.mark.parametrize(
    ("value", "currency", "language", "shown"),
    [
        (999_999_999_999_999, "USD", "en", "USD 1,000 trillion"),
        (999_999_999, "USD", "en", "USD 1 billion"),
        (99_999_999, "CNY", "zh", "1亿元"),
        (999_999_999_999_999, "CNY", "zh", "1,000万亿元"),
        (9_999_999, "CNY", "zh", "1,000万元"),
    ],
)
def test_compact_forms_at_the_top_of_their_unit(
    value: float, currency: str, language: Any, shown: str
) -> None:
    assert numbers.money(value, currency, language) == shown


@pytest.mark.parametrize(
    ("words", "pattern"),
    [
        ("1,000 trillion WWWWWWWW more", "{change}"),
        ("1,000 trillion WWWWWWWW more", "{change} on last year"),
        ("增加1,000万亿大大大大", "较去年同期{change}"),
    ],
)
def test_a_change_too_wide_for_its_column_breaks_instead_of_spilling(
    words: str, pattern: str
) -> None:
    """The brief's case: value 999,999,999,999,999 from a base of 1 with an 8-character unit
    drew its change over the next column; now it breaks between words (or characters)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from kreport.fonts import choose
    from kreport.page.marks import ChangeText
    from kreport.page.palette import BAD

    fonts = choose("zh", [words])
    fonts.register()
    font = fonts.regular.name
    mark = ChangeText("up", BAD, words, font, 9.0, pattern=pattern, align="right")
    width = 80.0
    _, height = mark.wrap(width, 1000)
    assert height >= 2 * mark.lead
    for i, runs in enumerate(mark._lines):
        used = (mark.mark_width if i == mark._arrow_line else 0.0) + sum(
            stringWidth(t, font, 9.0) for t, _ in runs
        )
        assert used <= width + 0.01, runs
    shown = "".join(t for runs in mark._lines for t, _ in runs).replace(" ", "")
    assert shown == pattern.replace("{change}", words).replace(" ", "")


def test_a_summary_table_with_no_room_for_its_figures_is_a_layout_error() -> None:
    """Columns squeezed below their padding made reportlab raise "flowable given negative
    availWidth", an internal error: it is a LayoutError naming the table instead."""
    from kreport.errors import LayoutError
    from kreport.fonts import choose
    from kreport.page.blocks import Page, Plan, _column_widths
    from kreport.page.precision import figures
    from kreport.page.styles import make_styles
    from kreport.page.words import words

    b = kreport.parse({**REQUIRED, "metrics": [{"label": "Reports", "value": 1, "previous": 2}]})
    fonts = choose(b.language, ["Reports"])
    fonts.register()
    p = Page(b, make_styles(fonts), words(b.language), 200.0, Plan(), figures(b))
    assert len(_column_widths(p, ["This period", "Change"], [30.0, 30.0])) == 3
    with pytest.raises(LayoutError, match="summary table"):
        _column_widths(p, ["This period", "Change"], [5_000.0, 10.0])
