"""Format numbers, money, changes and dates for people, the CLDR way (via Babel) per language."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Literal

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import NumberPattern, format_compact_decimal, get_currency_name, parse_pattern

from ..model import Change, ChangeKind, Language, Metric, is_chinese
from .words import words

_LOCALE: dict[Language, str] = {
    "en": "en_GB",
    "en-US": "en_US",
    "zh": "zh_Hans_CN",
    "zh-Hant": "zh_Hant",
    "zh-HK": "zh_Hant_HK",
    "zh-TW": "zh_Hant_TW",
    "zh-MO": "zh_Hant_MO",
}
# CLDR's zh_Hant_HK and zh_Hant_MO compact forms are Western ("7.39B"); Chinese text in Hong Kong
# and Macau writes 億 and 萬 (README, "Languages"), which are zh_Hant's compact forms.
_COMPACT_LOCALE: dict[Language, str] = {"zh-HK": "zh_Hant", "zh-MO": "zh_Hant"}
# The currency each edition's own amounts are in, written with the catalogue's money_home word
# (元), as the mainland, Hong Kong and Taiwan police write their own currency. Macau's releases
# name theirs (澳門元): Hong Kong dollars circulate there too.
_HOME_CURRENCY: dict[Language, str] = {"zh": "CNY", "zh-HK": "HKD", "zh-TW": "TWD"}
# Where a place writes a currency's name otherwise than CLDR: Taiwan's government writes 臺.
_CURRENCY_NAME: dict[tuple[Language, str], str] = {("zh-TW", "TWD"): "新臺幣"}

UP, DOWN, FLAT = "▲", "▼", "■"
MINUS = "−"  # U+2212; both bundled fonts have it

# Beyond these, counts and amounts switch to compact forms ("1.9 million", "190.26万").
_COMPACT_FROM = {False: 1_000_000, True: 10_000}  # by is_chinese(language)
_COUNT_COMPACT_FROM = {False: 10_000_000, True: 1_000_000}


@functools.lru_cache(maxsize=1024, typed=True)
def decimal(value: float, pattern: str, locale: str) -> str:
    """Babel's ``format_decimal(value, format=pattern, locale=locale)``, with the pattern and the
    locale parsed once per process rather than on every figure (a page prints a few hundred),
    and the last few thousand answers kept: a layout formats each figure several times, once
    for each type scale it measures. ``typed``: an int, a float and a Decimal of equal value
    are kept apart, as Babel may print them apart."""
    number_pattern, loc = _parsed(pattern, locale)
    return str(number_pattern.apply(value, loc))


@functools.cache
def _parsed(pattern: str, locale: str) -> tuple[NumberPattern, Locale]:
    return parse_pattern(pattern), Locale.parse(locale)


def locale_of(language: Language) -> str:
    return _LOCALE[language]


def compact_locale(language: Language) -> str:
    """The Babel locale whose compact forms ("million", 万, 萬) an edition writes."""
    return _COMPACT_LOCALE.get(language, _LOCALE[language])


def number(value: float, language: Language) -> str:
    """A count or plain quantity: grouped digits, compact when very large."""
    loc = _LOCALE[language]
    if abs(value) >= _COUNT_COMPACT_FROM[is_chinese(language)]:
        return _compact(value, language)
    if value != 0 and abs(value) < 1:
        return decimal(value, "@##", loc)
    return decimal(value, "#,##0.##", loc)


def money(value: float, currency: str, language: Language) -> str:
    """An amount: ``CNY 1.9 million`` / ``CNY 113,500`` in English, ``190.26万元`` in Chinese."""
    loc = _LOCALE[language]
    if abs(value) >= _COMPACT_FROM[is_chinese(language)]:
        digits = _compact(value, language)
    elif value != 0 and abs(value) < 1:
        digits = decimal(value, "@##", loc)
    else:
        digits = decimal(value, "#,##0.##", loc)
    return with_currency(digits, currency, language)


def with_currency(digits: str, currency: str, language: Language) -> str:
    """Formatted ``digits`` written as an amount: ``CNY 113,500``, ``11.35万元``."""
    w = words(language)
    pattern = w.money_home if _HOME_CURRENCY.get(language) == currency else w.money
    return pattern.format(amount=digits, currency=currency_name(currency, language))


def currency_name(currency: str, language: Language) -> str:
    """The ISO code in English ("SGD 13,999"); CLDR's name in Chinese (新加坡元)."""
    if not is_chinese(language):
        return currency
    name = _CURRENCY_NAME.get((language, currency))
    return name or str(get_currency_name(currency, locale=_LOCALE[language]))


