"""Link crawls for the page tests: every link of every page of the site (live) or of a static publication."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("href", "src"):
            if a.get(key) and not (tag == "form"):
                self.links.append(a[key])
        if tag == "form" and a.get("action"):
            self.links.append(a["action"])


def links_of(html: str) -> list[str]:
    p = _Links()
    p.feed(html)
    return p.links


def crawl_live(get, start: str = "/", follow=lambda path: True, limit: int = 5000) -> tuple[int, dict[str, list[str]]]:
    """Breadth-first over same-site links with ``get(path) -> (status, content_type, text)``.

    Every local link found on a crawled page is requested once; pages (text/html) are crawled on when
    ``follow(path)``.  Returns (pages crawled, {broken link: [pages linking to it]})."""
    seen, broken, queue, pages = {start: 200}, {}, [start], 0
    sources: dict[str, list[str]] = {}
    while queue and pages < limit:
        path = queue.pop(0)
        status, ctype, text = get(path)
        seen[path] = status
        if status >= 400:
            broken[path] = sources.get(path, [])
            continue
        if not ctype.startswith("text/html"):
            continue
        pages += 1
        for href in links_of(text):
            url = urljoin("http://site" + path, href)
            parts = urlsplit(url)
            if parts.netloc != "site":
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            sources.setdefault(local, []).append(path)
            if local not in seen:
                seen[local] = 0
                if follow(local) or not local.startswith(("/doc/", "/query", "/search")):
                    queue.append(local)
                else:
                    status2, _, _ = get(local)
                    seen[local] = status2
                    if status2 >= 400:
                        broken[local] = sources[local]
    return pages, broken


def crawl_static(root: Path, prefix: str = "/") -> tuple[int, dict[str, list[str]]]:
    """Every href/src of every .html file under ``root`` must name a file of the publication."""
    broken: dict[str, list[str]] = {}
    pages = 0
    for page in sorted(root.rglob("*.html")):
        pages += 1
        here = prefix + page.relative_to(root).as_posix()
        for href in links_of(page.read_text(encoding="utf-8")):
            url = urljoin("http://site" + here, href)
            parts = urlsplit(url)
            if parts.netloc != "site":
                continue
            rel = unquote(parts.path)[len(prefix):]
            target = root / rel
            if rel == "" or rel.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                broken.setdefault(parts.path, []).append(here)
    return pages, broken
