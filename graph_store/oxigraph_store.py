"""The embedded pyoxigraph store (default) and an in-memory twin.

On disk a store is a directory holding generations and a ``CURRENT`` symlink::

    data/store/CURRENT -> gen-000004
    data/store/gen-000004/      (a RocksDB database)

A write never touches the current generation: it copies it (``Store.backup``
uses hard links, so this is cheap), changes the copy and then swaps the
symlink with one atomic ``rename``.  A crash, a full disk or a bad document at
any point before the swap leaves ``CURRENT`` — and so every graph — as it was.
A lock file serialises writers.

Readers and writers share a store safely: a reader holds a shared ``flock`` on
``.readers/gen-N`` for as long as it has generation N open, and a writer removes
an old generation only when it can take that lock exclusively — so a server
(and each of its query workers) reads one generation from start to end, and no
write deletes it under them.  A reader opened with ``generation=`` opens that
one exactly (the server's workers open the generation the server opened).

The default graph is the RDF merge of the named graphs.  The graphs are kept **disjoint** — no triple in two of
them (:mod:`plankg.graph_store.shared`: what two or more state is held once, by its subject's home graph or
the shared graph) — so the union pyoxigraph gives with ``use_default_graph_as_union`` is the merge, and the
store's own default graph stays empty.  Measured (``benchmarks/robustness_bench.py``, 0.5 M triples): the
build takes 1.01 times as long as a build of the graphs as read, where copying the merge into the default
graph took 1.74 times as long.  A dataset chosen per query (``FROM``, or the protocol's
``default-graph-uri``/``named-graph-uri``) is honoured: one default graph is read in place, all of them as
the union, the merge of several is made per query in memory (:meth:`_PyoxigraphQueries._dataset`).  A store
written before graphs were kept disjoint (no ``shared.json`` record in its generation) keeps its
materialised merge (:func:`materialise_merge`), made again at each write.
"""

from __future__ import annotations

import errno
import fcntl
import io
import itertools
import os
import re
import shutil
import sqlite3
import stat
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, Variable

from plankg.errors import SparqlError, StoreError

from . import text_index
from .base import GraphStore, Reopen
from .shared import Sharing, Statements, place
from .sparql_text import bind_values, dataset_clause

CURRENT = "CURRENT"
READERS = ".readers"  # one lock file per generation, held shared by each process reading it


def _bindings(bindings: Mapping[str, object] | None):
    return {Variable(k): v for k, v in (bindings or {}).items()} or None


#: bytes of N-Triples gathered before each load into the default graph (bounds the memory of a big merge)
MERGE_CHUNK = 64 * 1024 * 1024


def materialise_merge(store: Store) -> None:
    """Make ``store``'s default graph the RDF merge of its named graphs: every distinct triple once.

    Each named graph is written as N-Triples and bulk-loaded into the default graph, in chunks of
    :data:`MERGE_CHUNK` bytes: both steps stay in pyoxigraph's Rust code, where building a Python ``Quad``
    per triple is slower (``benchmarks/robustness_bench.py`` measures both: at 0.5 M triples 1.47 s against
    2.41 s); a triple in two graphs lands once, as a graph is a set."""
    store.remove_graph(DefaultGraph())
    buf = io.BytesIO()
    for g in list(store.named_graphs()):
        store.dump(buf, format=RdfFormat.N_TRIPLES, from_graph=g)
        if buf.tell() >= MERGE_CHUNK:
            store.bulk_load(buf.getvalue(), format=RdfFormat.N_TRIPLES, to_graph=DefaultGraph())
            buf = io.BytesIO()
    if buf.tell():
        store.bulk_load(buf.getvalue(), format=RdfFormat.N_TRIPLES, to_graph=DefaultGraph())


def _named_quads(store: Store) -> Iterable[Quad]:
    return itertools.chain.from_iterable(store.quads_for_pattern(None, None, None, g) for g in list(store.named_graphs()))


