"""The small recognisers the text extractor is built from: date lines, copyright lines, chrome,
ids, and Markdown from trafilatura's tree."""

from __future__ import annotations

import pytest
from lxml import etree

from briefgen.clip.chrome import copyright_outlet, is_chrome, is_glued_widget, is_ticker
from briefgen.clip.dates import parse_date_line
from briefgen.clip.ids import make_id
from briefgen.clip.titles import best_title, clean_title, match_title
from briefgen.clip.tree_markdown import escape_block_start, to_blocks


@pytest.mark.parametrize(("line", "iso"), [
    ("4 February 2026, 18:25 GMT", "2026-02-04T18:25:00+00:00"),
    ("Wed 4 Feb 2026 18.25 GMT", "2026-02-04T18:25:00+00:00"),
    ("Feb 9, 2026 6:40 PM EST", "2026-02-09T18:40:00-05:00"),
    ("Published 4 May 2026", "2026-05-04"),
    ("2026-02-04T18:25:00+01:00", "2026-02-04T18:25:00+01:00"),
    ("04.02.2026, 18:25", "2026-02-04T18:25:00"),
    ("18:25, 4 февраля 2026", "2026-02-04T18:25:00"),
    ("19 мая 2026, 10:40", "2026-05-19T10:40:00"),
    ("Опубликовано: 04.02.2026 в 18:25 (МСК)", "2026-02-04T18:25:00+03:00"),
])
def test_date_lines_in_common_formats_are_read(line: str, iso: str) -> None:
    found = parse_date_line(line)
    assert found is not None and found.iso == iso and not found.updated


def test_updated_date_line_is_marked() -> None:
    found = parse_date_line("Updated Feb 10, 2026 8:15 AM EST")
    assert found is not None and found.updated


@pytest.mark.parametrize("line", ["The plant opened on 4 May 2026.", "Room 12.30 is closed",
                                  "Amara Okafor · 8 April 2026 · 1,204 views"])
def test_sentences_with_dates_are_not_date_lines(line: str) -> None:
    assert parse_date_line(line) is None


@pytest.mark.parametrize(("line", "outlet"), [
    ("© 2026 Coastline Courier. All rights reserved.", "Coastline Courier"),
    ("Copyright © 2026 The Weekly Lantern. Reproduction prohibited.", "The Weekly Lantern"),
    ("© «Городская газета», 2026. Перепечатка запрещена.", "Городская газета"),
    ("Copyright 2026 Northgate Post Ltd. All rights reserved.", "Northgate Post"),
    ("The plant cost 90 million euros.", ""),
])
def test_outlet_is_read_from_a_copyright_line(line: str, outlet: str) -> None:
    assert copyright_outlet(line) == outlet


@pytest.mark.parametrize("line", [
    "Share on Facebook", "Copy link", "Ссылка скопирована", "Просмотров: 1 234", "2.3K views",
    "5 min read", "Download on the App Store", "Мы используем файлы cookie.", "Читайте также",
    "Politics | Economy | Cities", "О нас", "Telegram", "Нашли ошибку? Нажмите Ctrl+Enter"])
def test_chrome_lines_are_recognised(line: str) -> None:
    assert is_chrome(line)


@pytest.mark.parametrize("line", [
    "The fisheries office expects the cold current to shift back within two seasons.",
    "Торговцев на время ремонта переведут во временные павильоны на соседней площади.",
    "What happens next"])
def test_article_lines_are_not_chrome(line: str) -> None:
    assert not is_chrome(line)


def test_ids_are_ascii_outlet_date_title_and_unique() -> None:
    taken = {"harbour-ledger-2026-02-04-grid-operator-orders-two-new"}
    assert make_id("The Harbour Ledger", "2026-02-04T18:25:00+01:00",
                   "Grid operator orders two new reserve plants", taken) == \
        "harbour-ledger-2026-02-04-grid-operator-orders-two-new-2"
    assert make_id("Северный вестник", "", "Рынок закроют", set()) == \
        "severnyi-vestnik-rynok-zakroiut"


def test_tree_markdown_keeps_structure_and_only_http_links() -> None:
    body = etree.fromstring(
        '<main><head rend="h3">Sub</head><p>See <ref target="/a">this</ref> and '
        '<ref target="javascript:x()">that</ref>, <hi rend="#b">bold</hi>.</p>'
        '<quote><p>Said.</p></quote><list rend="ol"><item>one</item><item>two</item></list>'
        '<p>1. Not a list</p></main>')
    assert to_blocks(body, "https://example.org/news/") == [
        "### Sub", "See [this](https://example.org/a) and that, **bold**.", "> Said.",
        "1. one\n2. two", "1\\. Not a list"]
    assert escape_block_start("# not a heading") == "\\# not a heading"


