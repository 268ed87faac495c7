"""The `briefgen send` click command: compose per language, send to the list, report, exit."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefgen.diagnostics import BriefgenError, BuildFailed, Diagnostics
from briefgen.email.command import check_selection, parse_day, parse_url, site_config
from briefgen.email.smtpurl import DEFAULT_URL, SmtpUrlError, parse_smtp_url
from briefgen.terminal import Printer, print_diagnostic

if TYPE_CHECKING:  # imported when the command runs: every other command starts without them
    from email.message import EmailMessage

    from briefgen.email.recipients import Recipient
    from briefgen.email.send import SendReport

__all__ = ["parse_rate", "send_command", "site_language"]

_RATE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:/\s*(s|sec|min|h))?")
_PER_SECOND = {"s": 1.0, "sec": 1.0, "min": 60.0, "h": 3600.0}


def parse_rate(text: str) -> float:
    """Messages per second from `N/s`, `N/min`, `N/h` or a plain `N` (per second)."""
    found = _RATE.fullmatch(text.strip())
    if not found or float(found[1]) <= 0:
        raise ValueError(f"'{text}' is not a rate like 5/s, 120/min or 1000/h")
    return float(found[1]) / _PER_SECOND[found[2] or "s"]


def site_language(code: str, codes: list[str]) -> str | None:
    """The site language for a reader's code (`pt-BR` matches `pt`), or None: the default."""
    if not code:
        return None
    lowered = {c.lower(): c for c in codes}
    return lowered.get(code.lower()) or lowered.get(code.lower().split("-")[0])


