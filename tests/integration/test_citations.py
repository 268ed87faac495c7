"""Citations in inline sites: diagnostics at file positions, Sources lists, quotes, JSON-LD,
source and outlet pages, feeds."""

from __future__ import annotations

import json
import textwrap
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html
import pytest

from briefgen.diagnostics import BuildFailed
from tests.sitekit import build_errors, build_site

MakeSite = Callable[..., Path]

LIBRARY = """
    -- content/categories.yaml --
    opinion:
      name: Opinion
    analysis:
      name: Analysis
    -- content/sources/reuters-tridon.md --
    ---
    title: Sweden and Denmark buy Tridon
    outlet: Reuters
    url: https://www.reuters.com/world/tridon
    author: Anna Berg
    published: 2026-02-03T10:00:00+00:00
    ---
    Sweden and Denmark will buy Tridon Mk2 systems for about $290 million, the defence
    ministries said on Tuesday. "Time is of the essence," the Danish minister said — adding
    that deliveries would start in 2027.
    -- content/sources/reuters-grid.md --
    ---
    title: Grid operator asks for reserve
    outlet: Reuters
    url: https://www.reuters.com/world/grid
    published: 2026-01-14T06:30:00+00:00
    ---
    -- content/sources/ledger-wind.md --
    ---
    title: Offshore wind auction opens
    outlet: The Harbour Ledger
    url: https://ledger.example.com/wind
    published: 2026-03-05
    ---
"""

BRIEFING_PATH = "content/briefings/b.md"


def spec(*parts: str) -> str:
    """Site sections from several strings, each dedented on its own."""
    return "".join(textwrap.dedent(part) for part in parts)


def site_with(make_site: MakeSite, body: str, front: str = "", extra: str = "") -> Path:
    """A site with the library and one briefing `b.md` (front matter is 4 lines + `front`).

    Every library source is cited by a second briefing, so none is reported as never cited."""
    front = textwrap.indent(textwrap.dedent(front).strip("\n"), "") + "\n" if front else ""
    briefing = f"---\ntitle: B\ndate: 2026-02-04\n{front}---\n{textwrap.dedent(body).lstrip()}"
    root = make_site(spec(LIBRARY, """
        -- content/briefings/all.md --
        ---
        title: All sources
        date: 2026-02-01
        ---
        Everything [@reuters-tridon; @reuters-grid; @ledger-wind].
    """, extra))
    (root / BRIEFING_PATH).write_text(briefing, encoding="utf-8")
    return root


def page(root: Path, url: str) -> Any:
    """The parsed HTML of a built page by its site path."""
    return lxml.html.fromstring((root / "site" / url.strip("/") / "index.html").read_bytes())


def briefing_page(root: Path) -> Any:
    return page(root, "/briefings/2026/02/b/")


def messages(result_or_root: Any) -> list[str]:
    return [d.format() for d in result_or_root.diagnostics]


def text_of(el: Any) -> str:
    return " ".join(el.text_content().split())


# --- diagnostics at the right place ---------------------------------------------------------

def test_typo_in_citation_is_reported_at_file_line_and_column_with_suggestion(
        make_site: MakeSite) -> None:
    root = site_with(make_site, """
        First paragraph.

        The deal is worth $290 million [@reuters-tridn].
    """, front="category: opinion")
    assert build_errors(root) == [
        f"{BRIEFING_PATH}:8:32: error: unknown source 'reuters-tridn' (did you mean "
        "'reuters-tridon'?) (add content/sources/<id>.md or write the source inline)"]


def test_typo_in_list_item_and_table_cell_is_reported_at_its_position(
        make_site: MakeSite) -> None:
    root = site_with(make_site, """
        - one
        - two [@reuters-gird]

        | Who | Said |
        |-----|------|
        | Oslo | yes [@ledger-wnd] |
    """)
    assert build_errors(root) == [
        f"{BRIEFING_PATH}:6:7: error: unknown source 'reuters-gird' (did you mean "
        "'reuters-grid'?) (add content/sources/<id>.md or write the source inline)",
        f"{BRIEFING_PATH}:10:14: error: unknown source 'ledger-wnd' (did you mean "
        "'ledger-wind'?) (add content/sources/<id>.md or write the source inline)"]


