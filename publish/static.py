"""The publication as static files, for hosting without Python.

``publish_static(store, out_dir, iris, base_url)`` writes::

    index.html, index.en.html             the dataset home (zh, en)
    dataset.ttl|.jsonld|.nt|.rdf          VoID + DCAT;  .well-known/void (Turtle)
    doc/{path}.html, doc/{path}.en.html   every resource under {base}id/ (long lists: .page-N[.en].html)
    doc/{path}.ttl|.jsonld|.nt|.rdf       its bounded description
    dumps/plankg.nq.gz|.trig|.ttl         dumps
    ontology.html, ontology.ttl|…         the ontology
    static/                               CSS (no scripts needed)
    nginx.conf, apache.htaccess           content negotiation: /id/… → 303 → /doc/….ext by Accept

``base_url`` is where the files will be served from (absolute, ending in '/');
its path is the prefix of every link.  Static servers cannot weigh ``q=``
values: the configurations pick the first listed type they know, then any
RDF type mentioned, else HTML (see the comments in the files).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

from plankg.ontology import ONTOLOGY_PATH
from pyoxigraph import RdfFormat, parse

from plankg.iris import Iris

from .config import PublishConfig
from .describe import describe
from .labels import Labels
from .links import LANGS, Linker
from .negotiation import RDF_FORMATS, TURTLE
from .pages import PageBuilder, render
from .results import graph_bytes
from .void import DUMPS, dataset_info, dump_bytes, sitemap_xml, void_triples

STATIC_DIR = Path(__file__).parent / "static"
ALL_IRIS = "SELECT DISTINCT ?x WHERE { { ?x ?p ?o } UNION { ?s ?p ?x } FILTER(isIRI(?x)) }"


def _write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)


def _safe_rel(rest: str) -> str:
    """A resource path as a relative file path: no '..', no absolute parts."""
    parts = [p for p in rest.split("/") if p]
    if not parts or any(p in (".", "..") or "\\" in p for p in parts):
        raise ValueError(f"cannot publish an IRI path {rest!r} as a file")
    return "/".join(parts)


def publish_static(store, out_dir, iris: Iris | None = None, base_url: str = "http://localhost/",
                   config: PublishConfig | None = None) -> dict:
    """Write the static publication of ``store`` into ``out_dir``; returns counts of what was written."""
    iris = iris or Iris()
    config = config or PublishConfig()
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or not base_url.endswith("/"):
        raise ValueError(f"base_url must be an absolute http(s) URL ending in '/': {base_url!r}")
    prefix = parts.path or "/"
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    labels = Labels(iris.id).load(store)
    info = dataset_info(store, iris, config.licence)
    counts = {"resources": 0, "pages": 0, "files": 0}

    # dumps first, so that VoID states their sizes
    for name in DUMPS:
        _write(out / "dumps" / name, dump_bytes(store, info, name))
        counts["files"] += 1
    void = void_triples(info, base_url, None)
    for fmt in RDF_FORMATS:
        _write(out / f"dataset.{fmt.ext}", graph_bytes(void, fmt))
    _write(out / ".well-known" / "void", graph_bytes(void, TURTLE))

    linkers = {lang: Linker(iris, prefix, lang=lang, default_lang=config.default_lang, static=True) for lang in LANGS}
    for lang, link in linkers.items():
        urls = {code: linkers[code].home() for code in LANGS}
        html = render("home.html", lang=lang, link=link, lang_urls=urls, info=info, dumps=DUMPS,
                      public_url=base_url, licence=config.licence, endpoint=False, limits={})
        _write(out / link.home()[len(prefix):], html)

    resources = sorted(r["x"].value for r in store.query(ALL_IRIS) if r["x"].value.startswith(iris.id)
                       and len(r["x"].value) > len(iris.id))
    for iri in resources:
        d = describe(store, iri)
        if d is None:
            continue
        rel = _safe_rel(iri[len(iris.id):])
        triples = d.triples()
        for fmt in RDF_FORMATS:
            _write(out / "doc" / f"{rel}.{fmt.ext}", graph_bytes(triples, fmt))
        for lang, link in linkers.items():
            builder = PageBuilder(store, labels, link, config.page_size)
            view = builder.build(d, 1)
            for page in range(1, view.pages + 1):
                if page > 1:
                    view = builder.build(d, page)
                urls = {code: linkers[code].doc(iri, page) for code in LANGS}
                html = render("resource.html", view=view, formats=RDF_FORMATS, lang=lang, link=link,
                              lang_urls=urls, licence=config.licence, endpoint=False)
                _write(out / link.doc(iri, page)[len(prefix):], html)
                counts["pages"] += 1
        counts["resources"] += 1

    # the ontology
    from plankg.ontology.page import write_ontology_page

    write_ontology_page(out / "ontology.html")
    with open(ONTOLOGY_PATH, "rb") as fh:
        onto = list(parse(fh, format=RdfFormat.TURTLE))
    for fmt in RDF_FORMATS:
        data = ONTOLOGY_PATH.read_bytes() if fmt is TURTLE else graph_bytes(onto, fmt)
        _write(out / f"ontology.{fmt.ext}", data)

    # CSS (the static pages need no script; the editor's files are left out)
    shutil.copy2(STATIC_DIR / "plankg.css", _ensure(out / "static") / "plankg.css")
    _write(out / "404.html", render("error.html", lang=config.default_lang, link=linkers[config.default_lang],
                                    lang_urls={c: linkers[c].home() for c in LANGS}, code=404,
                                    heading="Not Found", message="nothing at this address", licence=config.licence,
                                    endpoint=False))
    # for crawlers: robots.txt and a sitemap of the home page, the ontology, each document's page and the dumps
    home = linkers[config.default_lang]
    urls = [base_url + home.home()[len(prefix):], base_url + "ontology.html"]
    urls += [base_url + home.doc(d.iri)[len(prefix):] for d in info.documents if home.doc(d.iri)]
    urls += [base_url + "dumps/" + name for name in DUMPS]
    _write(out / "sitemap.xml", sitemap_xml(list(dict.fromkeys(urls)), info.modified))
    _write(out / "robots.txt", f"User-agent: *\nDisallow:\nSitemap: {base_url}sitemap.xml\n")
    _write(out / "nginx.conf", nginx_config(out.resolve(), prefix))
    _write(out / "apache.htaccess", apache_config(prefix))
    counts["files"] += sum(1 for p in out.rglob("*") if p.is_file()) - counts["files"]
    return counts


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


# Accept → extension, for servers that cannot weigh q-values: the first listed type wins, then any mention.
_ACCEPT_RULES = [
    ("html", r"^\s*(text/html|application/xhtml\+xml)"),
    ("ttl", r"^\s*(text/turtle|application/x-turtle)"),
    ("jsonld", r"^\s*application/ld\+json"),
    ("nt", r"^\s*application/n-triples"),
    ("rdf", r"^\s*application/rdf\+xml"),
    ("html", r"text/html"),
    ("ttl", r"text/turtle"),
    ("jsonld", r"application/ld\+json"),
    ("nt", r"application/n-triples"),
    ("rdf", r"application/rdf\+xml"),
]


def nginx_config(root: Path | str, prefix: str = "/", listen: str = "80", server_name: str = "_") -> str:
    """An nginx configuration (http context: a map and a server block) serving a static publication at ``root``."""
    p = prefix if prefix.endswith("/") else prefix + "/"
    if p != "/":
        root_note = f"    # root must be the folder in which {p} is the publication ({root})\n"
        root = Path(root).parent if Path(root).name == p.strip("/").rsplit("/", 1)[-1] else "/srv/www"
    else:
        root_note = ""
    rules = "\n".join(f'    "~*{rx}" {ext};' for ext, rx in _ACCEPT_RULES)
    return f"""# plankg static publication — nginx configuration (include it in the http {{}} context).
