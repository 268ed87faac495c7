"""A real SMTP server on loopback (aiosmtpd) that keeps what it accepts and misbehaves on cue."""

from __future__ import annotations

import asyncio
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from briefgen.email.headers import new_message


@dataclass
class Inbox:
    """An aiosmtpd handler: what it accepted; the refusals, delays and drops it is told to do."""

    received: list[tuple[str, EmailMessage]] = field(default_factory=list)  # (envelope to, msg)
    refuse: dict[str, str] = field(default_factory=dict)  # address -> final reply at RCPT
    later: dict[str, int] = field(default_factory=dict)  # address -> how many 451s at RCPT first
    drop_at_data: set[str] = field(default_factory=set)  # drop the connection once, at DATA
    hold_at_data: str = ""  # keep this address's message, then wait for `release` to reply
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    logins: list[tuple[str, str]] = field(default_factory=list)
    sessions: int = 0

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str,
                          responses: list[str]) -> list[str]:
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return self.refuse[address]
        if self.later.get(address):
            self.later[address] -= 1
            return "451 4.3.0 mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        (to,) = envelope.rcpt_tos
        if to in self.drop_at_data:
            self.drop_at_data.discard(to)
            server.transport.close()
            return "421 4.4.2 connection dropped by the test"
        parsed = message_from_bytes(envelope.original_content, policy=default)
        assert isinstance(parsed, EmailMessage)
        self.received.append((to, parsed))
        if to == self.hold_at_data:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)
        return "250 Message accepted"

    def to(self) -> list[str]:
        """The envelope recipient of every accepted message, in order."""
        return [to for to, _ in self.received]

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str,
                     data: Any) -> AuthResult:
        assert isinstance(data, LoginPassword)
        login = (data.login.decode(), data.password.decode())
        self.logins.append(login)
        return AuthResult(success=login == ("desk", "s3cret"), handled=False)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server(inbox: Inbox, **options: Any) -> Iterator[int]:
    """Run an aiosmtpd server for inbox on 127.0.0.1 and yield its port."""
    if options.pop("auth", False):
        options.update(authenticator=inbox.authenticate, auth_required=True,
                       auth_require_tls=False)  # loopback, test only
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    try:
        yield controller.port
    finally:
        inbox.release.set()
        controller.stop()


WHEN_ISO = "2026-02-04T09:30:00+00:00"


def briefing_message(guid: str = "urn:uuid:brief-1",
                     subject: str = "Ceasefire talks resume") -> EmailMessage:
    """A message as compose makes one: headers from headers.new_message, text and HTML parts."""
    from datetime import datetime

    msg = new_message(subject=subject, sender="The Desk <desk@example.org>",
                      date=datetime.fromisoformat(WHEN_ISO), guid=guid,
                      base_url="https://example.org/", unsubscribe="https://example.org/u")
    msg.set_content(f"{subject}\n\nTalks resumed in Doha [1].\n\n[1] https://example.org/s\n")
    msg.add_alternative(f"<!doctype html><html lang=en><body><h1>{subject}</h1>"
                        "<p>Talks resumed in Doha.</p></body></html>", subtype="html")
    return msg


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made by the openssl command (cert, key)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


def server_tls(cert: Path, key: Path) -> ssl.SSLContext:
    """The server side of TLS with that certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context
