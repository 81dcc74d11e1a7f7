"""The PDF's metadata under hostile input (issue 10): SOURCE_DATE_EPOCH checked, every metadata
string valid PDFDocEncoding or UTF-16.
"""

from __future__ import annotations

import io
import tomllib
from pathlib import Path
from typing import Any

import pikepdf
import pytest

import kreport
from helpers import run

KARAMAY: dict[str, Any] = tomllib.loads(kreport.example_path("karamay").read_text("utf-8"))


# -- 16. SOURCE_DATE_EPOCH ----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1e9", "9" * 5000, "253402300800", "-5", "12.5", "１２"])
def test_a_bad_source_date_epoch_is_a_usage_error_naming_it(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = run("build", "-o", "x.pdf")
    assert result.exit_code == 2
    shown = value if len(value) <= 24 else f"{value[:21]}..."
    assert (
        "SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC, from 0 to 253402300799 "
        f"(9999-12-31); got {shown!r}"
    ) in result.stderr
    assert "internal error" not in result.stderr
    assert not (in_tmp / "x.pdf").exists()
    with pytest.raises(kreport.KreportError, match="SOURCE_DATE_EPOCH must be whole seconds"):
        kreport.build_bytes(KARAMAY)  # also for library use, with an `issued` date or not
    with pytest.raises(kreport.KreportError, match="SOURCE_DATE_EPOCH must be whole seconds"):
        kreport.build_many([("a", KARAMAY)], in_tmp / "many")
    assert not (in_tmp / "many").exists()


def test_the_last_second_a_pdf_date_can_hold_is_written_validly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")
    data = {k: v for k, v in KARAMAY.items() if k != "issued"}
    with pikepdf.open(io.BytesIO(kreport.build_bytes(data))) as pdf:
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:99991231235959")


# -- 17. metadata strings -----------------------------------------------------------------------

UNDEFINED_IN_PDFDOC = {0x7F, 0x9F, 0xAD} | set(range(0x00, 0x20)) - {0x09, 0x0A, 0x0D}


@pytest.mark.parametrize(
    "title",
    ["Fraud\u00adbriefing", "Caf\u00e9 \u2013 r\u00e9sum\u00e9", "A\u00a0B \u2019quoted\u2019"],
)
def test_metadata_strings_are_pdfdocencoding_or_utf16(title: str) -> None:
    data = {**KARAMAY, "title": title, "agency": title}
    with pikepdf.open(io.BytesIO(kreport.build_bytes(data))) as pdf:
        for key in ("/Title", "/Author", "/Subject", "/Creator", "/Producer"):
            raw = bytes(pdf.docinfo[key])
            if raw.startswith(b"\xfe\xff"):
                raw.decode("utf-16-be")  # whole UTF-16: strict decoding must succeed
            else:
                assert not set(raw) & UNDEFINED_IN_PDFDOC, (key, raw)
        assert str(pdf.docinfo["/Title"]) == kreport.parse(data).title
