"""Where a page links to: local paths for the data's own IRIs, in the server and in a static copy.

The data's IRIs live under ``{base}id/`` whatever host serves them, so a page
never links to ``{base}`` itself: ``{base}id/x`` becomes ``{prefix}doc/x`` (the
server; ``?lang=`` and ``?page=`` carried as query parameters) or
``{prefix}doc/x[.page-N][.en].html`` (a static copy, one file per page and
language).  Ontology terms link to the ontology page's anchors; anything else
links to itself.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from plankg.iris import ONTOLOGY_NS, Iris

LANGS = ("zh", "en")

#: schemes a page may link to; an IRI such as ``javascript:alert(1)`` or ``data:text/html,…`` in the data or
#: in a query result is shown as text, never as a link (the CSP would block it too, a static host may not send one)
SAFE_HREF = re.compile(r"(?:https?|ftp|mailto|urn|tag|doi|info):|/|#", re.IGNORECASE)


def safe_href(url: str | None) -> str | None:
    """``url`` if a page may link to it, else None."""
    return url if url and SAFE_HREF.match(url) else None


class Linker:
    def __init__(self, iris: Iris, prefix: str = "/", *, lang: str = "zh", default_lang: str = "zh",
                 static: bool = False):
        self.iris = iris
        self.prefix = prefix if prefix.endswith("/") else prefix + "/"
        self.lang = lang
        self.default_lang = default_lang
        self.static = static

    def with_lang(self, lang: str) -> Linker:
        return Linker(self.iris, self.prefix, lang=lang, default_lang=self.default_lang, static=self.static)

    # -- plain paths ---------------------------------------------------------------------------------
    def path(self, rel: str, **params) -> str:
        """A local path (``rel`` without leading slash), keeping the page language in the server."""
        if not self.static and self.lang != self.default_lang:
            params = {"lang": self.lang, **params}
        params = {k: v for k, v in params.items() if v not in (None, "")}
        return self.prefix + rel + (("?" + urlencode(params)) if params else "")

    def page_file(self, rel: str) -> str:
        """A static page: ``rel`` + ``.en`` when not the default language + ``.html``."""
        return self.prefix + rel + ("" if self.lang == self.default_lang else f".{self.lang}") + ".html"

    def home(self) -> str:
        return self.page_file("index") if self.static else self.path("")

    def ontology(self, fragment: str = "") -> str:
        return self.prefix + "ontology.html" + (f"#{fragment}" if fragment else "")

    # -- resources -----------------------------------------------------------------------------------
    def local(self, iri: str) -> str | None:
        """The path after ``{base}id/`` of an IRI of the data, else None."""
        if iri.startswith(self.iris.id) and len(iri) > len(self.iris.id):
            return iri[len(self.iris.id):]
        return None

    def doc(self, iri: str, page: int = 1) -> str | None:
        rest = self.local(iri)
        if rest is None:
            return None
        rest = quote(rest, safe="/-._~")
        if self.static:
            return self.page_file(f"doc/{rest}" + (f".page-{page}" if page > 1 else ""))
        return self.path(f"doc/{rest}", page=page if page > 1 else None)

    def twin(self, iri: str, ext: str) -> str | None:
        rest = self.local(iri)
        return None if rest is None else f"{self.prefix}doc/{quote(rest, safe='/-._~')}.{ext}"

    def id_path(self, iri: str) -> str | None:
        rest = self.local(iri)
        return None if rest is None else f"{self.prefix}id/{quote(rest, safe='/-._~')}"

    def href(self, iri: str) -> str | None:
        """Where a page links for ``iri``: a local path, the ontology page, the IRI itself — or None (not linked)."""
        local = self.doc(iri)
        if local:
            return local
        if iri.startswith(ONTOLOGY_NS):
            return self.ontology(iri[len(ONTOLOGY_NS):])
        if iri == ONTOLOGY_NS.rstrip("#"):
            return self.ontology()
        return safe_href(iri)
