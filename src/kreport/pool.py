"""Run tasks in worker processes that die with their parent and cost only their own task if they
die: ``Pool.run(tasks)`` -> each task's result, or ``Died`` for the one a dying worker held.

Not ``concurrent.futures.ProcessPoolExecutor``: when one of its workers dies (killed, out of
memory) every pending task fails with ``BrokenProcessPool``, and when its parent is killed its
idle workers, forkserver and resource tracker live on. Here each worker has its own pipe, so the
parent always knows which task a worker holds; a dead worker fails that task alone and a fresh
worker takes its place. Workers die with their parent three ways: ``PR_SET_PDEATHSIG`` on Linux
(the kernel kills them, even if the parent was SIGKILLed), a thread that waits on the parent's
pidfd (or polls its pid elsewhere), and end-of-file on their pipe.

Workers are started with ``spawn`` (a fresh interpreter, safe whatever threads the parent has),
or, with ``fork=True``, by forking this process once it has run ``setup()`` itself: the imports
and parsed fonts are made once and shared, not made again in each worker (a spawned worker takes
~0.3 s to be ready, a forked one ~1 ms). Forking is only safe in a process with one thread, so a
worker is forked only on Linux and only while the system counts one thread in this process (a
library such as OpenBLAS may have started its own, which Python's count does not see);
otherwise it is spawned.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ._pace import GC_THRESHOLDS

T = TypeVar("T")
R = TypeVar("R")

WORKER_MEMORY = 256 * 1024 * 1024
"""Memory one worker may need: its measured peak is ~130 MB (imports, fonts, a page), with room
for a large tally or Chinese page. Workers are capped by the memory available / this."""


@dataclass(frozen=True, slots=True)
class Died:
    """The worker holding a task died before answering: ``exitcode`` as ``Process`` gives it
    (negative: killed by that signal)."""

    exitcode: int | None

    def describe(self) -> str:
        code = self.exitcode
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return f"killed by {name}" + (" (out of memory?)" if name == "SIGKILL" else "")
        return f"exited with status {code}"


def cap(requested: int, cores: int) -> int:
    """``requested`` workers, but no more than ``cores`` nor than the memory available holds."""
    fit = available_memory()
    by_memory = max(1, fit // WORKER_MEMORY) if fit is not None else requested
    return max(1, min(requested, cores, by_memory))


def available_memory() -> int | None:
    """Bytes of memory free for new processes (Linux: MemAvailable), None where unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


AHEAD = 2
"""Tasks sent to a worker before it answers the first: the next one is in its pipe when it
finishes one, so it never waits for this process to send it (until the last few tasks)."""


@dataclass(slots=True)
class _Worker:
    process: Any  # multiprocessing.Process
    conn: Any  # multiprocessing.connection.Connection
    held: deque[int] = field(default_factory=deque)
    """The tasks sent to it and not yet answered, oldest (the one it is running) first."""