@pytest.mark.parametrize(("line", "outlet"), [
    ("Tidewaterpost.example © 2026", "Tidewaterpost.example"),
    ("Primorye-Daily.example © 2020-2026. Все права защищены.", "Primorye-Daily.example"),
    ("Northgate Post (c) 2026", "Northgate Post"),
])
def test_outlet_is_read_from_a_name_then_copyright_sign_line(line: str, outlet: str) -> None:
    assert copyright_outlet(line) == outlet


@pytest.mark.parametrize("line", [
    "shareTelegram", "iconVKiconTelegramiconOK", "поделитьсяWhatsApp", "copyLink",
    "shareFacebook shareX"])
def test_share_widgets_glued_to_icon_names_are_chrome(line: str) -> None:
    assert is_glued_widget(line)
    assert is_chrome(line)


@pytest.mark.parametrize("line", ["Max Planck", "Sharecroppers return to the valley"])
def test_words_that_only_contain_widget_names_are_not_glued_widgets(line: str) -> None:
    assert not is_glued_widget(line)


@pytest.mark.parametrize("line", [
    "08:15 Ferry timetable changes from Monday", "12:40 | В Приморье ожидается сильный снегопад"])
def test_ticker_headlines_of_other_stories_are_chrome(line: str) -> None:
    assert is_ticker(line) and is_chrome(line)


def test_a_paragraph_that_starts_with_a_time_is_not_a_ticker() -> None:
    assert not is_ticker("18:25 was the moment the lights went out across the harbour.")


@pytest.mark.parametrize("line", [
    "WHAT ARE YOU LOOKING FOR TODAY?", "ПОИСК ПО НОВОСТЯМ И СТАТЬЯМ САЙТА",
    "All materials on this site may be reused only with a direct hyperlink to example.org.",
    "Использование материалов сайта разрешено только с активной гиперссылкой на источник.",
    "Сетевое издание «Приморье Дейли» зарегистрировано Роскомнадзором, Эл № ФС77-00000.",
    "Reuse of our articles is permitted only with a link to the original.",
    "Перепечатка материалов допускается только с письменного разрешения редакции.",
    "Any copying of our content requires the written consent of the publisher.",
    "18+", "Get our app", "Скачайте наше приложение в RuStore"])
def test_search_prompts_reuse_policies_and_app_lines_are_chrome(line: str) -> None:
    assert is_chrome(line)


@pytest.mark.parametrize("line", [
    "Search for missing climber called off at dusk", "Поиск по горячим следам ничего не дал",
    "The council posted a direct link to the consultation on its website.",
    "Researchers may use the materials only with permission from the museum, the curator said.",
    "The publisher will reprint the book in spring.",
    "Сетевое издание «Городские вести» сообщило об этом в понедельник.",
    "Депутаты попросили гиперссылку на документ, но так её и не получили."])
def test_article_sentences_near_chrome_words_are_not_chrome(line: str) -> None:
    assert not is_chrome(line)


def test_title_given_with_a_colon_matches_the_line_with_a_comma() -> None:
    lines = ["Night buses", "Night buses saved until May, council decides", "Other"]
    assert match_title("Night buses saved until May: council decides", lines) == 1


def test_title_given_with_straight_quotes_matches_guillemets_and_yo() -> None:
    lines = ["«Мост закроют на полгода»: что ждёт водителей"]
    assert match_title('"Мост закроют на полгода": что ждет водителей', lines) == 0


def test_title_unlike_every_line_matches_none() -> None:
    assert match_title("Budget approved", ["Night buses saved until May", ""]) is None


@pytest.mark.parametrize(("title", "names", "clean"), [
    ("Rail fares frozen | Quay Times | 04.02.2026", ["Quay Times"], "Rail fares frozen"),
    ("Rail fares frozen – The Quay Times", ["Quay Times"], "Rail fares frozen"),
    ("Quay Times · Rail fares frozen - but not for long", ["Quay Times"],
     "Rail fares frozen - but not for long"),
    ("Rail fares frozen | quaytimes.example", [], "Rail fares frozen"),
    ("Opinion | Why fares must fall | Quay Times", ["Quay Times"], "Why fares must fall"),
    ("Мнения · Зачем городу трамвай", [], "Зачем городу трамвай"),
    ("Мост закроют | Вечерний Заречный | 12 февраля 2026", ["Вечерний Заречный"],
     "Мост закроют"),
])
def test_titles_lose_site_names_hosts_and_dates(title: str, names: list[str],
                                                 clean: str) -> None:
    assert clean_title(title, names) == clean


def test_best_title_is_the_longest_that_is_not_truncated() -> None:
    assert best_title(["Council agrees to sell the ...", "Council agrees",
                       "Council agrees to sell the pier reading room"]) == \
        "Council agrees to sell the pier reading room"
    assert best_title(["Council agrees to sell the …"]) == "Council agrees to sell the …"