def test_unknown_id_without_close_match_has_no_suggestion(make_site: MakeSite) -> None:
    root = site_with(make_site, "Claim [@zzz].\n")
    assert build_errors(root) == [
        f"{BRIEFING_PATH}:5:7: error: unknown source 'zzz' "
        "(add content/sources/<id>.md or write the source inline)"]


@pytest.mark.parametrize(("marker", "col"), [("[@bad id]", 7), ("[@]", 7), ("[@a;]", 7)])
def test_malformed_citation_is_an_error_with_position(make_site: MakeSite, marker: str,
                                                      col: int) -> None:
    root = site_with(make_site, f"Intro.\n\nClaim {marker} here.\n")
    assert build_errors(root) == [
        f"{BRIEFING_PATH}:7:{col}: error: malformed citation {marker!r}: write [@id], "
        "[@a; @b] or [@id, p. 3] (or \\[@ for a literal bracket)"]


def test_literal_bracket_code_span_fenced_code_and_links_are_not_citations(
        make_site: MakeSite) -> None:
    root = site_with(make_site, """
        Escaped \\[@nothing] here, code `[@nothing]` there, a link [@desk](https://example.org/@desk).

        ```
        [@nothing] [@bad id]
        ```
    """)
    result = build_site(root)
    assert messages(result) == []
    body = briefing_page(root).find_class("body")[0]
    assert "Escaped [@nothing] here" in text_of(body)
    assert [c.text for c in body.iter("code")] == ["[@nothing]", "[@nothing] [@bad id]\n"]
    assert [(a.get("href"), a.text) for a in body.iter("a")] == [
        ("https://example.org/@desk", "@desk")]
    assert body.find_class("citation") == []
    assert briefing_page(root).find_class("sources") == []


# --- the Sources list -----------------------------------------------------------------------

def test_sources_are_numbered_in_order_of_first_citation(make_site: MakeSite) -> None:
    root = site_with(make_site, """
        Wind [@ledger-wind]. Deal [@reuters-tridon; @reuters-grid]. Wind again [@ledger-wind].
    """)
    build_site(root)
    entries = briefing_page(root).find_class("sources")[0].findall(".//ol/li")
    assert [(li.get("id"), li.find_class("outlet")[0].text) for li in entries] == [
        ("source.1", "The Harbour Ledger"), ("source.2", "Reuters"), ("source.3", "Reuters")]
    assert [li.xpath("./a[@rel='noopener']")[0].text for li in entries] == [
        "Offshore wind auction opens", "Sweden and Denmark buy Tridon",
        "Grid operator asks for reserve"]
    markers = [(a.get("href"), a.text) for a in briefing_page(root).xpath("//sup/a")]
    assert markers == [("#source.1", "1"), ("#source.2", "2"), ("#source.3", "3"),
                       ("#source.1", "1")]


def test_entry_shows_outlet_linked_title_author_date_and_locators(make_site: MakeSite) -> None:
    root = site_with(make_site, """
        Deal [@reuters-tridon, p. 3]. Again [@reuters-tridon, "second chart"].
    """)
    build_site(root)
    entry = briefing_page(root).get_element_by_id("source.1")
    assert text_of(entry).startswith("Reuters: Sweden and Denmark buy Tridon, Anna Berg, "
                                      "3 February 2026 (p. 3; second chart)")
    link = entry.xpath("./a[@rel='noopener']")[0]
    assert link.get("href") == "https://www.reuters.com/world/tridon"
    assert entry.find(".//time").get("datetime") == "2026-02-03T10:00:00+00:00"


