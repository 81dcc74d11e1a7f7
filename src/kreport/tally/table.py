"""A tally's table as read from its file: a sheet of a workbook or a CSV file, its header row and
the rows below it as they are read, and how its cells are named in messages (``metrics!C7`` in
a workbook, ``metrics row 7, column "Cases"`` in a CSV file).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .cells import _column_letters, _text

MAX_ROWS = 100_000
"""Larger tallies are refused before parsing: ten years of monthly rows are far below this."""
MAX_COLUMNS = 200
MAX_FILE_BYTES = 20 * 1024 * 1024
"""A tally file (CSV or workbook) is read only up to this size."""


class TallyFormat(enum.Enum):
    CSV = "csv"
    XLSX = "xlsx"

    @classmethod
    def from_path(cls, path: Path) -> TallyFormat | None:
        try:
            return cls(path.suffix.lower().lstrip("."))
        except ValueError:
            return None


class Table:
    """One sheet (or CSV file): its header row, and the rows below it, read as they are iterated.

    Nothing is read before the header is asked for (a workbook's sheets are then loaded one at
    a time). ``body`` can be iterated once (``grid`` does); it raises ``InputError`` past the
    limits.
    """

    __slots__ = ("_header", "_rows", "hidden", "name", "source", "workbook")

    def __init__(
        self,
        name: str,
        source: str,
        rows: Iterator[Sequence[Any]],
        workbook: bool,
        hidden: bool = False,
    ) -> None:
        self.name = name  # the sheet name, or the table's role for a CSV file
        self.source = source  # the file, for error messages
        self.workbook = workbook  # cells are named like metrics!C7 rather than by row and header
        self.hidden = hidden  # a hidden sheet, used because the user named it
        self._rows = rows  # the header row first
        self._header: tuple[Any, ...] | None = None

    @property
    def header(self) -> tuple[Any, ...]:
        if self._header is None:
            self._header = tuple(next(self._rows, ()))
        return self._header

    @property
    def body(self) -> Iterator[Sequence[Any]]:
        """The rows below the header."""
        _ = self.header
        return self._rows

    def where(self, row: int, col: int) -> str:
        """The cell at 0-based ``row`` and ``col``, named the way the user's program names it."""
        if self.workbook:
            return f"{self.name}!{_column_letters(col)}{row + 1}"
        return f'{self.name} row {row + 1}, column "{self._heading(col)}"'

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
        return f'{self.name} {word} {joined}, column "{self._heading(col)}"'

    def _heading(self, col: int) -> str:
        return _text(self.header[col]) if col < len(self.header) else ""