# /id/PATH answers 303 See Other to /doc/PATH.EXT, EXT chosen by Accept; /doc/PATH (no extension)
# serves that twin with Vary: Accept; unknown IRIs give 404.  nginx cannot weigh q-values: the first
# media type listed that plankg knows wins, then any RDF type mentioned, else HTML.
map $http_accept $plankg_ext {{
    default html;
{rules}
}}

server {{
    listen {listen};
    server_name {server_name};
{root_note}    root {root};
    charset utf-8;
    charset_types text/css text/turtle application/n-triples;
    absolute_redirect off;
    index index.html;
    types {{
        text/html html;
        text/css css;
        application/javascript js;
        text/turtle ttl;
        application/ld+json jsonld;
        application/n-triples nt;
        application/rdf+xml rdf;
        application/trig trig;
        application/gzip gz;
    }}
    default_type application/octet-stream;
    error_page 404 {p}404.html;

    location ~ ^{p}id/(?<plankg_path>.+)$ {{
        if (!-f $document_root{p}doc/$plankg_path.html) {{ return 404; }}
        add_header Vary Accept always;
        add_header Access-Control-Allow-Origin "*" always;
        return 303 {p}doc/$plankg_path.$plankg_ext;
    }}
    location ~ ^{p}doc/(?<plankg_path>.+)\\.(html|ttl|jsonld|nt|rdf)$ {{
        add_header Access-Control-Allow-Origin "*" always;
        try_files $uri =404;
    }}
    location ~ ^{p}doc/(?<plankg_path>.+)$ {{
        add_header Vary Accept always;
        add_header Content-Location {p}doc/$plankg_path.$plankg_ext always;
        add_header Access-Control-Allow-Origin "*" always;
        try_files {p}doc/$plankg_path.$plankg_ext =404;
    }}
    location = {p}ontology {{
        add_header Vary Accept always;
        return 303 {p}ontology.$plankg_ext;
    }}
    location = {p}dataset {{
        add_header Vary Accept always;
        return 303 {p}dataset.$plankg_ext;
    }}
    location = {p}.well-known/void {{
        default_type text/turtle;
        add_header Access-Control-Allow-Origin "*" always;
    }}
    location ^~ {p}dumps/ {{
        add_header Content-Disposition attachment always;
        add_header Access-Control-Allow-Origin "*" always;
    }}
}}
"""


def apache_config(prefix: str = "/") -> str:
    """An Apache httpd 2.4 .htaccess (mod_rewrite, mod_headers, mod_mime) for the publication's folder."""
    p = prefix if prefix.endswith("/") else prefix + "/"
    lines = [
        "# plankg static publication — Apache httpd 2.4 configuration.",
        "# Put it in the publication's folder as .htaccess (AllowOverride FileInfo Options) or in its <Directory>.",
        "# /id/PATH answers 303 See Other to /doc/PATH.EXT, EXT chosen by Accept (the first media type listed",
        "# that plankg knows, then any RDF type mentioned, else HTML); /doc/PATH serves that twin.",
        "# Needs mod_rewrite, mod_headers, mod_mime.  An unknown IRI is redirected, then answered 404.",
        "Options -MultiViews",
        "AddType text/turtle .ttl",
        "AddType application/ld+json .jsonld",
        "AddType application/n-triples .nt",
        "AddType application/rdf+xml .rdf",
        "AddType application/trig .trig",
        "AddType application/gzip .gz",
        "AddCharset utf-8 .html .ttl .nt .css",
        '<Files "void">',
        "    ForceType text/turtle",
        "</Files>",
        "ErrorDocument 404 " + p + "404.html",
        'Header always set Access-Control-Allow-Origin "*"',
        "RewriteEngine On",
        "RewriteBase " + p,
    ]
    for target, pattern, flags in (("id/", "^id/(.+)$", "R=303,L"), ("doc/", r"^doc/(.+?)$", "L")):
        for ext, rx in _ACCEPT_RULES:
            lines.append(f'RewriteCond %{{HTTP_ACCEPT}} "{rx}" [NC]')
            if target == "doc/":
                lines.append(r"RewriteCond %{REQUEST_URI} !\.(html|ttl|jsonld|nt|rdf)$")
            lines.append(f"RewriteRule {pattern} doc/$1.{ext} [{flags},E=PLANKG_NEGOTIATED:1]")
        if target == "doc/":
            lines.append(r"RewriteCond %{REQUEST_URI} !\.(html|ttl|jsonld|nt|rdf)$")
        lines.append(f"RewriteRule {pattern} doc/$1.html [{flags},E=PLANKG_NEGOTIATED:1]")
    for name, fallback in (("ontology", "html"), ("dataset", "ttl")):
        for ext, rx in _ACCEPT_RULES:
            if name == "dataset" and ext == "html":
                continue
            lines.append(f'RewriteCond %{{HTTP_ACCEPT}} "{rx}" [NC]')
            lines.append(f"RewriteRule ^{name}$ {name}.{ext} [R=303,L,E=PLANKG_NEGOTIATED:1]")
        lines.append(f"RewriteRule ^{name}$ {name}.{fallback} [R=303,L,E=PLANKG_NEGOTIATED:1]")
    lines += [
        "Header always merge Vary Accept env=REDIRECT_PLANKG_NEGOTIATED",
        "Header always merge Vary Accept env=PLANKG_NEGOTIATED",
    ]
    return "\n".join(lines) + "\n"
