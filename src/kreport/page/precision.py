"""Decide the precision of a briefing's figures: a ``Briefing`` -> ``Figures``, the texts of its
values and changes as every block prints them.

- **A short form loses no digit.** From 1 million in English, 10,000 in Chinese, a figure is
  written short ("SGD 651.8 million", "190.26万元") only when the short form, with at most two
  decimals, is exact; else in full ("CNY 1,902,600"). Chinese tries the unit below too
  (65,180万 rather than 6.518亿). Counts and amounts follow the same rule.
- **One precision per column.** The figures of one kind in the value columns of the summary
  table (amounts, percentages, other figures; in one short unit or in full) share one number
  of decimals, the fewest (up to two) that show each exactly: "16.0%" beside "12.6%",
  "AUD 256.0 million" beside "AUD 201.1 million". The key figures print what the table
  prints.
- **Changes to what their figures support.** Computed % changes share one number of decimals
  across the page: one when every one of them comes from a base of at least 1,000 (one case
  then moves a change by 0.1% or less), else none: "2.0%" beside "9.9%", "+6%" rather than
  "+5.9%" from 17 cases. A base under 20 shows the difference instead (``figures.py``). Computed
  percentage-point changes get the decimals of their percentages. Published changes print as
  published.
"""

from __future__ import annotations

import decimal
import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from babel import Locale

from ..model import Briefing, Change, ChangeKind, Language, Metric, is_chinese
from . import numbers

MAX_DECIMALS = 2
SHORT_FROM = {False: 1_000_000, True: 10_000}  # by is_chinese(language)
FINE_BASE = 1_000  # computed % changes get a decimal only from bases at least this large
Kind = Literal["money", "percent", "number"]


@dataclass(frozen=True, slots=True)
class _Unit:
    divisor: float
    pattern: str  # CLDR's compact pattern for the plural "other", e.g. "0 million", "0万"


@functools.cache
def _units(language: Language) -> tuple[_Unit, ...]:
    """The short-form units from ``SHORT_FROM`` up, largest first: million, billion, trillion;
    万, 亿, 万亿 (萬, 億 in Traditional)."""
    kind = "short" if is_chinese(language) else "long"
    loc = numbers.compact_locale(language)
    formats = Locale.parse(loc).compact_decimal_formats[kind]["other"]
    units: dict[float, str] = {}
    for magnitude, pattern in formats.items():
        text = str(getattr(pattern, "pattern", pattern))
        zeros = text.count("0")
        if not text.replace("0", "").strip():
            continue  # "0": written in full at this magnitude
        divisor = float(magnitude) / 10 ** (zeros - 1)
        if divisor >= SHORT_FROM[is_chinese(language)] and divisor not in units:
            units[divisor] = re.sub("0+", "0", text, count=1)
    return tuple(_Unit(d, p) for d, p in sorted(units.items(), reverse=True))


def _decimals_of(x: float) -> int:
    """The decimals ``x`` needs to be exact, up to ``MAX_DECIMALS + 1`` (more is rounded)."""
    for d in range(MAX_DECIMALS + 1):
        if math.isclose(x, round(x, d), rel_tol=0, abs_tol=1e-9 * max(1.0, abs(x))):
            return d
    return MAX_DECIMALS + 1


def _short(v: float, language: Language) -> _Unit | None:
    """The unit of ``v``'s magnitude if ``v`` is exact in it with at most two decimals; in
    Chinese also the unit below it (65,180万 for 6.518亿); else None, for the full form."""
    if abs(v) < SHORT_FROM[is_chinese(language)]:
        return None
    fitting = [u for u in _units(language) if abs(v) >= u.divisor]
    for unit in fitting[: 2 if is_chinese(language) else 1]:
        if _decimals_of(v / unit.divisor) <= MAX_DECIMALS:
            return unit
    return None


def _digits(v: float, decimals: int, language: Language) -> str:
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return numbers.decimal(v, pattern, numbers.locale_of(language))


def _kind(m: Metric) -> Kind:
    return "money" if m.money else "percent" if m.is_percentage else "number"


def column(
    metrics: Sequence[Metric], values: Sequence[float | None], currency: str, language: Language
) -> list[str | None]:
    """The texts of one column's figures: short only when exact, one precision per kind."""
    return columns(metrics, [values], currency, language)[0]


