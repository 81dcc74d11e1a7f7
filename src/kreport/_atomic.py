"""Write a file atomically: readers see the old file or the new one, never a part.

Private: used by every stage that writes (PDFs, templates, workbooks), so it imports nothing
heavier than the standard library.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from .errors import OutputError

TEMP_TAG = ".kreport-"
"""Temporary files are named ``.<output name>.kreport-<pid>-<random>.tmp`` beside the output."""
STALE_AFTER = 3600.0
"""Seconds after which a leftover temporary file is removed even if its process may be alive."""


def write_atomic(data: bytes, path: Path) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    Readers see the old file or the new one, never a part: a failure (or a kill) before the rename
    leaves any earlier file untouched. A process killed mid-write cannot delete its temporary
    file, so each write first removes those of its own output name left by dead processes.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{path}: cannot write: {folder} is a file, not a folder", path)
    if path.is_dir():
        raise OutputError(f"{path}: cannot write: it is a folder", path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(path)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{path.name}{TEMP_TAG}{os.getpid()}-", suffix=".tmp", dir=folder
        )
    except OSError as exc:
        raise OutputError(
            f"{path}: cannot write to {folder}: {exc.strerror or exc}", path
        ) from None
    try:
        try:
            view = memoryview(data)
            while view:  # os.write may write less than asked
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}", path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(folder)
    return path


def remove_stale_temps(path: Path) -> list[Path]:
    """Remove temporary files for ``path`` left by killed processes; returns those removed."""
    folder = path.parent if str(path.parent) else Path(".")
    prefix = f".{path.name}{TEMP_TAG}"
    removed = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if not (entry.name.startswith(prefix) and entry.name.endswith(".tmp")):
                continue
            pid = entry.name[len(prefix) :].split("-", 1)[0]
            try:
                old = time.time() - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER
                if old or (pid.isdigit() and not _running(int(pid))):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
            except FileNotFoundError:  # another process cleaned it first
                continue
    return removed


def _running(pid: int) -> bool:
    """Whether ``pid`` is a live process on this machine (assumed so where we cannot tell)."""
    if pid == os.getpid():
        return True
    if os.name != "posix":  # os.kill(pid, 0) would terminate it on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, owned by someone else
        return True
    return True


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every system or file system allows it."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
