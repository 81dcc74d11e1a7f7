"""Turn a tally's ``Table``s (read by ``files.py``) into checked ``Grid``s by region and month.

A tally table has a header row, a ``month`` column (YYYY-MM text or a real date cell), an optional
``region`` column and one column per indicator (or per fraud type). Problems are collected, never
raised one at a time: the table's structure (header, month and region cells, duplicate rows) on
``Grid.problems``, and each figure cell that is not a usable number when it is asked for, so
that a build reports the cells its period needs and ``kreport validate`` every cell. Every
problem names the sheet, row and column.

Rows are streamed: a table is read one row at a time into its grid, so no copy of every cell is
kept (only the few cells that are not numbers), blank rows cost nothing, and a cell is named for a
message only when it has a problem.
"""

from __future__ import annotations

import datetime as dt
import enum
import gc
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple, TypeAlias, cast

from ..errors import Problem
from ..source.keys import MAX_NUMBER

Number: TypeAlias = int | float
Region: TypeAlias = str | None
"""A region's name as written in the tally; None when the table has no region column."""

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
_EUROPEAN = re.compile(r"^\d{1,3}(\.\d{3})+$")
"""``1.234``: a thousand and more in much of Europe, a fraction elsewhere; refused as ambiguous."""
"""Latin-1 text read as GB18030 glues a Han character to the letters around an accent
("Région" -> "R" + Han + "ion"); real Chinese tallies are accepted, such files are not."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SHORT = len(str(int(MAX_NUMBER)))
"""Digit strings shorter than this are within ``MAX_NUMBER``; ``_number`` reads longer ones."""


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
class CellError:
    """A workbook cell the reader shows as empty but is not: an error value such as ``#DIV/0!``
    (``value``), or a formula whose result was never saved (``value`` is None)."""

    value: str | None

    def describe(self) -> str:
        if self.value is None:
            return "a formula with no saved result"
        return f"the error {self.value}"

    def fix(self) -> str:
        if self.value is None:
            return "open and save the workbook in Excel or LibreOffice so it is calculated"
        return "correct the formula or type the figure"


@dataclass(frozen=True, slots=True)
class Table:
    """One sheet (or CSV file): its header row, and the rows below it, read as they are iterated.

    ``body`` can be iterated once (``grid`` does); it raises ``InputError`` past the limits.
    """

    name: str  # the sheet name, or the table's role for a CSV file
    source: str  # the file, for error messages
    header: tuple[Any, ...]
    body: Iterator[Sequence[Any]]
    workbook: bool  # cells are named like metrics!C7 rather than by row and header
    hidden: bool = False  # a hidden sheet, used because the user named it

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
        return _text(self.header[col]) if col < len(self.header) else ""


class Row(NamedTuple):
    """One data row: its position in the table and one number (or None if empty) per column."""

    row: int
    values: tuple[Number | None, ...]
    bad: frozenset[int] = frozenset()
    """Positions in ``values`` whose cell holds something other than a usable number (read as
    None): ``Grid.cell_problem`` says what is wrong with it."""


# a tally can have 100,000 rows: each Row is made by tuple's own constructor, not a Python one
_new_row: Callable[[tuple[int, tuple[Number | None, ...], frozenset[int]]], Row] = partial(
    tuple.__new__, Row
)
_NONE_BAD: frozenset[int] = frozenset()


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
    span: tuple[Month, Month] | None = None
    """The first and the last month with a row, if any."""
    bad_cells: dict[tuple[int, int], Any] = field(default_factory=dict)
    """What the ``bad`` cells hold, by (row, position in ``columns``): to say what is wrong."""
    first_rows: dict[Region, int] = field(default_factory=dict)
    """Each region's first row."""

    def regions(self) -> list[Region]:
        return sorted({r for r, _ in self.rows}, key=lambda r: r or "")

    def where(self, row: Row, column: int) -> str:
        return self.table.where(row.row, self.col_index[column])

    def region_cell(self, region: Region) -> str:
        """The region cell of ``region``'s first row, such as ``metrics!B2``."""
        header = [_text(c).lower() for c in self.table.header]
        return self.table.where(self.first_rows[region], header.index(REGION_HEADER))

    def cell_problem(self, row: Row, column: int) -> Problem:
        """What is wrong with a ``bad`` cell (column ``column`` of ``columns``)."""
        value = self.bad_cells[(row.row, column)]
        _, message = _number(value, whole=self.whole_numbers)
        assert message is not None
        return Problem(self.where(row, column), message, self.table.source)

    def cell_problems(self, columns: Iterable[int] | None = None) -> Iterator[Problem]:
        """Every bad figure cell (of ``columns``, default all), row by row."""
        wanted = set(range(len(self.columns)) if columns is None else columns)
        bad = (row for row in self.rows.values() if row.bad)  # most rows have none
        for row in sorted(bad, key=lambda r: r.row):
            for col in sorted(row.bad & wanted):
                yield self.cell_problem(row, col)


