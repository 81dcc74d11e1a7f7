"""Turn a tally's months and regions into a briefing's ``trend`` and ``ranking`` entries.

The trend is the main measure (the TOML's ``measure``, else the first column shown) month by
month over the period, against the same months a year earlier; a period of one month has none.
The ranking is every region's figure of that measure, with its population (the TOML's
``[population]``) when given, so that the page can rank by rate. A region's own briefing
(``--by region``) gets the same ranking with its region marked ``focus``.
Both come out as data-file keys, so they are checked and drawn exactly like typed ones;
``places`` says which cells and TOML keys they came from, so that a problem the validator
finds in them names those.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import Problem
from ..model import RawBriefing
from .cells import Month, Number
from .locate import Place
from .read import MONTH_HEADER, Grid, Region
from .spec import Column

if TYPE_CHECKING:
    from .compute import _Computation

DEFAULT_NOUN = {"en": "regions", "zh": "地区"}


def measure(c: _Computation, g: Grid) -> tuple[Column, int] | None:
    """The main measure's column and its index in ``g``; None (with a problem) if not found."""
    columns = c.spec.columns or tuple(Column(h, "sum", {}) for h in g.columns)
    wanted = c.spec.blocks.get("measure")
    if wanted is None:
        chosen = columns[0] if columns else None
    else:
        chosen = next((col for col in columns if col.header == wanted), None)
        if chosen is None and wanted in g.columns:
            chosen = Column(wanted, "sum", {})
        if chosen is None:
            c.problems.append(
                Problem(
                    "measure",
                    f'no metrics column "{wanted}" to show month by month',
                    c.spec.source,
                )
            )
            return None
    if chosen is None or chosen.header not in g.columns:
        return None  # reported with the metrics columns
    return chosen, g.columns.index(chosen.header)


def trend(c: _Computation, g: Grid, regions: list[Region]) -> dict[str, Any] | None:
    """The ``trend`` table for the period's months, or None for a one-month period."""
    found = measure(c, g)
    months = c.period.months()
    if found is None or len(months) < 2:
        return None
    column, col = found
    points = []
    for m in months:
        value = _sum(g, col, regions, m)
        if value is None:
            return None  # an empty cell the period needs: reported with the metrics
        point: dict[str, Any] = {"month": str(m), "value": value}
        previous = _sum(g, col, regions, m.shift(-12))
        if previous is not None:
            point["previous"] = previous
        points.append(point)
    return {"label": _label(column), "money": bool(column.settings.get("money")), "months": points}


def ranking(c: _Computation, g: Grid) -> dict[str, Any] | None:
    """The ``ranking`` table: every region with rows in the period, or None without regions."""
    if not g.has_regions:
        return None
    found = measure(c, g)
    wanted = set(c.period.months() + c.baseline.months())
    names = [r for r in g.regions() if any((r, m) in g.rows for m in wanted)]
    if found is None or len(names) < 2:
        return None
    column, col = found
    this, base = c.period.months(), c.baseline.months()
    if column.aggregate == "last":
        this, base = [c.period.last], [c.baseline.last]
    people = populations(c, names)
    rows = []
    for name in names:
        value = c.total(g, col, c.rows(g, [name], this), "period", optional=False)
        previous = c.total(g, col, c.rows(g, [name], base), "baseline", optional=True)
        if value is None or name is None:
            return None
        row: dict[str, Any] = {"name": c.spec.regions.get(name, name), "value": value}
        if previous is not None:
            row["previous"] = previous
        if name in people:
            row["population"], before = people[name]
            if before is not None:
                row["previous_population"] = before
        if name == c.region:
            row["focus"] = True
        rows.append(row)
    out: dict[str, Any] = {
        "label": _label(column),
        "noun": c.spec.blocks.get("region_noun", DEFAULT_NOUN),
        "money": bool(column.settings.get("money")),
        "regions": rows,
    }
    if "rate_per" in c.spec.blocks:
        if people:
            out["rate_per"] = c.spec.blocks["rate_per"]
        else:
            c.problems.append(
                Problem("rate_per", "given without a [population] table", c.spec.source)
            )
    return out


