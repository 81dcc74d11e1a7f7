"""``kreport watch``: a change rebuilds once, an error keeps watching, lock files are ignored.

The watcher runs in a thread with a short interval and is stopped through its event; the
tests wait for what they expect with a generous deadline (they measure no speed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import kreport
from kreport.deliver.watch import Rebuild, Watcher, builder, ignored
from pdfread import missing_from, read_pdf

ROOT = Path(__file__).parent.parent
INTERVAL = 0.05
DEADLINE = 30.0  # a loaded machine can take seconds for a build; the tests never need it all


def wait_for(condition: Callable[[], bool], what: str) -> None:
    end = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < end, f"timed out waiting for {what}"
        time.sleep(INTERVAL / 2)


def quiet_for(rounds: int = 8) -> None:
    """Let the watcher take several looks (nothing is expected to happen meanwhile)."""
    time.sleep(INTERVAL * rounds)


@contextmanager
def watching(source: Path, pdf: Path, png: Path | None = None) -> Iterator[list[Rebuild]]:
    builds: list[Rebuild] = []
    outputs = {pdf} | ({png} if png else set())
    watcher = Watcher(
        source, builder(source, pdf, png=png, ppi=36), outputs=outputs, interval=INTERVAL,
        on_build=builds.append,
    )  # fmt: skip
    stop = threading.Event()
    thread = threading.Thread(target=watcher.run, args=(stop,), daemon=True)
    thread.start()
    try:
        wait_for(lambda: len(builds) >= 1, "the first build")
        yield builds
    finally:
        stop.set()
        thread.join(DEADLINE)
    assert not thread.is_alive()


def edit(path: Path, old: str, new: str) -> None:
    """Save as an editor does: a new file renamed over the old one (another inode)."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text.replace(old, new), encoding="utf-8")
    os.replace(tmp, path)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "singapore.toml"
    path.parent.mkdir()
    shutil.copy(kreport.example_path("singapore"), path)
    return path


def test_a_change_triggers_one_rebuild(source: Path, tmp_path: Path) -> None:
    pdf, png = tmp_path / "out" / "s.pdf", tmp_path / "out" / "s.png"
    with watching(source, pdf, png) as builds:
        assert builds[0].error is None and builds[0].outputs == (pdf, png)
        first = pdf.read_bytes()
        text = source.read_text(encoding="utf-8").replace('title = "', 'title = "Edited: ')
        with source.open("w", encoding="utf-8") as f:  # saved in place, in two writes
            f.write(text[:40])
            f.flush()
            f.write(text[40:])
        wait_for(lambda: len(builds) >= 2, "the rebuild")
        quiet_for()
    assert len(builds) == 2
    assert builds[1].error is None
    assert builds[1].changed == (source.resolve(),)
    assert pdf.read_bytes() != first
    assert missing_from(read_pdf(pdf.read_bytes()), ["Edited:"]) == []
    assert png.read_bytes().startswith(b"\x89PNG")


def test_an_error_is_reported_and_watching_goes_on(source: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "out" / "s.pdf"
    with watching(source, pdf) as builds:
        good = pdf.read_bytes()
        edit(source, 'title = "', 'titel = "')
        wait_for(lambda: len(builds) >= 2, "the failed rebuild")
        assert pdf.read_bytes() == good  # the last good page stays
        edit(source, 'titel = "', 'title = "Fixed: ')
        wait_for(lambda: len(builds) >= 3, "the rebuild after the fix")
    error = builds[1].error
    assert error is not None
    assert f"{source}: titel: unknown key; did you mean 'title'?" in error.splitlines()
    assert builds[2].error is None
    assert missing_from(read_pdf(pdf.read_bytes()), ["Fixed:"]) == []


def test_lock_temporary_and_unrelated_files_are_ignored(source: Path, tmp_path: Path) -> None:
    pdf = source.parent / "singapore.pdf"  # written beside its source: no rebuild loop
    folder = source.parent
    with watching(source, pdf) as builds:
        for name in (
            "~$tally.xlsx",
            ".~lock.tally.xlsx#",
            ".singapore.toml.swp",
            "singapore.toml.swp",
            "singapore.toml~",
            "#singapore.toml#",
            "4913",
            "3A4F1B2C",
            "~WRL0001.tmp",
            "notes.txt",
        ):
            (folder / name).write_text("x", encoding="utf-8")
        quiet_for()
        (folder / "4913").unlink()  # vim's probe comes and goes
        quiet_for()
        assert len(builds) == 1
        (folder / "tally.csv").write_text("month\n", encoding="utf-8")  # an input: rebuilds
        wait_for(lambda: len(builds) >= 2, "the rebuild for a new input")
    assert builds[1].changed == (folder / "tally.csv",)


@pytest.mark.parametrize(
    ("name", "skip"),
    [
        ("~$tally.xlsx", True),
        (".~lock.tally.xlsx#", True),
        ("march.toml.swp", True),
        ("4913", True),
        ("A1B2C3D4", True),
        ("march.toml", False),
        ("tally.xlsx", False),
        ("logo.png", False),
        ("4914", False),
    ],
)
def test_ignored_names(name: str, skip: bool) -> None:
    assert ignored(name) is skip


def test_a_tally_change_rebuilds(tmp_path: Path) -> None:
    for name in ("example-tally.toml", "example-tally.xlsx"):
        shutil.copy(ROOT / "assets" / name, tmp_path / name)
    source, workbook = tmp_path / "example-tally.toml", tmp_path / "example-tally.xlsx"
    with watching(source, tmp_path / "out" / "t.pdf") as builds:
        assert builds[0].error is None, builds[0].error
        later = workbook.stat().st_mtime + 5
        os.utime(workbook, (later, later))  # saved again by the spreadsheet program
        wait_for(lambda: len(builds) >= 2, "the rebuild for the tally")
    assert builds[1].changed == (workbook,)


@pytest.mark.slow
def test_the_command_prints_errors_as_build_does_and_opens_once(
    source: Path, tmp_path: Path
) -> None:
    """The real command in a process of its own, stopped after two builds (a hidden option)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    opened = tmp_path / "opened.txt"
    opener = bin_dir / "xdg-open"  # what click.launch runs on Linux
    opener.write_text(f'#!/bin/sh\necho "$@" >> {opened}\n', encoding="utf-8")
    opener.chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    env["PYTHONPATH"] = str(Path(kreport.__file__).parent.parent)
    command = [sys.executable, "-m", "kreport.cli", "watch", source.name, "--open"]
    command += ["--interval", str(INTERVAL), "--max-builds", "2"]
    proc = subprocess.Popen(
        command, cwd=source.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        pdf = source.parent / "out" / "singapore.pdf"
        wait_for(pdf.exists, "the first build")
        wait_for(opened.exists, "the viewer")
        edit(source, 'title = "', 'titel = "')
        out, err = proc.communicate(timeout=DEADLINE)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert out.splitlines() == [str(Path("out/singapore.pdf"))]
    assert "error: singapore.toml: titel: unknown key; did you mean 'title'?" in err.splitlines()
    assert "changed: singapore.toml" in err
    assert opened.read_text(encoding="utf-8").split() == [str(Path("out/singapore.pdf"))]
