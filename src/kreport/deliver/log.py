"""The delivery log: one JSON line per message tried -> which messages a server has accepted.

Each line is written and flushed to disk before the next message is offered, so after a crash
or a partial failure the log still says what went out; a rerun with the same log sends only
the rest. A message counts as already sent when a line with status ``sent`` or ``partial``
has the same recipient, region, edition and period. The file is locked while a run uses it,
so two runs cannot send the same list at once.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any, Literal, TypeAlias

from ..errors import DeliveryError

Status: TypeAlias = Literal["sent", "partial", "failed"]
ACCEPTED: tuple[Status, ...] = ("sent", "partial")
Key: TypeAlias = tuple[str, str, str, str]


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the log (keys in this order)."""

    time: str
    status: Status
    recipient: str
    region: str
    language: str
    period: str
    pdf: str
    sha256: str
    message_id: str
    reply: str
    attempts: int = 0
    cc: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    @property
    def key(self) -> Key:
        return key(self.recipient, self.region, self.language, self.period)


def key(recipient: str, region: str, language: str, period: str) -> Key:
    return (recipient.casefold(), region.casefold(), language, period)


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class DeliveryLog:
    """The log at ``path``: read when opened, appended to and locked while open.

    ``read_only`` (a dry run) reads what was sent, if the log exists, and never creates it.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.accepted: set[Key] = set()
        self._file: IO[str] | None = None

    def __enter__(self) -> DeliveryLog:
        self.open()
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def open(self) -> None:
        if self.read_only:
            try:
                self.accepted = _accepted(self.path.read_text(encoding="utf-8"), self.path)
            except FileNotFoundError:
                self.accepted = set()
            except OSError as exc:
                raise DeliveryError(f"{self.path}: cannot read: {exc.strerror}") from None
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("a+", encoding="utf-8")
        except OSError as exc:
            raise DeliveryError(
                f"{self.path}: cannot open the delivery log: {exc.strerror}"
            ) from None
        _lock(self._file, self.path)
        self._file.seek(0)
        text = self._file.read()
        try:
            self.accepted = _accepted(text, self.path)
        except DeliveryError:
            self.close()
            raise
        if text and not text.endswith("\n"):  # cut short by a crash: new lines start afresh
            self._file.write("\n")

    def close(self) -> None:
        if self._file is not None:
            self._file.close()  # releases the lock
            self._file = None

    def sent(self, k: Key) -> bool:
        return k in self.accepted

    def write(self, entry: Entry) -> None:
        """Append ``entry`` and make it durable before returning."""
        assert self._file is not None and not self.read_only, "open the log for writing first"
        line = json.dumps(asdict(entry), ensure_ascii=False, separators=(", ", ": "))
        try:
            self._file.write(line + "\n")
            self._file.flush()
            os.fsync(self._file.fileno())
        except OSError as exc:
            raise DeliveryError(
                f"{self.path}: cannot write the delivery log: {exc.strerror}"
            ) from None
        if entry.status in ACCEPTED:
            self.accepted.add(entry.key)


def _accepted(text: str, path: Path) -> set[Key]:
    out: set[Key] = set()
    lines = text.split("\n")
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data: Any = json.loads(line)
            if data["status"] in ACCEPTED:
                out.add(key(data["recipient"], data["region"], data["language"], data["period"]))
        except (ValueError, KeyError, TypeError, AttributeError):
            if not line.rstrip().endswith("}"):  # cut short by a crash while it was written
                continue
            raise DeliveryError(
                f"{path}: line {n} is not a delivery-log entry; the log cannot say what was sent"
            ) from None
    return out


def _lock(file: IO[str], path: Path) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; one run at a time is then up to the user
        return
    try:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        file.close()
        raise DeliveryError(
            f"{path}: another kreport send is using this delivery log; wait for it to finish"
        ) from None


__all__ = ["ACCEPTED", "DeliveryLog", "Entry", "Key", "Status", "key", "now"]
