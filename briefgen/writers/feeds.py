"""Feeds: RSS 2.0, Atom and JSON Feed 1.1 for the site and for each category, tag and author.

Every date comes from the briefings (never the clock), every link is absolute, and each item's
guid/atom:id is the briefing's permanent `urn:uuid:` id, so renaming or moving it changes nothing.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import lxml.etree  # (feedgen also uses lxml.etree without importing it)
from feedgen.feed import FeedGenerator

from briefgen import __version__
from briefgen.digests import Digests, digest
from briefgen.jobs import Job
from briefgen.models import Briefing
from briefgen.site import Edition, Site
from briefgen.theme import Theme
from briefgen.urls import FEED_FILES, Urls

if TYPE_CHECKING:
    from briefgen.cache import BuildCache

__all__ = ["absolutize", "feed_contents", "feed_jobs", "keep_only_used"]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ATTR = re.compile(r"""(\s(?:href|src)=)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)


_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


def absolutize(html: str, page_url: str) -> str:
    """Make every href/src in HTML absolute, relative to the page's absolute URL."""
    parts = urlsplit(page_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    plain = not parts.query and not parts.fragment

    def fix(match: re.Match[str]) -> str:
        value = match.group(3)
        if _SCHEME.match(value):
            return match.group(0)
        # what urljoin gives, without its cost, for the links a body holds most: a fragment of
        # the page itself, and a path from the site's root without dot segments, a query,
        # params or an empty fragment (urljoin rewrites those)
        if plain and value.startswith("#") and len(value) > 1:
            joined = page_url + value
        elif (value.startswith("/") and not value.startswith("//") and "/." not in value
              and "?" not in value and ";" not in value and not value.endswith("#")):
            joined = origin + value
        else:
            joined = urljoin(page_url, value)
        return f"{match.group(1)}{match.group(2)}{joined}{match.group(2)}"
    return _ATTR.sub(fix, html)


def _content(site: Site, b: Briefing, theme: Theme | None) -> str:
    """The body and its Sources list (in the briefing's language), every link absolute."""
    html = b.body_html
    if theme is not None and (b.cited or b.further):
        edition = site.editions.get(b.lang, site.default)
        html += "\n" + theme.render("_sources.html", site=edition, briefing=b,
                                     config=edition.config, lang=edition.language,
                                     languages=site.config.languages)
    return absolutize(html, site.urls.abs(b.url))


def _generator(edition: Edition, title: str, home: str, self_url: str,
               items: list[Briefing], contents: dict[str, str]) -> FeedGenerator:
    urls: Urls = edition.urls
    config = edition.config
    newest = max((b.updated or b.date for b in items), default=edition.updated or EPOCH)
    fg = FeedGenerator()
    # RSS's own <author> must be an e-mail address: items name their authors in dc:creator.
    fg.load_extension("dc", atom=False, rss=True)
    fg.id(urls.abs(home))
    fg.title(title)
    fg.subtitle(config.description or title)
    # The validators want the self link typed; RSS and Atom share this generator.
    self_type = "application/atom+xml" if self_url.endswith("atom.xml") else "application/rss+xml"
    fg.link(href=self_url, rel="self", type=self_type)
    if config.websub_hub:  # WebSub: subscribers learn where to be told of changes (Atom; RSS
        fg.link(href=config.websub_hub, rel="hub")  # gets it in _rss_hub: feedgen skips it)
    fg.link(href=urls.abs(home), rel="alternate")  # last: RSS's <link> is the last one added
    fg.language(config.language)
    fg.author({"name": config.author.get("name") or config.title,
               **({"email": config.author["email"]} if "email" in config.author else {})})
    fg.generator("briefgen", __version__)
    if config.copyright:
        fg.rights(config.copyright)
    fg.updated(newest)
    fg.lastBuildDate(newest)
    for b in items:
        fe = fg.add_entry(order="append")
        fe.id(b.guid)
        fe.guid(b.guid, permalink=False)
        fe.title(b.title)
        fe.link(href=urls.abs(b.url))
        fe.published(b.date)
        fe.updated(b.updated or b.date)
        fe.description(b.summary or b.title, isSummary=True)  # Atom <summary>, RSS <description>
        if config.feed_full_content:
            fe.content(contents[b.path], type="html")
        for author in b.authors:
            fe.author({"name": author.name})
        if b.authors:
            fe.dc.dc_creator([a.name for a in b.authors])
        if b.category:
            fe.category(term=b.category.id, label=b.category.name)
        for tag, name in b.tags:
            fe.category(term=tag, label=name)
    return fg


def _rss_hub(rss: bytes, hub: str) -> bytes:
    """The RSS feed with an <atom:link rel="hub"> after its self link (feedgen writes only the
    self link there)."""
    if not hub:
        return rss
    tree = lxml.etree.fromstring(rss)
    channel = tree.find("channel")
    assert channel is not None
    atom = "{http://www.w3.org/2005/Atom}link"
    own = next((i for i, e in enumerate(channel) if e.tag == atom), 0)
    link = lxml.etree.Element(atom, href=hub, rel="hub")
    link.tail = channel[own].tail
    channel.insert(own + 1, link)
    data: bytes = lxml.etree.tostring(tree, xml_declaration=True, encoding="UTF-8",
                                      pretty_print=True)
    return data


def _json_feed(edition: Edition, title: str, home: str, self_url: str, items: list[Briefing],
               contents: dict[str, str]) -> str:
    config, urls = edition.config, edition.urls
    feed: dict[str, object] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": urls.abs(home),
        "feed_url": self_url,
        "description": config.description or title,
        "language": config.language,
        "authors": [{"name": config.author.get("name") or config.title}],
        "items": [],
    }
    if config.websub_hub:
        feed["hubs"] = [{"type": "WebSub", "url": config.websub_hub}]
    for b in items:
        item: dict[str, object] = {
            "id": b.guid,
            "url": urls.abs(b.url),
            "title": b.title,
            "summary": b.summary,
            "date_published": b.date.isoformat(),
        }
        if config.feed_full_content:
            item["content_html"] = contents[b.path]
        else:
            item["content_text"] = b.summary or b.title
        if b.updated:
            item["date_modified"] = b.updated.isoformat()
        if b.authors:
            item["authors"] = [{"name": a.name, "url": urls.abs(a.url)} for a in b.authors]
        if b.tags:
            item["tags"] = [name for _, name in b.tags]
        feed["items"].append(item)  # type: ignore[attr-defined]
    return json.dumps(feed, ensure_ascii=False, indent=2) + "\n"


