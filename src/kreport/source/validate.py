"""Turn a ``RawBriefing`` mapping into a validated ``Briefing`` in one language.

Every problem in the file is collected and raised at once as an ``InputError``.
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

from .. import fonts
from ..errors import InputError, Problem
from ..model import (
    ALIASES,
    LANGUAGES,
    Better,
    Breakdown,
    Briefing,
    Change,
    ChangeKind,
    Comparison,
    FraudType,
    Language,
    Metric,
    RawBriefing,
    fallbacks,
    language_tag,
)
from .blocks import BlockChecks
from .keys import (
    MAX_HIGHLIGHTS,
    MAX_METRICS,
    MAX_NUMBER,
    MAX_TEXT,
    MAX_TYPES,
    METRIC_KEYS,
    MIN_NUMBER,
    TOP_KEYS,
    TYPE_KEYS,
    text_length,
)
from .script import wrong_script

_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]"
)
_OTHER_LABELS = re.compile(r"^\s*(other|others|other types|其他|其它)", re.IGNORECASE)


def validate(
    raw: RawBriefing,
    source: str = "<data>",
    language: str | None = None,
    *,
    folder: Path | None = None,
) -> Briefing:
    """Check ``raw`` and resolve it to one language (``language`` overrides the file's own).

    ``folder`` is where the data file is: its ``logo`` is found relative to it (without one,
    relative to the working folder).
    """
    return _Checker(source, folder).briefing(raw, language)


class _Checker(BlockChecks):
    def __init__(self, source: str, folder: Path | None = None) -> None:
        self.source = source
        self.folder = folder
        self.problems: list[Problem] = []
        self.lang: Language = "en"
        self.fallback = False  # the data file allows an edition to read its fallbacks' texts

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    # -- the briefing ------------------------------------------------------------------------

    def briefing(self, raw: RawBriefing, override: str | None) -> Briefing:
        self.unknown_keys(raw, TOP_KEYS, "")
        self.lang = self.language(raw, override)
        self.fallback = self.flag(raw, "fallback", "fallback")
        title = self.text(raw, "title", "title", required=True, limit=MAX_TEXT["title"])
        agency = self.text(raw, "agency", "agency", required=True, limit=MAX_TEXT["agency"])
        period = self.text(raw, "period", "period", required=True, limit=MAX_TEXT["period"])
        texts = {
            k: self.text(raw, k, k, limit=MAX_TEXT[k])
            for k in ("baseline", "source", "marking", "note", "contact", "advice")
        }
        metrics = self.metrics(raw.get("metrics"))
        types = self.fraud_types(raw.get("fraud_types"))
        money_used = any(m.money for m in metrics) or any(
            t.losses is not None or t.previous_losses is not None for t in types
        )
        currency = self.currency(raw.get("currency"), required=money_used)
        if not _entries(raw.get("metrics")) and not _entries(raw.get("fraud_types")):
            self.problem(
                "",
                "a briefing needs at least one metric ([[metrics]]) "
                "or fraud type ([[fraud_types]])",
            )
        breakdown = self.breakdown(raw.get("breakdown"), types)
        result = Briefing(
            title=title or "",
            agency=agency or "",
            period=period or "",
            language=self.lang,
            currency=currency,
            metrics=metrics,
            fraud_types=types,
            breakdown=breakdown,
            types_total=self.types_total(raw, types, breakdown),
            issued=self.date(raw.get("issued"), "issued"),
            comparison=self.comparison(raw.get("comparison", "last_year")),
            highlights=self.highlights(raw.get("highlights")),
            trend=self.trend(raw.get("trend")),
            ranking=self.ranking(raw.get("ranking")),
            logo=self.logo(raw.get("logo"), self.folder),
            issue_number=self.issue_number(raw.get("issue_number")),
            **texts,
        )
        self.coverage(result)
        self.script(result)
        if self.problems:
            raise InputError(self.source, self.problems)
        return result

    def language(self, raw: RawBriefing, override: str | None) -> Language:
        declared = raw.get("language", "en")
        tag = language_tag(declared) if isinstance(declared, str) else None
        if tag is None:
            self.problem("language", f"expected a language tag ({_TAGS}), got {_show(declared)}")
        if override is None:
            return tag or "en"
        chosen = language_tag(override)
        if chosen is None:
            self.problem("", f"language {override!r} is not supported; use one of {_TAGS}")
            return "en"
        return chosen

    def unknown_keys(self, table: Mapping[str, Any], known: tuple[str, ...], path: str) -> None:
        for key in table:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                self.problem(_join(path, key), f"unknown key{hint}")

    def translation(self, table: Mapping[str, Any], path: str) -> tuple[Any, str] | None:
        """The edition's entry of a table of translations, and its path; else a problem."""
        by_tag: dict[Language, str] = {}
        for key in table:
            tag = language_tag(key) if isinstance(key, str) else None
            if tag is None:
                self.problem(_join(path, str(key)), f"unknown language tag; use one of {_TAGS}")
            elif tag in by_tag:
                self.problem(_join(path, key), f"the same edition as {by_tag[tag]!r}")
            else:
                by_tag[tag] = key
        chain = (self.lang, *fallbacks(self.lang))
        allowed = chain if self.fallback else chain[:1]
        for tag in allowed:
            if tag in by_tag:
                return table[by_tag[tag]], _join(path, by_tag[tag])
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
        if isinstance(value, dict):
            found = self.translation(value, path)
            if found is None:
                return None
            value, path = found
        if not isinstance(value, str):
            self.problem(path, f"expected text, got {_show(value)}")
            return None
        bad = _CONTROL.search(value)
        if bad:
            self.problem(path, f"contains the control character {_char_name(bad.group())}")
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
            self.problem(path, f"expected {kind}, got {_show(value)}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.problem(path, f"expected a finite number, got {value}")
            return None
        if abs(value) > MAX_NUMBER:
            self.problem(path, f"{_show(value)} is too large (the limit is {MAX_NUMBER:.0e})")
            return None
        if value and abs(value) < MIN_NUMBER:
            self.problem(path, f"{_show(value)} is too small (the limit is {MIN_NUMBER:g})")
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
            self.problem(path, f"expected true or false, got {_show(value)}")
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
        self.problem(path, f"expected a date such as 2023-05-09, got {_show(value)}")
        return None

    def comparison(self, value: Any) -> Comparison:
        if value not in ("last_year", "previous_period"):
            self.problem(
                "comparison", f'expected "last_year" or "previous_period", got {_show(value)}'
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
            self.problem("currency", f'expected an ISO 4217 code such as "CNY", got {_show(value)}')
            return "CNY"
        return value

    # -- lists -------------------------------------------------------------------------------

    def table_list(self, value: Any, path: str, limit: int) -> list[tuple[str, Mapping[str, Any]]]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, f"expected a list of tables, got {_show(value)}")
            return []
        if len(value) > limit:
            self.problem(path, f"has {len(value)} entries; at most {limit} are accepted")
            return []
        out: list[tuple[str, Mapping[str, Any]]] = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                out.append((f"{path}[{i}]", item))
            else:
                self.problem(f"{path}[{i}]", f"expected a table, got {_show(item)}")
        return out

    def highlights(self, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem("highlights", f"expected a list of texts, got {_show(value)}")
            return ()
        if len(value) > MAX_HIGHLIGHTS:
            self.problem("highlights", f"has {len(value)} entries; at most {MAX_HIGHLIGHTS} fit")
            return ()
        items = (
            self.text({"h": v}, "h", f"highlights[{i}]", required=True, limit=MAX_TEXT["highlight"])
            for i, v in enumerate(value)
        )
        return tuple(h for h in items if h)

    def metrics(self, value: Any) -> tuple[Metric, ...]:
        out = []
        for path, t in self.table_list(value, "metrics", MAX_METRICS):
            self.unknown_keys(t, METRIC_KEYS, path)
            unit = self.text(t, "unit", f"{path}.unit", limit=MAX_TEXT["unit"])
            value_ = self.number(t, "value", f"{path}.value")
            previous = self.number(t, "previous", f"{path}.previous")
            better = t.get("better")
            if better is not None and better not in ("up", "down"):
                self.problem(f"{path}.better", f'expected "up" or "down", got {_show(better)}')
                better = None
            out.append(
                Metric(
                    label=self.text(
                        t, "label", f"{path}.label", required=True, limit=MAX_TEXT["label"]
                    )
                    or "",
                    value=value_,
                    previous=previous,
                    change=self.change(t, path, value_, previous, points=unit == "%"),
                    money=self.flag(t, "money", f"{path}.money"),
                    unit=unit,
                    better=cast(Better | None, better),
                    headline=self.flag(t, "headline", f"{path}.headline"),
                )
            )
        return tuple(out)

    def change(
        self,
        t: Mapping[str, Any],
        path: str,
        value: float | None,
        previous: float | None,
        *,
        points: bool,
    ) -> Change | None:
        published = self.number(t, "change_pct", f"{path}.change_pct", signed=True)
        kind = ChangeKind.POINTS if points else ChangeKind.PERCENT
        if published is not None and not points and published < -100:
            self.problem(
                f"{path}.change_pct", f"a fall of more than 100% is impossible, got {published:g}"
            )
            return None
        derived: Change | None = None
        if value is not None and previous is not None:
            if points:
                derived = Change(value - previous, kind, derived=True)
            elif previous == 0:
                derived = Change(None if value else 0.0, ChangeKind.NEW if value else kind, True)
            else:
                derived = Change((value - previous) / previous * 100, kind, derived=True)
        if published is None:
            if derived is None and value is None and "value" not in t:
                self.problem(path, "a metric needs a value or a change_pct")
            return derived
        if derived is not None:
            if derived.amount is None:
                self.problem(
                    f"{path}.change_pct",
                    "previous is 0, so no percentage change exists; leave change_pct out",
                )
            elif abs(derived.amount - published) > _tolerance(published):
                self.problem(
                    f"{path}.change_pct",
                    f"{published:g} contradicts value and previous "
                    f"(which give {derived.amount:.2f})",
                )
        return Change(published, kind, derived=False)

    def fraud_types(self, value: Any) -> tuple[FraudType, ...]:
        out, seen = [], set()
        for path, t in self.table_list(value, "fraud_types", MAX_TYPES):
            self.unknown_keys(t, TYPE_KEYS, path)
            label = self.text(t, "label", f"{path}.label", required=True, limit=MAX_TEXT["label"])
            if label and label in seen:
                self.problem(f"{path}.label", f"{label!r} is listed twice")
            seen.add(label)
            counts = {
                k: self.number(t, k, f"{path}.{k}", integer=k.endswith("cases"))
                for k in ("cases", "losses", "previous_cases", "previous_losses")
            }
            other = self.flag(t, "other", f"{path}.other") or bool(
                label and _OTHER_LABELS.match(label)
            )
            out.append(
                FraudType(
                    label=label or "",
                    other=other,
                    cases=None if counts["cases"] is None else int(counts["cases"]),
                    previous_cases=(
                        None if counts["previous_cases"] is None else int(counts["previous_cases"])
                    ),
                    losses=counts["losses"],
                    previous_losses=counts["previous_losses"],
                )
            )
        return tuple(out)

    def breakdown(self, value: Any, types: tuple[FraudType, ...]) -> Breakdown | None:
        if not types:
            return None
        if value is not None:
            if value not in ("cases", "losses", "both"):
                self.problem(
                    "breakdown", f'expected "cases", "losses" or "both", got {_show(value)}'
                )
                return None
            chosen = Breakdown(value)
            needed = ("cases", "losses") if chosen is Breakdown.BOTH else (chosen.value,)
            for i, t in enumerate(types):
                for key in needed:
                    if getattr(t, key) is None:
                        self.problem(
                            f"fraud_types[{i}].{key}",
                            f"missing, but breakdown = {chosen.value!r} needs it on every type",
                        )
            return chosen
        if all(t.cases is not None and t.losses is not None for t in types):
            return Breakdown.BOTH
        for kind in (Breakdown.CASES, Breakdown.LOSSES):
            if all(getattr(t, kind.value) is not None for t in types):
                return kind
        numbered = [i for i, t in enumerate(types) if t.cases is not None or t.losses is not None]
        if not numbered:
            return Breakdown.LIST
        for i in range(len(types)):
            if i not in numbered:
                self.problem(
                    f"fraud_types[{i}]",
                    "has no cases or losses while other types do; "
                    "give every type the same figure or none",
                )
        return None

    def types_total(
        self, raw: RawBriefing, types: tuple[FraudType, ...], breakdown: Breakdown | None
    ) -> float | None:
        total = self.number(raw, "types_total", "types_total")
        if total is None:
            return None
        if breakdown not in (Breakdown.CASES, Breakdown.LOSSES, Breakdown.BOTH):
            self.problem("types_total", "given, but the fraud types have no counts to share it")
            return None
        # with both measures drawn, the shares are of cases
        key = "cases" if breakdown is Breakdown.BOTH else breakdown.value
        parts = sum(getattr(t, key) or 0 for t in types)
        if parts > total * (1 + 1e-9):
            self.problem(
                "types_total",
                f"the fraud types add up to {parts:g}, more than types_total = {total:g}",
            )
        return total

    def script(self, briefing: Briefing) -> None:
        for wrong in wrong_script(briefing.language, briefing.texts()):
            self.problem(wrong.path, wrong.message(briefing.language))

    def coverage(self, briefing: Briefing) -> None:
        for path, char in fonts.missing_glyphs(briefing.language, briefing.texts()):
            self.problem(
                path,
                f"the character {char!r} (U+{ord(char):04X}) is not in the "
                "bundled fonts and cannot be printed",
            )


def _tolerance(published: float) -> float:
    """Half a unit in the last published decimal: 12.5 allows 12.45..12.55."""
    text = repr(float(published))
    decimals = len(text.split(".")[1].rstrip("0")) if "." in text else 0
    return float(0.5 * 10.0**-decimals + 1e-9)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


_TAGS = "en, en-GB, en-US, zh, zh-Hans, zh-Hant, zh-HK, zh-TW, zh-MO"
assert set(_TAGS.split(", ")) == {*LANGUAGES, *ALIASES}


def _entries(value: Any) -> bool:
    """Whether a metrics or fraud_types value has entries (wrong types are reported elsewhere)."""
    return bool(value) if isinstance(value, list | dict) else value is not None


# fmt: off
_C0_NAMES = (
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR",
    "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC",
    "FS", "GS", "RS", "US",
)
# fmt: on


def _char_name(char: str) -> str:
    """``U+0007 (BEL)``: the code point, and a name a user can search for."""
    code = ord(char)
    name = _C0_NAMES[code] if code < 32 else "DEL" if code == 127 else unicodedata.name(char, "")
    return f"U+{code:04X} ({name})" if name else f"U+{code:04X}"


def _show(value: Any) -> str:
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
