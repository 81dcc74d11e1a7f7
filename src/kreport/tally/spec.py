"""Turn a briefing TOML's tally keys (or a bare .xlsx/.csv path) into a ``TallySpec``.

Also the period arithmetic: ``Period`` parses ``2023-01..2023-04``, finds its baseline a year
earlier and names itself in each language with Babel's month names.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Literal

from babel.dates import format_date, format_skeleton

from ..errors import Problem
from ..model import LANGUAGES, Language, RawBriefing, is_chinese, is_traditional
from ..source.keys import TOP_KEYS
from .cells import Month, parse_month
from .table import TallyFormat

METRICS_SHEET = "metrics"
TYPES_SHEET = "fraud_types"
TALLY_KEYS = (
    "tally",
    "months",
    "columns",
    "type_columns",
    "regions",
    "measure",
    "population",
    "rate_per",
    "region_noun",
    "sheets",
)
RANKING_SPEC_KEYS = ("measure", "population", "rate_per", "region_noun")
"""The tally keys behind the trend and the ranking (read by ``tally/regions.py``)."""
COMPUTED_KEYS = (
    "period",
    "baseline",
    "comparison",
    "metrics",
    "fraud_types",
    "types_total",
    "trend",
    "ranking",
)
PASSED_KEYS = tuple(k for k in TOP_KEYS if k not in COMPUTED_KEYS)
"""Briefing keys a tally TOML gives as in any data file; the others are computed."""
COLUMN_KEYS = ("label", "money", "better", "aggregate", "unit", "headline")
TYPE_COLUMN_KEYS = ("label", "other")


@dataclass(frozen=True, slots=True)
class Period:
    """Whole months ``first``..``last``; the baseline is the same months a year earlier."""

    first: Month
    last: Month

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2023-04`` or ``2023-01..2023-04``; raises ValueError with a message for the user."""
        start, sep, end = text.strip().partition("..")
        first, last = parse_month(start), parse_month(end if sep else start)
        if first is None or last is None or (sep and not end.strip()):
            raise ValueError(f"{text!r} is not a period such as 2023-04 or 2023-01..2023-04")
        if last < first:
            raise ValueError(f"{text!r} ends before it starts")
        if last.index - first.index >= 12:
            raise ValueError(f"{text!r} is longer than 12 months, so it overlaps its baseline")
        return cls(first, last)

    def months(self) -> list[Month]:
        return [Month(i) for i in range(self.first.index, self.last.index + 1)]

    def baseline(self) -> Period:
        return Period(self.first.shift(-12), self.last.shift(-12))

    def label(self, language: Language) -> str:
        """``January–April 2023`` / ``2023年1月至4月``: Babel's month names, our connectors."""
        a, b = self.first.first_day(), self.last.first_day()
        if is_chinese(language):
            loc = "zh_Hant" if is_traditional(language) else "zh"
            if a == b:
                return str(format_skeleton("yMMMM", a, locale=loc))
            end = format_skeleton("M" if a.year == b.year else "yMMMM", b, locale=loc)
            return f"{format_skeleton('yMMMM', a, locale=loc)}至{end}"
        end = str(format_skeleton("yMMMM", b, locale="en"))
        if a == b:
            return end
        start = format_date(a, "MMMM" if a.year == b.year else "MMMM y", locale="en")
        return f"{start}–{end}"

    def labels(self) -> dict[str, str]:
        return {lang: self.label(lang) for lang in LANGUAGES}

    def __str__(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}..{self.last}"


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    aggregate: Literal["sum", "last"]
    settings: Mapping[str, Any]  # label, money, better, unit, headline: as in [[metrics]]


@dataclass(frozen=True, slots=True)
class TallySpec:
    """What a briefing TOML says about its tally (or the defaults for a bare tally file)."""

    source: str
    metrics_path: Path | None  # None when the ``tally`` key names no usable file
    types_path: Path | None  # a second CSV; None for a workbook (its sheet) or no types
    briefing: Mapping[str, Any]
    columns: tuple[Column, ...] | None  # None: every column, header as label, summed
    type_columns: Mapping[str, Mapping[str, Any]] | None
    regions: Mapping[str, Any]  # region name in the tally -> its label on the page
    months: str | None
    blocks: Mapping[str, Any] = field(default_factory=dict)  # RANKING_SPEC_KEYS, as checked
    problems: tuple[Problem, ...] = ()
    """What is wrong with the TOML's tally keys: reported with the tally's own problems, so
    that one run lists them all."""
    sheets: Mapping[str, str] = field(default_factory=dict)
    """``metrics``/``fraud_types`` -> the workbook sheet the TOML names for it (may be hidden)."""

    def other_period(self, period: Period) -> bool:
        """Whether ``period`` replaces the TOML's own ``months``, for which its ``issued`` date
        was written (without ``months``, the date is for whichever period is built)."""
        try:
            return self.months is not None and Period.parse(self.months) != period
        except ValueError:
            return False


