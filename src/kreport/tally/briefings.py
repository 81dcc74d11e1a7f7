"""Turn a tally (its TOML, a workbook or CSV files) into named briefings for a period: one for
the whole area, or one per region, with every problem found in one pass.

What a run checks: always the TOML's keys and the tables' structure (headers, every month and
region cell, duplicate rows); the figure cells and totals the chosen period and its baseline
need; with ``all_cells`` (``kreport validate`` without ``--period``) every figure cell and
total of the columns the briefing uses, in any month. The computed briefing's own validation is
added by ``TallyBriefing.validate``, its paths mapped back to cells and TOML keys.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import InputError, Problem
from ..model import Briefing, RawBriefing
from .cells import Month
from .compute import compute, every_cell, stand_in
from .files import read_csv, read_workbook
from .locate import Locator
from .read import MAX_PROBLEMS, Grid, Keep, Region, grid
from .spec import METRICS_SHEET, TYPES_SHEET, Period, TallySpec, load_spec
from .table import Table, TallyFormat

By = Literal["region"]


@dataclass(frozen=True, slots=True)
class TallyBriefing:
    """One briefing computed from a tally, with the tally's problems and where its data came
    from; ``validate`` adds the validator's problems to the tally's and raises them together."""

    name: str
    raw: RawBriefing
    problems: tuple[Problem, ...]
    locate: Locator
    region: str | None = None
    """The region this briefing is for; None for the whole area."""
    labels: tuple[str, ...] = ()
    """The region's names on its pages, from the TOML's ``[regions]`` table (each language's)."""

    def validate(
        self, source: str, language: str | None = None, *, folder: Path | None = None
    ) -> Briefing:
        """The checked briefing (relative paths, such as a logo's, from ``folder``); raises one
        ``InputError`` with every problem, each naming a cell (``metrics!C7``) or a TOML key,
        never a path of the computed mapping."""
        from ..source.validate import validate

        found = list(self.problems)
        try:
            briefing = validate(self.raw, source, language, folder=folder)
        except InputError as exc:
            mapped = (p for p in map(self.locate, exc.problems) if p is not None)
            found += [p for p in mapped if not self._consequence(p)]
        if found:
            raise InputError(source, unique(found))
        return briefing

    def _consequence(self, problem: Problem) -> bool:
        """An empty briefing because its columns could not be read says nothing new."""
        empty = not self.raw.get("metrics") and not self.raw.get("fraud_types")
        return bool(self.problems) and empty and not problem.path


def briefings(
    source: Path | TallySpec, period: str | None = None, by: By | None = None
) -> list[tuple[str, RawBriefing]]:
    """One (name, data) pair for the whole tally, or one per region with ``by="region"``.

    ``period`` (``2023-01..2023-04``) overrides the TOML's ``months``; without either, the
    year to date ending with the tally's latest month. Raises one ``InputError`` listing every
    problem of every briefing (in the briefing's own language).
    """
    spec = source if isinstance(source, TallySpec) else load_spec(source)
    found: list[Problem] = []
    parts = tally_briefings(spec, period, by)
    folder = Path(spec.source).parent
    for part in parts:
        try:
            part.validate(spec.source, folder=folder)
        except InputError as exc:
            found += exc.problems
    if found:
        raise InputError(spec.source, unique(found))
    return [(p.name, p.raw) for p in parts]


def tally_briefings(
    source: Path | TallySpec,
    period: str | None = None,
    by: By | None = None,
    *,
    all_cells: bool = False,
) -> list[TallyBriefing]:
    """The briefings of ``source``, not yet validated. A problem with the tally as a whole (its
    TOML, its structure, ``all_cells``) gives one briefing for the whole area carrying all of
    them, even with ``by``; otherwise each region's briefing carries its own rows' problems."""
    spec = source if isinstance(source, TallySpec) else load_spec(source)
    stem = Path(spec.source).stem
    wide = list(spec.problems)
    text = period if period is not None else spec.months
    given = _parse_period(text)
    metrics, types = _read(spec, wide, given, every=all_cells)
    chosen = _period(spec, metrics, period, given, wide)
    if metrics is None or metrics.broken or chosen is None:
        stood = stand_in(spec, chosen)  # so that the TOML's own keys are still checked
        return [TallyBriefing(stem, stood.raw, tuple(wide), stood.locate)]
    if all_cells:
        wide += every_cell(spec, metrics, types)
    regions = _regions(metrics, types, chosen, wide) if by == "region" else [None]
    if wide:
        whole = compute(spec, metrics, types, chosen, None)
        return [TallyBriefing(stem, whole.raw, tuple(wide) + whole.problems, whole.locate)]
    out = []
    for region in regions:
        part = compute(spec, metrics, types, chosen, region)
        name = stem if region is None else slug(region)
        shown = spec.regions.get(region) if region is not None else None
        labels = tuple(
            v
            for v in (shown.values() if isinstance(shown, dict) else [shown])
            if isinstance(v, str)
        )
        out.append(TallyBriefing(name, part.raw, part.problems, part.locate, region, labels))
    return out


def slug(name: str) -> str:
    """A file-name-safe form of ``name``: letters and digits (any script) joined by hyphens.

    Raises ``ValueError`` for a name with no letters or digits at all."""
    text = unicodedata.normalize("NFKC", name).casefold()
    out = re.sub(r"[\W_]+", "-", text).strip("-")[:80].strip("-")
    if re.fullmatch(r"con|prn|aux|nul|com\d|lpt\d", out):
        out += "-region"  # names Windows refuses whatever the extension
    if not out:
        raise ValueError(f"{name!r} has no letters or digits for a file name")
    return out


def unique(problems: Iterable[Problem]) -> list[Problem]:
    """``problems`` without repeats, at most ``MAX_PROBLEMS`` of them and a count of the rest."""
    seen = list(dict.fromkeys(problems))
    if len(seen) <= MAX_PROBLEMS:
        return seen
    rest = Problem("", f"... and {len(seen) - MAX_PROBLEMS} more problems", seen[0].source)
    return [*seen[:MAX_PROBLEMS], rest]


def _read(
    spec: TallySpec, wide: list[Problem], given: Period | str | None, *, every: bool = False
) -> tuple[Grid | None, Grid | None]:
    """The metrics and fraud_types grids that could be read; the rest goes into ``wide``.

    Each grid keeps the rows of the period ``given`` and its baseline (all of them with
    ``every``); with no period given, the latest year to date's, found as the metrics are read.
    """
    path = spec.metrics_path
    if path is None:
        return None, None
    tables: dict[str, Table | None] = {METRICS_SHEET: None, TYPES_SHEET: None}
    try:
        if TallyFormat.from_path(path) is TallyFormat.XLSX:
            tables.update(read_workbook(path, [METRICS_SHEET, TYPES_SHEET], spec.sheets))
            if tables[METRICS_SHEET] is None:
                wide.append(Problem("", f'no sheet named "{METRICS_SHEET}"', str(path)))
        else:
            tables[METRICS_SHEET] = read_csv(path, METRICS_SHEET)
    except InputError as exc:
        wide += _from(exc)
    if spec.types_path is not None:
        try:
            tables[TYPES_SHEET] = read_csv(spec.types_path, TYPES_SHEET)
        except InputError as exc:
            wide += _from(exc)
    metrics_table, types_table = tables[METRICS_SHEET], tables[TYPES_SHEET]
    keep: Keep = None if every else _months(given) if given is not None else "latest"
    metrics = grid(metrics_table, keep=keep) if metrics_table is not None else None
    types = None
    if types_table is not None:
        if keep == "latest":  # the year to date the metrics end with
            latest = _latest(metrics)
            keep = _months(latest) if latest is not None else frozenset()
        types = grid(types_table, whole_numbers=True, keep=keep)
    for g in (metrics, types):
        if g is not None:
            wide += g.problems
    return metrics, types


def _parse_period(text: str | None) -> Period | str | None:
    """The period ``text`` names (None: no text, the default period; else what is wrong)."""
    if text is None:
        return None
    try:
        return Period.parse(text)
    except ValueError as exc:
        return str(exc)


def _months(period: Period | str) -> frozenset[Month]:
    """The months ``period`` and its baseline need: none if it could not be read."""
    if isinstance(period, str):
        return frozenset()
    return frozenset(period.months() + period.baseline().months())


def _latest(metrics: Grid | None) -> Period | None:
    """The default period: the year to date ending with the tally's latest month."""
    if metrics is None or metrics.broken or metrics.span is None:
        return None
    latest = metrics.span[1]
    return Period(Month.of(latest.year, 1), latest)


def _period(
    spec: TallySpec,
    metrics: Grid | None,
    period: str | None,
    given: Period | str | None,
    wide: list[Problem],
) -> Period | None:
    if given is None:
        if metrics is not None and not metrics.broken and metrics.span is None:
            wide.append(Problem(metrics.table.name, "no data rows", metrics.table.source))
        return _latest(metrics)
    if isinstance(given, str):
        where = "--period" if period is not None else "months"
        wide.append(Problem(where, given, spec.source))
        return None
    return given


def _regions(
    metrics: Grid, types: Grid | None, period: Period, wide: list[Problem]
) -> list[Region]:
    """The regions with rows for ``period`` or its baseline, each with a file name of its own."""
    for g in (metrics, types):
        if g is not None and not g.broken and not g.has_regions:
            wide.append(
                Problem(
                    g.table.name,
                    'no "region" column, so it cannot be split by region',
                    g.table.source,
                )
            )
    if not metrics.has_regions:
        return []
    wanted = set(period.months() + period.baseline().months())
    regions = [r for r in metrics.regions() if any((r, m) in metrics.rows for m in wanted)]
    taken: dict[str, str] = {}
    for region in regions:
        assert region is not None
        where = metrics.region_cell(region)
        try:
            name = slug(region)
        except ValueError as exc:
            wide.append(Problem(where, str(exc), metrics.table.source))
            continue
        if name in taken:
            wide.append(
                Problem(
                    where,
                    f'regions "{taken[name]}" and "{region}" would both be written to '
                    f"{name}.pdf; rename one",
                    metrics.table.source,
                )
            )
        taken.setdefault(name, region)
    return regions


def _from(exc: InputError) -> list[Problem]:
    """``exc``'s problems, each naming the file it is in."""
    return [Problem(p.path, p.message, p.source or exc.source) for p in exc.problems]


__all__ = ["By", "TallyBriefing", "briefings", "slug", "tally_briefings", "unique"]
