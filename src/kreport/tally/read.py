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

import gc
import heapq
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal, NamedTuple, TypeAlias

from ..errors import Problem
from .cells import (
    _MALFORMED,
    Month,
    Number,
    _cell,
    _column_letters,
    _number,
    _quick,
    _region,
    _show,
    _text,
    _whole_floats,
    _whole_texts,
    parse_month,
)
from .table import Table

Region: TypeAlias = str | None
"""A region's name as written in the tally; None when the table has no region column."""

MAX_PROBLEMS = 40
"""Past this many cell problems the rest are counted, not listed: the file is probably wrong."""

MONTH_HEADER = "month"
REGION_HEADER = "region"
TOTAL_HEADERS = ("total", "合计", "总计")

Keep: TypeAlias = Collection[Month] | Literal["latest"] | None
"""The rows a ``Grid`` keeps (every row is checked all the same): every one (None), those of
the given months, or ``"latest"``: those of the latest month's year and the year before (the
default period, the year to date, and its baseline), while that month is not yet known."""

_BITS = 17
"""Bits for a row number (< MAX_ROWS) and for a month's index (year 9999 at most) in the key of
a row that the duplicate check keeps: region, month and row packed into one machine integer."""


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
    """A checked tally table: one ``Row`` per (region, month) kept (see ``Keep``), numbers in
    ``columns`` order. Everything else describes every row of the table."""

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
    """What the ``bad`` cells of the rows kept hold, by (row, position in ``columns``)."""
    first_rows: dict[Region, int] = field(default_factory=dict)
    """Each region's first row."""

    def regions(self) -> list[Region]:
        """The regions of the rows kept."""
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
        """Every bad figure cell of the rows kept (of ``columns``, default all), row by row."""
        wanted = set(range(len(self.columns)) if columns is None else columns)
        bad = (row for row in self.rows.values() if row.bad)  # most rows have none
        for row in sorted(bad, key=lambda r: r.row):
            for col in sorted(row.bad & wanted):
                yield self.cell_problem(row, col)


def grid(table: Table, *, whole_numbers: bool = False, keep: Keep = None) -> Grid:
    """Index ``table``'s rows by (region, month); never raises, problems are kept on the Grid.

    The structure is checked whole, every row. Only the rows ``keep`` asks for are kept, so that
    a build holds the months it shows, not the whole table. A figure cell that is not a usable
    number is read as empty and marked bad on its ``Row``, to be reported by whoever needs it.
    """
    # Each row leaves a few tuples alive; with the collector on, it would scan them again and
    # again as they pile up (over half the time of a 100,000-row table). Rows make no cycles.
    with _collector_paused():
        return _grid(table, whole_numbers, keep)


@contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Header(NamedTuple):
    month: int
    region: int | None
    columns: list[int]  # the figure columns, by position in the table
    unnamed: list[int]  # columns without a header: a problem only if they hold figures
    problems: list[tuple[int, str | None]]  # header problems in column order (None: unnamed)


def _header(header: list[str], month_col: int) -> _Header:
    lowered = [h.lower() for h in header]
    region_col = lowered.index(REGION_HEADER) if REGION_HEADER in lowered else None
    columns: list[int] = []
    unnamed: list[int] = []
    head: list[tuple[int, str | None]] = []
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
    return _Header(month_col, region_col, columns, unnamed, head)


