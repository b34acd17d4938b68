"""A remote store, spoken to only through standard protocols.

Reads use the SPARQL 1.1 Protocol (query), writes the SPARQL 1.1 Graph Store HTTP Protocol (GSP, to load a
graph) and SPARQL 1.1 Update (to swap graphs in).  Tested against the Oxigraph server and Virtuoso Open
Source 7; see "Other servers" below.

The store spec (the URL or TOML file that ``open_store`` takes, and its options) is described in
:mod:`plankg.graph_store.sparql_spec`.

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

Differences between servers in their answers are normalised (:mod:`plankg.graph_store.sparql_results`).
Blank node labels are the server's: :meth:`SparqlStore.quads` relabels each graph's blank nodes canonically
(RDFC-1.0, prefixed per graph), so equal stores export equal bytes; exports equal the embedded store's up to
blank node labels.

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
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed

import httpx
from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    Triple,
    parse,
    serialize,
)

from plankg.errors import SparqlError, StoreError

from .base import GraphStore, Reopen
from .sparql_results import malformed, normal_term, parse_results_json, rdf_format, triples_result
from .sparql_spec import is_sparql_spec, parse_spec
from .sparql_text import bind_values, group_concat_columns, has_dataset_clause, query_form, sort_group_concat  # noqa: F401

TMP_PREFIX = "urn:x-plankg:tmp:"
RESULTS_JSON = "application/sparql-results+json"
RDF_ACCEPT = "application/n-triples, text/turtle;q=0.9"


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
            return triples_result(resp.content, ct)
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
            return list(parse(resp.content, format=rdf_format(resp.headers.get("content-type", ""))))
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
        SWAP[mode](self, graphs, drop, reset, self._all_graphs())

    def _replace_by_move(self, graphs, drop, reset, present) -> None:
        """``swap=move``: uploads into temporary graphs, then one request of ``DROP`` and ``MOVE``."""
        self._replace_through_temporary(graphs, drop, reset, present, _move_text)

    def _replace_by_single(self, graphs, drop, reset, present) -> None:
        """``swap=single``: uploads into temporary graphs, then one ``DELETE … INSERT … WHERE`` operation."""
        self._replace_through_temporary(graphs, drop, reset, present, _single_text)

    def _replace_through_temporary(self, graphs, drop, reset, present,
                                   swap_text: Callable[[list[tuple[str, str]], list[str]], str]) -> None:
        """PUT each new graph into a temporary graph, then swap them all in with the one request ``swap_text``
        writes (from the (temporary graph, graph) pairs and the graphs to drop)."""
        stale = [g for g in present if g.startswith(TMP_PREFIX)]
        write_id = uuid.uuid4().hex
        loads = {g: list(q) for g, q in graphs.items()}
        moves = [(f"{TMP_PREFIX}{write_id}:{i}", g) for i, (g, q) in enumerate(loads.items()) if q]
        drops = {g for g in drop} | {g for g, q in loads.items() if not q}
        if reset:
            drops |= {g for g in present if self._in_scope(g)}
        drops -= {g for _, g in moves}  # replaced by the swap itself
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
        text = swap_text(moves, drops)
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


def _move_text(moves: list[tuple[str, str]], drops: list[str]) -> str:
    ops = [f"DROP SILENT GRAPH {NamedNode(g)}" for g in drops]
    ops += [f"MOVE {NamedNode(tmp)} TO {NamedNode(g)}" for tmp, g in moves]
    return " ;\n".join(ops)


def _single_text(moves: list[tuple[str, str]], drops: list[str]) -> str:
    rows = [f"({NamedNode(g)} UNDEF)" for g in sorted(set(drops) | {g for _, g in moves})]
    rows += [f"({NamedNode(tmp)} {NamedNode(g)})" for tmp, g in moves]
    return ("DELETE { GRAPH ?g { ?s ?p ?o } }\nINSERT { GRAPH ?to { ?s ?p ?o } }\nWHERE {\n  VALUES (?g ?to) {\n    "
            + "\n    ".join(rows) + "\n  }\n  GRAPH ?g { ?s ?p ?o }\n}")


#: ``swap=`` → how :meth:`SparqlStore.replace_graphs` writes a change (the module doc, "Atomic writes")
SWAP: dict[str, Callable[..., None]] = {
    "move": SparqlStore._replace_by_move,
    "single": SparqlStore._replace_by_single,
    "insert": SparqlStore._replace_by_insert,
    "put": SparqlStore._replace_by_put,
}
