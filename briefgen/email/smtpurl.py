"""The `--smtp` URL: smtp:// (STARTTLS off loopback) or smtps://; credentials from env only."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from briefgen.diagnostics import BriefgenError

__all__ = ["DEFAULT_URL", "PASSWORD_ENV", "USER_ENV", "SmtpSettings", "SmtpUrlError",
           "is_loopback", "parse_smtp_url"]

DEFAULT_URL = "smtp://localhost:25"
USER_ENV = "BRIEFGEN_SMTP_USER"
PASSWORD_ENV = "BRIEFGEN_SMTP_PASSWORD"
_DEFAULT_PORTS = {"smtp": 587, "smtps": 465}


class SmtpUrlError(BriefgenError):
    """The SMTP URL or the credentials in the environment cannot be used."""


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to connect: host, port, implicit TLS or STARTTLS, and the login, if any."""

    host: str
    port: int
    implicit_tls: bool  # smtps://
    starttls: bool  # smtp:// off loopback: the session must switch to TLS before anything else
    user: str = ""
    password: str = field(default="", repr=False)

    def describe(self) -> str:
        """The URL without credentials, for messages."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'smtps' if self.implicit_tls else 'smtp'}://{host}:{self.port}"


def is_loopback(host: str) -> bool:
    """Whether host names this machine: localhost, 127.0.0.0/8 or ::1 (no DNS lookup)."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_smtp_url(url: str, env: Mapping[str, str] | None = None) -> SmtpSettings:
    """Settings for url, with user and password from BRIEFGEN_SMTP_USER / _PASSWORD in env."""
    env = os.environ if env is None else env
    hint = "use smtp://host:port (STARTTLS) or smtps://host:port (TLS)"
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise SmtpUrlError(f"--smtp: unsupported URL scheme '{parts.scheme}': {hint}")
    if "@" in parts.netloc:
        raise SmtpUrlError(f"--smtp: the URL must not carry a user or password; set {USER_ENV} "
                           f"and {PASSWORD_ENV} in the environment instead")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise SmtpUrlError(f"--smtp: the URL takes only a host and a port: {hint}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        raise SmtpUrlError(f"--smtp: the port must be a number from 1 to 65535: {hint}") from None
    if not host:
        raise SmtpUrlError(f"--smtp: the URL names no host: {hint}")
    if port == 0:
        raise SmtpUrlError(f"--smtp: the port must be a number from 1 to 65535: {hint}")
    user, password = env.get(USER_ENV, ""), env.get(PASSWORD_ENV, "")
    if bool(user) != bool(password):
        missing = PASSWORD_ENV if user else USER_ENV
        raise SmtpUrlError(f"{missing} is not set: set both {USER_ENV} and {PASSWORD_ENV}, "
                           "or neither")
    implicit = scheme == "smtps"
    return SmtpSettings(host=host, port=port or _DEFAULT_PORTS[scheme], implicit_tls=implicit,
                        starttls=not implicit and not is_loopback(host),
                        user=user, password=password)