def columns(
    metrics: Sequence[Metric],
    values: Sequence[Sequence[float | None]],
    currency: str,
    language: Language,
) -> list[list[str | None]]:
    """The texts of side-by-side columns (this period, last year) of the same metrics: their
    figures of one kind share one number of decimals, so a row reads "14.5%" beside "12.0%"."""
    forms = [[None if v is None else _short(v, language) for v in col] for col in values]
    wanted: dict[tuple[Kind, float], int] = {}
    for col, col_forms in zip(values, forms, strict=True):
        for m, v, unit in zip(metrics, col, col_forms, strict=True):
            if v is None or (v and abs(v) < 0.01):
                continue
            key = (_kind(m), unit.divisor if unit else 1.0)
            scaled = v / unit.divisor if unit else v
            wanted[key] = max(wanted.get(key, 0), min(_decimals_of(scaled), MAX_DECIMALS))
    out: list[list[str | None]] = []
    for col, col_forms in zip(values, forms, strict=True):
        texts: list[str | None] = []
        for m, v, unit in zip(metrics, col, col_forms, strict=True):
            if v is None:
                texts.append(None)
            elif v and abs(v) < 0.01:  # too small for two decimals: the digits it needs
                texts.append(numbers.value(m, v, currency, language))
            else:
                # one kind in one unit shares its decimals: "256.0 million" beside "201.1
                # million", while "4.12億" and "9,650萬" each keep their own
                decimals = wanted[(_kind(m), unit.divisor if unit else 1.0)]
                text = _digits(v / unit.divisor if unit else v, decimals, language)
                if unit:
                    text = unit.pattern.replace("0", text, 1)
                if m.money:
                    texts.append(numbers.with_currency(text, currency, language))
                else:
                    texts.append(numbers.with_unit(m, text, language))
        out.append(texts)
    return out


def change_decimals(metrics: Sequence[Metric]) -> int:
    """Decimals of every computed % change on the page: 1 when all their bases support it."""
    from .figures import small_base

    bases = [
        m.previous
        for m in metrics
        if m.change is not None
        and m.change.derived
        and m.change.kind is ChangeKind.PERCENT
        and m.previous is not None
        and not small_base(m)
        and not m.money
    ]
    return base_decimals(bases)


def points_decimals(m: Metric) -> int:
    """Decimals of a computed percentage-point change: those of its percentages."""
    figures = [x for x in (m.value, m.previous) if x is not None]
    return max((min(_decimals_of(x), MAX_DECIMALS) for x in figures), default=1)


@dataclass(frozen=True, slots=True)
class Figures:
    """How the briefing's values and changes are printed, decided once for the whole page."""

    this: tuple[str | None, ...]  # each metric's value, as the table's "This period" column
    last: tuple[str | None, ...]  # each metric's previous value
    pct_decimals: int  # of computed % changes

    def decimals(self, m: Metric) -> int | None:
        """The decimals of ``m``'s change, or None to print it as published."""
        if m.change is None or not m.change.derived:
            return None
        if m.change.kind is ChangeKind.POINTS:
            return points_decimals(m)
        return self.pct_decimals


PUBLISHED_DECIMALS = 2  # a published change prints with up to two decimals (numbers.py)


def as_printed(b: Briefing, shown: Figures | None = None) -> Briefing:
    """``b`` with every change's amount rounded to the decimals it prints with, so that its
    direction (arrow, sign, colour judgement, bar) is that of the printed figure: a change of
    0.001% or 100,001 against 100,000 prints "0%" and is no change, not a rise.

    ``figures`` of the result are those of ``b`` (``shown``, when given): they read the
    metrics' values, kinds and whether each change is computed and of which kind, never a
    change's amount, the one thing rounded here."""
    shown = shown or figures(b)
    metrics = []
    for m in b.metrics:
        c = m.change
        if c is not None:
            d = shown.decimals(m)
            m = replace(m, change=rounded(c, PUBLISHED_DECIMALS if d is None else d))
        metrics.append(m)
    return replace(b, metrics=tuple(metrics))


def rounded(c: Change, decimals: int) -> Change:
    """``c`` with its amount rounded to ``decimals`` as Babel prints it (the float's shortest
    repr, half to even), so its direction is that of the printed figure."""
    if c.amount is None:
        return c
    step = decimal.Decimal(1).scaleb(-decimals)
    amount = float(decimal.Decimal(repr(c.amount)).quantize(step, decimal.ROUND_HALF_EVEN))
    return Change(amount + 0.0, c.kind, c.derived)  # + 0.0: -0.0 is 0.0


def base_decimals(bases: Sequence[float]) -> int:
    """Decimals of computed % changes from ``bases``: one when all are at least FINE_BASE."""
    return 1 if all(b >= FINE_BASE for b in bases) else 0


def figures(b: Briefing) -> Figures:
    ms = b.metrics
    this, last = columns(
        ms, [[m.value for m in ms], [m.previous for m in ms]], b.currency, b.language
    )
    return Figures(tuple(this), tuple(last), change_decimals(ms))
