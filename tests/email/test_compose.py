"""compose(): a briefing or a digest as a message with headers, a text part and an HTML part."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import lxml.html
import pytest

from briefgen.diagnostics import BuildFailed
from briefgen.email.compose import EmailError, Selection
from briefgen.email.plaintext import WIDTH
from tests.email.kit import composed, desk, html_of, parsed, text_of
from tests.sitekit import write_site

GRID = Selection(("content/briefings/grid.md",))
PAGE = "https://example.org/desk/briefings/2026/03/grid/"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return desk(tmp_path)


def test_a_briefing_becomes_one_message_with_its_headers_and_two_parts(root: Path) -> None:
    result = composed(root, GRID)
    assert result.names == ["2026-03-02-grid.eml"]
    msg = parsed(result.messages[0])
    assert msg["Subject"] == "Grid deal signed after two years of talks"
    assert msg["From"] == "The Desk <desk@example.org>"
    assert msg["Date"] == "Mon, 02 Mar 2026 10:00:00 +0400"
    assert msg["To"] is None
    assert msg["List-Unsubscribe"] == "<https://example.org/unsubscribe>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]


def test_the_message_id_is_the_same_on_every_run_and_differs_per_briefing(root: Path) -> None:
    first = composed(root, GRID).messages[0]["Message-ID"]
    again = composed(root, GRID).messages[0]["Message-ID"]
    other = composed(root, Selection(("content/briefings/late-night.md",))).messages[0]
    assert first == again
    assert first != other["Message-ID"]
    assert first.endswith("@example.org>")


def test_the_html_part_has_its_css_inlined_and_nothing_a_mail_client_would_run(
        root: Path) -> None:
    html = html_of(parsed(composed(root, GRID).messages[0]))
    doc = lxml.html.document_fromstring(html)
    assert doc.xpath("//h1/@style") and doc.xpath("//p[@class='summary']/@style")
    assert not doc.xpath("//script | //form | //input | //link | //iframe")
    assert 'alert("not in an email")' not in html
    assert "javascript:" not in " ".join(doc.xpath("//@href | //@src"))
    assert not any(name.startswith("on") for el in doc.iter() if isinstance(el.tag, str)
                   for name in el.attrib)
    # what stays in a <style> is only what cannot be inlined: the @media rules
    styles = " ".join(s.text_content() for s in doc.xpath("//style"))
    rules_outside_media = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*\s*\}", "", styles)
    assert rules_outside_media.strip() == ""
    assert "prefers-color-scheme: dark" in styles and "max-width: 620px" in styles
    assert "@font-face" not in html and "@import" not in html


def test_every_link_and_image_in_the_html_is_absolute(root: Path) -> None:
    doc = lxml.html.document_fromstring(html_of(parsed(composed(root, GRID).messages[0])))
    links = doc.xpath("//@href | //@src")
    assert len(links) > 8
    assert all(str(link).startswith(("https://", "mailto:")) for link in links), links
    assert "https://example.org/desk/pages/timetable/" in links  # under the base path
    assert doc.xpath("//img/@src") == ["https://example.org/desk/images/grid-map.png"]
    assert doc.xpath("//img/@alt") == ["A map of the new lines"]
    top = doc.xpath("//a[normalize-space()='View in your browser']/@href")
    assert top == [PAGE]


def test_the_html_has_a_hidden_preheader_and_lang_and_dir(root: Path) -> None:
    doc = lxml.html.document_fromstring(html_of(parsed(composed(root, GRID).messages[0])))
    assert (doc.get("lang"), doc.get("dir")) == ("en", "ltr")
    body = doc.body
    preheader = body[0]
    assert "display: none" in preheader.get("style")
    assert preheader.text_content() == (
        "The ministry signed the grid deal on Monday; the first lines open in 2027.")


def test_citations_are_numbered_links_to_the_sources_list(root: Path) -> None:
    doc = lxml.html.document_fromstring(html_of(parsed(composed(root, GRID).messages[0])))
    markers = doc.xpath("//sup[@class='citation']/a")
    assert [(a.text, a.get("href")) for a in markers] == [
        ("1", PAGE + "#source.1"), ("2", PAGE + "#source.2"), ("2", PAGE + "#source.2")]
    entries = doc.xpath("//ol[@class='sources']/li")
    assert [li.get("id") for li in entries] == ["source.1", "source.2"]
    assert entries[0].xpath(".//a/@href") == ["https://wire.example.com/2026/03/grid-deal"]
    assert "Nordic Wire" in entries[0].text_content()
    assert "(p. 3)" in entries[1].text_content()


def test_the_text_part_is_wrapped_at_72_columns_with_numbered_references(root: Path) -> None:
    text = text_of(parsed(composed(root, GRID).messages[0]))
    lines = text.splitlines()
    for line in lines:  # only a URL too long for a line may stand alone past the margin
        assert len(line) <= WIDTH or re.fullmatch(r"\s*https://\S+", line), line
    assert any(len(line) > WIDTH for line in lines)  # the long link above is such a URL
    assert "first lines are to open in 2027 [1]." in text
    assert "explained the timetable [3]" in text.replace("\n", " ")
    assert "[2, p. 3]" in text
    assert "Sources\n-------\n\n[1] Nordic Wire: Ministry signs the grid deal, 2 March 2026\n" \
           "    https://wire.example.com/2026/03/grid-deal\n" in text
    assert "[3] https://example.org/desk/pages/timetable/\n" in text
    assert "[4]\n    https://ministry.example.gov/documents/grid-agreement" in text
    assert 'alert("not in an email")' not in text and "<" not in text
    assert "-- \nYou get this because" in text
    assert "Unsubscribe:\nhttps://example.org/unsubscribe" in text


def test_the_newest_briefing_is_the_default(root: Path) -> None:
    result = composed(root)
    assert result.names == ["2026-03-09-next-week.eml"]
    assert parsed(result.messages[0])["Subject"] == "Tram line opens"


def test_a_briefing_can_be_named_by_its_url_path(root: Path) -> None:
    for name in ("/desk/briefings/2026/03/grid/", "/briefings/2026/03/grid/", PAGE,
                 "/briefings/2026/03/grid"):
        result = composed(root, Selection((name,)))
        assert result.names == ["2026-03-02-grid.eml"], name


def test_language_ru_picks_the_translation_and_else_the_original(root: Path) -> None:
    result = composed(root, Selection(("content/briefings/grid.md",
                                       "content/briefings/late-night.md")), language="ru")
    assert result.names == ["2026-03-02-grid.ru.eml", "2026-03-05-late-night.eml"]
    ru, original = (parsed(m) for m in result.messages)
    assert ru["Subject"] == "Соглашение о сетях подписано"
    doc = lxml.html.document_fromstring(html_of(ru))
    assert doc.get("lang") == "ru"
    assert "Открыть в браузере" in html_of(ru)
    assert "Источники\n---------" in text_of(ru)
    assert "https://example.org/desk/ru/briefings/2026/03/grid/" in text_of(ru)
    assert original["Subject"] == "Late-night vote on the port budget"
    assert lxml.html.document_fromstring(html_of(original)).get("lang") == "en"


def _digest_titles(root: Path, kind: str, day: dt.date, language: str | None = None) -> list[str]:
    msg = parsed(composed(root, Selection(digest=kind, day=day), language=language).messages[0])
    doc = lxml.html.document_fromstring(html_of(msg))
    return [str(t) for t in doc.xpath("//article/h2/a/text()")]


def test_a_daily_digest_takes_the_day_in_the_site_timezone(root: Path) -> None:
    # 22:30 UTC on 4 March is 02:30 on 5 March in Tbilisi, the site's timezone
    assert _digest_titles(root, "daily", dt.date(2026, 3, 5)) == [
        "Late-night vote on the port budget"]
    with pytest.raises(EmailError, match="no briefing was published on 2026-03-04"):
        composed(root, Selection(digest="daily", day=dt.date(2026, 3, 4)))


def test_a_weekly_digest_takes_the_iso_week_monday_to_sunday(root: Path) -> None:
    week = ["Grid deal signed after two years of talks", "Late-night vote on the port budget"]
    assert _digest_titles(root, "weekly", dt.date(2026, 3, 8)) == week  # a Sunday
    assert _digest_titles(root, "weekly", dt.date(2026, 3, 2)) == week  # its Monday
    assert _digest_titles(root, "weekly", dt.date(2026, 3, 9)) == ["Tram line opens"]


def test_a_digest_lists_kicker_title_summary_link_and_outlets(root: Path) -> None:
    result = composed(root, Selection(digest="weekly", day=dt.date(2026, 3, 4)))
    assert result.names == ["digest-weekly-2026-W10.eml"]
    msg = parsed(result.messages[0])
    assert msg["Subject"] == "Desk Daily: Mar 2 – 8, 2026"
    doc = lxml.html.document_fromstring(html_of(msg))
    first = doc.xpath("//article")[0]
    assert first.xpath("p[@class='kicker']/text()") == ["Energy"]
    assert first.xpath("h2/a/@href") == [PAGE]
    assert "the first lines open in 2027" in first.text_content()
    assert "Sources: Nordic Wire and Ministry of Energy" in first.text_content()
    text = text_of(msg)
    assert "ENERGY\nGrid deal signed after two years of talks\n" in text
    assert "Sources: Nordic Wire, Ministry of Energy\n" + PAGE in text
    assert all(len(line) <= 72 for line in text.splitlines())


def test_a_russian_digest_takes_each_story_once_in_russian_where_translated(
        root: Path) -> None:
    assert _digest_titles(root, "weekly", dt.date(2026, 3, 4), "ru") == [
        "Соглашение о сетях подписано", "Late-night vote on the port budget"]
    msg = parsed(composed(root, Selection(digest="weekly", day=dt.date(2026, 3, 4)),
                          language="ru").messages[0])
    assert msg["Subject"] == "Desk Daily: 2—8 мар. 2026 г."
    doc = lxml.html.document_fromstring(html_of(msg))
    assert doc.get("lang") == "ru"
    assert [a.get("lang") for a in doc.xpath("//article")] == [None, "en"]
    assert "Еженедельная подборка" in text_of(msg)


def test_a_line_break_in_a_title_cannot_inject_a_header(tmp_path: Path) -> None:
    root = desk(tmp_path, """
