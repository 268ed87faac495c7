"""The --smtp URL: STARTTLS off loopback, smtps, credentials only from the environment."""

from __future__ import annotations

import pytest

from briefgen.email.smtpurl import SmtpSettings, SmtpUrlError, is_loopback, parse_smtp_url

ENV = {"BRIEFGEN_SMTP_USER": "desk", "BRIEFGEN_SMTP_PASSWORD": "s3cret"}


@pytest.mark.parametrize(("url", "host", "port", "implicit", "starttls"), [
    ("smtp://mail.example.org:587", "mail.example.org", 587, False, True),
    ("smtp://mail.example.org", "mail.example.org", 587, False, True),
    ("smtp://10.0.0.5:25", "10.0.0.5", 25, False, True),  # private is not loopback
    ("smtp://localhost:25", "localhost", 25, False, False),
    ("smtp://127.0.0.53:2525/", "127.0.0.53", 2525, False, False),
    ("smtp://[::1]:25", "::1", 25, False, False),
    ("SMTPS://mail.example.org", "mail.example.org", 465, True, False),
    ("smtps://127.0.0.1:4650", "127.0.0.1", 4650, True, False),
])
def test_urls_are_read(url: str, host: str, port: int, implicit: bool, starttls: bool) -> None:
    settings = parse_smtp_url(url, env={})
    assert (settings.host, settings.port, settings.implicit_tls, settings.starttls) == (
        host, port, implicit, starttls)
    assert (settings.user, settings.password) == ("", "")


@pytest.mark.parametrize(("host", "loopback"), [
    ("localhost", True), ("LOCALHOST.", True), ("127.255.0.1", True), ("::1", True),
    ("localhost.example.org", False), ("128.0.0.1", False), ("::2", False), ("0.0.0.0", False),
])
def test_loopback_is_decided_without_a_lookup(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize(("url", "message"), [
    ("http://mail.example.org", "unsupported URL scheme 'http'"),
    ("mail.example.org:25", "unsupported URL scheme 'mail.example.org'"),
    ("smtp://desk:s3cret@mail.example.org", "must not carry a user or password; set "
     "BRIEFGEN_SMTP_USER and BRIEFGEN_SMTP_PASSWORD"),
    ("smtp://desk@mail.example.org", "must not carry a user or password"),
    ("smtp://mail.example.org:port", "the port must be a number"),
    ("smtp://mail.example.org:99999", "the port must be a number"),
    ("smtp://mail.example.org:0", "the port must be a number"),
    ("smtp://:25", "names no host"),
    ("smtp://mail.example.org/?starttls=no", "takes only a host and a port"),
    ("smtp://mail.example.org/relay", "takes only a host and a port"),
])
def test_bad_urls_are_refused_before_any_connection(url: str, message: str) -> None:
    with pytest.raises(SmtpUrlError, match="^--smtp: .*" + message.replace("?", r"\?")):
        parse_smtp_url(url, env={})


def test_credentials_come_from_the_environment() -> None:
    settings = parse_smtp_url("smtps://mail.example.org", env=ENV)
    assert (settings.user, settings.password) == ("desk", "s3cret")
    assert "s3cret" not in repr(settings) and "s3cret" not in settings.describe()
    assert settings.describe() == "smtps://mail.example.org:465"


@pytest.mark.parametrize("missing", ["BRIEFGEN_SMTP_USER", "BRIEFGEN_SMTP_PASSWORD"])
def test_half_the_credentials_is_an_error(missing: str) -> None:
    env = {k: v for k, v in ENV.items() if k != missing}
    with pytest.raises(SmtpUrlError, match=f"^{missing} is not set"):
        parse_smtp_url("smtp://mail.example.org", env=env)


def test_the_process_environment_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_SMTP_USER", "env-user")
    monkeypatch.setenv("BRIEFGEN_SMTP_PASSWORD", "env-pass")
    assert parse_smtp_url("smtp://[::1]:25") == SmtpSettings(
        "::1", 25, implicit_tls=False, starttls=False, user="env-user", password="env-pass")
    assert parse_smtp_url("smtp://[::1]:25").describe() == "smtp://[::1]:25"
