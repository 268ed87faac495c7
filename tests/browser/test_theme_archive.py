"""The demo's archive in Chromium: an old link to a month of the one-page archive lands on that
month in the index, which leads to the month on its year's page, and the language switch of a
year goes to the same year in the other language."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.theme.kit import chromium, demo, demo_url, new_page

__all__ = ["chromium", "demo", "demo_url"]  # fixtures used by the tests below


def test_an_old_month_link_lands_on_the_month_and_leads_to_it_on_the_year_page(
        chromium: Any, demo_url: str) -> None:
    page = new_page(chromium, width=390)
    page.goto(demo_url + "archive/#y2026-03")
    month = page.locator("#y2026-03")
    expect(month).to_be_in_viewport()
    expect(month).to_contain_text("March")
    month.get_by_role("link", name="March").click()
    page.wait_for_url(demo_url + "archive/2026/#y2026-03")
    heading = page.get_by_role("heading", name="March 2026")
    expect(heading).to_be_in_viewport()
    expect(page.locator("section", has=heading).get_by_role("link")).not_to_have_count(0)
    page.context.close()


def test_the_switch_of_a_year_goes_to_that_year_in_the_other_language(
        chromium: Any, demo_url: str) -> None:
    page = new_page(chromium)
    page.goto(demo_url + "archive/2026/")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Русский").click()
    page.wait_for_url(demo_url + "ru/archive/2026/")
    expect(page.get_by_role("heading", level=1)).to_have_text("2026")
    expect(page.locator("main header .count")).to_contain_text("брифинг")
    page.context.close()
