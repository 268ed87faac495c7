"""Hostile input: front matter stays text, script URLs are refused, links are not followed."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from tests.sitekit import build_errors, build_site

MakeSite = Callable[..., Path]

HOSTILE = ['A" onmouseover="alert(1)', "</title><script>alert(1)</script>",
           "x' onfocus='alert(1)", "<img src=x onerror=alert(1)>"]


def yaml_quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def hostile_site(value: str) -> str:
    q = yaml_quoted(value)
    return textwrap.dedent(f"""
        -- content/categories.yaml --
        evil:
          name: {q}
          description: {q}
        -- content/authors.yaml --
        evil:
          name: {q}
          bio: {q}
        -- content/briefings/evil.md --
        ---
        title: {q}
        kicker: {q}
        summary: {q}
        date: 2026-02-04
        category: evil
        authors: [evil]
        tags: [{q}]
        sources:
          - id: evil-source
            title: {q}
            outlet: {q}
            url: https://example.org/a
            author: {q}
        ---
        Body [@evil-source].
        -- content/pages/evil.md --
        ---
        title: {q}
        summary: {q}
        menu: 1
        ---
    """)


def theme_script(element: lxml.html.HtmlElement) -> bool:
    """The default theme's own scripts (docs/themes.md): the inline reader-prefs and its files."""
    src = element.get("src") or ""
    return element.get("id") == "reader-prefs" or (
        src.endswith(("/assets/reader.js", "/assets/search.js")) and not element.text)


def injected(doc: lxml.html.HtmlElement) -> list[str]:
    """Elements and attributes that hostile text would have created if it were not escaped."""
    found = []
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "script" and element.get("type") != "application/ld+json" \
                and not theme_script(element):
            found.append("<script>")
        if element.tag == "img" and element.get("onerror"):
            found.append("<img onerror>")
        found += [f"{element.tag}[{name}]" for name in element.attrib
                  if name.startswith("on")]
    return found


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_front_matter_is_escaped_in_every_page(make_site: MakeSite, value: str) -> None:
    root = make_site(hostile_site(value))
    build_site(root)
    out = root / "site"
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 8
    for page in pages:
        doc = lxml.html.fromstring(page.read_bytes())
        assert injected(doc) == [], page
        assert "alert(1)" not in "".join(s.text or "" for s in doc.iter("script")
                                        if s.get("type") != "application/ld+json"), page

    briefing = lxml.html.fromstring((out / "briefings/2026/02/evil/index.html").read_bytes())
    assert briefing.findtext(".//title") == f"{value} · Test Desk"
    metas = {m.get("name") or m.get("property"): m.get("content")
             for m in briefing.iter("meta") if m.get("content") is not None}
    assert metas["og:title"] == value
    assert metas["og:description"] == value
    assert metas["description"] == value
    assert briefing.findtext(".//article/header/h1") == value
    assert briefing.xpath('//p[@class="kicker"]/text()') == [value]
    assert value in briefing.xpath('//section[@class="sources"]//a/text()')

    page = lxml.html.fromstring((out / "evil/index.html").read_bytes())
    assert page.findtext(".//title") == f"{value} · Test Desk"
    assert value in page.xpath('//header[@class="site-header"]//nav//a/text()')

    category = lxml.html.fromstring((out / "categories/evil/index.html").read_bytes())
    assert category.findtext(".//h1") == value
    feed_titles = [link.get("title") for link in category.xpath('//link[@rel="alternate"]')]
    assert f"Test Desk: {value} (RSS)" in feed_titles


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_front_matter_stays_text_in_json_ld_and_feeds(make_site: MakeSite,
                                                             value: str) -> None:
    root = make_site(hostile_site(value))
    build_site(root)
    out = root / "site"
    rss = lxml.etree.parse(str(out / "feed.xml"))
    assert rss.xpath("//item/title/text()") == [value]
    atom = lxml.etree.parse(str(out / "atom.xml"))
    assert atom.xpath("//a:entry/a:title/text()",
                      namespaces={"a": "http://www.w3.org/2005/Atom"}) == [value]
    briefing = lxml.html.fromstring((out / "briefings/2026/02/evil/index.html").read_bytes())
    for script in briefing.xpath('//script[@type="application/ld+json"]'):
        assert "</" not in (script.text or ""), "JSON-LD must escape '<' (tojson does)"


