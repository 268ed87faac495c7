"""A small two-language desk for the email tests, and helpers to read what compose() made."""

from __future__ import annotations

from email import message_from_bytes
from email.message import EmailMessage, Message
from email.policy import default
from pathlib import Path
from typing import cast

from briefgen.email.compose import Composed, Selection, compose
from tests.sitekit import NOW, write_site

__all__ = ["DESK", "NOW", "composed", "desk", "html_of", "parsed", "text_of"]

# Tbilisi is UTC+4 all year: 2026-03-04T22:30Z is already 5 March there.
DESK = """\
-- briefgen.yaml --
title: Test Desk
base_url: https://example.org/desk/
timezone: Asia/Tbilisi
languages:
  - code: en
    default: true
  - code: ru
    title: Тестовая редакция
email:
  from: The Desk <desk@example.org>
  unsubscribe: https://example.org/unsubscribe
  footer: You get this because you asked for it on example.org.
  digest_title: Desk Daily
-- content/sources/wire-grid.md --
---
title: Ministry signs the grid deal
outlet: Nordic Wire
url: https://wire.example.com/2026/03/grid-deal
published: 2026-03-02
---
-- content/briefings/grid.md --
---
title: Grid deal signed after two years of talks
kicker: Energy
summary: The ministry signed the grid deal on Monday; the *first* lines open in 2027.
date: 2026-03-02T10:00:00+04:00
authors: [Ana Lopes]
translation_key: grid
sources:
  - wire-grid
  - id: ministry-statement
    title: Statement on the grid agreement
    outlet: Ministry of Energy
    url: https://ministry.example.gov/statements/grid
---
The ministry signed the agreement on Monday after two years of talks, and the first lines
are to open in 2027 [@wire-grid]. The minister [explained the timetable](/pages/timetable/)
and the [full text](https://ministry.example.gov/documents/grid-agreement-full-text-2026-03-02-final-version.pdf)
is online [@ministry-statement, p. 3].

> "The grid is the backbone of the transition." [@ministry-statement]

![A map of the new lines](/images/grid-map.png)

A [broken link](javascript:alert(1)) and some raw HTML the editor wrote:

<script>alert("not in an email")</script>
<form action="/subscribe"><input name="email"></form>
-- content/briefings/grid.ru.md --
---
title: Соглашение о сетях подписано
summary: Министерство подписало соглашение в понедельник.
date: 2026-03-02T10:00:00+04:00
lang: ru
translation_key: grid
sources: [wire-grid]
---
Министерство подписало соглашение [@wire-grid].
-- content/briefings/late-night.md --
---
title: Late-night vote on the port budget
summary: Councillors voted after midnight.
date: 2026-03-04T22:30:00Z
sources: [wire-grid]
---
The vote came after midnight [@wire-grid].
-- content/briefings/next-week.md --
---
title: Tram line opens
kicker: Cities
summary: The eastern tram line opened to passengers.
date: 2026-03-09T08:00:00+04:00
sources:
  - id: city-release
    title: Eastern line opens
    outlet: City Transport
    url: https://city.example.org/news/eastern-line
---
The line opened on Monday [@city-release].
"""


def desk(tmp_path: Path, extra: str = "") -> Path:
    """The desk above (plus `extra` sections) written under tmp_path."""
    return write_site(tmp_path / "desk", DESK + extra)


def parsed(msg: EmailMessage) -> EmailMessage:
    """The message as a mail client reads it: its bytes parsed again."""
    return cast(EmailMessage, message_from_bytes(msg.as_bytes(), policy=default))


def _part(msg: Message, kind: str) -> str:
    found = cast(EmailMessage, msg).get_body((kind,))
    assert found is not None, f"no text/{kind} part"
    return str(cast(EmailMessage, found).get_content())


def text_of(msg: Message) -> str:
    """The text part, its lines ended with LF (on the wire: CRLF)."""
    return _part(msg, "plain").replace("\r\n", "\n")


def html_of(msg: Message) -> str:
    return _part(msg, "html").replace("\r\n", "\n")


def composed(root: Path, selection: Selection | None = None, language: str | None = None,
             base_url: str | None = None) -> Composed:
    """compose() with the tests' clock."""
    return compose(root, selection or Selection(), language=language, base_url=base_url,
                   now=NOW)