class _Kept:
    """Which months' rows are kept: fixed, or (``"latest"``) from January of the year before the
    latest month seen so far, rows falling out as later months come."""

    def __init__(self, keep: Keep) -> None:
        self.latest = keep == "latest"
        self.months = None if keep is None or keep == "latest" else {m.index for m in keep}
        self.floor = -1

    def saw(self, month: int, rows: dict[tuple[Region, Month], Row], bad: dict[Any, Any]) -> None:
        """``month`` is the latest yet: with ``"latest"``, drop the rows it leaves behind."""
        floor = (month // 12 - 1) * 12  # January of the year before
        if not self.latest or floor <= self.floor:
            return
        self.floor = floor
        for key in [k for k in rows if k[1].index < floor]:
            row = rows.pop(key)
            for k in row.bad:
                del bad[(row.row, k)]


def _grid(table: Table, whole_numbers: bool, keep: Keep) -> Grid:
    problems = _Problems(table.source)
    header = [_text(c) for c in table.header]
    lowered = [h.lower() for h in header]
    if MONTH_HEADER not in lowered:
        for _ in table.body:  # read to the end all the same: the row limit applies
            pass
        problems.add(table.name, f'no "{MONTH_HEADER}" column in the header row (row 1)')
        return Grid(table, (), (), None, False, {}, whole_numbers, problems.all(), broken=True)
    shape = _header(header, lowered.index(MONTH_HEADER))
    month_col, region_col, columns, unnamed = shape[:4]
    kept = _Kept(keep)
    rows: dict[tuple[Region, Month], Row] = {}
    unread: list[int] = []
    bad_cells: dict[tuple[int, int], Any] = {}
    first_rows: dict[Region, int] = {}
    found: set[int] = set()  # unnamed columns that hold a figure
    months: dict[Any, Month | None] = {}  # each month's cell read once (numbers are never months)
    regions: dict[str, Region] = {}  # and each region's name made once, shared by its rows
    ids: dict[Region, int] = {}  # each region's number in ``keys``
    keys = array("q")  # (region, month, row) of every row read, packed: to find duplicates
    low, high = 1 << _BITS, -1
    width = max(columns, default=-1) + 1
    lead = columns[0] if columns else -1
    fast = _whole_floats if table.workbook else _whole_texts
    wanted = kept.months
    for r, cells in enumerate(table.body, start=1):
        n = len(cells)
        for i in unnamed:
            if i not in found and i < n and _cell(cells, i) is not None:
                found.add(i)
        # a blank row (or a month not filled in yet: templates list months ahead) is skipped;
        # the first figure cell alone tells that most rows are not
        v = cells[lead] if 0 <= lead < n else None
        if (v is None or (type(v) is str and (not v or v.isspace()))) and all(
            _blank(cells[i]) for i in columns if i < n
        ):
            continue
        raw = cells[month_col] if month_col < n else None
        try:
            month = months[raw]
        except KeyError:
            month = months[raw] = parse_month(raw)
        if month is None:
            problems.add(
                table.where(r, month_col),
                f"expected a month such as 2023-04 or a date, got {_show(_cell(cells, month_col))}",
                r,
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
                problems.add(table.where(r, region_col), "the region is empty", r)
                unread.append(r)
                continue
        index = month.index
        region_id = ids.get(region)
        if region_id is None:
            region_id = ids[region] = len(ids)
            first_rows[region] = r
        keys.append((region_id << _BITS | index) << _BITS | r)
        if index > high:
            high = index
            kept.saw(index, rows, bad_cells)
        if index < low:
            low = index
        if index not in wanted if wanted is not None else index < kept.floor:
            continue  # checked, not kept: its figures are not read
        values = (
            [cells[i] for i in columns]
            if n >= width
            else [cells[i] if i < n else None for i in columns]
        )
        numbers = fast(values)
        bad = _NONE_BAD
        if numbers is None:
            numbers = [_quick(v) for v in values]
            marked: list[int] = []
            for k, number in enumerate(numbers):
                if number is _MALFORMED:
                    numbers[k], message = _number(values[k], whole=whole_numbers)
                    if message is not None:
                        marked.append(k)
                        bad_cells[(r, k)] = values[k]
            bad = frozenset(marked) if marked else _NONE_BAD
        row = _new_row((r, tuple(numbers), bad))
        if rows.setdefault((region, month), row) is not row:  # a duplicate, reported below
            for k in bad:
                del bad_cells[(r, k)]
    for r, message in _duplicates(keys, list(ids)):
        problems.add(table.where(r, month_col), message, r)
    first = [
        Problem(table.where(0, i), message or "this column has figures but no header", table.source)
        for i, message in shape.problems
        if message is not None or i in found
    ]
    if not columns:
        first.append(
            Problem(table.name, "no indicator columns besides month and region", table.source)
        )
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
        problems.all(first),
        tuple(unread),
        broken=not columns,
        span=(Month(low), Month(high)) if high >= 0 else None,
        bad_cells=bad_cells,
        first_rows=first_rows,
    )


def _blank(v: Any) -> bool:
    return v is None or (type(v) is str and (not v or v.isspace()))


def _duplicates(keys: array[int], regions: list[Region]) -> Iterator[tuple[int, str]]:
    """(row, message) for every row with the region and month of an earlier row, by row."""
    mask = (1 << _BITS) - 1
    found: list[tuple[int, int, int]] = []  # (row, the first row, region and month)
    previous, first = -1, 0
    for packed in sorted(keys):  # by region and month, then row: a repeat follows its first
        key, r = packed >> _BITS, packed & mask
        if key == previous:
            found.append((r, first, key))
        else:
            previous, first = key, r
    for r, first, key in sorted(found):
        month = Month(key & mask)
        region = regions[key >> _BITS]
        what = f"{month}" + (f" for {region}" if region is not None else "")
        yield r, f"duplicate row: {what} is also on row {first + 1}"


class _Problems:
    """Problems found row by row, listed in row order (a duplicate row is found only at the end,
    when every row has been read), at most ``MAX_PROBLEMS``, the rest counted."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.rows: list[tuple[int, int, Problem]] = []  # (-row, -order found, problem)
        self.count = 0

    def add(self, path: str, message: str, row: int = 0) -> None:
        self.count += 1
        order = (-row, -self.count)  # negated: the heap's first item is the last one listed
        if len(self.rows) < MAX_PROBLEMS:
            heapq.heappush(self.rows, (*order, Problem(path, message, self.source)))
        elif order > self.rows[0][:2]:  # listed before the last one listed so far
            heapq.heapreplace(self.rows, (*order, Problem(path, message, self.source)))

    def all(self, first: Sequence[Problem] = ()) -> tuple[Problem, ...]:
        """``first`` (the header's), then the rows' in order, at most ``MAX_PROBLEMS``."""
        listed = [*first, *(p for _, _, p in sorted(self.rows, reverse=True))]
        dropped = len(first) + self.count - min(len(listed), MAX_PROBLEMS)
        more = [Problem("", f"... and {dropped} more problems", self.source)]
        return tuple(listed[:MAX_PROBLEMS] + (more if dropped else []))
