"""A text index of the labels, for the named query label-search (SQLite FTS5 with the trigram tokenizer).

SPARQL has no text index: the label-search query (queries/label-search.rq) reads every ``skos:prefLabel`` and
tests ``CONTAINS(LCASE(STR(?label)), LCASE(?text))`` on each — 2 s at 5 M triples.  The embedded store keeps
beside its data an SQLite database of the same labels (the standard library's ``sqlite3``; the trigram
tokenizer needs SQLite ≥ 3.34) and answers label-search from it, with exactly the rows, in exactly the order,
of the query:

* ``labels`` — one row per (node, label) of the union of the graphs, with the label's language, its lower-cased
  form (``str.lower``, Unicode's full lower-casing, as SPARQL's ``LCASE``) and a row per document of the node
  (``pk:inDocument``; NULL when it has none, as the query's OPTIONAL);
* ``label_fts`` — an FTS5 trigram index of the lower-cased form (external content: the text is stored once).

A text of 3 or more characters is looked up in the trigram index (a phrase of its trigrams: every label that
contains it, and some more, which the exact substring test then drops); a text of 1 or 2 characters — a
common Chinese search — has no trigram, so it is tested on every row of ``labels`` (``instr``, still far faster
than the SPARQL scan).  Either way the rows are those of the query: the same substring test, the same language
filter, the same ontology exclusion, DISTINCT, ORDER BY ?document STR(?node) ?lang STR(?label).

The embedded store (graph_store/oxigraph_store.py) writes the index into each new generation's directory
before it swaps ``CURRENT``: the swap changes store and index together, a crash before it leaves both as they
were, and a failed build fails the write.  A generation without an index (written before plankg had one), a
store whose labels the index cannot represent exactly (an IRI as a label) and the
remote backends run the SPARQL scan.  Virtuoso's ``bif:contains`` is not used: it matches words of a free-text
index that must be configured on the server (``DB.DBA.RDF_OBJ_FT_RULE_ADD``), not substrings, so its answers
for Chinese text differ from the scan's.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from plankg.vocab import PK, SKOS

INDEX_FILE = "plankg-text.sqlite"
FORMAT = "1"  # the schema below; an index of another format is not used
ONTOLOGY = "https://w3id.org/plankg/ontology#"
TRIGRAM = (3, 34, 0)


@cache
def available() -> bool:
    """Whether this Python's SQLite has FTS5 with the trigram tokenizer."""
    if sqlite3.sqlite_version_info < TRIGRAM:
        return False
    try:
        con = sqlite3.connect(":memory:")
        con.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram case_sensitive 1')")
        con.close()
    except sqlite3.Error:
        return False
    return True


SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE labels(id INTEGER PRIMARY KEY, node TEXT NOT NULL, label TEXT NOT NULL, lang TEXT NOT NULL,
                    low TEXT NOT NULL, document TEXT);
CREATE VIRTUAL TABLE label_fts USING fts5(low, content='labels', content_rowid='id',
                                          tokenize='trigram case_sensitive 1');
"""


#: what a build gathers before it writes ``labels``: in temporary tables (on disk, as SQLite keeps them), not in
#: Python — a 50 M triple store has millions of nodes in documents, which a dict held at over 1 GiB
GATHER = """
PRAGMA temp_store=FILE;
CREATE TEMP TABLE in_doc(node TEXT NOT NULL, document TEXT NOT NULL, PRIMARY KEY(node, document)) WITHOUT ROWID;
CREATE TEMP TABLE found(seq INTEGER PRIMARY KEY, node TEXT NOT NULL, label TEXT NOT NULL, lang TEXT NOT NULL,
                        low TEXT NOT NULL);
