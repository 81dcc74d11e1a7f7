"""Build many briefings in one go: one PDF per input, in parallel worker processes.

Every output name is worked out before anything is built, so two inputs that would write the
same PDF are refused up front. A failed input never stops the others: it becomes a failed
``Outcome`` carrying the same ``FILE: path: message`` lines a single build would print.

Workers are processes, not threads: reportlab keeps per-process state and is not thread-safe.
The pipeline is imported and the fonts parsed once: in this process, which then forks its
workers, where that is safe (``_can_fork``), else in each spawned worker. Workers build; this
process writes each file as its bytes come back.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeAlias

from .api import Paper
from .errors import KreportError, describe
from .sources import By, Item, Source, collect, files_read, refuse_overwriting_inputs

BatchItem: TypeAlias = Source
"""A path (data file, folder or tally), a ``(name, mapping)`` pair, or an ``Item``."""


@dataclass(frozen=True, slots=True)
class Export:
    """What to write instead of the PDF: ``convert`` turns the PDF's bytes into the file's.

    ``convert`` reaches worker processes by pickling: a module-level function, or a
    ``functools.partial`` of one (``kreport.deliver.png.png_export`` makes one for PNG).
    """

    suffix: str
    convert: Callable[[bytes], bytes]


PER_WORKER = 12
"""Briefings a worker must have to be worth starting: a worker's start-up (imports, fonts) costs
about as much CPU as a dozen warm builds, so smaller batches are built in this process."""


@dataclass(frozen=True, slots=True)
class Job:
    """One briefing to build: where its data comes from and where its PDF goes."""

    index: int
    item: Item
    output: Path

    @property
    def source(self) -> str:
        """How messages name the input: the path given, or the item's name."""
        return self.item.label


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one input: the PDF written, or why not."""

    source: str
    output: Path
    error: str | None = None
    """``None`` on success; else the message lines, each ``FILE: path: message``."""
    seconds: float = 0.0
    """Wall-clock and CPU time the build took."""
    cpu_seconds: float = 0.0
    pid: int = 0
    """The process that built it, and that process's peak resident memory so far (KiB)."""
    max_rss_kib: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(slots=True)
class BatchResult:
    """Every input's ``Outcome``, in input order."""

    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 0
    """Worker processes used at once (0: built in this process)."""
    worker_deaths: int = 0
    """Workers that died (killed, out of memory): each failed only the briefing it held, and a
    fresh worker built the rest."""
    forked: int = 0
    """Workers forked from this process, which had imported the pipeline once for them all
    (the others were started as fresh interpreters: ``kreport.pool``)."""

    @property
    def built(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.ok]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def ok(self) -> bool:
        return not self.failed


def plan(
    items: Iterable[BatchItem],
    out_dir: str | Path,
    language: str | None = None,
    suffix: str = ".pdf",
) -> list[Job]:
    """The jobs for ``items``; raises ``KreportError`` if two would write the same file, and
    ``OutputError`` if one would replace any input of the batch."""
    from .api import output_path

    out = Path(out_dir)
    jobs = [
        Job(n, item, output_path(item.name, language, out).with_suffix(suffix))
        for n, item in enumerate(collect(items))
    ]
    seen: dict[str, Job] = {}
    clashes = []
    for job in jobs:
        # casefolded: two names differing only in case are one file on macOS and Windows
        key = job.output.name.casefold()
        if key in seen:
            clashes.append(f"{seen[key].source} and {job.source} would both write {job.output}")
        else:
            seen[key] = job
    if clashes:
        raise KreportError("\n".join(clashes) + "\nnothing was built; rename one of each pair")
    refuse_overwriting_inputs(
        (job.output for job in jobs), (p for j in jobs for p in j.item.inputs)
    )
    return jobs


