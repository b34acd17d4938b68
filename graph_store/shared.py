"""Each triple in exactly one named graph: what two or more graphs state is stated once, in the shared graph.

Why: SPARQL's default graph is the RDF merge of the named graphs (each distinct triple once), while
pyoxigraph's union of graphs is a bag over quads.  When no triple is in two graphs the two are the same,
so the store needs no second copy of every triple in its default graph (``benchmarks/robustness_bench.py``:
that copy made the build 1.58 times as long).  The bundled corpus states few triples twice — an indicator's
type and labels in each document that measures it, an organisation's type in each document it issued, the
title of a document another one cites — and those move to ``<base>graph/shared``.

A **record** (:class:`Statements`, ``shared.json`` in the store generation) keeps, for each shared triple,
the graphs that state it, so that a later write of one graph stays exact: a triple leaves the shared graph
(back into the one graph that still states it, or out of the store) when fewer than two graphs state it.

Two ways in, one rule:

* :func:`split` — a whole corpus before it is loaded.  A document's graph (:class:`Packed`, made by the
  worker that read it) says which of its triples it *owns* (their subject is the document's IRI or under
  it, or a blank node of its own) and which it states about others (*candidates*: an indicator, an
  organisation, another document).  Two graphs can state the same triple only if it is a candidate in at
  least one of them (a subject has at most one owner), so only candidates are compared — with the other
  graphs' candidates, and with the owner's own triples when the owner uses that predicate at all.
* :func:`place` — a write of a few graphs into a store that already holds the others: each new triple is
  looked up in the store (one indexed lookup per triple).
"""

from __future__ import annotations

import json
import os
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, parse

RECORD = "shared.json"


def key(q) -> str:
    """A triple's N-Triples text (without the final ``.``): the key the record and the split compare."""
    return f"{q.subject} {q.predicate} {q.object}"


def triple_of(k: str):
    return next(iter(parse(k + " .\n", format=RdfFormat.N_TRIPLES)))


class Packed:
    """One document's graph as the worker that read it hands it over (pickles small):

    ``packed`` — its owned quads as compressed N-Quads (Python quad objects for a 5 M triple build took
    4.3 GB, their N-Quads 0.8 GB, compressed 53 MB; ``benchmarks/scale_bench.py``); ``candidates`` — the
    keys of its other triples; ``owner`` — the IRI its owned subjects are, or start with + ``/``.
    Iterating gives every quad it still states
    (its owned ones, less any :func:`split` found stated elsewhere, and its candidates not shared).

    Each N-Quads line is the quad's :func:`key`, its graph and `` .`` (:func:`spill.nquads_bytes`), so the
    split reads the keys off the lines without parsing them.  :meth:`spill` moves the text and the
    candidates to a build's :class:`spill.Spill` (a big build holds no graph in memory)."""

    __slots__ = ("_packed", "count", "_candidates", "owner", "graph", "dropped", "moved", "_spill")

    def __init__(self, packed: bytes, count: int, candidates: bytes, owner: str, graph: str):
        # both compressed by the worker that read the document: the build's process only files them away
        self._packed, self.count, self._candidates = packed, count, candidates
        self.owner, self.graph = owner, graph
        self.dropped: frozenset[str] = frozenset()  # owned keys a split found in another graph too
        self.moved: frozenset[str] = frozenset()  # candidates a split found held by another graph
        self._spill = None

    @classmethod
    def of(cls, quads: list[Quad], owner: str, graph: str) -> Packed:
        from .spill import line_key, lines, nquads_bytes

        # the quads' own lines, sorted by what their subject is: a quad's line is its key, its graph and " ."
        # (one string per quad, made by pyoxigraph's serializer), far cheaper to test than the quad's terms
        stated = list(dict.fromkeys(lines(nquads_bytes(quads).decode("utf-8"))))  # a quad stated twice is one
        mine = ("_:", f"<{owner}> ", f"<{owner}/")  # a blank node, the owner, or an IRI below it
        own, candidates = [], []
        for line in stated:
            if line.startswith(mine):
                own.append(line)
            else:
                candidates.append(line_key(line))
        return cls(zlib.compress("".join(own).encode("utf-8"), 1), len(stated),
                   zlib.compress("\n".join(candidates).encode("utf-8"), 1), owner, graph)

    def spill(self, spill) -> None:
        """Keep the owned text and the candidates in ``spill`` (a :class:`spill.Spill`) from now on."""
        if self._spill is None:
            self._packed = spill.put(self._packed)
            self._candidates = spill.put(self._candidates)
            self._spill = spill

    @property
    def packed(self) -> bytes:
        return self._packed if self._spill is None else self._spill.get(self._packed)

    @property
    def candidates(self) -> list[str]:
        text = zlib.decompress(self._candidates if self._spill is None else self._spill.get(self._candidates))
        return text.decode("utf-8").split("\n") if text else []

    def open_keys(self) -> list[str]:
        """The keys :func:`split` compares with every other graph's."""
        return self.candidates

    def owned_text(self) -> bytes:
        return zlib.decompress(self.packed)

    def owned_keys(self) -> list[str]:
        """The keys of its owned triples (those of its blank nodes too: a caller wanting only IRI subjects
        keeps the keys that start with ``<``)."""
        from .spill import keys_of

        return keys_of(self.owned_text().decode("utf-8"), self.graph)

    def owned(self) -> Iterator[Quad]:
        quads = parse(self.owned_text(), format=RdfFormat.N_QUADS)
        if not self.dropped:
            return iter(quads)
        return (q for q in quads if key(q) not in self.dropped)

    def _kept_candidates(self) -> Iterator[str]:
        return (k for k in self.candidates if k not in self.moved)

    def nquads(self) -> bytes | None:
        """What it states as N-Quads for ``Store.bulk_load`` (which keeps no blank node label: None if it has one)."""
        from .spill import line_key, lines

        text = self.owned_text()
        if b"_:" in text:
            return None
        if self.dropped:
            text = "".join(line for line in lines(text.decode("utf-8"))
                           if line_key(line) not in self.dropped).encode("utf-8")
        suffix = f" <{self.graph}> .\n"
        return text + "".join(k + suffix for k in self._kept_candidates()).encode("utf-8")

    def __iter__(self) -> Iterator[Quad]:
        yield from self.owned()
        g = NamedNode(self.graph)
        for k in self._kept_candidates():
            t = triple_of(k)
            yield Quad(t.subject, t.predicate, t.object, g)

    def __len__(self) -> int:
        return self.count - len(self.dropped) - len(self.moved)


