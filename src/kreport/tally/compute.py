"""Turn a monthly tally (.xlsx or .csv, optionally named by a briefing TOML) into ``RawBriefing``s.

The result has exactly the keys a hand-written data file has, so it goes through the normal
validate -> lay out -> write pipeline: a tally briefing cannot look different from a typed one.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from ..errors import InputError, Problem
from ..model import LANGUAGES, RawBriefing, fallbacks, is_chinese, is_traditional, language_tag
from . import regions
from .read import Grid, Month, Number, Region, TallyFormat, grid, read_csv, read_workbook
from .spec import METRICS_SHEET, TYPES_SHEET, Column, Period, TallySpec, is_tally, load_spec

DEFAULT_TITLE = {
    lang: ("詐騙情況簡報" if is_traditional(lang) else "诈骗情况简报")
    if is_chinese(lang)
    else "Fraud briefing"
    for lang in LANGUAGES
}

By = Literal["region"]


def briefings(
    source: Path | TallySpec, period: str | None = None, by: By | None = None
) -> list[tuple[str, RawBriefing]]:
    """One (name, data) pair for the whole tally, or one per region with ``by="region"``.

    ``period`` (``2023-01..2023-04``) overrides the TOML's ``months``; without either, the
    year to date ending with the tally's latest month.
    """
    spec = source if isinstance(source, TallySpec) else load_spec(source)
    metrics, types = read_tables(spec)
    chosen = _period(spec, metrics, period)
    stem = Path(spec.source).stem
    if by is None:
        return [(stem, compute(spec, metrics, types, chosen, None))]
    if not metrics.has_regions:
        raise InputError(
            metrics.table.source,
            [Problem(metrics.table.name, 'no "region" column, so it cannot be split by region')],
        )
    if types is not None and not types.has_regions:
        raise InputError(
            types.table.source,
            [Problem(types.table.name, 'no "region" column, so it cannot be split by region')],
        )
    wanted = set(chosen.months() + chosen.baseline().months())
    regions = [r for r in metrics.regions() if any((r, m) in metrics.rows for m in wanted)]
    out: list[tuple[str, RawBriefing]] = []
    taken: dict[str, str] = {}
    for region in regions:
        assert region is not None
        name = slug(region)
        if name in taken:
            raise InputError(
                metrics.table.source,
                [
                    Problem(
                        metrics.table.name,
                        f'regions "{taken[name]}" and "{region}" would both be written to '
                        f"{name}.pdf; rename one",
                    )
                ],
            )
        taken[name] = region
        out.append((name, compute(spec, metrics, types, chosen, region)))
    return out


def read_tables(spec: TallySpec) -> tuple[Grid, Grid | None]:
    if TallyFormat.from_path(spec.metrics_path) is TallyFormat.XLSX:
        tables = read_workbook(spec.metrics_path, [METRICS_SHEET, TYPES_SHEET])
        if METRICS_SHEET not in tables:
            raise InputError(
                str(spec.metrics_path), [Problem("", f'no sheet named "{METRICS_SHEET}"')]
            )
        metrics, types = tables[METRICS_SHEET], tables.get(TYPES_SHEET)
    else:
        metrics = read_csv(spec.metrics_path, METRICS_SHEET)
        types = read_csv(spec.types_path, TYPES_SHEET) if spec.types_path else None
    return grid(metrics), (grid(types, whole_numbers=True) if types is not None else None)


def compute(
    spec: TallySpec, metrics: Grid, types: Grid | None, period: Period, region: Region
) -> RawBriefing:
    """The data-file mapping for ``period`` against its baseline, for one region or all."""
    return _Computation(spec, period, region).run(metrics, types)


def slug(name: str) -> str:
    """A file-name-safe form of ``name``: letters and digits (any script) joined by hyphens."""
    text = unicodedata.normalize("NFKC", name).casefold()
    out = re.sub(r"[\W_]+", "-", text).strip("-")[:80].strip("-")
    if re.fullmatch(r"con|prn|aux|nul|com\d|lpt\d", out):
        out += "-region"  # names Windows refuses whatever the extension
    if not out:
        raise InputError(
            "<tally>", [Problem("region", f"{name!r} has no letters or digits for a file name")]
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

    def run(self, metrics: Grid, types: Grid | None) -> RawBriefing:
        raw: dict[str, Any] = {k: v for k, v in self.spec.briefing.items() if k != "note"}
        raw.setdefault("title", DEFAULT_TITLE)
        raw.setdefault("agency", Path(self.spec.source).stem)
        if self.region is not None:
            raw["title"] = _with_region(
                raw["title"], self.spec.regions.get(self.region, self.region)
            )
        raw["period"] = self.period.labels()
        raw["baseline"] = self.baseline.labels()
        m_regions = self.scope(metrics)
        raw["metrics"] = self.metric_entries(metrics, m_regions)
        if not self.problems:  # the blocks add nothing to a tally that cannot be added up
            for key, block in (
                ("trend", regions.trend(self, metrics, m_regions)),
                ("ranking", regions.ranking(self, metrics)),
            ):
                if block is not None:
                    raw[key] = block
        if types is not None:
            t_regions = self.scope(types)
            raw["fraud_types"], total = self.type_entries(types, t_regions)
            if total is not None:
                raw["types_total"] = total
        if self.problems:
            raise InputError(metrics.table.source, self.problems)
        note = _note(self.spec.briefing.get("note"), self.missing_baseline, self.baseline)
        if note is not None:
            raw["note"] = note
        return raw

    def scope(self, g: Grid) -> list[Region]:
        """The regions counted, after checking each has a row for every month needed."""
        this, base = self.period.months(), self.baseline.months()
        regions = [self.region] if self.region is not None else g.regions()
        regions = [r for r in regions if any((r, m) in g.rows for m in this + base)]
        name = g.table.name
        months = sorted({m for _, m in g.rows})
        covers = f" (its rows cover {months[0]}..{months[-1]})" if months else ""
        for which, needed in (("period", self.period), ("baseline", self.baseline)):
            if not any((r, m) in g.rows for r in regions for m in needed.months()):
                who = f" for {self.region}" if self.region else ""
                self.problems.append(
                    Problem(name, f"no rows{who} for the {which} {needed}{covers}")
                )
        if any(p.path == name and p.message.startswith("no rows") for p in self.problems):
            return regions  # a period outside the data: listing every region's gaps adds nothing
        for r in regions:
            who = f" for {r}" if r is not None else ""
            gap = {
                "period": [m for m in this if (r, m) not in g.rows],
                "baseline": [m for m in base if (r, m) not in g.rows],
            }
            if r is not None and len(gap["period"]) == len(this):
                self.problems.append(
                    Problem(
                        name,
                        f"region {r!r} has rows for the baseline {self.baseline} "
                        f"but none for the period {self.period}",
                    )
                )
            elif r is not None and len(gap["baseline"]) == len(base):
                self.problems.append(
                    Problem(
                        name,
                        f"region {r!r} has rows for the period {self.period} "
                        f"but none for the baseline {self.baseline}; no comparison possible",
                    )
                )
            else:
                for which, months in gap.items():
                    if months:
                        self.problems.append(
                            Problem(
                                name, f"no row{who} for {_ranges(months)}, which the {which} needs"
                            )
                        )
        return regions

    def total(
        self,
        g: Grid,
        col: int,
        regions: list[Region],
        months: list[Month],
        what: str,
        *,
        optional: bool,
    ) -> Number | None:
        """Sum of column ``col``; None when ``optional`` and every cell is empty."""
        rows = [g.rows[(r, m)] for r in regions for m in months if (r, m) in g.rows]
        values = [row.values[col] for row in rows]
        if optional and all(v is None for v in values):
            return None
        for row, v in zip(rows, values, strict=True):
            if v is None:
                self.problems.append(Problem(g.where(row, col), f"empty, but the {what} needs it"))
        present = [v for v in values if v is not None]
        if all(isinstance(v, int) for v in present):
            return sum(present)
        return round(math.fsum(present), 9)  # 0.1 + 0.2 must not print as 0.30000000000000004

    def metric_entries(self, g: Grid, regions: list[Region]) -> list[dict[str, Any]]:
        columns = self.spec.columns or tuple(Column(h, "sum", {}) for h in g.columns)
        out = []
        for c in columns:
            col = g.columns.index(c.header) if c.header in g.columns else _lower_index(g, c.header)
            if col is None:
                self.problems.append(
                    Problem(
                        g.table.name,
                        f'no column "{c.header}" (columns: '
                        + ", ".join(f'"{h}"' for h in g.columns)
                        + ")",
                    )
                )
                continue
            months = (
                (self.period.months(), self.baseline.months())
                if c.aggregate == "sum"
                else ([self.period.last], [self.baseline.last])
            )
            entry: dict[str, Any] = {"label": c.header, **c.settings}
            entry["value"] = self.total(g, col, regions, months[0], "period", optional=False)
            previous = self.total(g, col, regions, months[1], "baseline", optional=True)
            if previous is None:
                self.missing_baseline.append(entry["label"])
            else:
                entry["previous"] = previous
            out.append(entry)
        return out

    def type_entries(
        self, g: Grid, regions: list[Region]
    ) -> tuple[list[dict[str, Any]], Number | None]:
        this, base = self.period.months(), self.baseline.months()
        settings = self.spec.type_columns
        if settings is not None:
            for header in settings:
                if header not in g.columns:
                    self.problems.append(Problem(g.table.name, f'no column "{header}"'))
        self.check_totals(g, regions, this + base)
        out = []
        for col, header in enumerate(g.columns):
            if col == g.total or (settings is not None and header not in settings):
                continue
            entry: dict[str, Any] = {"label": header, **(settings or {}).get(header, {})}
            entry["cases"] = self.total(g, col, regions, this, "period", optional=False)
            previous = self.total(g, col, regions, base, "baseline", optional=True)
            if previous is not None:
                entry["previous_cases"] = previous
            out.append(entry)
        total = None
        if g.total is not None:
            total = self.total(g, g.total, regions, this, "period", optional=False)
        return out, total

    def check_totals(self, g: Grid, regions: list[Region], months: list[Month]) -> None:
        if g.total is None:
            return
        for key in ((r, m) for r in regions for m in months):
            row = g.rows.get(key)
            if row is None or row.values[g.total] is None:
                continue
            parts = [v for i, v in enumerate(row.values) if i != g.total]
            if any(v is None for v in parts):
                continue  # the empty cell is reported on its own
            added = sum(v for v in parts if v is not None)
            if added != row.values[g.total]:
                self.problems.append(
                    Problem(
                        g.where(row, g.total),
                        f"the total is {row.values[g.total]:g}, but "
                        f"the fraud types on this row add up to {added:g}",
                    )
                )


def _period(spec: TallySpec, metrics: Grid, period: str | None) -> Period:
    text = period if period is not None else spec.months
    if text is None:
        if not metrics.rows:
            raise InputError(metrics.table.source, [Problem(metrics.table.name, "no data rows")])
        latest = max(m for _, m in metrics.rows)
        return Period(Month.of(latest.year, 1), latest)
    try:
        return Period.parse(text)
    except ValueError as exc:
        where = "--period" if period is not None else "months"
        raise InputError(spec.source, [Problem(where, str(exc))]) from None


def _with_region(title: Any, region: Any) -> Any:
    """The title with the region's label appended, in each language the title has."""

    def one(lang: str, text: Any) -> Any:
        name = _in(lang, region)
        if not isinstance(text, str):
            return text  # validation reports it
        chinese = is_chinese(language_tag(lang) or "en")
        return f"{text}（{name}）" if chinese else f"{text} — {name}"

    if isinstance(title, dict):
        return {lang: one(lang, t) for lang, t in title.items()}
    return {lang: one(lang, title) for lang in LANGUAGES}


