"""Nothing lost: a failed, full-disk or killed build keeps the earlier PDF and leaves no temp."""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import kreport
from helpers import run
from kreport import _atomic as write
from kreport.errors import InputError, LayoutError, OutputError
from kreport.page.layout import PAPERS
from pdfread import read_pdf

KARAMAY = kreport.example_path("karamay")
BAD = {"title": "T", "agency": "A", "period": "P", "metrics": [{"label": "x", "value": "1,234"}]}
TOO_LONG = {  # on a page only 300 pt tall (every file within the limits fits A4 and Letter)
    "title": "T",
    "agency": "A",
    "period": "P",
    "highlights": ["word " * 40] * 5,
    "metrics": [{"label": "word " * 10, "value": i} for i in range(10)],
}


@pytest.fixture
def earlier(tmp_path: Path) -> tuple[Path, bytes]:
    """An output folder holding a PDF from an earlier, good build."""
    target = tmp_path / "out" / "briefing.pdf"
    kreport.build(KARAMAY, target)
    return target, target.read_bytes()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize(("data", "error"), [(BAD, InputError), (TOO_LONG, LayoutError)])
def test_failed_build_keeps_the_earlier_pdf(
    earlier: tuple[Path, bytes],
    data: dict[str, object],
    error: type[Exception],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target, before = earlier
    monkeypatch.setitem(PAPERS, "a4", (595.0, 300.0))
    with pytest.raises(error):
        kreport.build(data, target)
    assert target.read_bytes() == before
    assert leftovers(target.parent) == []
    assert read_pdf(before).pages == 1


@pytest.mark.parametrize("call", ["write", "fsync"])
def test_full_disk_is_an_output_error_and_keeps_the_earlier_pdf(
    earlier: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch, call: str
) -> None:
    target, before = earlier

    def full(*_: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(write.os, call, full)
    with pytest.raises(OutputError) as info:
        kreport.build(KARAMAY, target)
    monkeypatch.undo()
    assert str(info.value) == f"{target}: cannot write: No space left on device"
    assert target.read_bytes() == before
    assert leftovers(target.parent) == []


def test_full_disk_through_the_cli_exits_1(
    earlier: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    target, before = earlier

    def full(*_: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(write.os, "fsync", full)
    result = run("build", "-o", str(target))
    monkeypatch.undo()
    assert result.exit_code == 1
    assert result.stderr == f"error: {target}: cannot write: No space left on device\n"
    assert target.read_bytes() == before


def test_short_writes_are_completed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.write
    monkeypatch.setattr(write.os, "write", lambda fd, data: real(fd, bytes(data[:1000])))
    target = write.write_atomic(b"x" * 10_500, tmp_path / "a.pdf")
    monkeypatch.undo()
    assert target.read_bytes() == b"x" * 10_500


def test_unwritable_places_are_output_errors(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError) as info:
        kreport.build(KARAMAY, blocker / "x.pdf")
    assert str(info.value) == f"{blocker}/x.pdf: cannot write: {blocker} is a file, not a folder"
    with pytest.raises(OutputError) as info:
        kreport.build(KARAMAY, blocker / "deeper" / "x.pdf")
    assert str(info.value).startswith(f"{blocker}/deeper/x.pdf: cannot write to {blocker}/deeper:")
    (tmp_path / "dir.pdf").mkdir()
    with pytest.raises(OutputError) as info:
        kreport.build(KARAMAY, tmp_path / "dir.pdf")
    assert str(info.value) == f"{tmp_path}/dir.pdf: cannot write: it is a folder"
    result = run("build", "-o", str(blocker / "x.pdf"))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")


# -- killed mid-build -------------------------------------------------------------------------

SLOW_WRITER = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    import kreport
    from kreport import _atomic as write

    ready, target = Path(sys.argv[1]), Path(sys.argv[2])
    real = os.write

    def slow(fd, data):
        n = real(fd, bytes(data[: len(data) // 2]))  # half the PDF reaches the temp file...
        ready.write_text("writing")
        time.sleep(600)  # ...and the process is killed here
        return n

    write.os.write = slow
    kreport.build(kreport.example_path("karamay"), target)
    """
)


@pytest.mark.slow
def test_sigkill_while_writing_keeps_the_earlier_pdf(earlier: tuple[Path, bytes]) -> None:
    target, before = earlier
    ready = target.parent.parent / "ready"
    proc = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(ready), str(target)])
    try:
        while not ready.exists():
            assert proc.poll() is None, "the build ended before it was killed"
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()  # reaped: its pid is no longer a live process
    assert target.read_bytes() == before
    stale = leftovers(target.parent)
    assert len(stale) == 1, "the killed write leaves its temp file: no code runs on SIGKILL"
    assert stale[0].startswith(f".briefing.pdf.kreport-{proc.pid}-")
    # The next build of the same output removes what the killed one left.
    kreport.build(KARAMAY, target)
    assert leftovers(target.parent) == []
    assert read_pdf(target.read_bytes()).pages == 1


@pytest.mark.slow
def test_sigkill_at_random_points_never_leaves_a_broken_pdf(earlier: tuple[Path, bytes]) -> None:
    target, before = earlier
    rng = random.Random(20230509)
    script = "import sys, kreport; kreport.build(kreport.example_path('singapore'), sys.argv[1])"
    for _ in range(6):
        proc = subprocess.Popen([sys.executable, "-c", script, str(target)])
        time.sleep(rng.uniform(0.0, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = target.read_bytes()
        if now != before:  # the kill came after the rename: the new PDF, whole
            assert read_pdf(now).pages == 1
        kreport.build(KARAMAY, target)  # restore, and clean what the killed build left
        assert target.read_bytes() == before
        assert leftovers(target.parent) == []


def test_stale_temps_of_live_processes_and_other_names_are_kept(tmp_path: Path) -> None:
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        live = tmp_path / f".a.pdf.kreport-{sleeper.pid}-x1.tmp"
        other = tmp_path / ".b.pdf.kreport-999999999-x2.tmp"
        old = tmp_path / f".a.pdf.kreport-{sleeper.pid}-x3.tmp"
        for p in (live, other, old):
            p.write_bytes(b"partial")
        hours_ago = time.time() - write.STALE_AFTER - 60
        os.utime(old, (hours_ago, hours_ago))
        assert write.remove_stale_temps(tmp_path / "a.pdf") == [old]
        assert live.exists() and other.exists() and not old.exists()
    finally:
        sleeper.kill()
        sleeper.wait()
    assert write.remove_stale_temps(tmp_path / "a.pdf") == [live]


def test_a_batchs_stale_temps_are_removed_once_per_folder_for_its_names_only(
    tmp_path: Path,
) -> None:
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        live = tmp_path / f".a.pdf.kreport-{sleeper.pid}-x1.tmp"
        dead = [
            tmp_path / ".b.pdf.kreport-999999999-x2.tmp",
            tmp_path / ".c.kreport-d.pdf.kreport-999999999-x3.tmp",  # the tag in the name
        ]
        # another writer's (on another host, say: its pid means nothing here), and not ours
        other = tmp_path / ".z.pdf.kreport-999999999-x4.tmp"
        kept = [tmp_path / "b.pdf", tmp_path / "notes.tmp", tmp_path / ".x.kreport-tmp", other]
        for p in (live, *dead, *kept):
            p.write_bytes(b"partial")
        names = ["a.pdf", "b.pdf", "c.kreport-d.pdf"]
        missing = tmp_path / "not-made-yet" / "e.pdf"  # skipped: its write names the problem
        removed = write.remove_stale_temps_of([*(tmp_path / n for n in names), missing])
        assert sorted(removed) == sorted(dead)
        assert live.exists() and all(p.exists() for p in kept)
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_batch_tidies_its_folders_once_not_at_each_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    stale = out / f".{kreport.default_output(KARAMAY, None).name}.kreport-999999999-x1.tmp"
    stale.write_bytes(b"partial")
    looks: list[Path] = []
    real = write.remove_stale_temps
    monkeypatch.setattr(write, "remove_stale_temps", lambda p: looks.append(p) or real(p))
    sources = [KARAMAY, KARAMAY.with_name("singapore.toml")]
    result = kreport.build_many(sources, out, jobs=0)
    assert result.ok and len(result.built) == 2
    assert not stale.exists() and looks == []
    assert sorted(p.name for p in out.iterdir()) == sorted(o.output.name for o in result.built)


def test_a_batch_syncs_each_output_folder_once_after_its_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[tuple[Path, list[str]]] = []
    real = write.sync_folder

    def sync(folder: Path) -> None:
        synced.append((folder, sorted(p.name for p in folder.glob("*.pdf"))))
        real(folder)

    monkeypatch.setattr(write, "sync_folder", sync)
    sources = [KARAMAY, KARAMAY.with_name("singapore.toml")]
    result = kreport.build_many(sources, tmp_path / "out", jobs=0)
    built = sorted(o.output.name for o in result.built)
    assert result.ok and synced == [(tmp_path / "out", built)]  # once, with every PDF renamed
    synced.clear()
    kreport.build(KARAMAY, tmp_path / "one.pdf")  # a single build syncs its own rename
    assert synced == [(tmp_path, ["one.pdf"])]


def test_a_batch_writing_through_a_link_tidies_and_syncs_where_it_renames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, real = tmp_path / "out", tmp_path / "real"
    out.mkdir()
    real.mkdir()
    name = kreport.default_output(KARAMAY, None).name
    (real / name).write_bytes(b"old")
    (out / name).symlink_to(real / name)
    stale = real / f".{name}.kreport-999999999-x1.tmp"  # a dead writer's, beside the target
    stale.write_bytes(b"partial")
    synced: list[Path] = []
    real_sync = write.sync_folder
    monkeypatch.setattr(write, "sync_folder", lambda f: synced.append(f) or real_sync(f))
    result = kreport.build_many([KARAMAY], out, jobs=0)
    assert result.ok and (out / name).is_symlink()
    assert (real / name).read_bytes()[:5] == b"%PDF-"
    assert not stale.exists() and synced == [real]