def build_many(
    items: Iterable[BatchItem],
    out_dir: str | Path = "out",
    *,
    jobs: int | None = None,
    language: str | None = None,
    paper: Paper = "a4",
    period: str | None = None,
    by: By | None = None,
    on_result: Callable[[Outcome], None] | None = None,
    export: Export | None = None,
    pdfa: bool = False,
) -> BatchResult:
    """Build every item into ``out_dir``; never stops at a failed one.

    ``items`` are data-file paths, folders (their data files), tallies (read for ``period``,
    one briefing per region with ``by="region"``), ``(name, mapping)`` pairs or ``Item``s.
    ``jobs`` is the most worker processes to use (default: the usable cores, and only as many as
    have ``PER_WORKER`` briefings each, so a small batch starts none); with 1, everything is
    built in this process. ``on_result`` is called in this process for each
    ``Outcome`` as it completes (in completion order); the result lists them in input order.
    Raises ``KreportError`` before building anything if two items would write the same PDF.
    With ``export``, each briefing is written as ``export`` makes it (a PNG, say) instead.
    With ``pdfa``, each PDF is PDF/A-2b as well as tagged.

    ``jobs`` is capped by the cores and by the memory a worker needs (``pool.cap``); the
    result's ``workers`` says how many ran. A worker that dies fails only the briefing it held
    (``worker_deaths`` counts them). Workers are forked from this process when it has one
    thread (``forked`` counts them), else spawned (``kreport.pool``), so a script that calls
    this with ``jobs`` > 1 must do so under ``if __name__ == "__main__":``.
    """
    suffix = export.suffix if export is not None else ".pdf"
    planned = plan(collect(items, period=period, by=by), out_dir, language, suffix)
    return build_planned(
        planned,
        jobs=jobs,
        language=language,
        paper=paper,
        on_result=on_result,
        export=export,
        pdfa=pdfa,
    )


def build_planned(
    planned: Sequence[Job],
    *,
    jobs: int | None = None,
    language: str | None = None,
    paper: Paper = "a4",
    on_result: Callable[[Outcome], None] | None = None,
    export: Export | None = None,
    pdfa: bool = False,
) -> BatchResult:
    """``build_many`` for jobs already planned (``plan``): the command line plans once, to
    count them for its report before anything is built."""
    from ._env import source_date_epoch

    source_date_epoch()  # a bad SOURCE_DATE_EPOCH is one error, not one per briefing
    workers = worker_count(len(planned), jobs)
    start = time.perf_counter()
    results: list[Outcome | None] = [None] * len(planned)

    def done(job: Job, outcome: Outcome) -> None:
        results[job.index] = outcome
        if on_result is not None:
            on_result(outcome)

    from ._atomic import remove_stale_temps_of, replaced

    targets = [replaced(job.output) for job in planned]  # where each rename happens
    remove_stale_temps_of(targets)  # once, not at each write
    deaths = forked = 0
    try:
        if not workers:
            for job in planned:
                done(job, build_job(job, language, paper, export, pdfa))
        else:
            deaths, forked = _run_pool(planned, workers, language, paper, export, pdfa, done)
    finally:
        _sync({t.parent if str(t.parent) else Path(".") for t in targets})
    outcomes = [o for o in results if o is not None]
    return BatchResult(outcomes, time.perf_counter() - start, workers, deaths, forked)


def _sync(folders: set[Path]) -> None:
    """Make the batch's renames durable, once per output folder: each write syncs its own
    file's data, but syncing its folder too would wait on the disk twice a briefing (on a
    spinning disk or a network volume, milliseconds each)."""
    from ._atomic import sync_folder

    for folder in sorted(folders):
        sync_folder(folder)


