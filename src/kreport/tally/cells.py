"""Turn one tally cell into what it means: a month (``2023-04`` or a date cell), a region's name,
a figure, or what is wrong with it, in words that name the value as the user sees it.

``read.py`` calls these for every row; the quick readers (``_whole_floats``, ``_whole_texts``,
``_quick``) take the common cells at C speed and leave anything else to ``_number``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias, cast

from ..source.keys import MAX_NUMBER

Number: TypeAlias = int | float

_MONTH_TEXT = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_EUROPEAN = re.compile(r"^\d{1,3}(\.\d{3})+$")
"""``1.234``: a thousand and more in much of Europe, a fraction elsewhere; refused as ambiguous."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SHORT = len(str(int(MAX_NUMBER)))
"""Digit strings shorter than this are within ``MAX_NUMBER``; ``_number`` reads longer ones."""


@dataclass(frozen=True, slots=True, order=True)
class Month:
    """A calendar month; ``index`` counts months from year 0 so that arithmetic is subtraction."""

    index: int

    @classmethod
    def of(cls, year: int, month: int) -> Month:
        return cls(year * 12 + month - 1)

    @property
    def year(self) -> int:
        return self.index // 12

    @property
    def month(self) -> int:
        return self.index % 12 + 1

    def shift(self, months: int) -> Month:
        return Month(self.index + months)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def parse_month(value: Any) -> Month | None:
    """A month from ``2023-04``, ``2023-04-01`` or a date cell; None if it is none of these."""
    if isinstance(value, dt.date):  # datetime is a date too
        return Month.of(value.year, value.month)
    if isinstance(value, str):
        m = _MONTH_TEXT.match(value.strip())
        if m and 1 <= int(m.group(2)) <= 12 and int(m.group(1)) >= 1:
            if m.group(3) is not None:
                try:
                    dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    return None
            return Month.of(int(m.group(1)), int(m.group(2)))
    return None


@dataclass(frozen=True, slots=True)
class CellError:
    """A workbook cell the reader shows as empty but is not: an error value such as ``#DIV/0!``
    (``value``), or a formula whose result was never saved (``value`` is None)."""

    value: str | None

    def describe(self) -> str:
        if self.value is None:
            return "a formula with no saved result"
        return f"the error {self.value}"

    def fix(self) -> str:
        if self.value is None:
            return "open and save the workbook in Excel or LibreOffice so it is calculated"
        return "correct the formula or type the figure"


_LIMIT = f" (the limit is {MAX_NUMBER:.0e})"
_MALFORMED = object()
"""A cell that is not a plain number: read again by ``_number``, which says what is wrong."""


def _whole_floats(values: list[Any]) -> list[Number | None] | None:
    """A workbook row's ``values`` as numbers if every one is a whole, non-negative number cell
    (most rows of a tally, so read a row at a time), else None."""
    try:
        if not values or not all(map(float.is_integer, values)):
            return None
    except TypeError:  # a value that is not a float: text, a date, an empty cell
        return None
    ints = list(map(int, values))
    return cast(list[Number | None], ints) if min(ints) >= 0 and max(ints) <= MAX_NUMBER else None


def _whole_texts(values: list[Any]) -> list[Number | None] | None:
    """A CSV row's ``values`` as numbers if every one is a non-negative whole number, else None.
    int() reads text exactly as ``_number`` does when it can: spaces around, ``+``, ``_``."""
    try:
        ints = list(map(int, values))
    except (TypeError, ValueError):
        return None
    if not all(map(str.isascii, values)):  # int() reads fullwidth and Arabic-Indic digits too
        return None
    if ints and min(ints) >= 0 and max(ints) <= MAX_NUMBER:
        return cast(list[Number | None], ints)
    return None


def _quick(v: Any) -> Number | None:
    """A cell's number if it is plainly one, None if empty, else ``_MALFORMED``."""
    if type(v) is float and 0 <= v <= MAX_NUMBER and v.is_integer():
        return int(v)
    if type(v) is int and 0 <= v <= MAX_NUMBER:
        return int(v)
    if type(v) is str and v.isascii() and v.isdigit() and len(v) < _SHORT:
        return int(v)
    if v is None or (type(v) is str and (not v or v.isspace())):
        return None
    return cast(Number, _MALFORMED)  # a placeholder until _number reads it


def _number(value: Any, *, whole: bool) -> tuple[Number | None, str | None]:
    """The number in a cell, or None and what is wrong with it (None for an empty cell)."""
    if value is None:
        return None, None
    number: Number | None = None
    if isinstance(value, CellError):
        return None, f"holds {value.describe()}; {value.fix()}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None, None
        if not text.isascii() and any(c.isdigit() for c in text):
            return None, f"expected a number written with the digits 0-9, got {_show(value)}"
        if "." in text and _EUROPEAN.match(text):
            joined = text.replace(".", "")
            return None, (
                f"{_show(value)} could be {joined} (with a dot between thousands, as in much of "
                f"Europe) or {text}; write {joined} for the whole number, without separators"
            )
        if _GROUPED.match(text):
            text = text.replace(",", "")
        if text.isascii() and text.isdigit() and len(text) > _SHORT:  # int() refuses thousands
            return None, f"a number of {len(text)} digits is too large{_LIMIT}"
        try:
            number = int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                number = None
    if number is None or not math.isfinite(number):
        return None, f"expected a number, got {_show(value)}"
    if number < 0:
        return None, f"must not be negative, got {number:g}"
    if number > MAX_NUMBER:
        return None, f"{_show(value)} is too large{_LIMIT}"
    if isinstance(number, float) and number.is_integer():
        number = int(number)  # workbooks store every number as a float
    if whole and not isinstance(number, int):
        return None, f"expected a whole number of cases, got {number:g}"
    return number, None


def _region(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    return text or None


def _cell(cells: Sequence[Any], i: int) -> Any:
    """The value at ``i``, with empty text and missing trailing cells both read as None."""
    if i >= len(cells):
        return None
    value = cells[i]
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def _column_letters(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def _show(value: Any) -> str:
    if isinstance(value, str):
        value = _CONTROL.sub(lambda m: repr(m.group())[1:-1], value)  # one line, always
        return f'"{value[:37]}..."' if len(value) > 40 else f'"{value}"'
    if isinstance(value, CellError):
        return value.describe()
    if value is None:
        return "an empty cell"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)
