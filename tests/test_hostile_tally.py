"""Hostile tallies (issue 10): workbooks measured before they are read, error cells reported,
sheets matched without guessing, CSV files in the encodings and separators people save.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from helpers import run

MONTHS = [f"{y}-{m:02d}" for y in (2022, 2023) for m in range(1, 13)]
NS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _rows(reports: dict[str, Any] | None = None) -> list[list[Any]]:
    """A whole tally: 2022 and 2023, one indicator; ``reports`` overrides months' cells."""
    rows: list[list[Any]] = [["month", "Reports"]]
    for i, month in enumerate(MONTHS):
        rows.append([month, (reports or {}).get(month, 10 + i)])
    return rows


def _workbook(
    path: Path,
    sheets: dict[str, Sequence[Sequence[Any]]],
    hidden: Sequence[str] = (),
    formulas: dict[tuple[str, int, int], tuple[str, Any]] | None = None,
) -> Path:
    """An .xlsx written by XlsxWriter; ``formulas`` puts (formula, saved result) in cells."""
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if (name, r, c) in (formulas or {}):
                    formula, result = (formulas or {})[(name, r, c)]
                    sheet.write_formula(r, c, formula, None, result)
                elif value is not None:
                    sheet.write(r, c, value)
        if name in hidden:
            sheet.hide()
    book.close()
    return path


def _with_sheet_xml(path: Path, body: bytes) -> Path:
    """A workbook whose first sheet, "metrics", holds exactly ``body`` as its sheetData."""
    _workbook(path, {"metrics": [["month"]]})
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    xml = b'<?xml version="1.0"?>' + NS + b"<sheetData>" + body + b"</sheetData></worksheet>"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            member = info.filename
            z.writestr(member, xml if member == "xl/worksheets/sheet1.xml" else src.read(member))
    path.write_bytes(out.getvalue())
    return path


HEADER = b'<row r="1"><c r="A1" t="inlineStr"><is><t>month</t></is></c></row>'