class _PyoxigraphQueries:
    store: Store
    _merged: bool | None = None
    _count: int | None = None

    def _has_merge(self) -> bool:
        """Whether the default graph holds the merge (any store plankg wrote; an empty store trivially)."""
        if self._merged is None:
            store = self.store
            self._merged = (next(iter(store.quads_for_pattern(None, None, None, DefaultGraph())), None) is not None
                            or next(iter(store.named_graphs()), None) is None)
        return self._merged

    def _forget(self) -> None:
        self._merged = self._count = None

    def query(self, sparql: str, bindings: Mapping[str, object] | None = None, *, inline: bool = False,
              dataset: tuple[list[str], list[str]] | None = None, base_iri: str | None = None):
        """``dataset``: (default graph IRIs, named graph IRIs) overriding the query's own FROM / FROM NAMED
        (the SPARQL 1.1 Protocol's ``default-graph-uri`` / ``named-graph-uri``); ``base_iri``: what relative
        IRIs in the query resolve against, unless it says BASE."""
        if bindings:
            # The terms go to pyoxigraph as substitutions and, the same terms, as a VALUES block (or in place):
            # pyoxigraph plans the joins before it substitutes, so without the block a query bound to one
            # document scans the whole store (benchmarks/scale_bench.py: heading-tree 150 ms -> 3 ms at 0.5 M).
            try:
                sparql = bind_values(sparql, bindings, substitute=inline)
            except SparqlError:  # no WHERE group to put it in: the substitutions alone bind
                pass
        try:
            own = None
            if dataset is None:
                own = dataset_clause(sparql, base=base_iri or "")
                if own is not None and len(own[0]) >= 2:  # several FROM graphs: merged here (one pyoxigraph reads exactly)
                    dataset = own
            target, kwargs = (self.store, {}) if dataset is None else self._dataset(*dataset)
            if dataset is None and own is None and not self._has_merge():  # disjoint graphs: their union is the merge
                kwargs["use_default_graph_as_union"] = True
            if base_iri:
                kwargs["base_iri"] = base_iri
            return target.query(sparql, substitutions=_bindings(bindings), **kwargs)
        except SyntaxError as exc:  # pyoxigraph says "error at LINE:COLUMN: what"
            at = re.search(r"(?:error )?at (\d+):(\d+)", str(exc))
            place = (int(at[1]), int(at[2]), str(exc)[at.end():].lstrip(": ")) if at else ()
            raise SparqlError(f"invalid SPARQL: {exc}", None, *place) from None
        except (OSError, RuntimeError) as exc:  # a damaged database noticed only when read
            raise unusable(getattr(self, "root", Path("memory:")), exc) from None

    def _dataset(self, defaults: list[str], named: list[str]):
        """(store, query keywords) for a dataset: its default graph the RDF merge of ``defaults``."""
        store = self.store
        names = [NamedNode(g) for g in dict.fromkeys(named)]
        defaults = list(dict.fromkeys(defaults))
        if len(defaults) <= 1:
            return store, {"default_graph": [NamedNode(g) for g in defaults], "named_graphs": names}
        if set(defaults) >= set(self.graph_names()):  # every graph: the merge the store already answers with
            if self._has_merge():
                return store, {"default_graph": DefaultGraph(), "named_graphs": names}
            return store, {"use_default_graph_as_union": True, "named_graphs": names}
        merged = Store()  # several graphs, not all: merged here, each triple once
        merged.extend(Quad(q.subject, q.predicate, q.object, DefaultGraph())
                      for g in defaults for q in store.quads_for_pattern(None, None, None, NamedNode(g)))
        merged.extend(q for n in names for q in store.quads_for_pattern(None, None, None, n))
        return merged, {"default_graph": DefaultGraph(), "named_graphs": names}

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs())

    def quads(self) -> Iterable[Quad]:
        """The quads of the named graphs (not the materialised merge)."""
        try:
            yield from _named_quads(self.store)
        except (OSError, RuntimeError) as exc:  # a damaged database noticed only when read
            raise unusable(getattr(self, "root", Path("memory:")), exc) from None

    def count(self) -> int:
        """The number of quads in the named graphs."""
        if self._count is None:
            try:
                store = self.store
                default = sum(1 for _ in store.quads_for_pattern(None, None, None, DefaultGraph()))
                self._count = len(store) - default
            except (OSError, RuntimeError) as exc:
                raise unusable(getattr(self, "root", Path("memory:")), exc) from None
        return self._count


def _copied(store: GraphStore) -> Reopen:
    """Reopen ``store`` as an in-memory copy: its N-Quads export, loaded again."""
    return Reopen(MemoryStore.backend, "memory:", {"nquads": store.export("nquads")})


