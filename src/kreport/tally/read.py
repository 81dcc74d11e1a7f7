"""Turn a tally file (.xlsx workbook or .csv) into checked ``Grid``s: numbers by region and month.

A tally table has a header row, a ``month`` column (YYYY-MM text or a real date cell), an optional
``region`` column and one column per indicator (or per fraud type). Problems are collected, never
raised one at a time: the table's structure (header, month and region cells, duplicate rows) on
``Grid.problems``, and each figure cell that is not a usable number when it is asked for, so
that a build reports the cells its period needs and ``kreport validate`` every cell. Every
problem names the sheet, row and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

from ..errors import InputError, Problem

Number: TypeAlias = int | float
Region: TypeAlias = str | None
"""A region's name as written in the tally; None when the table has no region column."""

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Larger tallies are refused before parsing: ten years of monthly rows are far below this."""
MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_PROBLEMS = 40
"""Past this many cell problems the rest are counted, not listed: the file is probably wrong."""

MONTH_HEADER = "month"
REGION_HEADER = "region"
TOTAL_HEADERS = ("total", "合计", "总计")

_MONTH_TEXT = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


class TallyFormat(enum.Enum):
    CSV = "csv"
    XLSX = "xlsx"

    @classmethod
    def from_path(cls, path: Path) -> TallyFormat | None:
        try:
            return cls(path.suffix.lower().lstrip("."))
        except ValueError:
            return None


@dataclass(frozen=True, slots=True, order=True)
class Month:
    """A calendar month; ``index`` counts months from year 0 so that arithmetic is subtraction."""

    index: int

    @classmethod
    def of(cls, year: int, month: int) -> Month:
        return cls(year * 12 + month - 1)

    @property
    def year(self) -> int:
        return self.index // 12

    @property
    def month(self) -> int:
        return self.index % 12 + 1

    def shift(self, months: int) -> Month:
        return Month(self.index + months)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def parse_month(value: Any) -> Month | None:
    """A month from ``2023-04``, ``2023-04-01`` or a date cell; None if it is none of these."""
    if isinstance(value, dt.date):  # datetime is a date too
        return Month.of(value.year, value.month)
    if isinstance(value, str):
        m = _MONTH_TEXT.match(value.strip())
        if m and 1 <= int(m.group(2)) <= 12 and int(m.group(1)) >= 1:
            if m.group(3) is not None:
                try:
                    dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    return None
            return Month.of(int(m.group(1)), int(m.group(2)))
    return None


@dataclass(frozen=True, slots=True)
class Table:
    """One sheet (or CSV file) as cells: ``rows[0]`` is the header row."""

    name: str  # the sheet name, or the table's role for a CSV file
    source: str  # the file, for error messages
    rows: tuple[tuple[Any, ...], ...]
    workbook: bool  # cells are named like metrics!C7 rather than by row and header

    def where(self, row: int, col: int) -> str:
        """The cell at 0-based ``row`` and ``col``, named the way the user's program names it."""
        if self.workbook:
            return f"{self.name}!{_column_letters(col)}{row + 1}"
        return f'{self.name} row {row + 1}, column "{self._header(col)}"'

    def span(self, rows: Iterable[int], col: int) -> str:
        """Cells of column ``col`` at 0-based ``rows``, folded into ranges: ``metrics!C14:C17,C20``
        in a workbook, ``metrics rows 14-17 and 20, column "Cases"`` in a CSV file."""
        runs: list[list[int]] = []
        for r in sorted(set(rows)):
            if runs and runs[-1][-1] + 1 == r:
                runs[-1].append(r)
            else:
                runs.append([r])
        if not runs:
            return self.where(0, col)
        if self.workbook:
            c = _column_letters(col)
            cells = (f"{c}{r[0] + 1}" + (f":{c}{r[-1] + 1}" if len(r) > 1 else "") for r in runs)
            return f"{self.name}!{','.join(cells)}"
        parts = [f"{r[0] + 1}" + (f"-{r[-1] + 1}" if len(r) > 1 else "") for r in runs]
        joined = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
        word = "row" if len(runs) == 1 and len(runs[0]) == 1 else "rows"
        return f'{self.name} {word} {joined}, column "{self._header(col)}"'

    def _header(self, col: int) -> str:
        return _text(self.rows[0][col]) if self.rows and col < len(self.rows[0]) else ""


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its position in the table and one number (or None if empty) per column."""

    row: int
    values: tuple[Number | None, ...]
    bad: frozenset[int] = frozenset()
    """Positions in ``values`` whose cell holds something other than a usable number (read as
    None): ``Grid.cell_problem`` says what is wrong with it."""


@dataclass(frozen=True, slots=True)
class Grid:
    """A checked tally table: one ``Row`` per (region, month), numbers in ``columns`` order."""

    table: Table
    columns: tuple[str, ...]  # indicator (or fraud type) headers, in the file's order
    col_index: tuple[int, ...]  # where each of ``columns`` is in the table
    total: int | None  # position in ``columns`` of a total column, if the table has one
    has_regions: bool
    rows: dict[tuple[Region, Month], Row]
    whole_numbers: bool = False  # figures are counts of cases (fraud types)
    problems: tuple[Problem, ...] = ()
    """The structure's problems: header, month and region cells, duplicate rows."""
    unread: tuple[int, ...] = ()
    """Table rows with figures whose month or region could not be read (so are not in ``rows``)."""
    broken: bool = False
    """The header is unusable (no month column, no figure columns): nothing can be read."""

    def regions(self) -> list[Region]:
        return sorted({r for r, _ in self.rows}, key=lambda r: r or "")

    def where(self, row: Row, column: int) -> str:
        return self.table.where(row.row, self.col_index[column])

    def region_cell(self, region: Region) -> str:
        """The region cell of ``region``'s first row, such as ``metrics!B2``."""
        header = [_text(c).lower() for c in self.table.rows[0]]
        first = min(row.row for (r, _), row in self.rows.items() if r == region)
        return self.table.where(first, header.index(REGION_HEADER))

    def cell_problem(self, row: Row, column: int) -> Problem:
        """What is wrong with a ``bad`` cell (column ``column`` of ``columns``)."""
        found = _Problems(self.table.source)
        value = _cell(self.table.rows[row.row], self.col_index[column])
        _number(value, self.where(row, column), found, whole=self.whole_numbers)
        return found.items[0]

    def cell_problems(self, columns: Iterable[int] | None = None) -> Iterator[Problem]:
        """Every bad figure cell (of ``columns``, default all), row by row."""
        wanted = set(range(len(self.columns)) if columns is None else columns)
        for row in sorted(self.rows.values(), key=lambda r: r.row):
            for col in sorted(row.bad & wanted):
                yield self.cell_problem(row, col)