# Reads the workbook in a fresh process and reports its own peak memory and the error: the
# defects were a 549 GB allocation (abort) and 0.9-4.4 GB before any error.
MEASURE = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from kreport.errors import InputError
    from kreport.tally.files import read_workbook
    try:
        read_workbook(Path(sys.argv[1]), ["metrics", "fraud_types"])
        error = None
    except InputError as exc:
        error = str(exc)
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent through fork and exec
    status = Path("/proc/self/status").read_text()
    peak = int(status.split("VmHWM:")[1].split()[0]) // 1024
    print(json.dumps({"error": error, "peak_mb": peak}))
    """
)


def _measure(path: Path) -> dict[str, Any]:
    if not Path("/proc/self/status").exists():
        pytest.skip("peak memory is read from /proc (Linux)")
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, Any] = json.loads(done.stdout)
    return result


# -- 3 and 4: measured before loading ------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        (b"XFD1048576", "metrics!XFD1048576: row 1048576 is past the 100,000 rows"),
        (b"T1048576", "metrics!T1048576: row 1048576 is past the 100,000 rows"),
        (b"ZZ2", "metrics!ZZ2: column ZZ is past the 200 columns"),
        (b"GR99999", "metrics: its used range A1:GR99999 has 19,999,800 cells, more than"),
    ],
)
def test_a_far_cell_is_refused_before_anything_is_allocated(
    tmp_path: Path, ref: bytes, message: str
) -> None:
    row = ref.lstrip(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    body = HEADER + b'<row r="' + row + b'"><c r="' + ref + b'"><v>1</v></c></row>'
    path = _with_sheet_xml(tmp_path / "far.xlsx", body)
    assert path.stat().st_size < 10_000
    found = _measure(path)
    assert found["error"] is not None and message in found["error"]
    assert found["peak_mb"] < 200
    for command in ("build", "validate"):
        result = run(command, str(path))
        assert result.exit_code == 1
        assert message in result.stderr
        assert result.stderr.count("error:") == 1


def test_a_far_cell_without_references_is_found_too(tmp_path: Path) -> None:
    # cells placed by position alone: the 201st cell of a row is column GS
    body = HEADER + b"<row>" + b"<c><v>1</v></c>" * 201 + b"</row>"
    path = _with_sheet_xml(tmp_path / "wide.xlsx", body)
    assert "metrics!GS2: column GS is past the 200 columns" in _measure(path)["error"]


def test_more_rows_than_the_limit_are_refused(tmp_path: Path) -> None:
    body = HEADER + b"".join(
        b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(2, 100_002)
    )
    path = _with_sheet_xml(tmp_path / "rows.xlsx", body)
    found = _measure(path)
    assert "metrics!A100001: row 100001 is past the 100,000 rows" in found["error"]
    assert found["peak_mb"] < 200


def test_formatting_far_away_is_not_a_cell(tmp_path: Path) -> None:
    """A styled but empty cell (``<c r=".." s="1"/>``) holds nothing, so it is not refused."""
    body = b'<row r="1"><c r="A1" t="inlineStr"><is><t>month</t></is></c>'
    body += b'<c r="B1" t="inlineStr"><is><t>Reports</t></is></c></row>'
    for i, month in enumerate(MONTHS, start=2):
        body += b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c>' % (
            i,
            i,
            month.encode(),
        )
        body += b'<c r="B%d"><v>%d</v></c></row>' % (i, i)
    body += b'<row r="1048576"><c r="XFD1048576" s="1"/></row>'
    path = _with_sheet_xml(tmp_path / "styled.xlsx", body)
    result = run("validate", str(path), "--period", "2023-01..2023-03")
    assert result.exit_code == 0, result.stderr


def test_a_zip_bomb_is_refused_from_its_directory(tmp_path: Path) -> None:
    one = b"<row><c><v>1</v></c></row>"
    path = _with_sheet_xml(tmp_path / "bomb.xlsx", HEADER + one * (300 * 2**20 // len(one)))
    assert path.stat().st_size < 2_000_000
    found = _measure(path)
    assert found["error"].endswith(
        "unpacks to 300 MiB of XML, more than the 64 MiB a tally workbook may"
    )
    assert found["peak_mb"] < 200


def test_a_zip_that_lies_about_its_sizes_is_refused(tmp_path: Path) -> None:
    one = b"<row><c><v>1</v></c></row>"
    path = _with_sheet_xml(tmp_path / "liar.xlsx", HEADER + one * (300 * 2**20 // len(one)))
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    at = data.find(b"PK\x01\x02")
    while at != -1:  # declare 1,000 bytes in the central directory and the local header
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name:
            struct.pack_into("<I", data, at + 24, 1000)
            struct.pack_into("<I", data, struct.unpack_from("<I", data, at + 42)[0] + 22, 1000)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    found = _measure(path)
    assert "is damaged" in found["error"] and "xl/worksheets/sheet1.xml" in found["error"]
    assert found["peak_mb"] < 200


def test_not_a_zip_is_a_clean_error(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_text("month,Reports\n2023-01,5\n", encoding="utf-8")
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {path}: is not an .xlsx workbook (not a zip file); save it from Excel or "
        'LibreOffice as "Excel Workbook (.xlsx)"\n'
    )


# -- 8. error values and formulas without a saved result ----------------------------------------


@pytest.mark.parametrize(
    ("month", "result", "shown"),
    [
        ("2023-02", "#DIV/0!", "holds the error #DIV/0!; correct the formula or type the figure"),
        ("2022-02", "#N/A", "holds the error #N/A; correct the formula or type the figure"),
        ("2022-03", "#VALUE!", "holds the error #VALUE!"),
        (
            "2023-03",
            "",
            "holds a formula with no saved result; open and save the workbook in Excel or "
            "LibreOffice so it is calculated",
        ),
        ("2022-01", "", "holds a formula with no saved result"),
    ],
)
def test_error_cells_are_errors_naming_the_cell_in_period_and_baseline(
    tmp_path: Path, month: str, result: str, shown: str
) -> None:
    row = MONTHS.index(month) + 1
    path = _workbook(
        tmp_path / "t.xlsx",
        {"metrics": _rows()},
        formulas={("metrics", row, 1): ("=1/0", result)},
    )
    out = run("build", str(path), "--period", "2023-01..2023-03", "-o", str(tmp_path / "x.pdf"))
    assert out.exit_code == 1, out.stdout
    assert f"error: {path}: metrics!B{row + 1}: {shown}" in out.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_a_formula_with_a_saved_result_is_read(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "t.xlsx", {"metrics": _rows()}, formulas={("metrics", 14, 1): ("=2+3", 5)}
    )
    result = run("validate", str(path), "--period", "2023-01..2023-03")
    assert result.exit_code == 0, result.stderr


# -- 9. sheet names ------------------------------------------------------------------------------


def test_sheets_differing_in_case_or_spaces_are_ambiguous(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "t.xlsx", {"metrics": _rows(), "METRICS ": _rows()})
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        f'error: {path}: the sheets "metrics" and "METRICS " all match "metrics" (case and '
        "spaces are ignored); rename all but one\n"
    )


def test_a_sheet_name_is_matched_after_trimming_and_folding_case(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "t.xlsx", {" Metrics ": _rows()})
    assert run("validate", str(path)).exit_code == 0


def test_a_hidden_sheet_is_not_used_unless_named(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "t.xlsx", {"x": [["a"]], "metrics": _rows()}, hidden=["metrics"])
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert 'the sheet "metrics" is hidden, so it is not used' in result.stderr


def test_a_hidden_sheet_beside_a_visible_one_is_ignored(tmp_path: Path) -> None:
    bad = _rows({"2023-01": "lots"})
    path = _workbook(tmp_path / "t.xlsx", {"metrics ": _rows(), "Metrics": bad}, hidden=["Metrics"])
    result = run("validate", str(path), "--period", "2023-01")
    assert result.exit_code == 0, result.stderr


# -- 14. special files as tallies ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["t.csv", "t.xlsx"])
def test_a_tally_linked_to_a_device_or_a_fifo_is_refused_without_reading(
    tmp_path: Path, name: str
) -> None:
    os.symlink("/dev/zero", tmp_path / name)
    result = run("validate", str(tmp_path / name))
    assert result.exit_code == 1
    assert "is a character device, not a regular file; it is not read" in result.stderr
    os.unlink(tmp_path / name)
    os.mkfifo(tmp_path / name)
    done = subprocess.run(
        [sys.executable, "-m", "kreport.cli", "validate", name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "is a FIFO (named pipe), not a regular file" in done.stderr


# -- 19. CSV encodings, separators and digits ----------------------------------------------------


def _csv_text(rows: Sequence[Sequence[Any]], sep: str = ",") -> str:
    return "".join(sep.join(str(c) for c in row) + "\r\n" for row in rows)


CHINESE = [["month", "报案数", "破案数"]] + [[m, 10 + i, i] for i, m in enumerate(MONTHS)]


@pytest.mark.parametrize(
    ("encoding", "sep"),
    [
        ("utf-8-sig", ","),
        ("utf-16", ","),  # with a BOM, as Excel's "Unicode text"
        ("gb18030", ","),  # Chinese Excel's "CSV"
        ("utf-8", ";"),  # European Excel
        ("utf-8", "\t"),
        ("gb18030", "\t"),
    ],
)
def test_csv_encodings_and_separators_people_save_are_read(
    tmp_path: Path, encoding: str, sep: str
) -> None:
    import kreport

    plain = tmp_path / "plain" / "tally.csv"
    plain.parent.mkdir()
    plain.write_text(_csv_text(CHINESE), encoding="utf-8")
    other = tmp_path / "other" / "tally.csv"
    other.parent.mkdir()
    other.write_bytes(_csv_text(CHINESE, sep).encode(encoding))
    expected = kreport.build_bytes(plain, period="2023-01..2023-03")
    assert kreport.build_bytes(other, period="2023-01..2023-03") == expected


def test_a_csv_in_another_encoding_names_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(_csv_text([["month", "Région"], ["2023-01", 5]]).encode("cp1252"))
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {path}: not UTF-8 text (invalid byte 0xE9 at offset 7); save it as "
        '"CSV UTF-8" (Excel: File > Save As > CSV UTF-8; LibreOffice: character set Unicode '
        "(UTF-8))\n"
    )


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("１２", 'expected a number written with the digits 0-9, got "１２"'),
        ("١٢", 'expected a number written with the digits 0-9, got "١٢"'),
        (
            "1.234",
            '"1.234" could be 1234 (with a dot between thousands, as in much of Europe) or '
            "1.234; write 1234 for the whole number, without separators",
        ),
    ],
)
def test_digits_other_than_ascii_and_dotted_thousands_are_refused(
    tmp_path: Path, cell: str, message: str
) -> None:
    path = tmp_path / "t.csv"
    path.write_text(_csv_text(_rows({"2023-02": cell})), encoding="utf-8")
    result = run("validate", str(path), "--period", "2023-01..2023-03")
    assert result.exit_code == 1
    assert result.stderr == f'error: {path}: metrics row 15, column "Reports": {message}\n'


# -- 18. a line break inside a cell --------------------------------------------------------------


def test_a_line_break_in_a_cell_gives_one_error_line(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    rows = _rows({"2023-02": "lots\nand\r\nlots", "2023-03": "x\u2028y"})
    buf = io.StringIO()
    import csv

    csv.writer(buf).writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    result = run("validate", str(path), "--period", "2023-01..2023-03")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines == [
        f'error: {path}: metrics row 15, column "Reports": expected a number, got '
        '"lots\\nand\\r\\nlots"',
        f'error: {path}: metrics row 16, column "Reports": expected a number, got "x\\u2028y"',
    ]


def test_a_hidden_sheet_named_in_the_toml_is_used_and_the_command_says_so(tmp_path: Path) -> None:
    _workbook(tmp_path / "t.xlsx", {"x": [["a"]], "Monthly": _rows()}, hidden=["Monthly"])
    (tmp_path / "t.toml").write_text(
        'tally = "t.xlsx"\nsheets = { metrics = "monthly" }\n', encoding="utf-8"
    )
    result = run("validate", str(tmp_path / "t.toml"), "--period", "2023-01..2023-03")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        f'note: {tmp_path / "t.xlsx"}: the metrics are read from the hidden sheet "Monthly", '
        "as the briefing TOML names it\n"
    )
    (tmp_path / "t.toml").write_text(
        'tally = "t.xlsx"\nsheets = { metrics = "Weekly" }\n', encoding="utf-8"
    )
    result = run("validate", str(tmp_path / "t.toml"))
    assert result.exit_code == 1
    assert f'error: {tmp_path / "t.xlsx"}: sheets.metrics: has no sheet named "Weekly"' in (
        result.stderr
    )


# -- 11. a tally TOML reads only files in its own folder ------------------------------------------


SECRET = [["month", "SECRET-HEADER"], ["2023-01", "SECRET-CELL"]]


@pytest.mark.parametrize(
    ("tally", "why"),
    [
        ("{outside}/secret.csv", "is an absolute path"),
        ("../outside/secret.csv", "goes up with .."),
        ("link.csv", "leads out of it through a symbolic link"),
        ("sub/../../outside/secret.csv", "goes up with .."),
    ],
)
def test_a_tally_toml_reads_only_files_in_its_folder(tmp_path: Path, tally: str, why: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.csv").write_text(_csv_text(SECRET), encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    os.symlink(outside / "secret.csv", home / "link.csv")
    name = tally.format(outside=outside)
    (home / "t.toml").write_text(f'tally = "{name}"\n', encoding="utf-8")
    for command in ("validate", "build"):
        result = run(command, str(home / "t.toml"))
        assert result.exit_code == 1
        assert (
            f"error: {home / 't.toml'}: tally: must name a file in the briefing TOML's folder "
            f"or below; {name!r} {why}" in result.stderr
        )
        assert "SECRET" not in result.stderr + result.stdout
    pair = f'tally = {{ metrics = "ok.csv", fraud_types = "{name}" }}\n'
    (home / "ok.csv").write_text(_csv_text(_rows()), encoding="utf-8")
    (home / "t.toml").write_text(pair, encoding="utf-8")
    result = run("validate", str(home / "t.toml"))
    assert result.exit_code == 1
    assert "tally.fraud_types: must name a file in the briefing TOML's folder" in result.stderr
    assert "SECRET" not in result.stderr


def test_a_tally_in_a_subfolder_is_fine(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "t.csv").write_text(_csv_text(_rows()), encoding="utf-8")
    (tmp_path / "t.toml").write_text('tally = "data/t.csv"\n', encoding="utf-8")
    result = run("validate", str(tmp_path / "t.toml"), "--period", "2023-01..2023-03")
    assert result.exit_code == 0, result.stderr


def test_separators_inside_quoted_headers_do_not_count(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    rows = [["month", '"Reports; all; kinds"']] + [[m, 10 + i] for i, m in enumerate(MONTHS)]
    path.write_text(_csv_text(rows), encoding="utf-8")
    result = run("validate", str(path), "--period", "2023-01..2023-03")
    assert result.exit_code == 0, result.stderr
