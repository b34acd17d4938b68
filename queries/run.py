"""Running named queries and ad-hoc SPARQL against a store, with plain-value results."""

from __future__ import annotations

import re
from decimal import Decimal

from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, QuerySolutions, QueryTriples

from plankg.graph_store.base import GraphStore
from plankg.graph_store.sparql_text import group_concat_columns, sort_group_concat
from plankg.iris import Iris
from plankg.vocab import XSD

from .catalogue import bind, get_query

NUMERIC = {XSD.term(t).value for t in ("integer", "decimal", "double", "float", "int", "long")}


#: the lexical forms of xsd numbers that are finite (XSD 1.1 decimal, integer and double without INF/NaN)
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def plain(term):
    """An RDF term as a plain Python value: IRIs and strings as str, numbers as int/Decimal, None when unbound."""
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        dt = term.datatype.value
        if dt in NUMERIC:
            if not _NUMBER.fullmatch(term.value):  # ill-typed ("abc"^^xsd:integer, "sNaN"^^xsd:double) or INF/NaN,
                return term.value                  # which JSON has no number for: the text as it stands
            v = Decimal(term.value)
            return int(v) if v == v.to_integral_value() and "." not in term.value and "e" not in term.value.lower() else v
        if dt == XSD.boolean.value:
            return term.value in ("true", "1")
        return term.value
    return str(term)


def result_rows(result) -> tuple[list[str], list[dict]]:
    if isinstance(result, QuerySolutions):
        columns = [v.value for v in result.variables]
        return columns, [{c: plain(sol[c]) for c in columns} for sol in result]
    if isinstance(result, QueryBoolean):
        return ["result"], [{"result": bool(result)}]
    if isinstance(result, QueryTriples):
        return ["subject", "predicate", "object"], [
            {"subject": plain(t.subject), "predicate": plain(t.predicate), "object": plain(t.object)} for t in result
        ]
    raise TypeError(type(result))


def run_named(store: GraphStore, name: str, params: dict[str, str] | None = None, iris: Iris | None = None,
              *, use_index: bool = True):
    """Run a named query; returns (columns, rows).

    label-search is answered from the store's text index where it has one (the embedded backends:
    graph_store/text_index.py), with the rows of its SPARQL scan; ``use_index=False`` runs the scan.
    """
    query = get_query(name)
    bindings = bind(query, params or {}, iris or Iris())
    if name == "label-search" and use_index:
        from plankg.graph_store.text_index import index_of

        index = index_of(store)
        if index is not None:
            return ["node", "label", "lang", "document"], index.label_search(
                bindings["text"].value, bindings["language"].value)
    columns, rows = result_rows(store.query(query.sparql, bindings, inline=query.binding == "inline"))
    # parameters are projected only so that they can be bound (SEP-0007); they are not answers
    hidden = {p.name for p in query.params} - {c for c, _ in query.columns}
    columns = [c for c in columns if c not in hidden]
    # SPARQL leaves the order inside a GROUP_CONCAT to the engine (and to its join order): sort it, so that
    # every backend and every plan gives the same answer
    concat = {c: sep for c, sep in group_concat_columns(query.sparql).items() if c in columns}
    return columns, [{c: sort_group_concat(r[c], concat[c]) if c in concat else r[c] for c in columns} for r in rows]
