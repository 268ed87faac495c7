"""The `briefgen clip` click command: options, the report on stderr, exit codes."""

from __future__ import annotations

import click

from briefgen.config import load_config
from briefgen.diagnostics import Diagnostics
from briefgen.sitefolder import site_root

__all__ = ["clip_command"]


def _err(message: str) -> None:
    click.echo(message, err=True)


@click.command("clip")
@click.argument("target", metavar="URL|FILE.html|FILE.txt|-")
@click.option("--id", "source_id", help="Source id (default: outlet-date-short-title).")
@click.option("--title", help="Headline, instead of the one found.")
@click.option("--outlet", help="Who published it, instead of the one found.")
@click.option("--published", help="Publication date, e.g. 2026-02-04 or 2026-02-04T18:25+01:00.")
@click.option("--url", help="The article's URL (needed for a file without one).")
@click.option("--dry-run", is_flag=True, help="Print the source file instead of writing it.")
@click.option("--new", is_flag=True, help="Add a new source even if the URL is in the library.")
@click.option("--allow-private", is_flag=True,
              help="Allow private and loopback addresses (an intranet you trust).")
@click.option("--ignore-robots", is_flag=True, help="Fetch even if robots.txt disallows it.")
@click.pass_context
def clip_command(ctx: click.Context, target: str, source_id: str | None, title: str | None,
                 outlet: str | None, published: str | None, url: str | None, dry_run: bool,
                 new: bool, allow_private: bool, ignore_robots: bool) -> None:
    """Put an article into content/sources/: from a URL, a saved page or copied text."""
    from briefgen.clip.errors import ClipError  # trafilatura is only imported for this command
    from briefgen.clip.run import ClipOptions, read_article, report_lines, store

    root = site_root(ctx.obj["site"])
    diags = Diagnostics()
    config = load_config(root, diags)
    if config is None:
        for diag in diags:
            _err(diag.format())
        ctx.exit(1)
        return
    options = ClipOptions(target, source_id=source_id, title=title, outlet=outlet,
                          published=published, url=url, dry_run=dry_run, new=new,
                          allow_private=allow_private, ignore_robots=ignore_robots)
    try:
        clipped = read_article(options)
        _err(f"Found in {target}:")
        for line in report_lines(clipped):
            _err(line)
        stored = store(root, config, clipped, options)
    except ClipError as exc:
        _err(f"error: {exc}")
        ctx.exit(1)
        return
    where = stored.path.relative_to(root) if stored.path.is_relative_to(root) else stored.path
    if dry_run:
        _err(f"Would {'update' if stored.updated else 'write'} {where} (--dry-run: nothing "
             "written):")
        click.echo(stored.text, nl=False)
        for change in stored.changes:
            _err(f"  {change}")
        return
    _err(f"{'Updated' if stored.updated else 'Wrote'} {where}")
    for change in stored.changes:
        _err(f"  {change}")
    if stored.archive is not None:
        archive = stored.archive.resolve()
        shown = archive.relative_to(root.resolve()) if archive.is_relative_to(root.resolve()) \
            else archive
        _err(f"Snapshot kept in {shown}")