def grid(table: Table, *, whole_numbers: bool = False) -> Grid:
    """Index ``table``'s rows by (region, month); never raises, problems are kept on the Grid.

    The structure is checked whole. A figure cell that is not a usable number is read as empty
    and marked bad on its ``Row``, to be reported by whoever needs it.
    """
    # Each row leaves a few tuples alive; with the collector on, it would scan them again and
    # again as they pile up (over half the time of a 100,000-row table). Rows make no cycles.
    with _collector_paused():
        return _grid(table, whole_numbers)


@contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _grid(table: Table, whole_numbers: bool) -> Grid:
    problems = _Problems(table.source)
    header = [_text(c) for c in table.header]
    lowered = [h.lower() for h in header]
    if MONTH_HEADER not in lowered:
        for _ in table.body:  # read to the end all the same: the row limit applies
            pass
        problems.add(table.name, f'no "{MONTH_HEADER}" column in the header row (row 1)')
        return Grid(table, (), (), None, False, {}, whole_numbers, problems.all(), broken=True)
    month_col = lowered.index(MONTH_HEADER)
    region_col = lowered.index(REGION_HEADER) if REGION_HEADER in lowered else None
    columns: list[int] = []
    unnamed: list[int] = []  # columns without a header: a problem only if they hold figures
    head: list[tuple[int, str | None]] = []  # header problems, in column order (None: unnamed)
    seen: dict[str, int] = {}
    for i, h in enumerate(header):
        if i in (month_col, region_col):
            continue
        if not h:
            unnamed.append(i)
            head.append((i, None))
            continue
        if h.lower() in seen:
            head.append(
                (i, f'"{h}" is also the header of column {_column_letters(seen[h.lower()])}')
            )
            continue
        seen[h.lower()] = i
        columns.append(i)
    rows: dict[tuple[Region, Month], Row] = {}
    unread: list[int] = []
    bad_cells: dict[tuple[int, int], Any] = {}
    first_rows: dict[Region, int] = {}
    found: set[int] = set()  # unnamed columns that hold a figure
    months: dict[Any, Month | None] = {}  # each month's cell read once (numbers are never months)
    regions: dict[str, Region] = {}  # and each region's name made once, shared by its rows
    width = max(columns, default=-1) + 1
    fast = _whole_floats if table.workbook else _whole_texts
    for r, cells in enumerate(table.body, start=1):
        n = len(cells)
        for i in unnamed:
            if i not in found and i < n and _cell(cells, i) is not None:
                found.add(i)
        values = (
            [cells[i] for i in columns]
            if n >= width
            else [cells[i] if i < n else None for i in columns]
        )
        numbers = fast(values)
        slow = numbers is None
        if numbers is None:
            numbers = [_quick(v) for v in values]
            if all(v is None for v in numbers):
                continue  # a blank row, or a month not filled in yet (templates list months ahead)
        raw = cells[month_col] if month_col < n else None
        try:
            month = months[raw]
        except KeyError:
            month = months[raw] = parse_month(raw)
        if month is None:
            problems.add(
                table.where(r, month_col),
                f"expected a month such as 2023-04 or a date, got {_show(_cell(cells, month_col))}",
            )
            unread.append(r)
            continue
        region: Region = None
        if region_col is not None:
            raw = cells[region_col] if region_col < n else None
            if type(raw) is str:
                try:
                    region = regions[raw]
                except KeyError:
                    region = regions[raw] = _region(raw)
            else:
                region = _region(raw)
            if region is None:
                problems.add(table.where(r, region_col), "the region is empty")
                unread.append(r)
                continue
        bad = _NONE_BAD
        if slow:
            marked: list[int] = []
            for k, number in enumerate(numbers):
                if number is _MALFORMED:
                    numbers[k], message = _number(values[k], whole=whole_numbers)
                    if message is not None:
                        marked.append(k)
                        bad_cells[(r, k)] = values[k]
            bad = frozenset(marked) if marked else _NONE_BAD
        row = _new_row((r, tuple(numbers), bad))
        other = rows.setdefault((region, month), row)
        if other is row:
            if region not in first_rows:
                first_rows[region] = r
        else:
            for k in bad:
                del bad_cells[(r, k)]
            what = f"{month}" + (f" for {region}" if region is not None else "")
            problems.add(
                table.where(r, month_col),
                f"duplicate row: {what} is also on row {other.row + 1}",
            )
    first = [
        Problem(table.where(0, i), message or "this column has figures but no header", table.source)
        for i, message in head
        if message is not None or i in found
    ]
    if not columns:
        first.append(
            Problem(table.name, "no indicator columns besides month and region", table.source)
        )
    problems.items[:0] = first  # found last, listed first: past the limit, row problems go
    problems.dropped += max(len(problems.items) - MAX_PROBLEMS, 0)
    del problems.items[MAX_PROBLEMS:]
    names = tuple(header[i] for i in columns)
    total = next((k for k, n in enumerate(names) if n.lower() in TOTAL_HEADERS), None)
    span = None
    if rows:
        indexes = [m.index for _, m in rows]
        span = (Month(min(indexes)), Month(max(indexes)))
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
        span=span,
        bad_cells=bad_cells,
        first_rows=first_rows,
    )


