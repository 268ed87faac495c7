"""Sending one message to each recipient: To set safely, paced, retried, recorded in the ledger."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage

from briefgen.email.headers import one_line
from briefgen.email.ledger import Ledger
from briefgen.email.recipients import Recipient, check_address
from briefgen.email.transport import PermanentFailure, SendAborted, TemporaryFailure, Transport

__all__ = ["SendReport", "addressed", "send_all"]


@dataclass
class SendReport:
    """What a run did, address by address."""

    sent: list[str] = field(default_factory=list)
    would_send: list[str] = field(default_factory=list)  # --dry-run
    already_sent: list[str] = field(default_factory=list)  # the ledger says sent
    uncertain: list[str] = field(default_factory=list)  # an earlier run was killed mid-send
    failed: list[tuple[str, str]] = field(default_factory=list)  # (address, the server's reason)
    not_attempted: list[str] = field(default_factory=list)  # left for the next run by an abort
    aborted: str = ""
    retries: int = 0

    @property
    def ok(self) -> bool:
        """No address failed and the run was not stopped."""
        return not self.failed and not self.aborted

    def merge(self, other: SendReport) -> None:
        """Add other's addresses to this report (one report for several messages)."""
        for name in ("sent", "would_send", "already_sent", "uncertain", "failed",
                     "not_attempted"):
            getattr(self, name).extend(getattr(other, name))
        self.aborted = self.aborted or other.aborted
        self.retries += other.retries


def addressed(message: EmailMessage, recipient: Recipient) -> EmailMessage:
    """A copy of message to recipient alone: any To, Cc or Bcc replaced by one checked To."""
    out = copy.deepcopy(message)
    for name in ("To", "Cc", "Bcc"):
        del out[name]
    out["To"] = Address(display_name=one_line(recipient.name),
                        addr_spec=check_address(recipient.address))
    return out


def _envelope_sender(message: EmailMessage) -> str:
    addresses: tuple[Address, ...] = getattr(message["From"], "addresses", ())
    if len(addresses) != 1:
        raise ValueError("a message to send needs exactly one From address")
    return addresses[0].addr_spec


class _Pace:
    """At most rate sends a second (None: no limit), waiting with the given sleep."""

    def __init__(self, rate: float | None, sleep: Callable[[float], None],
                 clock: Callable[[], float]) -> None:
        self.interval = 1.0 / rate if rate else 0.0
        self.sleep, self.clock = sleep, clock
        self.next = float("-inf")

    def wait(self) -> None:
        if not self.interval:
            return
        now = self.clock()
        if self.next > now:
            self.sleep(self.next - now)
            now = self.next
        self.next = now + self.interval


def send_all(messages_for: Callable[[Recipient], EmailMessage],
             recipients: Iterable[Recipient], ledger: Ledger, transport: Transport | None, *,
             rate: float | None = None, dry_run: bool = False, retries: int = 3,
             backoff: float = 2.0, sleep: Callable[[float], None] = time.sleep,
             clock: Callable[[], float] = time.monotonic) -> SendReport:
    """Send each recipient its message once, by the ledger; failures are reported, never raised.

    Temporary failures are tried again `retries` times, waiting backoff, 2*backoff, 4*backoff...
    seconds; a connection that cannot be opened again after that stops the run, leaving the
    remaining recipients for the next one. Dry run: nothing is sent and the ledger is not written.
    """
    report = SendReport()
    pace = _Pace(rate, sleep, clock)
    queue = list(recipients)
    for index, recipient in enumerate(queue):
        message = messages_for(recipient)
        key = str(message["Message-ID"] or "")
        if not key:
            raise ValueError("a message to send needs a Message-ID (the ledger's key)")
        state = ledger.state(key, recipient.address)
        if state == "sent":
            report.already_sent.append(recipient.address)
            continue
        if state == "sending":
            report.uncertain.append(recipient.address)
            continue
        try:
            out = addressed(message, recipient)
        except ValueError as why:
            report.failed.append((recipient.address, f"not a usable address: {why}"))
            continue
        if dry_run or transport is None:
            report.would_send.append(recipient.address)
            continue
        try:
            _deliver(out, _envelope_sender(out), recipient.address, key, ledger, transport,
                     pace, retries, backoff, sleep, report)
        except SendAborted as stop:
            report.aborted = str(stop)
            report.not_attempted.extend(r.address for r in queue[index:])
            break
    return report


def _deliver(message: EmailMessage, sender: str, address: str, key: str, ledger: Ledger,
             transport: Transport, pace: _Pace, retries: int, backoff: float,
             sleep: Callable[[float], None], report: SendReport) -> None:
    """One recipient's attempts; raises SendAborted when the whole run must stop."""
    for attempt in range(retries + 1):
        pace.wait()
        ledger.record(key, address, "sending")
        try:
            transport.send(message, sender, address)
        except TemporaryFailure as failure:
            ledger.record(key, address, "unsent")
            if attempt == retries:
                if failure.connection:
                    raise SendAborted(f"{failure} (tried {retries + 1} times)") from None
                report.failed.append((address, f"{failure} (tried {retries + 1} times)"))
                return
            report.retries += 1
            sleep(backoff * 2 ** attempt)
            continue
        except PermanentFailure as failure:
            ledger.record(key, address, "unsent")
            report.failed.append((address, str(failure)))
            return
        except SendAborted:
            ledger.record(key, address, "unsent")
            raise
        ledger.record(key, address, "sent")
        report.sent.append(address)
        return
