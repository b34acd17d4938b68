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
from functools import cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode

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


def _fill(con: sqlite3.Connection, store, distinct: bool = True) -> None:
    """Write the labels of a pyoxigraph store into an empty database ``con``, streaming: the store's answers
    go straight into SQLite, which joins them.  ``distinct``: the same triple may be in two graphs (or in a
    graph and the default graph), so that the union gives it twice; it is then kept once, as the query's
    DISTINCT does.  A store whose graphs are disjoint and whose default graph is empty (a build's) needs not."""
    con.executescript(SCHEMA + GATHER)
    union = {"use_default_graph_as_union": True}
    con.executemany("INSERT OR IGNORE INTO in_doc VALUES (?, ?)",
                    ((s.value, d.value) for s, d in store.query(
                        f"SELECT ?s ?d WHERE {{ ?s <{PK.inDocument.value}> ?d }}", **union)
                     if isinstance(s, NamedNode) and isinstance(d, NamedNode)))
    exact = [True]

    def labels():
        for s, o in store.query(f"SELECT ?s ?o WHERE {{ ?s <{SKOS.prefLabel.value}> ?o }}", **union):
            if not isinstance(s, NamedNode):  # STR() of a blank node is an error: the query's FILTER drops it too
                continue
            if not isinstance(o, Literal):  # an IRI as label: the query answers it without a language; fall back
                exact[0] = False
                continue
            yield s.value, o.value, o.language or "", o.value.lower()

    con.executemany("INSERT OR IGNORE INTO found(node, label, lang, low) VALUES (?, ?, ?, ?)", labels())
    # a row per document of the node (in code point order), NULL when it has none (the query's OPTIONAL)
    once = ("(SELECT min(seq) AS seq, node, label, lang, low FROM found GROUP BY node, label, lang)" if distinct
            else "found")
    con.execute("INSERT INTO labels(node, label, lang, low, document) SELECT f.node, f.label, f.lang, f.low, "
                f"d.document FROM {once} f LEFT JOIN in_doc d ON d.node = f.node ORDER BY f.seq, d.document")
    con.executescript("DROP TABLE temp.found; DROP TABLE temp.in_doc;")
    con.execute("INSERT INTO label_fts(rowid, low) SELECT id, low FROM labels")
    con.execute("INSERT INTO label_fts(label_fts) VALUES ('optimize')")
    (rows,) = con.execute("SELECT COUNT(*) FROM labels").fetchone()
    con.executemany("INSERT INTO meta VALUES (?,?)", [("format", FORMAT), ("exact", "1" if exact[0] else "0"),
                                                       ("rows", str(rows))])
    con.commit()


def build(store, directory: Path, distinct: bool = True) -> None:
    """Write the index of a pyoxigraph ``store`` as ``directory/INDEX_FILE`` (through a temporary file);
    ``distinct=False`` when no triple of the store is in two graphs (see :func:`_fill`)."""
    path = Path(directory) / INDEX_FILE
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        con.execute("PRAGMA journal_mode=OFF")  # a new file: a failure discards it whole
        con.execute("PRAGMA synchronous=FULL")  # the commit syncs the file to disk
        _fill(con, store, distinct)
    except sqlite3.Error as exc:
        con.close()
        tmp.unlink(missing_ok=True)
        raise OSError(f"cannot write the text index {path}: {exc}") from None
    con.close()
    os.replace(tmp, path)  # the generation's directory is synced with the swap


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
