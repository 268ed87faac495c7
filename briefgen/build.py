"""The build as a list of named, timed steps: config, discover, parse, model, render, publish."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from briefgen.config import Config, load_config
from briefgen.content import ParseContext, parse_briefing, parse_page, parse_source
from briefgen.diagnostics import BuildFailed, Diagnostics
from briefgen.discover import ContentFiles, discover
from briefgen.linkcheck import check_links
from briefgen.markdown import create_markdown
from briefgen.models import Author, Briefing, Category, Outlet, Page, Source
from briefgen.output import Output
from briefgen.registry import load_authors, load_categories, load_outlets
from briefgen.site import Site, build_site
from briefgen.theme import Theme
from briefgen.urls import Urls
from briefgen.writers.feeds import render_feeds
from briefgen.writers.pages import render_pages
from briefgen.writers.sitemap import render_sitemap
from briefgen.writers.static import write_static

__all__ = ["BuildOptions", "BuildResult", "build"]


@dataclass
class BuildOptions:
    """What a build was asked to do."""

    root: Path
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    output: Path | None = None
    strict: bool = False
    write: bool = True  # False: validate and render everything, publish nothing (check)
    check_links: bool = False  # check every internal link and #anchor of the built pages
    now: datetime | None = None


@dataclass
class BuildResult:
    """What a build did: its diagnostics, each step's time, and how many files it wrote."""

    diagnostics: Diagnostics
    timings: list[tuple[str, float]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    output: Path | None = None


# Steps after which errors do not stop the build yet: later steps find more problems.
_GO_ON_AFTER_ERRORS = frozenset({"discover", "parse"})


class _Build:
    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.root = options.root.resolve()
        self.diags = Diagnostics()
        self.result = BuildResult(self.diags)
        self.config: Config
        self.urls: Urls
        self.files: ContentFiles
        self.briefings: list[Briefing] = []
        self.pages: list[Page] = []
        self.library: dict[str, Source] = {}
        self.authors: dict[str, Author] = {}
        self.categories: dict[str, Category] = {}
        self.outlets: dict[str, Outlet] = {}
        self.site: Site
        self.theme: Theme
        self.output: Output

    def steps(self) -> list[tuple[str, Callable[[], None]]]:
        return [
            ("config", self.load_config),
            ("discover", self.discover),
            ("parse", self.parse),
            ("model", self.model),
            ("pages", self.render_pages),
            ("feeds", self.render_feeds),
            ("sitemap", self.render_sitemap),
            ("static", self.copy_static),
            *([("links", self.check_links)] if self.options.check_links else []),
            ("publish", self.publish),
        ]

    def run(self) -> BuildResult:
        try:
            for name, step in self.steps():
                started = time.perf_counter()
                step()
                self.result.timings.append((name, time.perf_counter() - started))
                # Bad files are left out of parsing, so the model still runs and reports
                # unresolved references too: every problem in one pass, nothing rendered.
                if name not in _GO_ON_AFTER_ERRORS and self.diags.has_errors(self.options.strict):
                    raise BuildFailed(self.diags)
        except BaseException:
            if hasattr(self, "output"):
                self.output.abort()
                if not self.options.write:  # check: its scratch folder goes too
                    self.output.staging.parent.rmdir()
            raise
        return self.result

    def load_config(self) -> None:
        config = load_config(self.root, self.diags, self.options.base_url)
        if config is None:
            return
        self.config = config
        self.urls = Urls(config.base_url, config.permalinks)
        self.theme = Theme(config, self.urls)
        if not self.theme.exists:
            self.diags.error("briefgen.yaml", 0, 0, f"theme '{config.theme}' not found in "
                             "themes/ or among the bundled themes")

    def discover(self) -> None:
        self.files = discover(self.root, self.diags)
        self.authors = load_authors(self.root, self.diags)
        self.categories = load_categories(self.root, self.diags)
        self.outlets = load_outlets(self.root, self.diags)

    def parse(self) -> None:
        ctx = ParseContext(self.config, create_markdown(self.config.raw_html),
                           self.urls.base_path)
        for rel in self.files.briefings:
            briefing, diags = parse_briefing(rel, (self.root / rel).read_bytes(), ctx)
            self.diags.extend(diags)
            if briefing is not None:
                self.briefings.append(briefing)
        for rel in self.files.pages:
            page, diags = parse_page(rel, (self.root / rel).read_bytes(), ctx)
            self.diags.extend(diags)
            if page is not None:
                self.pages.append(page)
        for rel in self.files.sources:
            source, diags = parse_source(rel, (self.root / rel).read_bytes(), ctx)
            self.diags.extend(diags)
            if source is not None:
                self.library[source.id] = source

    def model(self) -> None:
        now = self.options.now or datetime.now(UTC)
        self.site = build_site(self.config, self.urls, self.briefings, self.pages, self.library,
                               self.authors, self.categories, self.diags, now=now,
                               drafts=self.options.drafts, future=self.options.future,
                               outlets=self.outlets)
        self.result.counts["briefings"] = len(self.site.briefings)

    def _open_output(self) -> None:
        if self.options.write:
            out = self.options.output or (self.root / self.config.output)
            self.output = Output(self.root, out if out.is_absolute() else self.root / out)
        else:
            scratch = Path(tempfile.mkdtemp(prefix="briefgen-check-")) / "site"
            self.output = Output(self.root, scratch)
        self.output.begin()
        self.result.output = self.output.out

    def render_pages(self) -> None:
        self._open_output()
        self.result.counts["pages"] = render_pages(self.site, self.theme, self.output, self.diags)

    def render_feeds(self) -> None:
        self.result.counts["feeds"] = render_feeds(self.site, self.output, self.diags, self.theme)

    def render_sitemap(self) -> None:
        render_sitemap(self.site, self.output)

    def copy_static(self) -> None:
        self.result.counts["static"] = write_static(self.root, self.theme, self.output,
                                                    self.diags)

    def check_links(self) -> None:
        pages = {b.url: b.path for b in self.site.briefings}
        pages.update({p.url: p.path for p in self.site.pages})
        self.result.counts["links"] = check_links(self.output.staging, self.urls.base_path,
                                                  pages, self.root, self.diags)

    def publish(self) -> None:
        if self.diags.has_errors(self.options.strict):
            return
        if self.options.write:
            self.output.commit()
        else:
            self.output.abort()
            self.output.staging.parent.rmdir()


def build(options: BuildOptions) -> BuildResult:
    """Run a whole build; raises BuildFailed (with every diagnostic) when anything is wrong."""
    return _Build(options).run()
