"""Hand message bytes to an SMTP server and return its answer as a ``Receipt``.

One connection is kept open for all messages and reopened when it drops. A temporary failure
(a 4xx reply, a dropped or timed-out connection) is retried with a doubling wait; a permanent
one (5xx) is not. What stops every message — the server cannot be reached, refuses the user
name and password, offers no STARTTLS, or shows an untrusted certificate — raises
``DeliveryError``. The password is sent to the server and nowhere else: no message, log line
or ``repr`` of this module carries it.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NoReturn, TypeAlias

from ..errors import DeliveryError, UsageError, describe

Tls: TypeAlias = Literal["starttls", "ssl", "none"]
DEFAULT_PORT: dict[Tls, int] = {"starttls": 587, "ssl": 465, "none": 25}
USER_VARIABLE, PASSWORD_VARIABLE = "KREPORT_SMTP_USER", "KREPORT_SMTP_PASSWORD"
BACKOFF = 1.0
"""Seconds before the first retry; each later retry waits twice as long (1, 2, 4 s)."""


@dataclass(frozen=True, slots=True)
class Server:
    """Where and how to connect; the credentials come from the environment only."""

    host: str
    port: int
    tls: Tls = "starttls"
    cafile: Path | None = None
    """A CA bundle to trust instead of the system's (a company relay with its own CA)."""
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0

    @classmethod
    def from_options(
        cls,
        address: str,
        tls: Tls = "starttls",
        cafile: Path | None = None,
        environ: Mapping[str, str] = os.environ,
    ) -> Server:
        """``HOST:PORT`` (``[::1]:25`` for IPv6; the port defaults by ``tls``) and the
        ``KREPORT_SMTP_USER``/``KREPORT_SMTP_PASSWORD`` variables; contradictions refused."""
        host, port = _host_port(address, DEFAULT_PORT[tls])
        if tls == "none" and not is_loopback(host):
            raise UsageError(
                f"--tls none sends in clear text and is allowed only to this machine "
                f"(localhost, 127.0.0.1, ::1), not to {host}"
            )
        user = environ.get(USER_VARIABLE) or None
        password = environ.get(PASSWORD_VARIABLE) or None
        if (user is None) != (password is None):
            missing = PASSWORD_VARIABLE if password is None else USER_VARIABLE
            raise UsageError(f"{USER_VARIABLE} and {PASSWORD_VARIABLE} go together: set {missing}")
        return cls(host, port, tls, cafile, user, password)

    @property
    def where(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def _host_port(text: str, default: int) -> tuple[str, int]:
    host, port = text.strip(), ""
    if host.startswith("["):  # [::1]:25
        host, _, rest = host[1:].partition("]")
        port = rest.removeprefix(":")
    elif host.count(":") == 1:
        host, port = host.split(":")
    if not host or (port and not port.isdigit()) or not 0 < int(port or default) < 65536:
        raise UsageError(f"--smtp {text!r}: expected HOST:PORT, e.g. smtp.example.org:587")
    return host, int(port or default)


def is_loopback(host: str) -> bool:
    """Whether every address ``host`` names is this machine's loopback."""
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(
        ipaddress.ip_address(str(info[4][0]).split("%")[0]).is_loopback for info in infos
    )


@dataclass(frozen=True, slots=True)
class Receipt:
    """What the server said about one message."""

    accepted: bool
    reply: str
    """The server's last reply: ``250 2.0.0 Ok: queued as …``, or the refusal."""
    attempts: int
    refused: dict[str, str] = field(default_factory=dict)
    """Recipients refused while others were accepted (address -> reply)."""


class _Failure(Exception):
    def __init__(self, reply: str, temporary: bool) -> None:
        super().__init__(reply)
        self.reply = reply
        self.temporary = temporary


class Outbox:
    """Sends messages through one server, keeping the connection between them."""

    def __init__(
        self,
        server: Server,
        *,
        retries: int = 3,
        backoff: float | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.server = server
        self.retries = retries
        self.backoff = BACKOFF if backoff is None else backoff
        self.sleep = sleep or time.sleep
        self._conn: smtplib.SMTP | None = None

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def send(self, sender: str, recipients: Sequence[str], data: bytes) -> Receipt:
        """Offer ``data`` to the server; retries temporary failures, never permanent ones."""
        failure = _Failure("not tried", True)
        reached = False
        for attempt in range(1, self.retries + 2):
            if attempt > 1:
                self.sleep(self.backoff * 2 ** (attempt - 2))
            try:
                conn = self._connection()
            except _Failure as exc:
                failure = exc
                continue
            reached = True
            try:
                reply, refused = _transaction(conn, sender, recipients, data)
                return Receipt(True, reply, attempt, refused)
            except _Failure as exc:
                failure = exc
            except (smtplib.SMTPException, OSError) as exc:  # dropped, reset, timed out
                failure = _Failure(_describe(exc), True)
            if failure.temporary:
                self._drop()  # a fresh connection for the retry: the old one may be half-dead
            else:
                return Receipt(False, failure.reply, attempt)
        if not reached:  # never reached the server: no later message would either
            raise DeliveryError(
                f"{self.server.where}: cannot connect after {self.retries + 1} attempts: "
                f"{failure.reply}"
            )
        return Receipt(False, failure.reply, self.retries + 1)

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._conn.quit()
            self._drop()

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.close()
        self._conn = None

    def _connection(self) -> smtplib.SMTP:
        if self._conn is not None:
            return self._conn
        s = self.server
        context = ssl.create_default_context(cafile=str(s.cafile) if s.cafile else None)
        conn: smtplib.SMTP | None = None
        try:
            if s.tls == "ssl":
                conn = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
            else:
                conn = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            conn.ehlo()
            if s.tls == "starttls":
                if not conn.has_extn("starttls"):
                    raise DeliveryError(
                        f"{s.where} does not offer STARTTLS; use --tls ssl if it takes TLS "
                        "from the start (usually port 465)"
                    )
                conn.starttls(context=context)
                conn.ehlo()
            if s.user is not None and s.password is not None:
                _login(conn, s)
        except ssl.SSLCertVerificationError as exc:
            _close(conn)
            raise DeliveryError(
                f"{s.where}: the server's certificate is not trusted ({exc.verify_message}); "
                "--cafile names the CA that signed it"
            ) from None
        except DeliveryError:
            _close(conn)
            raise
        except (smtplib.SMTPException, OSError) as exc:
            _close(conn)
            raise _Failure(_describe(exc), True) from None
        self._conn = conn
        return conn


def _login(conn: smtplib.SMTP, s: Server) -> None:
    assert s.user is not None and s.password is not None
    if not conn.has_extn("auth"):
        raise DeliveryError(f"{s.where} offers no login (AUTH) on this connection")
    offered = conn.esmtp_features["auth"].upper().split()
    # One mechanism, tried once: smtplib's login() would try each one the server offers, and
    # every wrong try counts towards locking the account.
    mechanism = next((m for m in ("CRAM-MD5", "PLAIN", "LOGIN") if m in offered), None)
    if mechanism is None:
        raise DeliveryError(f"{s.where} offers no login kreport knows ({' '.join(offered)})")
    conn.user, conn.password = s.user, s.password
    method = getattr(conn, "auth_" + mechanism.lower().replace("-", "_"))
    try:
        conn.auth(mechanism, method, initial_response_ok=True)
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(
            f"{s.where} refused the user name or password from {USER_VARIABLE} and "
            f"{PASSWORD_VARIABLE}: {_reply(exc.smtp_code, exc.smtp_error)}"
        ) from None


def _close(conn: smtplib.SMTP | None) -> None:
    if conn is not None:
        with contextlib.suppress(OSError):
            conn.close()


def _transaction(
    conn: smtplib.SMTP, sender: str, recipients: Sequence[str], data: bytes
) -> tuple[str, dict[str, str]]:
    """MAIL, RCPT for each recipient, DATA; the final reply and any recipients refused."""
    size = conn.esmtp_features.get("size", "")
    if size.isdigit() and 0 < int(size) < len(data):
        raise _Failure(
            f"the server takes messages up to {int(size) / 1e6:.1f} MB; "
            f"this one is {len(data) / 1e6:.1f} MB",
            False,
        )
    options = [f"SIZE={len(data)}"] if conn.has_extn("size") else []
    code, text = conn.mail(sender, options)
    if code != 250:
        _abandon(conn, code, text)
    refused: dict[str, tuple[int, bytes]] = {}
    for address in recipients:
        code, text = conn.rcpt(address)
        if code not in (250, 251):
            refused[address] = (code, text)
    if len(refused) == len(recipients):
        worst = max(refused.values(), key=lambda r: r[0])  # a 5xx outweighs a 4xx
        _abandon(conn, *worst)
    try:
        code, text = conn.data(data)
    except smtplib.SMTPDataError as exc:  # DATA itself refused (not 354)
        _abandon(conn, exc.smtp_code, exc.smtp_error)
    if code != 250:
        _abandon(conn, code, text)
    return _reply(code, text), {a: _reply(c, t) for a, (c, t) in refused.items()}


def _abandon(conn: smtplib.SMTP, code: int, text: bytes | str) -> NoReturn:
    """Raise the failure for ``code``, after resetting the transaction for the next message."""
    if code != 421:  # 421: the server is closing the connection; there is nothing to reset
        with contextlib.suppress(smtplib.SMTPException, OSError):
            conn.rset()
    raise _Failure(_reply(code, text), temporary=code < 500)


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}"


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return _reply(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"connection dropped ({exc or 'closed'})"
    if isinstance(exc, OSError) and exc.strerror:
        return f"connection failed ({exc.strerror})"
    return describe(exc)


__all__ = [
    "DEFAULT_PORT",
    "PASSWORD_VARIABLE",
    "USER_VARIABLE",
    "Outbox",
    "Receipt",
    "Server",
    "Tls",
    "is_loopback",
]
