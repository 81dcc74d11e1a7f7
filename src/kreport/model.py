"""The types that pass between kreport's stages.

``RawBriefing`` (load) -> ``Briefing`` (validate) -> ``PageLayout`` (layout) -> PDF bytes (write).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

RawBriefing: TypeAlias = Mapping[str, Any]
"""A data file as parsed, before validation: TOML, YAML and JSON all load into this."""

Language: TypeAlias = Literal["en", "en-US", "zh", "zh-Hant", "zh-HK", "zh-TW", "zh-MO"]
"""An edition, named by its BCP 47 tag: ``zh`` is Simplified Chinese (mainland), ``en`` British
English. ``zh-Hans`` and ``en-GB`` are accepted as other names of ``zh`` and ``en``."""
LANGUAGES: tuple[Language, ...] = ("en", "en-US", "zh", "zh-Hant", "zh-HK", "zh-TW", "zh-MO")
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
    BOTH = "both"  # cases and losses side by side, each with its change
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


@dataclass(frozen=True, slots=True, order=True)
class YearMonth:
    """A calendar month, as a trend's points and a tally's rows name it."""

    year: int
    month: int

    def shift(self, months: int) -> YearMonth:
        index = self.year * 12 + self.month - 1 + months
        return YearMonth(index // 12, index % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One month of the period and the same month a year earlier (None: no figure then)."""

    month: YearMonth
    value: float
    previous: float | None = None


@dataclass(frozen=True, slots=True)
class Trend:
    """The main measure month by month: the period's consecutive months against a year earlier."""

    label: str
    points: tuple[TrendPoint, ...]
    money: bool = False


RatePer: TypeAlias = Literal[10_000, 100_000]
RATE_BASES: tuple[RatePer, ...] = (10_000, 100_000)


def rate(value: float, population: float | None, per: int | None) -> float | None:
    """``value`` per ``per`` people; None without a population (or a base) to divide by."""
    if per is None or not population:
        return None
    return value / population * per


@dataclass(frozen=True, slots=True)
class RegionFigure:
    """One region's figure of the ranked measure, and the people it is counted among."""

    name: str
    value: float
    previous: float | None = None
    population: float | None = None
    previous_population: float | None = None  # when it changed since the comparison period
    focus: bool = False  # the region this briefing is about (a per-region page)

    def change(self) -> Change | None:
        """The change computed from the two figures (always marked as computed)."""
        return computed_change(self.value, self.previous)


def computed_change(value: float, previous: float | None) -> Change | None:
    if previous is None:
        return None
    if previous == 0:
        return Change(None if value else 0.0, ChangeKind.NEW if value else ChangeKind.PERCENT, True)
    return Change((value - previous) / previous * 100, ChangeKind.PERCENT, derived=True)


@dataclass(frozen=True, slots=True)
class Ranked:
    """A region in ranking order: its place (ties share one) and its rate when one is known."""

    region: RegionFigure
    rank: int
    rate: float | None
    previous_rate: float | None


@dataclass(frozen=True, slots=True)
class Ranking:
    """Regions ranked on one measure, highest first: by rate per ``per`` people when every
    region has a population, else by the figure. Regions with 0 are listed, not ranked."""

    label: str  # the measure, e.g. "Fraud reports"
    noun: str  # what a region is called, plural: "districts", 区县
    regions: tuple[RegionFigure, ...]
    per: RatePer | None = None  # the rate base, when every region has a population
    money: bool = False

    @property
    def by_rate(self) -> bool:
        return self.per is not None

    def ranked(self) -> list[Ranked]:
        """Regions with a non-zero figure, highest first; equal keys share a rank (1, 2, 2, 4)."""
        rows = [
            Ranked(
                r,
                0,
                rate(r.value, r.population, self.per),
                None
                if r.previous is None
                else rate(r.previous, r.previous_population or r.population, self.per),
            )
            for r in self.regions
            if r.value
        ]

        def key(x: Ranked) -> float:
            # rounded so that rates equal on paper (3/10,000 and 6/20,000) tie exactly
            return round(x.rate or 0.0, 9) if self.by_rate else x.region.value

        # the stable sort keeps the order given for equal keys
        rows.sort(key=lambda x: -key(x))
        out: list[Ranked] = []
        for i, row in enumerate(rows):
            tied = out and key(out[-1]) == key(row)
            out.append(
                Ranked(row.region, out[-1].rank if tied else i + 1, row.rate, row.previous_rate)
            )
        return out

    def zero(self) -> list[RegionFigure]:
        """Regions with no cases (a figure of 0), in the order given."""
        return [r for r in self.regions if not r.value]

    @property
    def focus(self) -> RegionFigure | None:
        return next((r for r in self.regions if r.focus), None)

    def total(self) -> RegionFigure:
        """All regions added up: the area's figure and, with populations, its rate."""
        prev = [r.previous for r in self.regions]
        pops = [r.population for r in self.regions]
        prev_pops = [r.previous_population or r.population for r in self.regions]
        return RegionFigure(
            name="",
            value=sum(r.value for r in self.regions),
            previous=None if any(p is None for p in prev) else sum(p or 0 for p in prev),
            population=None if any(p is None for p in pops) else sum(p or 0 for p in pops),
            previous_population=None
            if any(p is None for p in prev_pops)
            else sum(p or 0 for p in prev_pops),
        )


@dataclass(frozen=True, slots=True)
class Logo:
    """The agency's logo, decoded and checked (PNG or JPEG): raw pixels, ready to embed once.

    ``pixels`` holds ``size[0] * size[1]`` pixels in ``mode``, rows top to bottom.
    """

    mode: Literal["RGB", "RGBA"]
    size: tuple[int, int]
    pixels: bytes = field(repr=False)


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
    trend: Trend | None = None
    ranking: Ranking | None = None
    logo: Logo | None = None
    issue_number: int | None = None
    contact: str | None = None
    advice: str | None = None

    def texts(self) -> dict[str, str]:
        """Every text from the data, by field path: for font-coverage checks and tests."""
        out: dict[str, str] = {}
        for key in (
            "title",
            "agency",
            "period",
            "baseline",
            "source",
            "marking",
            "note",
            "contact",
            "advice",
        ):
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
        if self.trend is not None:
            out["trend.label"] = self.trend.label
        if self.ranking is not None:
            out["ranking.label"] = self.ranking.label
            out["ranking.noun"] = self.ranking.noun
            for i, r in enumerate(self.ranking.regions):
                out[f"ranking.regions[{i}].name"] = r.name
        return out
