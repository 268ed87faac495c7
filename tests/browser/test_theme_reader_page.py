"""The reader's page in Chromium (issue 14), at phone and desktop width, light and dark: citation
marks that leave the line height alone, 24 px back-links on one line, one style for the headings
after the body, a phone header of at most 120 px with its tools in a menu, bylines, the switch to
an untranslated language, category cards, the Russian footer, 404 and /briefings/, the top story's
heading and the preview overlay's Hide button. Each test leaves a screenshot of what it checked in
test-artifacts/screenshots/reader-page/ for people to look at."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from briefgen.diagnostics import Diagnostic
from briefgen.serve.overlay import OVERLAY_ID, overlay_html
from tests.theme.kit import PAGES, REPO, WIDTHS, chromium, demo, demo_url, new_page, open_menu

__all__ = ["chromium", "demo", "demo_url"]  # fixtures used by the tests below

AXE = Axe()
SHOTS = REPO / "test-artifacts" / "screenshots" / "reader-page"
BRIEFING = PAGES["briefing"].lstrip("/")  # cited many times, with an author note and related
BARE_DATE = "briefings/2026/03/flood-maps-update/"  # `date: 2026-03-19`, no time
RU_BARE_DATE = "ru/briefings/2026/03/offshore-wind-tender/"
UNTRANSLATED = BRIEFING
TRANSLATED = "briefings/2026/04/seawall-vote/"

looks = pytest.mark.parametrize("width", WIDTHS)
themes = pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])


def shot(page: Any, name: str, width: int, dark: bool, selector: str | None = None) -> None:
    """A screenshot of the page (or of one element) for people to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}-{'dark' if dark else 'light'}-{width}.png"
    if selector:
        page.locator(selector).first.screenshot(path=str(path))
    else:
        page.screenshot(path=str(path))


@looks
@themes
def test_citation_marks_leave_the_line_height_alone(chromium: Any, demo_url: str, width: int,
                                                    dark: bool) -> None:
    page = new_page(chromium, width=width, dark=dark)
    page.goto(demo_url + BRIEFING)
    # One line of body text, then the same line with a citation mark cloned from the page.
    probe = page.evaluate("""() => {
        const body = document.querySelector('.briefing .body');
        const p = document.createElement('p');
        p.textContent = 'Line';
        body.prepend(p);
        const plain = p.getBoundingClientRect().height;
        p.append(body.querySelector('sup.citation').cloneNode(true));
        const marked = p.getBoundingClientRect().height;
        const range = document.createRange();
        range.selectNodeContents(p.firstChild);
        const raised = p.querySelector('sup').getBoundingClientRect().bottom
            < range.getBoundingClientRect().bottom;
        p.remove();
        return {plain, marked, raised};
    }""")
    assert probe["marked"] == probe["plain"], probe
    assert probe["raised"], "the citation mark is not raised above the line"
    # Every paragraph that cites is a whole number of lines of the body's line height.
    heights = page.evaluate("""() => [...document.querySelectorAll('.briefing .body p')]
        .filter(p => p.querySelector('sup.citation'))
        .map(p => [p.getBoundingClientRect().height,
                   parseFloat(getComputedStyle(p).lineHeight)])""")
    assert heights
    for height, line in heights:
        assert abs(height - round(height / line) * line) < 1, (height, line)
    shot(page, "citation-marks", width, dark, ".briefing .body p:has(sup.citation)")
    page.context.close()


@looks
@themes
def test_back_links_are_24px_targets_kept_on_one_line(chromium: Any, demo_url: str, width: int,
                                                      dark: bool) -> None:
    page = new_page(chromium, width=width, dark=dark)
    page.goto(demo_url + BRIEFING)
    measure = """() => [...document.querySelectorAll('.sources .backrefs')].map(group =>
        [...group.querySelectorAll('a')].map(a => {
            const r = a.getBoundingClientRect();
            return [r.width, r.height, Math.round(r.top)];
        }))"""
    for size in (None, "-2"):  # the default text size and the smallest one
        if size:
            page.evaluate(f"document.documentElement.setAttribute('data-size', '{size}')")
        groups = page.evaluate(measure)
        assert len(groups) >= 2 and max(len(g) for g in groups) >= 8, groups
        for links in groups:
            assert all(w >= 24 and h >= 24 for w, h, _top in links), (size, links)
            assert len({top for _w, _h, top in links}) == 1, f"back-links wrap: {links}"
    page.evaluate("document.documentElement.removeAttribute('data-size')")
    shot(page, "back-links", width, dark, ".sources")
    page.context.close()


