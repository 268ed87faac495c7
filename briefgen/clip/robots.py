"""robots.txt: may briefgen fetch this page? Read per RFC 9309 with the safe fetcher."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from briefgen.clip.errors import FetchError, RobotsRefused
from briefgen.clip.fetch import Fetcher

__all__ = ["ROBOTS_AGENT", "check_robots"]

ROBOTS_AGENT = "briefgen"


def check_robots(url: str, fetcher: Fetcher) -> None:
    """Raise RobotsRefused when the site's robots.txt disallows url for briefgen. A missing
    robots.txt (any 4xx) allows everything; a server error or no answer disallows (RFC 9309)."""
    parts = urlsplit(url)
    robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
    hint = "(use --ignore-robots if you have the right to clip it anyway)"
    try:
        response = fetcher.get(robots_url, accept="text/plain")
    except RobotsRefused:
        raise
    except FetchError as exc:
        if exc.__class__ is not FetchError:
            raise
        raise RobotsRefused(f"could not read {robots_url} ({exc}) {hint}") from None
    if 400 <= response.status < 500:
        return
    if response.status != 200:
        raise RobotsRefused(f"{robots_url} answered {response.status}; a site whose robots.txt "
                            f"fails is treated as disallowing everything {hint}")
    parser = RobotFileParser()
    parser.parse(response.body.decode("utf-8", "replace").splitlines())
    if not parser.can_fetch(ROBOTS_AGENT, url):
        raise RobotsRefused(f"{robots_url} disallows {url} for crawlers like briefgen {hint}")