class _Contents(dict[str, str]):
    """Full feed content per briefing, rendered on first use; with a build state, kept there
    under a digest of what it shows (kept_key), so that a later build renders only the entries
    of briefings that changed (an edit at 1,000 briefings renders 12 feeds of 71 entries)."""

    def __init__(self, site: Site, theme: Theme | None, state: BuildCache | None = None) -> None:
        super().__init__()
        self.site, self.theme = site, theme
        self.by_path = {b.path: b for b in site.briefings}
        self.state = state
        self.entry_keys: dict[str, str] = {}  # path -> the state's key of its entry (note())
        self.fresh: list[tuple[str, str]] = []  # rendered here, to keep in the state

    def note(self, b: Briefing, chrome: str, sources: str, briefing: str) -> None:
        """The state's key of a feed entry: what its content shows, the body and Sources list of
        the briefing's own page (its briefing digest), the Sources template and the language's
        strings (its chrome). Taken when the feed's job is made, from the build's digests."""
        if self.state is not None and b.path not in self.entry_keys:
            self.entry_keys[b.path] = digest("feed entry", chrome, sources, briefing)

    def __missing__(self, path: str) -> str:
        b = self.by_path[path]
        key = self.entry_keys.get(path, "")
        if key:
            assert self.state is not None
            found = self.state.values([key], "feed")[0]
            if isinstance(found, str):
                self[path] = found
                return found
        value = self[path] = _content(self.site, b, self.theme)
        if key:
            self.fresh.append((key, value))
        return value

    def keep(self) -> None:
        """Store in the state what was rendered since the last call (a feed's new entries)."""
        if self.fresh and self.state is not None:
            self.state.put_many(self.fresh, table="feed")
        self.fresh = []



