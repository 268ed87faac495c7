"""Change classification: which changed paths rebuild what, and which are ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.serve.changes import Change, ChangeKind, RebuildPlan, classify, plan

ROOT = Path("/srv/desk")
K = ChangeKind


@pytest.mark.parametrize(("path", "kind"), [
    ("content/briefings/2026/02/a.md", K.BRIEFING),
    ("content/briefings/a.md", K.BRIEFING),
    ("content/pages/about.md", K.PAGE),
    ("content/sources/reuters-1.md", K.SOURCE),
    ("content/authors.yaml", K.REGISTRY),
    ("content/categories.yaml", K.REGISTRY),
    ("content/outlets.yaml", K.REGISTRY),
    ("themes/default/templates/briefing.html", K.TEMPLATE),
    ("themes/default/templates/partials/_card.html", K.TEMPLATE),
    ("themes/default/locales/ru/LC_MESSAGES/messages.po", K.TEMPLATE),
    ("themes/default/static/style.css", K.STATIC),
    ("static/images/map.png", K.STATIC),
    ("static/.well-known/security.txt", K.STATIC),
    ("briefgen.yaml", K.CONFIG),
    ("content", K.LAYOUT),
    ("static", K.LAYOUT),
])
def test_inputs_are_classified_by_what_they_feed(path: str, kind: ChangeKind) -> None:
    assert classify(ROOT, ROOT / path) == Change(kind, path)
    assert classify(ROOT, path).kind is kind  # relative paths too


@pytest.mark.parametrize("path", [
    # briefgen's own writes
    "site/index.html", "site.briefgen-staging/index.html", ".briefgen-cache/serve/a/index.html",
    ".briefgen-cache/build.sqlite", ".briefgen-archive/2026.tar", ".briefgen-cache",
    # editors: vim probe, swap and backup; JetBrains safe write; emacs; gedit; Kate; LibreOffice
    "content/briefings/4913", "content/briefings/5036", "content/briefings/.a.md.swp",
    "content/briefings/.a.md.swx", "content/briefings/a.md~", "content/briefings/a.md.swp",
    "content/briefings/a.md___jb_tmp___", "content/briefings/a.md___jb_old___",
    "themes/default/templates/base.html___jb_tmp___", "content/briefings/.#a.md",
    "content/briefings/#a.md#", "content/pages/.goutputstream-ABC123",
    "content/briefings/a.md.kate-swp", "content/pages/.~lock.about.md#", "static/.DS_Store",
    # not read by the build
    "README.md", ".git/index", "content/briefings/notes.txt", "content/drafts/x.md",
    "content/.hidden/x.md", "content/briefings/.hidden.md", "static/.git/config",
    "themes/default/README.md", "themes/default/templates", "../elsewhere/briefgen.yaml",
])
def test_outputs_caches_editor_temp_files_and_unread_files_are_ignored(path: str) -> None:
    assert classify(ROOT, ROOT / path).kind is ChangeKind.IGNORED


def test_paths_outside_the_site_are_ignored() -> None:
    assert classify(ROOT, Path("/srv/other/content/briefings/a.md")).kind is ChangeKind.IGNORED


def test_a_moved_or_removed_folder_of_briefings_counts_even_when_its_name_is_digits() -> None:
    change = classify(ROOT, ROOT / "content/briefings/2026", is_directory=True)
    assert change == Change(ChangeKind.BRIEFING, "content/briefings/2026")


def test_a_briefing_edit_plans_that_briefing_and_its_lists_not_a_full_rebuild() -> None:
    todo = plan([Change(K.BRIEFING, "content/briefings/a.md")])
    assert todo == RebuildPlan(briefings=frozenset({"content/briefings/a.md"}))
    assert not todo.full and todo.content_only and not todo.empty


def test_config_authors_and_categories_plan_a_full_rebuild() -> None:
    for kind, path in ((K.CONFIG, "briefgen.yaml"), (K.REGISTRY, "content/authors.yaml"),
                       (K.LAYOUT, "static")):
        assert plan([Change(kind, path)]).full


def test_templates_and_static_files_are_planned_separately_and_reload_every_page() -> None:
    todo = plan([Change(K.TEMPLATE, "themes/default/templates/base.html"),
                 Change(K.STATIC, "static/x.css"), Change(K.SOURCE, "content/sources/s.md"),
                 Change(K.PAGE, "content/pages/p.md")])
    assert todo.templates == {"themes/default/templates/base.html"}
    assert todo.static == {"static/x.css"}
    assert todo.sources == {"content/sources/s.md"} and todo.pages == {"content/pages/p.md"}
    assert not todo.full and not todo.content_only


def test_ignored_changes_plan_nothing() -> None:
    assert plan([Change(K.IGNORED, "site/x.html")]).empty
    assert plan([]).empty