@looks
@themes
def test_the_headings_after_the_body_share_one_style(chromium: Any, demo_url: str, width: int,
                                                     dark: bool) -> None:
    page = new_page(chromium, width=width, dark=dark)
    page.goto(demo_url + BRIEFING)
    styles = page.evaluate("""() => Object.fromEntries(
        [...document.querySelectorAll('.sources h2, .further h2, .authors h2, .related h2')]
        .map(h => {
            const s = getComputedStyle(h);
            return [h.textContent, ['fontFamily', 'fontSize', 'fontWeight', 'lineHeight',
                'textTransform', 'letterSpacing', 'color', 'borderTopWidth', 'borderTopStyle',
                'borderTopColor', 'paddingTop', 'marginBottom'].map(k => s[k]).join(' | ')];
        }))""")
    assert set(styles) == {"Sources", "About the author", "Related briefings"}, styles
    assert len(set(styles.values())) == 1, styles
    for heading in styles:
        shot(page, f"after-body-{heading.split()[0].lower()}", width, dark,
             f"h2:text-is('{heading}')")
    page.context.close()


@themes
def test_the_phone_header_is_at_most_120px_with_its_tools_in_a_keyboard_menu(
        chromium: Any, demo_url: str, dark: bool) -> None:
    page = new_page(chromium, width=390, dark=dark)
    page.goto(demo_url + BRIEFING)
    header = page.locator("header.site-header")
    assert header.bounding_box()["height"] <= 120
    assert page.locator("main").bounding_box()["y"] <= 120 + 1
    toggle = page.get_by_role("button", name="Menu")
    search = page.get_by_role("searchbox", name="Search the site")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_have_attribute("aria-controls", "site-tools")
    expect(search).to_be_hidden()
    expect(page.get_by_role("navigation", name="Sections")).to_be_visible()
    shot(page, "phone-header-closed", 390, dark, "header.site-header")
    for _ in range(4):  # skip link, site name, then the menu button
        page.keyboard.press("Tab")
        if toggle.evaluate("b => b === document.activeElement"):
            break
    expect(toggle).to_be_focused()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(search).to_be_visible()
    expect(page.get_by_role("button", name="Night")).to_be_visible()
    expect(page.get_by_role("navigation", name="Language")).to_be_visible()
    page.keyboard.press("Tab")
    expect(search).to_be_focused()
    shot(page, "phone-header-open", 390, dark, "header.site-header")
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(search).to_be_hidden()
    page.keyboard.press(" ")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.emulate_media(media="print")  # a printed page has no menu to open
    expect(toggle).to_be_hidden()
    page.context.close()


@themes
def test_the_desktop_header_shows_its_tools_without_a_menu(chromium: Any, demo_url: str,
                                                           dark: bool) -> None:
    page = new_page(chromium, width=1280, dark=dark)
    page.goto(demo_url + BRIEFING)
    expect(page.locator(".menu-toggle")).to_be_hidden()
    expect(page.get_by_role("searchbox", name="Search the site")).to_be_visible()
    expect(page.get_by_role("button", name="Night")).to_be_visible()
    expect(page.get_by_role("navigation", name="Language")).to_be_visible()
    shot(page, "desktop-header", 1280, dark, "header.site-header")
    page.context.close()


@looks
def test_without_javascript_the_header_tools_stay_reachable(chromium: Any, demo_url: str,
                                                            width: int) -> None:
    page = new_page(chromium, width=width, java_script_enabled=False)
    page.goto(demo_url + BRIEFING)
    expect(page.locator(".menu-toggle")).to_be_hidden()
    expect(page.get_by_role("searchbox", name="Search the site")).to_be_visible()
    switch = page.get_by_role("navigation", name="Language")
    expect(switch.get_by_role("link", name="Русский (not translated: opens the home page)")) \
        .to_be_visible()
    shot(page, "no-js-header", width, False, "header.site-header")
    page.context.close()


@looks
@themes
def test_bylines_show_a_bare_date_alone_and_a_time_with_its_zone(
        chromium: Any, demo_url: str, width: int, dark: bool) -> None:
    page = new_page(chromium, width=width, dark=dark)
    for path, expected in ((BARE_DATE, "19 March 2026"), (RU_BARE_DATE, "6 марта 2026"),
                           (BRIEFING, "23 September 2026, 07:45 CEST")):
        page.goto(demo_url + path)
        when = page.locator(".briefing .byline time").first
        expect(when).to_have_text(expected)
        expect(when).to_be_visible()
        shot(page, "byline-" + path.strip("/").rsplit("/", 1)[-1], width, dark, ".byline")
    page.context.close()


@looks
@themes
def test_the_switch_to_an_untranslated_language_says_so_on_screen(
        chromium: Any, demo_url: str, width: int, dark: bool) -> None:
    page = new_page(chromium, width=width, dark=dark)
    page.goto(demo_url + UNTRANSLATED)
    open_menu(page)
    switch = page.get_by_role("navigation", name="Language")
    note = switch.locator(".untranslated-note")
    expect(note).to_have_text("(not translated: opens the home page)")
    expect(note).to_be_visible()
    expect(note).to_be_in_viewport()
    box = note.bounding_box()
    assert box["width"] > 100 and box["height"] > 8, box  # shown, not clipped to a pixel
    shot(page, "untranslated-switch", width, dark, "nav.languages")
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()
    page.goto(demo_url + TRANSLATED)  # a translated page has nothing to say
    expect(page.locator(".untranslated-note")).to_have_count(0)
    page.context.close()


