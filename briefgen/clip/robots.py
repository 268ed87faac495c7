"""robots.txt: may briefgen fetch this page? Read per RFC 9309 with the safe fetcher."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from briefgen.clip.errors import FetchError, RobotsRefused
from briefgen.clip.fetch import Fetcher

__all__ = ["ROBOTS_AGENT", "Robots", "check_robots", "read_robots"]

ROBOTS_AGENT = "briefgen"


@dataclass
class Robots:
    """A site's robots.txt as read once: the rules, or why everything is disallowed."""

    robots_url: str
    parser: RobotFileParser | None = None  # None and no failure: everything is allowed
    failure: str = ""  # why every page is disallowed (the file could not be read)

    def refusal(self, url: str) -> str:
        """Why url may not be fetched, or '' when it may."""
        if self.failure:
            return self.failure
        if self.parser is not None and not self.parser.can_fetch(ROBOTS_AGENT, url):
            return f"{self.robots_url} disallows {url} for crawlers like briefgen"
        return ""

    def crawl_delay(self) -> float:
        """The Crawl-delay the file asks of briefgen, in seconds (0 when none)."""
        delay = self.parser.crawl_delay(ROBOTS_AGENT) if self.parser is not None else None
        return float(delay) if delay else 0.0


def read_robots(url: str, fetcher: Fetcher) -> Robots:
    """The robots.txt of url's site. A missing one (any 4xx) allows everything; a server error
    disallows everything (RFC 9309). Raises the fetcher's FetchError when the file cannot be
    fetched at all (no such host, refused address, timeout, bad certificate)."""
    parts = urlsplit(url)
    robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
    response = fetcher.get(robots_url, accept="text/plain")
    if 400 <= response.status < 500:
        return Robots(robots_url)
    if response.status != 200:
        return Robots(robots_url, failure=f"{robots_url} answered {response.status}; a site "
                      "whose robots.txt fails is treated as disallowing everything")
    parser = RobotFileParser()
    parser.parse(response.body.decode("utf-8", "replace").splitlines())
    return Robots(robots_url, parser)


def check_robots(url: str, fetcher: Fetcher) -> None:
    """Raise RobotsRefused when the site's robots.txt disallows url for briefgen."""
    hint = "(use --ignore-robots if you have the right to clip it anyway)"
    try:
        robots = read_robots(url, fetcher)
    except FetchError as exc:
        if exc.__class__ is not FetchError:
            raise
        parts = urlsplit(url)
        robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        raise RobotsRefused(f"could not read {robots_url} ({exc}) {hint}") from None
    reason = robots.refusal(url)
    if reason:
        raise RobotsRefused(f"{reason} {hint}")
