"""The ``kreport`` command: default outputs, options, listing, help, errors and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

import kreport
from helpers import GOOD, run
from kreport.cli import main
from pdfread import missing_from, read_pdf


def last_line(result: Result) -> str:
    return result.stdout.strip().splitlines()[-1]


def test_build_with_no_arguments_builds_karamay(in_tmp: Path) -> None:
    result = run("build")
    assert result.exit_code == 0, result.stderr
    assert last_line(result) == str(Path("out/karamay-2023-jan-apr.pdf"))
    f = read_pdf((in_tmp / "out/karamay-2023-jan-apr.pdf").read_bytes())
    assert f.pages == 1
    assert missing_from(f, ["Karamay Public Security Bureau", "171%"]) == []
    assert [p.name for p in (in_tmp / "out").iterdir()] == ["karamay-2023-jan-apr.pdf"]


def test_build_lang_zh(in_tmp: Path) -> None:
    result = run("build", "--lang", "zh")
    assert result.exit_code == 0, result.stderr
    assert last_line(result) == str(Path("out/karamay-2023-jan-apr-zh.pdf"))
    f = read_pdf((in_tmp / "out/karamay-2023-jan-apr-zh.pdf").read_bytes())
    assert f.lang == "zh-CN"
    assert missing_from(f, ["克拉玛依市公安局"]) == []


def test_build_file_to_output_path(in_tmp: Path) -> None:
    (in_tmp / "week.toml").write_text(GOOD, encoding="utf-8")
    result = run("build", "week.toml", "-o", "reports/2024/week-1.pdf")
    assert result.exit_code == 0, result.stderr
    assert last_line(result) == str(Path("reports/2024/week-1.pdf"))
    f = read_pdf((in_tmp / "reports/2024/week-1.pdf").read_bytes())
    assert missing_from(f, ["Weekly briefing", "Test Police", "Reports", "12"]) == []


def test_build_file_default_output(in_tmp: Path) -> None:
    (in_tmp / "week.toml").write_text(GOOD, encoding="utf-8")
    result = run("build", "week.toml")
    assert result.exit_code == 0, result.stderr
    assert (in_tmp / "out/week.pdf").is_file()


def test_build_example(in_tmp: Path) -> None:
    result = run("build", "--example", "singapore")
    assert result.exit_code == 0, result.stderr
    path = in_tmp / last_line(result)
    assert path.name.startswith("singapore") and path.suffix == ".pdf"
    assert missing_from(read_pdf(path.read_bytes()), ["Singapore Police Force"]) == []


def test_build_letter(in_tmp: Path) -> None:
    result = run("build", "--paper", "letter", "-o", "letter.pdf")
    assert result.exit_code == 0, result.stderr
    assert read_pdf((in_tmp / "letter.pdf").read_bytes()).page_size == pytest.approx(
        (612, 792), abs=0.01
    )


def test_cli_bytes_equal_library_bytes(in_tmp: Path) -> None:
    assert run("build", "-o", "k.pdf").exit_code == 0
    assert (in_tmp / "k.pdf").read_bytes() == kreport.build_bytes(kreport.example_path("karamay"))


def test_examples_lists_the_bundled_examples() -> None:
    result = run("examples")
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert {"karamay", "singapore", "jieyang"} <= set(names)


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert kreport.__version__ in result.stdout


@pytest.mark.parametrize("command", [None, *sorted(main.commands)])
def test_help_shows_an_example(command: str | None) -> None:
    args = [command, "--help"] if command else ["--help"]
    result = run(*args)
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert f"kreport {command or 'build'}" in result.stdout


def test_every_command_is_covered() -> None:
    """A new command should get a test here (and an Example in its help)."""
    assert {"build", "validate", "examples"} <= set(main.commands)
    assert all(isinstance(c, click.Command) for c in main.commands.values())


def test_bad_data_is_one_error_line_and_exit_1(in_tmp: Path) -> None:
    (in_tmp / "bad.toml").write_text(GOOD.replace("value = 12", 'value = "twelve"'))
    result = run("build", "bad.toml")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines, "no error message"
    assert lines[0].startswith("error: bad.toml: metrics[0].value: ")
    assert "twelve" in lines[0]
    assert "Traceback" not in result.stderr
    assert not (in_tmp / "out").exists()


def test_every_problem_is_reported(in_tmp: Path) -> None:
    bad = GOOD.replace("value = 12", "value = -3\nbetter = 'sideways'").replace(
        'title = "W', 'x = 1\ntitle = "W'
    )
    (in_tmp / "bad.toml").write_text(bad)
    result = run("build", "bad.toml")
    assert result.exit_code == 1
    paths = [line.split(": ")[2] for line in result.stderr.splitlines()]
    assert {"x", "metrics[0].value", "metrics[0].better"} <= set(paths)


def test_missing_file_exit_1(in_tmp: Path) -> None:
    result = run("build", "nope.toml")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "nope.toml" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_example_exit_1(in_tmp: Path) -> None:
    result = run("build", "--example", "atlantis")
    assert result.exit_code == 1
    assert "karamay" in result.stderr  # names the examples that do exist


@pytest.mark.parametrize(
    "args",
    [
        ["build", "--colour", "red"],
        ["build", "--lang", "fr"],
        ["build", "--paper", "a3"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(in_tmp: Path, args: list[str]) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "Usage:" in result.stderr
    assert not (in_tmp / "out").exists()


@pytest.mark.slow
def test_installed_command_smoke(tmp_path: Path) -> None:
    """A real process, as a user runs it: the PDF appears and its path is the last line."""
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path / "mpl")}
    run_ = subprocess.run(
        [sys.executable, "-m", "kreport.cli", "build", "--lang", "zh"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert run_.returncode == 0, run_.stderr
    assert run_.stdout.strip().splitlines()[-1] == str(Path("out/karamay-2023-jan-apr-zh.pdf"))
    assert read_pdf((tmp_path / "out/karamay-2023-jan-apr-zh.pdf").read_bytes()).pages == 1
    bad = subprocess.run(
        [sys.executable, "-m", "kreport.cli", "build", "--lang", "fr"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