class Pool(Generic[T, R]):
    """``workers`` processes running ``call(task)``; ``setup()`` runs once in each spawned
    worker, or once in this process before it forks its workers."""

    def __init__(
        self,
        workers: int,
        call: Callable[[T], R],
        setup: Callable[[], None],
        *,
        fork: bool = False,
    ) -> None:
        self.size = workers
        self.call = call
        self.setup = setup
        self.fork = fork
        """Fork workers from this process where that is safe (see the module's docstring)."""
        self.deaths = 0
        self.started = 0
        self.forked = 0
        self._set_up = False

    def run(self, tasks: Sequence[T], done: Callable[[int, R | Died], None]) -> None:
        """Run every task; ``done(index, result)`` in this process as each one ends."""
        from multiprocessing.connection import wait

        pending = deque(range(len(tasks)))
        workers: list[_Worker] = []
        if self.fork and tasks and not self._set_up and forkable():
            self.setup()  # once, here: forked workers inherit what it made
            self._set_up = True
        try:
            for _ in range(min(self.size, len(tasks))):
                workers.append(self._start(workers))
            while pending or any(w.held for w in workers):
                # near the end, one task at a time: none waits in one pipe while another idles
                ahead = AHEAD if len(pending) > len(workers) * AHEAD else 1
                for w in list(workers):
                    while pending and len(w.held) < ahead:
                        try:
                            w.conn.send(tasks[pending[0]])
                        except OSError:  # it died: what it held goes to a fresh worker
                            self._replace(w, workers, pending, done)
                            break
                        w.held.append(pending.popleft())
                busy = [w for w in workers if w.held]
                if not busy:  # a fresh worker took a dead one's place: send it tasks first
                    continue
                ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
                for w in busy:
                    if w.conn in ready or w.process.sentinel in ready:
                        self._collect(w, workers, pending, done)
        except BaseException:  # Ctrl-C, or an exception in ``done``: what they hold is moot
            self._stop(workers, at_once=True)
            raise
        self._stop(workers)

    def _collect(
        self,
        w: _Worker,
        workers: list[_Worker],
        pending: deque[int],
        done: Callable[[int, R | Died], None],
    ) -> None:
        """Take every answer ``w`` has sent; if it has died, replace it."""
        alive = w.process.is_alive()  # asked first: a dead worker's answers are all in the pipe
        try:
            while w.held and w.conn.poll():  # answers sent just before dying still count
                result: R = w.conn.recv()
                done(w.held.popleft(), result)
        except (EOFError, OSError):
            alive = False
        if not alive:
            self._replace(w, workers, pending, done)

    def _replace(
        self,
        w: _Worker,
        workers: list[_Worker],
        pending: deque[int],
        done: Callable[[int, R | Died], None],
    ) -> None:
        """``w`` died: the task it was running fails, the ones waiting in its pipe go back to
        the front of the queue, and a fresh worker takes its place if any are left."""
        self.deaths += 1
        workers.remove(w)
        w.conn.close()
        w.process.join(5)
        running = w.held.popleft() if w.held else None
        pending.extendleft(reversed(w.held))
        if pending:
            workers.append(self._start(workers))
        if running is not None:
            done(running, Died(w.process.exitcode))

    def _start(self, others: list[_Worker]) -> _Worker:
        """A fresh worker, beside ``others``."""
        import multiprocessing

        # asked at each start: a thread started since the last one rules forking out
        forked = self._set_up and forkable()
        ctx: Any = multiprocessing.get_context("fork" if forked else "spawn")
        here, there = ctx.Pipe()
        args: tuple[Any, ...]
        if forked:  # it would hold copies of this process's pipe ends, its own included: it
            # closes them, or its end-of-file (or a sibling's) would wait for it too
            args = (there, os.getpid(), self.call, None, [*(w.conn for w in others), here])
        else:
            args = (there, os.getpid(), self.call, self.setup)
        process = ctx.Process(
            target=_serve,
            args=args,
            daemon=True,
            name="kreport-worker",
        )
        process.start()
        there.close()  # the worker holds it; ours would keep its end-of-file from coming
        self.started += 1
        self.forked += forked
        return _Worker(process, here)

    def _stop(self, workers: list[_Worker], at_once: bool = False) -> None:
        """End ``workers``: idle ones are told to; with ``at_once`` (or past 5 s), killed."""
        for w in workers:
            if at_once:
                w.process.kill()
            else:
                with contextlib.suppress(OSError):
                    w.conn.send(None)  # done: the worker ends
        deadline = time.monotonic() + 5
        for w in workers:
            w.process.join(max(0.0, deadline - time.monotonic()))
            if w.process.is_alive():  # stuck mid-task
                w.process.kill()
                w.process.join()
            w.conn.close()


def forkable() -> bool:
    """Whether forking this process now is safe: Linux, and one thread by the system's count."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Threads:"):
                    return int(line.split()[1]) == 1
    except (OSError, ValueError, IndexError):
        pass
    return False


def _serve(
    conn: Any,
    parent: int,
    call: Callable[[Any], Any],
    setup: Callable[[], None] | None,
    inherited: Sequence[Any] = (),
) -> None:
    """A worker's life: die with ``parent``, set up (``None``: forked from a parent that did),
    then answer tasks until told to stop. ``inherited``: pipe ends a forked worker closes."""
    for end in inherited:
        end.close()
    # Ctrl-C reaches every process of the terminal's group: the parent stops the batch and ends
    # its workers, so a worker ignores it rather than print a traceback mid-page
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with(parent)
    # collect at the pace of a process kreport owns, from the start: the setup's imports make
    # ~90,000 objects, which Python's default pace would walk a hundred times (~35 ms)
    gc.set_threshold(*GC_THRESHOLDS)
    if setup is not None:
        setup()
    # what the setup made (modules, fonts) lives as long as the worker: leave it out of the
    # collections each build triggers, which would otherwise walk it again and again (and, in a
    # forked worker, copy the pages it shares with its parent)
    gc.freeze()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if task is None:  # done: end at once, as nothing is left to write or free
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(0)
        conn.send(call(task))


def die_with(parent: int) -> None:
    """Make this process end when process ``parent`` ends, however it ends (even SIGKILL)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG: the kernel kills us
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # it died before we could ask to be told
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="parent-watch").start()


def _watch(parent: int) -> None:
    """Wait for ``parent`` to end, then end this process at once (a fallback for systems
    without PR_SET_PDEATHSIG)."""
    try:
        import select

        fd = os.pidfd_open(parent)  # Linux 5.3+: readable once the process has ended
    except (AttributeError, OSError):
        while os.getppid() == parent:
            time.sleep(0.5)
    else:
        select.select([fd], [], [])
    os._exit(1)


__all__ = ["WORKER_MEMORY", "Died", "Pool", "available_memory", "cap", "die_with", "forkable"]