def _note(user: Any, labels: list[Any], baseline: Period) -> Any:
    if not labels:
        return user
    out = {}
    for lang in LANGUAGES:
        names = [_in(lang, x) for x in labels]
        if is_chinese(lang):
            missing = "無以下數據，未作比較" if is_traditional(lang) else "无以下数据，未作比较"
            computed = f"{baseline.label(lang)}{missing}：{'、'.join(names)}。"
        else:
            computed = f"No {baseline.label(lang)} figures for {', '.join(names)}: no change shown."
        mine = _in(lang, user) if user is not None else None
        out[lang] = f"{mine} {computed}" if mine else computed
    return out


def _in(lang: str, text: Any) -> str:
    """``text`` in ``lang``: its own entry, else its fallback's, else the first one given."""
    if isinstance(text, dict):
        tag = language_tag(lang)
        for want in (lang, *(fallbacks(tag) if tag else ())):
            if want in text:
                return str(text[want])
        return str(next(iter(text.values()), ""))
    return str(text)


def _lower_index(g: Grid, header: str) -> int | None:
    lowered = [h.casefold() for h in g.columns]
    return lowered.index(header.casefold()) if header.casefold() in lowered else None


def _ranges(months: Iterable[Month]) -> str:
    """``2022-03, 2022-05..2022-07``: consecutive months folded into ranges."""
    runs: list[list[Month]] = []
    for m in sorted(months):
        if runs and runs[-1][-1].index + 1 == m.index:
            runs[-1].append(m)
        else:
            runs.append([m])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}..{r[-1]}" for r in runs)


__all__ = [
    "By",
    "Period",
    "TallySpec",
    "briefings",
    "compute",
    "is_tally",
    "load_spec",
    "read_tables",
    "slug",
]
