"""Hostile outputs (issue 10): a PDF never replaces an input of its run or a special file, keeps
private modes, survives long names, and ``-o -`` writes to standard output.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import kreport
from helpers import ASSETS, run
from kreport.cli import main
from kreport.errors import OutputError
from pdfread import read_pdf

KARAMAY = kreport.example_path("karamay")


def _copy_tally(folder: Path) -> None:
    for name in ("example-tally.toml", "example-tally.xlsx"):
        shutil.copy(ASSETS / name, folder / name)
    for name in ("example-tally-metrics.csv", "example-tally-fraud_types.csv"):
        shutil.copy(ASSETS / name, folder / name)


# -- 1. the output is never an input of the run --------------------------------------------------


def test_build_refuses_to_write_over_its_own_data_file(in_tmp: Path) -> None:
    shutil.copy(KARAMAY, "b.toml")
    before = Path("b.toml").read_bytes()
    result = run("build", "b.toml", "-o", "b.toml")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: b.toml: cannot write: it is the input b.toml, which the output would replace; "
        "choose another output\n"
    )
    assert Path("b.toml").read_bytes() == before
    assert [p.name for p in in_tmp.iterdir()] == ["b.toml"]  # no temporary file either


@pytest.mark.parametrize("output", ["example-tally.xlsx", "example-tally-metrics.csv"])
def test_build_refuses_to_write_over_a_tally_its_toml_names(in_tmp: Path, output: str) -> None:
    _copy_tally(in_tmp)
    tally = "example-tally.toml"
    if output.endswith(".csv"):  # the same TOML naming its CSV pair instead of the workbook
        text = (
            Path(tally)
            .read_text(encoding="utf-8")
            .replace(
                'tally = "example-tally.xlsx"',
                'tally = { metrics = "example-tally-metrics.csv", '
                'fraud_types = "example-tally-fraud_types.csv" }',
            )
        )
        Path(tally).write_text(text, encoding="utf-8")
    before = Path(output).read_bytes()
    result = run("build", tally, "-o", output)
    assert result.exit_code == 1
    assert f"error: {output}: cannot write: it is the input {output}, which" in result.stderr
    assert Path(output).read_bytes() == before


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_build_refuses_to_write_over_a_bare_tally(in_tmp: Path, suffix: str) -> None:
    _copy_tally(in_tmp)
    name = "example-tally.xlsx" if suffix == ".xlsx" else "example-tally-metrics.csv"
    before = Path(name).read_bytes()
    result = run("build", name, "--period", "2023-01..2023-04", "-o", name)
    assert result.exit_code == 1
    assert "which the output would replace" in result.stderr
    assert Path(name).read_bytes() == before


def test_a_symlink_or_hard_link_to_the_input_is_the_input(in_tmp: Path) -> None:
    shutil.copy(KARAMAY, "b.toml")
    before = Path("b.toml").read_bytes()
    os.symlink("b.toml", "soft.pdf")
    os.link("b.toml", "hard.pdf")
    for output in ("soft.pdf", "hard.pdf"):
        result = run("build", "b.toml", "-o", output)
        assert result.exit_code == 1
        assert f"error: {output}: cannot write: it is the input b.toml" in result.stderr
    assert Path("b.toml").read_bytes() == before
    assert Path("soft.pdf").is_symlink()


def test_library_build_refuses_its_input(tmp_path: Path) -> None:
    data = tmp_path / "b.toml"
    shutil.copy(KARAMAY, data)
    with pytest.raises(OutputError, match="it is the input"):
        kreport.build(data, data)
    with pytest.raises(OutputError, match="it is the input"):
        kreport.build(str(data), tmp_path / "." / "b.toml")
    assert data.read_bytes() == KARAMAY.read_bytes()


def test_batch_refuses_an_output_that_is_another_input_before_building(in_tmp: Path) -> None:
    Path("in").mkdir()
    for name in ("a", "b"):
        shutil.copy(KARAMAY, f"in/{name}.toml")
    Path("out").mkdir()
    os.link("in/b.toml", "out/a.pdf")  # a's PDF would land on b's data
    result = run("build", "in/a.toml", "in/b.toml", "-o", "out")
    assert result.exit_code == 1
    assert "error: out/a.pdf: cannot write: it is the input in/b.toml" in result.stderr
    assert Path("in/b.toml").read_bytes() == KARAMAY.read_bytes()
    assert sorted(p.name for p in Path("out").iterdir()) == ["a.pdf"]  # nothing built


def test_png_output_refuses_its_input_and_its_logo(in_tmp: Path) -> None:
    from PIL import Image

    Image.new("RGB", (40, 40), "navy").save("logo.png")
    logo = Path("logo.png").read_bytes()
    text = KARAMAY.read_text(encoding="utf-8")
    Path("b.toml").write_text('logo = "logo.png"\n' + text, encoding="utf-8")
    for args in (["-o", "logo.png"], ["-o", "b.toml", "-f", "png"]):
        result = run("build", "b.toml", *args)
        assert result.exit_code == 1, result.stderr
        assert "cannot write: it is the input" in result.stderr
    assert Path("logo.png").read_bytes() == logo
    Path("in").mkdir()
    Path("in/logo.png").write_bytes(logo)
    Path("in/logo.toml").write_text('logo = "logo.png"\n' + text, encoding="utf-8")
    result = run("build", "in", "-o", "in", "-f", "png")  # in/logo.png would be logo.toml's PNG
    assert result.exit_code == 1
    assert "error: in/logo.toml: in/logo.png: cannot write: it is the input in/logo.png" in (
        result.stderr
    )
    assert Path("in/logo.png").read_bytes() == logo


# -- 2. only regular files are written ----------------------------------------------------------


def _special_files(folder: Path) -> dict[str, str]:
    """name -> what the message calls it, for every special file this process can make."""
    made = {}
    os.mkfifo(folder / "fifo.pdf")
    made["fifo.pdf"] = "a FIFO (named pipe)"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock.pdf"))
    sock.close()
    made["sock.pdf"] = "a socket"
    if os.geteuid() == 0:  # a copy of /dev/null's device, so a failure cannot harm the real one
        os.mknod(folder / "null.pdf", stat.S_IFCHR | 0o666, os.makedev(1, 3))
        made["null.pdf"] = "a character device"
    return made


def test_build_never_replaces_a_fifo_socket_or_device(in_tmp: Path) -> None:
    for name, kind in _special_files(in_tmp).items():
        before = os.lstat(name)
        result = run("build", "-o", name)
        assert result.exit_code == 1, name
        assert result.stderr == f"error: {name}: cannot write: it is {kind}, not a regular file\n"
        after = os.lstat(name)
        assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    assert not list(in_tmp.glob(".*.tmp"))


def test_init_never_replaces_a_fifo(in_tmp: Path) -> None:
    os.mkfifo("t.toml")
    result = run("init", "t.toml", "--force")
    assert result.exit_code == 1
    assert (
        result.stderr
        == "error: t.toml: cannot write: it is a FIFO (named pipe), not a regular file\n"
    )
    assert stat.S_ISFIFO(os.lstat("t.toml").st_mode)


def test_a_symlink_to_a_device_is_refused_by_name(in_tmp: Path) -> None:
    os.symlink(os.devnull, "null.pdf")
    result = run("build", "-o", "null.pdf")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: null.pdf: cannot write: it links to {os.devnull}, which is a character "
        "device, not a regular file\n"
    )
    assert os.readlink("null.pdf") == os.devnull


def test_a_symlinked_output_is_written_through_and_stays_a_link(in_tmp: Path) -> None:
    Path("reports").mkdir()
    Path("reports/march.pdf").write_bytes(b"old")
    os.symlink("reports/march.pdf", "latest.pdf")
    result = run("build", "-o", "latest.pdf")
    assert result.exit_code == 0, result.stderr
    assert os.readlink("latest.pdf") == "reports/march.pdf"
    assert read_pdf(Path("reports/march.pdf").read_bytes()).pages == 1
    assert not list(Path("reports").glob(".*.tmp")) and not list(in_tmp.glob(".*.tmp"))


def test_a_dangling_symlink_output_is_refused(in_tmp: Path) -> None:
    os.symlink("nowhere/x.pdf", "latest.pdf")
    result = run("build", "-o", "latest.pdf")
    assert result.exit_code == 1
    assert "latest.pdf: cannot write: it is a symbolic link to" in result.stderr
    assert "which does not exist" in result.stderr
    assert not Path("nowhere").exists()


def test_a_folder_output_is_refused(in_tmp: Path) -> None:
    Path("x.pdf").mkdir()
    os.symlink("x.pdf", "y.pdf")
    assert run("build", "-o", "x.pdf").exit_code == 0  # an existing folder takes the PDF in it
    with pytest.raises(OutputError, match="it is a folder"):
        kreport.build(KARAMAY, "x.pdf")
    with pytest.raises(OutputError, match=r"it links to .*x\.pdf, which is a folder"):
        kreport.build(KARAMAY, "y.pdf")


# -- 7. modes: the umask for new files, the old mode for replaced ones ---------------------------

UMASK_BUILD = """
import os, sys
os.umask(0o077)
from kreport.cli import main
main(sys.argv[1:])
"""


def _kreport_under_umask_077(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", UMASK_BUILD, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_files_get_the_umask_and_replaced_files_keep_their_mode(tmp_path: Path) -> None:
    done = _kreport_under_umask_077("build", "-o", "new.pdf", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert _mode(tmp_path / "new.pdf") == 0o600  # RESTRICTED stays private under umask 077
    done = _kreport_under_umask_077("init", "t.toml", "--tally", "t.xlsx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert _mode(tmp_path / "t.toml") == 0o600
    assert _mode(tmp_path / "t.xlsx") == 0o600
    # A replaced file keeps the mode it had, wider or narrower than the umask would give.
    (tmp_path / "group.pdf").write_bytes(b"old")
    (tmp_path / "group.pdf").chmod(0o640)
    done = _kreport_under_umask_077("build", "-o", "group.pdf", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert _mode(tmp_path / "group.pdf") == 0o640
    assert read_pdf((tmp_path / "group.pdf").read_bytes()).pages == 1
    (tmp_path / "t.toml").chmod(0o604)
    done = _kreport_under_umask_077("init", "t.toml", "--force", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert _mode(tmp_path / "t.toml") == 0o604


def test_new_files_follow_a_permissive_umask_too(tmp_path: Path) -> None:
    old = os.umask(0o002)
    try:
        kreport.build(KARAMAY, tmp_path / "a.pdf")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "a.pdf") == 0o664


# -- 15. long names ------------------------------------------------------------------------------


def test_a_long_but_valid_output_name_is_written(in_tmp: Path) -> None:
    name = "b" * 240 + ".pdf"  # 244 bytes: valid, though the temporary name would not be
    result = run("build", "-o", name)
    assert result.exit_code == 0, result.stderr
    assert read_pdf(Path(name).read_bytes()).pages == 1
    assert [p.name for p in in_tmp.iterdir()] == [name]


def test_too_long_names_and_paths_are_clean_errors(in_tmp: Path) -> None:
    name = "c" * 300 + ".pdf"
    result = run("build", "-o", name)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {name}: cannot write: the file name is 304 bytes long; at most 255 fit\n"
    )
    deep = "/".join(["d" * 200] * 25) + "/x.pdf"  # over PATH_MAX (4096)
    result = run("build", "-o", deep)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {deep}: cannot write")
    assert "internal error" not in result.stderr
    for source in (name.replace(".pdf", ".toml"), deep.replace(".pdf", ".toml")):
        result = run("build", source)
        assert result.exit_code == 1
        assert result.stderr == f"error: {source}: cannot read file: File name too long\n"


# -- 19. -o - -----------------------------------------------------------------------------------


def test_dash_output_writes_the_pdf_to_stdout(in_tmp: Path) -> None:
    result = CliRunner().invoke(main, ["build", "-o", "-"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == kreport.build_bytes(KARAMAY)
    assert list(in_tmp.iterdir()) == []  # no file named "-"


def test_dash_output_is_a_usage_error_for_many_briefings(in_tmp: Path) -> None:
    shutil.copy(KARAMAY, "a.toml")
    shutil.copy(KARAMAY, "b.toml")
    result = run("build", "a.toml", "b.toml", "-o", "-")
    assert result.exit_code == 2
    assert "-o - (standard output) takes one briefing" in result.stderr
    assert not Path("-").exists()


def test_dash_output_refuses_a_terminal(in_tmp: Path) -> None:
    code = "from kreport.cli import main; main(['build', '-o', '-'])"
    controller, terminal = os.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-c", code], stdout=terminal, stderr=subprocess.PIPE, timeout=120
        )
        os.set_blocking(controller, False)
        try:
            shown = os.read(controller, 65536)
        except BlockingIOError:
            shown = b""
    finally:
        os.close(controller)
        os.close(terminal)
    assert done.returncode == 1
    assert b"which is a terminal; redirect it" in done.stderr
    assert b"%PDF" not in shown