def populations(c: _Computation, names: list[Region]) -> dict[Region, tuple[Number, Any]]:
    """Each region's population for the period's year (and the baseline's, when given by year)."""
    table = c.spec.blocks.get("population")
    if not table:
        return {}
    out: dict[Region, tuple[Number, Any]] = {}
    year = c.period.last.year
    for name in names:
        value = table.get(name)
        if value is None:
            c.problems.append(
                Problem(
                    f'population."{name}"',
                    "missing: rates need every region's population",
                    c.spec.source,
                )
            )
        elif isinstance(value, dict):
            now, before = value.get(str(year)), value.get(str(year - 1))
            if now is None:
                c.problems.append(
                    Problem(f'population."{name}"', f"no figure for {year}", c.spec.source)
                )
            else:
                out[name] = (now, before)
        else:
            out[name] = (value, None)
    for name in table:
        if name not in names:
            c.problems.append(
                Problem(
                    f'population."{name}"',
                    "no such region in the tally for this period",
                    c.spec.source,
                )
            )
    return out


Spots = tuple[dict[str, tuple[str, str]], ...]
"""Per entry of a block's list: its keys (``value``, ``name``...) -> (file, cells or TOML key);
``""`` -> where the entry as a whole comes from."""


def places(
    c: _Computation, g: Grid, raw: RawBriefing, scope: list[Region]
) -> tuple[Place | None, Spots, Spots]:
    """Where the trend's and the ranking's figures come from, for mapping the validator's paths
    back (``tally/locate.py``): the measure's column, each ranked region's cell, name and
    population keys, and each trend month's rows (of the regions in ``scope``)."""
    found = measure(c, g) if "trend" in raw or "ranking" in raw else None
    if found is None:
        return None, (), ()
    column, col = found
    settings = f'columns."{column.header}"' if c.spec.columns is not None else None
    shown = c.place(g, col, settings, column.settings, {})
    ranked = _ranked(c, g, column, col) if "ranking" in raw else ()
    return shown, ranked, _trended(c, g, col, scope) if "trend" in raw else ()


def _trended(c: _Computation, g: Grid, col: int, scope: list[Region]) -> Spots:
    """Each trend month's cells: its rows' figures (a year earlier for ``previous``), and their
    month cells for the month itself."""
    header = [" ".join(str(h).split()).lower() if h is not None else "" for h in g.table.header]
    month_col = header.index(MONTH_HEADER)
    source, out = g.table.source, []
    for m in c.period.months():  # as trend() picks them
        rows, before = c.rows(g, scope, [m]), c.rows(g, scope, [m.shift(-12)])
        value = (source, g.table.span((row.row for row in rows), g.col_index[col]))
        out.append(
            {
                "": value,
                "value": value,
                "previous": (source, g.table.span((r.row for r in before), g.col_index[col])),
                "month": (source, g.table.span((row.row for row in rows), month_col)),
            }
        )
    return tuple(out)


def _ranked(c: _Computation, g: Grid, column: Column, col: int) -> Spots:
    """Each ranked region's cells (its figures, its region cell) and TOML keys."""
    wanted = c.period.months() + c.baseline.months()  # as ranking() picks them
    names = [r for r in g.regions() if any((r, m) in g.rows for m in wanted)]
    toml, source = c.spec.source, g.table.source
    ranked: list[dict[str, tuple[str, str]]] = []
    for name in names:
        spots = {"": (source, g.region_cell(name))}
        if name in c.spec.regions:
            spots["name"] = (toml, f'regions."{name}"')
        if name in (c.spec.blocks.get("population") or {}):
            spots["population"] = spots["previous_population"] = (toml, f'population."{name}"')
        last = column.aggregate == "last"
        for key, months in (
            ("value", [c.period.last] if last else c.period.months()),
            ("previous", [c.baseline.last] if last else c.baseline.months()),
        ):
            spots[key] = (
                source,
                g.table.span((row.row for row in c.rows(g, [name], months)), g.col_index[col]),
            )
        ranked.append(spots)
    return tuple(ranked)


def _sum(g: Grid, col: int, regions: list[Region], month: Month) -> Number | None:
    """The column summed over ``regions`` for one month; None when every cell is empty."""
    values = [g.rows[(r, month)].values[col] for r in regions if (r, month) in g.rows]
    present = [v for v in values if v is not None]
    if not present or len(present) < len(values):
        return None
    if all(isinstance(v, int) for v in present):
        return sum(present)
    return round(sum(present), 9)


def _label(column: Column) -> Any:
    return column.settings.get("label", column.header)