def test_source_cited_three_times_links_back_to_each_marker(make_site: MakeSite) -> None:
    root = site_with(make_site, """
        One [@reuters-grid]. Two [@reuters-tridon].

        Three [@reuters-tridon; @reuters-grid]. Four [@reuters-tridon, p. 2].
    """)
    build_site(root)
    tree = briefing_page(root)
    entry = tree.get_element_by_id("source.2")
    backs = [(a.get("href"), a.text, a.get("aria-label"))
             for a in entry.find_class("backrefs")[0].iter("a")]
    assert backs == [
        ("#cite.2.1", "a", "Back to citation 1 of source 2"),
        ("#cite.2.2", "b", "Back to citation 2 of source 2"),
        ("#cite.2.3", "c", "Back to citation 3 of source 2")]
    ids = Counter(el.get("id") for el in tree.iter() if el.get("id") is not None)
    for anchor in ("cite.1.1", "cite.1.2", "cite.2.1", "cite.2.2", "cite.2.3"):
        assert ids[anchor] == 1
        marker = tree.get_element_by_id(anchor)
        assert marker.tag == "a" and marker.getparent().tag == "sup"
    assert tree.get_element_by_id("cite.2.3").get("href") == "#source.2"
    single = tree.get_element_by_id("source.1").find_class("backrefs")[0]
    assert [(a.get("href"), a.text) for a in single.iter("a")] == [
        ("#cite.1.1", "a"), ("#cite.1.2", "b")]


def test_source_cited_once_has_a_single_back_arrow(make_site: MakeSite) -> None:
    root = site_with(make_site, "Deal [@reuters-tridon].\n")
    build_site(root)
    entry = briefing_page(root).get_element_by_id("source.1")
    assert [(a.get("href"), a.text) for a in entry.find_class("backrefs")[0].iter("a")] == [
        ("#cite.1.1", "↩")]


def test_entry_ids_cannot_collide_with_heading_ids(make_site: MakeSite) -> None:
    root = site_with(make_site, """
        Deal [@reuters-tridon].

        ## Source 1

        ## Sources

        ## Cite 1 1
    """)
    build_site(root)
    tree = briefing_page(root)
    heading_ids = [h.get("id") for h in tree.iter("h2") if h.getparent().get("class") == "body"]
    assert heading_ids == ["source-1", "sources", "cite-1-1"]
    ids = Counter(el.get("id") for el in tree.iter() if el.get("id") is not None)
    assert [i for i, n in ids.items() if n > 1] == []
    assert tree.get_element_by_id("source.1").tag == "li"
    assert tree.get_element_by_id("source.1").getparent().tag == "ol"


def test_listed_but_uncited_source_is_further_reading_not_numbered(make_site: MakeSite) -> None:
    root = site_with(make_site, "Deal [@reuters-tridon].\n", front="""
        sources:
          - reuters-tridon
          - ledger-wind
    """)
    result = build_site(root)
    assert messages(result) == []
    tree = briefing_page(root)
    numbered = tree.find_class("sources")[0].findall(".//ol/li")
    assert [li.get("id") for li in numbered] == ["source.1"]
    assert "Offshore wind" not in text_of(tree.find_class("sources")[0])
    further = tree.find_class("further")[0]
    assert further.find("h2").text == "Further reading"
    assert [text_of(li) for li in further.findall(".//ul/li")] == [
        "The Harbour Ledger: Offshore wind auction opens, 5 March 2026"]


def test_library_source_cited_without_being_listed_is_allowed_and_numbered(
        make_site: MakeSite) -> None:
    root = site_with(make_site, "Wind [@ledger-wind]. Deal [@reuters-tridon].\n", front="""
        sources:
          - reuters-tridon
    """)
    result = build_site(root)
    assert messages(result) == []
    entries = briefing_page(root).find_class("sources")[0].findall(".//ol/li")
    assert [li.find_class("outlet")[0].text for li in entries] == ["The Harbour Ledger",
                                                                   "Reuters"]
    assert briefing_page(root).find_class("further") == []


def test_inline_source_is_cited_and_listed(make_site: MakeSite) -> None:
    root = site_with(make_site, '> "Time is of the essence." [@wh-briefing]\n', front="""
        sources:
          - id: wh-briefing
            title: Press briefing
            outlet: The White House
            url: https://example.org/briefing
            published: 2026-02-04
    """)
    result = build_site(root)
    assert messages(result) == [
        f"{BRIEFING_PATH}:11:4: info: quotation not checked: source 'wh-briefing' has no "
        "clipped text"]
    entry = briefing_page(root).get_element_by_id("source.1")
    assert text_of(entry).startswith("The White House: Press briefing, 4 February 2026")


