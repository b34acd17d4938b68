"""A remote store, spoken to only through standard protocols.

Reads use the SPARQL 1.1 Protocol (query), writes the SPARQL 1.1 Graph Store HTTP Protocol (GSP, to load a
graph) and SPARQL 1.1 Update (to swap graphs in).  Tested against the Oxigraph server and Virtuoso Open
Source 7; see "Other servers" below.

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
    how a write is swapped in (see below): ``move``, ``single``, ``insert``, ``put`` or ``auto`` (default:
    ``single`` when the server says it is Virtuoso, ``move`` otherwise).
``bind``
    ``values`` (default) or ``substitute`` (see "Queries and bindings").
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

Atomic writes
=============

:meth:`SparqlStore.replace_graphs` first uploads each new graph with a GSP ``PUT`` into a **temporary graph**
(``urn:x-plankg:tmp:<write id>:<n>``, outside the store's graphs, so a ``dataset`` union never sees it), then
swaps everything in with **one** SPARQL Update request:

* ``swap=move``: ``DROP SILENT GRAPH <old> ; … MOVE <tmp-n> TO <g-n> ; …`` — one request, which Oxigraph
  (and Fuseki/TDB2, RDF4J/GraphDB) run as one transaction; ``MOVE`` is not ``SILENT``, so a temporary graph
  that went missing fails the whole request instead of emptying a graph.
* ``swap=single``: the same change as **one** ``DELETE … INSERT … WHERE`` operation (the old graphs and the
  temporary graphs are deleted, the temporary graphs' triples inserted under their final names).  For
  servers that commit each operation of a request on its own: Virtuoso does (seen on 7.2.5: an error in the
  second operation of a request leaves the first one's change), but one operation is one SQL statement,
  atomic there.  The cost is that the server holds the whole change in one transaction.
* ``swap=insert`` (a documented equivalent, opt-in): no GSP and no temporary graphs — one SPARQL Update
  request of ``DROP SILENT GRAPH <g>`` and ``INSERT DATA { GRAPH <g> { … } }`` per graph.  Atomic on the same
  servers as ``move``; about 2.5x faster on the Oxigraph server (its ``MOVE`` copies every triple), but the
  whole change travels in one request body (about 140 bytes per triple).
* ``swap=put`` (opt-in, the fastest): a GSP ``PUT`` straight into each graph, then one request dropping the
  graphs that go.  Atomic **per graph** — per document, which is what a GSP ``PUT`` is on every server — not
  per build: a failure part way leaves some documents new and the rest old (each one whole), and says so.

A failure before the swap (a refused upload, an unreachable server) drops the temporary graphs (as far as
the server can still be reached) and raises :class:`StoreError` "nothing was changed".  A server lost
*during* the swap request raises a :class:`StoreError` saying so: the swap is one transaction, so every graph
is either all old or all new.  Temporary graphs left by a crashed writer are dropped by the next write.  As
with the embedded store, run one writer at a time (the standard protocols offer no lock).  With
``union=server``, readers *during* a write see the temporary graphs too (the triples of the documents being
replaced, twice); with ``union=dataset`` they never do.

Queries and bindings
====================

The SPARQL Protocol has no parameter binding, so :meth:`SparqlStore.query` binds values with a ``VALUES``
block placed right after the query's first ``WHERE {`` (so that the values are in scope everywhere in the
pattern, ``FILTER NOT EXISTS`` included, as pyoxigraph's substitution does); each value is serialised as an
RDF term (``NamedNode``/``Literal`` ``str()``, which escapes it), never pasted as a raw string.  With
``bind=substitute`` the terms are also written in place of their variables inside the ``WHERE`` group (as
pyoxigraph's substitution does), for servers that mishandle a path whose start is bound by ``VALUES``.  Results come
back as SPARQL JSON (``SELECT``, ``ASK``) or N-Triples (``CONSTRUCT``, ``DESCRIBE``) and are returned as
pyoxigraph ``QuerySolutions``/``QueryBoolean``/``QueryTriples`` like the embedded store's.

Differences normalised here: Virtuoso answers ``xsd:boolean`` values as ``"1"``/``"0"`` (made
``"true"``/``"false"``), blank nodes as ``nodeID://…`` (made valid blank node ids) and JSON
``typed-literal``.  Both servers store ``xsd:decimal`` and ``xsd:integer`` by value, as pyoxigraph does, so
``"6.30"`` comes back ``"6.3"`` everywhere.  Blank node labels are the server's: :meth:`SparqlStore.quads`
relabels each graph's blank nodes canonically (RDFC-1.0, prefixed per graph), so equal stores export equal
bytes; exports equal the embedded store's up to blank node labels.

Known server bugs
=================

Virtuoso 7.2.5 (Debian bookworm's package) evaluates some query shapes wrongly; the named queries avoid them,
so all fourteen give the same answers on every backend (tests/test_backends.py), with ``bind=substitute``:

* a ``*`` path whose start is bound by ``VALUES`` — the binding is ignored (hence ``bind=substitute``);
* a nested transitive path such as ``(dcterms:isPartOf*/pk:supports)+`` — no rows, or a crash of the server
  with ``(pk:supports|pk:within/pk:supports)+``; ``dcterms:isPartOf*`` with a bound end — rows lost;
* an outer variable inside ``EXISTS`` inside an ``OPTIONAL``'s filter — the filter is lost;
* ``OPTIONAL`` or ``BIND(… EXISTS …)`` inside a grouped subquery — HTTP 500, SQ156 "Internal Optimized
  compiler error";
* a subquery column that ``bind=substitute`` replaces by a term — no rows (the substitution therefore writes
  ``(term AS ?v)`` in a subquery's projection).

Other servers
=============

Any server with SPARQL 1.1 Query, Update and the Graph Store Protocol should work with the right
endpoints: Apache Jena Fuseki (``/ds/query``, ``/ds/update``, ``/ds/data``), GraphDB and RDF4J
(``/repositories/ID``, ``/repositories/ID/statements``, ``/repositories/ID/rdf-graphs/service``),
Stardog, Blazegraph (GSP incomplete), Amazon Neptune (GSP only in recent engine versions).  QLever speaks
Query and (recently) Update but no GSP.  Only Oxigraph and Virtuoso are tested.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
import uuid
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import httpx
from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryResultsFormat,
    RdfFormat,
    Store,
    Triple,
    parse,
    parse_query_results,
    serialize,
)

from plankg.errors import SparqlError, StoreError

from .base import GraphStore, Reopen
from .sparql_text import bind_values, group_concat_columns, has_dataset_clause, query_form, sort_group_concat  # noqa: F401

TMP_PREFIX = "urn:x-plankg:tmp:"
OPTIONS = ("update", "gsp", "union", "graphs", "swap", "bind", "timeout", "parallel", "auth")
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
RESULTS_JSON = "application/sparql-results+json"
RDF_ACCEPT = "application/n-triples, text/turtle;q=0.9"
BNODE_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


# -- the spec ------------------------------------------------------------------------------------

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
        if options["swap"] not in ("auto", "move", "single", "insert", "put"):
            raise StoreError(f"store spec: swap={options['swap']!r}", "use swap=auto, move, single, insert or put")
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


# -- results -------------------------------------------------------------------------------------

def _bnode_id(value: str) -> str:
    if value.startswith("_:"):
        value = value[2:]
    if BNODE_ID.match(value):
        return value
    return "x" + re.sub(r"[^A-Za-z0-9_]", "_", value)


def _normal_json_term(t: dict) -> dict:
    kind = t.get("type")
    if kind == "typed-literal":
        t = {**t, "type": "literal"}
    if kind == "bnode":
        t = {**t, "value": _bnode_id(str(t["value"]))}
    if t.get("datatype") == XSD_BOOLEAN and t.get("value") in ("1", "0", 1, 0):
        t = {**t, "value": "true" if str(t["value"]) == "1" else "false"}
    if "value" in t and not isinstance(t["value"], str):
        t = {**t, "value": str(t["value"])}
    return t


def normal_term(term):
    """Booleans as ``true``/``false`` (Virtuoso says ``1``/``0``)."""
    if isinstance(term, Literal) and term.datatype.value == XSD_BOOLEAN and term.value in ("1", "0"):
        return Literal("true" if term.value == "1" else "false", datatype=term.datatype)
    return term


def parse_results_json(body: bytes, concat: Mapping[str, str] | None = None):
    """SPARQL JSON results as pyoxigraph ``QuerySolutions``/``QueryBoolean``, normalised (see the module doc);
    ``concat``: the GROUP_CONCAT columns (variable → separator), whose items are sorted and whose empty value is unbound."""
    data = json.loads(body)
    if "boolean" in data:
        return parse_query_results(json.dumps({"head": {}, "boolean": bool(data["boolean"])}), QueryResultsFormat.JSON)
    rows = [{k: _normal_json_term(v) for k, v in b.items()} for b in data.get("results", {}).get("bindings", [])]
    for var, sep in (concat or {}).items():
        for r in rows:
            if var in r and r[var].get("type") == "literal" and "xml:lang" not in r[var]:
                value = sort_group_concat(r[var]["value"], sep)
                if value is None:
                    del r[var]
                else:
                    r[var] = {**r[var], "value": value}
    clean = json.dumps({"head": {"vars": data.get("head", {}).get("vars", [])}, "results": {"bindings": rows}})
    for _ in parse_query_results(clean, QueryResultsFormat.JSON):  # every term read once now: a malformed one
        pass                                                        # raises here, not in the caller's loop
    return parse_query_results(clean, QueryResultsFormat.JSON)


def _rdf_format(content_type: str) -> RdfFormat:
    ct = content_type.split(";")[0].strip().lower()
    return {"application/n-triples": RdfFormat.N_TRIPLES, "text/plain": RdfFormat.N_TRIPLES,
            "application/rdf+xml": RdfFormat.RDF_XML}.get(ct, RdfFormat.TURTLE)


def _triples_result(body: bytes, content_type: str):
    """CONSTRUCT/DESCRIBE answers as pyoxigraph ``QueryTriples`` (via an in-memory store)."""
    mem = Store()
    mem.extend(Quad(normal_term(t.subject), t.predicate, normal_term(t.object), DefaultGraph())
               for t in parse(body, format=_rdf_format(content_type)))
    return mem.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


def malformed(url: str, what: str, exc: BaseException) -> StoreError:
    """A server's answer that does not parse: one line, with the parser's first line (never the whole answer)."""
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
    return StoreError(f"the SPARQL server at {url} answered with malformed {what}: {first}",
                      "is the URL the server's SPARQL query endpoint?")


# -- the store -----------------------------------------------------------------------------------

def _first_line(text: str, limit: int = 300) -> str:
    text = re.sub(r"<[^>]+>", " ", text)  # servers answer errors in HTML too
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line[:limit]


class SparqlStore(GraphStore):
    """A SPARQL 1.1 server (Query, Update, Graph Store Protocol) as a plankg store."""

    backend = "sparql"
    spec_forms = "an http(s) SPARQL endpoint URL or a store .toml file"

    def __init__(self, spec: str, *, read_only: bool = False):
        self.spec = spec
        self.config = parse_spec(spec)
        self.read_only = read_only
        self._client: httpx.Client | None = None
        self._server: str | None = None

    @classmethod
    def accepts(cls, spec: str) -> bool:
        return is_sparql_spec(spec)

    @classmethod
    def from_spec(cls, spec: str, *, read_only: bool = False) -> SparqlStore:
        return cls(spec, read_only=read_only)

    def reopen(self) -> Reopen:
        """A worker opens the same spec: the server holds the store (and runs the queries)."""
        return Reopen(self.backend, self.spec, remote=True)

    # -- HTTP ----------------------------------------------------------------------------------
    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            auth = None
            if self.config.auth:
                kind, user, password = self.config.auth
                auth = httpx.DigestAuth(user, password) if kind == "digest" else httpx.BasicAuth(user, password)
            self._client = httpx.Client(timeout=httpx.Timeout(self.config.timeout, connect=10.0), auth=auth,
                                        limits=httpx.Limits(max_connections=8))
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __repr__(self) -> str:
        return f"SparqlStore({self.config.query!r})"

    def _request(self, method: str, url: str, *, what: str, **kw) -> httpx.Response:
        try:
            resp = self.client.request(method, url, **kw)
        except httpx.TimeoutException as exc:
            raise StoreError(f"the SPARQL server at {url} did not answer {what} within {self.config.timeout:.0f} s ({type(exc).__name__})",
                             "raise timeout= in the store spec, or check the server") from None
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach the SPARQL server at {url} ({what}): {exc or type(exc).__name__}",
                             "is the server running, and is the store spec right?") from None
        if self._server is None:
            self._server = resp.headers.get("server", "")
        return resp

    def _fail(self, resp: httpx.Response, what: str, cls=StoreError):
        hint = None
        if resp.status_code in (401, 403):
            hint = "the server wants a login or refuses this user: give auth=, user and password (see the spec docs)"
        raise cls(f"the SPARQL server refused {what}: HTTP {resp.status_code} {_first_line(resp.text)}", hint)

    @property
    def is_virtuoso(self) -> bool:
        if self._server is None:
            self._request("GET", self.config.query, what="a probe", params={"query": "ASK {}"}, headers={"accept": RESULTS_JSON})
        return (self._server or "").lower().startswith("virtuoso")

    def _select(self, sparql: str, dataset: tuple[list[str], list[str]] | None = None, concat: Mapping[str, str] | None = None):
        data: dict[str, object] = {"query": sparql}
        if dataset is not None:
            data["default-graph-uri"], data["named-graph-uri"] = list(dataset[0]), list(dataset[1])
        form = query_form(sparql)
        accept = RESULTS_JSON if form in ("SELECT", "ASK") else RDF_ACCEPT
        resp = self._request("POST", self.config.query, what="a query", data=data, headers={"accept": accept})
        if resp.status_code >= 400:
            refused = resp.status_code < 500 and resp.status_code not in (401, 403, 404)
            if refused or re.search(r"SPARQL compiler|syntax|parse|SP0\d\d", resp.text[:1000], re.I):
                raise SparqlError(f"invalid SPARQL (the server says): {_first_line(resp.text)}")
            self._fail(resp, "the query")
        ct = resp.headers.get("content-type", "")
        if form in ("SELECT", "ASK"):
            if "json" not in ct:
                raise StoreError(f"the SPARQL server answered a query with {ct!r}, not SPARQL JSON results")
            try:
                return parse_results_json(resp.content, concat)
            except (ValueError, TypeError, KeyError, AttributeError, SyntaxError) as exc:  # JSONDecodeError is a ValueError
                raise malformed(self.config.query, "SPARQL JSON results", exc) from None
        try:
            return _triples_result(resp.content, ct)
        except (ValueError, SyntaxError) as exc:
            raise malformed(self.config.query, "RDF", exc) from None

    def _update(self, sparql: str, what: str) -> None:
        resp = self._request("POST", self.config.update, what=what, data={"update": sparql})
        if resp.status_code >= 400:
            self._fail(resp, what)

    # -- reading -------------------------------------------------------------------------------
    def _in_scope(self, g: str) -> bool:
        return not g.startswith(TMP_PREFIX) and (self.config.graphs is None or g.startswith(self.config.graphs))

    def _all_graphs(self) -> list[str]:
        """Every named graph on the server (its own system graphs and temporary graphs included)."""
        rows = list(self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"))
        if any(r["g"] is None for r in rows):  # Virtuoso answers an empty group with one empty row
            rows = list(self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))
        return sorted(r["g"].value for r in rows if isinstance(r["g"], NamedNode))

    def graph_names(self) -> list[str]:
        return [g for g in self._all_graphs() if self._in_scope(g)]

    def query(self, sparql: str, bindings: Mapping[str, object] | None = None, *, inline: bool = False,
              dataset: tuple[list[str], list[str]] | None = None, base_iri: str | None = None):
        """``dataset``: (default graph IRIs, named graph IRIs), sent as the protocol's parameters; ``base_iri``
        is written as a BASE in front of the query."""
        substitute = inline or self.config.bind == "substitute"
        text = bind_values(sparql, bindings, substitute=substitute)
        if base_iri:
            text = f"BASE {NamedNode(base_iri)}\n{text}"
        if dataset is not None:
            # an empty list would mean "the server's default": a graph that cannot exist stands for "none"
            chosen = tuple(list(d) or [TMP_PREFIX + "none"] for d in dataset)
            return self._select(text, chosen, group_concat_columns(text))
        if self.config.union == "dataset" and not has_dataset_clause(text):
            graphs = self.graph_names()
            if not graphs:  # an empty dataset list would mean "the server's default", not "nothing"
                graphs = [TMP_PREFIX + "none"]
            dataset = (graphs, graphs)
        return self._select(text, dataset, group_concat_columns(text))

    def _graph_triples(self, g: str) -> list[Triple]:
        if self.config.gsp is None:
            rows = self._select(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {NamedNode(g)} {{ ?s ?p ?o }} }}")
            return list(rows)
        resp = self._request("GET", self.config.gsp, what=f"a GSP GET of {g}", params={"graph": g}, headers={"accept": RDF_ACCEPT})
        if resp.status_code == 404:
            return []
        if resp.status_code >= 400:
            self._fail(resp, f"a GSP GET of {g}")
        try:
            return list(parse(resp.content, format=_rdf_format(resp.headers.get("content-type", ""))))
        except (ValueError, SyntaxError) as exc:
            raise malformed(self.config.gsp, "RDF", exc) from None

    def quads(self) -> Iterable[Quad]:
        """Every quad of the store's graphs, fetched graph by graph (GSP GET); blank nodes relabelled canonically per graph."""
        for g in self.graph_names():
            gn = NamedNode(g)
            triples = [Triple(normal_term(t.subject), t.predicate, normal_term(t.object)) for t in self._graph_triples(g)]
            if any(isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode) for t in triples):
                ds = Dataset(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples)
                ds.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
                tag = hashlib.sha1(g.encode()).hexdigest()[:8]

                def relabel(term):
                    return BlankNode(f"g{tag}{term.value}") if isinstance(term, BlankNode) else term

                yield from (Quad(relabel(q.subject), q.predicate, relabel(q.object), gn) for q in ds)
            else:
                yield from (Quad(t.subject, t.predicate, t.object, gn) for t in triples)

    def count(self) -> int:
        scope = ""
        if self.config.graphs:
            scope = f"FILTER(STRSTARTS(STR(?g), {Literal(self.config.graphs)}))"
        scope += f" FILTER(!STRSTARTS(STR(?g), {Literal(TMP_PREFIX)}))"
        rows = list(self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {scope} }}"))
        return int(rows[0]["n"].value) if rows else 0

    # -- writing -------------------------------------------------------------------------------
    def _put(self, tmp: str, quads: list[Quad]) -> None:
        if self.config.gsp is None:
            raise StoreError(f"no Graph Store Protocol endpoint for {self.config.query}", "give gsp=/path in the store spec")

        # one body with a Content-Length: Virtuoso reads a chunked request body as empty
        body = serialize((q.triple for q in quads), format=RdfFormat.N_TRIPLES)
        resp = self._request("PUT", self.config.gsp, what=f"a GSP PUT of {tmp}", params={"graph": tmp}, content=body,
                             headers={"content-type": "application/n-triples"})
        if resp.status_code >= 400:
            self._fail(resp, f"loading a graph over GSP (PUT {tmp})")

    def _upload(self, moves: list[tuple[str, str]], loads: Mapping[str, list[Quad]], loaded: list[str]) -> None:
        """PUT each new graph into its temporary graph, ``parallel`` at a time; the first failure cancels the rest."""
        parallel = self.config.parallel or (1 if self.is_virtuoso else 4)
        if parallel == 1 or len(moves) == 1:
            for tmp, g in moves:
                loaded.append(tmp)
                self._put(tmp, loads[g])
            return
        pool = ThreadPoolExecutor(max_workers=parallel)
        try:
            futures = []
            for tmp, g in moves:
                loaded.append(tmp)
                futures.append(pool.submit(self._put, tmp, loads[g]))
            for f in as_completed(futures):
                f.result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _swap_text(self, moves: list[tuple[str, str]], drops: list[str], mode: str) -> str:
        if mode == "move":
            ops = [f"DROP SILENT GRAPH {NamedNode(g)}" for g in drops]
            ops += [f"MOVE {NamedNode(tmp)} TO {NamedNode(g)}" for tmp, g in moves]
            return " ;\n".join(ops)
        rows = [f"({NamedNode(g)} UNDEF)" for g in sorted(set(drops) | {g for _, g in moves})]
        rows += [f"({NamedNode(tmp)} {NamedNode(g)})" for tmp, g in moves]
        return ("DELETE { GRAPH ?g { ?s ?p ?o } }\nINSERT { GRAPH ?to { ?s ?p ?o } }\nWHERE {\n  VALUES (?g ?to) {\n    "
                + "\n    ".join(rows) + "\n  }\n  GRAPH ?g { ?s ?p ?o }\n}")

    def replace_graphs(self, graphs: Mapping[str, Iterable[Quad]], *, drop: Iterable[str] = (), reset: bool = False,
                       shared: str | None = None, record=None) -> None:
        if self.read_only:
            raise StoreError("the store was opened read-only")
        if self.config.graphs is None and self.is_virtuoso:
            raise StoreError(f"{self.config.query} is a Virtuoso server, which keeps its own system graphs next to ours",
                             "give graphs=<IRI prefix of plankg's graphs> in the store spec, e.g. graphs=https://w3id.org/plankg/graph/")
        outside = [g for g in list(graphs) + list(drop) if not self._in_scope(g)]
        if outside:
            raise StoreError(f"graph {outside[0]} is outside the store's graphs ({self.config.graphs})", "fix graphs= in the store spec")
        mode = self.config.swap
        if mode == "auto":
            mode = "single" if self.is_virtuoso else "move"
        present = self._all_graphs()
        if mode == "insert":
            self._replace_by_insert(graphs, drop, reset, present)
            return
        if mode == "put":
            self._replace_by_put(graphs, drop, reset, present)
            return
        stale = [g for g in present if g.startswith(TMP_PREFIX)]
        write_id = uuid.uuid4().hex
        loads = {g: list(q) for g, q in graphs.items()}
        moves = [(f"{TMP_PREFIX}{write_id}:{i}", g) for i, (g, q) in enumerate(loads.items()) if q]
        drops = {g for g in drop} | {g for g, q in loads.items() if not q}
        if reset:
            drops |= {g for g in present if self._in_scope(g)}
        drops -= {g for _, g in moves} if mode == "move" else set()
        drops = sorted(drops | set(stale))
        loaded: list[str] = []
        try:
            self._upload(moves, loads, loaded)
        except BaseException as exc:
            self._drop_quietly(loaded)
            if isinstance(exc, StoreError):
                raise StoreError(f"writing to the SPARQL server failed, nothing was changed: {exc.message}", exc.hint) from None
            raise
        if not moves and not drops:
            return
        text = self._swap_text(moves, drops, mode)
        try:
            resp = self.client.post(self.config.update, data={"update": text})
        except httpx.HTTPError as exc:
            sent = not isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout))
            if sent:
                raise StoreError(f"the SPARQL server at {self.config.update} went away during the swap ({type(exc).__name__}): "
                                 "the swap is one transaction, so each graph is either all old or all new",
                                 "check the server, then run the build again") from None
            self._drop_quietly(loaded)
            raise StoreError(f"writing to the SPARQL server failed, nothing was changed: cannot reach {self.config.update}: {exc}",
                             "is the server running?") from None
        if resp.status_code >= 400:
            self._drop_quietly(loaded)
            raise StoreError(f"writing to the SPARQL server failed, nothing was changed: the swap was refused: "
                             f"HTTP {resp.status_code} {_first_line(resp.text)}")

    def _replace_by_put(self, graphs, drop, reset, present) -> None:
        """``swap=put``: a GSP PUT straight into each graph, then one update that drops the graphs that go — atomic
        per graph (per document), not per build: after a failure each graph is all old or all new."""
        loads = {g: list(q) for g, q in graphs.items()}
        drops = set(drop) | {g for g, q in loads.items() if not q} | {g for g in present if g.startswith(TMP_PREFIX)}
        if reset:
            drops |= {g for g in present if self._in_scope(g)}
        puts = [(g, g) for g, q in loads.items() if q]
        drops -= {g for g, _ in puts}
        try:
            self._upload(puts, loads, [])
            if drops:
                resp = self.client.post(self.config.update,
                                        data={"update": " ;\n".join(f"DROP SILENT GRAPH {NamedNode(g)}" for g in sorted(drops))})
                if resp.status_code >= 400:
                    self._fail(resp, "dropping the graphs that go")
        except httpx.HTTPError as exc:
            raise StoreError(f"writing to the SPARQL server failed part way ({type(exc).__name__}): with swap=put each graph "
                             "is all old or all new, but the build as a whole is not", "run the build again") from None
        except StoreError as exc:
            raise StoreError(f"writing to the SPARQL server failed part way: {exc.message} (with swap=put each graph is all "
                             "old or all new, but the build as a whole is not)", exc.hint or "run the build again") from None

    def _replace_by_insert(self, graphs, drop, reset, present) -> None:
        """``swap=insert``: one SPARQL Update request, ``DROP SILENT GRAPH`` and ``INSERT DATA`` per graph — no GSP,
        no temporary graphs; atomic where the server runs one request as one transaction."""
        drops = set(drop) | set(graphs) | {g for g in present if g.startswith(TMP_PREFIX)}
        if reset:
            drops |= {g for g in present if self._in_scope(g)}
        parts = [f"DROP SILENT GRAPH {NamedNode(g)}".encode() for g in sorted(drops)]
        for g, quads in graphs.items():
            quads = list(quads)
            if quads:
                parts.append(f"INSERT DATA {{ GRAPH {NamedNode(g)} {{\n".encode()
                             + serialize((q.triple for q in quads), format=RdfFormat.N_TRIPLES) + b"} }")
        if not parts:
            return
        try:
            resp = self.client.post(self.config.update, content=b" ;\n".join(parts),
                                    headers={"content-type": "application/sparql-update"})
        except httpx.HTTPError as exc:
            if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout)):
                raise StoreError(f"writing to the SPARQL server failed, nothing was changed: cannot reach {self.config.update}: {exc}",
                                 "is the server running?") from None
            raise StoreError(f"the SPARQL server at {self.config.update} went away during the update ({type(exc).__name__}): "
                             "it is one transaction, so each graph is either all old or all new",
                             "check the server, then run the build again") from None
        if resp.status_code >= 400:
            raise StoreError(f"writing to the SPARQL server failed, nothing was changed: the update was refused: "
                             f"HTTP {resp.status_code} {_first_line(resp.text)}")

    def _drop_quietly(self, graphs: list[str]) -> None:
        """Best effort: drop temporary graphs after a failure (the next write drops any left)."""
        if not graphs:
            return
        try:
            self.client.post(self.config.update, data={"update": " ;\n".join(f"DROP SILENT GRAPH {NamedNode(g)}" for g in graphs)},
                             timeout=30)
        except httpx.HTTPError:
            pass