"""


class Gatherer:
    """The labels (``skos:prefLabel``) and document memberships (``pk:inDocument``) of a store being indexed,
    gathered into an empty database ``con``: from the store's answers (:func:`build`), or from the quads a fresh
    build loads, as it loads them (:class:`IndexFile`: the text it gives ``Store.bulk_load`` and the quads it
    gives ``bulk_extend`` — no read of the new store, where every label costs lookups of its strings)."""

    def __init__(self, con: sqlite3.Connection):
        self.con = con
        con.executescript(SCHEMA + GATHER)
        #: False when a label is an IRI (the query answers it without a language): the index must not answer
        self.exact = True

    def documents(self, pairs: Iterable) -> None:
        """(node, document) terms: ``?node pk:inDocument ?document``."""
        self.con.executemany("INSERT OR IGNORE INTO in_doc VALUES (?, ?)",
                             ((s.value, d.value) for s, d in pairs
                              if isinstance(s, NamedNode) and isinstance(d, NamedNode)))

    def labels(self, pairs: Iterable) -> None:
        """(node, label) terms: ``?node skos:prefLabel ?label``."""
        def rows():
            for s, o in pairs:
                if not isinstance(s, NamedNode):  # STR() of a blank node is an error: the query's FILTER drops it
                    continue
                if not isinstance(o, Literal):  # an IRI as label: the query answers it without a language
                    self.exact = False
                    continue
                yield s.value, o.value, o.language or "", o.value.lower()

        self.con.executemany("INSERT INTO found(node, label, lang, low) VALUES (?, ?, ?, ?)", rows())

    def quads(self, quads: Iterable[Quad]) -> None:
        """Quads of any predicates: those of the two kept."""
        docs, labels = [], []
        for q in quads:
            p = q.predicate
            if p == LABEL:
                labels.append((q.subject, q.object))
            elif p == IN_DOCUMENT:
                docs.append((q.subject, q.object))
        self.documents(docs)
        self.labels(labels)

    def text(self, data: bytes) -> None:
        """N-Quads text of any predicates: the lines that may state those two, parsed (a line holding the IRI in
        a literal is parsed too, and left out by :meth:`quads`)."""
        found = []
        for needle in NEEDLES:
            i = data.find(needle)
            while i >= 0:
                end = data.find(b"\n", i) + 1 or len(data)
                found.append(data[data.rfind(b"\n", 0, i) + 1:end])
                i = data.find(needle, end)
        if found:
            self.quads(parse(b"".join(line if line.endswith(b"\n") else line + b"\n" for line in found),
                             format=RdfFormat.N_QUADS))

    def finish(self, distinct: bool = True) -> None:
        """Write ``labels`` and the trigram index.  ``distinct``: the same triple may have been gathered twice
        (in two graphs, a graph and the default graph, or twice in one list of quads): it is kept once, as the
        query's DISTINCT does.  The union of a store whose graphs are disjoint and whose default graph is empty
        states each triple once."""
        con = self.con
        once = ("(SELECT min(seq) AS seq, node, label, lang, low FROM found GROUP BY node, label, lang)" if distinct
                else "found")
        # a row per document of the node (in code point order), NULL when it has none (the query's OPTIONAL)
        con.execute("INSERT INTO labels(node, label, lang, low, document) SELECT f.node, f.label, f.lang, f.low, "
                    f"d.document FROM {once} f LEFT JOIN in_doc d ON d.node = f.node ORDER BY f.seq, d.document")
        con.executescript("DROP TABLE temp.found; DROP TABLE temp.in_doc;")
        con.execute("INSERT INTO label_fts(rowid, low) SELECT id, low FROM labels")
        con.execute("INSERT INTO label_fts(label_fts) VALUES ('optimize')")
        (rows,) = con.execute("SELECT COUNT(*) FROM labels").fetchone()
        con.executemany("INSERT INTO meta VALUES (?,?)", [("format", FORMAT), ("exact", "1" if self.exact else "0"),
                                                           ("rows", str(rows))])
        con.commit()


LABEL, IN_DOCUMENT = SKOS.prefLabel, PK.inDocument
#: how a line stating one of them holds its predicate
NEEDLES = tuple(f" <{p.value}> ".encode("utf-8") for p in (LABEL, IN_DOCUMENT))


def _fill(con: sqlite3.Connection, store, distinct: bool = True) -> None:
    """Write the labels of a pyoxigraph store into an empty database ``con``, streaming: the store's answers
    go straight into SQLite, which joins them (see :meth:`Gatherer.finish` for ``distinct``)."""
    gather = Gatherer(con)
    union = {"use_default_graph_as_union": True}
    gather.documents(store.query(f"SELECT ?s ?d WHERE {{ ?s <{IN_DOCUMENT.value}> ?d }}", **union))
    gather.labels(store.query(f"SELECT ?s ?o WHERE {{ ?s <{LABEL.value}> ?o }}", **union))
    gather.finish(distinct)


class IndexFile:
    """The index of a generation being written, as ``directory/INDEX_FILE`` (a temporary file until
    :meth:`finish`); :attr:`gather` takes what goes into it.  :meth:`discard` (or a failed finish) removes it."""

    def __init__(self, directory: Path):
        self.path = Path(directory) / INDEX_FILE
        self.tmp = self.path.with_name(self.path.name + ".tmp")
        self.tmp.unlink(missing_ok=True)
        self._con = sqlite3.connect(self.tmp)
        try:
            self._con.execute("PRAGMA journal_mode=OFF")  # a new file: a failure discards it whole
            self._con.execute("PRAGMA synchronous=FULL")  # the commit syncs the file to disk
            self.gather = Gatherer(self._con)
        except sqlite3.Error as exc:
            self.discard()
            raise self._failed(exc) from None

    def _failed(self, exc: sqlite3.Error) -> OSError:
        return OSError(f"cannot write the text index {self.path}: {exc}")

    def finish(self, distinct: bool = True) -> None:
        try:
            self.gather.finish(distinct)
        except sqlite3.Error as exc:
            self.discard()
            raise self._failed(exc) from None
        self._con.close()
        os.replace(self.tmp, self.path)  # the generation's directory is synced with the swap

    def discard(self) -> None:
        self._con.close()
        self.tmp.unlink(missing_ok=True)


def build(store, directory: Path, distinct: bool = True) -> None:
    """Write the index of a pyoxigraph ``store`` as ``directory/INDEX_FILE`` (through a temporary file);
    ``distinct=False`` when no triple of the store is in two graphs (see :meth:`Gatherer.finish`)."""
    index = IndexFile(directory)
    try:
        union = {"use_default_graph_as_union": True}
        index.gather.documents(store.query(f"SELECT ?s ?d WHERE {{ ?s <{IN_DOCUMENT.value}> ?d }}", **union))
        index.gather.labels(store.query(f"SELECT ?s ?o WHERE {{ ?s <{LABEL.value}> ?o }}", **union))
    except sqlite3.Error as exc:
        index.discard()
        raise index._failed(exc) from None
    except BaseException:
        index.discard()
        raise
    index.finish(distinct)


class TextIndex:
    """An open index (read-only); safe to share between threads."""

    def __init__(self, con: sqlite3.Connection):
        self._con = con
        self._lock = threading.Lock()
        meta = dict(con.execute("SELECT key, value FROM meta"))
        #: False when the store has labels the index leaves out: then it must not answer
        self.exact = meta.get("format") == FORMAT and meta.get("exact") == "1"

    @classmethod
    def open(cls, directory: Path) -> TextIndex | None:
        """The index of a generation directory; None when it has none (or one that cannot be read)."""
        path = Path(directory) / INDEX_FILE
        if not path.is_file():
            return None
        try:
            # immutable: a generation's files never change once it is current, so no locks are needed
            con = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            return cls(con)
        except sqlite3.Error:
            return None

    @classmethod
    def in_memory(cls, store) -> TextIndex:
        """An index of a pyoxigraph store held in memory (the in-memory backend)."""
        con = sqlite3.connect(":memory:", check_same_thread=False)
        _fill(con, store)
        return cls(con)

    def close(self) -> None:
        self._con.close()

    def label_search(self, text: str, language: str = "any") -> list[dict]:
        """The rows of the named query label-search (columns node, label, lang, document), in its order."""
        needle = text.lower()
        cols = "l.node, l.label, l.lang, l.low, l.document"
        with self._lock:
            if "\x00" in needle:  # FTS5 and instr() stop at a NUL: every label, filtered here (none holds one)
                found = self._con.execute(f"SELECT {cols} FROM labels l").fetchall()
            elif len(needle) >= 3:
                phrase = '"' + needle.replace('"', '""') + '"'
                found = self._con.execute(
                    f"SELECT {cols} FROM label_fts f JOIN labels l ON l.id = f.rowid WHERE label_fts MATCH ?",
                    (phrase,)).fetchall()
            else:
                found = self._con.execute(f"SELECT {cols} FROM labels l WHERE instr(l.low, ?) > 0",
                                          (needle,)).fetchall()
        rows = {(node, label, lang, doc) for node, label, lang, low, doc in found
                if needle in low and (language == "any" or lang == language) and not node.startswith(ONTOLOGY)}
        ordered = sorted(rows, key=lambda r: (r[3] is not None, r[3] or "", r[0], r[2], r[1]))
        return [{"node": n, "label": lab, "lang": lg, "document": d} for n, lab, lg, d in ordered]


def index_of(store) -> TextIndex | None:
    """The text index a store answers label-search from, or None (then the SPARQL scan runs)."""
    get = getattr(store, "text_index", None)
    idx = get() if get is not None else None
    return idx if idx is not None and idx.exact else None


__all__ = ["INDEX_FILE", "TextIndex", "available", "build", "index_of"]