def is_tally(path: Path) -> bool:
    """True for .xlsx/.csv files and for data files with a ``tally`` key."""
    if TallyFormat.from_path(path) is not None:
        return True
    if path.suffix.lower() != ".toml" or not path.is_file():
        return False
    from ..source.load import load

    return "tally" in load(path)


def load_spec(path: Path) -> TallySpec:
    """The spec of a tally or its TOML; raises ``InputError`` only if the TOML cannot be parsed
    (its other problems are on ``TallySpec.problems``)."""
    fmt = TallyFormat.from_path(path)
    if fmt is not None:
        return TallySpec(str(path), path, None, {}, None, None, {}, None)
    from ..source.load import load

    raw = load(path)
    return _Spec(str(path), path.parent).read(raw)


class _Spec:
    """Reads the tally keys of a briefing TOML, collecting every problem (never raising)."""

    def __init__(self, source: str, folder: Path) -> None:
        self.source = source
        self.folder = folder
        self.problems: list[Problem] = []

    def read(self, raw: RawBriefing) -> TallySpec:
        for key in raw:
            if key not in TALLY_KEYS + PASSED_KEYS:
                close = difflib.get_close_matches(key, TALLY_KEYS + PASSED_KEYS, n=1)
                computed = key in COMPUTED_KEYS and key != "comparison"
                hint = (
                    "; it is computed from the tally"
                    if computed
                    else f"; did you mean {close[0]!r}?"
                    if close
                    else ""
                )
                self.problems.append(Problem(key, f"not a tally briefing key{hint}"))
        before = len(self.problems)
        metrics_path: Path | None
        metrics_path, types_path = self.paths(raw.get("tally"))
        if len(self.problems) > before:
            metrics_path, types_path = None, None  # nothing to read; the TOML is still checked
        months = raw.get("months")
        if months is not None and not isinstance(months, str):
            self.problems.append(Problem("months", 'expected text such as "2023-01..2023-04"'))
            months = None
        columns = self.columns(raw.get("columns"))
        type_columns = self.tables(raw.get("type_columns"), "type_columns", TYPE_COLUMN_KEYS)
        regions = raw.get("regions", {})
        if not isinstance(regions, dict):
            self.problems.append(Problem("regions", "expected a table of region labels"))
            regions = {}
        blocks = self.blocks(raw)
        sheets = self.sheets(raw.get("sheets"))
        briefing = {k: v for k, v in raw.items() if k in PASSED_KEYS}
        if briefing.get("breakdown") == "losses":
            # else the validator would complain about each type's missing losses
            self.problems.append(
                Problem("breakdown", 'a tally counts fraud types in cases; use "cases"')
            )
            del briefing["breakdown"]
        return TallySpec(
            self.source,
            metrics_path,
            types_path,
            briefing,
            columns,
            type_columns,
            regions,
            months,
            blocks,
            tuple(Problem(p.path, p.message, self.source) for p in self.problems),
            sheets,
        )

    def blocks(self, raw: RawBriefing) -> dict[str, Any]:
        """The trend's and ranking's keys, checked for shape (region names in compute)."""
        out = {k: raw[k] for k in RANKING_SPEC_KEYS if k in raw}
        if "measure" in out and not isinstance(out["measure"], str):
            self.problems.append(Problem("measure", "expected the header of a metrics column"))
        if "rate_per" in out and (
            isinstance(out["rate_per"], bool) or out["rate_per"] not in (10_000, 100_000)
        ):
            self.problems.append(Problem("rate_per", "expected 10000 or 100000"))
        noun = out.get("region_noun")
        if noun is not None and not (
            isinstance(noun, str)
            or (isinstance(noun, dict) and all(isinstance(v, str) for v in noun.values()))
        ):
            self.problems.append(
                Problem("region_noun", 'expected text or { en = "districts", zh = "区县" }')
            )
        population = out.get("population")
        if population is not None and not isinstance(population, dict):
            self.problems.append(
                Problem(
                    "population", "expected a table: region = people, or region = { year = people }"
                )
            )
        for region, value in (population or {}).items() if isinstance(population, dict) else ():
            years = value if isinstance(value, dict) else {"": value}
            for year, people in years.items():
                where = f'population."{region}"' + (f'."{year}"' if year else "")
                if year and not (year.isdigit() and len(year) == 4):
                    self.problems.append(Problem(where, "expected a year such as 2023"))
                elif isinstance(people, bool) or not isinstance(people, int | float) or people <= 0:
                    self.problems.append(Problem(where, "expected a number of people, above 0"))
        return out

    def paths(self, value: Any) -> tuple[Path, Path | None]:
        if isinstance(value, str):
            path = self.inside(value, "tally")
            if TallyFormat.from_path(path) is None:
                self.problems.append(Problem("tally", "expected an .xlsx or .csv file"))
            return path, None
        if isinstance(value, dict) and set(value) <= {"metrics", "fraud_types"}:
            paths = [value.get("metrics"), value.get("fraud_types")]
            csvs = all(
                p is None or (isinstance(p, str) and p.lower().endswith(".csv")) for p in paths
            )
            if csvs and isinstance(paths[0], str):
                second = paths[1]
                return self.inside(paths[0], "tally.metrics"), (
                    self.inside(second, "tally.fraud_types") if isinstance(second, str) else None
                )
        self.problems.append(
            Problem(
                "tally",
                'expected "file.xlsx", "file.csv" or { metrics = "a.csv", fraud_types = "b.csv" }',
            )
        )
        return self.folder, None

    def inside(self, value: str, key: str) -> Path:
        """``value`` under the TOML's folder; a problem (and nothing read) if it leads out.

        A tally TOML names a spreadsheet beside it or below: not an absolute path, no ``..``
        and no symlink out, so that a TOML from elsewhere cannot make kreport read (and quote
        the cells of) any spreadsheet on the machine.
        """
        path = self.folder / value
        posix, windows = PurePosixPath(value.replace("\\", "/")), PureWindowsPath(value)
        if posix.is_absolute() or windows.is_absolute() or windows.drive:
            why = "is an absolute path"
        elif ".." in posix.parts:
            why = "goes up with .."
        else:
            try:
                out = not path.resolve().is_relative_to(self.folder.resolve())
            except (OSError, RuntimeError):  # a symlink loop or an unreadable folder
                out = True
            if not out:
                return path
            why = "leads out of it through a symbolic link"
        self.problems.append(
            Problem(
                key,
                f"must name a file in the briefing TOML's folder or below; {value!r} {why}",
            )
        )
        return path

    def sheets(self, value: Any) -> dict[str, str]:
        """The ``sheets`` key: which workbook sheet holds the metrics (and the fraud types)."""
        if value is None:
            return {}
        names = (METRICS_SHEET, TYPES_SHEET)
        if (
            isinstance(value, dict)
            and value
            and set(value) <= set(names)
            and all(isinstance(v, str) and v.strip() for v in value.values())
        ):
            return dict(value)
        self.problems.append(
            Problem(
                "sheets",
                f'expected {{ {METRICS_SHEET} = "sheet name", {TYPES_SHEET} = "sheet name" }} '
                "(either may be left out)",
            )
        )
        return {}

    def tables(
        self, value: Any, path: str, keys: tuple[str, ...]
    ) -> dict[str, Mapping[str, Any]] | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problems.append(Problem(path, "expected a table with one entry per column"))
            return None
        out: dict[str, Mapping[str, Any]] = {}
        for header, settings in value.items():
            where = f'{path}."{header}"'
            if not isinstance(settings, dict):
                self.problems.append(Problem(where, "expected a table such as { label = ... }"))
                continue
            for key in settings:
                if key not in keys:
                    self.problems.append(
                        Problem(f"{where}.{key}", f"unknown key; use {', '.join(keys)}")
                    )
            out[header] = settings
        return out

    def columns(self, value: Any) -> tuple[Column, ...] | None:
        tables = self.tables(value, "columns", COLUMN_KEYS)
        if tables is None:
            return None
        out = []
        for header, settings in tables.items():
            aggregate = settings.get("aggregate", "sum")
            if aggregate not in ("sum", "last"):
                self.problems.append(
                    Problem(f'columns."{header}".aggregate', 'expected "sum" or "last"')
                )
                aggregate = "sum"
            if settings.get("unit") == "%":
                self.problems.append(
                    Problem(
                        f'columns."{header}".unit',
                        "percentages cannot be added up over "
                        "months or regions; tally the counts they are made from instead",
                    )
                )
            rest = {k: v for k, v in settings.items() if k != "aggregate"}
            out.append(Column(header, aggregate, rest))
        return tuple(out)
