"""Where a remote store is and how to speak to it: the store spec of :mod:`plankg.graph_store.sparql_store`.

Store spec
==========

``open_store`` takes a URL (``http://``, ``https://``, or the same with ``sparql+`` in front) or the path of a
``.toml`` file.  The URL is the **query endpoint**; options go in its query string::

    http://127.0.0.1:7878/query                                   # Oxigraph: update /update, GSP /store
    http://127.0.0.1:7878/query?union=server                      # … started with --union-default-graph
    http://127.0.0.1:8890/sparql?graphs=https://w3id.org/plankg/graph/   # Virtuoso: update /sparql, GSP /sparql-graph-crud
    sparql+https://example.org/ds/query?update=/ds/update&gsp=/ds/data   # Fuseki
    store.toml

Options (URL query keys, or keys of a ``[store]`` table in the TOML file, where ``query`` gives the endpoint):

``update``
    the SPARQL Update endpoint: an absolute URL, or a path on the query endpoint's server.  Default: the
    query URL with its last segment ``query`` replaced by ``update`` (Oxigraph, Fuseki), else the query URL.
``gsp``
    the Graph Store Protocol endpoint (``?graph=IRI`` is added to it).  Default: ``…/store`` next to a
    ``…/query`` endpoint (Oxigraph), ``/sparql-graph-crud`` for a ``/sparql`` endpoint (Virtuoso); otherwise it
    must be given for writes.
``union``
    how queries see the union of the named graphs as their default graph (what plankg's named queries
    expect; the embedded store does it with ``use_default_graph_as_union``):

    * ``dataset`` (default): each query request names the store's graphs in the protocol's
      ``default-graph-uri`` and ``named-graph-uri`` parameters (sent in a POST body), so the default graph
      is made of them on any SPARQL 1.1 server.  It costs one extra request (listing the graphs) per
      query, and a query that has its own ``FROM``/``FROM NAMED`` is sent as it is.  The protocol says
      "RDF merge"; measured on the bundled corpus, the Oxigraph server and Virtuoso 7.2.5 both answer with
      a bag (a triple stated in two graphs counts twice: ``COUNT(*)`` 10,577 where the merge has 10,459),
      as they do for several ``FROM`` graphs and for ``union=server`` — unlike the embedded store, which
      materialises the merge (:mod:`plankg.graph_store.oxigraph_store`).
    * ``server``: the server already treats its default graph as the union of all graphs — Oxigraph
      started with ``oxigraph serve --union-default-graph``, Virtuoso (always: its default graph is every
      graph it holds, *including its own system graphs*, so prefer ``dataset`` there), Fuseki/TDB2 with
      ``tdb2:unionDefaultGraph true``, GraphDB (its default graph is the union).  Nothing is added.
``graphs``
    an IRI prefix: only graphs whose IRI starts with it belong to the store (listing, export, ``reset``
    and the ``dataset`` union).  **Required on a server that holds other graphs** — Virtuoso always does
    (``virtrdf#``, ``owl#``, DAV …): a reset would otherwise drop them, so on Virtuoso the backend refuses
    to write without it.  plankg's graphs are ``{base}graph/…`` (``https://w3id.org/plankg/graph/``).
``swap``
    how a write is swapped in ("Atomic writes" in :mod:`.sparql_store`): ``move``, ``single``, ``insert``,
    ``put`` or ``auto`` (default: ``single`` when the server says it is Virtuoso, ``move`` otherwise).
``bind``
    ``values`` (default) or ``substitute`` ("Queries and bindings" in :mod:`.sparql_store`).
``timeout``
    seconds per request (default 600).
``parallel``
    how many GSP uploads run at once (default 4; 1 on Virtuoso, which answers concurrent PUTs with
    "HTTP 500 SPARQL Graph Protocol request failed" — lock escalation between its writers).
``auth``
    ``basic`` or ``digest``, with the user and password from the URL (``http://user:pw@host/…``) or the TOML
    keys ``user`` and ``password`` (e.g. Virtuoso's ``/sparql-auth`` and ``/sparql-graph-crud-auth`` want digest).

Example ``store.toml``::

    [store]
    query = "http://127.0.0.1:8890/sparql"
    update = "/sparql"
    gsp = "/sparql-graph-crud"
    union = "dataset"
    graphs = "https://w3id.org/plankg/graph/"
    timeout = 600
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from plankg.errors import StoreError

OPTIONS = ("update", "gsp", "union", "graphs", "swap", "bind", "timeout", "parallel", "auth")
#: the ways a write is swapped in (``auto`` picks one): :data:`plankg.graph_store.sparql_store.SWAP` does each
SWAPS = ("move", "single", "insert", "put")


@dataclass
class SparqlConfig:
    query: str
    update: str
    gsp: str | None
    union: str = "dataset"
    graphs: str | None = None
    swap: str = "auto"
    bind: str = "values"
    timeout: float = 600.0
    parallel: int = 0  # 0: auto (4; 1 on Virtuoso)
    auth: tuple[str, str, str] | None = None  # (kind, user, password)
    extra: dict = field(default_factory=dict)


def is_sparql_spec(spec: str) -> bool:
    s = spec.lower()
    return s.startswith(("http://", "https://", "sparql+http://", "sparql+https://")) or (
        s.endswith(".toml") and Path(spec).is_file())


def _resolve(base: str, ref: str) -> str:
    """An endpoint given as an absolute URL or as a path on the base URL's server."""
    if re.match(r"^https?://", ref):
        return ref
    parts = urlsplit(base)
    if not ref.startswith("/"):
        raise StoreError(f"store spec: endpoint {ref!r} is neither an http(s) URL nor a path starting with /")
    path, _, query = ref.partition("?")
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def parse_spec(spec: str) -> SparqlConfig:
    """Read a store spec (a URL with options, or a TOML file) into a :class:`SparqlConfig`."""
    options: dict[str, str] = {}
    user = password = None
    if spec.lower().endswith(".toml") and not re.match(r"^(sparql\+)?https?://", spec, re.I):
        try:
            data = tomllib.loads(Path(spec).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise StoreError(f"cannot read the store file {spec}: {exc}") from None
        table = data.get("store", data)
        if "query" not in table:
            raise StoreError(f"{spec}: no 'query' endpoint", "add query = \"http://host:port/…\" under [store]")
        url = str(table["query"])
        for k, v in table.items():
            if k in ("query", "user", "password"):
                continue
            if k not in OPTIONS:
                raise StoreError(f"{spec}: unknown key {k!r}", f"known keys: query, {', '.join(OPTIONS)}, user, password")
            options[k] = str(v)
        user, password = table.get("user"), table.get("password")
    else:
        url = spec[len("sparql+"):] if spec.lower().startswith("sparql+") else spec
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as exc:  # 'http://[::1': an IPv6 host never closed, a bad port
        raise StoreError(f"store spec {spec!r} is not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"store spec {spec!r} is not an http(s) URL")
    for k, v in parse_qsl(parts.query, keep_blank_values=True):
        if k not in OPTIONS:
            raise StoreError(f"store spec: unknown option {k!r}", f"known options: {', '.join(OPTIONS)}")
        options[k] = v
    if parts.username:
        user, password = parts.username, parts.password or ""
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    if ":" in parts.hostname:  # an IPv6 literal
        netloc = f"[{parts.hostname}]" + (f":{parts.port}" if parts.port else "")
    query = urlunsplit((parts.scheme, netloc, parts.path or "/", "", ""))

    path = parts.path.rstrip("/")
    if "update" in options:
        update = _resolve(query, options["update"])
    elif path.endswith("/query"):
        update = query[: -len("query")] + "update" if query.endswith("query") else query
    else:
        update = query
    if "gsp" in options:
        gsp = _resolve(query, options["gsp"])
    elif path.endswith("/query"):
        gsp = query[: -len("query")] + "store"
    elif path.endswith("/sparql"):
        gsp = _resolve(query, "/sparql-graph-crud")
    else:
        gsp = None
    cfg = SparqlConfig(query=query, update=update, gsp=gsp)
    if "union" in options:
        if options["union"] not in ("dataset", "server"):
            raise StoreError(f"store spec: union={options['union']!r}", "use union=dataset or union=server")
        cfg.union = options["union"]
    if options.get("graphs"):
        cfg.graphs = options["graphs"]
    if "swap" in options:
        if options["swap"] not in ("auto", *SWAPS):
            raise StoreError(f"store spec: swap={options['swap']!r}", f"use swap={', '.join(('auto', *SWAPS[:-1]))} or {SWAPS[-1]}")
        cfg.swap = options["swap"]
    if "bind" in options:
        if options["bind"] not in ("values", "substitute"):
            raise StoreError(f"store spec: bind={options['bind']!r}", "use bind=values or bind=substitute")
        cfg.bind = options["bind"]
    try:
        if "timeout" in options:
            cfg.timeout = float(options["timeout"])
        if "parallel" in options:
            cfg.parallel = max(1, int(options["parallel"]))
    except ValueError:
        raise StoreError("store spec: timeout and parallel must be numbers") from None
    if user is not None:
        kind = options.get("auth", "basic")
        if kind not in ("basic", "digest"):
            raise StoreError(f"store spec: auth={kind!r}", "use auth=basic or auth=digest")
        cfg.auth = (kind, str(user), str(password or ""))
    elif "auth" in options:
        raise StoreError("store spec: auth= needs a user", "give http://user:password@host/… or user/password in the TOML file")
    return cfg
