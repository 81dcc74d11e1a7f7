"""A real SMTP server on the loopback address (aiosmtpd) that records what it receives.

It can require STARTTLS (or speak TLS from the start) with a certificate from a throwaway CA
(trustme), require a login, refuse chosen recipients, answer DATA with chosen temporary
failures, and drop the connection in the middle of a message.
"""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        msg = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        return msg


@dataclass
class Handler:
    """What the server does; change the fields between runs of a test."""

    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    """Recipient address -> the RCPT reply refusing it, e.g. ``550 5.1.1 no such user``."""
    data_replies: list[str] = field(default_factory=list)
    """Replies to give to the next DATA commands instead of accepting (popped in order)."""
    drops: int = 0
    """How many of the next messages to cut off: the connection closes after one line."""
    logins: list[tuple[str, str]] = field(default_factory=list)
    user: str = "reporter"
    password: str = "s3cret-Pa55"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.data_replies:
            return self.data_replies.pop(0)
        assert isinstance(envelope.original_content, bytes)
        self.received.append(
            Received(str(envelope.mail_from), list(envelope.rcpt_tos), envelope.original_content)
        )
        return f"250 2.0.0 Ok: queued as Q{len(self.received)}"

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        user, password = data.login.decode(), data.password.decode()
        self.logins.append((user, password))
        ok = (user, password) == (self.user, self.password)
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535


class _DroppingSMTP(SMTP):
    async def smtp_DATA(self, arg: str) -> None:
        handler = self.event_handler
        if handler.drops > 0 and self.envelope is not None and self.envelope.rcpt_tos:
            handler.drops -= 1
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            await self._reader.readuntil(b"\r\n")  # the first line of the message, then gone
            assert self.transport is not None
            self.transport.close()
            return
        await super().smtp_DATA(arg)


class _Controller(Controller):
    def factory(self) -> SMTP:
        with warnings.catch_warnings():
            # said when AUTH does not require STARTTLS: true of the TLS-from-the-start server
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS")
            return _DroppingSMTP(self.handler, **self.SMTP_kwargs)


@dataclass
class Running:
    handler: Handler
    port: int
    cafile: Path | None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_server(
    tmp_path: Path, *, tls: str = "none", auth: bool = False, handler: Handler | None = None
) -> Iterator[Running]:
    """Serve on 127.0.0.1 with ``tls`` "none", "starttls" (required) or "ssl"."""
    handler = handler or Handler()
    kwargs: dict[str, Any] = {}
    cafile = None
    if tls != "none":
        ca = trustme.CA()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        cafile = tmp_path / "test-ca.pem"
        ca.cert_pem.write_to_path(str(cafile))
        if tls == "ssl":
            kwargs["ssl_context"] = context
        else:
            kwargs.update(tls_context=context, require_starttls=True)
    if auth:
        # aiosmtpd knows only of STARTTLS: on a TLS-from-the-start socket it would think the
        # connection in clear and hide AUTH, so "require TLS" is asked of STARTTLS alone.
        kwargs.update(
            authenticator=handler.authenticate,
            auth_required=True,
            auth_require_tls=tls == "starttls",
        )
    port = free_port()
    controller = _Controller(
        handler, hostname="127.0.0.1", port=port, server_hostname="kreport.test", **kwargs
    )
    controller.start()
    try:
        yield Running(handler, port, cafile)
    finally:
        controller.stop()
