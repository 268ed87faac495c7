"""One URL checked: HEAD (GET when HEAD is refused), and what the answer means for a citation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from briefgen.clip.errors import (
    AddressRefused,
    CertificateError,
    FetchError,
    FetchTimeout,
)
from briefgen.clip.fetch import Fetcher, Response

__all__ = ["DEAD", "MOVED", "OK", "SKIPPED", "Outcome", "failure", "probe"]

OK, DEAD, MOVED, SKIPPED = "ok", "dead", "moved", "skipped"
_HEAD_REFUSED = {405, 501}  # Method Not Allowed, Not Implemented: ask again with GET
_PERMANENT = {301, 308}


@dataclass(frozen=True)
class Outcome:
    """What checking a URL found: OK, DEAD (with why), MOVED (to where) or SKIPPED (why not)."""

    kind: str
    detail: str = ""
    moved_to: str = ""


def failure(url: str, exc: FetchError, timeout: float) -> Outcome:
    """The outcome of a fetch that raised: a refused address is not checked, the rest is dead."""
    if isinstance(exc, AddressRefused):
        return Outcome(SKIPPED, str(exc).replace("refusing to fetch", "did not fetch"))
    if isinstance(exc, FetchTimeout):
        return Outcome(DEAD, f"did not answer within {timeout:g} s")
    if isinstance(exc, CertificateError):
        return Outcome(DEAD, str(exc).split(";", 1)[0])
    return Outcome(DEAD, str(exc).replace(f"cannot fetch {url}: ", ""))


def _judge(url: str, response: Response) -> Outcome:
    status = response.status
    reason = f"{status} {response.reason}".strip()
    if status == 429:
        return Outcome(SKIPPED, f"the server asked briefgen to slow down ({reason})")
    if status >= 400:
        after = f" (after a redirect to {response.url})" if response.url != url else ""
        hint = " (the site may refuse automated checks)" if status in (401, 403) else ""
        return Outcome(DEAD, f"answered {reason}{after}{hint}")
    statuses = response.redirect_statuses
    if statuses and statuses[0] in _PERMANENT and response.url != url:
        return Outcome(MOVED, f"{statuses[0]}", response.url)
    return Outcome(OK)


def probe(fetcher: Fetcher, url: str, pause: Callable[[], None]) -> Outcome:
    """Check url with HEAD, and with GET (its body never read) when the server refuses HEAD;
    `pause` is called before each request (the host's politeness delay)."""
    try:
        pause()
        response = fetcher.probe(url, "HEAD")
        if response.status in _HEAD_REFUSED:
            pause()
            response = fetcher.probe(url, "GET")
    except FetchError as exc:
        return failure(url, exc, fetcher.timeout)
    return _judge(url, response)
