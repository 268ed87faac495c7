"""A send killed midway (SIGKILL of a child process): the next run sends only what is missing."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from briefgen.email.ledger import Ledger
from briefgen.email.send import send_all
from briefgen.email.smtpurl import parse_smtp_url
from briefgen.email.transport import SmtpTransport
from tests.email.sendchild import PEOPLE
from tests.email.smtpserver import Inbox, briefing_message, smtp_server

REPO = Path(__file__).resolve().parents[2]
ALL = [p.address for p in PEOPLE]


def child(port: int, ledger_file: Path, kill_before: int) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "tests.email.sendchild", str(port),
                             str(ledger_file), str(kill_before)], cwd=REPO, text=True,
                            stdout=subprocess.PIPE)


def resume(port: int, ledger_file: Path):  # type: ignore[no-untyped-def]
    transport = SmtpTransport(parse_smtp_url(f"smtp://127.0.0.1:{port}", env={}), timeout=5)
    with Ledger(ledger_file) as ledger:
        report = send_all(lambda _r: briefing_message(), PEOPLE, ledger, transport, retries=0)
    transport.close()
    return report


def test_a_run_killed_between_messages_is_resumed(tmp_path: Path) -> None:
    inbox = Inbox()
    ledger_file = tmp_path / "list.sent.jsonl"
    with smtp_server(inbox) as port:
        with child(port, ledger_file, kill_before=4) as proc:
            assert proc.wait(timeout=60) == -signal.SIGKILL
        assert inbox.to() == ALL[:3]
        report = resume(port, ledger_file)
        again = resume(port, ledger_file)
    assert report.already_sent == ALL[:3] and report.sent == ALL[3:]
    assert sorted(inbox.to()) == sorted(ALL)  # each exactly once
    assert again.sent == [] and again.already_sent == ALL


def test_a_run_killed_while_a_message_was_with_the_server_does_not_send_it_again(
        tmp_path: Path) -> None:
    inbox = Inbox(hold_at_data="reader3@example.org")
    ledger_file = tmp_path / "list.sent.jsonl"
    with smtp_server(inbox) as port:
        with child(port, ledger_file, kill_before=99) as proc:
            assert inbox.holding.wait(timeout=60)  # the server has the message, no reply yet
            proc.send_signal(signal.SIGKILL)
            assert proc.wait(timeout=60) == -signal.SIGKILL
        inbox.release.set()
        report = resume(port, ledger_file)
    assert report.already_sent == ALL[:2]
    assert report.uncertain == ["reader3@example.org"]  # may have been delivered: not resent
    assert report.sent == ALL[3:]
    assert sorted(inbox.to()) == sorted(ALL)  # reader3 got it once, from the killed run


def test_the_child_sends_everything_when_not_killed(tmp_path: Path) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port, \
            child(port, tmp_path / "l.sent.jsonl", kill_before=99) as proc:
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0 and out.strip() == "5" and inbox.to() == ALL
