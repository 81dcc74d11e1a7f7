"""Turn a tally file into ``Table``s of raw cells: an .xlsx workbook's chosen sheets (measured
first by ``xlsx.py``) or a CSV file (its encoding and separator told from its bytes).

Rows are produced lazily and bounded: ``read.grid`` consumes them one at a time.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError, KreportWarning, Problem
from .cells import CellError
from .table import MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS, Table


def read_workbook(
    path: Path, sheets: Sequence[str], explicit: Mapping[str, str] | None = None
) -> dict[str, Table]:
    """The sheets ``sheets`` of an .xlsx file that exist, by name after trimming and folding case.

    The workbook is measured before it is read (``tally/xlsx.py``): a far-corner cell or a zip
    bomb is refused at once. ``explicit`` maps one of ``sheets`` to the sheet the user named for
    it; only such a sheet may be hidden. Error values and formulas without a saved result come
    back as ``CellError``s, never as empty cells.
    """
    from python_calamine import CalamineError, CalamineWorkbook

    from .xlsx import Workbook

    data = _read_file(path)
    chosen = Workbook(data, str(path)).select(sheets, explicit)
    release_memory()  # the sheets' XML, measured
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        out: dict[str, Table] = {}
        for wanted, (sheet, extent) in chosen.items():
            rows = _sheet_rows(book, sheet.name, path)
            if extent.errors:
                rows = _with_errors(rows, extent.errors)
            out[wanted] = _table(sheet.name, str(path), rows, True, sheet.hidden)
            if sheet.hidden:
                warnings.warn(
                    KreportWarning(
                        f'{path}: the {wanted} are read from the hidden sheet "{sheet.name}", '
                        "as the briefing TOML names it"
                    ),
                    stacklevel=2,
                )
        return out
    except (CalamineError, OSError, ValueError) as exc:
        raise _unreadable(path, exc) from None


def _with_errors(
    rows: Iterator[list[Any]], errors: Mapping[tuple[int, int], CellError]
) -> Iterator[list[Any]]:
    """``rows`` with the cells the reader blanked holding their ``CellError``s again."""
    by_row: dict[int, list[tuple[int, CellError]]] = {}
    for (r, c), error in errors.items():
        by_row.setdefault(r, []).append((c, error))
    last = max(by_row)

    def mend(row: list[Any], r: int) -> list[Any]:
        row = list(row)
        for c, error in by_row.get(r, ()):
            row.extend([""] * (c + 1 - len(row)))
            row[c] = error
        return row

    seen = 0
    for r, row in enumerate(rows):
        yield mend(row, r) if r in by_row else row
        seen = r + 1
    for r in range(seen, last + 1):  # a formula with no result is no cell to the reader
        yield mend([], r)


def _sheet_rows(book: Any, name: str, path: Path) -> Iterator[list[Any]]:
    """The rows of sheet ``name``, loaded when the first is asked for: python-calamine holds a
    whole sheet's cells, so one sheet at a time, given back to the system once read."""
    from python_calamine import CalamineError

    try:
        sheet = book.get_sheet_by_name(name)
        # iter_rows starts at row 1 but at the first used column: pad to column A, so that a
        # cell is named where the user sees it
        pad = [""] * (sheet.start[1] if sheet.start else 0)
        if pad:
            for row in sheet.iter_rows():
                yield pad + row
        else:
            yield from sheet.iter_rows()
    except (CalamineError, OSError, ValueError) as exc:
        raise _unreadable(path, exc) from None
    del sheet
    release_memory()


def release_memory() -> None:
    """Hand the memory freed so far back to the system (glibc keeps it for the process, and a
    sheet's cells are tens of MB): the page built next starts from what it needs."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        ctypes.CDLL(None).malloc_trim(0)


def _unreadable(path: Path, exc: BaseException) -> InputError:
    return InputError(str(path), [Problem("", f"cannot read the workbook: {_one_line(exc)}")])


def sheet_names(path: Path) -> list[str]:
    from .xlsx import Workbook

    return [s.name for s in Workbook(_read_file(path), str(path)).sheets]


def read_csv(path: Path, name: str) -> Table:
    """A CSV file as one table called ``name``, its rows read as they are needed (``csvfile``):
    UTF-8 (a BOM allowed), UTF-16 with a BOM, or GB18030 (Chinese Excel's "CSV"); comma-,
    semicolon- or tab-separated, told by the header."""
    from . import csvfile

    return _table(name, str(path), csvfile.rows(path, csvfile.sniff(path)), False)


def _read_file(path: Path) -> bytes:
    """The file's bytes, read only if it is a regular file, and never past the size limit."""
    from ..source.load import read_bounded

    data = read_bounded(path, MAX_FILE_BYTES)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(
            str(path), [Problem("", f"file is larger than the {MAX_FILE_BYTES >> 20} MiB limit")]
        )
    return data


def _table(
    name: str, source: str, rows: Iterable[Sequence[Any]], workbook: bool, hidden: bool = False
) -> Table:
    # a workbook's sheet was measured (xlsx.py): its rows and columns are within the limits
    table = Table(
        name, source, iter(rows) if workbook else _bounded(rows, source), workbook, hidden
    )
    if not workbook:  # a CSV file's header is read (its encoding, its columns checked) at once
        _ = table.header
    return table


def _bounded(rows: Iterable[Sequence[Any]], source: str) -> Iterator[Sequence[Any]]:
    """``rows``, refused with an ``InputError`` as soon as there are too many or too wide."""
    for count, row in enumerate(rows, start=1):
        if count > MAX_ROWS:
            raise InputError(source, [Problem("", f"more than {MAX_ROWS} rows")])
        if len(row) > MAX_COLUMNS:
            raise InputError(source, [Problem("", f"more than {MAX_COLUMNS} columns")])
        yield row


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
