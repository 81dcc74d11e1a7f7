"""Batch workers (issue 10): none outlives its parent, a dead worker costs only its own briefing,
and ``--jobs`` is capped by the cores and the memory a worker needs.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import kreport
from kreport import pool
from kreport._pace import GC_THRESHOLDS
from kreport.batch import default_jobs
from kreport.cli.console import ConsoleReport
from kreport.model import RawBriefing
from kreport.sources import Item

KARAMAY: dict[str, Any] = tomllib.loads(kreport.example_path("karamay").read_text("utf-8"))

pytestmark = pytest.mark.slow


@dataclass(frozen=True, slots=True)
class _Killer(Item):
    """A briefing whose loading kills the worker process that builds it (as the OOM killer
    would): pickled by reference, so a worker imports this module to run it."""

    def load(self) -> RawBriefing:
        os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("unreachable")


def _items(n: int) -> list[Any]:
    return [(f"b{i:03d}", {**KARAMAY, "title": f"Briefing {i}"}) for i in range(n)]


# -- 6. a dead worker costs only its own briefing -------------------------------------------------


def test_a_worker_that_dies_fails_only_the_briefing_it_held(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = _items(25)
    items.insert(4, _Killer("killer", "killer"))
    result = kreport.build_many(items, tmp_path, jobs=2)
    assert [o.source for o in result.failed] == ["killer"]
    assert result.failed[0].error == (
        "killer: the worker process building it killed by SIGKILL (out of memory?); "
        "the other briefings were built by a fresh worker"
    )
    assert len(result.built) == 25
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"b{i:03d}.pdf" for i in range(25)]
    assert result.worker_deaths == 1
    report = ConsoleReport(len(result.outcomes), tmp_path, interactive=False)
    report.finish(result)
    summary = capsys.readouterr().err.splitlines()[-1]
    assert summary.startswith("25 built, 1 failed, of 26 in ")
    assert summary.endswith(
        "1 worker process died and was replaced: only the briefing it held failed"
    )


def _square_or_die(n: int) -> tuple[int, int, bool]:
    """A pool task: ``n`` squared, this worker's pid and whether its setup's objects are frozen
    out of the collector and it collects at the pace of a process kreport owns; task 5 kills
    its worker."""
    import gc

    from kreport._pace import GC_THRESHOLDS

    if n == 5:
        os.kill(os.getpid(), signal.SIGKILL)
    # long enough that the other worker cannot finish every task before this process sees
    # the death (on a loaded machine it otherwise could, and no fresh worker would be needed)
    time.sleep(0.02)
    owned = gc.get_freeze_count() > 0 and gc.get_threshold() == GC_THRESHOLDS
    return n * n, os.getpid(), owned


def _nothing() -> None:
    pass


def test_tasks_waiting_in_a_dead_workers_pipe_go_to_a_fresh_one() -> None:
    results: dict[int, Any] = {}
    tasks = list(range(24))
    workers = pool.Pool(2, _square_or_die, _nothing)
    workers.run(tasks, results.__setitem__)
    assert sorted(results) == tasks
    died = results.pop(5)
    assert isinstance(died, pool.Died) and died.describe().startswith("killed by SIGKILL")
    assert {n: r[0] for n, r in results.items()} == {n: n * n for n in tasks if n != 5}
    assert all(owned for _, _, owned in results.values())
    assert gc.get_threshold() != GC_THRESHOLDS  # the parent's pace is its own
    assert workers.deaths == 1 and workers.started == 3
    # the tasks sent ahead to the killed worker were built by others
    assert len({pid for _, pid, _ in results.values()}) >= 2


# -- workers forked from a parent that imported the pipeline once --------------------------------

FORKED = textwrap.dedent(
    """
    import json, sys, tomllib
    import kreport

    if __name__ == "__main__":
        data = tomllib.loads(kreport.example_path("karamay").read_text("utf-8"))
        items = [(f"b{i:03d}", {**data, "title": f"Briefing {i}"}) for i in range(6)]
        result = kreport.build_many(items, sys.argv[1], jobs=2)
        print(json.dumps([result.workers, result.forked, len(result.built)]))
    """
)


def _batch_in_a_fresh_process(tmp_path: Path, blas_threads: str | None) -> list[int]:
    script = tmp_path / "batch.py"
    script.write_text(FORKED, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if blas_threads is not None:
        env["OPENBLAS_NUM_THREADS"] = blas_threads
    out = tmp_path / f"out-{blas_threads}"
    run = subprocess.run(
        [sys.executable, str(script), str(out)], env=env, capture_output=True, text=True
    )
    assert run.returncode == 0 and run.stderr == "", run.stderr
    return list(json.loads(run.stdout))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux")
def test_workers_are_forked_when_the_parent_stays_single_threaded(tmp_path: Path) -> None:
    # as the command runs: one BLAS thread, so the parent imports once and forks its workers
    assert _batch_in_a_fresh_process(tmp_path, "1") == [2, 2, 6]
    # numpy's OpenBLAS would start threads in the parent: the workers are spawned instead
    assert _batch_in_a_fresh_process(tmp_path, None) == [2, 0, 6]
    forked, spawned = tmp_path / "out-1", tmp_path / "out-None"
    names = sorted(p.name for p in forked.iterdir())
    assert names == sorted(p.name for p in spawned.iterdir()) and len(names) == 6
    for name in names:  # the same bytes however the worker was started
        assert (forked / name).read_bytes() == (spawned / name).read_bytes(), name


def test_a_thread_in_the_parent_rules_forking_out() -> None:
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not pool.forkable()
        results: dict[int, Any] = {}
        workers = pool.Pool(2, _square_or_die, _nothing, fork=True)
        workers.run([1, 2, 3], results.__setitem__)
    finally:
        stop.set()
        thread.join()
    assert {n: r[0] for n, r in results.items()} == {0: 1, 1: 4, 2: 9}
    assert workers.forked == 0 and workers.started == 2


ENDS = textwrap.dedent(
    """
    from kreport import pool

    if __name__ == "__main__":
        assert pool.forkable()
        workers = pool.Pool(2, abs, lambda: None, fork=True)
        workers.run([-1, -2], lambda i, r: None)  # sets up here; its workers have ended
        a = workers._start([])
        b = workers._start([a])
        assert workers.forked == 4
        a.conn.close()  # this process's end of a's pipe: a reads end-of-file, and ends
        a.process.join(20)
        print(a.process.exitcode, b.process.is_alive())
        workers._stop([b])
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux")
def test_a_forked_worker_holds_no_copy_of_any_pipe_end_of_this_process(tmp_path: Path) -> None:
    script = tmp_path / "ends.py"
    script.write_text(ENDS, encoding="utf-8")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    # had a (or b, forked after it) kept a copy of this process's end, a would wait forever
    assert (run.returncode, run.stdout, run.stderr) == (0, "0 True\n", "")


