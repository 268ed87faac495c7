"""The briefgen command line: init, new, build, check, serve, ping, clip, email, send.

Exit 0 ok, 1 errors, 2 usage."""

from __future__ import annotations

import gc
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

import click

from briefgen import __version__
from briefgen.build import BuildOptions, BuildResult, build
from briefgen.clip.command import clip_command
from briefgen.config import load_config
from briefgen.diagnostics import BriefgenError, BuildFailed, Diagnostics, format_json
from briefgen.email.command import email_command
from briefgen.email.sendcommand import send_command
from briefgen.progress import BuildProgress
from briefgen.registry import load_authors, load_categories
from briefgen.scaffold import default_author, init_site, new_briefing
from briefgen.schema import did_you_mean
from briefgen.sitefolder import site_root
from briefgen.summary import problem_counts, summary_line
from briefgen.terminal import Printer, print_diagnostic, printer

__all__ = ["main"]

def _console() -> Printer:
    return printer()


def print_diagnostics(diags: Diagnostics, fmt: str, infos: bool = True) -> None:
    """Every diagnostic, one line each, sorted; or the JSON list on stdout. Info lines (things
    briefgen could not check) only when asked: `check` and `-v` show them."""
    shown = [d for d in diags if infos or d.severity != "info"]
    if fmt == "json":
        click.echo(format_json(shown))
        return
    console = _console()
    for d in shown:
        print_diagnostic(console, d)


def _site_root(ctx: click.Context) -> Path:
    return site_root(ctx.obj["site"])


def _check_base_url(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise click.BadParameter("must be an http(s) URL like https://example.org/brief/")
    return value


def _summary(result: BuildResult, verbose: bool, published: bool) -> None:
    console = _console()
    if verbose:
        for name, seconds in result.timings:
            console.print(f"  {name:<10} {seconds * 1000:8.1f} ms")
        if result.makers:  # worker time: in parallel, it adds up to more than the step took
            console.print("  render time by template (all workers):")
        for name, (made, seconds) in sorted(result.makers.items(), key=lambda kv: -kv[1][1]):
            files = "file " if made == 1 else "files"
            console.print(f"    {name:<20} {made:>7} {files} {seconds * 1000:10.1f} ms "
                          f"{seconds * 1000 / made:7.2f} ms each")
        if published:  # (also in .briefgen/next-change, for a CI schedule)
            moment = result.next_change
            console.print(f"  next scheduled change: {moment.isoformat() if moment else 'none'}",
                          markup=False)
    counts = result.counts
    if "external_urls" in counts:
        from briefgen.external.run import summary

        console.print(summary(counts), markup=False)
    if counts.get("quotations"):
        console.print(f"{counts['quotations']} quotations checked, "
                      f"{counts.get('quotations_missing', 0)} not found in their sources")
    console.print(summary_line(result, published), markup=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
@click.option("--site", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="The site folder (where briefgen.yaml is).")
@click.pass_context
def cli(ctx: click.Context, site: Path) -> None:
    """briefgen: publish cited briefings as a static site."""
    ctx.ensure_object(dict)["site"] = site


def _build_options(func: click.decorators.FC) -> click.decorators.FC:
    for option in reversed([
        click.option("--drafts", is_flag=True, help="Include briefings with draft: true."),
        click.option("--future", is_flag=True, help="Include briefings dated in the future."),
        click.option("--base-url", callback=_check_base_url,
                     help="Override base_url from briefgen.yaml."),
        click.option("--strict", is_flag=True, help="Treat warnings as errors."),
        click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                     help="How to print problems."),
        click.option("-v", "--verbose", is_flag=True, help="Print each step's time."),
    ]):
        func = option(func)
    return func


def _run(ctx: click.Context, options: BuildOptions, fmt: str, verbose: bool,
         infos: bool = False) -> None:
    ctx.obj["built"] = True  # main() may end the process without freeing the build's objects
    # nor collecting them: with the collector on after build() returns, its first full pass
    # walks the whole model (0.3 s at 10,000 briefings) just before the process ends
    gc.disable()
    try:
        with BuildProgress(_console()) as progress:
            options.progress = progress
            result = build(options)
    except BuildFailed as failed:
        print_diagnostics(failed.diagnostics, fmt, infos or verbose)
        if fmt == "text":
            _console().print(f"{problem_counts(failed.diagnostics)}; "
                             + ("nothing was published, the previous site is unchanged"
                                if options.write else "check failed"))
        ctx.exit(1)
    except BriefgenError as exc:
        _console().print(f"error: {exc}", markup=False)
        ctx.exit(1)
    print_diagnostics(result.diagnostics, fmt, infos or verbose)
    if fmt == "text":
        _summary(result, verbose, options.write)


@cli.command("build")
@_build_options
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: 'output' in briefgen.yaml, or site/).")
@click.option("--jobs", "-j", type=click.IntRange(min=1),
              help="Worker processes (default: every available CPU).")
