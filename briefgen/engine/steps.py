"""The engine's steps: config, discover, parse, model, jobs, render, stage, search, publish.

Each step is a module's job; this file only runs them in order and stops on errors. Both hosts run
these steps: `briefgen build` with its state on disk (cache.py) and the published folder as its
destination, and the preview (serve/) with `keep=True`, which also keeps in memory what in-place
edits need afterwards (kept.py): what parsing reported per file, each briefing's shape, every
feed item's content and the dependency index of the job keys."""

from __future__ import annotations

import gc
import json
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.cache import BuildCache
from briefgen.config import Config, load_config
from briefgen.diagnostics import BuildFailed, Diagnostic, Diagnostics
from briefgen.digests import Digests, digest, recording
from briefgen.discover import ContentFiles, discover
from briefgen.engine.options import BuildOptions, BuildResult
from briefgen.freshness import LaterAnswer, due, input_digest, published_at
from briefgen.jobs import Job
from briefgen.models import Author, Category, Outlet, TagInfo
from briefgen.output import MARKER, MARKER_TEXT, Output, check_output_dir
from briefgen.parallel import Progress, available_cpus, trim_memory
from briefgen.registry import load_authors, load_categories, load_outlets, load_tags
from briefgen.themefolders import theme_dirs
from briefgen.urls import Urls

if TYPE_CHECKING:
    from briefgen.clip.snapshots import Snapshot
    from briefgen.engine.depends import DependencyIndex
    from briefgen.engine.run import RenderReport
    from briefgen.loader import Loaded
    from briefgen.site import Site
    from briefgen.theme import Theme

# The steps after "fresh" import Jinja, Babel, Markdown, Pygments, feedgen and lxml; they are
# imported inside their steps so that a build with nothing to do starts in a blink.

__all__ = ["BuildOptions", "BuildResult", "Engine", "build"]

# Steps an edit made in place (quick.py) does not need.
_WHOLE_ONLY = frozenset({"parse", "external", "model", "jobs", "render"})
# Steps after which errors do not stop the build yet: later steps find more problems.
_GO_ON_AFTER_ERRORS = frozenset({"discover", "fresh", "theme", "parse", "external"})


