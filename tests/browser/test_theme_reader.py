"""The reader's features in Chromium: night theme and text size remembered across reloads, copy
link announced, search finding a known briefing, print hiding the navigation, reading without
JavaScript, and no request leaving the site."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.theme.kit import PAGES, chromium, demo, demo_url, new_page, open_menu

__all__ = ["chromium", "demo", "demo_url"]  # fixtures used by the tests below

BRIEFING = PAGES["briefing"].lstrip("/")
TITLE = "Westyard consortium wins 1.94 billion euro frigate contract"


def background(page: Any) -> str:
    return str(page.evaluate("getComputedStyle(document.body).backgroundColor"))


def test_night_theme_follows_the_system_then_the_toggle_and_is_remembered(
        chromium: Any, demo_url: str) -> None:
    page = new_page(chromium, dark=True)
    page.goto(demo_url + BRIEFING)
    toggle = page.get_by_role("button", name="Night")
    expect(toggle).to_have_attribute("aria-pressed", "true")  # the system says dark
    assert background(page) == "rgb(21, 21, 19)"
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert background(page) == "rgb(253, 252, 249)"
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-theme", "light")
    assert background(page) == "rgb(253, 252, 249)"
    page.goto(demo_url)  # and on every other page
    expect(page.get_by_role("button", name="Night")).to_have_attribute("aria-pressed", "false")
    page.context.close()


def test_the_remembered_theme_is_applied_before_the_first_paint(chromium: Any,
                                                                demo_url: str) -> None:
    page = new_page(chromium)
    page.goto(demo_url + BRIEFING)
    page.evaluate("localStorage.setItem('briefgen-theme', 'dark')")
    # reader.js is blocked: only the inline head script can have set the theme.
    page.route("**/assets/reader.js", lambda route: route.abort())
    page.goto(demo_url, wait_until="commit")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    page.context.close()


def test_text_size_has_steps_is_remembered_and_the_layout_holds(chromium: Any,
                                                                demo_url: str) -> None:
    page = new_page(chromium, width=390)
    page.goto(demo_url + BRIEFING)
    open_menu(page)  # a phone: A- and A+ are in the menu
    size = "parseFloat(getComputedStyle(document.documentElement).fontSize)"
    start = page.evaluate(size)
    larger = page.get_by_role("button", name="A+ larger text")
    smaller = page.get_by_role("button", name="A− smaller text")
    sizes = [start]
    while larger.is_enabled():
        larger.click()
        sizes.append(page.evaluate(size))
    assert len(sizes) >= 4 and sizes == sorted(sizes) and len(set(sizes)) == len(sizes), sizes
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at the largest text size ({width}px)"
    page.reload()
    open_menu(page)
    assert page.evaluate(size) == sizes[-1]
    expect(larger).to_be_disabled()
    smaller.click()
    smaller.click()
    page.reload()
    open_menu(page)
    assert page.evaluate(size) == sizes[-3]
    while smaller.is_enabled():
        smaller.click()
    assert page.evaluate(size) < start
    page.context.close()


def test_copy_link_copies_the_canonical_url_and_says_so_to_screen_readers(
        chromium: Any, demo_url: str) -> None:
    page = new_page(chromium, permissions=["clipboard-read", "clipboard-write"])
    page.goto(demo_url + BRIEFING)
    status = page.locator("#copy-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "polite")
    page.get_by_role("button", name="Copy link").click()
    expect(status).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == demo_url + BRIEFING
    page.context.close()


def test_share_links_are_plain_links_with_the_page_url(chromium: Any, demo_url: str) -> None:
    page = new_page(chromium)
    page.goto(demo_url + BRIEFING)
    hrefs = page.locator(".share a").evaluate_all("links => links.map(a => a.href)")
    assert len(hrefs) >= 5
    assert hrefs[0].startswith("mailto:")
    encoded = (demo_url + BRIEFING).replace(":", "%3A").replace("/", "%2F")
    assert all(encoded in href or (demo_url + BRIEFING).replace(":", "%3A") in href
               for href in hrefs), hrefs
    page.context.close()


def test_the_header_search_box_finds_a_known_briefing(chromium: Any, demo_url: str) -> None:
    page = new_page(chromium, width=390)
    page.goto(demo_url)
    open_menu(page)  # a phone: the search box is in the menu
    page.get_by_role("searchbox", name="Search the site").fill("frigate")
    page.get_by_role("searchbox", name="Search the site").press("Enter")
    page.wait_for_url("**/search/?q=frigate")
    results = page.locator("#search-results")
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.locator("#search-status")).to_contain_text("for “frigate”")
    results.get_by_role("link", name=TITLE).click()
    page.wait_for_url(demo_url + BRIEFING)
    page.context.close()


def test_search_filters_by_category(chromium: Any, demo_url: str) -> None:
    page = new_page(chromium)
    page.goto(demo_url + "search/?q=frigate")
    results = page.locator("#search-results")
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()
    page.get_by_label("Section", exact=True).select_option("Opinion")
    expect(results.get_by_role("link", name=TITLE)).to_have_count(0)
    expect(page.locator("#search-status")).to_be_visible()
    assert "category=Opinion" in page.url
    page.get_by_label("Section", exact=True).select_option("Daily brief")
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()
    page.context.close()


def test_print_media_hides_navigation_and_shows_source_urls(chromium: Any,
                                                             demo_url: str) -> None:
    page = new_page(chromium)
    page.goto(demo_url + BRIEFING)
    chrome = (".sections", ".site-header .tools", ".share", ".prev-next", ".site-footer",
              ".related")
    for selector in chrome:
        expect(page.locator(selector)).to_be_visible()
    page.emulate_media(media="print")
    for selector in chrome:
        expect(page.locator(selector)).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    after = page.evaluate("getComputedStyle(document.querySelector("
                          "'.sources a[href^=\"http\"]'), '::after').content")
    assert "https://" in after
    page.context.close()


def test_reading_works_without_javascript(chromium: Any, demo_url: str) -> None:
    page = new_page(chromium, java_script_enabled=False)
    page.goto(demo_url + BRIEFING)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".sources li").first).to_be_visible()
    expect(page.locator(".share a").first).to_be_visible()
    # buttons that would do nothing without scripts are not shown
    for name in ("Night", "Copy link", "Print"):
        expect(page.get_by_role("button", name=name)).to_have_count(0)
    page.goto(demo_url + "search/")
    expect(page.get_by_text("needs JavaScript")).to_be_visible()
    page.context.close()


def test_no_page_makes_a_request_outside_the_site(chromium: Any, demo_url: str) -> None:
    page = new_page(chromium)
    outside: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(demo_url)
            else outside.append(request.url))
    for path in PAGES.values():
        page.goto(demo_url + path.lstrip("/"))
        page.wait_for_load_state("networkidle")
    expect(page.locator("#search-results li").first).to_be_visible()
    assert outside == []
    page.context.close()