_LIMIT = f" (the limit is {MAX_NUMBER:.0e})"
_MALFORMED = object()
"""A cell that is not a plain number: read again by ``_number``, which says what is wrong."""


def _whole_floats(values: list[Any]) -> list[Number | None] | None:
    """A workbook row's ``values`` as numbers if every one is a whole, non-negative number cell
    (most rows of a tally, so read a row at a time), else None."""
    try:
        if not values or not all(map(float.is_integer, values)):
            return None
    except TypeError:  # a value that is not a float: text, a date, an empty cell
        return None
    ints = list(map(int, values))
    return cast(list[Number | None], ints) if min(ints) >= 0 and max(ints) <= MAX_NUMBER else None


def _whole_texts(values: list[Any]) -> list[Number | None] | None:
    """A CSV row's ``values`` as numbers if every one is a non-negative whole number, else None.
    int() reads text exactly as ``_number`` does when it can: spaces around, ``+``, ``_``."""
    try:
        ints = list(map(int, values))
    except (TypeError, ValueError):
        return None
    if not all(map(str.isascii, values)):  # int() reads fullwidth and Arabic-Indic digits too
        return None
    if ints and min(ints) >= 0 and max(ints) <= MAX_NUMBER:
        return cast(list[Number | None], ints)
    return None


def _quick(v: Any) -> Number | None:
    """A cell's number if it is plainly one, None if empty, else ``_MALFORMED``."""
    if type(v) is float and 0 <= v <= MAX_NUMBER and v.is_integer():
        return int(v)
    if type(v) is int and 0 <= v <= MAX_NUMBER:
        return int(v)
    if type(v) is str and v.isascii() and v.isdigit() and len(v) < _SHORT:
        return int(v)
    if v is None or (type(v) is str and (not v or v.isspace())):
        return None
    return cast(Number, _MALFORMED)  # a placeholder until _number reads it


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


def _number(value: Any, *, whole: bool) -> tuple[Number | None, str | None]:
    """The number in a cell, or None and what is wrong with it (None for an empty cell)."""
    if value is None:
        return None, None
    number: Number | None = None
    if isinstance(value, CellError):
        return None, f"holds {value.describe()}; {value.fix()}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None, None
        if not text.isascii() and any(c.isdigit() for c in text):
            return None, f"expected a number written with the digits 0-9, got {_show(value)}"
        if "." in text and _EUROPEAN.match(text):
            joined = text.replace(".", "")
            return None, (
                f"{_show(value)} could be {joined} (with a dot between thousands, as in much of "
                f"Europe) or {text}; write {joined} for the whole number, without separators"
            )
        if _GROUPED.match(text):
            text = text.replace(",", "")
        if text.isascii() and text.isdigit() and len(text) > _SHORT:  # int() refuses thousands
            return None, f"a number of {len(text)} digits is too large{_LIMIT}"
        try:
            number = int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                number = None
    if number is None or not math.isfinite(number):
        return None, f"expected a number, got {_show(value)}"
    if number < 0:
        return None, f"must not be negative, got {number:g}"
    if number > MAX_NUMBER:
        return None, f"{_show(value)} is too large{_LIMIT}"
    if isinstance(number, float) and number.is_integer():
        number = int(number)  # workbooks store every number as a float
    if whole and not isinstance(number, int):
        return None, f"expected a whole number of cases, got {number:g}"
    return number, None


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


def _column_letters(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def _show(value: Any) -> str:
    if isinstance(value, str):
        value = _CONTROL.sub(lambda m: repr(m.group())[1:-1], value)  # one line, always
        return f'"{value[:37]}..."' if len(value) > 40 else f'"{value}"'
    if isinstance(value, CellError):
        return value.describe()
    if value is None:
        return "an empty cell"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)
