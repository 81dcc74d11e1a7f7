"""Seeded random charts for comparing the direct drawing with matplotlib's (test_chart_oracle).

Each chart is one of the kinds a page draws, with what makes the drawing branch: many rows, cut
bars (and a cut row's last-year bar), hatched, outlined and lighter tones, rows that are text
only ("2 → 52", "new"), falls and rises, tiny spans, legends, last-year bars, multi-line and
Chinese labels, empty and Chinese figures above a trend's months, months with no figure a year
earlier, sizes and widths across what the layout passes.
"""

from __future__ import annotations

import random

from kreport.fonts import CJK, LATIN, FontSet
from kreport.page.barchart import BarChart, Row
from kreport.page.charts import diverging_chart, types_cut
from kreport.page.palette import (
    BAD,
    GOOD,
    LAST_YEAR,
    NEUTRAL,
    OTHER,
    OTHER_LAST_YEAR,
    THIS_PERIOD,
)
from kreport.page.trend import TrendChart

WORDS = ("Telecom", "fraud", "reports", "cases", "solved", "Investment", "Order", "brushing")
HAN = "电信网络诈骗案件冒充公检法虚假投资理财刷单返利贷款類警情反詐中心統計"


def _words(rnd: random.Random, chinese: bool, n: int) -> str:
    if chinese:
        return "".join(rnd.choice(HAN) for _ in range(n * 2))
    return " ".join(rnd.choice(WORDS) for _ in range(n))


def _label(rnd: random.Random, chinese: bool) -> list[str]:
    lines = rnd.choice((1, 1, 2, 3))
    return [_words(rnd, chinese, rnd.randint(1, 3)) for _ in range(lines)]


def _number(rnd: random.Random) -> float:
    return rnd.choice(
        (
            rnd.uniform(0, 5),
            rnd.uniform(0, 500),
            rnd.uniform(0, 50_000),
            float(rnd.randint(0, 300)),
            rnd.uniform(1e5, 1e9),
        )
    )


def change_chart(rnd: random.Random, chinese: bool) -> BarChart:
    rows = []
    for _ in range(rnd.randint(2, 12)):
        tone = rnd.choice((GOOD, BAD, NEUTRAL))
        kind = rnd.random()
        label = _label(rnd, chinese)
        if kind < 0.15:  # small base or new: text only, at the zero line
            text = rnd.choice(("2 → 52", "new", "新增"))
            rows.append(Row(label, 0.0, None, text, tone, bar=False))
            continue
        value = rnd.choice(
            (rnd.uniform(-99, 300), rnd.uniform(-0.4, 0.4), rnd.uniform(500, 30_000))
        )
        if rnd.random() < 0.1:
            value = -value
        rows.append(Row(label, value, None, f"{value:+.1f}%", tone))
    return diverging_chart(rows, rnd.uniform(150, 540), rnd.uniform(0, 6), rnd.uniform(5.5, 10))


def types_chart(rnd: random.Random, chinese: bool) -> BarChart:
    rows = []
    paired = rnd.random() < 0.7
    n = rnd.randint(1, 14)
    for i in range(n):
        value = _number(rnd)
        aggregate = i >= n - rnd.choice((0, 1, 2))
        previous = None
        if paired and rnd.random() < 0.85:
            previous = value * rnd.uniform(0.2, 3) if rnd.random() < 0.9 else 0.0
        if aggregate and rnd.random() < 0.3:
            value *= 40  # a folded row that dwarfs the ranked ones
        text = f"{value:,.0f}" + (" · 12.5%" if rnd.random() < 0.5 else "")
        rows.append(
            Row(
                _label(rnd, chinese),
                value,
                previous,
                text + (" †" if paired and previous is None else ""),
                OTHER if aggregate else THIS_PERIOD,
                OTHER_LAST_YEAR if aggregate else LAST_YEAR,
                aggregate=aggregate,
            )
        )
    legend = None
    if paired and rnd.random() < 0.8:
        this, last = ("本期", "去年同期") if chinese else ("This period", "Last year")
        legend = ((this, THIS_PERIOD), (last, LAST_YEAR))
    size = rnd.uniform(5.5, 10)
    width = rnd.uniform(120, 540)
    cut = types_cut(rows) if rnd.random() < 0.8 else frozenset()
    return BarChart(tuple(rows), width, False, legend, rnd.uniform(0, 6), size, cut)


def trend_chart(rnd: random.Random, chinese: bool) -> TrendChart:
    months = []
    for m in range(rnd.randint(1, 12)):
        value = _number(rnd)
        previous = None if rnd.random() < 0.25 else _number(rnd)
        name = f"{m + 1}月" if chinese else ("Jan", "Feb", "Mar", "Apr", "May", "Jun")[m % 6]
        if previous is None:
            name += "†"
        shown = rnd.choice((f"{value:,.0f}", "", f"¥{value:,.0f}万"))
        months.append((name, value, previous, shown))
    legend = ("2024", "2023") if rnd.random() < 0.5 else ("本期", "去年同期")
    return TrendChart(tuple(months), legend, rnd.uniform(100, 540), rnd.uniform(5.5, 10))


def charts(seed: int, n: int) -> list[tuple[BarChart | TrendChart, FontSet]]:
    """``n`` random charts (a third of each kind) and the fonts to draw each with."""
    rnd = random.Random(seed)
    out: list[tuple[BarChart | TrendChart, FontSet]] = []
    for i in range(n):
        chinese = rnd.random() < 0.4
        make = (change_chart, types_chart, trend_chart)[i % 3]
        out.append((make(rnd, chinese), CJK if chinese else LATIN))
    return out
