"""Add a tally's months up into a ``RawBriefing`` for one period, for one region or all.

The result has exactly the keys a hand-written data file has, so it goes through the normal
validate -> lay out -> write pipeline: a tally briefing cannot look different from a typed one.
Nothing here raises for bad data: each ``Computed`` carries its problems (the rows and cells
the period needs) and a ``Locator`` that maps the validator's paths back to cells.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import Problem
from ..model import RawBriefing
from ..source.keys import MAX_METRICS
from . import regions
from .cells import Month, Number
from .locate import Locator, Place
from .read import Grid, Region, Row
from .spec import Column, Period, TallySpec
from .toplevel import note, top, with_region


@dataclass(frozen=True, slots=True)
class Computed:
    """A computed briefing, what the tally's rows and cells said against it, and where its
    entries come from."""

    raw: RawBriefing
    problems: tuple[Problem, ...]
    locate: Locator


def compute(
    spec: TallySpec, metrics: Grid, types: Grid | None, period: Period, region: Region
) -> Computed:
    """The data-file mapping for ``period`` against its baseline, for one region or all."""
    return _Computation(spec, period, region).run(metrics, types)


def stand_in(spec: TallySpec, period: Period | None) -> Computed:
    """A briefing with the TOML's own keys and no figures, for a tally that cannot be read: its
    validation still reports the TOML's problems (a too-long title, a bad column label)."""
    raw = top(spec, period)
    raw["metrics"] = [{"label": c.header, **c.settings, "value": 0} for c in spec.columns or ()]
    places = tuple(
        Place(spec.source, None, f'columns."{c.header}"', frozenset(c.settings))
        for c in spec.columns or ()
    )
    return Computed(raw, (), Locator(spec.source, places, partial=True))


def every_cell(spec: TallySpec, metrics: Grid, types: Grid | None) -> list[Problem]:
    """Every bad figure cell of the columns the briefing uses, and every row's wrong total,
    in any month: what ``kreport validate`` without a period checks on top of a build."""
    wanted = [c.header for c in spec.columns] if spec.columns is not None else None
    out = list(metrics.cell_problems(_positions(metrics, wanted)))
    if types is not None:
        names = list(spec.type_columns) if spec.type_columns is not None else None
        used = _positions(types, names)
        out += types.cell_problems(used + ([types.total] if types.total is not None else []))
        out += total_problems(types, types.rows.values())
    return out


def total_problems(g: Grid, rows: Iterable[Row]) -> list[Problem]:
    """A row's ``total`` cell that differs from the sum of the row's fraud types."""
    if g.total is None:
        return []
    out = []
    for row in sorted(rows, key=lambda r: r.row):
        total = row.values[g.total]
        parts = [v for i, v in enumerate(row.values) if i != g.total]
        if total is None or any(v is None for v in parts):
            continue  # an empty or bad cell is reported on its own
        added = sum(v for v in parts if v is not None)
        if added != total:
            out.append(
                Problem(
                    g.where(row, g.total),
                    f"the total is {total:g}, but the fraud types on this row add up to {added:g}",
                    g.table.source,
                )
            )
    return out


