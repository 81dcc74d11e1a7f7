"""A period written in words -> the last day it covers, when that can be determined for sure.

A briefing is issued after its period ends: an issue date before the end of the period is
refused (``validate.py``). The period is free text, so its end is read only from the forms
bulletins write, whole-string matches in English and in Chinese, and never guessed:

- ``2023``, ``Q1 2024``, ``H2 2023``, ``March 2024``, ``January–April 2023``,
  ``November 2022–February 2023``, ``18–24 September 2021``, ``28 August–3 September 2023``,
  ``September 18–24, 2021``;
- ``2023年``, ``2023年3月``, ``2023年1月至4月``, ``2023年1-4月``, ``2022年11月至2023年2月``,
  ``2021年9月18日至24日``, ``2023年8月28日至9月3日``, ``2024年第一季度``.

Anything else ("Week 12", "the year to date") has no end we can be sure of, and is not checked.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable

_NAMES = "January February March April May June July August September October November December"
_MONTHS = {
    name.lower(): i
    for i, full in enumerate(_NAMES.split(), 1)
    for name in (full, full[:3], full[:3] + ".")
}  # English whatever the process's locale (not calendar's names, which follow it)
_MONTH = "(" + "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True)) + ")"
_TO = r"\s*(?:-|–|—|to|until)\s*"
_ZH_TO = r"\s*(?:至|到|-|–|—|~|～)\s*"
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _date(year: int, month: int | None, day: int) -> dt.date | None:
    """That day, or None when there is none (31 February, 13月, the year 0000)."""
    if month is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int | None) -> dt.date | None:
    for last in (31, 30, 29, 28):
        end = _date(year, month, last)
        if end is not None:
            return end
    return None


def _m(name: str) -> int | None:
    # None for a name the pattern matched only as case-insensitive matching goes ("ſep")
    return _MONTHS.get(name.lower())


_End = Callable[[tuple[str, ...]], dt.date | None]
_Form = tuple[str, int, _End]  # a pattern, its flags, and the end of what it matches

_ENGLISH: list[_Form] = [
    (r"(\d{4})", 0, lambda g: _date(int(g[0]), 12, 31)),
    (r"Q([1-4])\s+(\d{4})", re.I, lambda g: _month_end(int(g[1]), 3 * int(g[0]))),
    (r"H([12])\s+(\d{4})", re.I, lambda g: _month_end(int(g[1]), 6 * int(g[0]))),
    (rf"{_MONTH}\s+(\d{{4}})", re.I, lambda g: _month_end(int(g[1]), _m(g[0]))),
    (
        rf"{_MONTH}(?:\s+\d{{4}})?{_TO}{_MONTH}\s+(\d{{4}})",
        re.I,
        lambda g: _month_end(int(g[2]), _m(g[1])),
    ),
    (
        rf"(\d{{1,2}})\s+{_MONTH}\s+(\d{{4}})",
        re.I,
        lambda g: _date(int(g[2]), _m(g[1]), int(g[0])),
    ),
    (
        rf"\d{{1,2}}{_TO}(\d{{1,2}})\s+{_MONTH}\s+(\d{{4}})",
        re.I,
        lambda g: _date(int(g[2]), _m(g[1]), int(g[0])),
    ),
    (
        rf"\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?{_TO}(\d{{1,2}})\s+{_MONTH}\s+(\d{{4}})",
        re.I,
        lambda g: _date(int(g[3]), _m(g[2]), int(g[1])),
    ),
    (
        rf"{_MONTH}\s+\d{{1,2}}{_TO}(\d{{1,2}}),?\s+(\d{{4}})",
        re.I,
        lambda g: _date(int(g[2]), _m(g[0]), int(g[1])),
    ),
]

_CHINESE: list[_Form] = [
    (r"(\d{4})年(?:全年)?", 0, lambda g: _date(int(g[0]), 12, 31)),
    (r"(\d{4})年(\d{1,2})月(?:份)?", 0, lambda g: _month_end(int(g[0]), int(g[1]))),
    (
        rf"(\d{{4}})年\d{{1,2}}月?{_ZH_TO}(\d{{1,2}})月",
        0,
        lambda g: _month_end(int(g[0]), int(g[1])),
    ),
    (
        rf"\d{{4}}年\d{{1,2}}月{_ZH_TO}(\d{{4}})年(\d{{1,2}})月",
        0,
        lambda g: _month_end(int(g[0]), int(g[1])),
    ),
    (
        r"(\d{4})年(\d{1,2})月(\d{1,2})日",
        0,
        lambda g: _date(int(g[0]), int(g[1]), int(g[2])),
    ),
    (
        rf"(\d{{4}})年(\d{{1,2}})月\d{{1,2}}日{_ZH_TO}(\d{{1,2}})日",
        0,
        lambda g: _date(int(g[0]), int(g[1]), int(g[2])),
    ),
    (
        rf"(\d{{4}})年\d{{1,2}}月\d{{1,2}}日{_ZH_TO}(\d{{1,2}})月(\d{{1,2}})日",
        0,
        lambda g: _date(int(g[0]), int(g[1]), int(g[2])),
    ),
    (
        r"(\d{4})年第([一二三四1-4])季度?",
        0,
        lambda g: _month_end(int(g[0]), 3 * _QUARTERS[g[1]]),
    ),
]


def period_end(text: str) -> dt.date | None:
    """The last day of the period ``text`` names, or None when it cannot be determined."""
    cleaned = " ".join(text.split()).strip(" .")
    # Every Chinese form has a 年, which no English form matches: only one list can match
    for source, flags, end in _CHINESE if "年" in cleaned else _ENGLISH:
        match = _compiled(source, flags).fullmatch(cleaned)
        if match:
            return end(match.groups())
    return None


@functools.cache
def _compiled(source: str, flags: int) -> re.Pattern[str]:
    """A form's pattern, compiled when first tried: a build reads one period, so it needs the
    forms up to the one that matches, not all seventeen (~4 ms to compile)."""
    return re.compile(source, flags)