# --- source definitions ---------------------------------------------------------------------

def test_duplicate_id_library_vs_inline_names_both(make_site: MakeSite) -> None:
    root = site_with(make_site, "Deal [@reuters-tridon].\n", front="""
        sources:
          - id: reuters-tridon
            title: Another Tridon story
            outlet: Reuters
            url: https://www.reuters.com/other
    """)
    assert build_errors(root) == [
        f"{BRIEFING_PATH}:5:5: error: duplicate source id 'reuters-tridon' "
        "(already defined in content/sources/reuters-tridon.md:1)"]


def test_duplicate_id_inline_vs_inline_names_both(make_site: MakeSite) -> None:
    inline = """
        sources:
          - id: wh-briefing
            title: Press briefing
            outlet: The White House
            url: https://example.org/briefing
    """
    root = site_with(make_site, "Said [@wh-briefing].\n", front=inline, extra="""
        -- content/briefings/a-first.md --
        ---
        title: First
        date: 2026-02-02
        sources:
          - id: wh-briefing
            title: Press briefing
            outlet: The White House
            url: https://example.org/briefing
        ---
        Said [@wh-briefing].
    """)
    assert build_errors(root) == [
        f"{BRIEFING_PATH}:5:5: error: duplicate source id 'wh-briefing' "
        "(already defined in content/briefings/a-first.md:5)"]


def test_library_source_never_cited_is_a_warning_at_the_source_file(make_site: MakeSite) -> None:
    root = site_with(make_site, "Nothing cited.\n", extra="""
        -- content/sources/leftover.md --
        ---
        title: Leftover
        outlet: Reuters
        url: https://www.reuters.com/leftover
        ---
    """)
    result = build_site(root)
    assert messages(result) == [
        "content/sources/leftover.md:1:1: warning: source 'leftover' is never cited"]


def test_library_source_only_listed_is_not_reported_as_uncited(make_site: MakeSite) -> None:
    root = site_with(make_site, "Nothing cited.\n", front="sources: [leftover]", extra="""
        -- content/sources/leftover.md --
        ---
        title: Leftover
        outlet: Reuters
        url: https://www.reuters.com/leftover
        ---
    """)
    assert messages(build_site(root)) == []


def test_unknown_source_in_front_matter_is_reported_with_suggestion(make_site: MakeSite) -> None:
    root = site_with(make_site, "Nothing.\n", front="""
        sources:
          - reuters-tridon
          - ledger-wnd
    """)
    assert build_errors(root) == [
        f"{BRIEFING_PATH}:6:5: error: unknown source 'ledger-wnd' (did you mean 'ledger-wind'?) "
        "(add content/sources/<id>.md or write the source inline)"]


# --- quotes ---------------------------------------------------------------------------------

QUOTE_LINE = 5  # the first body line of b.md


@pytest.mark.parametrize("body", [
    '> "Time is of the essence," the Danish minister said [@reuters-tridon]\n',
    'The minister said "Time is of the essence" [@reuters-tridon].\n',
    "The minister said «Time is of the essence» [@reuters-tridon].\n",
    "The minister said “Time is of the essence” [@reuters-tridon].\n",
    "They “will buy Tridon Mk2 systems … $290 million” [@reuters-tridon].\n",
    'They "will buy Tridon Mk2 systems ... $290 million" [@reuters-tridon].\n',
    'They "will buy Tridon Mk2 systems [...] $290 million" [@reuters-tridon].\n',
    "“Time is of the essence”, the minister said – adding [@reuters-tridon]\n",
    '"Danish minister said —\nadding   that" [@reuters-tridon]\n',
])
def test_quotation_found_in_clipped_text_gives_no_diagnostic(make_site: MakeSite,
                                                             body: str) -> None:
    root = site_with(make_site, body)
    assert messages(build_site(root)) == []