-- content/briefings/evil.md --
---
title: "Talks resume\\r\\nBcc: victim@example.com\\nX-Injected: yes"
summary: A title that tries to add headers.
date: 2026-03-10T09:00:00+04:00
sources: [wire-grid]
---
Text [@wire-grid].
""")
    raw = composed(root, Selection(("content/briefings/evil.md",))).messages[0].as_bytes()
    msg = parsed(composed(root, Selection(("content/briefings/evil.md",))).messages[0])
    assert msg["Bcc"] is None and msg["X-Injected"] is None
    assert msg["Subject"] == "Talks resume Bcc: victim@example.com X-Injected: yes"
    headers = raw.split(b"\r\n\r\n", 1)[0]
    assert b"\nBcc:" not in headers and b"\nX-Injected:" not in headers


def test_an_unknown_briefing_is_an_error_that_names_it(root: Path) -> None:
    wanted = r"not a published briefing .*: content/briefings/nope\.md, /briefings/2026/03/nope/$"
    with pytest.raises(EmailError, match=wanted):
        composed(root, Selection(("content/briefings/nope.md", "content/briefings/grid.md",
                                  "/briefings/2026/03/nope/")))


def test_a_missing_sender_is_an_error_that_names_briefgen_yaml(root: Path) -> None:
    config = root / "briefgen.yaml"
    config.write_text(config.read_text().replace("  from: The Desk <desk@example.org>\n", ""))
    with pytest.raises(EmailError, match=r"briefgen\.yaml has no sender .*\n.*email:\n  from:"):
        composed(root, GRID)


def test_a_site_with_nothing_published_is_an_error(tmp_path: Path) -> None:
    root = desk(tmp_path)
    for path in (root / "content" / "briefings").iterdir():
        path.write_text(path.read_text().replace("---\n", "---\ndraft: true\n", 1))
    with pytest.raises(EmailError, match="no published briefing"):
        composed(root)


def test_a_content_error_fails_with_its_place(tmp_path: Path) -> None:
    root = desk(tmp_path, """