@click.option("--no-cache", is_flag=True,
              help="Parse and render everything, without reading or writing .briefgen-cache/.")
@click.pass_context
def build_command(ctx: click.Context, drafts: bool, future: bool, base_url: str | None,
                  strict: bool, fmt: str, verbose: bool, output: Path | None, jobs: int | None,
                  no_cache: bool) -> None:
    """Build the site into site/; on any error publish nothing and keep the old site."""
    root = _site_root(ctx)
    if drafts and output is None:
        raise click.UsageError(
            "--drafts would publish unfinished briefings into the site's output folder; preview "
            "them with 'briefgen serve --drafts', or build them elsewhere with --drafts -o DIR")
    _run(ctx, BuildOptions(root, drafts=drafts, future=future, base_url=base_url, strict=strict,
                           output=output.resolve() if output else None, jobs=jobs,
                           cache=not no_cache), fmt, verbose)


@cli.command("check")
@_build_options
@click.option("--external", is_flag=True,
              help="Also fetch every source URL and report dead or moved ones (warnings).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=10.0,
              show_default=True, help="With --external: seconds to wait for each server.")
@click.option("--allow-private", is_flag=True,
              help="With --external: also check hosts on private or loopback addresses.")
@click.pass_context
def check_command(ctx: click.Context, drafts: bool, future: bool, base_url: str | None,
                  strict: bool, fmt: str, verbose: bool, external: bool, timeout: float,
                  allow_private: bool) -> None:
    """Run every validation of the build without writing the site (--external: and fetch
    every source URL)."""
    root = _site_root(ctx)
    given = {name for name in ("timeout", "allow_private")
             if ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT}
    if given and not external:
        name = min(given)
        raise click.UsageError(f"--{name.replace('_', '-')} only applies to --external")
    outside = None
    if external:
        from briefgen.external import ExternalOptions

        outside = ExternalOptions(allow_private=allow_private, timeout=timeout)
    _run(ctx, BuildOptions(root, drafts=drafts, future=future, base_url=base_url,
                           strict=strict, write=False, check_links=True,
                           check_catalogues=True, external=outside), fmt, verbose, infos=True)


@cli.command("init")
@click.argument("directory", type=click.Path(path_type=Path))
def init_command(directory: Path) -> None:
    """Create a new site in DIRECTORY, ready for 'briefgen build'."""
    try:
        made = init_site(directory, datetime.now().astimezone())
    except BriefgenError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created a site in {directory} ({len(made)} files). Next:\n"
               f"  cd {directory} && briefgen build")


@cli.command("new")
@click.argument("title")
@click.option("--category", help="Category id from content/categories.yaml.")
@click.option("--author", help="Author id from content/authors.yaml (default: the site's "
              "author from briefgen.yaml).")
@click.option("--lang", help="Language code from briefgen.yaml's languages (default: the "
              "site's default language).")