def test_quote_with_pieces_out_of_order_is_reported(make_site: MakeSite) -> None:
    root = site_with(make_site, 'They "$290 million ... will buy Tridon" [@reuters-tridon].\n')
    assert messages(build_site(root)) == [
        f"{BRIEFING_PATH}:5:7: warning: quotation \"$290 million ... will buy Tridon\" not "
        "found in source 'reuters-tridon'; closest passage (62% alike): \"and Denmark will "
        'buy Tridon"']


def test_blockquote_with_one_changed_word_is_reported_with_closest_passage(
        make_site: MakeSite) -> None:
    root = site_with(make_site, """
        Intro.

        > Sweden and Denmark will buy Tridon Mk2 systems for about $390 million,
        > the defence ministries said. [@reuters-tridon]
    """)
    assert messages(build_site(root)) == [
        f"{BRIEFING_PATH}:7:3: warning: quotation \"Sweden and Denmark will buy Tridon Mk2 "
        "systems for about $390 million, the de...\" not found in source 'reuters-tridon'; "
        "closest passage (99% alike): \"Sweden and Denmark will buy Tridon Mk2 systems for "
        'about $290 million, the defence ministries said"']


def test_inline_quote_with_one_changed_word_is_reported(make_site: MakeSite) -> None:
    root = site_with(make_site, 'She said "Time is of the substance" [@reuters-tridon].\n')
    assert messages(build_site(root)) == [
        f"{BRIEFING_PATH}:5:11: warning: quotation \"Time is of the substance\" not found in "
        "source 'reuters-tridon'; closest passage (82% alike): \"\"Time is of the essence,\"\""]


def test_quote_differing_in_case_is_reported(make_site: MakeSite) -> None:
    root = site_with(make_site, 'She said "time is of the essence" [@reuters-tridon].\n')
    [line] = messages(build_site(root))
    assert line.startswith(f"{BRIEFING_PATH}:5:11: warning: quotation \"time is of the "
                           "essence\" not found in source 'reuters-tridon'; closest passage (")


def test_quote_of_source_without_text_is_an_info_line(make_site: MakeSite) -> None:
    root = site_with(make_site, 'It said "reserve is needed" [@reuters-grid].\n')
    result = build_site(root)
    assert messages(result) == [
        f"{BRIEFING_PATH}:5:10: info: quotation not checked: source 'reuters-grid' has no "
        "clipped text"]
    assert result.diagnostics.warnings == []


def test_strict_makes_a_quote_not_found_an_error(make_site: MakeSite) -> None:
    root = site_with(make_site, 'She said "Time is of the substance" [@reuters-tridon].\n')
    with pytest.raises(BuildFailed) as failed:
        build_site(root, strict=True)
    assert [d.severity for d in failed.value.diagnostics] == ["warning"]
    assert not (root / "site").exists()


def test_strict_does_not_fail_on_info_lines(make_site: MakeSite) -> None:
    root = site_with(make_site, 'It said "reserve is needed" [@reuters-grid].\n')
    build_site(root, strict=True)
    assert (root / "site/briefings/2026/02/b/index.html").is_file()


# --- JSON-LD --------------------------------------------------------------------------------

def jsonld(root: Path) -> Any:
    [script] = briefing_page(root).xpath("//script[@type='application/ld+json']")
    return json.loads(script.text)


@pytest.mark.parametrize(("category", "schema_type"), [
    ("category: opinion", "OpinionNewsArticle"),
    ("category: analysis", "AnalysisNewsArticle"),
    ("", "NewsArticle"),
])
def test_jsonld_type_follows_the_category(make_site: MakeSite, category: str,
                                          schema_type: str) -> None:
    root = site_with(make_site, "Deal [@reuters-tridon].\n", front=category)
    build_site(root)
    data = jsonld(root)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == schema_type


