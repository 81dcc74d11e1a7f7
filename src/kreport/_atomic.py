"""Write a file atomically: readers see the old file or the new one, never a part.

Private: used by every stage that writes (PDFs, templates, workbooks), so it imports nothing
heavier than the standard library.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import OutputError

TEMP_TAG = ".kreport-"
"""Temporary files are named ``.<output name>.kreport-<pid>-<random>.tmp`` beside the output."""
NAME_MAX = 255
"""Longest file name, in bytes, that common file systems (ext4, APFS, NTFS, ...) take."""
_TEMP_NAME_BYTES = NAME_MAX - 40
"""Bytes of the output's name kept in its temporary name; the rest holds the tag, pid and
random part, so a long (but valid) output name still gets a valid temporary name."""
STALE_AFTER = 3600.0
"""Seconds after which a leftover temporary file is removed even if its process may be alive."""


def write_atomic(data: bytes, path: Path, *, tidy: bool = True, sync: bool = True) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    Readers see the old file or the new one, never a part: a failure (or a kill) before the rename
    leaves any earlier file untouched. A process killed mid-write cannot delete its temporary
    file, so each write first removes those of its own output name left by dead processes.

    Only regular files are written: a folder, device, FIFO or socket at ``path`` is refused by
    name, never replaced. A symbolic link is written through: the file it points to is replaced
    and the link stays. A new file gets the mode the umask allows (as any program's would); a
    replaced file keeps its mode, so a private briefing stays private.

    ``tidy=False`` skips the look for leftovers, for a writer that removed them all from the
    folder before it began (``remove_stale_temps_of``): a batch writing thousands of briefings
    to one folder would otherwise list the whole folder for each. ``sync=False`` leaves making
    the rename durable to the writer, which calls ``sync_folder`` once when it is done
    (the file's own data is always synced before the rename, so a crash never leaves a part).
    """
    path = Path(path)
    try:
        target, mode = _target(path)
        folder = target.parent if str(target.parent) else Path(".")
        if folder.exists() and not folder.is_dir():
            raise OutputError(f"{path}: cannot write: {folder} is a file, not a folder", path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}", path) from None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if tidy:
            remove_stale_temps(target)
        fd, tmp = _create_temp(target)
    except OSError as exc:
        raise OutputError(
            f"{path}: cannot write to {folder}: {exc.strerror or exc}", path
        ) from None
    try:
        try:
            if mode is not None:
                os.fchmod(fd, mode)
            view = memoryview(data)
            while view:  # os.write may write less than asked
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}", path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if sync:
        sync_folder(folder)
    return path


def _target(path: Path) -> tuple[Path, int | None]:
    """The regular file to replace (``path``, or where its symlink points) and its mode.

    The mode is ``None`` when no file is there yet. Raises ``OutputError`` for anything that is
    not a regular file, so that a rename never swaps a device, FIFO or socket for a PDF.
    """
    size = len(os.fsencode(path.name))
    if size > NAME_MAX:
        raise OutputError(
            f"{path}: cannot write: the file name is {size} bytes long; at most {NAME_MAX} fit",
            path,
        )
    try:
        st = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):  # the folder's problems are named later
        return path, None
    target = path
    if stat.S_ISLNK(st.st_mode):
        target = Path(os.path.realpath(path))
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise OutputError(
                f"{path}: cannot write: it is a symbolic link to {target}, which does not exist",
                path,
            ) from None
    if stat.S_ISREG(st.st_mode):
        return target, stat.S_IMODE(st.st_mode) & 0o777
    what = "it" if target == path else f"it links to {target}, which"
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{path}: cannot write: {what} is a folder", path)
    raise OutputError(
        f"{path}: cannot write: {what} is {file_kind(st.st_mode)}, not a regular file", path
    )


def file_kind(mode: int) -> str:
    """``a FIFO``, ``a character device``, ...: what a non-regular file is, for messages."""
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISLNK, "a symbolic link"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _temp_prefix(target: Path) -> str:
    """``.<name>.kreport-``, the name cut so that a temporary name stays under NAME_MAX."""
    name = target.name
    while len(os.fsencode(name)) > _TEMP_NAME_BYTES:  # cut whole characters, never a byte
        name = name[:-1]
    return f".{name}{TEMP_TAG}"


def _create_temp(target: Path) -> tuple[int, str]:
    """A new, empty temporary file beside ``target``, created with mode 0666 less the umask.

    Not ``tempfile.mkstemp``: that makes 0600 files, and reading the umask to widen them would
    race with other threads (``os.umask`` sets it to read it). ``open(2)`` applies it for us.
    """
    folder = target.parent if str(target.parent) else Path(".")
    prefix = f"{_temp_prefix(target)}{os.getpid()}-"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        tmp = os.path.join(folder, f"{prefix}{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(folder))


def remove_stale_temps(path: Path) -> list[Path]:
    """Remove temporary files for ``path`` left by killed processes; returns those removed."""
    prefix = _temp_prefix(path)
    return _remove_stale(path.parent if str(path.parent) else Path("."), prefix.__eq__)


def remove_stale_temps_of(paths: Iterable[Path]) -> list[Path]:
    """``remove_stale_temps`` for each of ``paths`` (the files to be replaced, symbolic links
    followed: ``replaced``), listing each folder once; returns those removed. A folder that
    cannot be listed (not made yet, say) is skipped: a write there names its own problem."""
    prefixes: dict[Path, set[str]] = {}
    for path in paths:
        folder = path.parent if str(path.parent) else Path(".")
        prefixes.setdefault(folder, set()).add(_temp_prefix(path))
    removed = []
    for folder, names in sorted(prefixes.items()):
        with contextlib.suppress(OSError):
            removed += _remove_stale(folder, names.__contains__)
    return removed


def replaced(path: Path) -> Path:
    """The file a ``write_atomic`` to ``path`` replaces now: ``path``, or where its symbolic
    link points; ``path`` itself when that cannot be told (the write will say why)."""
    try:
        return _target(path)[0]
    except (OSError, OutputError):
        return path


def _remove_stale(folder: Path, prefix_matches: Callable[[str], bool]) -> list[Path]:
    """Remove the temporary files in ``folder`` whose prefix (``.<name>.kreport-``) matches,
    left by a process that is gone or older than ``STALE_AFTER``; returns those removed."""
    removed = []
    with os.scandir(folder) as entries:
        for entry in entries:
            # .<name>.kreport-<pid>-<random>.tmp: the name may hold the tag too, the rest cannot
            name = entry.name
            at = name.rfind(TEMP_TAG) + len(TEMP_TAG)
            if not (name.endswith(".tmp") and at >= len(TEMP_TAG) and prefix_matches(name[:at])):
                continue
            pid = name[at:].split("-", 1)[0]
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


def sync_folder(folder: Path) -> None:
    """Make the renames made in ``folder`` durable; not every system or file system allows it."""
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