def read_workbook(path: Path, sheets: Sequence[str]) -> dict[str, Table]:
    """The named sheets of an .xlsx (or .xls/.ods) file that exist, matched case-insensitively."""
    from python_calamine import CalamineError, CalamineWorkbook

    _check_size(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        by_name = {n.strip().lower(): n for n in book.sheet_names}
        out: dict[str, Table] = {}
        for wanted in sheets:
            actual = by_name.get(wanted.lower())
            if actual is not None:
                cells = book.get_sheet_by_name(actual).to_python(skip_empty_area=False)
                out[wanted] = Table(actual, str(path), _bounded(cells, str(path)), True)
        return out
    except (CalamineError, OSError, ValueError) as exc:
        raise InputError(
            str(path), [Problem("", f"cannot read the workbook: {_one_line(exc)}")]
        ) from None


def sheet_names(path: Path) -> list[str]:
    from python_calamine import CalamineWorkbook

    return list(CalamineWorkbook.from_path(str(path)).sheet_names)


def read_csv(path: Path, name: str) -> Table:
    """A UTF-8 CSV file (comma-separated, a BOM allowed) as one table called ``name``."""
    _check_size(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(
            str(path), [Problem("", f"cannot read file: {exc.strerror or exc}")]
        ) from None
    except UnicodeDecodeError as exc:
        raise InputError(
            str(path), [Problem("", f"not UTF-8 text (invalid byte at offset {exc.start})")]
        ) from None
    try:
        cells = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputError(str(path), [Problem("", f"malformed CSV: {exc}")]) from None
    return Table(name, str(path), _bounded(cells, str(path)), False)


def grid(table: Table, *, whole_numbers: bool = False) -> Grid:
    """Index ``table``'s rows by (region, month); never raises, problems are kept on the Grid.

    The structure is checked whole. A figure cell that is not a usable number is read as empty
    and marked bad on its ``Row``, to be reported by whoever needs it.
    """
    problems = _Problems(table.source)
    header = [_text(c) for c in table.rows[0]] if table.rows else []
    lowered = [h.lower() for h in header]
    if MONTH_HEADER not in lowered:
        problems.add(table.name, f'no "{MONTH_HEADER}" column in the header row (row 1)')
        return Grid(table, (), (), None, False, {}, whole_numbers, problems.all(), broken=True)
    month_col = lowered.index(MONTH_HEADER)
    region_col = lowered.index(REGION_HEADER) if REGION_HEADER in lowered else None
    columns: list[int] = []
    seen: dict[str, int] = {}
    for i, h in enumerate(header):
        if i in (month_col, region_col):
            continue
        if not h:
            if any(_cell(r, i) is not None for r in table.rows[1:]):
                problems.add(table.where(0, i), "this column has figures but no header")
            continue
        if h.lower() in seen:
            problems.add(
                table.where(0, i),
                f'"{h}" is also the header of column {_column_letters(seen[h.lower()])}',
            )
            continue
        seen[h.lower()] = i
        columns.append(i)
    if not columns:
        problems.add(table.name, "no indicator columns besides month and region")
    rows: dict[tuple[Region, Month], Row] = {}
    unread: list[int] = []
    scratch = _Problems(table.source)  # cell problems are worked out again when reported
    for r, cells in enumerate(table.rows[1:], start=1):
        values = [_cell(cells, i) for i in columns]
        if all(v is None for v in values):
            continue  # a blank row, or a month not filled in yet (templates list months ahead)
        month = parse_month(_cell(cells, month_col))
        if month is None:
            problems.add(
                table.where(r, month_col),
                f"expected a month such as 2023-04 or a date, got {_show(_cell(cells, month_col))}",
            )
            unread.append(r)
            continue
        region: Region = None
        if region_col is not None:
            region = _region(_cell(cells, region_col))
            if region is None:
                problems.add(table.where(r, region_col), "the region is empty")
                unread.append(r)
                continue
        numbers = tuple(
            _number(v, table.where(r, i), scratch, whole=whole_numbers)
            for v, i in zip(values, columns, strict=True)
        )
        bad = frozenset(k for k, v in enumerate(values) if v is not None and numbers[k] is None)
        key = (region, month)
        if key in rows:
            what = f"{month}" + (f" for {region}" if region is not None else "")
            problems.add(
                table.where(r, month_col),
                f"duplicate row: {what} is also on row {rows[key].row + 1}",
            )
            continue
        rows[key] = Row(r, numbers, bad)
    names = tuple(header[i] for i in columns)
    total = next((k for k, n in enumerate(names) if n.lower() in TOTAL_HEADERS), None)
    return Grid(
        table,
        names,
        tuple(columns),
        total,
        region_col is not None,
        rows,
        whole_numbers,
        problems.all(),
        tuple(unread),
        broken=not columns,
    )


class _Problems:
    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[Problem] = []
        self.dropped = 0

    def add(self, path: str, message: str) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(Problem(path, message, self.source))
        else:
            self.dropped += 1

    def all(self) -> tuple[Problem, ...]:
        more = [Problem("", f"... and {self.dropped} more problems", self.source)]
        return tuple(self.items + more) if self.dropped else tuple(self.items)


def _number(value: Any, where: str, problems: _Problems, *, whole: bool) -> Number | None:
    if value is None:
        return None
    number: Number | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if _GROUPED.match(text):
            text = text.replace(",", "")
        try:
            number = int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                number = None
    if number is None or not math.isfinite(number):
        problems.add(where, f"expected a number, got {_show(value)}")
        return None
    if number < 0:
        problems.add(where, f"must not be negative, got {number:g}")
        return None
    if isinstance(number, float) and number.is_integer():
        number = int(number)  # workbooks store every number as a float
    if whole and not isinstance(number, int):
        problems.add(where, f"expected a whole number of cases, got {number:g}")
        return None
    return number


def _region(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    return text or None


def _cell(cells: Sequence[Any], i: int) -> Any:
    """The value at ``i``, with empty text and missing trailing cells both read as None."""
    if i >= len(cells):
        return None
    value = cells[i]
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def _bounded(cells: list[list[Any]], source: str) -> tuple[tuple[Any, ...], ...]:
    if len(cells) > MAX_ROWS:
        raise InputError(source, [Problem("", f"more than {MAX_ROWS} rows")])
    if any(len(r) > MAX_COLUMNS for r in cells):
        raise InputError(source, [Problem("", f"more than {MAX_COLUMNS} columns")])
    while cells and all(_cell(cells[-1], i) is None for i in range(len(cells[-1]))):
        cells = cells[:-1]
    return tuple(tuple(r) for r in cells)


def _check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(
            str(path), [Problem("", f"cannot read file: {exc.strerror or exc}")]
        ) from None
    if size > MAX_FILE_BYTES:
        raise InputError(
            str(path), [Problem("", f"file is larger than the {MAX_FILE_BYTES >> 20} MiB limit")]
        )


def _column_letters(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value[:37]}..."' if len(value) > 40 else f'"{value}"'
    if value is None:
        return "an empty cell"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
