"""The types that pass between kreport's stages.

``RawBriefing`` (load) -> ``Briefing`` (validate) -> ``PageLayout`` (layout) -> PDF bytes (write).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

RawBriefing: TypeAlias = Mapping[str, Any]
"""A data file as parsed, before validation: TOML, YAML and JSON all load into this."""

Language: TypeAlias = Literal["en", "en-US", "zh", "zh-Hant", "zh-HK", "zh-TW", "zh-MO"]
"""An edition, named by its BCP 47 tag: ``zh`` is Simplified Chinese (mainland), ``en`` British
English. ``zh-Hans`` and ``en-GB`` are accepted as other names of ``zh`` and ``en``."""
LANGUAGES: tuple[Language, ...] = ("en", "en-US", "zh")  # Traditional editions: next commit
ALIASES: Mapping[str, Language] = {"en-GB": "en", "zh-Hans": "zh"}

_BCP47: Mapping[Language, str] = {
    "en": "en-GB",
    "en-US": "en-US",
    "zh": "zh-CN",
    "zh-Hant": "zh-Hant",
    "zh-HK": "zh-HK",
    "zh-TW": "zh-TW",
    "zh-MO": "zh-MO",
}
_FALLBACKS: Mapping[Language, tuple[Language, ...]] = {
    "en-US": ("en",),
    "zh-HK": ("zh-Hant",),
    "zh-TW": ("zh-Hant",),
    "zh-MO": ("zh-HK", "zh-Hant"),  # as in CLDR, where zh_Hant_MO's parent is zh_Hant_HK
}
_BY_FOLDED: Mapping[str, Language] = {
    **{tag.casefold(): tag for tag in LANGUAGES},
    **{alias.casefold(): tag for alias, tag in ALIASES.items()},
}


def language_tag(text: str) -> Language | None:
    """The edition a tag names (case and ``_`` for ``-`` do not matter), or None."""
    return _BY_FOLDED.get(text.replace("_", "-").casefold())


def bcp47(language: Language) -> str:
    """The BCP 47 tag that names an edition's language to software, e.g. a PDF's /Lang."""
    return _BCP47[language]


def is_chinese(language: Language) -> bool:
    return language.startswith("zh")


def is_traditional(language: Language) -> bool:
    return language.startswith("zh") and language != "zh"


def fallbacks(language: Language) -> tuple[Language, ...]:
    """Where an edition looks, in order, for a text its own tag lacks (only where allowed).

    Never across a script or a language: a Traditional edition never takes Simplified text.
    """
    return _FALLBACKS.get(language, ())


Better: TypeAlias = Literal["up", "down"]
Comparison: TypeAlias = Literal["last_year", "previous_period"]


class Breakdown(enum.Enum):
    """What the fraud-type panel shows."""

    CASES = "cases"
    LOSSES = "losses"
    LIST = "list"  # no type has a number: the published order, as a list


class ChangeKind(enum.Enum):
    PERCENT = "percent"  # relative change, in %
    POINTS = "points"  # the metric is itself a percentage: change in percentage points
    NEW = "new"  # previous was 0 and value is not: no finite relative change


@dataclass(frozen=True, slots=True)
class Change:
    """A year-on-year change: ``amount`` is None only for ``ChangeKind.NEW``."""

    amount: float | None
    kind: ChangeKind
    derived: bool  # computed from value and previous rather than published

    @property
    def direction(self) -> Literal["up", "down", "flat"]:
        if self.kind is ChangeKind.NEW:
            return "up"
        assert self.amount is not None
        if self.amount > 0:
            return "up"
        return "down" if self.amount < 0 else "flat"


@dataclass(frozen=True, slots=True)
class Metric:
    label: str
    value: float | None = None
    previous: float | None = None
    change: Change | None = None
    money: bool = False
    unit: str | None = None
    better: Better | None = None
    headline: bool = False

    @property
    def is_percentage(self) -> bool:
        return self.unit == "%"

    @property
    def good_news(self) -> bool | None:
        """True when the change goes the ``better`` way, None when unknown or flat."""
        if self.change is None or self.better is None or self.change.direction == "flat":
            return None
        return self.change.direction == self.better


@dataclass(frozen=True, slots=True)
class FraudType:
    label: str
    cases: int | None = None
    losses: float | None = None
    previous_cases: int | None = None
    previous_losses: float | None = None
    other: bool = False  # the catch-all "Other" row: always drawn last


@dataclass(frozen=True, slots=True)
class Briefing:
    """A validated briefing in one language: every text resolved, every number checked."""

    title: str
    agency: str
    period: str
    language: Language
    currency: str
    metrics: tuple[Metric, ...] = ()
    fraud_types: tuple[FraudType, ...] = ()
    breakdown: Breakdown | None = None
    types_total: float | None = None  # what the types are shares of, when published
    baseline: str | None = None
    comparison: Comparison = "last_year"
    issued: dt.date | None = None
    source: str | None = None
    marking: str | None = None
    note: str | None = None
    highlights: tuple[str, ...] = ()

    def texts(self) -> dict[str, str]:
        """Every text from the data, by field path: for font-coverage checks and tests."""
        out: dict[str, str] = {}
        for key in ("title", "agency", "period", "baseline", "source", "marking", "note"):
            value = getattr(self, key)
            if value:
                out[key] = value
        for i, h in enumerate(self.highlights):
            out[f"highlights[{i}]"] = h
        for i, m in enumerate(self.metrics):
            out[f"metrics[{i}].label"] = m.label
            if m.unit:
                out[f"metrics[{i}].unit"] = m.unit
        for i, t in enumerate(self.fraud_types):
            out[f"fraud_types[{i}].label"] = t.label
        return out