class Statements:
    """The record: shared triple key → the graphs that state it (two or more)."""

    def __init__(self, stated: Mapping[str, Iterable[str]] | None = None):
        self.stated: dict[str, set[str]] = {k: set(v) for k, v in (stated or {}).items()}

    @classmethod
    def load(cls, generation: Path) -> Statements | None:
        """The record of a store generation, or None for a store written before graphs were kept disjoint."""
        try:
            data = json.loads((generation / RECORD).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return cls(data["stated"])

    def save(self, generation: Path) -> None:
        path = generation / RECORD
        tmp = path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump({"stated": {k: sorted(v) for k, v in sorted(self.stated.items())}}, f, ensure_ascii=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)

    def quads(self, sharing: Sharing) -> list[Quad]:
        """The shared graph: the recorded triples that no home graph holds."""
        g = NamedNode(sharing.graph)
        out = []
        for k, gs in self.stated.items():
            if sharing.holder(k, gs) == sharing.graph:
                t = triple_of(k)
                out.append(Quad(t.subject, t.predicate, t.object, g))
        return out


def _subject_iri(k: str) -> str | None:
    return k[1:k.index(">")] if k.startswith("<") else None


@dataclass(frozen=True)
class Sharing:
    """Where a triple that two or more graphs state is kept: in its subject's **home** graph when that graph
    states it too (a document's own graph for the document and its divisions, the organisations graph for an
    organisation: ``FROM <home>`` keeps saying what the node is), else once in the ``graph`` of shared triples
    (an indicator's name, which every document that measures it states).  ``home_of``: subject IRI → its home
    graph IRI or None."""

    graph: str
    home_of: Callable[[str], str | None]

    def holder(self, k: str, graphs: set[str]) -> str:
        s = _subject_iri(k)
        home = self.home_of(s) if s is not None else None
        return home if home in graphs else self.graph


def _open_keys(content) -> list[str]:
    return content.open_keys() if hasattr(content, "open_keys") else [key(q) for q in content]


def split(graphs: dict[str, Iterable[Quad]], sharing: Sharing, id_prefix: str) -> Statements:
    """Make ``graphs`` (a whole corpus) disjoint in place: a triple two or more of them state stays only in its
    holder (:meth:`Sharing.holder`); those held in the shared graph make ``graphs[sharing.graph]``.  Returns the
    record.  ``id_prefix``: the IRI the documents' own IRIs start with (``Iris.id``), to find the document
    that owns a candidate's subject.

    Compared: every graph's *open* keys (a :class:`Packed` graph's candidates, every triple of the others)
    with each other, and a document's owned triples with the open keys (a subject has one owner: two
    documents' owned triples never meet).  To hold only hashes of the keys, not the keys, this reads each
    graph three times (from a :class:`spill.Spill` in a big build): (1) the hashes of the open keys, and which
    of them two graphs state; (2) each document's owned keys whose hash is an open key's; (3) the exact keys
    behind those hashes — so a hash collision costs a comparison, never a wrong answer."""
    names = list(graphs)
    seen: set[int] = set()
    multi: set[int] = set()  # hashes of open keys in two or more graphs
    for g in names:  # set operations, at C speed
        hashes = set(map(hash, _open_keys(graphs[g])))
        multi |= seen & hashes
        seen |= hashes
    # (key, graph, counts): an owned key that may equal an open key; counts: the graph joins the key's stating
    # graphs (its subject's owner, found from the subject IRI, is this document), else it may only be dropped
    hits: list[tuple[str, str, bool]] = []
    for g in names:
        content = graphs[g]
        if not isinstance(content, Packed):
            continue
        rest = content.owner[len(id_prefix):] if content.owner.startswith(id_prefix) else None
        counts = rest is not None and "/" not in rest
        about_owner = f"<{content.owner}> "
        keys = content.owned_keys()
        found = seen.intersection(map(hash, keys))  # at C speed: most documents' owned keys meet no open key
        if not found:
            continue
        for k in keys:  # a blank node of its own is in no other graph: only IRI subjects
            if hash(k) in found and k.startswith("<") and (counts or k.startswith(about_owner)):
                hits.append((k, g, counts))
    wanted = multi | {hash(k) for k, _, _ in hits}
    del seen, multi
    stated: dict[str, set[str]] = defaultdict(set)
    for g in names:
        keys = _open_keys(graphs[g])
        if wanted.isdisjoint(map(hash, keys)):
            continue
        for k in keys:
            if hash(k) in wanted:
                stated[k].add(g)
    del wanted
    for k, g, counts in hits:
        if counts and k in stated:
            stated[k].add(g)
    held = {k: sharing.holder(k, gs) for k, gs in stated.items() if len(gs) > 1}
    dropped: dict[str, set[str]] = defaultdict(set)
    for k, g, _ in hits:
        if k in held and held[k] != g:
            dropped[g].add(k)
    for g in names:
        content = graphs[g]
        if isinstance(content, Packed):
            content.dropped = frozenset(dropped.get(g, ()))
            if held:
                content.moved = frozenset(k for k in content.candidates if k in held and held[k] != g)
        elif hasattr(content, "hold"):
            if held:
                content.hold(held, g)
        elif held:
            graphs[g] = [q for q in content if held.get(key(q), g) == g]
    record = Statements({k: stated[k] for k in held})
    graphs[sharing.graph] = record.quads(sharing)
    return record


def _stated_elsewhere(store: Store, q: Quad, skip: set[str]) -> str | None:
    for found in store.quads_for_pattern(q.subject, q.predicate, q.object, None):
        g = found.graph_name
        if isinstance(g, NamedNode) and g.value not in skip:
            return g.value
    return None


def _in(q, g: str) -> Quad:
    return Quad(q.subject, q.predicate, q.object, NamedNode(g))


def place(store: Store, graphs: Mapping[str, Iterable[Quad]], drop: Iterable[str], record: Statements,
          sharing: Sharing) -> dict[str, list[Quad]]:
    """The quads to load for a write of ``graphs`` (and ``drop``) into ``store``, which still holds every other
    graph and no longer holds these (nor the shared graph's old content, which the caller removes).  Each new
    triple is looked up: one another graph states too joins the record, and every triple whose set of stating
    graphs changed is put in its holder — moved out of another graph where needed (changed here in
    ``store``), back into the one graph that alone still states it, or out of the store.  Returns graph →
    quads, the shared graph among them; updates ``record``."""
    written = set(graphs) | set(drop)
    stated = record.stated
    was: dict[str, str] = {}  # touched key -> the graph that held it before this write
    for k, gs in stated.items():
        if gs & written:
            was[k] = sharing.holder(k, gs)
            gs -= written
    skip = written | {sharing.graph}
    out: dict[str, dict[str, Quad]] = {g: {} for g in graphs}
    kept_in: dict[str, str] = {}  # key -> the graph written now that alone holds it so far
    triple: dict[str, Quad] = {}
    for g, content in graphs.items():
        mine = out[g]
        for q in content:
            k = key(q)
            if k in mine:
                continue
            gs = stated.get(k)
            if gs is not None:
                if k not in was:
                    was[k] = sharing.holder(k, gs)
                gs.add(g)
            elif k in kept_in:  # another graph of this write states it too
                first = kept_in.pop(k)
                out[first].pop(k)
                stated[k] = {first, g}
                was[k] = first
            else:
                other = _stated_elsewhere(store, q, skip)
                if other is None:
                    kept_in[k] = g
                    mine[k] = _in(q, g)
                    continue
                stated[k] = {other, g}
                was[k] = other
            triple[k] = q
    for k, before in was.items():
        gs = stated[k]
        after = sharing.holder(k, gs) if len(gs) > 1 else next(iter(gs), None)
        if len(gs) < 2:
            del stated[k]
        if after == before and before not in skip:
            continue  # held by a graph this write leaves alone, and still
        q = triple.get(k) or triple_of(k)
        if before not in skip:
            store.remove(_in(q, before))
        if after is None or after == sharing.graph:
            continue  # gone, or in the shared graph (made from the record below)
        if after in out:
            out[after][k] = _in(q, after)
        else:
            store.add(_in(q, after))
    result = {g: list(qs.values()) for g, qs in out.items()}
    result[sharing.graph] = record.quads(sharing)
    return result


def as_stated(quads: Iterable[Quad], record: Statements | None) -> Iterator[Quad]:
    """The quads as each graph states them: a recorded triple once for each graph that states it, wherever it
    is held (for checks that compare what two files say)."""
    for q in quads:
        gs = record.stated.get(key(q)) if record is not None else None
        if not gs:
            yield q
            continue
        for g in sorted(gs):
            yield _in(q, g)