-- content/briefings/bad.md --
---
title: Cites what does not exist
summary: A bad citation.
date: 2026-03-10T09:00:00+04:00
---
Text [@no-such-source].
""")
    with pytest.raises(BuildFailed) as failed:
        composed(root, GRID)
    assert any(d.format().startswith("content/briefings/bad.md:6:6: error:")
               for d in failed.value.diagnostics), [d.format() for d in failed.value.diagnostics]


def test_the_base_url_can_be_given_and_must_be_absolute(root: Path) -> None:
    msg = parsed(composed(root, GRID, base_url="https://staging.example.net/").messages[0])
    assert "https://staging.example.net/briefings/2026/03/grid/#source.1" in html_of(msg)
    with pytest.raises(EmailError, match="must be an absolute http"):
        composed(root, GRID, base_url="/desk/")


def test_a_content_path_from_the_current_folder_also_names_a_briefing(
        root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(root.parent)
    result = composed(root, Selection(("desk/content/briefings/grid.md",)))
    assert result.names == ["2026-03-02-grid.eml"]


def test_a_right_to_left_language_sets_dir_rtl(tmp_path: Path) -> None:
    root = write_site(tmp_path / "ar", """\
-- briefgen.yaml --
title: مكتب الإحاطات
base_url: https://example.org/
language: ar
timezone: UTC
email:
  from: desk@example.org
-- content/briefings/one.md --
---
title: إحاطة
summary: ملخص قصير.
date: 2026-03-02
---
نص الإحاطة.
""")
    doc = lxml.html.document_fromstring(html_of(parsed(composed(root).messages[0])))
    assert (doc.get("lang"), doc.get("dir")) == ("ar", "rtl")


def test_a_language_has_its_own_footer_and_digest_title(root: Path) -> None:
    config = root / "briefgen.yaml"
    config.write_text(config.read_text().replace(
        "    title: Тестовая редакция\n",
        "    title: Тестовая редакция\n    email:\n      footer: Вы подписаны на рассылку.\n"
        "      digest_title: Обзор недели\n"))
    week = Selection(digest="weekly", day=dt.date(2026, 3, 4))
    russian = parsed(composed(root, week, language="ru").messages[0])
    assert russian["Subject"] == "Обзор недели: 2—8 мар. 2026 г."
    assert "Вы подписаны на рассылку." in html_of(russian)
    assert "Вы подписаны на рассылку." in text_of(russian)
    english = parsed(composed(root, week).messages[0])
    assert english["Subject"].startswith("Desk Daily: ")
    assert "You get this because you asked for it on example.org." in html_of(english)
