"""authors.yaml and categories.yaml: the ids that briefings refer to."""

from __future__ import annotations

from pathlib import Path

import yaml

from briefgen.diagnostics import Diagnostics
from briefgen.frontmatter import decode
from briefgen.models import Author, Category, Outlet
from briefgen.schema import INVALID, Ctx, DictOf, Field, LDict, Record, Str, Url
from briefgen.yamlnodes import YamlSyntaxError, compose

__all__ = [
    "AUTHORS_SCHEMA",
    "CATEGORIES_SCHEMA",
    "OUTLETS_SCHEMA",
    "load_authors",
    "load_categories",
    "load_outlets",
]

ID = r"[a-z0-9][a-z0-9-]*"
ID_HINT = "an id of lowercase letters, digits and hyphens"

AUTHORS_SCHEMA = DictOf("authors.yaml", Record("author", {
    "name": Field(Str(), required=True),
    "bio": Field(Str()),
    "links": Field(DictOf("links", Url(("http", "https", "mailto"), relative=False))),
}), ID, ID_HINT)

CATEGORIES_SCHEMA = DictOf("categories.yaml", Record("category", {
    "name": Field(Str(), required=True),
    "description": Field(Str()),
    "disclaimer": Field(Str(), doc="Shown on every briefing of the category."),
}), ID, ID_HINT)

OUTLETS_SCHEMA = DictOf("outlets.yaml", Record("outlet", {
    "name": Field(Str(), required=True, doc="As written in sources' 'outlet:'."),
    "homepage": Field(Url(("http", "https"), relative=False)),
    "country": Field(Str()),
}), ID, ID_HINT)


def _load(root: Path, name: str, schema: DictOf, diags: Diagnostics) -> LDict:
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
    if values is INVALID:
        good = LDict()
        retry = Ctx(label, Diagnostics())  # one node budget for all entries, not one each
        entries = node.value if isinstance(node, yaml.MappingNode) else []
        for key_node, value_node in entries:
            value = schema.value.convert(value_node, retry, "")
            if value is not INVALID and str(key_node.value) not in good:  # first one wins
                good[str(key_node.value)] = value
        return good
    return values  # type: ignore[no-any-return]


def load_authors(root: Path, diags: Diagnostics) -> dict[str, Author]:
    """Authors by id from content/authors.yaml (empty when the file is absent)."""
    return {
        key: Author(id=key, name=value["name"], bio=value.get("bio", ""),
                    links=dict(value.get("links", {})))
        for key, value in _load(root, "authors.yaml", AUTHORS_SCHEMA, diags).items()
    }


def load_categories(root: Path, diags: Diagnostics) -> dict[str, Category]:
    """Categories by id from content/categories.yaml (empty when the file is absent)."""
    return {
        key: Category(id=key, name=value["name"], description=value.get("description", ""),
                      disclaimer=value.get("disclaimer", ""))
        for key, value in _load(root, "categories.yaml", CATEGORIES_SCHEMA, diags).items()
    }


def load_outlets(root: Path, diags: Diagnostics) -> dict[str, Outlet]:
    """Outlet descriptions by id from content/outlets.yaml (empty when the file is absent)."""
    return {
        key: Outlet(id=key, name=value["name"], homepage=value.get("homepage", ""),
                    country=value.get("country", ""))
        for key, value in _load(root, "outlets.yaml", OUTLETS_SCHEMA, diags).items()
    }
