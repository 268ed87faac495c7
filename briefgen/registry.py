"""authors.yaml, categories.yaml, outlets.yaml and tags.yaml: the ids that briefings refer to."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import yaml

from briefgen.diagnostics import Diagnostics
from briefgen.frontmatter import decode
from briefgen.languages import LANG
from briefgen.models import Author, Category, Outlet, TagInfo
from briefgen.schema import INVALID, Ctx, DictOf, Field, LDict, Record, Str, Url
from briefgen.yamlnodes import YamlSyntaxError, compose

__all__ = [
    "AUTHORS_SCHEMA",
    "CATEGORIES_SCHEMA",
    "OUTLETS_SCHEMA",
    "TAGS_SCHEMA",
    "load_authors",
    "load_categories",
    "load_outlets",
    "load_tags",
]

ID = r"[a-z0-9][a-z0-9-]*"
ID_HINT = "an id of lowercase letters, digits and hyphens"


def _translations(fields: dict[str, Field]) -> Field:
    """`translations: {ru: {name: ..., ...}}`: the same fields, in other languages."""
    optional = {name: Field(spec.type, doc=spec.doc) for name, spec in fields.items()}
    return Field(DictOf("translations", Record("translation", optional), LANG,
                        "a language code like 'ru'"),
                 doc="The same fields in other languages of the site, by language code.")


_AUTHOR = {
    "name": Field(Str(), required=True),
    "bio": Field(Str()),
}
_CATEGORY = {
    "name": Field(Str(), required=True),
    "description": Field(Str()),
    "disclaimer": Field(Str(), doc="Shown on every briefing of the category."),
}
_TAG = {
    "name": Field(Str(), required=True, doc="How the tag is shown."),
    "description": Field(Str()),
}

AUTHORS_SCHEMA = DictOf("authors.yaml", Record("author", {
    **_AUTHOR,
    "links": Field(DictOf("links", Url(("http", "https", "mailto"), relative=False))),
    "translations": _translations(_AUTHOR),
}), ID, ID_HINT)

CATEGORIES_SCHEMA = DictOf("categories.yaml", Record("category", {
    **_CATEGORY, "translations": _translations(_CATEGORY)}), ID, ID_HINT)

TAGS_SCHEMA = DictOf("tags.yaml", Record("tag", {
    **_TAG, "translations": _translations(_TAG)}), ID, ID_HINT)

OUTLETS_SCHEMA = DictOf("outlets.yaml", Record("outlet", {
    "name": Field(Str(), required=True, doc="As written in sources' 'outlet:'."),
    "homepage": Field(Url(("http", "https"), relative=False)),
    "country": Field(Str()),
}), ID, ID_HINT)


def _check_translation_languages(values: LDict, label: str, languages: Collection[str] | None,
                     diags: Diagnostics) -> None:
    """Report each translation into a language the site does not have."""
    if languages is None:
        return
    for entry in values.values():
        translations = entry.get("translations")
        for code in translations or ():
            if code not in languages:
                line, col = translations.pos[code]
                diags.error(label, line, col, f"language {code!r} is not one of the site's "
                            f"languages ({', '.join(languages)}); add it to 'languages' in "
                            "briefgen.yaml")


def _translated(value: LDict, fields: tuple[str, ...]) -> dict[str, dict[str, str]]:
    return {code: {f: str(tr[f]) for f in fields if f in tr}
            for code, tr in (value.get("translations") or {}).items()}


def _load(root: Path, name: str, schema: DictOf, diags: Diagnostics,
          languages: Collection[str] | None = None) -> LDict:
    label = f"content/{name}"
    path = root / label
    if not path.is_file():
        return LDict()
    text = decode(label, path.read_bytes(), diags)
    if text is None:
        return LDict()
    try:
        node = compose(text)
    except YamlSyntaxError as exc:
        diags.error(label, exc.line + 1, exc.col + 1, exc.message)
        return LDict()
    if node is None:
        return LDict()
    # Report every bad entry, keep the good ones, so one typo does not hide other problems.
    local = Diagnostics()
    values = schema.convert(node, Ctx(label, local), "")
    diags.extend(local)
    if values is not INVALID:
        _check_translation_languages(values, label, languages, diags)
    if values is INVALID:
        good = LDict()
        good.pos, good.where = {}, (1, 1)
        retry = Ctx(label, Diagnostics())  # one node budget for all entries, not one each
        entries = node.value if isinstance(node, yaml.MappingNode) else []
        for key_node, value_node in entries:
            value = schema.value.convert(value_node, retry, "")
            if value is not INVALID and str(key_node.value) not in good:  # first one wins
                good[str(key_node.value)] = value
                good.pos[str(key_node.value)] = (key_node.start_mark.line + 1,
                                                 key_node.start_mark.column + 1)
        _check_translation_languages(good, label, languages, diags)
        return good
    return values  # type: ignore[no-any-return]


def load_authors(root: Path, diags: Diagnostics,
                 languages: Collection[str] | None = None) -> dict[str, Author]:
    """Authors by id from content/authors.yaml (empty when the file is absent)."""
    return {
        key: Author(id=key, name=value["name"], bio=value.get("bio", ""),
                    links=dict(value.get("links", {})),
                    translations=_translated(value, tuple(_AUTHOR)))
        for key, value in _load(root, "authors.yaml", AUTHORS_SCHEMA, diags, languages).items()
    }


def load_categories(root: Path, diags: Diagnostics,
                    languages: Collection[str] | None = None) -> dict[str, Category]:
    """Categories by id from content/categories.yaml (empty when the file is absent)."""
    return {
        key: Category(id=key, name=value["name"], description=value.get("description", ""),
                      disclaimer=value.get("disclaimer", ""),
                      translations=_translated(value, tuple(_CATEGORY)))
        for key, value in _load(root, "categories.yaml", CATEGORIES_SCHEMA, diags,
                                languages).items()
    }


def load_tags(root: Path, diags: Diagnostics,
              languages: Collection[str] | None = None) -> dict[str, TagInfo]:
    """Tag names by id from content/tags.yaml (optional: a tag not listed is shown as written)."""
    return {
        key: TagInfo(id=key, name=value["name"], description=value.get("description", ""),
                     translations=_translated(value, tuple(_TAG)))
        for key, value in _load(root, "tags.yaml", TAGS_SCHEMA, diags, languages).items()
    }


def load_outlets(root: Path, diags: Diagnostics) -> dict[str, Outlet]:
    """Outlet descriptions by id from content/outlets.yaml (empty when the file is absent)."""
    return {
        key: Outlet(id=key, name=value["name"], homepage=value.get("homepage", ""),
                    country=value.get("country", ""))
        for key, value in _load(root, "outlets.yaml", OUTLETS_SCHEMA, diags).items()
    }
