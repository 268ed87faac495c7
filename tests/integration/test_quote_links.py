"""A quotation found in its source links to its place there (a text fragment), in the briefing
page's Sources list and in feeds; one not found does not."""

from __future__ import annotations

import json

import lxml.html

from tests.integration.test_citations import MakeSite, briefing_page, site_with
from tests.sitekit import build_site

BODY = ('The minister said "Time is of the essence" [@reuters-tridon], and the deal is '
        '"about $290 million" [@reuters-tridon] but not "a bargain" [@reuters-tridon].\n')
ESSENCE = "https://www.reuters.com/world/tridon#:~:text=Time%20is%20of%20the%20essence"
MILLION = "https://www.reuters.com/world/tridon#:~:text=about%20%24290%20million"


def test_found_quotations_link_to_their_place_in_the_source(make_site: MakeSite) -> None:
    root = site_with(make_site, BODY)
    build_site(root)
    entry = briefing_page(root).get_element_by_id("source.1")
    links = entry.find_class("quoted")
    assert [(a.get("href"), a.text_content()) for a in links] == [
        (ESSENCE, "Time is of the essence"), (MILLION, "about $290 million")]


def test_feeds_carry_the_quotation_links(make_site: MakeSite) -> None:
    root = site_with(make_site, BODY)
    build_site(root)
    feed = json.loads((root / "site/feed.json").read_text())
    [item] = [i for i in feed["items"] if i["title"] == "B"]
    body = lxml.html.fragment_fromstring(item["content_html"], create_parent="div")
    assert [a.get("href") for a in body.find_class("quoted")] == [ESSENCE, MILLION]


def test_a_quotation_from_a_source_without_text_has_no_link(make_site: MakeSite) -> None:
    root = site_with(make_site, 'They asked for "more reserve" [@reuters-grid].\n')
    build_site(root)
    assert briefing_page(root).find_class("quoted") == []
