"""Turn ``Letter``s into messages and hand them to a server (or to ``.eml`` files): ``Result``s.

For each letter in order: skip it if the delivery log says the server already accepted it
(unless ``resend``), compose the message, check its size, then send it and log the server's
answer — or, in a dry run, write it to a ``.eml`` file and send nothing. A failure never
stops the other letters, except one that stops them all (the server cannot be reached, or
refuses the login): then every letter not yet sent fails with that reason, and is logged so.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from pathlib import Path
from typing import Literal, TypeAlias

from .._atomic import write_atomic
from ..errors import DeliveryError, KreportError
from .log import DeliveryLog, Entry, key, now
from .message import DEFAULT_SUBJECT, MAX_SIZE, check_size, compose, subject
from .plan import Letter
from .smtp import Outbox

Status: TypeAlias = Literal["sent", "partial", "failed", "skipped", "written"]


@dataclass(frozen=True, slots=True)
class Settings:
    """What every message shares."""

    sender: Address
    subject: str = DEFAULT_SUBJECT
    max_size: int = MAX_SIZE
    today: dt.date = field(default_factory=dt.date.today)


@dataclass(frozen=True, slots=True)
class Result:
    """What became of one letter."""

    letter: Letter
    status: Status
    detail: str
    """What to tell the user: the server's reply, the error, or the ``.eml`` written."""
    message_id: str = ""
    reply: str = ""
    """The server's last reply, if it was asked."""
    attempts: int = 0
    refused: dict[str, str] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.status in ("failed", "partial")


@dataclass(slots=True)
class Summary:
    results: list[Result] = field(default_factory=list)

    def count(self, *statuses: Status) -> int:
        return sum(r.status in statuses for r in self.results)

    @property
    def ok(self) -> bool:
        return not any(r.failed for r in self.results)


def deliver(
    letters: Sequence[Letter],
    settings: Settings,
    *,
    outbox: Outbox | None = None,
    dry_run: Path | None = None,
    log: DeliveryLog | None = None,
    resend: bool = False,
    on_result: Callable[[Result], None] | None = None,
) -> Summary:
    """Send each letter through ``outbox`` (or write it under ``dry_run``); log what happened.

    ``log`` is read for what was already accepted (skipped unless ``resend``) and, unless this
    is a dry run, appended to after every message.
    """
    assert (outbox is None) != (dry_run is None), "send through an outbox, or dry-run"
    summary = Summary()
    stopped: str | None = None

    def done(result: Result) -> None:
        if dry_run is None and log is not None and result.status != "skipped":
            log.write(_entry(result))
        summary.results.append(result)
        if on_result is not None:
            on_result(result)

    for n, letter in enumerate(letters, start=1):
        r, b = letter.recipient, letter.briefing
        if letter.error is not None or b is None:
            done(Result(letter, "failed", letter.error or "not built"))
            continue
        sent_before = log is not None and log.sent(key(r.email, r.region, b.language, b.period))
        if sent_before and not resend:
            done(Result(letter, "skipped", f"already sent (in {log.path if log else ''})"))
            continue
        if stopped is not None:
            done(Result(letter, "failed", f"not sent: {stopped}"))
            continue
        try:
            msg = compose(
                b,
                letter.pdf,
                letter.path.name if letter.path else "briefing.pdf",
                letter.preview,
                sender=settings.sender,
                to=r.address,
                cc=r.cc,
                subject_line=subject(settings.subject, b, r.region, settings.today),
            )
            data = msg.as_bytes(policy=email.policy.SMTP)
            check_size(data, settings.max_size, r.email)
            message_id = str(msg["Message-ID"])
            if dry_run is not None:
                path = write_atomic(data, dry_run / f"{n:03d}-{_safe(r.email)}.eml")
                done(Result(letter, "written", str(path), message_id))
                continue
        except KreportError as exc:  # this message only: too large, cannot be written
            done(Result(letter, "failed", str(exc)))
            continue
        assert outbox is not None
        try:
            receipt = outbox.send(settings.sender.addr_spec, [r.email, *r.cc], data)
        except DeliveryError as exc:  # unreachable server, login refused: no message can go
            stopped = str(exc)
            done(Result(letter, "failed", stopped, message_id))
            continue
        status: Status = "sent" if receipt.accepted else "failed"
        detail = receipt.reply
        if receipt.accepted and receipt.refused:
            status = "partial"
            refused = "; ".join(f"{a}: {why}" for a, why in receipt.refused.items())
            detail = f"accepted ({receipt.reply}) but refused for {refused}"
        elif not receipt.accepted and receipt.attempts > 1:
            detail = f"{receipt.reply} (gave up after {receipt.attempts} attempts)"
        done(
            Result(
                letter,
                status,
                detail,
                message_id,
                receipt.reply,
                receipt.attempts,
                receipt.refused,
            )
        )
    return summary


def _entry(result: Result) -> Entry:
    letter, r, b = result.letter, result.letter.recipient, result.letter.briefing
    assert result.status in ("sent", "partial", "failed")
    return Entry(
        time=now(),
        status=result.status,
        recipient=r.email,
        region=r.region,
        language=b.language if b else (r.language or ""),
        period=b.period if b else "",
        pdf=str(letter.path or ""),
        sha256=letter.sha256,
        message_id=result.message_id,
        reply=result.reply,
        attempts=result.attempts,
        cc=list(r.cc),
        refused=result.refused,
        error=result.detail if result.status == "failed" else None,
    )


def _safe(address: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", address)[:80]


__all__ = ["Result", "Settings", "Status", "Summary", "deliver"]