class _Computation:
    def __init__(self, spec: TallySpec, period: Period, region: Region) -> None:
        self.spec = spec
        self.period = period
        self.baseline = period.baseline()
        self.region = region
        self.problems: list[Problem] = []
        self.missing_baseline: list[Any] = []  # labels shown without a comparison
        self.found: dict[tuple[int, tuple[Region, ...], tuple[Month, ...]], list[Row]] = {}

    def problem(self, g: Grid, path: str, message: str) -> None:
        self.problems.append(Problem(path, message, g.table.source))

    def run(self, metrics: Grid, types: Grid | None) -> Computed:
        raw = top(self.spec, self.period)
        if self.region is not None:
            raw["title"] = with_region(
                raw["title"], self.spec.regions.get(self.region, self.region)
            )
        sheets = {"metrics": (metrics.table.source, metrics.table.name)}
        m_regions = self.scope(metrics)
        raw["metrics"], metric_places = self.metric_entries(metrics, m_regions)
        if not self.problems:  # the blocks add nothing to a tally that cannot be added up
            for key, block in (
                ("trend", regions.trend(self, metrics, m_regions)),
                ("ranking", regions.ranking(self, metrics)),
            ):
                if block is not None:
                    raw[key] = block
        measure, ranked, trended = regions.places(self, metrics, raw, m_regions)
        type_places: tuple[Place, ...] = ()
        total_cells = None
        if types is not None and not types.broken:
            sheets["fraud_types"] = (types.table.source, types.table.name)
            raw["fraud_types"], type_places, total = self.type_entries(types, self.scope(types))
            if total is not None:
                raw["types_total"], total_cells = total
        said = note(self.spec.briefing.get("note"), self.missing_baseline, self.baseline)
        if said is not None:
            raw["note"] = said
        where = Locator(
            self.spec.source,
            metric_places,
            type_places,
            sheets,
            total_cells,
            measure,
            ranked,
            trended,
        )
        return Computed(raw, tuple(self.problems), where)

    def scope(self, g: Grid) -> list[Region]:
        """The regions counted, after checking each has a row for every month needed."""
        this, base = self.period.months(), self.baseline.months()
        regions = [self.region] if self.region is not None else g.regions()
        regions = [r for r in regions if any((r, m) in g.rows for m in this + base)]
        name = g.table.name
        covers = f" (its rows cover {g.span[0]}..{g.span[1]})" if g.span else ""
        unread = _unread(g)
        outside = False
        for which, needed in (("period", self.period), ("baseline", self.baseline)):
            if not any((r, m) in g.rows for r in regions for m in needed.months()):
                who = f" for {self.region}" if self.region else ""
                self.problem(g, name, f"no rows{who} for the {which} {needed}{covers}{unread}")
                outside = True
        if outside:
            return regions  # a period outside the data: listing every region's gaps adds nothing
        for r in regions:
            who = f" for {r}" if r is not None else ""
            gap = {
                "period": [m for m in this if (r, m) not in g.rows],
                "baseline": [m for m in base if (r, m) not in g.rows],
            }
            if r is not None and len(gap["period"]) == len(this):
                self.problem(
                    g,
                    name,
                    f"region {r!r} has rows for the baseline {self.baseline} "
                    f"but none for the period {self.period}{unread}",
                )
            elif r is not None and len(gap["baseline"]) == len(base):
                self.problem(
                    g,
                    name,
                    f"region {r!r} has rows for the period {self.period} "
                    f"but none for the baseline {self.baseline}; no comparison possible{unread}",
                )
            else:
                for which, missing in gap.items():
                    if missing:
                        self.problem(
                            g,
                            name,
                            f"no row{who} for {_ranges(missing)}, which the {which} needs{unread}",
                        )
        return regions

    def total(
        self, g: Grid, col: int, rows: list[Row], what: str, *, optional: bool
    ) -> Number | None:
        """Sum of column ``col`` over ``rows``; None when ``optional`` and every cell is empty."""
        values = [row.values[col] for row in rows]
        if optional and all(
            v is None and col not in row.bad for v, row in zip(values, rows, strict=True)
        ):
            return None
        for row, v in zip(rows, values, strict=True):
            if col in row.bad:
                self.problems.append(g.cell_problem(row, col))
            elif v is None:
                self.problem(g, g.where(row, col), f"empty, but the {what} needs it")
        present = [v for v in values if v is not None]
        if all(isinstance(v, int) for v in present):
            return sum(present)
        return round(math.fsum(present), 9)  # 0.1 + 0.2 must not print as 0.30000000000000004

    def rows(self, g: Grid, regions: list[Region], months: list[Month]) -> list[Row]:
        """The rows of ``regions`` for ``months``, looked up once for all the columns."""
        key = (id(g), tuple(regions), tuple(months))
        found = self.found.get(key)
        if found is None:
            found = [g.rows[(r, m)] for r in regions for m in months if (r, m) in g.rows]
            self.found[key] = found
        return found

    def metric_entries(
        self, g: Grid, regions: list[Region]
    ) -> tuple[list[dict[str, Any]], tuple[Place, ...]]:
        columns = self.spec.columns or tuple(Column(h, "sum", {}) for h in g.columns)
        if len(columns) > MAX_METRICS:
            where = ("columns", self.spec.source) if self.spec.columns else (g.table.name, None)
            self.problems.append(
                Problem(
                    where[0],
                    f"{len(columns)} indicator columns; at most {MAX_METRICS} fit on a page"
                    + ("" if self.spec.columns else " (list the ones to show under [columns])"),
                    where[1] or g.table.source,
                )
            )
            columns = columns[:MAX_METRICS]
        out, places = [], []
        for c in columns:
            col = _position(g, c.header)
            if col is None:
                self.missing_column(g, "columns", c.header)
                continue
            this, base = self.period.months(), self.baseline.months()
            if c.aggregate == "last":
                this, base = [self.period.last], [self.baseline.last]
            now, then = self.rows(g, regions, this), self.rows(g, regions, base)
            entry: dict[str, Any] = {"label": c.header, **c.settings}
            entry["value"] = self.total(g, col, now, "period", optional=False)
            previous = self.total(g, col, then, "baseline", optional=True)
            if previous is None:
                self.missing_baseline.append(entry["label"])
            else:
                entry["previous"] = previous
            out.append(entry)
            settings = f'columns."{c.header}"' if self.spec.columns is not None else None
            cells = {"value": _span(g, now, col), "previous": _span(g, then, col)}
            places.append(self.place(g, col, settings, c.settings, cells))
        return out, tuple(places)

    def type_entries(
        self, g: Grid, regions: list[Region]
    ) -> tuple[list[dict[str, Any]], tuple[Place, ...], tuple[Number, tuple[str, str]] | None]:
        now = self.rows(g, regions, self.period.months())
        then = self.rows(g, regions, self.baseline.months())
        settings = self.spec.type_columns
        for header in settings or ():
            if header not in g.columns:
                self.missing_column(g, "type_columns", header)
        self.problems.extend(total_problems(g, now + then))
        out, places = [], []
        for col, header in enumerate(g.columns):
            if col == g.total or (settings is not None and header not in settings):
                continue
            given = (settings or {}).get(header, {})
            entry: dict[str, Any] = {"label": header, **given}
            entry["cases"] = self.total(g, col, now, "period", optional=False)
            previous = self.total(g, col, then, "baseline", optional=True)
            if previous is not None:
                entry["previous_cases"] = previous
            out.append(entry)
            table = f'type_columns."{header}"' if settings is not None else None
            cells = {"cases": _span(g, now, col), "previous_cases": _span(g, then, col)}
            places.append(self.place(g, col, table, given, cells))
        total = None
        if g.total is not None:
            value = self.total(g, g.total, now, "period", optional=False)
            total = (value or 0, (g.table.source, _span(g, now, g.total)))
        return out, tuple(places), total

    def place(
        self,
        g: Grid,
        col: int,
        settings: str | None,
        given: Mapping[str, Any],
        cells: dict[str, str],
    ) -> Place:
        header = g.table.where(0, g.col_index[col])
        return Place(g.table.source, header, settings, frozenset(given), cells)

    def missing_column(self, g: Grid, key: str, header: str) -> None:
        names = ", ".join(f'"{h}"' for h in g.columns)
        self.problems.append(
            Problem(
                f'{key}."{header}"',
                f"not a column of {g.table.name} (its columns: {names})",
                self.spec.source,
            )
        )