def test_jsonld_citation_lists_every_source(make_site: MakeSite) -> None:
    root = site_with(make_site, "Deal [@reuters-tridon]. Wind [@ledger-wind].\n", front="""
        sources:
          - reuters-grid
          - id: wh-briefing
            title: Press briefing
            outlet: The White House
            url: https://example.org/briefing
            published: 2026-02-04
    """)
    build_site(root)
    cites = [{k: c[k] for k in ("@type", "name", "url", "datePublished")}
             | {"publisher": c["publisher"]["name"]} for c in jsonld(root)["citation"]]
    assert cites == [
        {"@type": "CreativeWork", "name": "Sweden and Denmark buy Tridon",
         "url": "https://www.reuters.com/world/tridon",
         "datePublished": "2026-02-03T10:00:00+00:00", "publisher": "Reuters"},
        {"@type": "CreativeWork", "name": "Offshore wind auction opens",
         "url": "https://ledger.example.com/wind", "datePublished": "2026-03-05T00:00:00+00:00",
         "publisher": "The Harbour Ledger"},
        {"@type": "CreativeWork", "name": "Grid operator asks for reserve",
         "url": "https://www.reuters.com/world/grid",
         "datePublished": "2026-01-14T06:30:00+00:00", "publisher": "Reuters"},
        {"@type": "CreativeWork", "name": "Press briefing", "url": "https://example.org/briefing",
         "datePublished": "2026-02-04T00:00:00+00:00", "publisher": "The White House"},
    ]


def test_title_with_script_end_tag_cannot_escape_the_jsonld(make_site: MakeSite) -> None:
    root = make_site(spec(LIBRARY, """
        -- content/briefings/all.md --
        ---
        title: All sources
        date: 2026-02-01
        ---
        Everything [@reuters-tridon; @reuters-grid; @ledger-wind].
        -- content/briefings/b.md --
        ---
        title: "Break </script><script>alert(1)</script> out"
        date: 2026-02-04
        ---
        Deal [@reuters-tridon].
    """))
    build_site(root)
    raw = (root / "site/briefings/2026/02/b/index.html").read_text()
    assert "</script><script>alert(1)" not in raw
    tree = briefing_page(root)
    scripts = tree.xpath("//script[not(@id='reader-prefs') and not(@src)]")  # not the theme's
    assert [s.get("type") for s in scripts] == ["application/ld+json"]
    assert jsonld(root)["headline"] == "Break </script><script>alert(1)</script> out"


# --- source and outlet pages ----------------------------------------------------------------

PAGES_SITE = spec(LIBRARY, """
    -- content/outlets.yaml --
    reuters:
      name: Reuters
      homepage: https://www.reuters.com/
      country: United Kingdom
    -- content/briefings/all.md --
    ---
    title: All sources
    date: 2026-02-01
    ---
    Everything [@reuters-grid; @ledger-wind].
    -- content/briefings/deal.md --
    ---
    title: The Tridon deal
    date: 2026-02-04
    ---
    Prices rose. Sweden buys Tridon systems [@reuters-tridon]. More later.
    -- content/briefings/listed.md --
    ---
    title: Listed only
    date: 2026-02-05
    sources: [reuters-tridon]
    ---
    No citation here.
    -- content/briefings/later.md --
    ---
    title: Later look
    date: 2026-02-06
    ---
    Deliveries start in 2027 [@reuters-tridon, p. 2].
    -- content/briefings/draft.md --
    ---
    title: Draft look
    date: 2026-02-07
    draft: true
    ---
    A draft cites it [@reuters-tridon].
    -- content/briefings/other.md --
    ---
    title: Unrelated
    date: 2026-02-08
    ---
    Wind [@ledger-wind].
""")


def citing(root: Path, source_id: str) -> list[tuple[str, str, str]]:
    items = page(root, f"/sources/{source_id}/").find_class("citing")[0].findall("li")
    return [(li.find("a").get("href"), li.find("a").text,
             text_of(li.find("blockquote")) if li.find("blockquote") is not None else "")
            for li in items]


def test_source_page_lists_exactly_the_published_briefings_citing_it(
        make_site: MakeSite) -> None:
    root = make_site(PAGES_SITE)
    build_site(root)
    assert citing(root, "reuters-tridon") == [
        ("/briefings/2026/02/later/", "Later look", "Deliveries start in 2027."),
        ("/briefings/2026/02/listed/", "Listed only", ""),
        ("/briefings/2026/02/deal/", "The Tridon deal", "Sweden buys Tridon systems."),
    ]
    assert citing(root, "ledger-wind") == [
        ("/briefings/2026/02/other/", "Unrelated", "Wind."),
        ("/briefings/2026/02/all/", "All sources", "Everything."),
    ]