@looks
@themes
def test_a_category_page_does_not_label_each_card_with_its_category(
        chromium: Any, demo_url: str, width: int, dark: bool) -> None:
    page = new_page(chromium, width=width, dark=dark)
    page.goto(demo_url + PAGES["category"].lstrip("/"))
    cards = page.locator("main article.card")
    expect(cards.first).to_be_visible()
    expect(cards.locator(".section")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Opinion")
    shot(page, "category-cards", width, dark)
    page.goto(demo_url)  # the home page still labels them
    expect(page.locator("main article.card .section").first).to_be_visible()
    page.context.close()


@looks
@themes
def test_russian_pages_have_a_russian_footer_and_404_page(chromium: Any, demo_url: str,
                                                          width: int, dark: bool) -> None:
    page = new_page(chromium, width=width, dark=dark)
    page.goto(demo_url + "ru/")
    footer = page.locator("footer.site-footer")
    expect(footer.get_by_role("link", name="Рассылка")).to_be_visible()
    expect(footer.locator(".copyright")).to_have_text(
        "© 2026 Редакция «Гавань». Тексты доступны по лицензии CC BY 4.0.")
    expect(footer).not_to_contain_text("Newsletter")
    shot(page, "ru-footer", width, dark, "footer.site-footer")
    page.goto(demo_url + "ru/404.html")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text("Страница не найдена")
    expect(page.locator("main").get_by_role("link", name="архив")).to_have_attribute(
        "href", "/ru/archive/")
    shot(page, "ru-404", width, dark)
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()
    page.context.close()


@pytest.mark.parametrize("prefix", ["", "ru/"])
def test_the_briefings_folder_leads_to_the_archive(chromium: Any, demo_url: str,
                                                   prefix: str) -> None:
    page = new_page(chromium, width=390)
    response = page.goto(demo_url + prefix + "briefings/")
    assert response is not None and response.status == 200
    page.wait_for_url(demo_url + prefix + "archive/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Archive" if not prefix else "Архив")
    page.context.close()


@looks
@themes
def test_the_top_story_is_a_region_with_a_heading(chromium: Any, demo_url: str, width: int,
                                                  dark: bool) -> None:
    page = new_page(chromium, width=width, dark=dark)
    page.goto(demo_url)
    region = page.get_by_role("region", name="Top story")
    expect(region.get_by_role("heading", name="Top story", level=2)).to_be_visible()
    shot(page, "top-story", width, dark, "section.top-story")
    page.context.close()


def contrast(page: Any, selector: str) -> float:
    """WCAG contrast ratio of an element's text colour against its own (opaque) background."""
    ratio: float = page.evaluate("""(selector) => {
        const s = getComputedStyle(document.querySelector(selector));
        const lum = c => {
            const [r, g, b] = c.match(/[0-9.]+/g).slice(0, 3).map(v => {
                v = v / 255;
                return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
            });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const [hi, lo] = [lum(s.color), lum(s.backgroundColor)].sort((a, b) => b - a);
        return (hi + 0.05) / (lo + 0.05);
    }""", selector)
    return ratio


@looks
@themes
def test_the_preview_overlay_hide_button_has_enough_contrast(chromium: Any, demo_url: str,
                                                             width: int, dark: bool) -> None:
    """The overlay sits on theme pages, whose stylesheet styles every button: the Hide button
    keeps its own colours."""
    page = new_page(chromium, width=width, dark=dark)
    page.goto(demo_url + BRIEFING)
    overlay = overlay_html([Diagnostic("content/briefings/x.md", 2, 8, "error", "bad date")],
                           [], have_good_build=True)
    page.evaluate("html => document.body.insertAdjacentHTML('afterbegin', html)", overlay)
    button = page.get_by_role("button", name="Hide until the next build")
    expect(button).to_be_visible()
    background = page.evaluate(f"getComputedStyle(document.querySelector("
                               f"'#{OVERLAY_ID} button')).backgroundColor")
    assert background.startswith("rgb("), background  # opaque: the ratio below is the real one
    assert contrast(page, f"#{OVERLAY_ID} button") >= 4.5
    results = AXE.run(page, context=f"#{OVERLAY_ID}")
    shot(page, "overlay", width, dark, f"#{OVERLAY_ID}")
    button.click()
    expect(page.locator(f"#{OVERLAY_ID}")).to_have_count(0)
    page.context.close()
    assert results.violations_count == 0, results.generate_report()
