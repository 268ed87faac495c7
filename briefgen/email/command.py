"""The `briefgen email` click command: selection options, the .eml files, exit codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import click

from briefgen.config import Config, load_config
from briefgen.diagnostics import BriefgenError, BuildFailed, Diagnostics
from briefgen.sitefolder import site_root
from briefgen.terminal import Printer, print_diagnostic, printer

__all__ = ["check_selection", "email_command", "parse_day", "parse_url", "refuse_folder",
           "site_config"]


def refuse_folder(root: Path, out: Path, output: Path) -> str:
    """Why `out` may not receive the .eml files ('' when it may): the site's sources would
    publish them, or the next build would replace them."""
    root, out, output = root.resolve(), out.resolve(), output.resolve()
    for name in ("content", "themes", "static"):
        if out.is_relative_to(root / name):
            return f"it is inside the site's {name}/, which the build publishes"
    if out.is_relative_to(output):
        return f"it is inside the site's output folder {output}, which every build replaces"
    if out == root:
        return "it is the site folder itself"
    if out.exists() and not out.is_dir():
        return "it exists and is not a folder"
    return ""


def parse_day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-03-04") from None


def parse_url(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    parts = urlsplit(value or "https://x/")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise click.BadParameter("must be an http(s) URL like https://example.org/brief/")
    return value


def check_selection(briefings: tuple[str, ...], digest: str | None, day: dt.date | None) -> None:
    """Refuse briefings named with --digest, and --date without it (a usage error)."""
    if digest and briefings:
        raise click.UsageError("--digest gathers its own briefings: name briefings or use "
                               "--digest, not both")
    if day and not digest:
        raise click.UsageError("--date only applies to --digest")


def site_config(ctx: click.Context, base_url: str | None) -> tuple[Path, Printer, Config]:
    """The site's folder, a printer and its configuration; exit 1 when the config has errors."""
    root = site_root(ctx.obj["site"])
    console = printer()
    diags = Diagnostics()
    config = load_config(root, diags, base_url)
    if config is None:
        for found in diags:
            print_diagnostic(console, found)
        ctx.exit(1)
    assert config is not None
    return root, console, config


@click.command("email")
@click.argument("briefings", nargs=-1, metavar="[BRIEFING]...")
@click.option("--digest", type=click.Choice(["daily", "weekly"]),
              help="One email with the briefings of a day, or of its week (Monday to Sunday).")
@click.option("--date", "day", callback=parse_day, metavar="YYYY-MM-DD",
              help="The digest's day (default: today in the site timezone).")
@click.option("--lang", metavar="CODE",
              help="Each briefing's translation in this language, where it has one.")
@click.option("--base-url", callback=parse_url, metavar="URL",
              help="Link to the site at another address than base_url in briefgen.yaml.")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="The folder to write the .eml files into.")
@click.pass_context
def email_command(ctx: click.Context, briefings: tuple[str, ...], digest: str | None,
                  day: dt.date | None, lang: str | None, base_url: str | None,
                  output: Path) -> None:
    """Write each briefing (content or URL path; default: the newest), or a digest, as a .eml
    file ready to send: text and HTML parts, headers from the 'email:' block of briefgen.yaml."""
    from briefgen.email.compose import EmailError, Selection, compose

    check_selection(briefings, digest, day)
    root, console, config = site_config(ctx, base_url)
    codes = [language.code for language in config.languages]
    if lang is not None and lang not in codes:
        raise click.BadParameter(f"unknown language '{lang}' (the site's languages: "
                                 f"{', '.join(codes)})", param_hint="--lang")
    out = output if output.is_absolute() else Path.cwd() / output
    why = refuse_folder(root, out, root / config.output)
    if why:
        console.print(f"error: refusing to write emails into {out}: {why}; choose another "
                      "folder with -o", markup=False)
        ctx.exit(1)
    try:
        composed = compose(root, Selection(briefings, digest, day), language=lang,
                           base_url=base_url)
    except BuildFailed as failed:
        for found in failed.diagnostics:
            print_diagnostic(console, found)
        ctx.exit(1)
    except (EmailError, BriefgenError) as exc:
        console.print(f"error: {exc}", markup=False)
        ctx.exit(1)
    for found in composed.diagnostics:
        if found.severity != "info":
            print_diagnostic(console, found)
    out.mkdir(parents=True, exist_ok=True)
    for name, message in zip(composed.names, composed.messages, strict=True):
        (out / name).write_bytes(message.as_bytes())
        console.print(f"wrote {out / name}: {message['Subject']}", markup=False)
