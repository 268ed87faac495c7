"""The headers of an email: subject, sender, date, a stable Message-ID and unsubscribe."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from urllib.parse import urlsplit

_SPACE = re.compile(r"\s+")


def one_line(text: str) -> str:
    """Text with every run of whitespace, line breaks included, made one space."""
    return _SPACE.sub(" ", text).strip()


def message_id(guid: str, base_url: str) -> str:
    """A Message-ID that is the same on every run: a hash of the guid at the site's host."""
    host = urlsplit(base_url).hostname or "localhost"
    digest = hashlib.sha256(guid.encode("utf-8")).hexdigest()[:32]
    return f"<{digest}@{host}>"


def new_message(*, subject: str, sender: str, date: datetime, guid: str, base_url: str,
                reply_to: str = "", unsubscribe: str = "") -> EmailMessage:
    """An empty message (policy SMTP) with its headers set; no header can carry a line break."""
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = one_line(subject)
    msg["From"] = one_line(sender)
    if reply_to:
        msg["Reply-To"] = one_line(reply_to)
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = message_id(guid, base_url)
    if unsubscribe:
        msg["List-Unsubscribe"] = f"<{one_line(unsubscribe)}>"
        if unsubscribe.startswith("https:"):  # RFC 8058: one-click needs an HTTPS URI
            msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return msg
