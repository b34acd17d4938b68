"""Serialisation of a set of quads into the export formats."""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import DefaultGraph, Quad, RdfFormat, Store, serialize

from plankg.errors import UsageError
from plankg.vocab import PREFIXES

#: the export formats and their names
EXPORT_FORMATS = {"nquads": "N-Quads", "trig": "TriG", "turtle": "Turtle", "jsonld": "JSON-LD"}
FORMATS = {"nquads": RdfFormat.N_QUADS, "trig": RdfFormat.TRIG, "turtle": RdfFormat.TURTLE, "jsonld": RdfFormat.JSON_LD}


def serialise(quads: Iterable[Quad], fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}", f"use one of {', '.join(EXPORT_FORMATS)}")
    if fmt == "nquads":
        lines = serialize(quads, format=RdfFormat.N_QUADS).decode("utf-8").splitlines()
        return ("\n".join(sorted(lines)) + "\n").encode("utf-8") if lines else b""
    mem = Store()
    if fmt == "turtle":  # Turtle has no graphs: the union of all graphs
        mem.extend(Quad(q.subject, q.predicate, q.object, DefaultGraph()) for q in quads)
        return mem.dump(format=RdfFormat.TURTLE, from_graph=DefaultGraph(), prefixes=PREFIXES)
    mem.extend(quads)
    if fmt == "trig":
        return mem.dump(format=RdfFormat.TRIG, prefixes=PREFIXES)
    return mem.dump(format=RdfFormat.JSON_LD)