def worker_count(briefings: int, jobs: int | None = None) -> int:
    """The worker processes ``build_many`` starts for ``briefings`` with ``jobs`` (0: it builds
    them in this process): at most ``jobs`` (default: the cores, one per ``PER_WORKER``
    briefings), capped by the cores and memory (``pool.cap``); never just one."""
    workers = min(jobs, briefings) if jobs else min(default_jobs(), briefings // PER_WORKER)
    if workers > 1:
        from .pool import cap

        workers = cap(workers, default_jobs())
    return workers if workers > 1 else 0


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def _run_pool(
    planned: Sequence[Job],
    workers: int,
    language: str | None,
    paper: Paper,
    export: Export | None,
    pdfa: bool,
    done: Callable[[Job, Outcome], None],
) -> tuple[int, int]:
    """Build ``planned`` in ``workers`` processes; returns how many workers died and how many
    were forked.

    Workers build and this process writes: its writes (and the waits for the disk to take
    each file) overlap the workers' next builds instead of holding a core between two."""
    from .pool import Died, Pool

    def finished(index: int, result: Made | Died) -> None:
        job = planned[index]
        if isinstance(result, Died):
            outcome = Outcome(
                job.source,
                job.output,
                f"{job.source}: the worker process building it {result.describe()}; "
                "the other briefings were built by a fresh worker",
            )
        else:
            outcome = result.write(job)
        done(job, outcome)

    pool: Pool[tuple[Any, ...], Made] = Pool(workers, _make_task, warm_up, fork=_can_fork())
    pool.run([(job, language, paper, export, pdfa) for job in planned], finished)
    return pool.deaths, pool.forked


def _can_fork() -> bool:
    """Whether this process will still have one thread once ``warm_up`` has run in it, so that
    workers can be forked from it (``pool.forkable``). The warm-up imports numpy, whose
    OpenBLAS starts a thread per core on import unless ``OPENBLAS_NUM_THREADS`` is 1 (the
    ``kreport`` command sets it). A library leaves its caller's environment alone: in a
    process that would gain threads, workers are spawned, and this process stays lean."""
    from .pool import forkable

    if not forkable():
        return False
    return "numpy" in sys.modules or os.environ.get("OPENBLAS_NUM_THREADS") == "1"


def _make_task(task: tuple[Any, ...]) -> Made:
    """``make_job`` on a task tuple, in a worker process."""
    return make_job(*task)


def warm_up() -> None:
    """Import the pipeline and parse the bundled fonts once per worker process."""
    from . import (
        _atomic,  # noqa: F401  (imported for the side effect of loading)
        fonts,
    )
    from .page import pdf  # noqa: F401
    from .source import load, logo, validate  # noqa: F401  (what every build imports)

    fonts.LATIN.register()
    fonts.CJK.register()


@dataclass(frozen=True, slots=True)
class Made:
    """A job built and not yet written: its file's bytes, or the ``Outcome`` that says why
    there are none."""

    outcome: Outcome
    data: bytes | None

    def write(self, job: Job) -> Outcome:
        """Write the file (when there is one) and say what became of the job."""
        from ._atomic import write_atomic

        if self.data is None:
            return self.outcome
        start, cpu = time.perf_counter(), time.process_time()
        error = None
        try:
            # the batch removed leftovers before it began and syncs the folders when it ends
            write_atomic(self.data, job.output, tidy=False, sync=False)
        except Exception as exc:
            error = _failure(job.source, exc)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        o = self.outcome
        return replace(o, error=error, seconds=o.seconds + seconds, cpu_seconds=o.cpu_seconds + cpu)


def build_job(
    job: Job, language: str | None, paper: Paper, export: Export | None = None, pdfa: bool = False
) -> Outcome:
    """Build one job and write its file; every failure becomes a failed ``Outcome``."""
    return make_job(job, language, paper, export, pdfa).write(job)


def make_job(
    job: Job, language: str | None, paper: Paper, export: Export | None = None, pdfa: bool = False
) -> Made:
    """Build one job's file, not yet written; every failure becomes a failed ``Outcome``."""
    from .api import build_bytes

    start, cpu = time.perf_counter(), time.process_time()
    error = None
    out = None
    try:
        raw = job.item.load()
        refuse_overwriting_inputs([job.output], files_read(job.item, raw))  # a logo, say
        briefing = job.item.validate(language, raw)
        data = build_bytes(briefing, paper=paper, pdfa=pdfa and export is None)
        out = data if export is None else export.convert(data)
    except Exception as exc:
        error = _failure(job.source, exc)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    outcome = Outcome(job.source, job.output, error, seconds, cpu, os.getpid(), peak_rss_kib())
    return Made(outcome, out)


def peak_rss_kib() -> int:
    """This process's peak resident memory in KiB (0 where the platform does not say)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(rss) // 1024 if sys.platform == "darwin" else int(rss)  # bytes on macOS


def _failure(source: str, exc: Exception) -> str:
    """What a failed job says: the error's lines against ``source``; a bug is reported as one,
    against this input alone (the others still build)."""
    if isinstance(exc, KreportError):
        return _prefixed(source, str(exc))
    return f"{source}: internal error ({describe(exc)}); this is a bug in kreport"


def _prefixed(source: str, message: str) -> str:
    """Each line of ``message`` starting with ``source``, as a single build reports it."""
    lines = message.splitlines() or [""]
    return "\n".join(
        line if line.startswith(f"{source}:") else f"{source}: {line}" for line in lines
    )


__all__ = [
    "PER_WORKER",
    "BatchItem",
    "BatchResult",
    "Export",
    "Job",
    "Made",
    "Outcome",
    "build_job",
    "build_many",
    "build_planned",
    "default_jobs",
    "make_job",
    "peak_rss_kib",
    "plan",
    "worker_count",
]