def _rate(_ctx: click.Context, _param: click.Parameter, value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return parse_rate(value)
    except ValueError as why:
        raise click.BadParameter(str(why)) from None


def _print_report(console: Printer, report: SendReport, dry_run: bool, messages: int) -> None:
    for address, reason in report.failed:
        console.print(f"error: {address}: {reason}", markup=False)
    for address in report.uncertain:
        console.print(f"warning: {address}: an earlier run was stopped while sending to it; "
                      "not sent again (it may have arrived). Remove its last line from the "
                      "ledger to send it anyway", markup=False)
    if report.aborted:
        console.print(f"error: sending stopped: {report.aborted}", markup=False)
    done = (f"dry run: {len(report.would_send)} would be sent, nothing was sent"
            if dry_run else f"{len(report.sent)} sent")
    line = (f"{done}, {len(report.already_sent)} already sent, {len(report.failed)} failed"
            f" ({messages} email{'s' if messages != 1 else ''} to each reader)")
    if report.not_attempted:
        line += f", {len(report.not_attempted)} left for the next run"
    if report.uncertain:
        line += f", {len(report.uncertain)} uncertain"
    if report.retries:
        line += f", {report.retries} retried"
    console.print(line, markup=False)


@click.command("send")
@click.argument("briefings", nargs=-1, metavar="[BRIEFING]...")
@click.option("--digest", type=click.Choice(["daily", "weekly"]),
              help="One email with the briefings of a day, or of its week (Monday to Sunday).")
@click.option("--date", "day", callback=parse_day, metavar="YYYY-MM-DD",
              help="The digest's day (default: today in the site timezone).")
@click.option("--to", "to", required=True, metavar="FILE.csv",
              type=click.Path(dir_okay=False, path_type=Path),
              help="The subscriber list: a CSV with an 'email' column, optional 'name' and "
              "'language'. Kept outside content/, static/, themes/ and the output folder.")
@click.option("--smtp", "smtp_url", default=DEFAULT_URL, show_default=True, metavar="URL",
              help="smtp://host:port (STARTTLS required unless on this machine) or "
              "smtps://host:port; login from BRIEFGEN_SMTP_USER / BRIEFGEN_SMTP_PASSWORD.")
@click.option("--dry-run", is_flag=True,
              help="Compose and check everything, report what would be sent; send nothing.")
@click.option("--rate", callback=_rate, metavar="N/s",
              help="At most N messages a second (also N/min, N/h); default: no limit.")
@click.option("--retries", type=click.IntRange(0, 10), default=3, show_default=True,
              help="Tries again after a temporary failure, waiting 2, 4, 8... seconds.")
@click.option("--base-url", callback=parse_url, metavar="URL",
              help="Link to the site at another address than base_url in briefgen.yaml.")
@click.pass_context
def send_command(ctx: click.Context, briefings: tuple[str, ...], digest: str | None,
                 day: dt.date | None, to: Path, smtp_url: str, dry_run: bool,
                 rate: float | None, retries: int, base_url: str | None) -> None:
    """Send each briefing (default: the newest), or a digest, to every reader of a CSV list,
    once: a ledger beside the list records what went to whom, so a second run sends nothing
    twice and a stopped run resumes."""
    from briefgen.email.compose import Composed, EmailError, Selection, compose
    from briefgen.email.ledger import Ledger, check_outside_site, ledger_path
    from briefgen.email.recipients import read_recipients
    from briefgen.email.send import SendReport, send_all
    from briefgen.email.transport import SmtpTransport

    check_selection(briefings, digest, day)
    try:
        settings = parse_smtp_url(smtp_url)
    except SmtpUrlError as why:
        raise click.UsageError(str(why)) from None
    root, console, config = site_config(ctx, base_url)
    diags = Diagnostics()
    csv_path = to if to.is_absolute() else Path.cwd() / to
    ledger_file = ledger_path(csv_path)
    try:
        check_outside_site(csv_path, root, root / config.output, "the subscriber list")
        check_outside_site(ledger_file, root, root / config.output, "the send ledger")
    except BriefgenError as why:
        console.print(f"error: {why}", markup=False)
        ctx.exit(1)
    readers = read_recipients(csv_path, diags)
    codes = [language.code for language in config.languages]
    lang_of: dict[str, str | None] = {}
    for reader in readers:
        lang_of[reader.address] = site_language(reader.language, codes)
        if reader.language and lang_of[reader.address] is None:
            diags.warning(str(csv_path), reader.line, 1, f"language '{reader.language}' is not "
                          f"one of the site's ({', '.join(codes)}); this reader gets the "
                          "emails as written")
    composed: dict[str | None, Composed] = {}
    try:
        for lang in sorted({*lang_of.values()}, key=lambda code: code or ""):
            composed[lang] = compose(root, Selection(briefings, digest, day), language=lang,
                                     base_url=base_url)
            diags.extend(d for d in composed[lang].diagnostics if d.severity != "info")
    except BuildFailed as failed:
        diags.extend(failed.diagnostics)
        for found in diags:
            print_diagnostic(console, found)
        ctx.exit(1)
    except (EmailError, BriefgenError) as exc:
        for found in diags:
            print_diagnostic(console, found)
        console.print(f"error: {exc}", markup=False)
        ctx.exit(1)
    for found in diags:
        print_diagnostic(console, found)
    if not readers:
        console.print(f"error: no reader to send to in {csv_path}", markup=False)
        ctx.exit(1)
    count = len(next(iter(composed.values())).messages)
    report = SendReport()
    transport = None if dry_run else SmtpTransport(settings)
    try:
        with Ledger(ledger_file, readonly=dry_run) as ledger:
            for index in range(count):
                def message_for(reader: Recipient, index: int = index) -> EmailMessage:
                    return composed[lang_of[reader.address]].messages[index]

                done = send_all(message_for, readers, ledger, transport, rate=rate,
                                dry_run=dry_run, retries=retries)
                report.merge(done)
                if dry_run:
                    subjects = sorted({str(message_for(r)["Subject"]) for r in readers})
                    console.print(f"would send {len(done.would_send)} of {len(readers)}: "
                                  f"{' / '.join(subjects)}", markup=False)
                if report.aborted:  # the later emails wait for the next run too
                    for _later in range(index + 1, count):
                        report.not_attempted.extend(r.address for r in readers)
                    break
    except BriefgenError as exc:
        console.print(f"error: {exc}", markup=False)
        ctx.exit(1)
    finally:
        if transport is not None:
            transport.close()
    _print_report(console, report, dry_run, count)
    if not report.ok or diags.has_errors():
        ctx.exit(1)
