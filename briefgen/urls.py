"""URLs of the site: permalink patterns, the base path for sub-path deploys, and output files."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

__all__ = ["FEED_FILES", "Urls"]

# The files of each feed set (the site's, each term's): RSS, Atom, JSON Feed.
FEED_FILES = ("feed.xml", "atom.xml", "feed.json")


class Urls:
    """Turns site paths ('/briefings/2026/02/x/') into links, absolute URLs and output files."""

    def __init__(self, base_url: str, permalinks: dict[str, str]) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        parts = urlsplit(self.base_url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.base_path = parts.path or "/"
        self.permalinks = permalinks
        self._rel: dict[str, str] = {}

    def permalink(self, kind: str, **values: str) -> str:
        """The site path of a thing from its kind's pattern, e.g. /tags/energy/."""
        return self.permalinks[kind].format(**values)

    def rel(self, path: str) -> str:
        """A link usable in pages: the site path under the base path, percent-encoded."""
        found = self._rel.get(path)
        if found is None:
            if "://" in path or path.startswith(("mailto:", "#")):
                found = path
            else:
                found = quote(self.base_path.rstrip("/") + path, safe="/#?=&%:@!$'()*+,;~-._")
            self._rel[path] = found
        return found

    def abs(self, path: str) -> str:
        """An absolute URL for feeds, sitemaps and canonical links."""
        if "://" in path or path.startswith("mailto:"):
            return path
        return self.origin + self.rel(path)

    @staticmethod
    def output_file(path: str) -> str:
        """The file a site path is written to: '/a/b/' -> 'a/b/index.html', '/feed.xml' as is."""
        clean = path.lstrip("/")
        if not clean or clean.endswith("/"):
            return clean + "index.html"
        return clean

    @staticmethod
    def archive(year: int | None = None) -> str:
        """The archive's index, '/archive/', or the page of a year, '/archive/2026/' (fixed paths,
        not permalinks; a language other than the default puts its prefix before them)."""
        return "/archive/" if year is None else f"/archive/{year:04d}/"

    @staticmethod
    def paginated(path: str, page: int) -> str:
        """Page n of a list: '/tags/x/' -> '/tags/x/page/2/'."""
        return path if page == 1 else f"{path}page/{page}/"
