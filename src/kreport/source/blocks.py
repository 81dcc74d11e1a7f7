"""Check the optional blocks of a ``RawBriefing``: the monthly trend, the regional ranking and
the agency's identity (logo, issue number), turning them into model types.

Part of the validator, on its scalar checks (``scalars.Checks``): it reports through the same
``problem`` list, with the same field paths (``trend.months[2].value``), so every problem in a
file is still reported at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from ..model import (
    RATE_BASES,
    Logo,
    Ranking,
    RatePer,
    RegionFigure,
    Trend,
    TrendPoint,
    YearMonth,
)
from .keys import (
    MAX_ISSUE_NUMBER,
    MAX_REGIONS,
    MAX_TEXT,
    MAX_TREND_MONTHS,
    MIN_TREND_MONTHS,
    RANKING_KEYS,
    REGION_KEYS,
    TREND_KEYS,
    TREND_MONTH_KEYS,
)
from .scalars import Checks

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class BlockChecks(Checks):
    """The optional blocks' checks, on the validator's scalar checks."""

    def table(self, value: Any, path: str, keys: tuple[str, ...]) -> Mapping[str, Any] | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problem(path, f"expected a table of {', '.join(keys)}, got {_kind(value)}")
            return None
        self.unknown_keys(value, keys, path)
        return value

    def trend(self, value: Any) -> Trend | None:
        t = self.table(value, "trend", TREND_KEYS)
        if t is None:
            return None
        label = self.text(t, "label", "trend.label", required=True, limit=MAX_TEXT["label"])
        entries = self.table_list(t.get("months"), "trend.months", MAX_TREND_MONTHS)
        if len(entries) < MIN_TREND_MONTHS and "months" in t:
            self.problem(
                "trend.months",
                f"has {len(entries)} entries; a trend needs at least {MIN_TREND_MONTHS} months",
            )
        elif "months" not in t:
            self.problem("trend.months", "required: one table per month of the period")
        points: list[TrendPoint] = []
        before: YearMonth | None = None  # the entry above's month; None if it has none
        for path, m in entries:
            self.unknown_keys(m, TREND_MONTH_KEYS, path)
            month = self.month(m.get("month"), f"{path}.month")
            figure = self.number(m, "value", f"{path}.value")
            if figure is None and "value" not in m:
                self.problem(f"{path}.value", "required: the month's figure")
            previous = self.number(m, "previous", f"{path}.previous")
            # checked against the entry above even when its figure failed: a month left out of
            # ``points`` is no gap in the months
            if month is not None and before is not None and month != before.shift(1):
                self.problem(
                    f"{path}.month",
                    f"expected {before.shift(1)}, the month after "
                    f"{before}: the months must follow one another",
                )
            before = month
            if month is None or figure is None:
                continue
            points.append(TrendPoint(month, figure, previous))
        if label is None or len(points) != len(entries) or len(points) < MIN_TREND_MONTHS:
            return None
        return Trend(label, tuple(points), self.flag(t, "money", "trend.money"))

    def month(self, value: Any, path: str) -> YearMonth | None:
        if isinstance(value, dt.date):
            return YearMonth(value.year, value.month)
        if isinstance(value, str):
            found = _MONTH.match(value.strip())
            if found and 1 <= int(found.group(2)) <= 12:
                return YearMonth(int(found.group(1)), int(found.group(2)))
        if value is None:
            self.problem(path, 'required: the month, such as "2023-04"')
        else:
            self.problem(path, f'expected a month such as "2023-04", got {_kind(value)}')
        return None

    def ranking(self, value: Any) -> Ranking | None:
        t = self.table(value, "ranking", RANKING_KEYS)
        if t is None:
            return None
        label = self.text(t, "label", "ranking.label", required=True, limit=MAX_TEXT["label"])
        noun = self.text(t, "noun", "ranking.noun", limit=MAX_TEXT["noun"])
        per = t.get("rate_per")
        if per is not None and (isinstance(per, bool) or per not in RATE_BASES):
            self.problem("ranking.rate_per", f"expected 10000 or 100000, got {_kind(per)}")
            per = None
        entries = self.table_list(t.get("regions"), "ranking.regions", MAX_REGIONS)
        if "regions" not in t:
            self.problem("ranking.regions", "required: one table per region")
        elif len(entries) < 2 and isinstance(t.get("regions"), list):
            self.problem("ranking.regions", "a ranking needs at least 2 regions")
        regions: list[RegionFigure] = []
        seen: set[str] = set()
        for path, r in entries:
            self.unknown_keys(r, REGION_KEYS, path)
            name = self.text(r, "name", f"{path}.name", required=True, limit=MAX_TEXT["region"])
            if name is not None and name in seen:
                self.problem(f"{path}.name", f"{name!r} is listed twice")
            figure = self.number(r, "value", f"{path}.value")
            if figure is None and "value" not in r:
                self.problem(f"{path}.value", "required: the region's figure")
            population = self.population(r, "population", path)
            previous_population = self.population(r, "previous_population", path)
            if previous_population is not None and population is None:
                self.problem(
                    f"{path}.previous_population", "given without population for this period"
                )
            if name is None or figure is None:
                continue
            seen.add(name)
            regions.append(
                RegionFigure(
                    name,
                    figure,
                    self.number(r, "previous", f"{path}.previous"),
                    population,
                    previous_population,
                    self.flag(r, "focus", f"{path}.focus"),
                )
            )
        with_population = [r for r in regions if r.population is not None]
        if with_population and len(with_population) < len(regions):
            missing = ", ".join(repr(r.name) for r in regions if r.population is None)
            self.problem(
                "ranking.regions",
                f"rates need every region's population; missing for {missing}",
            )
        if per is not None and not with_population:
            self.problem("ranking.rate_per", "given, but no region has a population")
        if sum(r.focus for r in regions) > 1:
            self.problem("ranking.regions", "focus = true on more than one region")
        if label is None or len(regions) != len(entries) or len(regions) < 2:
            return None
        rate_per: RatePer | None = None
        if with_population and len(with_population) == len(regions):
            rate_per = cast(RatePer, per) if per is not None else 10_000
        return Ranking(
            label,
            noun or "",
            tuple(regions),
            rate_per,
            self.flag(t, "money", "ranking.money"),
        )

    def population(self, r: Mapping[str, Any], key: str, path: str) -> float | None:
        value = self.number(r, key, f"{path}.{key}")
        if value == 0:
            self.problem(f"{path}.{key}", "must be more than 0: a rate divides by it")
            return None
        return value

    def issue_number(self, value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem("issue_number", f"expected a whole number such as 12, got {_kind(value)}")
            return None
        if not 1 <= value <= MAX_ISSUE_NUMBER:
            self.problem("issue_number", f"expected 1 to {MAX_ISSUE_NUMBER:,}, got {value}")
            return None
        return value

    def logo(self, value: Any, folder: Path | None) -> Logo | None:
        from .logo import LogoProblem, load_logo

        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem("logo", f'expected a file name such as "logo.png", got {_kind(value)}')
            return None
        try:
            return load_logo(value.strip(), folder)
        except LogoProblem as exc:
            self.problem("logo", str(exc))
            return None


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"' if len(value) <= 40 else f'"{value[:37]}..."'
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)
