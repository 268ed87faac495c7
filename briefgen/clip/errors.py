"""The errors clipping raises, each with a message meant for the editor.

    BriefgenError
     └── ClipError                 anything that stops a clip
          ├── FetchError           the page could not be fetched
          │    ├── AddressRefused  the host is private, loopback, link-local... (--allow-private)
          │    ├── TooLarge        the response is over the size cap
          │    ├── FetchTimeout    no answer within the timeout
          │    ├── TooManyRedirects
          │    ├── CertificateError  TLS verification failed (never retried without it)
          │    └── RobotsRefused   robots.txt disallows the page (--ignore-robots)
          └── NothingExtracted     no article text was found
"""

from __future__ import annotations

from briefgen.diagnostics import BriefgenError

__all__ = [
    "AddressRefused",
    "CertificateError",
    "ClipError",
    "FetchError",
    "FetchTimeout",
    "NothingExtracted",
    "RobotsRefused",
    "TooLarge",
    "TooManyRedirects",
]


class ClipError(BriefgenError):
    """A clip that cannot go on; nothing was written."""


class FetchError(ClipError):
    """The page could not be fetched."""


class AddressRefused(FetchError):
    """The host resolves to an address that is not public."""


class TooLarge(FetchError):
    """The response is bigger than the size cap."""


class FetchTimeout(FetchError):
    """The server did not answer in time."""


class TooManyRedirects(FetchError):
    """The redirect limit was reached."""


class CertificateError(FetchError):
    """The server's TLS certificate failed verification."""


class RobotsRefused(FetchError):
    """The site's robots.txt disallows fetching the page."""


class NothingExtracted(ClipError):
    """The page has no article text that could be found."""
