"""Format numbers, money, changes and dates for people, the CLDR way (via Babel) per language."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from babel.dates import format_date as _babel_date
from babel.numbers import format_compact_decimal, format_decimal, get_currency_name

from ..model import Change, ChangeKind, Language, Metric
from .words import words

_LOCALE: dict[Language, str] = {"en": "en_GB", "zh": "zh_Hans_CN"}

UP, DOWN, FLAT = "▲", "▼", "■"
MINUS = "−"  # U+2212; both bundled fonts have it

# Beyond these, counts and amounts switch to compact forms ("1.9 million", "190.26万").
_COMPACT_FROM: dict[Language, float] = {"en": 1_000_000, "zh": 10_000}
_COUNT_COMPACT_FROM: dict[Language, float] = {"en": 10_000_000, "zh": 1_000_000}


def locale_of(language: Language) -> str:
    return _LOCALE[language]


def number(value: float, language: Language) -> str:
    """A count or plain quantity: grouped digits, compact when very large."""
    loc = _LOCALE[language]
    if abs(value) >= _COUNT_COMPACT_FROM[language]:
        return str(
            format_compact_decimal(
                value, format_type=_compact_type(language), locale=loc, fraction_digits=2
            )
        )
    if value != 0 and abs(value) < 1:
        return str(format_decimal(value, format="@##", locale=loc))
    return str(format_decimal(value, format="#,##0.##", locale=loc))


def money(value: float, currency: str, language: Language) -> str:
    """An amount: ``CNY 1.9 million`` / ``CNY 113,500`` in English, ``190.26万元`` in Chinese."""
    loc = _LOCALE[language]
    if abs(value) >= _COMPACT_FROM[language]:
        digits = str(
            format_compact_decimal(
                value, format_type=_compact_type(language), locale=loc, fraction_digits=2
            )
        )
    elif value != 0 and abs(value) < 1:
        digits = str(format_decimal(value, format="@##", locale=loc))
    else:
        digits = str(format_decimal(value, format="#,##0.##", locale=loc))
    if language == "zh":
        unit = "元" if currency == "CNY" else str(get_currency_name(currency, locale=loc))
        return f"{digits}{unit}"
    return f"{currency} {digits}"


def _compact_type(language: Language) -> Literal["short", "long"]:
    return "short" if language == "zh" else "long"


def value(metric: Metric, v: float, currency: str, language: Language) -> str:
    """A metric's value or previous value with its unit."""
    if metric.money:
        return money(v, currency, language)
    text = number(v, language)
    if metric.unit is None:
        return text
    if metric.is_percentage:
        return f"{text}%"
    return f"{text}{metric.unit}" if language == "zh" else f"{text} {metric.unit}"


def _amount(change: Change, language: Language) -> str:
    assert change.amount is not None
    pattern = "#,##0.#" if change.derived else "#,##0.##"
    digits = str(format_decimal(abs(change.amount), format=pattern, locale=_LOCALE[language]))
    if change.kind is ChangeKind.POINTS:
        return f"{digits}{words(language).points}" if language == "zh" else f"{digits} pts"
    return f"{digits}%"


def change_mark(change: Change) -> str:
    return {"up": UP, "down": DOWN, "flat": FLAT}[change.direction]


def change_words(change: Change, language: Language) -> str:
    """The change in words, without the arrow: ``12.5%`` or ``new``; ``下降12.5%`` in Chinese."""
    w = words(language)
    if change.kind is ChangeKind.NEW:
        return w.new
    amount = _amount(change, language)
    if change.direction == "flat":
        return w.flat
    if language == "zh":
        return f"{w.up if change.direction == 'up' else w.down}{amount}"
    return amount


def change_signed(change: Change, language: Language) -> str:
    """A compact signed change for chart bar ends: ``+171%``, ``−12.5%``, ``new``."""
    if change.kind is ChangeKind.NEW:
        return words(language).new
    sign = {"up": "+", "down": MINUS, "flat": ""}[change.direction]
    return f"{sign}{_amount(change, language)}"


def date(d: dt.date, language: Language) -> str:
    if language == "zh":
        return str(_babel_date(d, format="long", locale=_LOCALE[language]))
    return str(_babel_date(d, format="d MMMM y", locale=_LOCALE[language]))


def share(part: float, total: float, language: Language) -> str:
    if total <= 0:
        return ""
    pct = part / total * 100
    pattern = "#,##0" if pct >= 1 or pct == 0 else "0.#"
    return f"{format_decimal(pct, format=pattern, locale=_LOCALE[language])}%"
