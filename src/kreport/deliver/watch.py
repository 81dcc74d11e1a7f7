"""Turn changes to a data file (its tally, its logo, inputs beside it) into rebuilds.

The watcher polls: every ``interval`` it lists the folders the briefing comes from and
compares the modification time, size and inode of each input there (data files, tallies,
images) with the last look. Polling needs no
dependency and no file-system events, sees the replace-by-rename that editors and office
suites save with, and at two or three looks a second costs nothing measurable. A change is
rebuilt once the files have stopped changing for one interval, so an editor's several writes
make one rebuild. Lock and temporary files of editors and office suites are ignored, and so
are the outputs themselves. The process stays warm: after the first build, a rebuild skips
the imports and font parsing that dominate a cold ``kreport build``.
"""

from __future__ import annotations

import fnmatch
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .._atomic import write_atomic
from ..api import Paper
from ..errors import KreportError
from ..sources import DATA_SUFFIXES

IGNORED = (
    ".*",  # hidden: vim's .x.swp, LibreOffice's .~lock.x#, emacs's .#x, our own .x.kreport-*.tmp
    "~$*",  # Microsoft Office's owner (lock) file: ~$tally.xlsx
    "~*.tmp",  # Word and Excel while saving: ~WRL1234.tmp
    "*.tmp",
    "*.swp",
    "*.swx",
    "*.swo",
    "*~",  # backup copies: march.toml~
    "#*#",  # emacs auto-save
    "4913",  # vim's probe that the folder is writable
    "*.part",
    "*.crdownload",
)
_EXCEL_TEMP = re.compile(r"[0-9A-F]{8}")  # Excel saves through a file named like 3A4F1B2C
INPUT_SUFFIXES = (*DATA_SUFFIXES, ".xlsx", ".csv", ".png", ".jpg", ".jpeg", ".svg")
"""What a briefing can read: data files, tallies, and images (a logo). A change to any other
file beside them (notes, the PDFs themselves, a log the watcher writes) rebuilds nothing."""

Snapshot = dict[Path, tuple[int, int, int]]


def ignored(name: str) -> bool:
    """Whether a file of this name is an editor's or office suite's lock or temporary file."""
    return any(fnmatch.fnmatchcase(name, p) for p in IGNORED) or bool(_EXCEL_TEMP.fullmatch(name))


def watched_folders(source: Path) -> set[Path]:
    """The folders the briefing of ``source`` reads from: its own, and its tally's."""
    folders = {source.resolve().parent}
    try:
        from ..tally.spec import is_tally, load_spec

        if is_tally(source):
            spec = load_spec(source)
            for path in (spec.metrics_path, spec.types_path):
                if path is not None:
                    folders.add(path.resolve().parent)
    except KreportError:
        pass  # a broken file: the build reports it; its own folder is watched
    return folders


def snapshot(folders: set[Path], source: Path, outputs: set[Path]) -> Snapshot:
    """(mtime, size, inode) of every file in ``folders`` that a change to should rebuild."""
    found: Snapshot = {}
    skip = {p.resolve() for p in outputs}
    for folder in sorted(folders):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if ignored(entry.name) or not entry.name.lower().endswith(INPUT_SUFFIXES):
                continue
            try:
                if not entry.is_file():
                    continue
                st = entry.stat()
            except OSError:  # removed since listed
                continue
            path = Path(entry.path)
            if path.resolve() not in skip:
                found[path] = (st.st_mtime_ns, st.st_size, st.st_ino)
    try:  # the source itself, even if its name looks like a temporary file
        st = source.stat()
        found[source.resolve()] = (st.st_mtime_ns, st.st_size, st.st_ino)
    except OSError:
        pass  # gone while being saved: the next look sees it back
    return found


@dataclass(frozen=True, slots=True)
class Rebuild:
    """One build: the files written, or the error; and why it ran."""

    outputs: tuple[Path, ...]
    error: str | None
    seconds: float
    changed: tuple[Path, ...] = ()


class Watcher:
    """Builds once, then again after each change, until ``stop`` is set."""

    def __init__(
        self,
        source: Path,
        build: Callable[[], list[Path]],
        *,
        outputs: set[Path],
        interval: float = 0.5,
        on_build: Callable[[Rebuild], None] | None = None,
    ) -> None:
        self.source = source
        self.build = build
        self.outputs = outputs
        self.interval = interval
        self.on_build = on_build
        self.builds = 0

    def run(self, stop: threading.Event | None = None, max_builds: int | None = None) -> None:
        """Watch until ``stop`` is set (or ``max_builds`` builds ran, for tests)."""
        stop = stop or threading.Event()
        folders = watched_folders(self.source)
        seen = snapshot(folders, self.source, self.outputs)
        self._rebuild(())
        while not stop.is_set() and (max_builds is None or self.builds < max_builds):
            if stop.wait(self.interval):
                break
            now = snapshot(folders, self.source, self.outputs)
            if now == seen:
                continue
            # Settle: wait until two looks agree, so a save in several writes builds once.
            while not stop.wait(self.interval):
                again = snapshot(folders, self.source, self.outputs)
                if again == now:
                    break
                now = again
            changed = tuple(
                sorted(p for p in seen.keys() | now.keys() if seen.get(p) != now.get(p))
            )
            # What was built is what was seen before the build, not after it: a save made
            # while the build ran is a change the next look must find.
            seen = now
            self._rebuild(changed)
            moved = watched_folders(self.source)  # the TOML may name a tally elsewhere now
            if moved != folders:
                kept = {p: v for p, v in seen.items() if p.parent in moved}
                seen = kept | snapshot(moved - folders, self.source, self.outputs)
                folders = moved

    def _rebuild(self, changed: tuple[Path, ...]) -> None:
        start = time.perf_counter()
        outputs: list[Path] = []
        error = None
        try:
            outputs = self.build()
        except KreportError as exc:
            error = str(exc)
        except Exception as exc:  # a bug: say so, and keep watching for the next save
            error = f"internal error ({type(exc).__name__}: {exc}); this is a bug in kreport"
        self.builds += 1
        if self.on_build is not None:
            rebuild = Rebuild(tuple(outputs), error, time.perf_counter() - start, changed)
            self.on_build(rebuild)


def builder(
    source: Path,
    pdf: Path,
    *,
    png: Path | None = None,
    ppi: int = 144,
    language: str | None = None,
    paper: Paper = "a4",
    period: str | None = None,
) -> Callable[[], list[Path]]:
    """A function that builds ``source`` afresh (rereading every file) and writes its outputs."""

    def build() -> list[Path]:
        from ..api import build_bytes
        from ..sources import collect, only

        item = only(collect([source], period=period), str(source))
        data = build_bytes(item, language, paper)
        written = [write_atomic(data, pdf)]
        if png is not None:
            from .png import pdf_to_png

            written.append(write_atomic(pdf_to_png(data, ppi), png))
        return written

    return build


__all__ = [
    "IGNORED",
    "INPUT_SUFFIXES",
    "Rebuild",
    "Watcher",
    "builder",
    "ignored",
    "snapshot",
    "watched_folders",
]
