"""An email's headers: stable Message-ID, unsubscribe only when configured, no injection."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes
from email.message import Message
from email.policy import default

from briefgen.email.headers import message_id, new_message

WHEN = datetime(2026, 2, 4, 9, 30, tzinfo=UTC)


def _parsed(**kwargs: str) -> Message:
    args = {"subject": "Ceasefire talks", "sender": "The Desk <desk@example.org>",
            "guid": "urn:uuid:1", "base_url": "https://example.org/brief/", **kwargs}
    raw = new_message(date=WHEN, **args)
    raw.set_content("body")
    return message_from_bytes(raw.as_bytes(), policy=default)


def test_headers_are_set() -> None:
    msg = _parsed()
    assert msg["Subject"] == "Ceasefire talks"
    assert msg["From"] == "The Desk <desk@example.org>"
    assert msg["Date"] == "Wed, 04 Feb 2026 09:30:00 +0000"
    assert msg["List-Unsubscribe"] is None
    assert msg["List-Unsubscribe-Post"] is None


def test_message_id_is_stable_and_at_the_site_host() -> None:
    first = message_id("urn:uuid:1", "https://example.org/brief/")
    assert first == message_id("urn:uuid:1", "https://example.org/brief/")
    assert first != message_id("urn:uuid:2", "https://example.org/brief/")
    assert first.endswith("@example.org>")


def test_unsubscribe_headers_only_when_configured() -> None:
    msg = _parsed(unsubscribe="https://example.org/u")
    assert msg["List-Unsubscribe"] == "<https://example.org/u>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mailto = _parsed(unsubscribe="mailto:u@example.org")
    assert mailto["List-Unsubscribe"] == "<mailto:u@example.org>"
    assert mailto["List-Unsubscribe-Post"] is None


def test_a_line_break_in_a_title_cannot_inject_a_header() -> None:
    msg = _parsed(subject="Talks\r\nBcc: victim@example.com\nX-Evil: 1")
    assert msg["Bcc"] is None and msg["X-Evil"] is None
    assert msg["Subject"] == "Talks Bcc: victim@example.com X-Evil: 1"
