"""Write tally workbooks: the blank template ``kreport init --tally`` gives analysts to fill in.

XlsxWriter writes them: it is write-only (which is all this needs), has no dependencies, and
with a fixed creation date writes byte-identical files, so generated examples can be committed
and regenerated. It is imported here only, so building a briefing never pays for it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .spec import METRICS_SHEET, TYPES_SHEET

FIXED_DATE = dt.datetime(2024, 1, 1)
"""Creation date stored in every workbook kreport writes: same content, same bytes."""

TEMPLATE_METRICS = (
    "Fraud reports",
    "Cases solved",
    "Suspects arrested",
    "Losses",
    "Funds returned",
)
TEMPLATE_TYPES = ("Order brushing", "Fake customer service", "Investment", "Loan", "Other")
HOW_TO = (
    "How to fill in this tally (kreport)",
    "",
    f'Sheet "{METRICS_SHEET}": one row per month (and per region), one column per indicator.',
    f'Sheet "{TYPES_SHEET}": the same rows, one column per fraud type (whole numbers of cases);',
    '  the optional "total" column must equal the sum of the types on its row.',
    'Column "month": YYYY-MM text (2023-04) or a date cell. Column "region" is optional:',
    "  delete it for a single-area tally; keep one row per region and month otherwise.",
    "Rename, add or delete indicator and fraud-type columns freely; the header is the label.",
    "Leave rows for months not yet reached empty: rows with no figures are ignored.",
    "Then: kreport build tally.xlsx --period 2023-01..2023-04 (compared with 2022-01..2022-04)",
    "A briefing TOML (tally = 'tally.xlsx') sets the title, agency and per-column options.",
)


def write_workbook(
    path: Path, sheets: Mapping[str, Sequence[Sequence[Any]]], about: Sequence[str] = ()
) -> Path:
    """Write ``sheets`` (first row the header) and an optional "about" sheet, atomically."""
    import xlsxwriter

    from .._atomic import write_atomic

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False})
    book.set_properties({"created": FIXED_DATE})
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1})
    month = book.add_format({"num_format": "yyyy-mm"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        sheet.freeze_panes(1, 0)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(r, c, value, bold if r == 0 else None)
                elif isinstance(value, dt.date):
                    sheet.write_datetime(r, c, value, month)
                else:
                    sheet.write_number(r, c, value)
        width = max((len(row) for row in rows), default=0)
        sheet.set_column(0, 1, 10)
        sheet.set_column(2, max(2, width - 1), 16)
    if about:
        sheet = book.add_worksheet("about")
        sheet.set_column(0, 0, 100)
        for r, line in enumerate(about):
            sheet.write_string(r, 0, line)
    book.close()
    return write_atomic(buf.getvalue(), path)


def write_template(path: Path, *, force: bool = False, year: int | None = None) -> Path:
    """A blank tally: months of ``year - 1`` and ``year`` (default: this year) to fill in.

    Refuses to replace an existing file unless ``force``.
    """
    from ..errors import OutputError

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise OutputError(
            f"{path}: the tally template is a workbook; give a name ending in .xlsx", path
        )
    if path.exists() and not force:
        raise OutputError(f"{path} already exists; use --force to overwrite it", path)
    year = year if year is not None else dt.date.today().year
    months = [f"{y:04d}-{m:02d}" for y in (year - 1, year) for m in range(1, 13)]
    metrics = [["month", "region", *TEMPLATE_METRICS], *([m] for m in months)]
    types = [["month", "region", *TEMPLATE_TYPES, "total"], *([m] for m in months)]
    return write_workbook(path, {METRICS_SHEET: metrics, TYPES_SHEET: types}, HOW_TO)
