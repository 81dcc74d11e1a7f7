"""The tally grid as first written (a list of every cell, checked cell by cell): the oracle that
the streaming reader in kreport.tally.read must match, problem for problem, on any table.

``grid`` returns what a ``Grid`` holds, as plain values: (indicator headers, {(region, month):
(row, numbers, bad positions)}, structure problems, unread rows, broken, cell problems, each
region's first region cell)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from kreport.tally.cells import _EUROPEAN, _GROUPED, Month, _column_letters, _show, parse_month
from kreport.tally.read import MAX_PROBLEMS, MONTH_HEADER, REGION_HEADER

Cells = Sequence[Sequence[Any]]


def where(rows: Cells, name: str, workbook: bool, row: int, col: int) -> str:
    if workbook:
        return f"{name}!{_column_letters(col)}{row + 1}"
    header = _text(rows[0][col]) if rows and col < len(rows[0]) else ""
    return f'{name} row {row + 1}, column "{header}"'


def grid(rows: Cells, name: str, workbook: bool, *, whole_numbers: bool = False) -> Any:
    problems: list[tuple[str, str]] = []
    dropped = 0

    def add(path: str, message: str) -> None:
        nonlocal dropped
        if len(problems) < MAX_PROBLEMS:
            problems.append((path, message))
        else:
            dropped += 1

    def all_problems() -> list[tuple[str, str]]:
        return problems + ([("", f"... and {dropped} more problems")] if dropped else [])

    while rows and all(_cell(rows[-1], i) is None for i in range(len(rows[-1]))):
        rows = rows[:-1]
    header = [_text(c) for c in rows[0]] if rows else []
    lowered = [h.lower() for h in header]
    if MONTH_HEADER not in lowered:
        add(name, f'no "{MONTH_HEADER}" column in the header row (row 1)')
        return (), {}, all_problems(), (), True, [], {}
    month_col = lowered.index(MONTH_HEADER)
    region_col = lowered.index(REGION_HEADER) if REGION_HEADER in lowered else None
    columns: list[int] = []
    seen: dict[str, int] = {}
    for i, h in enumerate(header):
        if i in (month_col, region_col):
            continue
        if not h:
            if any(_cell(r, i) is not None for r in rows[1:]):
                add(where(rows, name, workbook, 0, i), "this column has figures but no header")
            continue
        if h.lower() in seen:
            add(
                where(rows, name, workbook, 0, i),
                f'"{h}" is also the header of column {_column_letters(seen[h.lower()])}',
            )
            continue
        seen[h.lower()] = i
        columns.append(i)
    if not columns:
        add(name, "no indicator columns besides month and region")
    out: dict[tuple[str | None, Month], tuple[int, tuple[Any, ...], frozenset[int]]] = {}
    unread: list[int] = []
    cell_problems: dict[int, list[tuple[str, str]]] = {}
    for r, cells in enumerate(rows[1:], start=1):
        values = [_cell(cells, i) for i in columns]
        if all(v is None for v in values):
            continue
        month = parse_month(_cell(cells, month_col))
        if month is None:
            add(
                where(rows, name, workbook, r, month_col),
                f"expected a month such as 2023-04 or a date, got {_show(_cell(cells, month_col))}",
            )
            unread.append(r)
            continue
        region = None
        if region_col is not None:
            region = _region(_cell(cells, region_col))
            if region is None:
                add(where(rows, name, workbook, r, region_col), "the region is empty")
                unread.append(r)
                continue
        numbers, bad, found = [], [], []
        for k, (v, i) in enumerate(zip(values, columns, strict=True)):
            number, message = _number(v, whole_numbers)
            if message:
                bad.append(k)
                found.append((where(rows, name, workbook, r, i), message))
            numbers.append(number)
        key = (region, month)
        if key in out:
            what = f"{month}" + (f" for {region}" if region is not None else "")
            add(
                where(rows, name, workbook, r, month_col),
                f"duplicate row: {what} is also on row {out[key][0] + 1}",
            )
            continue
        out[key] = (r, tuple(numbers), frozenset(bad))
        cell_problems[r] = found
    cells_found = [p for r in sorted(cell_problems) for p in cell_problems[r]]
    names = tuple(header[i] for i in columns)
    firsts = {}
    for (region, _), (r, _, _) in out.items():
        if region is not None and region_col is not None:
            firsts[region] = min(firsts.get(region, r), r)
    cells = {region: where(rows, name, workbook, r, region_col) for region, r in firsts.items()}
    return names, out, all_problems(), tuple(unread), not columns, cells_found, cells


def _number(value: Any, whole: bool) -> tuple[Any, str | None]:
    if value is None:
        return None, None
    number: Any = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        # issue 10: only the digits 0-9, and "1.234" (a thousand in much of Europe) refused
        if not text.isascii() and any(c.isdigit() for c in text):
            return None, f"expected a number written with the digits 0-9, got {_show(value)}"
        if _EUROPEAN.match(text):
            joined = text.replace(".", "")
            return None, (
                f"{_show(value)} could be {joined} (with a dot between thousands, as in much of "
                f"Europe) or {text}; write {joined} for the whole number, without separators"
            )
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
        return None, f"expected a number, got {_show(value)}"
    if number < 0:
        return None, f"must not be negative, got {number:g}"
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    if whole and not isinstance(number, int):
        return None, f"expected a whole number of cases, got {number:g}"
    return number, None


def _region(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split()) or None


def _cell(cells: Sequence[Any], i: int) -> Any:
    if i >= len(cells):
        return None
    value = cells[i]
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())