def test_source_page_includes_drafts_only_when_asked(make_site: MakeSite) -> None:
    root = make_site(PAGES_SITE)
    build_site(root, drafts=True)
    assert [title for _, title, _ in citing(root, "reuters-tridon")] == [
        "Draft look", "Later look", "Listed only", "The Tridon deal"]


def test_source_page_shows_metadata_and_link_out(make_site: MakeSite) -> None:
    root = make_site(PAGES_SITE)
    build_site(root)
    tree = page(root, "/sources/reuters-tridon/")
    assert tree.find(".//h1").text == "Sweden and Denmark buy Tridon"
    meta = tree.find_class("meta")[0]
    assert [dt.text for dt in meta.iter("dt")] == ["By", "Published", "Original"]
    assert [text_of(dd) for dd in meta.iter("dd")] == [
        "Anna Berg", "3 February 2026", "https://www.reuters.com/world/tridon"]
    assert meta.xpath(".//a/@href") == ["https://www.reuters.com/world/tridon"]
    assert tree.xpath("//p[@class='section']/a/@href") == ["/outlets/reuters/"]


def test_sources_index_groups_by_outlet_newest_first(make_site: MakeSite) -> None:
    root = make_site(PAGES_SITE)
    build_site(root)
    groups = page(root, "/sources/").find_class("outlet-group")
    assert [(g.find("h2/a").text, g.find("h2/a").get("href"),
             [a.text for a in g.xpath("./ul/li/a")]) for g in groups] == [
        ("Reuters", "/outlets/reuters/",
         ["Sweden and Denmark buy Tridon", "Grid operator asks for reserve"]),
        ("The Harbour Ledger", "/outlets/the-harbour-ledger/", ["Offshore wind auction opens"]),
    ]


def test_outlet_page_lists_its_sources_with_homepage_and_country(make_site: MakeSite) -> None:
    root = make_site(PAGES_SITE)
    build_site(root)
    tree = page(root, "/outlets/reuters/")
    assert tree.find(".//h1").text == "Reuters"
    description = tree.find_class("description")[0]
    assert text_of(description) == "https://www.reuters.com/ · United Kingdom"
    assert description.find("a").get("href") == "https://www.reuters.com/"
    cards = tree.find_class("card")
    assert [(c.find("h2/a").text, c.find("h2/a").get("href")) for c in cards] == [
        ("Sweden and Denmark buy Tridon", "/sources/reuters-tridon/"),
        ("Grid operator asks for reserve", "/sources/reuters-grid/"),
    ]
    # how many briefings cite each source, linking to its page (which names them)
    [count] = cards[0].xpath('.//p[@class="byline"]/a')
    assert (count.text, count.get("href")) == ("cited in 3 briefings", "/sources/reuters-tridon/")


def test_outlet_without_description_has_no_homepage_line(make_site: MakeSite) -> None:
    root = make_site(PAGES_SITE)
    build_site(root)
    tree = page(root, "/outlets/the-harbour-ledger/")
    assert tree.find(".//h1").text == "The Harbour Ledger"
    assert tree.find_class("description") == []


def test_briefing_entry_links_to_the_source_page(make_site: MakeSite) -> None:
    root = make_site(PAGES_SITE)
    build_site(root)
    entry = page(root, "/briefings/2026/02/deal/").get_element_by_id("source.1")
    assert entry.find_class("source-page")[0].get("href") == "/sources/reuters-tridon/"


def test_clipped_text_is_not_published_by_default(make_site: MakeSite) -> None:
    root = make_site(PAGES_SITE)
    build_site(root)
    raw = (root / "site/sources/reuters-tridon/index.html").read_text()
    assert "$290 million" not in raw
    assert page(root, "/sources/reuters-tridon/").find_class("clipped") == []


