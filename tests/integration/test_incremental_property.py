"""Random edit sequences: every incremental build and every live rebuild equals a cold build.

The oracle: after each edit of a small inline site, (1) `briefgen build` with its cache into the
same output folder, and (2) the preview's LiveRebuilder (in place or a full build into its other
folder), publish exactly the files, byte for byte, that a cold build (no cache, a fresh output
folder) of a copy of the edited site publishes, and report the same diagnostics. An edit that
makes the site invalid fails in the incremental and the cold build alike, and the published (or
served) folder stays exactly as it was.
"""

from __future__ import annotations

import difflib
import gc
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.build import BuildOptions, build
from briefgen.cache import CACHE_DIR
from briefgen.diagnostics import BuildFailed
from tests.serve.livekit import BASE_URL, Live
from tests.sitekit import NOW, build_site, write_site

Tree = dict[str, bytes | None]  # relative path -> bytes of a file, None for a folder

BUNDLED_TEMPLATES = Path(__file__).parents[2] / "themes" / "default" / "templates"
TEMPLATES = "themes/default/templates"
BRIEFINGS = "content/briefings"
MAIN = "{% block main %}"  # every page template has it
LIBRARY = ("s-one", "s-two", "s-three")

SITE = """
-- briefgen.yaml --
title: Test Desk
description: Briefings for tests.
base_url: https://example.org/
timezone: UTC
pagination: 2
feeds:
  items: 3
clip:
  publish_snapshots: true
-- .briefgen-archive/s-two/20260204T081500Z/page.html --
<h1>Ferry operator raises fares</h1><p>Tickets cost a tenth more.</p>
-- content/categories.yaml --
analysis:
  name: Analysis
opinion:
  name: Opinion
  disclaimer: The writer's view.
-- content/authors.yaml --
ana:
  name: Ana Berg
ivo:
  name: Ivo Lind
-- content/outlets.yaml --
ledger:
  name: The Ledger
  homepage: https://ledger.example.com/
-- content/tags.yaml --
energy:
  name: Energy
-- content/sources/s-one.md --
---
title: Grid reserve auction opens
outlet: The Ledger
url: https://ledger.example.com/one
published: 2026-02-27
---
The reserve auction opens on Monday, the operator said.
-- content/sources/s-two.md --
---
title: Ferry operator raises fares
outlet: Wire
url: https://wire.example.com/two
---
-- content/sources/s-three.md --
---
title: Council votes on seawall
outlet: Wire
url: https://wire.example.com/three
---
-- content/briefings/alpha.md --
---
title: Alpha auction
date: 2026-03-01
summary: The auction opens.
category: analysis
authors: [ana]
tags: [energy]
sources: [s-one]
translation_key: alpha
---
The grid auction opens in March [@s-one].

Alpha second paragraph.
-- content/briefings/2026/beta.md --
---
title: Beta fares
date: 2026-02-01
summary: Fares rise.
tags: [energy, ferries]
sources:
- s-two
- id: inline-beta
  title: Fares table
  outlet: Harbour Board
  url: https://harbour.example.com/fares
---
The operator raises fares [@s-two].

Beta second paragraph.
-- content/briefings/gamma.md --
---
title: Gamma ferries
date: 2026-01-01
category: opinion
authors: [ivo]
tags: [ferries]
sources: [s-two]
---
Ferries run late [@s-two].
-- content/briefings/delta.md --
---
title: Delta seawall
date: 2025-12-01T08:30:00+02:00
summary: The seawall vote.
sources: [s-three]
---
The council votes [@s-three].
-- content/pages/about.md --
---
title: About
menu: 1
---
About the desk.
"""

BILINGUAL = """
-- briefgen.yaml --
title: Test Desk
description: Briefings for tests.
base_url: https://example.org/
timezone: UTC
pagination: 2
feeds:
  items: 3
languages:
  - code: en
  - code: ru
    title: Деск
-- content/tags.yaml --
energy:
  name: Energy
  translations:
    ru:
      name: Энергетика
-- content/briefings/alpha.ru.md --
---
title: Аукцион альфа
date: 2026-03-01
category: analysis
tags: [energy]
sources: [s-one]
translation_key: alpha
---
Аукцион открывается в марте [@s-one].
-- content/briefings/heat.ru.md --
---
title: Тепло дорожает
date: 2026-02-05
tags: [energy]
---
Тариф вырастет.
"""


