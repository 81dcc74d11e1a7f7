"""The validator's scalar checks: a raw value at a field path -> a checked text (in the edition's
language), number, flag, date or list of tables, or None with the problem collected.

``Checks`` is the base of every part of the validator (``figures``, ``blocks``, ``validate``):
each reports through its ``problem`` list, with the same field paths (``metrics[0].value``),
so every problem in a file is still reported at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from ..errors import Problem
from ..model import ALIASES, LANGUAGES, Comparison, Language, fallbacks, language_tag
from .keys import MAX_NUMBER, MIN_NUMBER, text_length

_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]"
)


class Checks:
    """Collects problems; checks one value at a time."""

    def __init__(self, source: str, folder: Path | None = None) -> None:
        self.source = source
        self.folder = folder
        self.problems: list[Problem] = []
        self.lang: Language = "en"
        self.fallback = False  # the data file allows an edition to read its fallbacks' texts
        self.plain: dict[str, str] = {}
        """Each text given as a plain string rather than a table of translations, by path: the
        same text in every edition, so it may be in another language than the one built."""

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def unknown_keys(self, table: Mapping[str, Any], known: tuple[str, ...], path: str) -> None:
        for key in table:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                self.problem(join(path, key), f"unknown key{hint}")

    def translation(self, table: Mapping[str, Any], path: str) -> tuple[Any, str] | None:
        """The edition's entry of a table of translations, and its path; else a problem."""
        by_tag: dict[Language, str] = {}
        for key in table:
            tag = language_tag(key) if isinstance(key, str) else None
            if tag is None:
                self.problem(join(path, str(key)), f"unknown language tag; use one of {TAGS}")
            elif tag in by_tag:
                self.problem(join(path, key), f"the same edition as {by_tag[tag]!r}")
            else:
                by_tag[tag] = key
        chain = (self.lang, *fallbacks(self.lang))
        allowed = chain if self.fallback else chain[:1]
        for tag in allowed:
            if tag in by_tag:
                return table[by_tag[tag]], join(path, by_tag[tag])
        have = ", ".join(sorted(map(str, table))) or "none"
        hint = next((t for t in chain[1:] if t in by_tag), None)
        allow = f"; set fallback = true to use its {hint!r} text" if hint else ""
        self.problem(path, f"no {self.lang!r} text (translations given: {have}){allow}")
        return None

    # -- scalars -----------------------------------------------------------------------------

    def text(
        self,
        table: Mapping[str, Any],
        key: str,
        path: str,
        *,
        required: bool = False,
        limit: int = 200,
    ) -> str | None:
        value = table.get(key)
        if value is None:
            if required:
                self.problem(path, "required text is missing")
            return None
        plain = not isinstance(value, dict)
        if not plain:
            found = self.translation(value, path)
            if found is None:
                return None
            value, path = found
        if not isinstance(value, str):
            self.problem(path, f"expected text, got {show(value)}")
            return None
        bad = _CONTROL.search(value)
        if bad:
            self.problem(path, f"contains the control character {char_name(bad.group())}")
            return None
        cleaned = " ".join(value.split())
        if not cleaned:
            if required:
                self.problem(path, "must not be empty")
            return None
        length = text_length(cleaned)
        if length > limit:
            wide = " long, counting a Chinese character as two" if length > len(cleaned) else ""
            self.problem(path, f"is {length}{wide or ' characters long'}; at most {limit} fit")
            return None
        if plain:
            self.plain[path] = cleaned
        return cleaned

    def number(
        self,
        table: Mapping[str, Any],
        key: str,
        path: str,
        *,
        integer: bool = False,
        signed: bool = False,
    ) -> float | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            kind = "a whole number" if integer else "a number"
            self.problem(path, f"expected {kind}, got {show(value)}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.problem(path, f"expected a finite number, got {value}")
            return None
        if abs(value) > MAX_NUMBER:
            self.problem(path, f"{show(value)} is too large (the limit is {MAX_NUMBER:.0e})")
            return None
        if value and abs(value) < MIN_NUMBER:
            self.problem(path, f"{show(value)} is too small (the limit is {MIN_NUMBER:g})")
            return None
        if integer and value != int(value):
            self.problem(path, f"expected a whole number, got {value:g}")
            return None
        if not signed and value < 0:
            self.problem(path, f"must not be negative, got {value:g}")
            return None
        return int(value) if integer else value

    def flag(self, table: Mapping[str, Any], key: str, path: str) -> bool:
        value = table.get(key, False)
        if not isinstance(value, bool):
            self.problem(path, f"expected true or false, got {show(value)}")
            return False
        return value

    def date(self, value: Any, path: str) -> dt.date | None:
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.problem(path, f"expected a date such as 2023-05-09, got {show(value)}")
        return None

    def comparison(self, value: Any) -> Comparison:
        if value not in ("last_year", "previous_period"):
            self.problem(
                "comparison", f'expected "last_year" or "previous_period", got {show(value)}'
            )
            return "last_year"
        return cast(Comparison, value)

    def currency(self, value: Any, *, required: bool) -> str:
        from babel.numbers import is_currency

        if value is None:
            if required:
                self.problem(
                    "currency", 'required when figures are money (an ISO 4217 code such as "CNY")'
                )
            return "CNY"
        if not isinstance(value, str) or not is_currency(value):
            self.problem("currency", f'expected an ISO 4217 code such as "CNY", got {show(value)}')
            return "CNY"
        return value

    # -- lists -------------------------------------------------------------------------------

    def table_list(self, value: Any, path: str, limit: int) -> list[tuple[str, Mapping[str, Any]]]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, f"expected a list of tables, got {show(value)}")
            return []
        if len(value) > limit:
            self.problem(path, f"has {len(value)} entries; at most {limit} are accepted")
            return []
        out: list[tuple[str, Mapping[str, Any]]] = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                out.append((f"{path}[{i}]", item))
            else:
                self.problem(f"{path}[{i}]", f"expected a table, got {show(item)}")
        return out


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


TAGS = "en, en-GB, en-US, zh, zh-Hans, zh-Hant, zh-HK, zh-TW, zh-MO"
assert set(TAGS.split(", ")) == {*LANGUAGES, *ALIASES}


# fmt: off
_C0_NAMES = (
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR",
    "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC",
    "FS", "GS", "RS", "US",
)
# fmt: on


def char_name(char: str) -> str:
    """``U+0007 (BEL)``: the code point, and a name a user can search for."""
    code = ord(char)
    name = _C0_NAMES[code] if code < 32 else "DEL" if code == 127 else unicodedata.name(char, "")
    return f"U+{code:04X} ({name})" if name else f"U+{code:04X}"


def show(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**16:
        return f"a number of {len(str(abs(value)))} digits"
    if isinstance(value, dt.datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, dt.time):
        return f"the time {value.isoformat()}"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f'"{shown}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)