def test_published_clipped_text_has_raw_html_escaped(make_site: MakeSite) -> None:
    root = make_site(spec(PAGES_SITE, """
        -- content/sources/open-text.md --
        ---
        title: Open text
        outlet: Reuters
        url: https://www.reuters.com/open
        publish_text: true
        ---
        The *minister* said <script>alert(1)</script> and [@reuters-tridon] too.

        <img src=x onerror=alert(2)>
        -- content/briefings/open.md --
        ---
        title: Open
        date: 2026-02-03
        ---
        It was said [@open-text].
    """))
    build_site(root)
    tree = page(root, "/sources/open-text/")
    clipped = tree.find_class("clipped")[0]
    assert clipped.xpath(".//script") == [] and clipped.xpath(".//img") == []
    assert tree.xpath("//script[not(@type='application/ld+json') and not(@id='reader-prefs')"
                      " and not(@src)]") == []  # the theme's own scripts aside
    paragraphs = [text_of(p) for p in clipped.iter("p")]
    assert paragraphs == ["The minister said <script>alert(1)</script> and [@reuters-tridon] "
                          "too.", "<img src=x onerror=alert(2)>"]
    assert [em.text for em in clipped.iter("em")] == ["minister"]
    assert clipped.find_class("citation") == []


# --- feeds ----------------------------------------------------------------------------------

def test_feed_items_carry_the_sources_section_with_absolute_links(make_site: MakeSite) -> None:
    root = site_with(make_site, "Deal [@reuters-tridon]. Again [@reuters-tridon].\n", front="""
        sources: [ledger-wind]
    """)
    build_site(root)
    feed = lxml.etree.parse(str(root / "site/feed.xml"))
    [item] = [i for i in feed.iter("item") if i.findtext("title") == "B"]
    # the XML parser unescapes the item's HTML; parse that HTML in turn
    content = item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
    assert content is not None and "&lt;" not in content
    body = lxml.html.fragment_fromstring(content, create_parent="div")
    sources = body.find_class("sources")[0]
    entry = sources.find(".//ol/li")
    assert entry.get("id") == "source.1"
    hrefs = [a.get("href") for a in body.iter("a")]
    assert hrefs == [
        "https://example.org/briefings/2026/02/b/#source.1",
        "https://example.org/briefings/2026/02/b/#source.1",
        "https://www.reuters.com/world/tridon",
        "https://example.org/briefings/2026/02/b/#cite.1.1",
        "https://example.org/briefings/2026/02/b/#cite.1.2",
        "https://example.org/sources/reuters-tridon/",
        "https://ledger.example.com/wind",
    ]
    assert all(h.startswith("https://") for h in hrefs)
    assert text_of(body.find_class("further")[0]).startswith("Further reading")


def test_atom_and_json_feeds_carry_the_sources_section_with_absolute_links(
        make_site: MakeSite) -> None:
    root = site_with(make_site, "Deal [@reuters-tridon].\n")
    build_site(root)
    atom = lxml.etree.parse(str(root / "site/atom.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    [content] = atom.xpath("//a:entry[a:title='B']/a:content", namespaces=ns)
    feed = json.loads((root / "site/feed.json").read_text())
    [item] = [i for i in feed["items"] if i["title"] == "B"]
    for html_text in (content.text, item["content_html"]):
        body = lxml.html.fragment_fromstring(html_text, create_parent="div")
        entry = body.find_class("sources")[0].find(".//ol/li")
        assert entry.xpath(".//a/@href") == [
            "https://www.reuters.com/world/tridon",
            "https://example.org/briefings/2026/02/b/#cite.1.1",
            "https://example.org/sources/reuters-tridon/"]
        assert body.xpath("//sup/a/@href") == ["https://example.org/briefings/2026/02/b/#source.1"]


def test_inline_source_cited_only_by_a_draft_gets_no_page(make_site: MakeSite) -> None:
    root = site_with(make_site, "Said [@wh-briefing].\n", front="""
        draft: true
        sources:
          - id: wh-briefing
            title: Press briefing
            outlet: The White House
            url: https://example.org/briefing
    """)
    build_site(root)
    assert not (root / "site/sources/wh-briefing").exists()
    assert not (root / "site/outlets/the-white-house").exists()
    assert "Press briefing" not in text_of(page(root, "/sources/"))
    build_site(root, drafts=True)
    assert [title for _, title, _ in citing(root, "wh-briefing")] == ["B"]