def write_initial_site(root: Path, bilingual: bool) -> Path:
    """The site every sequence starts from, with a site-level override of briefing.html (and a
    copy of it beside, for undo_last_edit)."""
    write_site(root, SITE)
    if bilingual:
        write_site(root, BILINGUAL)
    override_template(root, "briefing.html", "site override")
    shutil.copytree(root, root.parent / FIRST_BUILT)
    return root


FIRST_BUILT = "first-built"  # beside the site: a copy of it as the sequence began
LAST_EDIT = "last-edit.txt"  # beside the site: the paths the last edit changed


# -- reading and writing the site's files -------------------------------------------------------


def briefing_files(root: Path) -> list[str]:
    """Every briefing, site-relative, in a stable order (edits pick one by index)."""
    return sorted(p.relative_to(root).as_posix() for p in (root / BRIEFINGS).rglob("*.md"))


def pick(root: Path, index: int) -> str | None:
    files = briefing_files(root)
    return files[index % len(files)] if files else None


@dataclass
class Briefing:
    """A briefing file as its front matter (a dict) and its body."""

    meta: dict[str, Any]
    body: str


def read_briefing(root: Path, rel: str) -> Briefing | None:
    """The briefing at rel, or None when its front matter is malformed (break_front_matter)."""
    text = (root / rel).read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    try:
        meta = yaml.safe_load(front)
    except yaml.YAMLError:
        return None
    return Briefing(meta, body)


def write_briefing(root: Path, rel: str, briefing: Briefing) -> set[str]:
    front = yaml.safe_dump(briefing.meta, sort_keys=False, allow_unicode=True,
                           default_flow_style=None)
    return write_text(root, rel, f"---\n{front}---\n{briefing.body}")


def write_text(root: Path, rel: str, text: str) -> set[str]:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return {rel}


def change_briefing(root: Path, index: int,
                    change: Callable[[Briefing], None]) -> set[str]:
    """Apply change to the index-th briefing (one whose YAML parses); the paths written."""
    rel = pick(root, index)
    briefing = read_briefing(root, rel) if rel else None
    if rel is None or briefing is None:
        return set()
    change(briefing)
    return write_briefing(root, rel, briefing)


