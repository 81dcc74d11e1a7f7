"""Data and helpers several test files share: a small data file, the CLI runner, tally tables."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner, Result

from kreport.cli import main
from kreport.errors import InputError
from kreport.tally.cells import Month
from kreport.tally.spec import Period
from kreport.tally.template import write_workbook

if TYPE_CHECKING:  # the page stage is imported only by the tests that look at a layout
    from kreport.page.charts import BarChart
    from kreport.page.layout import PageLayout

ROOT = Path(__file__).parent.parent
ASSETS = ROOT / "assets"
EXAMPLE_TALLY = ASSETS / "example-tally.toml"
"""The bundled example tally's briefing TOML (synthetic numbers, four regions)."""

Rows = Sequence[Sequence[Any]]

REQUIRED: dict[str, Any] = {"title": "Weekly briefing", "agency": "Test Police", "period": "Week 1"}
"""The required top-level keys of a briefing: add metrics or fraud types to make one."""


def good_text(agency: str = "Test Police", value: object = 12) -> str:
    """A small valid data file (TOML) with one metric; ``value`` is written as given, so
    ``'"lots"'`` makes it invalid."""
    return f"""\
title = "Weekly briefing"
agency = "{agency}"
period = "Week 1"
issued = 2024-03-04

[[metrics]]
label = "Reports"
value = {value}
"""


GOOD = good_text()
"""``good_text()``: a data file that builds."""


def run(*args: str) -> Result:
    """``kreport ARGS`` in this process; exceptions escape (a traceback is a test failure)."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def write_csv(path: Path, rows: Rows) -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def write_xlsx(path: Path, metrics: Rows, types: Rows | None = None) -> Path:
    sheets = {"metrics": metrics, **({"fraud_types": types} if types is not None else {})}
    return write_workbook(path, sheets)


def problems_of(exc: pytest.ExceptionInfo[InputError]) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in exc.value.problems]


def months(first: str, last: str) -> list[str]:
    a, b = Period.parse(first).first, Period.parse(last).first
    return [str(Month(i)) for i in range(a.index, b.index + 1)]


SMALL_MONTHS = months("2022-01", "2023-03")
"""The months of ``small_tally``: 15, so that 2023-01..2023-03 has a whole baseline."""


def small_tally(regions: Sequence[str] = ("A", "B")) -> list[list[Any]]:
    """A tally with numbers simple enough to add up by hand: month i (0-based from 2022-01),
    region j has ``10 + i + j`` reports and ``1000 * (j + 1)`` losses. Row 1 is the header;
    month i of region j is on sheet row ``2 + i * len(regions) + j``."""
    rows: list[list[Any]] = [["month", "region", "Reports", "Losses"]]
    for i, month in enumerate(SMALL_MONTHS):
        for j, region in enumerate(regions):
            rows.append([month, region, 10 + i + j, 1000 * (j + 1)])
    return rows


def loaded_after(code: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> set[str]:
    """The modules a fresh interpreter has imported after running ``code``."""
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print(' '.join(sorted(sys.modules)))"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(out.stdout.split())


def charts_in(layout: PageLayout) -> list[BarChart]:
    """Every bar chart placed on the page, looking into table cells."""
    from reportlab.platypus import Table

    from kreport.page.charts import BarChart, ChartFlowable

    found: list[BarChart] = []

    def walk(items: Iterable[Any]) -> None:
        for item in items:
            if isinstance(item, ChartFlowable) and isinstance(item.chart, BarChart):
                found.append(item.chart)
            elif isinstance(item, Table):
                walk(cell for row in item._cellvalues for cell in row)
            elif isinstance(item, list | tuple):
                walk(item)

    walk(layout.story)
    return found
