"""TLS: smtps and STARTTLS work with a trusted certificate; an untrusted one stops the run."""

from __future__ import annotations

import dataclasses
import shutil
import ssl
from pathlib import Path

import pytest

from briefgen.email.ledger import Ledger
from briefgen.email.recipients import Recipient
from briefgen.email.send import SendReport, send_all
from briefgen.email.smtpurl import SmtpSettings, parse_smtp_url
from briefgen.email.transport import SmtpTransport
from tests.email.smtpserver import Inbox, briefing_message, self_signed, server_tls, smtp_server

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None,
                                reason="needs the openssl command for a test certificate")

PEOPLE = [Recipient("ana@example.org", "Ana"), Recipient("bo@example.org", "Bo")]


def run(tmp_path: Path, settings: SmtpSettings, context: ssl.SSLContext | None,
        waits: list[float]) -> SendReport:
    with Ledger(tmp_path / "l.sent.jsonl") as ledger:
        transport = SmtpTransport(settings, timeout=5, context=context)
        report = send_all(lambda _r: briefing_message(), PEOPLE, ledger, transport,
                          retries=2, sleep=waits.append)
        transport.close()
    return report


def test_smtps_with_a_trusted_certificate_delivers(tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    inbox = Inbox()
    with smtp_server(inbox, ssl_context=server_tls(cert, key)) as port:
        report = run(tmp_path, parse_smtp_url(f"smtps://127.0.0.1:{port}", env={}),
                     ssl.create_default_context(cafile=cert), [])
    assert report.ok and inbox.to() == ["ana@example.org", "bo@example.org"]


def test_starttls_with_a_trusted_certificate_delivers(tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    inbox = Inbox()
    with smtp_server(inbox, tls_context=server_tls(cert, key), require_starttls=True) as port:
        settings = dataclasses.replace(parse_smtp_url(f"smtp://127.0.0.1:{port}", env={}),
                                       starttls=True)  # as for a host off this machine
        report = run(tmp_path, settings, ssl.create_default_context(cafile=cert), [])
    assert report.ok and inbox.to() == ["ana@example.org", "bo@example.org"]


@pytest.mark.parametrize("scheme", ["smtps", "smtp+starttls"])
def test_an_untrusted_certificate_stops_the_run_without_retrying(tmp_path: Path,
                                                                  scheme: str) -> None:
    cert, key = self_signed(tmp_path)
    inbox = Inbox()
    waits: list[float] = []
    options = ({"ssl_context": server_tls(cert, key)} if scheme == "smtps"
               else {"tls_context": server_tls(cert, key), "require_starttls": True})
    with smtp_server(inbox, **options) as port:
        settings = parse_smtp_url(f"{scheme.split('+')[0]}://127.0.0.1:{port}", env={})
        settings = dataclasses.replace(settings, starttls=scheme != "smtps")
        report = run(tmp_path, settings, None, waits)  # the system's CAs: not ours
    assert "certificate" in report.aborted and "cannot be trusted" in report.aborted
    assert report.not_attempted == ["ana@example.org", "bo@example.org"]
    assert waits == [] and inbox.received == []