def change_yaml(root: Path, rel: str, change: Callable[[dict[str, Any]], None]) -> set[str]:
    path = root / rel
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    change(data)
    return write_text(root, rel, yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


# -- the edits: each changes the site on disk and returns the site paths it changed ------------

Edit = Callable[..., set[str]]


def rewrite_paragraph(root: Path, index: int, text: str) -> set[str]:
    """The body's last paragraph replaced (a body edit that keeps its citations)."""
    def change(b: Briefing) -> None:
        paragraphs = b.body.rstrip("\n").split("\n\n")
        paragraphs[-1] = text
        b.body = "\n\n".join(paragraphs) + "\n"
    return change_briefing(root, index, change)


def add_citation(root: Path, index: int, source: str) -> set[str]:
    """A sentence citing a library source (listed or not), or the briefing's own inline one."""
    def change(b: Briefing) -> None:
        cited = source
        if source == "inline":
            inline = [s["id"] for s in b.meta.get("sources") or [] if isinstance(s, dict)]
            if not inline:
                return
            cited = inline[0]
        b.body = b.body.rstrip("\n") + f"\n\nAs reported [@{cited}].\n"
    return change_briefing(root, index, change)


def remove_citations(root: Path, index: int) -> set[str]:
    def change(b: Briefing) -> None:
        b.body = re.sub(r" ?\[@[^\]]*\]", "", b.body)
    return change_briefing(root, index, change)


def add_quotation(root: Path, index: int, quote: str) -> set[str]:
    """A quotation of s-one: found in its clipped text, or not (a warning)."""
    def change(b: Briefing) -> None:
        b.body = b.body.rstrip("\n") + f'\n\nThe operator said "{quote}" [@s-one].\n'
    return change_briefing(root, index, change)


def retitle(root: Path, index: int, title: str) -> set[str]:
    def change(b: Briefing) -> None:
        b.meta["title"] = title
    return change_briefing(root, index, change)


def redate(root: Path, index: int, when: str) -> set[str]:
    """A new date: past, a tie with another briefing, or after NOW (scheduled, not published)."""
    def change(b: Briefing) -> None:
        b.meta["date"] = when
    return change_briefing(root, index, change)


def recategorise(root: Path, index: int, category: str | None) -> set[str]:
    def change(b: Briefing) -> None:
        set_or_drop(b.meta, "category", category)
    return change_briefing(root, index, change)


def retag(root: Path, index: int, tags: list[str]) -> set[str]:
    def change(b: Briefing) -> None:
        set_or_drop(b.meta, "tags", list(tags) or None)
    return change_briefing(root, index, change)


def reauthor(root: Path, index: int, authors: list[str]) -> set[str]:
    def change(b: Briefing) -> None:
        set_or_drop(b.meta, "authors", list(authors) or None)
    return change_briefing(root, index, change)


def relist_sources(root: Path, index: int, sources: list[str]) -> set[str]:
    """A new `sources:` list: library ids, and "inline" for a source written in the briefing."""
    def change(b: Briefing) -> None:
        rel = pick(root, index) or ""
        stem = Path(rel).name.split(".")[0]
        listed: list[Any] = [
            {"id": f"inline-{stem}", "title": f"Notes on {stem}", "outlet": "Harbour Board",
             "url": f"https://harbour.example.com/{stem}"} if s == "inline" else s
            for s in sources]
        set_or_drop(b.meta, "sources", listed or None)
    return change_briefing(root, index, change)


UUID_A = "3f1c2a9e-6b7d-4c1e-9a55-0d2f4e8b7c61"
UUID_B = "9a7e6f10-2b3c-4d5e-8f90-a1b2c3d4e5f6"
FRONT_MATTER = [  # (key, value); None removes the key
    ("summary", "A new summary."), ("summary", None), ("kicker", "Breaking"), ("kicker", None),
    ("updated", "2026-03-05T10:00:00Z"), ("updated", None), ("slug", "custom-slug"),
    ("slug", None), ("timezone", "America/New_York"), ("timezone", None),
    ("id", UUID_A), ("id", UUID_B), ("id", None),  # the feed guid; twice is an error
    ("translation_key", "alpha"), ("translation_key", None), ("draft", True), ("draft", None),
]


def set_front_matter(root: Path, index: int, field: tuple[str, Any]) -> set[str]:
    """Set (or remove) one more front matter field: summary, kicker, updated, slug, timezone,
    id, translation_key, draft."""
    def change(b: Briefing) -> None:
        set_or_drop(b.meta, *field)
    return change_briefing(root, index, change)


def set_or_drop(meta: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        meta.pop(key, None)
    else:
        meta[key] = value


NEW_BRIEFINGS: list[dict[str, Any]] = [
    {"title": "Harbour dredging starts", "date": "2026-02-20", "tags": ["ferries"],
     "sources": ["s-three"], "body": "Dredging begins [@s-three].\n"},
    {"title": "Power prices fall", "date": "2026-03-01", "category": "analysis",
     "authors": ["ana", "ivo"], "tags": ["energy"], "summary": "Cheaper.",
     "body": "Prices fall.\n\nA second paragraph.\n"},
    {"title": "Next year's budget", "date": "2027-01-10", "category": "opinion",
     "body": "Scheduled for later.\n"},
]


def add_briefing(root: Path, variant: int, russian: bool) -> set[str]:
    """A new briefing file (in Russian only when the site has that language)."""
    meta = dict(NEW_BRIEFINGS[variant])
    body = meta.pop("body")
    suffix = ".ru.md" if russian and "languages" in (root / "briefgen.yaml").read_text() else ".md"
    number = 1
    while (root / BRIEFINGS / f"new-{number}{suffix}").exists():
        number += 1
    return write_briefing(root, f"{BRIEFINGS}/new-{number}{suffix}", Briefing(meta, body))


def delete_briefing(root: Path, index: int) -> set[str]:
    rel = pick(root, index)
    if rel is None:
        return set()
    (root / rel).unlink()
    return {rel}


def rename_briefing(root: Path, index: int, into_folder: bool) -> set[str]:
    """Move a file: into another folder (same slug, same URL) or to a new name (a new slug)."""
    rel = pick(root, index)
    if rel is None:
        return set()
    name = Path(rel).name
    stem, _, suffix = name.partition(".")
    if into_folder:
        target = f"{BRIEFINGS}/moved/{name}"
    else:
        target = f"{Path(rel).parent.as_posix()}/{stem}-renamed.{suffix}"
    if (root / target).exists() or target == rel:
        return set()
    (root / target).parent.mkdir(parents=True, exist_ok=True)
    os.replace(root / rel, root / target)
    return {rel, target}


PAGES = {
    "about body": ("content/pages/about.md", "---\ntitle: About\nmenu: 1\n---\nAbout us.\n"),
    "about title": ("content/pages/about.md",
                    "---\ntitle: About the desk\nmenu: 1\n---\nAbout the desk.\n"),
    "about off the menu": ("content/pages/about.md", "---\ntitle: About\n---\nAbout.\n"),
    "add contact": ("content/pages/contact.md",
                    "---\ntitle: Contact\nmenu: 0\n---\nWrite to us.\n"),
    "delete contact": ("content/pages/contact.md", None),
}


def edit_page(root: Path, change: str) -> set[str]:
    """A standalone page edited, added or deleted (pages in the menu are on every page)."""
    rel, text = PAGES[change]
    if text is not None:
        return write_text(root, rel, text)
    if not (root / rel).exists():
        return set()
    (root / rel).unlink()
    return {rel}


def edit_static(root: Path, text: str | None) -> set[str]:
    """A file under static/ written, changed or deleted."""
    rel = "static/notes.txt"
    if text is not None:
        return write_text(root, rel, text)
    if not (root / rel).exists():
        return set()
    (root / rel).unlink()
    return {rel}


SOURCE_CHANGES = {  # a pattern in a library source file, and its replacement
    "retitle": (r"(?m)^title: .*$", "title: Retitled"),
    "clipped text": (r"(?s)\n---\n.*", "\n---\nThe auction closes today, the operator said.\n"),
    "publish the text": (r"(?s)\A(?!.*publish_text)(.*?)\nurl: ", "\\1\npublish_text: true\nurl: "),
}


def edit_source(root: Path, source: str, change: str) -> set[str]:
    """A library source retitled, its clipped text changed (which quotations are found), or
    its text published on its page."""
    rel = f"content/sources/{source}.md"
    pattern, replacement = SOURCE_CHANGES[change]
    text = (root / rel).read_text(encoding="utf-8")
    return write_text(root, rel, re.sub(pattern, replacement, text, count=1))


ARCHIVE = ".briefgen-archive"
SNAPSHOT_CHANGES = {  # what clipping again, or an editor, does to a source's snapshots
    "edit by hand": ("20260204T081500Z/page.html", "<p>Edited <script>x()</script> by hand.</p>"),
    "clip again": ("20260301T090000Z/page.html", "<h1>Clipped again</h1><p>New words.</p>"),
    "clip a text": ("20260302T090000Z/page.txt", "Copied <text> & more.\n"),
    "remove all": ("", ""),
}


def edit_snapshot(root: Path, source: str, change: str) -> set[str]:
    """A source's snapshot written by hand, a newer one clipped (HTML or text), or all of its
    snapshots removed (clip: publish_snapshots is on in the initial site)."""
    rel, text = SNAPSHOT_CHANGES[change]
    folder = f"{ARCHIVE}/{source}"
    if not rel:
        shutil.rmtree(root / folder, ignore_errors=True)
        return {folder}
    return write_text(root, f"{folder}/{rel}", text)


def override_template(root: Path, name: str, marker: str) -> set[str]:
    """A site-level copy of a bundled template with a visible marker in it."""
    text = (BUNDLED_TEMPLATES / name).read_text(encoding="utf-8")
    if MAIN in text:
        text = text.replace(MAIN, f"{MAIN}<p>{marker}</p>", 1)
    else:
        text = f"<!-- {marker} -->{text}"
    return write_text(root, f"{TEMPLATES}/{name}", text)


def drop_override(root: Path, name: str) -> set[str]:
    """Remove the site's override: the bundled template is used again."""
    rel = f"{TEMPLATES}/{name}"
    if not (root / rel).exists():
        return set()
    (root / rel).unlink()
    return {rel}


YamlChange = Callable[[dict[str, Any]], None]


def renamed(key: str, name: str) -> YamlChange:
    return lambda data: data.setdefault(key, {}).update(name=name)


def permalink(pattern: str) -> YamlChange:
    return lambda data: data.setdefault("permalinks", {}).update(briefing=pattern)


REGISTRY_CHANGES: dict[str, tuple[str, YamlChange]] = {
    "rename category": ("content/categories.yaml", renamed("analysis", "Deep Analysis")),
    "category disclaimer": ("content/categories.yaml",
                            lambda d: d["analysis"].update(disclaimer="Numbers may move.")),
    "rename author": ("content/authors.yaml", renamed("ana", "Ana Berg-Lind")),
    "add author": ("content/authors.yaml", lambda d: d.update(zoe={"name": "Zoe Park"})),
    "rename tag": ("content/tags.yaml", renamed("energy", "Power")),
    "translate tag": ("content/tags.yaml",
                      lambda d: d["energy"].update(translations={"ru": {"name": "Энергия"}})),
    "describe tag": ("content/tags.yaml",
                     lambda d: d["energy"].update(description="Power and grids.")),
    "rename outlet": ("content/outlets.yaml", renamed("ledger", "The Ledger Weekly")),
    "describe outlet": ("content/outlets.yaml", lambda d: d.update(
        wire={"name": "Wire", "homepage": "https://wire.example.com/", "country": "Norway"})),
    # invalid while a briefing is in the category
    "remove category": ("content/categories.yaml", lambda d: d.pop("opinion", None)),
}

CONFIG_CHANGES: dict[str, YamlChange] = {
    "title": lambda d: d.update(title="Harbour Desk"),
    "copyright": lambda d: d.update(copyright="© The Desk"),
    "add a language": lambda d: d.setdefault("languages", [{"code": "en"}, {"code": "ru"}]),
    "one feed item": lambda d: d["feeds"].update(items=1),
    "more feed items": lambda d: d["feeds"].update(items=20),
    "summary feeds": lambda d: d["feeds"].update(full_content=False),
    "pagination": lambda d: d.update(pagination=1),
    "timezone": lambda d: d.update(timezone="Asia/Tokyo"),
    "permalink": permalink("/{year}/{slug}/"),
    "day permalink": permalink("/news/{year}/{month}/{day}/{slug}/"),
    "invalid permalink": permalink("/{year}/"),  # invalid: no {slug}
    "snapshots off": lambda d: d.setdefault("clip", {}).update(publish_snapshots=False),
}


def edit_registry(root: Path, change: str) -> set[str]:
    """One change to authors.yaml, categories.yaml, tags.yaml or outlets.yaml."""
    rel, apply = REGISTRY_CHANGES[change]
    return change_yaml(root, rel, apply)


def edit_config(root: Path, change: str) -> set[str]:
    """One change to briefgen.yaml."""
    return change_yaml(root, "briefgen.yaml", CONFIG_CHANGES[change])


def break_front_matter(root: Path, index: int) -> set[str]:
    """Malformed YAML in a briefing: the build fails until it is repaired."""
    rel = pick(root, index)
    if rel is None:
        return set()
    text = (root / rel).read_text(encoding="utf-8")
    return write_text(root, rel, re.sub(r"(?m)^title: ", "title: [", text, count=1))


def undo_last_edit(root: Path) -> set[str]:
    """Put every file the last edit changed back as it was when the sequence began (a builder
    must undo the pages of an edit undone, not only make those of an edit)."""
    try:
        paths = (root.parent / LAST_EDIT).read_text(encoding="utf-8").split()
    except FileNotFoundError:
        return set()
    changed: set[str] = set()
    for rel in paths:
        original, current = root.parent / FIRST_BUILT / rel, root / rel
        if original.is_file():
            if not current.is_file() or current.read_bytes() != original.read_bytes():
                current.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(original, current)
                changed.add(rel)
        elif current.is_file():
            current.unlink()
            changed.add(rel)
    return changed


def repair(root: Path) -> set[str]:
    """Undo what invalid edits did, and nothing else: a bad permalink, a removed category,
    malformed front matter, unknown categories, authors and cited sources, and a feed id, slug,
    translation_key or inline source id used twice."""
    changed: set[str] = set()
    config = yaml.safe_load((root / "briefgen.yaml").read_text(encoding="utf-8"))
    if "{slug}" not in (config.get("permalinks") or {}).get("briefing", "{slug}"):
        changed |= change_yaml(root, "briefgen.yaml", lambda d: d.pop("permalinks"))
    categories = yaml.safe_load((root / "content/categories.yaml").read_text(encoding="utf-8"))
    if "opinion" not in categories:
        changed |= change_yaml(root, "content/categories.yaml",
                               lambda d: d.update(opinion={"name": "Opinion"}))
    for rel in briefing_files(root):
        text = (root / rel).read_text(encoding="utf-8")
        if "title: [" in text:
            changed |= write_text(root, rel, text.replace("title: [", "title: ", 1))
    authors = yaml.safe_load((root / "content/authors.yaml").read_text(encoding="utf-8"))
    briefings = {rel: b for rel in briefing_files(root) if (b := read_briefing(root, rel))}
    before = {rel: repr(b) for rel, b in briefings.items()}
    seen: set[tuple[str, str, Any]] = set()  # (key, language or "", value)
    for rel, b in briefings.items():
        language = "ru" if ".ru." in rel else "en"
        for key in ("id", "slug", "translation_key"):
            value = b.meta.get(key)
            scope = "" if key == "id" else language
            if value is not None and (key, scope, value) in seen:
                del b.meta[key]
            elif value is not None:
                seen.add((key, scope, value))
        sources = []
        for source in b.meta.get("sources") or []:
            if isinstance(source, dict):
                if ("inline", "", source["id"]) in seen:
                    continue
                seen.add(("inline", "", source["id"]))
            sources.append(source)
        set_or_drop(b.meta, "sources", sources or None)
        if b.meta.get("category") not in (None, "analysis", "opinion"):
            b.meta["category"] = "analysis"
        if any(a.islower() and a not in authors for a in b.meta.get("authors") or []):
            b.meta["authors"] = [a for a in b.meta["authors"] if not a.islower() or a in authors]
    known = {*LIBRARY, *(value for kind, _, value in seen if kind == "inline")}
    for rel, b in briefings.items():
        b.body = re.sub(r" ?\[@([^\]]*)\]", lambda m: m[0] if m[1] in known else "", b.body)
        if repr(b) != before[rel]:
            changed |= write_briefing(root, rel, b)
    return changed


# -- the strategy: a named edit with its drawn arguments ----------------------------------------


class Step:
    """One edit and its drawn arguments, shown as a call in a falsifying example."""

    def __init__(self, edit: Edit, args: tuple[Any, ...]) -> None:
        self.edit, self.args = edit, args

    def apply(self, root: Path) -> set[str]:
        return self.edit(root, *self.args)

    def __repr__(self) -> str:
        return f"{self.edit.__name__}{self.args!r}".replace(",)", ")")


def step(edit: Edit, *args: st.SearchStrategy[Any]) -> st.SearchStrategy[Step]:
    return st.tuples(*args).map(lambda drawn: Step(edit, drawn))


WHICH = st.integers(0, 7)  # the n-th briefing file, modulo their number
STEPS: st.SearchStrategy[Step] = st.one_of(
    step(rewrite_paragraph, WHICH, st.sampled_from(
        ["A new last paragraph.", "## A heading\n\nAnd text with *emphasis*.",
         "Many more words. " * 120])),
    step(add_citation, WHICH, st.sampled_from(["s-one", "s-three", "inline", "s-nope"])),
    step(remove_citations, WHICH),
    step(add_quotation, WHICH, st.sampled_from(
        ["the reserve auction opens on Monday", "the auction closes today"])),
    step(retitle, WHICH, st.sampled_from(["Alpha auction", "A brand new title", "Zulu"])),
    step(set_front_matter, WHICH, st.sampled_from(FRONT_MATTER)),
    step(redate, WHICH, st.sampled_from(
        ["2026-03-01", "2026-02-10", "2025-06-15T23:30:00-05:00", "2026-11-26T11:59:00Z",
         "2026-12-24", "2027-03-01"])),  # the last two are after NOW: scheduled
    step(recategorise, WHICH, st.sampled_from([None, "analysis", "opinion", "nope"])),
    step(retag, WHICH, st.sampled_from(
        [[], ["energy"], ["ferries", "energy"], ["Grid Policy"], ["ferries"]])),
    step(reauthor, WHICH, st.sampled_from([[], ["ana"], ["ivo", "ana"], ["Guest Writer"],
                                           ["anna"]])),  # "anna": unknown id, an error
    step(relist_sources, WHICH, st.sampled_from(
        [[], ["s-one"], ["s-two", "s-three"], ["inline"], ["s-three", "inline"]])),
    step(add_briefing, st.integers(0, len(NEW_BRIEFINGS) - 1), st.booleans()),
    step(delete_briefing, WHICH),
    step(rename_briefing, WHICH, st.booleans()),
    step(edit_page, st.sampled_from(list(PAGES))),
    step(edit_static, st.sampled_from(["one\n", "one and two\n", None])),
    step(edit_source, st.sampled_from(LIBRARY), st.sampled_from(list(SOURCE_CHANGES))),
    step(override_template, st.sampled_from(
        ["briefing.html", "_card.html", "list.html", "page.html", "_sources.html"]),
        st.sampled_from(["edit one", "edit two"])),
    step(drop_override, st.sampled_from(["briefing.html", "_card.html", "list.html"])),
    step(edit_registry, st.sampled_from(list(REGISTRY_CHANGES))),
    step(edit_config, st.sampled_from(list(CONFIG_CHANGES))),
    step(break_front_matter, WHICH),
    step(repair),
    step(undo_last_edit),
)
SEQUENCES = st.lists(STEPS, min_size=1, max_size=6)
# The preview does not watch the archive folder (docs/clip.md): snapshot edits, for builds only.
BUILD_SEQUENCES = st.lists(st.one_of(STEPS, step(edit_snapshot, st.sampled_from(LIBRARY),
                                                 st.sampled_from(list(SNAPSHOT_CHANGES)))),
                           min_size=1, max_size=6)


def sized(examples: int) -> settings:
    """Sized for CI (each property under 40 s on two cores), the same examples on every run. To
    look further, set BRIEFGEN_PROPERTY_EXAMPLES=500: that many new random examples."""
    explore = os.environ.get("BRIEFGEN_PROPERTY_EXAMPLES")
    return settings(max_examples=int(explore or examples), deadline=None,
                    derandomize=not explore, database=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])


# -- the oracle: a cold build of a copy of the site ---------------------------------------------


def tree(folder: Path) -> Tree:
    """Every file (with its bytes) and folder under folder."""
    found: Tree = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        found[rel] = path.read_bytes() if path.is_file() else None
    return found


@dataclass(frozen=True)
class Cold:
    """What a cold build of the site published (None: it failed), and what it reported."""

    tree: Tree | None
    diagnostics: list[str]


# Same inputs, same cold build (RELIABILITY 33): the last few, by a digest of the inputs (every
# sequence starts from the same site, and repairs return to earlier ones).
_COLD: dict[str, Cold] = {}
_COLD_KEPT = 16


def inputs_digest(root: Path, mode: str) -> str:
    sha = hashlib.sha256(mode.encode())
    for folder in ("briefgen.yaml", "content", "themes", "static", ARCHIVE):
        for path in sorted((root / folder).rglob("*")) if (root / folder).is_dir() else [
                root / folder]:
            if path.is_file():
                sha.update(path.relative_to(root).as_posix().encode() + b"\0")
                sha.update(path.read_bytes() + b"\0")
    return sha.hexdigest()


def cold_build(root: Path, mode: str, scratch: Path) -> Cold:
    """A fresh build without a cache of a copy of the site; mode 'build' as `briefgen build`
    publishes it, 'serve' with the preview's base URL."""
    key = inputs_digest(root, mode)
    if key in _COLD:
        _COLD[key] = _COLD.pop(key)  # the most recently used last
    else:
        copy = Path(tempfile.mkdtemp(dir=scratch)) / "site-src"
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(
            "site", "site.briefgen-*", CACHE_DIR))
        out = copy / "cold-out"
        base_url = BASE_URL if mode == "serve" else None
        try:
            result = build(BuildOptions(copy, base_url=base_url, now=NOW, cache=False, jobs=1,
                                        output=out))
        except BuildFailed as failed:
            _COLD[key] = Cold(None, formatted(failed.diagnostics))
        else:
            _COLD[key] = Cold(tree(out), formatted(result.diagnostics))
        shutil.rmtree(copy.parent)
        if len(_COLD) > _COLD_KEPT:
            del _COLD[next(iter(_COLD))]
    return _COLD[key]


