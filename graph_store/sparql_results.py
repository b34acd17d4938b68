"""A remote server's answers as pyoxigraph results, like the embedded store's (:mod:`plankg.graph_store.sparql_store`).

SPARQL JSON (``SELECT``, ``ASK``) becomes pyoxigraph ``QuerySolutions``/``QueryBoolean``, RDF (``CONSTRUCT``,
``DESCRIBE``) ``QueryTriples``.  Differences normalised here: Virtuoso answers ``xsd:boolean`` values as
``"1"``/``"0"`` (made ``"true"``/``"false"``), blank nodes as ``nodeID://…`` (made valid blank node ids) and
JSON ``typed-literal``.  Both servers store ``xsd:decimal`` and ``xsd:integer`` by value, as pyoxigraph does,
so ``"6.30"`` comes back ``"6.3"`` everywhere.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from pyoxigraph import DefaultGraph, Literal, Quad, QueryResultsFormat, RdfFormat, Store, parse, parse_query_results

from plankg.errors import StoreError

from .sparql_text import sort_group_concat

XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
BNODE_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


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


def rdf_format(content_type: str) -> RdfFormat:
    ct = content_type.split(";")[0].strip().lower()
    return {"application/n-triples": RdfFormat.N_TRIPLES, "text/plain": RdfFormat.N_TRIPLES,
            "application/rdf+xml": RdfFormat.RDF_XML}.get(ct, RdfFormat.TURTLE)


def triples_result(body: bytes, content_type: str):
    """CONSTRUCT/DESCRIBE answers as pyoxigraph ``QueryTriples`` (via an in-memory store)."""
    mem = Store()
    mem.extend(Quad(normal_term(t.subject), t.predicate, normal_term(t.object), DefaultGraph())
               for t in parse(body, format=rdf_format(content_type)))
    return mem.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


def malformed(url: str, what: str, exc: BaseException) -> StoreError:
    """A server's answer that does not parse: one line, with the parser's first line (never the whole answer)."""
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
    return StoreError(f"the SPARQL server at {url} answered with malformed {what}: {first}",
                      "is the URL the server's SPARQL query endpoint?")
