"""Slugs: NFC, lowercase, words joined by single hyphens; Cyrillic transliterated by default,
letters of every other script kept."""

from __future__ import annotations

import unicodedata

import pytest

from briefgen.slugs import is_slug, slugify


@pytest.mark.parametrize(("text", "slug"), [
    ("Record strikes: the truce ends", "record-strikes-the-truce-ends"),
    ("HELLO World", "hello-world"),
    ("It's a “test” — ok?", "its-a-test-ok"),
    ("  --a__b--  ", "a-b"),
    ("a/b\\c.d", "a-b-c-d"),
    ("../../x", "x"),
    ("2026 outlook", "2026-outlook"),
    ("Привет, мир!", "privet-mir"),
    ("Київ і Львів", "kiiv-i-lviv"),
    ("Щёлково: объезд, жильё и цены", "shchelkovo-obezd-zhile-i-tseny"),
    ("Straße", "straße"),
    ("नमस्ते दुनिया", "नमस्ते-दुनिया"),
    ("مَرْحَبًا بالعالم", "مَرْحَبًا-بالعالم"),
    ("東京 2026", "東京-2026"),
])
def test_slugify_examples(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_case_variants_give_the_same_slug() -> None:
    assert slugify("Energy Truce") == slugify("ENERGY TRUCE") == slugify("energy truce")


def test_nfc_and_nfd_of_the_same_title_give_the_same_nfc_slug() -> None:
    nfc = unicodedata.normalize("NFC", "Café Zürich")
    nfd = unicodedata.normalize("NFD", "Café Zürich")
    assert nfc != nfd
    assert slugify(nfc) == slugify(nfd) == "café-zürich"
    assert unicodedata.is_normalized("NFC", slugify(nfd))


def test_combining_marks_are_not_word_breaks() -> None:
    # Hindi vowel signs and virama are combining marks: they must not split the word.
    assert "-" not in slugify("नमस्ते")


@pytest.mark.parametrize("text", ["", "!!!", "---", "’’", "  "])
def test_text_without_letters_or_digits_has_an_empty_slug(text: str) -> None:
    assert slugify(text) == ""


@pytest.mark.parametrize("text", ["a", "energy-truce", "privet-mir", "2026"])
def test_slugs_are_their_own_slug(text: str) -> None:
    assert is_slug(text)


@pytest.mark.parametrize(("text", "slug"), [
    ("Привет, мир!", "привет-мир"),
    ("Київ і Львів", "київ-і-львів"),
    ("Straße", "straße"),
])
def test_unicode_mode_keeps_cyrillic_as_written(text: str, slug: str) -> None:
    assert slugify(text, "unicode") == slug
    assert is_slug(slug, "unicode")
    assert not is_slug(slug) or slug == "straße"  # transliterated by default


def test_unicode_mode_gives_nfc_slugs() -> None:
    decomposed = unicodedata.normalize("NFD", "Йошкар-Ола")
    assert slugify(decomposed, "unicode") == "йошкар-ола"
    assert unicodedata.is_normalized("NFC", slugify(decomposed, "unicode"))
    assert slugify(decomposed) == "ioshkar-ola"


@pytest.mark.parametrize("text", ["", "Energy", "a--b", "-a", "a b", "../x", "a_b",
                                  unicodedata.normalize("NFD", "café")])
def test_non_slugs_are_recognised(text: str) -> None:
    assert not is_slug(text)