class MemoryStore(_PyoxigraphQueries, GraphStore):
    """A transient store, for tests and one-off runs."""

    backend = "memory"
    spec_forms = "memory:"

    def __init__(self):
        self.store = Store()
        self._text_index = None

    @classmethod
    def accepts(cls, spec: str) -> bool:
        return spec == "memory:"

    @classmethod
    def from_spec(cls, spec: str, *, read_only: bool = False, nquads: bytes | None = None) -> MemoryStore:
        """A new empty store, or (``nquads``: what :meth:`reopen` gives a worker) a copy of an export."""
        return cls() if nquads is None else cls.from_nquads(nquads)

    def reopen(self) -> Reopen:
        """A worker gets a copy: the store lives in this process only."""
        return _copied(self)

    def text_index(self):
        """The labels' text index (graph_store/text_index.py), built in memory on first use; None without FTS5."""
        if self._text_index is None and text_index.available():
            self._text_index = text_index.TextIndex.in_memory(self.store)
        return self._text_index

    def replace_graphs(self, graphs, *, drop=(), reset=False, shared=None, record=None):
        # Build the new state aside, then swap it in: the store never holds half a change.
        new = Store()
        if not reset:
            new.extend(_named_quads(self.store))
        existing = {g.value for g in new.named_graphs()}
        for g in set(drop) | set(graphs):
            if g in existing:
                new.remove_graph(NamedNode(g))
        for g, quads in graphs.items():
            new.extend(quads)
        materialise_merge(new)
        self.store = new
        self._forget()
        self._text_index = None

    @classmethod
    def from_nquads(cls, data: bytes) -> MemoryStore:
        """A store holding an N-Quads export (named graphs), with its merge materialised."""
        from pyoxigraph import RdfFormat

        store = cls()
        store.store.load(data, format=RdfFormat.N_QUADS)
        materialise_merge(store.store)
        return store


def _bulk(store: Store, quads, chunk: int, gather=None) -> None:
    if gather is not None:  # the text index notes them as they go by
        quads = _noted(quads, gather)
    if not chunk:  # one bulk load for all graphs: fastest (each call writes its own files)
        store.bulk_extend(quads)
        return
    quads = iter(quads)  # bounded memory: pyoxigraph's loader holds up to two batches of a million quads
    while (first := next(quads, None)) is not None:
        store.bulk_extend(itertools.chain((first,), itertools.islice(quads, chunk - 1)))


def _noted(quads, gather, every: int = 100_000):
    batch = []
    for q in quads:
        batch.append(q)
        if len(batch) >= every:
            gather.quads(batch)
            yield from batch
            batch = []
    gather.quads(batch)
    yield from batch


def _load(store: Store, graphs: Iterable, chunk: int, spool: Path, gather=None) -> None:
    """Load every graph into ``store``: those that can give their N-Quads text (``nquads()``: a build's
    :class:`~plankg.graph_store.shared.Packed` and :class:`~plankg.graph_store.spill.Listed` graphs) through
    ``spool``, a file read by ``Store.bulk_load`` each :data:`load_chunk` quads — the text never becomes
    Python quad objects, and pyoxigraph parses it as fast as a plain ``bulk_load``; the rest (and a graph
    with a blank node, whose label bulk_load would not keep) as quads (:func:`_bulk`).  ``gather``: a
    :class:`text_index.Gatherer` that sees everything loaded."""
    rest = []
    try:
        with open(spool, "wb") as f:
            waiting = 0
            for content in graphs:
                text = content.nquads() if hasattr(content, "nquads") else None
                if text is None:
                    rest.append(content)
                    continue
                f.write(text)
                if gather is not None:
                    gather.text(text)
                waiting += len(content)
                if chunk and waiting >= chunk:
                    f.flush()
                    store.bulk_load(path=str(spool), format=RdfFormat.N_QUADS)
                    f.seek(0)
                    f.truncate()
                    waiting = 0
            f.flush()
            if waiting:
                store.bulk_load(path=str(spool), format=RdfFormat.N_QUADS)
    finally:
        spool.unlink(missing_ok=True)
    if rest:
        _bulk(store, itertools.chain.from_iterable(rest), chunk, gather)


