"""The published folder: special files, assets, theme overrides, sub-path links, safe publishing."""

from __future__ import annotations

import os
import random
import shutil
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.etree
import lxml.html
import pytest

from briefgen.diagnostics import BriefgenError
from tests.sitekit import build_errors, build_site, write_site

MakeSite = Callable[..., Path]


def spec(*parts: str) -> str:
    """Site sections from several strings, each dedented on its own."""
    return "".join(textwrap.dedent(part) for part in parts)

SITE = """
    -- content/categories.yaml --
    analysis:
      name: Analysis
    -- content/authors.yaml --
    a-guest:
      name: A. Guest
    -- content/sources/reuters-tridon.md --
    ---
    title: Sweden and Denmark buy Tridon
    outlet: Reuters
    url: https://www.reuters.com/
    ---
    -- content/briefings/2026/02/tridon.md --
    ---
    title: Tridon for the north
    date: 2026-02-04T18:25:00+04:00
    category: analysis
    authors: [a-guest]
    tags: [air-defence, nordics]
    sources: [reuters-tridon]
    ---
    Sweden and Denmark will buy Tridon [@reuters-tridon]. See [the archive](/archive/).

    ![map](/images/map.png)
    -- content/briefings/2026/01/grid.md --
    ---
    title: Grid talks resume
    date: 2026-01-10
    category: analysis
    tags: [energy, nordics]
    ---
    Talks resume.
    -- content/pages/about.md --
    ---
    title: About
    menu: 1
    ---
    About us.
    -- static/images/map.png --
    not really a png
    -- static/favicon.ico --
    icon
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder (relative path -> bytes)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def html_pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


# -- special files and assets ------------------------------------------------------------------


def test_404_page_is_written_at_the_root(make_site: MakeSite) -> None:
    root = make_site(SITE)
    build_site(root)
    page = lxml.html.fromstring((root / "site/404.html").read_bytes())
    assert page.findtext(".//h1") == "Page not found"
    assert [a.get("href") for a in page.xpath("//main//a")] == ["/", "/archive/"]


def test_sitemap_lists_every_html_page_and_nothing_else(make_site: MakeSite) -> None:
    root = make_site(SITE)
    build_site(root)
    out = root / "site"
    tree = lxml.etree.parse(str(out / "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = tree.xpath("//s:url/s:loc/text()", namespaces=ns)
    assert len(locs) == len(set(locs))
    # every page but those that ask not to be indexed (the /briefings/ page that leads on)
    expected = {"https://example.org/" + p.relative_to(out).as_posix().removesuffix("index.html")
                for p in html_pages(out) if p.name == "index.html"
                and b'<meta name="robots" content="noindex">' not in p.read_bytes()}
    assert set(locs) == expected
    assert "https://example.org/briefings/2026/02/tridon/" in locs
    assert "https://example.org/page/2/" not in locs
    lastmods = dict(zip(locs, [u.findtext("s:lastmod", namespaces=ns)
                               for u in tree.xpath("//s:url", namespaces=ns)], strict=True))
    assert lastmods["https://example.org/briefings/2026/02/tridon/"] == "2026-02-04T18:25:00+04:00"


def test_robots_txt_allows_all_and_points_at_the_sitemap(make_site: MakeSite) -> None:
    root = make_site(SITE)
    build_site(root)
    assert (root / "site/robots.txt").read_text() == (
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sitemap.xml\n")


def test_static_folder_and_theme_assets_are_copied(make_site: MakeSite) -> None:
    root = make_site(SITE)
    build_site(root)
    out = root / "site"
    assert (out / "images/map.png").read_text() == "not really a png\n"
    assert (out / "favicon.ico").read_text() == "icon\n"
    bundled = Path(__file__).parents[2] / "themes/default/static/style.css"
    assert (out / "assets/style.css").read_bytes() == bundled.read_bytes()
    assert ".highlight" in (out / "assets/pygments.css").read_text()


def test_static_file_that_would_replace_a_generated_one_is_an_error(make_site: MakeSite) -> None:
    root = make_site(spec(SITE, """
        -- static/robots.txt --
        User-agent: *
    """))
    assert [e for e in build_errors(root) if ": error: " in e] == [
        "static/robots.txt: error: static file would replace the generated /robots.txt"]


def test_site_theme_overrides_bundled_templates_and_assets_file_by_file(
        make_site: MakeSite) -> None:
    root = make_site(spec(SITE, """
        -- themes/default/templates/404.html --
        {% extends "base.html" %}
        {% block main %}<h1>Lost at sea</h1>{% endblock %}
        -- themes/default/static/style.css --
        body { color: teal; }
        -- themes/default/static/extra.js --
        console.log("extra");
    """))
    build_site(root)
    out = root / "site"
    lost = lxml.html.fromstring((out / "404.html").read_bytes())
    assert lost.findtext(".//main/h1") == "Lost at sea"
    # base.html still comes from the bundled theme
    assert lost.xpath('//header[@class="site-header"]//a[@class="brand"]/text()') == ["Test Desk"]
    briefing = lxml.html.fromstring((out / "briefings/2026/02/tridon/index.html").read_bytes())
    assert briefing.findtext(".//article/header/h1") == "Tridon for the north"
    assert (out / "assets/style.css").read_text() == "body { color: teal; }\n"
    assert (out / "assets/extra.js").is_file()


# -- sub-path deploys ---------------------------------------------------------------------------


def internal_links(out: Path, origin: str) -> Iterator[tuple[str, str]]:
    """(page, link) for every href/src in every HTML page that points into the site."""
    for page in html_pages(out):
        doc = lxml.html.fromstring(page.read_bytes())
        for element in doc.iter():
            for attr in ("href", "src"):
                value = element.get(attr) if isinstance(element.tag, str) else None
                if value is None or value.startswith(("#", "mailto:")):
                    continue
                if "://" in value:
                    if not value.startswith(origin + "/"):
                        continue  # an outside link, e.g. a source's article
                    value = value[len(origin):]
                yield page.relative_to(out).as_posix(), value


def resolve(out: Path, base_path: str, link: str) -> Path | None:
    """The output file a site link points to, or None when it is not under the base path."""
    path = unquote(urlsplit(link).path)
    if not path.startswith(base_path):
        return None
    rel = path[len(base_path):]
    return out / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)


def assert_links_resolve_under(out: Path, base_path: str) -> int:
    links = list(internal_links(out, "https://example.org"))
    bad = [(page, link) for page, link in links
           if (target := resolve(out, base_path, link)) is None or not target.is_file()]
    assert bad == []
    return len(links)


def test_sub_path_base_url_prefixes_every_internal_link_and_each_resolves(
        make_site: MakeSite) -> None:
    root = make_site(spec(SITE, """
        -- briefgen.yaml --
        title: Test Desk
        base_url: https://example.org/brief/
        pagination: 1
    """))
    build_site(root)
    out = root / "site"
    assert (out / "index.html").is_file()
    assert not (out / "brief").exists()
    checked = assert_links_resolve_under(out, "/brief/")
    assert checked > 100
    body = lxml.html.fromstring((out / "briefings/2026/02/tridon/index.html").read_bytes())
    assert body.xpath('//div[@class="body"]//img/@src') == ["/brief/images/map.png"]
    assert "/brief/archive/" in body.xpath('//div[@class="body"]//a/@href')
    assert "Sitemap: https://example.org/brief/sitemap.xml" in (out / "robots.txt").read_text()


def test_root_base_url_links_all_resolve(make_site: MakeSite) -> None:
    root = make_site(SITE)
    build_site(root)
    assert assert_links_resolve_under(root / "site", "/") > 50


def test_base_url_option_overrides_the_config(make_site: MakeSite) -> None:
    root = make_site(SITE)
    build_site(root, base_url="https://example.org/brief/")
    out = root / "site"
    assert_links_resolve_under(out, "/brief/")
    home = lxml.html.fromstring((out / "index.html").read_bytes())
    assert home.xpath('//link[@rel="canonical"]/@href') == ["https://example.org/brief/"]


# -- safe publishing ----------------------------------------------------------------------------

RAISING_TEMPLATE = """
    -- themes/default/templates/briefing.html --
    {% extends "base.html" %}
    {% block main %}
    <h1>{{ briefing.title }}</h1>
    {% if briefing.title == "Grid talks resume" %}{{ 1 // 0 }}{% endif %}
    {% endblock %}
"""


def test_template_raising_halfway_keeps_the_published_site_and_leaves_no_staging(
        make_site: MakeSite) -> None:
    root = make_site(SITE)
    build_site(root)
    published = snapshot(root / "site")

    write_site(root, RAISING_TEMPLATE)

    errors = [e for e in build_errors(root) if ": error: " in e]
    assert errors == [
        "themes/default/templates/briefing.html:4:1: error: template error while rendering "
        "/briefings/2026/01/grid/: ZeroDivisionError: integer division or modulo by zero"]
    assert snapshot(root / "site") == published
    assert sorted(p.name for p in root.iterdir()) == [  # no staging left, only the state
        ".briefgen-cache", "briefgen.yaml", "content", "site", "site.briefgen-spare", "static",
        "themes"]


def test_template_syntax_error_is_reported_with_file_and_line(make_site: MakeSite) -> None:
    root = make_site(spec(SITE, """
        -- themes/default/templates/page.html --
        {% extends "base.html" %}
        {% block main %}
        {% if page.title %}
        {% endblock %}
    """))
    errors = [e for e in build_errors(root) if ": error: " in e]
    assert len(errors) == 1
    assert errors[0].startswith("themes/default/templates/page.html:4:1: error: template error "
                                "while rendering /about/: TemplateSyntaxError: ")


def test_removed_content_disappears_from_the_next_build(make_site: MakeSite) -> None:
    root = make_site(SITE)
    build_site(root)
    out = root / "site"
    assert (out / "briefings/2026/01/grid/index.html").is_file()
    assert (out / "tags/energy/index.html").is_file()
    (out / "stray.txt").write_text("left by hand")

    (root / "content/briefings/2026/01/grid.md").unlink()
    (root / "static/favicon.ico").unlink()
    build_site(root)

    assert not (out / "briefings/2026/01").exists()
    assert not (out / "tags/energy").exists()
    assert not (out / "favicon.ico").exists()
    assert not (out / "stray.txt").exists()
    assert (out / "tags/nordics/index.html").is_file()
    assert "grid" not in (out / "sitemap.xml").read_text()


@pytest.mark.parametrize("where", [".", "content", "content/briefings", "themes", "static"])
def test_output_inside_or_over_the_site_is_refused_before_anything_is_deleted(
        make_site: MakeSite, where: str) -> None:
    root = make_site(spec(SITE, """
        -- themes/default/static/x.css --
        x
    """))
    before = snapshot(root)
    with pytest.raises(BriefgenError, match="refusing to publish into"):
        build_site(root, output=(root / where))
    assert snapshot(root) == before
    assert sorted(p.name for p in root.parent.iterdir()) == ["site-src"]


def test_output_option_in_config_pointing_at_the_site_is_refused(make_site: MakeSite) -> None:
    root = make_site(spec(SITE, """
        -- briefgen.yaml --
        title: T
        base_url: https://example.org/
        output: ..
    """))
    before = snapshot(root.parent)
    with pytest.raises(BriefgenError, match="it is the site folder or contains it"):
        build_site(root)
    assert snapshot(root.parent) == before


def test_output_at_home_is_refused(make_site: MakeSite, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site(SITE)
    home = tmp_path / "home"
    (home / "notes").mkdir(parents=True)
    (home / "notes/keep.txt").write_text("mine")
    monkeypatch.setenv("HOME", str(home))
    with pytest.raises(BriefgenError, match="it is your home folder or contains it"):
        build_site(root, output=home)
    with pytest.raises(BriefgenError, match="refusing to publish into"):
        build_site(root, output=tmp_path)  # contains home (and the site)
    assert snapshot(home) == {"notes/keep.txt": b"mine"}


def test_output_holding_a_git_repository_is_refused(make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site(SITE)
    out = tmp_path / "public"
    (out / ".git").mkdir(parents=True)
    (out / ".git/HEAD").write_text("ref: refs/heads/main\n")
    (out / "index.html").write_text("hand-made")
    with pytest.raises(BriefgenError, match="holds a site or a git repository"):
        build_site(root, output=out)
    assert snapshot(out) == {".git/HEAD": b"ref: refs/heads/main\n", "index.html": b"hand-made"}


def test_output_folder_with_files_briefgen_did_not_write_is_refused(
        make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site(SITE)
    out = tmp_path / "docs"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work")
    with pytest.raises(BriefgenError, match="so briefgen did not write it"):
        build_site(root, output=out)
    assert snapshot(out) == {"thesis.tex": b"years of work"}


def test_output_folder_from_an_earlier_build_is_replaced(make_site: MakeSite,
                                                         tmp_path: Path) -> None:
    root = make_site(SITE)
    out = tmp_path / "public"
    build_site(root, output=out)
    (root / "content/pages/about.md").unlink()
    build_site(root, output=out)
    assert not (out / "about").exists()
    assert (out / "index.html").is_file()


def test_output_outside_the_site_is_published_there(make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site(SITE)
    out = tmp_path / "public"
    build_site(root, output=out)
    assert (out / "briefings/2026/02/tridon/index.html").is_file()
    assert not (root / "site").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "public.briefgen-spare",
                                                          "site-src"]


# -- reproducibility ----------------------------------------------------------------------------

MANY = SITE + "".join(f"""
    -- content/briefings/{folder}/same-day-{folder}{n}.md --
    ---
    title: Same day {n}
    date: 2026-02-04
    tags: [t{n % 3}, nordics]
    ---
    Story {n}.
""" for n in range(8) for folder in ("x", "y"))


def test_same_input_built_twice_gives_byte_identical_output(make_site: MakeSite) -> None:
    root = make_site(MANY)
    build_site(root)
    first = snapshot(root / "site")
    build_site(root)
    assert snapshot(root / "site") == first
    assert "feed.xml" in first and "sitemap.xml" in first


def test_same_input_in_another_folder_gives_byte_identical_output(
        make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site(SITE)
    build_site(root)
    copy = tmp_path / "elsewhere" / "other-name"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site"))
    build_site(copy)
    assert snapshot(copy / "site") == snapshot(root / "site")


class _Listing:
    """What os.scandir returns, over a reordered list of entries."""

    def __init__(self, entries: list[os.DirEntry[str]]) -> None:
        self.entries = iter(entries)

    def __iter__(self) -> _Listing:
        return self

    def __next__(self) -> os.DirEntry[str]:
        return next(self.entries)

    def __enter__(self) -> _Listing:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def close(self) -> None:
        return None


def reorder_listings(monkeypatch: pytest.MonkeyPatch,
                     order: Callable[[list[Any]], None]) -> list[str]:
    """Make every directory listing (scandir, listdir, and so walk/glob) come back reordered.

    Returns the folders listed so far, so a test can check the build did list through them.
    """
    scandir, listdir = os.scandir, os.listdir
    listed: list[str] = []

    def reordered_scandir(path: Any = ".") -> _Listing:
        with scandir(path) as it:
            entries = list(it)
        order(entries)
        if not isinstance(path, int):  # (shutil.rmtree lists folders by descriptor)
            listed.append(os.fspath(path))
        return _Listing(entries)

    def reordered_listdir(path: Any = ".") -> list[Any]:
        names = listdir(path)
        order(names)
        listed.append(os.fspath(path))
        return names

    monkeypatch.setattr(os, "scandir", reordered_scandir)
    monkeypatch.setattr(os, "listdir", reordered_listdir)
    return listed


@pytest.mark.parametrize("how", ["reversed", "shuffled"])
def test_directory_listing_order_changes_nothing(make_site: MakeSite,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 how: str) -> None:
    root = make_site(MANY)
    build_site(root)
    expected = snapshot(root / "site")
    shutil.rmtree(root / "site")

    rng = random.Random(1234)
    listed = reorder_listings(monkeypatch, list.reverse if how == "reversed" else rng.shuffle)
    build_site(root)
    monkeypatch.undo()

    assert str(root / "content/briefings/x") in listed

    assert snapshot(root / "site") == expected


def test_the_code_stylesheet_is_the_themes_file_whatever_pygments_is_installed(
        make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> None:
    from pygments.formatters import HtmlFormatter

    from briefgen.theme import bundled_themes_dir

    def another_release(*_args: object, **_kwargs: object) -> str:
        return ".highlight .k { color: #123456 }\n"

    monkeypatch.setattr(HtmlFormatter, "get_style_defs", another_release)
    root = make_site(SITE)
    build_site(root)
    shipped = bundled_themes_dir() / "default/static/pygments.css"
    assert (root / "site/assets/pygments.css").read_bytes() == shipped.read_bytes()


def test_a_site_theme_can_replace_the_code_stylesheet(make_site: MakeSite) -> None:
    root = make_site(SITE + """
    -- themes/default/static/pygments.css --
    .highlight .k { color: teal }
    """)
    build_site(root)
    assert (root / "site/assets/pygments.css").read_text() == ".highlight .k { color: teal }\n"


def test_the_shipped_code_stylesheet_styles_light_and_night_code() -> None:
    from briefgen.theme import bundled_themes_dir

    css = (bundled_themes_dir() / "default/static/pygments.css").read_text()
    assert ".highlight .k { " in css  # keywords, in the light style
    assert '[data-theme="dark"] .highlight .k { ' in css
