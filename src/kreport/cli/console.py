"""What the terminal shows while a batch runs: a progress bar, or a line per input."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # a single build's messages need no batch machinery
    from ..batch import BatchResult, Outcome


def echo_note(message: str) -> None:
    """Notes (``KreportWarning``s: something used that the user should know of) on stderr."""
    for line in message.splitlines() or [""]:
        click.echo(f"note: {line}", err=True)


def echo_error(message: str) -> None:
    """Every error kreport prints goes through here: one ``error:`` line per line of message."""
    for line in message.splitlines() or [""]:
        click.echo(f"error: {line}", err=True)


class ConsoleReport:
    """What ``kreport build`` shows while a batch runs, as an ``on_result`` callback.

    On a terminal: one progress bar on stderr (count, rate, time left), redrawn in place. In a
    pipe or on CI: one line per input as it completes, the PDF's path on stdout or ``failed:
    SOURCE`` on stderr. ``finish`` prints every failure's reasons and a summary line.
    """

    BAR = 24

    def __init__(
        self, total: int, out_dir: Path, interactive: bool | None = None, kind: str = "PDFs"
    ) -> None:
        self.total = total
        self.out_dir = out_dir
        self.kind = kind  # what the summary says is in out_dir
        self.interactive = is_interactive() if interactive is None else interactive
        self.done = 0
        self.failed = 0
        self.start = time.perf_counter()
        self._drawn = 0.0

    def __call__(self, outcome: Outcome) -> None:
        self.done += 1
        self.failed += not outcome.ok
        if not self.interactive:
            if outcome.ok:
                click.echo(str(outcome.output))
            else:
                click.echo(f"failed: {outcome.source}", err=True)
            return
        now = time.perf_counter()
        if now - self._drawn >= 0.1 or self.done == self.total:  # at most ~10 redraws a second
            self._drawn = now
            click.echo(f"\r{self.bar(now - self.start)}\x1b[K", nl=False, err=True)

    def bar(self, elapsed: float) -> str:
        filled = self.BAR * self.done // max(self.total, 1)
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        failed = f"  {self.failed} failed" if self.failed else ""
        return (
            f"[{'#' * filled}{'.' * (self.BAR - filled)}] {self.done}/{self.total}"
            f"  {rate:.1f}/s  {int(left) // 60}:{int(left) % 60:02d} left{failed}"
        )

    def finish(self, result: BatchResult) -> None:
        if self.interactive:
            click.echo("\r\x1b[K", nl=False, err=True)
        for outcome in result.failed:
            echo_error(outcome.error or "")
        n = len(result.outcomes)
        rate = n / result.seconds if result.seconds > 0 else 0.0
        deaths = result.worker_deaths
        died = (
            f"; {deaths} worker process{'es' if deaths > 1 else ''} died and "
            f"{'were' if deaths > 1 else 'was'} replaced: only the briefing"
            f"{'s' if deaths > 1 else ''} {'they' if deaths > 1 else 'it'} held failed"
            if deaths
            else ""
        )
        click.echo(
            f"{len(result.built)} built, {len(result.failed)} failed, of {n} in "
            f"{result.seconds:.1f} s ({rate:.1f}/s); {self.kind} in {self.out_dir}{died}",
            err=True,
        )


def is_interactive() -> bool:
    """Whether a person is watching: both streams on a terminal, and not on CI."""
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty() and sys.stderr.isatty()