def feed_contents(site: Site, theme: Theme | None,
                  state: BuildCache | None = None) -> dict[str, str]:
    """Each briefing's full feed content by path, rendered on first use (see feed_jobs); with a
    build state, kept there between builds."""
    return _Contents(site, theme, state)


def keep_only_used(contents: dict[str, str]) -> None:
    """Let the state forget every kept feed entry that no feed shows now (a whole build calls
    this once its feeds are made: its contents noted every feed's entries)."""
    if isinstance(contents, _Contents) and contents.state is not None:
        contents.state.prune(set(contents.entry_keys.values()), tables=("feed",))


def feed_jobs(site: Site, theme: Theme | None, digests: Digests,
              contents: dict[str, str] | None = None, only: set[str] | None = None,
              state: BuildCache | None = None) -> list[Job]:
    """Jobs for every feed: RSS, Atom and JSON Feed for each language's home and each of its
    categories, tags and authors (or only those written to the `only` files).

    `contents` (from feed_contents) lets a caller keep rendered contents between calls; else,
    with a build `state`, contents are kept there between builds."""
    contents = _Contents(site, theme, state) if contents is None else contents
    jobs = []
    for edition in site.editions.values():
        jobs += _edition_feeds(edition, theme, digests, contents, only)
    return jobs


_NAMES = tuple(zip(FEED_FILES, ("rss", "atom", "json"), strict=True))


def _feed_sets(edition: Edition) -> list[tuple[str, str, list[Briefing]]]:
    """(title, home, briefings) of each feed of a language: its home, categories, tags and
    authors."""
    title = edition.config.title
    sets = [(title, edition.language.home, edition.briefings)]
    for terms in (edition.categories, edition.tags, edition.authors):
        sets += [(f"{title}: {t.name}", t.url, t.briefings) for t in terms.values()]
    return sets


def _edition_feeds(edition: Edition, theme: Theme | None, digests: Digests,
                   contents: dict[str, str], only: set[str] | None) -> list[Job]:
    config, urls = edition.config, edition.urls
    sets = _feed_sets(edition)
    sources = theme.template_hash("_sources.html") if theme else ""
    updated = edition.updated.isoformat() if edition.updated else ""
    jobs = []
    for title, home, all_items in sets:
        if only is not None and not any(urls.output_file(home + name) in only
                                        for name, _kind in _NAMES):
            continue
        items = all_items[:config.feed_items]
        entries = [digests.briefing(b) for b in items]
        key = digest(digests.chrome(edition), sources, title, home, updated, entries)
        if isinstance(contents, _Contents):
            for b, entry in zip(items, entries, strict=True):
                contents.note(b, digests.chrome(edition), sources, entry)
        for name, kind in _NAMES:
            def make(title: str = title, home: str = home, items: list[Briefing] = items,
                     name: str = name, kind: str = kind) -> str | bytes:
                self_url = urls.abs(home + name)
                made: str | bytes
                if kind == "json":
                    made = _json_feed(edition, title, home, self_url, items, contents)
                else:
                    generator = _generator(edition, title, home, self_url, items, contents)
                    made = generator.atom_str(pretty=True) if kind == "atom" else _rss_hub(
                        generator.rss_str(pretty=True), config.websub_hub)
                if isinstance(contents, _Contents):
                    contents.keep()
                return made
            jobs.append(Job(urls.output_file(home + name), digest(key, name), make,
                            label=f"feeds ({home}{name})", bodies=tuple(items)))
    return jobs
