"""A child process for the kill tests: send_all to PEOPLE, killing itself on cue."""

from __future__ import annotations

import os
import signal
import sys
from email.message import EmailMessage
from pathlib import Path

from briefgen.email.ledger import Ledger
from briefgen.email.recipients import Recipient
from briefgen.email.send import send_all
from briefgen.email.smtpurl import parse_smtp_url
from briefgen.email.transport import SmtpTransport
from tests.email.smtpserver import briefing_message

PEOPLE = [Recipient(f"reader{n}@example.org", f"Reader {n}") for n in range(1, 6)]


def main(port: int, ledger_file: Path, kill_before: int) -> None:
    """Send to PEOPLE; SIGKILL this process when the message for reader kill_before is asked."""
    message = briefing_message()

    def messages_for(recipient: Recipient) -> EmailMessage:
        if recipient.address == f"reader{kill_before}@example.org":
            os.kill(os.getpid(), signal.SIGKILL)
        return message

    transport = SmtpTransport(parse_smtp_url(f"smtp://127.0.0.1:{port}", env={}), timeout=30)
    with Ledger(ledger_file) as ledger:
        report = send_all(messages_for, PEOPLE, ledger, transport, retries=0)
    transport.close()
    print(len(report.sent))


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