def test_template_with_j2_extension_is_autoescaped_too(make_site: MakeSite) -> None:
    root = make_site("""
        -- themes/default/templates/page.html --
        {% extends "base.html" %}
        {% block main %}{% include "note.j2" %}{% include "card.xml.jinja" %}{% endblock %}
        -- themes/default/templates/note.j2 --
        <p class="note" title="{{ page.title }}">{{ page.title }}</p>
        -- themes/default/templates/card.xml.jinja --
        <p class="card">{{ page.summary }}</p>
        -- content/pages/x.md --
        ---
        title: '<script>alert(1)</script>" onclick="alert(2)'
        summary: '<b onclick="alert(3)">bold</b>'
        ---
    """)
    build_site(root)
    doc = lxml.html.fromstring((root / "site/x/index.html").read_bytes())
    assert injected(doc) == []
    note = doc.xpath('//p[@class="note"]')[0]
    assert note.text == '<script>alert(1)</script>" onclick="alert(2)'
    assert note.get("title") == '<script>alert(1)</script>" onclick="alert(2)'
    assert doc.xpath('//p[@class="card"]/text()') == ['<b onclick="alert(3)">bold</b>']


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>", "file:///etc/passwd",
])
def test_script_capable_urls_in_front_matter_are_errors_with_the_line(
        make_site: MakeSite, url: str) -> None:
    q = yaml_quoted(url)
    root = make_site(f"""
        -- content/briefings/x.md --
        ---
        title: X
        date: 2026-02-04
        image: {q}
        sources:
          - id: bad-source
            title: T
            outlet: O
            url: {q}
        ---
    """)
    scheme = url.strip().split(":")[0].lower()
    assert build_errors(root) == [
        f"content/briefings/x.md:4:8: error: 'image' must use http, https or a relative path; "
        f"scheme '{scheme}:' is not allowed",
        f"content/briefings/x.md:9:10: error: 'url' must use http, https; "
        f"scheme '{scheme}:' is not allowed",
    ]
    assert not (root / "site").exists()


def test_script_urls_in_config_authors_and_sources_are_errors(make_site: MakeSite) -> None:
    root = make_site("""
        -- briefgen.yaml --
        title: T
        base_url: https://example.org/
        social:
          Mastodon: javascript:alert(1)
        -- content/authors.yaml --
        a:
          name: A
          links:
            site: javascript:alert(1)
        -- content/sources/s.md --
        ---
        title: S
        outlet: O
        url: javascript:alert(1)
        ---
    """, config=False)
    errors = build_errors(root)
    assert [e.split(": error: ")[0] for e in errors] == ["briefgen.yaml:4:13"]
    # briefgen.yaml stops the build; fix it and the content errors show up
    (root / "briefgen.yaml").write_text("title: T\nbase_url: https://example.org/\n")
    assert [e.split(": error: ")[0] for e in build_errors(root)] == [
        "content/authors.yaml:4:11", "content/sources/s.md:4:6"]


def test_javascript_link_in_markdown_body_never_becomes_a_link(make_site: MakeSite) -> None:
    root = make_site("""
        -- content/briefings/x.md --
        ---
        title: X
        date: 2026-02-04
        ---
        [one](javascript:alert(1)) [two](JaVaScRiPt:alert(1)) [three](data:text/html,x)
    """)
    build_site(root)
    doc = lxml.html.fromstring((root / "site/briefings/2026/02/x/index.html").read_bytes())
    hrefs = [a.get("href", "") for a in doc.xpath('//div[@class="body"]//a')]
    assert not [h for h in hrefs if h.lower().startswith(("javascript:", "data:"))]


# -- symbolic links (RELIABILITY 38) -------------------------------------------------------------


def test_symlink_loop_is_skipped_and_outside_file_is_not_read(
        make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site("""
        -- content/briefings/real.md --
        ---
        title: Real
        date: 2026-02-04
        ---
        The real one.
    """)
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\ndate: 2026-02-04\n---\nTOP SECRET TEXT\n")
    briefings = root / "content/briefings"
    os.symlink(".", briefings / "loop")
    os.symlink(secret, briefings / "leak.md")
    (root / "content/pages").mkdir()
    os.symlink(secret, root / "content/pages/leak.md")

    result = build_site(root)

    assert [d.format() for d in result.diagnostics.warnings] == [
        "content/briefings/leak.md: warning: symbolic link to a file outside the site is not read",
        "content/briefings/loop: warning: symbolic link to a folder is not followed",
        "content/pages/leak.md: warning: symbolic link to a file outside the site is not read",
    ]
    out = root / "site"
    assert (out / "briefings/2026/02/real/index.html").is_file()
    assert not any(b"TOP SECRET" in p.read_bytes() for p in out.rglob("*") if p.is_file())
    assert not (out / "briefings/2026/02/leak").exists()


def test_symlink_in_static_to_a_file_outside_the_site_is_not_copied(
        make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site("""
        -- static/ok.txt --
        fine
    """)
    secret = tmp_path / "id_rsa"
    secret.write_text("PRIVATE KEY")
    os.symlink(secret, root / "static/key.txt")
    os.symlink("..", root / "static/up")

    result = build_site(root)

    assert [d.format() for d in result.diagnostics.warnings] == [
        "static/key.txt: warning: symbolic link to a file outside the site is not read",
        "static/up: warning: symbolic link to a folder is not followed",
    ]
    assert (root / "site/ok.txt").read_text() == "fine\n"
    assert not (root / "site/key.txt").exists()
    assert not (root / "site/up").exists()


def test_symlink_to_a_file_inside_the_site_is_read(make_site: MakeSite) -> None:
    root = make_site("""
        -- drafts/shared.md --
        ---
        title: Shared
        date: 2026-02-04
        ---
        Shared text.
    """)
    (root / "content/briefings").mkdir(parents=True)
    os.symlink(root / "drafts/shared.md", root / "content/briefings/shared.md")
    result = build_site(root)
    assert result.diagnostics.warnings == []
    assert (root / "site/briefings/2026/02/shared/index.html").is_file()