class Engine:
    """One run of the steps. keep=True: run every step even when the output is already up to
    date, and keep what in-place edits need (kept.py reads it after run())."""

    def __init__(self, options: BuildOptions, keep: bool = False) -> None:
        self.options = options
        self.keep = keep
        self.root = options.root.resolve()
        self.diags = Diagnostics()
        self.result = BuildResult(self.diags)
        self.workers = options.jobs or available_cpus()
        self.cache: BuildCache | None = None
        self.fresh = False  # the published site is already what this build would make
        self.inputs = ""
        self.made = ""  # digest of what makes a folder (check_fresh)
        self.stats: dict[str, os.stat_result] = {}  # content files' stats, by path (fresh)
        self._manifest: tuple[dict[str, str] | None] | None = None  # published_manifest()
        self.config: Config
        self.urls: Urls
        self.theme: Theme
        self.files: ContentFiles
        self.loaded: Loaded
        self.authors: dict[str, Author] = {}
        self.categories: dict[str, Category] = {}
        self.outlets: dict[str, Outlet] = {}
        self.tags: dict[str, TagInfo] = {}
        self.snapshots: dict[str, Snapshot] = {}  # clip: publish_snapshots: true
        self.site: Site
        self.jobs: list[Job] = []
        self.digests: Digests
        self.feed_contents: dict[str, str] | None = None  # kept by the preview between builds
        self.output: Output
        self.report: RenderReport
        self.searched = "off"  # what the search step did (writers/search.py index_site)
        # kept (keep=True) for in-place edits
        self.parsed: dict[str, set[Diagnostic]] = {}  # what parsing reported, per file
        self.shapes: dict[str, str] = {}  # briefing path -> its shape as parsed
        self.early: set[Diagnostic] = set()  # reported before any job was made
        self.index: DependencyIndex | None = None
        # a build that publishes with its state keeps its model for edits in place (quick.py)
        self.keeps_model = False
        self.model_written = False
        self.base = ""  # digest of what it reads but briefing files' bytes (snapshot.py)
        self.options_text = ""  # the options that change what it makes (check_fresh)
        self.edited: dict[str, str] | None = None  # made in place: the briefings edited since
        self.rendered: list[int] = []  # and the positions of the jobs made since

    def steps(self) -> list[tuple[str, Callable[[], None]]]:
        return [
            ("config", self.load_config),
            ("discover", self.discover),
            ("fresh", self.check_fresh),
            ("theme", self.load_theme),
            ("in place", self.edit_in_place),
            ("parse", self.parse),
            *([("external", self.check_external)] if self.options.external else []),
            ("model", self.model),
            ("jobs", self.collect_jobs),
            ("render", self.make_files),
            *([("links", self.check_links)] if self.options.check_links else []),
            ("stage", self.stage),
            ("search", self.search),
            ("publish", self.publish),
        ]

    def run(self, until: str | None = None) -> BuildResult:
        """Run the steps in order (until: and stop after the step of that name, e.g. "model"
        for what needs the site model but no output, such as `briefgen email`)."""
        try:
            for name, step in self.steps():
                if self.edited is not None and name in _WHOLE_ONLY:
                    continue
                started = time.perf_counter()
                step()
                self.result.timings.append((name, time.perf_counter() - started))
                if self.fresh:
                    break
                # Bad files are left out of parsing, so the model still runs and reports
                # unresolved references too: every problem in one pass, nothing rendered.
                # (An edit not made in place leaves the whole steps to report.)
                go_on = name in _GO_ON_AFTER_ERRORS or (name == "in place" and self.edited is None)
                if not go_on and self.diags.has_errors(self.options.strict):
                    raise BuildFailed(self.diags)
                if name == until:
                    break
        except BaseException:
            if hasattr(self, "output"):
                self.output.abort()
                if not self.options.write:  # check: its scratch folder goes too
                    self.output.staging.parent.rmdir()
            raise
        finally:
            if self.cache is not None:
                self.cache.close()
        return self.result

    def _progress(self, step: str) -> Progress | None:
        report = self.options.progress
        if report is None:
            return None
        return lambda done, total: report(step, done, total)

    def load_config(self) -> None:
        config = load_config(self.root, self.diags, self.options.base_url)
        if config is None:
            return
        self.config = config
        self.urls = Urls(config.base_url, config.permalinks)
        if self.options.write:  # refuse a dangerous output folder before touching anything
            check_output_dir(self.root, self.out_dir())
        if not theme_dirs(config.root, config.theme):
            self.diags.error("briefgen.yaml", 0, 0, f"theme '{config.theme}' not found in "
                             "themes/ or among the bundled themes")

    def discover(self) -> None:
        self.files = discover(self.root, self.diags)
        codes = [lang.code for lang in self.config.languages]
        self.authors = load_authors(self.root, self.diags, codes)
        self.categories = load_categories(self.root, self.diags, codes)
        self.tags = load_tags(self.root, self.diags, codes)
        self.outlets = load_outlets(self.root, self.diags)
        if self.config.publish_snapshots:  # each source's newest snapshot, to publish
            from briefgen.clip.snapshots import newest_snapshots

            self.snapshots = newest_snapshots(self.root, self.config.clip_archive)

    def load_theme(self) -> None:
        """The theme's templates and translation catalogues: unreadable catalogues reported, and
        (check) missing strings."""
        from briefgen.compiled import build_theme

        self.theme = build_theme(self.config, self.urls, self.cache)
        if self.keep:
            from briefgen.engine.kept import remember_dates

            remember_dates(self.theme)
        self.theme.check_catalogues(self.diags, missing=self.options.check_catalogues)

    def open_state(self) -> None:
        """The configuration's fingerprints, and the state (a build that writes, with a cache)."""
        self.fingerprint = digest(json.dumps(self.config.fingerprint(), sort_keys=True,
                                             default=str))
        self.parse_fingerprint = digest(json.dumps(self.config.parse_fingerprint(),
                                                   sort_keys=True))
        if self.options.write and self.options.cache:
            self.cache = BuildCache(self.root, self.parse_fingerprint, self.diags)
            self.keeps_model = not self.keep and self.options.spare

    def check_fresh(self) -> None:
        """Open the state; finish early when nothing the build reads has changed."""
        self.open_state()
        if self.cache is None:
            return
        out = self.out_dir().resolve()
        name = self.state_name()
        options = repr((self.options.drafts, self.options.future, self.options.base_url,
                        str(out), self.options.strict))
        # what made the folder, but the files: a build with the same version, configuration
        # and options made it, so it is a complete site, if maybe an older one
        self.made = digest(options, self.fingerprint)
        files = [*self.files.briefings, *self.files.pages, *self.files.sources,
                 *(os.path.relpath(self.root / s.path, self.root)
                   for s in self.snapshots.values())]
        self.options_text = options
        intact = None if self.keep or self.diags.has_errors() else self._intact(out, name)
        try:  # a forked process checks the published folder while the inputs are digested
            self.inputs = input_digest(self.root, options, files,
                                       theme_dirs(self.config.root, self.config.theme),
                                       self.fingerprint, self.stats)
            if intact is None or self.cache.meta(f"inputs:{name}") != self.inputs or not intact():
                return
        finally:
            if intact is not None:
                intact.close()
        self.fresh = True
        self.result.output = out
        moment = self.cache.meta(f"next:{name}")
        self.result.next_change = datetime.fromisoformat(moment) if moment else None
        self.result.counts = dict(self.cache.meta(f"counts:{name}") or {}, parsed=0, written=0)
        for row in self.cache.meta(f"diagnostics:{name}") or []:
            self.diags.add(row["path"], row["line"], row["col"], row["message"], row["severity"])

    def _intact(self, out: Path, name: str) -> LaterAnswer | None:
        """Whether the published folder is as the last build left it, asked now, answered when
        called; None when the state says it cannot be (or a briefing has come due)."""
        assert self.cache is not None
        manifest, published = self.published_manifest(), self.cache.meta(f"published:{name}")
        if (manifest is None or not isinstance(published, int) or not (out / MARKER).is_file()
                or due(self.cache.meta(f"next:{name}"), self.options.now or datetime.now(UTC))):
            return None
        return LaterAnswer(out, manifest, published, self.workers, here=True)

    def published_manifest(self) -> dict[str, str] | None:
        """What the last build published into the output folder (read once per build: the
        nothing-changed check, an edit in place and the render step all ask)."""
        assert self.cache is not None
        if self._manifest is None:
            self._manifest = (self.cache.manifest(self.state_name()),)
        return self._manifest[0]

    def parse(self) -> None:
        from briefgen.content import ParseContext
        from briefgen.loader import load_content
        from briefgen.markdown import create_markdown

        fingerprint = self.parse_fingerprint
        ctx = ParseContext(self.config, create_markdown(self.config.raw_html),
                           self.urls.base_path)
        per_file = self.keep or self.keeps_model  # what parsing says of each file is kept
        before = set(self.diags) if per_file else set()
        self.loaded = load_content(self.root, self.files, ctx, fingerprint, self.cache,
                                   self.workers, self.diags, self._progress("parse"),
                                   stats=self.stats)
        self.result.counts["parsed"] = self.loaded.parsed
        if self.keeps_model:  # the last reader of the stats (the model is kept with it)
            from briefgen.engine.snapshot import base_digest

            base_digest(self)
        self.stats = {}  # 12,000 stat results are 9 MB at 10,000 briefings
        trim_memory()  # what parsing freed (every body, once stored) goes back to the system
        if per_file:
            for found in set(self.diags) - before:
                self.parsed.setdefault(found.path, set()).add(found)

    def edit_in_place(self) -> None:
        """Apply the briefings edited since to the model the last build kept, when only their
        content changed: the steps from parse to render are then not needed (quick.py)."""
        from briefgen.engine.quick import edit_in_place, may_edit_in_place

        if self.keeps_model and not self.diags.has_errors() and may_edit_in_place(self):
            edit_in_place(self)  # sets self.edited when it could

    def check_external(self) -> None:
        """check --external: every source URL fetched (safely, politely); the only step that
        goes on the network, and only when asked."""
        from briefgen.external.run import check_external
        from briefgen.external.targets import site_sources

        assert self.options.external is not None
        self.result.counts.update(check_external(
            self.root, self.config.clip_archive, site_sources(self.loaded),
            self.options.external, self.diags, self._progress("external")))

    def model(self) -> None:
        from briefgen.related import RelatedMemo
        from briefgen.site import build_site

        if self.keep:  # before the model resolves them
            from briefgen.engine.shapes import shape

            self.shapes = {b.path: shape(b) for b in self.loaded.briefings}
        now = self.options.now or datetime.now(UTC)
        related = RelatedMemo(self.cache.meta("related") if self.cache is not None else None)
        self.site = build_site(self.config, self.urls, self.loaded.briefings, self.loaded.pages,
                               self.loaded.library, self.authors, self.categories, self.diags,
                               now=now, drafts=self.options.drafts, future=self.options.future,
                               outlets=self.outlets, tags=self.tags,
                               unparsed=self.loaded.unparsed, related=related)
        self.site.snapshots = self.snapshots
        if self.cache is not None and related.changed:
            self.cache.set_meta("related", related.kept)
        self.result.counts["briefings"] = len(self.site.briefings)
        self.result.counts.update(quotations=self.site.quotes.checked,
                                  quotations_missing=self.site.quotes.missing)
        self.result.counts.update(self.options.left_out(self.loaded.briefings))

    def collect_jobs(self) -> None:
        from briefgen.writers.cards import draw_ahead

        with draw_ahead(self.site, self.theme.dirs, self.card_cache,
                        self.workers if self.options.write else 1):
            self._collect_jobs()

    def _collect_jobs(self) -> None:
        digests = self.digests = Digests(self.site)
        if self.keep or self.keeps_model:
            from briefgen.engine.depends import DependencyIndex
            from briefgen.writers.feeds import feed_contents

            if self.keep:
                self.feed_contents = feed_contents(self.site, self.theme)
                self.early = set(self.diags)
            with recording() as provenance:
                pages, feeds = self._output_jobs(digests)
            self.index = DependencyIndex(provenance, self.jobs)
            del provenance
            # The render step forks a worker, whose resident set counts every page it shares
            # with this process: give back what parsing and recording freed before it does.
            trim_memory()
        else:
            pages, feeds = self._output_jobs(digests)
        self.result.counts["pages"] = len(pages)
        self.result.counts["feeds"] = len(feeds)
        if self.keeps_model and not self.diags.has_errors(self.options.strict):
            from briefgen.engine.snapshot import write_model

            write_model(self)

    def _output_jobs(self, digests: Digests) -> tuple[list[Job], list[Job]]:
        """Every output file as a job (self.jobs); returns the page and feed jobs."""
        from briefgen.writers.cards import cards_for
        from briefgen.writers.feeds import feed_contents, feed_jobs
        from briefgen.writers.pages import page_jobs
        from briefgen.writers.sitemap import sitemap_jobs
        from briefgen.writers.static import static_jobs

        pages = page_jobs(self.site, self.theme, digests)
        if self.feed_contents is None:  # kept in the build state between builds
            self.feed_contents = feed_contents(self.site, self.theme, self.cache)
        feeds = feed_jobs(self.site, self.theme, digests, self.feed_contents)
        self.jobs = [Job(MARKER, digest(MARKER_TEXT), lambda: MARKER_TEXT, label=MARKER),
                     *pages, *feeds, *sitemap_jobs(self.site)]
        self.jobs += cards_for(self.site, self.theme.dirs, digests, self.diags, self.card_cache)
        self.jobs += static_jobs(self.root, self.theme, {job.rel for job in self.jobs},
                                 self.diags)
        return pages, feeds

    @property
    def card_cache(self) -> Path | None:
        """Where drawn social cards are kept by what they show (writers/cards.py)."""
        return self.cache.dir / "cards" if self.cache is not None else None

    def state_name(self, folder: Path | None = None) -> str:
        """The output folder's (or folder's) name in the state: from the site folder when it is
        inside it (so that a state restored into another checkout of the site still applies)."""
        out = (folder or self.out_dir()).resolve()
        return out.relative_to(self.root).as_posix() if out.is_relative_to(self.root) else str(out)

    def out_dir(self) -> Path:
        out = self.options.output or (self.root / self.config.output)
        return out if out.is_absolute() else self.root / out

    def open_output(self) -> None:
        if self.options.write:
            self.output = Output(self.root, self.out_dir(),
                                 keep_spare=self.options.spare and self.options.cache)
        else:
            import tempfile

            scratch = Path(tempfile.mkdtemp(prefix="briefgen-check-")) / "site"
            self.output = Output(self.root, scratch, keep_spare=False)
        self.output.begin()
        self.result.output = self.output.out

    def make_files(self) -> None:
        """The render step: make every output file that is not already published as it is."""
        from briefgen.engine.run import run_jobs

        self.open_output()
        previous = (self.published_manifest()
                    if self.cache is not None and self.options.write else None)
        # Rendering makes reference cycles (template contexts) by the page: collect them, but
        # never walk what the build holds now (frozen; forked workers inherit that too).
        collecting = gc.isenabled()
        gc.freeze()
        gc.enable()
        try:
            self.report = run_jobs(self.jobs, self.output, self.theme, previous, self.workers,
                                   self.diags, self._progress("render"), self.loaded)
        finally:
            if not collecting:
                gc.disable()
            gc.unfreeze()
        self.result.counts["written"] = len(self.report.changed)
        self.result.makers = self.report.makers
        if not self.keep and self.feed_contents is not None:
            from briefgen.writers.feeds import keep_only_used

            keep_only_used(self.feed_contents)  # the state forgets entries no feed shows

    def check_links(self) -> None:
        from briefgen.linkcheck import check_links

        pages = {b.url: b.path for b in self.site.briefings}
        pages.update({p.url: p.path for p in self.site.pages})
        self.result.counts["links"] = check_links(self.output.staging, self.urls.base_path,
                                                  pages, self.root, self.diags)

    def stage(self) -> None:
        """Make the new site complete beside the published one (staging, or the spare)."""
        if not self.options.write:
            self.output.abort()
            self.output.staging.parent.rmdir()
            return
        report, name = self.report, self.state_name()
        spare: list[str] | None = None
        if self.cache is not None:  # the spare is about to change: its differences unknown
            spare = self.cache.meta(f"spare:{name}")
            self.cache.set_meta(f"spare:{name}", None)
        if spare is not None:  # and where the published folder changed since the last build
            spare = [*spare, *report.touched]
        self.output.prepare(report.changed if report.incremental else None, report.removed,
                            spare)

    def search(self) -> None:
        """Index the new site with Pagefind (when `search: true`) before it is published."""
        from briefgen.writers.search import index_site

        if not self.options.write:
            return
        assert self.output.ready is not None
        touched = self.report.changed | self.report.removed
        # One language: its index, whatever the pages say. Several: Pagefind indexes each
        # language (the pages' <html lang>) separately, and a search page searches its own.
        languages = self.config.languages
        forced = languages[0].code.split("-")[0] if len(languages) == 1 else None
        self.searched = index_site(self.output.ready, touched, self.config.search, forced,
                                   self.diags)
        if self.config.search:
            self.result.counts["indexed"] = int(self.searched == "indexed")

    def publish(self) -> None:
        """Exchange the new site with the published one, then record what was published."""
        if not self.options.write:
            return
        out, name = self.output.out, self.state_name()
        # the spare is now the site before this build, or (a whole build) the same files
        known = self.output.ready == self.output.spare or self.output.mirroring
        if self.cache is not None:  # while folders move, trust nothing
            from briefgen.engine.snapshot import forget_model

            forget_model(self)
            self.cache.set_manifest(name, None)
            self.cache.set_meta(f"inputs:{name}", None)
            self.cache.set_meta(f"made:{name}", None)
        self.output.publish()
        published = published_at(out)  # every change this build makes to the folder is done
        if self.cache is None:
            return
        from briefgen.engine.record import record_published

        record_published(self, published, known)


def build(options: BuildOptions) -> BuildResult:
    """Run a whole build; raises BuildFailed (with every diagnostic) when anything is wrong."""
    # A build allocates many small objects and frees them all at the end: the cycle collector
    # would walk them again and again for nothing (a third of a large build's time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return Engine(options).run()
    finally:
        if collecting:
            gc.enable()