# -- 10. --jobs is capped -----------------------------------------------------------------------


def test_jobs_are_capped_by_the_cores(tmp_path: Path) -> None:
    result = kreport.build_many(_items(13), tmp_path, jobs=500)
    assert result.ok
    pids = {o.pid for o in result.outcomes}
    assert 1 <= result.workers <= default_jobs()
    assert len(pids) <= default_jobs()
    assert os.getpid() not in pids or result.workers == 0


def test_jobs_are_capped_by_the_memory_a_worker_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pool, "available_memory", lambda: pool.WORKER_MEMORY + 1)
    result = kreport.build_many(_items(3), tmp_path, jobs=8)
    assert result.ok
    assert result.workers == 0  # room for one worker: built in this process
    assert {o.pid for o in result.outcomes} == {os.getpid()}
    assert pool.cap(8, 64) == 1
    monkeypatch.setattr(pool, "available_memory", lambda: 3 * pool.WORKER_MEMORY)
    assert pool.cap(8, 64) == 3
    assert pool.cap(8, 2) == 2


# -- 5. no worker outlives its parent -----------------------------------------------------------

PARENT = textwrap.dedent(
    """
    import sys, tomllib
    from pathlib import Path
    import kreport

    if __name__ == "__main__":
        data = tomllib.loads(kreport.example_path("karamay").read_text("utf-8"))
        items = [(f"b{i:03d}", data) for i in range(400)]
        ready = Path(sys.argv[1])
        kreport.build_many(items, sys.argv[2], jobs=2, on_result=lambda o: ready.touch())
    """
)