def _compact(value: float, language: Language) -> str:
    """``1.9 million``, ``190.26万``: CLDR's compact form, long in English, short in Chinese."""
    kind: Literal["short", "long"] = "short" if is_chinese(language) else "long"
    loc = _COMPACT_LOCALE.get(language, _LOCALE[language])
    text = str(format_compact_decimal(value, format_type=kind, locale=loc, fraction_digits=2))
    # Babel promotes a figure whose rounding reaches the next unit (999,999,999 -> "1 billion"),
    # but past the largest unit it writes "1000 trillion": group those digits like any figure.
    return re.sub(r"\d{4,}", lambda d: _group(int(d.group()), language), text)


def _group(n: int, language: Language) -> str:
    return decimal(n, "#,##0", _LOCALE[language])


def value(metric: Metric, v: float, currency: str, language: Language) -> str:
    """A metric's value or previous value with its unit."""
    if metric.money:
        return money(v, currency, language)
    return with_unit(metric, number(v, language), language)


def with_unit(metric: Metric, text: str, language: Language) -> str:
    """Formatted digits with the metric's unit: ``954 cards``, ``151名``, ``12.5%``."""
    if metric.unit is None:
        return text
    if metric.is_percentage:
        return f"{text}%"
    return words(language).quantity.format(number=text, unit=metric.unit)


def _amount(change: Change, language: Language, decimals: int | None = None) -> str:
    """The change's size; ``decimals`` fixes its decimals (``page/figures.py`` decides them)."""
    assert change.amount is not None
    pattern = "#,##0.#" if change.derived else "#,##0.##"
    if decimals is not None:
        pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    digits = decimal(abs(change.amount), pattern, _LOCALE[language])
    if change.kind is ChangeKind.POINTS:
        return words(language).points.format(amount=digits)
    return f"{digits}%"


def change_mark(change: Change) -> str:
    return {"up": UP, "down": DOWN, "flat": FLAT}[change.direction]


def change_words(change: Change, language: Language, decimals: int | None = None) -> str:
    """The change in words, without the arrow: ``12.5%`` or ``new``; ``下降12.5%`` in Chinese."""
    w = words(language)
    if change.kind is ChangeKind.NEW:
        return w.new
    amount = _amount(change, language, decimals)
    if change.direction == "flat":
        return w.flat
    return (w.rise if change.direction == "up" else w.fall).format(amount=amount)


def change_signed(change: Change, language: Language, decimals: int | None = None) -> str:
    """A compact signed change for chart bar ends: ``+171%``, ``−12.5%``, ``new``."""
    if change.kind is ChangeKind.NEW:
        return words(language).new
    sign = {"up": "+", "down": MINUS, "flat": ""}[change.direction]
    return f"{sign}{_amount(change, language, decimals)}"


@functools.lru_cache(maxsize=64)
def date(d: dt.date, language: Language) -> str:
    """CLDR's long date: 9 May 2023, May 9, 2023, 2023年5月9日 (the last few kept: a layout
    sets its issue date at every type size it tries, and a batch's pages share theirs)."""
    return str(_babel_date(d, format="long", locale=_LOCALE[language]))


def share(part: float, total: float, language: Language) -> str:
    if total <= 0:
        return ""
    pct = part / total * 100
    if 0 < pct < 0.05:
        return f"<{decimal(0.1, '0.0', _LOCALE[language])}%"
    # one decimal near both ends, so 99.6% is not "100%" and 0.4% not "0%"; whole % between
    pattern = "0.#" if 0 < pct < 1 or 99 < pct < 100 else "#,##0"
    if 99.95 <= pct < 100:
        return f">{decimal(99.9, '0.0', _LOCALE[language])}%"
    return f"{decimal(pct, pattern, _LOCALE[language])}%"