@click.option("--translation-key", help="Shared with the briefing's versions in other languages.")
@click.pass_context
def new_command(ctx: click.Context, title: str, category: str | None, author: str | None,
                lang: str | None, translation_key: str | None) -> None:
    """Write a new briefing file dated now, with its front matter filled in."""
    root = _site_root(ctx)
    diags = Diagnostics()
    authors = load_authors(root, diags)
    for value, known, hint in ((category, load_categories(root, diags), "--category"),
                               (author, authors, "--author")):
        if value is not None and value not in known:
            raise click.BadParameter(f"unknown {hint.lstrip('-')} '{value}'"
                                     f"{did_you_mean(value, known)}", param_hint=hint)
    config = load_config(root, diags)
    if config is None:
        print_diagnostics(diags, "text")
        ctx.exit(1)
    codes = [language.code for language in config.languages]
    if lang is not None and lang not in codes:
        raise click.BadParameter(f"unknown language '{lang}' (the site's languages: "
                                 f"{', '.join(codes)}){did_you_mean(lang, codes)}",
                                 param_hint="--lang")
    now = datetime.now(config.tz).replace(second=0, microsecond=0)
    if author is None:
        author = default_author(config.author.get("name"), authors)
    try:
        path = new_briefing(root, title, now, category, author,
                            None if lang == config.language else lang, translation_key,
                            config.slugs)
    except BriefgenError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Wrote {path.relative_to(root)} (draft: true until you set it to false)")


@cli.command("ping")
@click.option("--site-url", callback=_check_base_url,
              help="Where the site is published (default: base_url from briefgen.yaml).")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path),
              help="The published folder (default: 'output' in briefgen.yaml, or site/).")
@click.option("--allow-private", is_flag=True,
              help="Also reach a hub on a private or loopback address.")
@click.pass_context
def ping_command(ctx: click.Context, site_url: str | None, output: Path | None,
                 allow_private: bool) -> None:
    """Tell the WebSub hub (websub: hub in briefgen.yaml) which feeds changed since the last
    ping; run it after each deploy."""
    from briefgen.clip.fetch import Fetcher
    from briefgen.websub import ping

    root = _site_root(ctx)
    diags = Diagnostics()
    config = load_config(root, diags)
    if config is None:
        print_diagnostics(diags, "text")
        ctx.exit(1)
    if not config.websub_hub:
        raise click.UsageError("no hub to ping: set 'websub: hub: https://...' in briefgen.yaml")
    out = output.resolve() if output else root / config.output
    if not out.is_dir():
        raise click.UsageError(f"{out} has no published site: run 'briefgen build' first")
    report = ping(root, out, site_url or config.base_url, config.websub_hub,
                  Fetcher(allow_private=allow_private, timeout=10.0, total_timeout=30.0))
    console = _console()
    for url, why in report.failed:
        console.print(f"error: {url}: {why}", markup=False)
    console.print(f"pinged {config.websub_hub} for {len(report.sent)} changed feeds "
                  f"({len(report.unchanged)} unchanged, {len(report.failed)} failed)",
                  markup=False)
    if report.failed:
        ctx.exit(1)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 shows the preview to your whole network).")
@click.option("--port", type=click.IntRange(0, 65535),
              help="Port (default 8000, or the next free one; 0 picks any free port).")
@click.option("--drafts", is_flag=True, help="Include briefings with draft: true.")
@click.option("--future", is_flag=True, help="Include briefings dated in the future.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a browser.")
@click.pass_context
def serve_command(ctx: click.Context, host: str, port: int | None, drafts: bool, future: bool,
                  open_browser: bool) -> None:
    """Preview the site: build, serve on localhost, rebuild and reload on every change."""
    from briefgen.serve.app import ServeOptions, run  # watchdog only for this command

    root = _site_root(ctx)
    try:
        code = run(ServeOptions(root, host=host, port=port, drafts=drafts, future=future,
                                open_browser=open_browser))
    except BriefgenError as exc:
        _console().print(f"error: {exc}", markup=False)
        ctx.exit(1)
    ctx.exit(code)


cli.add_command(clip_command)
cli.add_command(email_command)
cli.add_command(send_command)


def _end_now(code: int) -> NoReturn:
    """End the process as soon as what it printed is flushed, without freeing its objects."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: Python itself ends with 120 then
            code = code or 120
    os._exit(code)


def main() -> None:
    """Console entry point.

    After build and check the process ends once its output is flushed, without freeing the
    build's objects one by one (mypy ends the same way): at 10,000 briefings that would take
    longer than a build with nothing to do. cli.main() called in a process that goes on (the
    tests' CliRunner, a script) returns or raises as usual."""
    state: dict[str, Any] = {}
    try:
        sys.exit(cli.main(standalone_mode=True, obj=state))
    except SystemExit as done:
        if state.get("built") and isinstance(done.code, int | None):
            _end_now(done.code or 0)
        raise