def formatted(diagnostics: Any) -> list[str]:
    """The diagnostics as printed, without the cache's own (a cold build has no cache)."""
    return [d.format() for d in diagnostics if not d.path.startswith(CACHE_DIR)]


def assert_same_tree(actual: Tree, expected: Tree, what: str) -> None:
    """Byte-for-byte equality, failing with the missing, extra and differing files."""
    if actual == expected:
        return
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    differ = sorted(rel for rel in set(actual) & set(expected) if actual[rel] != expected[rel])
    report = [f"{what} differs from a cold build", f"missing: {missing}", f"extra: {extra}",
              f"different: {differ}"]
    for rel in differ[:2]:
        old = (expected[rel] or b"").decode("utf-8", "replace").splitlines()
        new = (actual[rel] or b"").decode("utf-8", "replace").splitlines()
        diff = difflib.unified_diff(old, new, f"cold/{rel}", f"{what}/{rel}", lineterm="", n=1)
        report.append("\n".join(list(diff)[:40]))
    raise AssertionError("\n".join(report))


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode cache, in memory: a template is compiled once per file and source text
    for all builds of the module, not once per build (over half of a small build's time).
    Jinja checks the source's checksum before it uses the bytecode: no byte of output changes."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


@pytest.fixture(scope="module", autouse=True)
def quick_builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the cache signing key away from the real user's cache folder, and compile each
    template once."""
    compiled = CompiledTemplates()

    class Environment(jinja2.Environment):
        def __init__(self, *args: Any, **options: Any) -> None:
            options.setdefault("bytecode_cache", compiled)
            super().__init__(*args, **options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        patch.setattr(jinja2, "Environment", Environment)
        yield


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cold")


# -- `briefgen build`, incremental ------------------------------------------------------------


class Published:
    """A site built with its cache into site/, after every step compared with a cold build."""

    def __init__(self, root: Path, scratch: Path) -> None:
        self.root = root
        self.out = root / "site"
        self.scratch = scratch

    def build_and_compare(self, changed: set[str], after: str) -> bool:
        """Build after an edit (changed: its paths); whether the build succeeded."""
        before = tree(self.out) if self.out.is_dir() else None
        cold = cold_build(self.root, "build", self.scratch)
        try:
            result = build_site(self.root, jobs=1)
        except BuildFailed as failed:
            assert cold.tree is None, f"after {after}: the incremental build failed, the cold " \
                f"one did not: {formatted(failed.diagnostics)}"
            assert formatted(failed.diagnostics) == cold.diagnostics, after
            published = tree(self.out) if self.out.is_dir() else None
            assert published == before, f"after {after}: a failed build changed site/"
        else:
            assert cold.tree is not None, f"after {after}: the cold build failed, the " \
                f"incremental one did not: {cold.diagnostics}"
            assert_same_tree(tree(self.out), cold.tree, f"site/ after {after}")
            assert formatted(result.diagnostics) == cold.diagnostics, after
        leftovers = [p.name for p in self.root.iterdir() if p.name.startswith("site.briefgen-")
                     and p.name != "site.briefgen-spare"]
        assert leftovers == [], "a staging or old folder was left behind"
        return cold.tree is not None


def run_sequence(root: Path, steps: list[Step], build: Callable[[set[str], str], bool]) -> None:
    """The first build, then each edit and a build (given the paths changed and a label for
    failures). A site that failed two builds in a row is repaired along with the next edit, as
    a writer would, so that most of a sequence is spent on valid sites."""
    build(set(), "the first build")
    failures = 0
    for number, edit in enumerate(steps, 1):
        changed = edit.apply(root)
        label = f"step {number}, {edit!r}"
        if failures >= 2:
            changed |= repair(root)
            label += " with repair()"
        (root.parent / LAST_EDIT).write_text("\n".join(sorted(changed)), encoding="utf-8")
        failures = 0 if build(changed, label) else failures + 1


@given(bilingual=st.booleans(), steps=BUILD_SEQUENCES)
@sized(40)
def test_every_incremental_build_in_a_random_edit_sequence_equals_a_cold_build(
        scratch: Path, bilingual: bool, steps: list[Step]) -> None:
    with tempfile.TemporaryDirectory(dir=scratch) as folder:
        root = write_initial_site(Path(folder) / "site-src", bilingual)
        run_sequence(root, steps, Published(root, scratch).build_and_compare)


# -- `briefgen serve`, the live rebuilder ------------------------------------------------------


def served_or_none(live: Live) -> Tree | None:
    return tree(live.current) if live.current is not None else None


def rebuild_and_compare(live: Live, changed: set[str], after: str, scratch: Path) -> bool:
    """Rebuild as the preview does after an edit (changed: its paths); whether it succeeded."""
    before = served_or_none(live)
    cold = cold_build(live.root, "serve", scratch)
    if changed or live.current is None:
        outcome = live.rebuild(*sorted(changed))
        ok, diagnostics = outcome.ok, formatted(outcome.diagnostics)
        assert not any("crashed" in line for line in diagnostics), diagnostics
    else:  # nothing changed: the preview has nothing to rebuild
        ok, diagnostics = live.last is not None and live.last.ok, cold.diagnostics
    how = f"{after} ({'in place' if live.in_place else 'full build'})"
    if not ok:
        assert cold.tree is None, f"after {how}: the live rebuild failed, the cold build " \
            f"did not: {diagnostics}"
        assert diagnostics == cold.diagnostics, how
        assert served_or_none(live) == before, f"after {how}: a failed rebuild changed the " \
            "served folder"
    else:
        assert cold.tree is not None, f"after {how}: the cold build failed, the live " \
            f"rebuild did not: {cold.diagnostics}"
        served = served_or_none(live)
        assert served is not None
        assert_same_tree(served, cold.tree, f"served build after {how}")
        assert diagnostics == cold.diagnostics, how
    return ok


@given(bilingual=st.booleans(), steps=SEQUENCES)
@sized(25)
def test_every_live_rebuild_in_a_random_edit_sequence_equals_a_cold_build(
        scratch: Path, bilingual: bool, steps: list[Step]) -> None:
    with tempfile.TemporaryDirectory(dir=scratch) as folder:
        root = write_initial_site(Path(folder) / "site-src", bilingual)
        live = Live(root, Path(folder) / "unused")
        try:
            run_sequence(root, steps, partial(rebuild_and_compare, live, scratch=scratch))
        finally:
            live.rebuilder.close()
            gc.unfreeze()  # the rebuilder froze its kept build: let the next example's go
