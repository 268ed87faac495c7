"""Handing one message to an SMTP server (smtplib), every failure sorted into retry, skip or stop.

    Exception
    ├── TemporaryFailure     a 4xx reply or a lost connection: reconnect, wait, try again
    └── PermanentFailure     a 5xx reply for this address or message: report it, go on
    BriefgenError
    └── SendAborted          nothing more can be sent (TLS, login, sender refused): stop the run
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from email.message import EmailMessage
from typing import Protocol

from briefgen.diagnostics import BriefgenError
from briefgen.email.smtpurl import SmtpSettings

__all__ = ["PermanentFailure", "SendAborted", "SmtpTransport", "TemporaryFailure", "Transport"]


class TemporaryFailure(Exception):
    """A 4xx reply or a dropped connection; `connection` when no session could be opened."""

    def __init__(self, reason: str, *, connection: bool = False) -> None:
        super().__init__(reason)
        self.connection = connection


class PermanentFailure(Exception):
    """The server refused this recipient or this message for good (5xx)."""


class SendAborted(BriefgenError):
    """Nothing more can be sent in this run: TLS, login or the sender was refused."""


class Transport(Protocol):
    """What send_all needs from a connection to a mail server."""

    def send(self, message: EmailMessage, sender: str, recipient: str) -> None:
        """Hand over message for recipient, or raise one of this module's failures."""

    def close(self) -> None:
        """End the session politely."""


def _reply(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(words.split())}"


def _classify(code: int, text: bytes | str) -> Exception:
    reason = _reply(code, text)
    return TemporaryFailure(reason) if 400 <= code < 500 else PermanentFailure(reason)


class SmtpTransport:
    """One SMTP session at a time, opened when needed and opened again after it drops."""

    def __init__(self, settings: SmtpSettings, *, timeout: float = 30.0,
                 context: ssl.SSLContext | None = None) -> None:
        self.settings = settings
        self.timeout = timeout
        self.context = context or ssl.create_default_context()
        self.connections = 0  # sessions opened, for reports and tests
        self._smtp: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        s, where = self.settings, self.settings.describe()
        smtp: smtplib.SMTP | None = None
        try:
            if s.implicit_tls:
                smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=self.timeout,
                                        context=self.context)
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=self.timeout)
            smtp.ehlo()
            if s.starttls:
                if not smtp.has_extn("starttls"):
                    raise SendAborted(f"{where} does not offer STARTTLS: briefgen does not send "
                                      "mail unencrypted to another machine (use a server with "
                                      "STARTTLS, or smtps://)")
                smtp.starttls(context=self.context)
                smtp.ehlo()
            if s.user:
                smtp.login(s.user, s.password)
        except BaseException as exc:
            if smtp is not None:
                smtp.close()
            raise self._open_failure(exc, where) from None
        self.connections += 1
        return smtp

    @staticmethod
    def _open_failure(exc: BaseException, where: str) -> BaseException:
        if isinstance(exc, ssl.SSLCertVerificationError):
            return SendAborted(f"the TLS certificate of {where} cannot be trusted "
                               f"({exc.verify_message}); nothing was sent")
        if isinstance(exc, ssl.SSLError):
            return SendAborted(f"TLS with {where} failed ({exc.reason}); nothing was sent")
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return SendAborted(f"{where} refused the login from the environment's user "
                               f"({_reply(exc.smtp_code, exc.smtp_error)})")
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            return SendAborted(f"{where} offers no login (AUTH) on this connection; unset "
                               "BRIEFGEN_SMTP_USER / BRIEFGEN_SMTP_PASSWORD or use another "
                               "server")
        if isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500:
            return SendAborted(f"{where} refused the session "
                               f"({_reply(exc.smtp_code, exc.smtp_error)})")
        if isinstance(exc, smtplib.SMTPException | OSError):
            return TemporaryFailure(f"cannot connect to {where}: {exc}", connection=True)
        return exc

    def send(self, message: EmailMessage, sender: str, recipient: str) -> None:
        """Hand over message for recipient, reconnecting first if the last session dropped."""
        if self._smtp is None:
            self._smtp = self._open()
        try:
            self._smtp.send_message(message, from_addr=sender, to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = exc.recipients.get(recipient, (550, b"recipient refused"))
            raise _classify(code, text) from None
        except smtplib.SMTPSenderRefused as exc:
            if exc.smtp_code >= 500:
                raise SendAborted(f"the server refused the sender {sender} "
                                  f"({_reply(exc.smtp_code, exc.smtp_error)})") from None
            raise TemporaryFailure(_reply(exc.smtp_code, exc.smtp_error)) from None
        except smtplib.SMTPResponseException as exc:  # the DATA reply, or 421 closing
            if exc.smtp_code == 421:
                self.reset()
            raise _classify(exc.smtp_code, exc.smtp_error) from None
        except (smtplib.SMTPServerDisconnected, OSError) as exc:  # TLS errors mid-session too
            self.reset()
            raise TemporaryFailure(f"connection lost ({exc or type(exc).__name__})") from None

    def reset(self) -> None:
        """Forget the session without a word; the next send opens a new one."""
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    def close(self) -> None:
        """End the session with QUIT when it is still open."""
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            self.reset()
