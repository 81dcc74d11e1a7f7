"""Hostile inputs (issue 10): special files are refused without blocking or reading forever."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import kreport
from helpers import GOOD, run

KARAMAY = kreport.example_path("karamay")


def _kreport(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The real command in a subprocess: a FIFO that blocks it fails the test by timing out."""
    return subprocess.run(
        [sys.executable, "-m", "kreport.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# -- 14. FIFOs and devices as inputs ------------------------------------------------------------


@pytest.mark.parametrize("name", ["in.toml", "in.yaml", "in.json"])
def test_a_fifo_data_file_is_refused_without_blocking(tmp_path: Path, name: str) -> None:
    os.mkfifo(tmp_path / name)
    done = _kreport("build", name, cwd=tmp_path)
    assert done.returncode == 1
    assert (
        done.stderr
        == f"error: {name}: is a FIFO (named pipe), not a regular file; it is not read\n"
    )
    done = _kreport("validate", name, cwd=tmp_path)
    assert done.returncode == 1


def test_a_fifo_in_a_batch_fails_alone(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    os.mkfifo(tmp_path / "in" / "a.toml")
    (tmp_path / "in" / "b.toml").write_bytes(KARAMAY.read_bytes())
    done = _kreport("build", "in/a.toml", "in/b.toml", "-o", "out", cwd=tmp_path)
    assert done.returncode == 1
    assert "error: in/a.toml: is a FIFO (named pipe), not a regular file" in done.stderr
    assert "1 built, 1 failed, of 2" in done.stderr
    assert (tmp_path / "out" / "b.pdf").exists()
    # A folder stands for its regular data files: the FIFO is not one of them.
    done = _kreport("build", "in", "-o", "out2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "out2").iterdir()) == ["b.pdf"]


def test_a_data_file_linked_to_a_device_is_refused(in_tmp: Path) -> None:
    os.symlink(os.devnull, "null.toml")
    os.symlink("/dev/zero", "zero.yaml")
    for name in ("null.toml", "zero.yaml"):
        result = run("validate", name)
        assert result.exit_code == 1
        assert result.stderr == (
            f"error: {name}: is a character device, not a regular file; it is not read\n"
        )


# -- 12. right-to-left text is refused by name ---------------------------------------------------


def test_right_to_left_text_is_refused_by_name(in_tmp: Path) -> None:
    text = GOOD.replace('title = "Weekly briefing"', 'title = "احتيال Weekly briefing"')
    Path("rtl.toml").write_text('highlights = ["דיווחים על הונאה"]\n' + text, encoding="utf-8")
    result = run("validate", "rtl.toml")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: rtl.toml: title: is written right to left (Arabic 'ا', U+0627); kreport sets "
        "pages left to right only, so it would print backwards",
        "error: rtl.toml: highlights[0]: is written right to left (Hebrew 'ד', U+05D3); kreport "
        "sets pages left to right only, so it would print backwards",
    ]
    assert run("build", "rtl.toml", "-o", "rtl.pdf").exit_code == 1
    assert not Path("rtl.pdf").exists()


# -- 18. a line break in a value is reported on one line -----------------------------------------


def test_a_line_break_in_a_data_value_gives_one_error_line(in_tmp: Path) -> None:
    Path("nl.yaml").write_text(
        'title: "Weekly"\nagency: "Police"\nperiod: "Week 1"\n'
        'metrics:\n  - label: "Reports"\n    value: "twelve\\nor so"\n'
        '"odd\\nkey": 1\n',
        encoding="utf-8",
    )
    result = run("validate", "nl.yaml")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2, lines
    assert all(line.startswith("error: nl.yaml: ") for line in lines)
    assert any("metrics[0].value: expected a number" in line and "\\n" in line for line in lines)
