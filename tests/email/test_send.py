"""send_all against a real SMTP server on loopback: once each, retries, reconnects, refusals."""

from __future__ import annotations

import dataclasses
from email.message import EmailMessage
from pathlib import Path

import pytest

from briefgen.email.ledger import Ledger
from briefgen.email.recipients import Recipient
from briefgen.email.send import SendReport, send_all
from briefgen.email.smtpurl import parse_smtp_url
from briefgen.email.transport import SmtpTransport
from tests.email.smtpserver import Inbox, briefing_message, smtp_server

PEOPLE = [Recipient("ana@example.org", "Ana Lima", "pt"),
          Recipient("bo@example.net", "Bo", ""),
          Recipient("chen@example.com", "", "zh")]


class Sleeps:
    """A sleep that writes down how long it was asked to wait and moves its own clock on."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.now = 100.0

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def run(port: int, ledger_file: Path, people: list[Recipient] = PEOPLE,
        message: EmailMessage | None = None, sleep: Sleeps | None = None,
        **options: object) -> SendReport:
    msg = message or briefing_message()
    transport = SmtpTransport(parse_smtp_url(f"smtp://127.0.0.1:{port}", env={}), timeout=5)
    kwargs: dict[str, object] = {"rate": None, "dry_run": False, "retries": 3,
                                 "sleep": sleep or Sleeps(), **options}
    with Ledger(ledger_file) as ledger:
        try:
            return send_all(lambda _r: msg, people, ledger, transport, **kwargs)  # type: ignore[arg-type]
        finally:
            transport.close()


def test_every_recipient_gets_one_message_with_its_own_to(tmp_path: Path) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        report = run(port, tmp_path / "list.sent.jsonl")
    assert report.sent == [p.address for p in PEOPLE] and report.ok
    assert inbox.to() == [p.address for p in PEOPLE]
    tos = [str(msg["To"]) for _, msg in inbox.received]
    assert tos == ["Ana Lima <ana@example.org>", "Bo <bo@example.net>", "chen@example.com"]
    for _, msg in inbox.received:
        assert msg["Subject"] == "Ceasefire talks resume"
        assert msg["From"] == "The Desk <desk@example.org>"
        assert msg["List-Unsubscribe"] == "<https://example.org/u>"
        assert msg["Message-ID"] == briefing_message()["Message-ID"]
        assert msg["Cc"] is None and msg["Bcc"] is None
        assert msg.get_content_type() == "multipart/alternative"
        text, html = (part.get_content_type() for part in msg.iter_parts())
        assert (text, html) == ("text/plain", "text/html")
        body = msg.get_body(("plain",))
        assert body is not None and "Talks resumed in Doha [1]." in body.get_content()
    assert inbox.sessions == 1  # one session for the whole run


def test_the_second_run_sends_nothing(tmp_path: Path) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        run(port, tmp_path / "list.sent.jsonl")
        again = run(port, tmp_path / "list.sent.jsonl")
    assert again.sent == [] and again.already_sent == [p.address for p in PEOPLE]
    assert len(inbox.received) == 3


def test_a_new_briefing_goes_to_everyone_again(tmp_path: Path) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        run(port, tmp_path / "l.jsonl")
        other = run(port, tmp_path / "l.jsonl", message=briefing_message("urn:uuid:brief-2"))
    assert len(other.sent) == 3 and len(inbox.received) == 6


def test_a_recipient_added_to_the_list_later_gets_only_the_missing_message(
        tmp_path: Path) -> None:
    inbox = Inbox()
    late = Recipient("dee@example.org", "Dee")
    with smtp_server(inbox) as port:
        run(port, tmp_path / "l.jsonl", people=PEOPLE[:2])
        report = run(port, tmp_path / "l.jsonl", people=[*PEOPLE, late])
    assert report.sent == ["chen@example.com", "dee@example.org"]
    assert sorted(inbox.to()) == sorted(p.address for p in [*PEOPLE, late])


def test_a_line_break_in_a_name_cannot_add_a_header(tmp_path: Path) -> None:
    inbox = Inbox()
    evil = [Recipient("eve@example.org", "Eve\r\nBcc: victim@example.com\r\nX-Evil: 1"),
            Recipient("mal@example.org", 'Mal" <boss@example.org>, "x')]
    with smtp_server(inbox) as port:
        report = run(port, tmp_path / "l.jsonl", people=evil)
    assert report.sent == ["eve@example.org", "mal@example.org"]
    assert inbox.to() == ["eve@example.org", "mal@example.org"]  # no victim in the envelope
    eve, mal = (msg for _, msg in inbox.received)
    assert eve["Bcc"] is None and eve["X-Evil"] is None
    assert [a.addr_spec for a in eve["To"].addresses] == ["eve@example.org"]
    assert eve["To"].addresses[0].display_name == "Eve Bcc: victim@example.com X-Evil: 1"
    assert [a.addr_spec for a in mal["To"].addresses] == ["mal@example.org"]


def test_an_address_with_a_line_break_is_refused_before_the_server(tmp_path: Path) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        report = run(port, tmp_path / "l.jsonl",
                     people=[Recipient("a@example.org\r\nRCPT TO:<b@example.org>"), PEOPLE[1]])
    assert [a for a, _ in report.failed] == ["a@example.org\r\nRCPT TO:<b@example.org>"]
    assert "line break" in report.failed[0][1]
    assert inbox.to() == ["bo@example.net"]


def test_a_dropped_connection_is_opened_again_and_everyone_is_served(tmp_path: Path) -> None:
    inbox = Inbox(drop_at_data={"bo@example.net"})
    sleeps = Sleeps()
    with smtp_server(inbox) as port:
        report = run(port, tmp_path / "l.jsonl", sleep=sleeps)
    assert report.ok and report.sent == [p.address for p in PEOPLE]
    assert sorted(inbox.to()) == sorted(p.address for p in PEOPLE)  # once each
    assert inbox.sessions == 2 and report.retries == 1 and sleeps.waits == [2.0]


def test_a_refused_recipient_is_reported_and_the_others_are_served(tmp_path: Path) -> None:
    inbox = Inbox(refuse={"bo@example.net": "550 5.1.1 no such mailbox"})
    sleeps = Sleeps()
    with smtp_server(inbox) as port:
        report = run(port, tmp_path / "l.jsonl", sleep=sleeps)
        again = run(port, tmp_path / "l.jsonl", sleep=sleeps)
    assert report.failed == [("bo@example.net", "550 5.1.1 no such mailbox")]
    assert report.sent == ["ana@example.org", "chen@example.com"] and not report.ok
    assert inbox.to() == ["ana@example.org", "chen@example.com"]
    assert sleeps.waits == []  # a permanent refusal is not retried
    # the next run tries the refused address again (it may have been fixed), nobody else
    assert again.sent == [] and [a for a, _ in again.failed] == ["bo@example.net"]


def test_a_temporary_refusal_is_retried_with_growing_waits(tmp_path: Path) -> None:
    inbox = Inbox(later={"ana@example.org": 3})
    sleeps = Sleeps()
    with smtp_server(inbox) as port:
        report = run(port, tmp_path / "l.jsonl", sleep=sleeps, retries=3, backoff=0.5)
    assert report.ok and report.retries == 3 and sleeps.waits == [0.5, 1.0, 2.0]
    assert inbox.to() == [p.address for p in PEOPLE]


def test_temporary_refusals_beyond_the_retries_fail_that_address_only(tmp_path: Path) -> None:
    inbox = Inbox(later={"ana@example.org": 10})
    sleeps = Sleeps()
    with smtp_server(inbox) as port:
        report = run(port, tmp_path / "l.jsonl", sleep=sleeps, retries=2)
        inbox.later.clear()
        resumed = run(port, tmp_path / "l.jsonl", sleep=sleeps)
    assert report.failed == [("ana@example.org",
                              "451 4.3.0 mailbox busy, try again later (tried 3 times)")]
    assert sleeps.waits == [2.0, 4.0]
    assert report.sent == ["bo@example.net", "chen@example.com"]
    assert resumed.sent == ["ana@example.org"]  # a failure is not 'sent' in the ledger
    assert sorted(inbox.to()) == sorted(p.address for p in PEOPLE)


def test_a_server_that_is_down_stops_the_run_and_leaves_the_rest(tmp_path: Path) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        pass  # stopped: nothing listens on the port any more
    sleeps = Sleeps()
    report = run(port, tmp_path / "l.jsonl", sleep=sleeps, retries=2)
    assert report.aborted.startswith(f"cannot connect to smtp://127.0.0.1:{port}")
    assert report.not_attempted == [p.address for p in PEOPLE]
    assert report.sent == [] and sleeps.waits == [2.0, 4.0]
    with smtp_server(inbox) as port2:
        resumed = run(port2, tmp_path / "l.jsonl")
    assert resumed.sent == [p.address for p in PEOPLE]


def test_a_dry_run_sends_nothing_and_writes_no_ledger(tmp_path: Path) -> None:
    inbox = Inbox()
    ledger_file = tmp_path / "l.jsonl"
    with smtp_server(inbox) as port:
        run(port, ledger_file, people=PEOPLE[:1])
        before = ledger_file.read_bytes()
        with Ledger(ledger_file, readonly=True) as ledger:
            report = send_all(lambda _r: briefing_message(), PEOPLE, ledger, None,
                              dry_run=True, retries=0)
    assert report.would_send == ["bo@example.net", "chen@example.com"]
    assert report.already_sent == ["ana@example.org"] and report.sent == []
    assert inbox.to() == ["ana@example.org"] and ledger_file.read_bytes() == before
    with Ledger(tmp_path / "none.jsonl", readonly=True) as ledger:
        send_all(lambda _r: briefing_message(), PEOPLE, ledger, None, dry_run=True, retries=0)
    assert not (tmp_path / "none.jsonl").exists()


def test_the_rate_spaces_the_sends(tmp_path: Path) -> None:
    inbox = Inbox()
    sleeps = Sleeps()
    with smtp_server(inbox) as port:
        report = run(port, tmp_path / "l.jsonl", sleep=sleeps, rate=4.0, clock=sleeps.clock)
    assert report.ok and sleeps.waits == [0.25, 0.25]  # none before the first message


def test_each_recipient_gets_its_language(tmp_path: Path) -> None:
    inbox = Inbox()
    versions = {"pt": briefing_message("urn:uuid:pt", "Negociações retomadas"),
                "": briefing_message()}
    with smtp_server(inbox) as port, Ledger(tmp_path / "l.jsonl") as ledger:
        transport = SmtpTransport(parse_smtp_url(f"smtp://127.0.0.1:{port}", env={}))
        report = send_all(lambda r: versions.get(r.language, versions[""]), PEOPLE, ledger,
                          transport, retries=0)
        transport.close()
    assert report.ok
    subjects = {to: str(msg["Subject"]) for to, msg in inbox.received}
    assert subjects == {"ana@example.org": "Negociações retomadas",
                        "bo@example.net": "Ceasefire talks resume",
                        "chen@example.com": "Ceasefire talks resume"}


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # loopback
def test_credentials_from_the_environment_log_in(tmp_path: Path) -> None:
    inbox = Inbox()
    env = {"BRIEFGEN_SMTP_USER": "desk", "BRIEFGEN_SMTP_PASSWORD": "s3cret"}
    with smtp_server(inbox, auth=True) as port, Ledger(tmp_path / "l.jsonl") as ledger:
        transport = SmtpTransport(parse_smtp_url(f"smtp://127.0.0.1:{port}", env=env))
        report = send_all(lambda _r: briefing_message(), PEOPLE[:1], ledger, transport,
                          retries=0)
        transport.close()
    assert report.ok and inbox.logins == [("desk", "s3cret")]
    assert inbox.to() == ["ana@example.org"]


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # loopback
def test_a_refused_login_stops_the_run_without_retrying(tmp_path: Path) -> None:
    inbox = Inbox()
    env = {"BRIEFGEN_SMTP_USER": "desk", "BRIEFGEN_SMTP_PASSWORD": "wrong"}
    sleeps = Sleeps()
    with smtp_server(inbox, auth=True) as port, Ledger(tmp_path / "l.jsonl") as ledger:
        transport = SmtpTransport(parse_smtp_url(f"smtp://127.0.0.1:{port}", env=env))
        report = send_all(lambda _r: briefing_message(), PEOPLE, ledger, transport,
                          retries=3, sleep=sleeps)
    assert report.aborted.startswith(f"smtp://127.0.0.1:{port} refused the login")
    assert "wrong" not in report.aborted
    assert report.not_attempted == [p.address for p in PEOPLE] and sleeps.waits == []
    assert inbox.received == []


def test_starttls_required_but_not_offered_sends_nothing(tmp_path: Path) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port, Ledger(tmp_path / "l.jsonl") as ledger:
        settings = dataclasses.replace(parse_smtp_url(f"smtp://127.0.0.1:{port}", env={}),
                                       starttls=True)  # as for any host off this machine
        report = send_all(lambda _r: briefing_message(), PEOPLE, ledger,
                          SmtpTransport(settings), retries=3, sleep=Sleeps())
    assert "does not offer STARTTLS" in report.aborted
    assert report.not_attempted == [p.address for p in PEOPLE] and inbox.received == []


@pytest.mark.parametrize("header", ["From", "Message-ID"])
def test_a_message_without_from_or_message_id_is_a_programming_error(
        tmp_path: Path, header: str) -> None:
    msg = briefing_message()
    del msg[header]
    with Ledger(tmp_path / "l.jsonl") as ledger, pytest.raises(ValueError, match=header):
        send_all(lambda _r: msg, PEOPLE, ledger, SmtpTransport(
            parse_smtp_url("smtp://127.0.0.1:9", env={})), retries=0)