def _first(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def unusable(where: Path, exc: BaseException) -> StoreError:
    """The store at ``where`` cannot be read: damaged (a garbage CURRENT, missing SST files) or of another format
    (a pyoxigraph 0.3 store, not a database at all)."""
    return StoreError(f"the store at {where} is unusable (damaged, or not a store of this plankg version): {_first(exc)}",
                      "rebuild it with `plankg build --store …` into an empty directory")


#: a write of more quads than this loads in steps of :data:`BIG_CHUNK` unless ``PLANKG_LOAD_CHUNK`` says otherwise (one load of 5 M
#: quads peaked at 2,124 MiB, over the 2 GiB goal: benchmarks/scale_bench.py --sizes 5m, 2026-12-03)
BIG_WRITE = 3_000_000
BIG_CHUNK = 2_000_000


def load_chunk(total: int | None = None) -> int:
    """``PLANKG_LOAD_CHUNK``: load at most this many quads per bulk load, to bound the memory of a big build
    (README, "Benchmarks": at 5 M triples 921 MiB instead of 1,981 MiB with 500000, for a slower build);
    0 = one load; unset = one load up to :data:`BIG_WRITE` quads (``total``), steps of :data:`BIG_CHUNK` above."""
    raw = os.environ.get("PLANKG_LOAD_CHUNK", "").strip()
    if not raw:
        return BIG_CHUNK if total is not None and total > BIG_WRITE else 0
    if raw == "0":
        return 0
    if not raw.isdigit() or int(raw) < 10_000:
        raise StoreError(f"PLANKG_LOAD_CHUNK={raw!r} is not a number of quads of at least 10000",
                         "unset it for one load, or give e.g. 500000")
    return int(raw)


class OxigraphStore(_PyoxigraphQueries, GraphStore):
    backend = "oxigraph"
    spec_forms = "a directory path, oxigraph:PATH"

    def __init__(self, root: Path, *, read_only: bool = False, generation: str | None = None):
        self.root = Path(root)
        self.read_only = read_only
        #: the generation to open (read-only use); None: the current one, resolved when first opened
        self.generation = generation
        self._pinned = generation is not None
        self._store: Store | None = None
        self._reader_fd: int | None = None
        self._text_index: text_index.TextIndex | None | bool = False  # False: not opened yet

    # -- opening -------------------------------------------------------------------
    @classmethod
    def accepts(cls, spec: str) -> bool:
        """``oxigraph:PATH``; a bare directory path is the registry's default backend, not claimed here."""
        return spec.startswith("oxigraph:")

    @classmethod
    def from_spec(cls, spec: str, *, read_only: bool = False, generation: str | None = None) -> OxigraphStore:
        """The store at ``oxigraph:PATH`` or ``PATH``; with ``generation`` (what :meth:`reopen` gives a worker)
        that generation, opened now, so that a bad store fails at once."""
        store = cls(Path(spec.removeprefix("oxigraph:")), read_only=read_only, generation=generation)
        if generation is not None:
            store.store  # noqa: B018 - opens (and holds) the generation
        return store

    def reopen(self) -> Reopen:
        """A worker opens the very generation this store has open — held from now on, so no write removes it
        while the workers live; a store never written yet is copied."""
        if not (self.root / CURRENT).exists():
            return _copied(self)
        self.store  # noqa: B018 - opens (and holds) the current generation: the workers open the same one
        return Reopen(self.backend, f"oxigraph:{self.root}", {"generation": self.generation})

    def current(self) -> Path | None:
        link = self.root / CURRENT
        if not link.is_symlink():
            if link.exists():  # a file or folder where the link to the current generation belongs
                raise unusable(self.root, ValueError(f"{CURRENT} is not a link to a generation"))
            return None
        target = self.root / os.readlink(link)
        return target if target.is_dir() else None

    def current_stamp(self) -> tuple[str, float] | None:
        """(name, mtime) of the current generation's directory, or None — :meth:`current` in two system calls,
        as a server asks it on every request (its ETag); anything unusual takes :meth:`current`'s path."""
        root = str(self.root)
        try:
            name = os.readlink(os.path.join(root, CURRENT))
            st = os.stat(os.path.join(root, name))
        except OSError:
            path = self.current()
            return None if path is None else (path.name, path.stat().st_mtime)
        if not stat.S_ISDIR(st.st_mode):
            return None
        return os.path.basename(name.rstrip("/")), st.st_mtime

    @property
    def store(self) -> Store:
        if self._store is None:
            cur = self._hold_generation()
            if cur is None:
                if self.read_only:
                    raise StoreError(f"no store at {self.root}", "run `plankg build` first (or pass --store)")
                self._store = Store()  # empty until the first write
            else:
                try:
                    self._store = Store.read_only(str(cur))
                except OSError as exc:
                    self._release_generation()
                    if not (cur / "CURRENT").is_file():  # not a RocksDB database at all: another format
                        raise unusable(cur, exc) from None
                    raise StoreError(f"cannot open the store at {cur}: {_first(exc)}", "is another plankg writing it?") from None
                except (RuntimeError, ValueError) as exc:  # RocksDB: "Corruption: …", an unknown version's layout
                    self._release_generation()
                    raise unusable(cur, exc) from None
                self.generation = cur.name
        return self._store

    def _hold_generation(self) -> Path | None:
        """The generation to read, with a shared lock on it held until :meth:`close` (writers then leave it)."""
        for _ in range(100):
            cur = self.root / self.generation if self.generation else self.current()
            if cur is None:
                return None
            try:
                (self.root / READERS).mkdir(exist_ok=True)  # made by every write; a store of older versions lacks it
                fd = os.open(self.root / READERS / cur.name, os.O_CREAT | os.O_RDWR, 0o644)
            except OSError:  # a read-only directory: nobody can write there either
                return cur if cur.is_dir() else None
            fcntl.flock(fd, fcntl.LOCK_SH)
            if cur.is_dir():  # still there once the lock is held: no writer removes it now
                self._release_generation()
                self._reader_fd = fd
                return cur
            os.close(fd)  # swept between reading CURRENT and locking: read CURRENT again
            if self.generation:
                raise StoreError(f"generation {self.generation} of {self.root} is gone",
                                 "a writer replaced it before this reader opened it: open the store again")
        raise StoreError(f"the store {self.root} changed too often while being opened", "try again")

    def _release_generation(self) -> None:
        if self._reader_fd is not None:
            os.close(self._reader_fd)
            self._reader_fd = None

    def text_index(self) -> text_index.TextIndex | None:
        """The text index of the generation this reader has open (written with it, so it matches it), or None."""
        if self._text_index is False:
            self.store  # holds the generation
            self._text_index = text_index.TextIndex.open(self.root / self.generation) if self.generation else None
        return self._text_index

    def close(self) -> None:
        if self._text_index:
            self._text_index.close()
        self._text_index = False
        self._store = None
        self._release_generation()
        if not self._pinned:
            self.generation = None
        self._forget()

    # -- writing -------------------------------------------------------------------
    @contextmanager
    def _lock(self):
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.root / ".lock", os.O_CREAT | os.O_RDWR, 0o644)
            (self.root / READERS).mkdir(exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the store directory {self.root}: {exc.strerror}") from None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StoreError(f"the store {self.root} is locked by another writer", "wait for it to finish") from None
            yield
        finally:
            os.close(fd)

    def _next_generation(self) -> Path:
        numbers = [int(p.name[4:]) for p in self.root.glob("gen-*") if p.name[4:].isdigit()]
        return self.root / f"gen-{max(numbers, default=0) + 1:06d}"

    def replace_graphs(self, graphs: Mapping[str, Iterable[Quad]], *, drop: Iterable[str] = (), reset: bool = False,
                       shared: Sharing | None = None, record: Statements | None = None) -> None:
        if self.read_only:
            raise StoreError("the store was opened read-only")
        if shared is not None and record is None and (shared.graph in graphs or shared.graph in set(drop)):
            raise StoreError(f"the shared graph <{shared.graph}> is the store's own (each triple two or more graphs state)",
                             "write or drop the graphs that state its triples instead")
        sizes = [len(q) if hasattr(q, "__len__") else None for q in graphs.values()]
        chunk = load_chunk(None if None in sizes else sum(sizes))
        with self._lock():
            self._sweep()
            old = self.current()
            new_dir = self._next_generation()
            new = failure = index = None
            try:
                if old is not None and not reset:
                    try:
                        Store.read_only(str(old)).backup(str(new_dir))
                    except (RuntimeError, ValueError) as exc:
                        raise unusable(old, exc) from None
                    except OSError as exc:
                        if not (old / "CURRENT").is_file():
                            raise unusable(old, exc) from None
                        raise
                new = Store(str(new_dir))
                existing = {g.value for g in new.named_graphs()}
                fresh = old is None or reset
                if not fresh and shared is not None:
                    record = Statements.load(old)  # None: a store written before its graphs were kept disjoint
                disjoint = shared is not None and (record is not None or fresh)
                for g in set(drop) | set(graphs) | ({shared.graph} if disjoint and not fresh else set()):
                    if g in existing:
                        new.remove_graph(NamedNode(g))
                if disjoint and not (fresh and record is not None):  # a write into the others: each triple placed
                    graphs = place(new, graphs, drop, record if record is not None else Statements(), shared)
                    record = record if record is not None else Statements()
                # a fresh store holds what is loaded, nothing else: the text index gathers it on the way in
                index = text_index.IndexFile(new_dir) if fresh and text_index.available() else None
                _load(new, graphs.values(), chunk, self.root / f".{new_dir.name}.nq",
                      index.gather if index is not None else None)  # invisible until the swap
                if disjoint:  # no triple in two graphs: their union is the merge, the default graph stays empty
                    new.remove_graph(DefaultGraph())
                    record.save(new_dir)
                else:  # the merge materialised in the default graph (a store from before, or no shared graph)
                    materialise_merge(new)
                new.flush()
                if index is not None:  # the labels' index, in the generation: swapped with it
                    index.finish()  # a list of quads may state one twice: kept once
                    index = None
                elif text_index.available():
                    text_index.build(new, new_dir, distinct=not disjoint)  # disjoint: each triple in one graph
                new = None  # closes the database before it becomes the current one
                self._swap(new_dir)
            except (OSError, sqlite3.Error) as exc:  # sqlite3: the text index gathered on the way in
                full = getattr(exc, "errno", None) == errno.ENOSPC or any(m in str(exc) for m in ("No space left", "disk is full"))
                failure = (f"writing the store failed, nothing was changed: {exc}",
                           "the disk is full: free some space and run again" if full else None)
            except BaseException:
                new = None
                if index is not None:
                    index.discard()
                self._discard(new_dir)
                raise
            if failure is not None:
                # Out of the except clause, so that nothing (no traceback, no exception context) keeps the
                # new database open: an open one keeps its lock (the next write in this process would fail
                # on it) and its deleted files (a full disk would stay full).
                new = None
                if index is not None:
                    index.discard()
                self._discard(new_dir)
                self.close()  # lets go of the generation read for the write too (opened again when next read)
                raise StoreError(*failure)
            self.close()  # lets go of the old generation, so that the sweep below can remove it
            try:
                self._sync_root()
            except OSError as exc:  # the swap is done: the new generation is the store now, so it must stay
                raise StoreError(f"the store was written, but syncing {self.root} failed: {exc}",
                                 "the change may not survive a power cut; check the disk") from None
            self._sweep()

    def _swap(self, new_dir: Path) -> None:
        tmp = self.root / (CURRENT + ".tmp")
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        os.symlink(new_dir.name, tmp)
        os.replace(tmp, self.root / CURRENT)

    def _sync_root(self) -> None:
        dir_fd = os.open(self.root, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def _discard(self, new_dir: Path) -> None:
        """After a failed write: remove the unfinished generation and a link to it that was never swapped in."""
        tmp = self.root / (CURRENT + ".tmp")
        if tmp.is_symlink() and os.readlink(tmp) == new_dir.name:
            tmp.unlink()
        cur = self.current()
        if cur is None or cur.resolve() != new_dir.resolve():
            shutil.rmtree(new_dir, ignore_errors=True)

    def _sweep(self) -> None:
        """Remove generations other than the current one (left by earlier writes or crashes) that no reader
        holds; one still read is left for a later write to remove."""
        for spool in self.root.glob(".gen-*.nq"):  # the load file of a write that was killed (see _load)
            spool.unlink(missing_ok=True)
        cur = self.current()
        for p in self.root.glob("gen-*"):
            if cur is not None and p.resolve() == cur.resolve():
                continue
            lock = self.root / READERS / p.name
            try:
                fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o644)
            except OSError:
                continue
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # a reader has it open
                shutil.rmtree(p, ignore_errors=True)
                lock.unlink(missing_ok=True)
            finally:
                os.close(fd)
        for lock in (self.root / READERS).glob("gen-*"):  # locks of generations already gone
            if not (self.root / lock.name).exists():
                try:
                    fd = os.open(lock, os.O_RDWR)
                except OSError:
                    continue
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    lock.unlink(missing_ok=True)
                except BlockingIOError:
                    pass
                finally:
                    os.close(fd)