def _session(sid: int) -> list[str]:
    """Live (not zombie) processes in session ``sid``: pid and command."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append(f"{entry.name} {cmd[:120]}")
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
@pytest.mark.parametrize("started", ["forked", "spawned"])
def test_killing_the_parent_leaves_no_worker_behind(
    tmp_path: Path, how: signal.Signals, started: str
) -> None:
    ready = tmp_path / "ready"
    script = tmp_path / "parent.py"
    script.write_text(PARENT, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if started == "forked":  # one BLAS thread: the parent forks its workers (as the command)
        env["OPENBLAS_NUM_THREADS"] = "1"
    parent = subprocess.Popen(
        [sys.executable, str(script), str(ready), str(tmp_path / "out")],
        start_new_session=True,  # every process it starts is in its session
        env=env,
    )
    try:
        deadline = time.monotonic() + 120
        while not ready.exists():
            assert parent.poll() is None, "the batch ended before it was killed"
            assert time.monotonic() < deadline, "no briefing was built in 2 minutes"
            time.sleep(0.05)
        running = _session(parent.pid)
        assert len(running) >= 3  # the parent and its two workers (and helpers)
        # a spawned worker is a fresh interpreter running multiprocessing's spawn_main
        assert any("spawn_main" in line for line in running) == (started == "spawned")
        parent.send_signal(how)
        parent.wait(30)
        deadline = time.monotonic() + 20
        while _session(parent.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _session(parent.pid) == []
    finally:
        for line in _session(parent.pid):  # never leave them running, whatever happened
            os.kill(int(line.split()[0]), signal.SIGKILL)
        if parent.poll() is None:
            parent.kill()
            parent.wait()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("started", ["forked", "spawned"])
def test_ctrl_c_stops_a_batch_quietly_and_leaves_only_whole_pdfs(
    tmp_path: Path, started: str
) -> None:
    source = tmp_path / "in"
    source.mkdir()
    text = kreport.example_path("karamay").read_text("utf-8")
    for i in range(300):
        (source / f"b{i:03d}.toml").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    command = [sys.executable, "-m", "kreport.cli", "build", str(source), "-o", str(out), "-j", "2"]
    if started == "spawned":  # as a program calling the library: numpy may start its threads
        command = [sys.executable, "-c", "import sys\nfrom kreport.cli import main\nmain()"]
        command += ["build", str(source), "-o", str(out), "-j", "2"]
    batch = subprocess.Popen(
        command, env=env, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 120
        while len(list(out.glob("*.pdf"))) < 5:
            assert batch.poll() is None, "the batch ended before it was interrupted"
            assert time.monotonic() < deadline, "no briefing was built in 2 minutes"
            time.sleep(0.02)
        os.killpg(batch.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole group
        _, err = batch.communicate(timeout=30)
    finally:
        if batch.poll() is None:
            os.killpg(batch.pid, signal.SIGKILL)
            batch.wait()
    stderr = err.decode("utf-8", "replace")
    assert batch.returncode != 0
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    deadline = time.monotonic() + 20
    while _session(batch.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _session(batch.pid) == []
    left = sorted(p.name for p in out.iterdir())
    assert left and all(name.endswith(".pdf") for name in left), left  # no temporary file
    for name in left:
        data = (out / name).read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), name
