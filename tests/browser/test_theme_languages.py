"""The demo in two languages, in Chromium: the language switch on a translated and on an
untranslated briefing, the scripts' messages in Russian, and axe on Russian pages."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.theme.kit import PAGES, WIDTHS, chromium, demo, demo_url, new_page, open_menu

__all__ = ["chromium", "demo", "demo_url"]  # fixtures used by the tests below

TRANSLATED = "briefings/2026/04/seawall-vote/"
UNTRANSLATED = PAGES["briefing"].lstrip("/")
AXE = Axe()


def test_the_switch_goes_to_the_translation_and_back(chromium: Any, demo_url: str) -> None:
    page = new_page(chromium, width=390)
    page.goto(demo_url + TRANSLATED)
    open_menu(page)  # a phone: the switch is in the menu
    switch = page.get_by_role("navigation", name="Language")
    expect(switch.get_by_role("link", name="English")).to_have_attribute("aria-current", "page")
    switch.get_by_role("link", name="Русский").click()
    page.wait_for_url(demo_url + "ru/" + TRANSLATED)
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    open_menu(page)
    switch = page.get_by_role("navigation", name="Язык")
    expect(switch.get_by_role("link", name="Русский")).to_have_attribute("aria-current", "page")
    expect(page.locator(".sources h2")).to_have_text("Источники")
    switch.get_by_role("link", name="English").click()
    page.wait_for_url(demo_url + TRANSLATED)
    page.context.close()


def test_the_switch_on_an_untranslated_briefing_goes_to_the_other_home(
        chromium: Any, demo_url: str) -> None:
    page = new_page(chromium)
    page.goto(demo_url + UNTRANSLATED)
    link = page.get_by_role("navigation", name="Language").get_by_role("link", name="Русский")
    expect(link).to_have_accessible_name("Русский (not translated: opens the home page)")
    link.click()
    page.wait_for_url(demo_url + "ru/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.context.close()


def test_copy_link_is_announced_in_the_page_language(chromium: Any, demo_url: str) -> None:
    page = new_page(chromium, permissions=["clipboard-read", "clipboard-write"])
    page.goto(demo_url + "ru/" + TRANSLATED)
    page.get_by_role("button", name="Копировать ссылку").click()
    expect(page.locator("#copy-status")).to_have_text("Ссылка скопирована")
    page.context.close()


def test_russian_search_speaks_russian_with_plural_forms(chromium: Any, demo_url: str) -> None:
    page = new_page(chromium)
    page.goto(demo_url + "ru/search/?q=фрегат")
    status = page.locator("#search-status")
    expect(page.locator("#search-results li").first).to_be_visible()
    expect(status).to_contain_text("по запросу «фрегат»")
    count = page.locator("#search-results li").count()
    # the Russian index only: every result is a Russian page
    hrefs = page.locator("#search-results li a").evaluate_all("els => els.map(e => e.href)")
    assert hrefs and all(href.startswith(demo_url + "ru/") for href in hrefs), hrefs
    forms = page.evaluate(f"new Intl.PluralRules('ru').select({count})")
    expected = {"one": "результат ", "few": "результата ", "many": "результатов "}[forms]
    expect(status).to_contain_text(f"{count} {expected}")
    page.get_by_role("searchbox", name="Что найти").fill("zzzzqqq")
    expect(status).to_have_text("По запросу «zzzzqqq» ничего не найдено")
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("path", ["ru/", "ru/" + TRANSLATED, TRANSLATED])
def test_pages_with_the_language_switch_have_no_axe_violations(
        chromium: Any, demo_url: str, path: str, dark: bool, width: int) -> None:
    page = new_page(chromium, width=width, dark=dark)
    page.goto(demo_url + path)
    open_menu(page)  # on a phone the switch is in the menu: checked open
    expect(page.locator("nav.languages")).to_be_visible()
    results = AXE.run(page)
    page.context.close()
    assert results.violations_count == 0, results.generate_report()