def _span(g: Grid, rows: list[Row], col: int) -> str:
    return g.table.span((row.row for row in rows), g.col_index[col])


def _position(g: Grid, header: str) -> int | None:
    if header in g.columns:
        return g.columns.index(header)
    lowered = [h.casefold() for h in g.columns]
    return lowered.index(header.casefold()) if header.casefold() in lowered else None


def _positions(g: Grid, headers: list[str] | None) -> list[int]:
    if headers is None:
        return list(range(len(g.columns)))
    found = (_position(g, h) for h in headers)
    return [p for p in found if p is not None]


def _unread(g: Grid) -> str:
    """A hint for a missing row: rows whose month or region could not be read may be it."""
    if not g.unread:
        return ""
    cells = ", ".join(f"row {r + 1}" for r in g.unread[:3]) + (", ..." if len(g.unread) > 3 else "")
    return f"; the month or region of {cells} could not be read"


def _ranges(months: Iterable[Month]) -> str:
    """``2022-03, 2022-05..2022-07``: consecutive months folded into ranges."""
    runs: list[list[Month]] = []
    for m in sorted(months):
        if runs and runs[-1][-1].index + 1 == m.index:
            runs[-1].append(m)
        else:
            runs.append([m])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}..{r[-1]}" for r in runs)


__all__ = ["Computed", "compute", "every_cell", "stand_in", "total_problems"]
