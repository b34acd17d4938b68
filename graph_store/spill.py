"""A build's graphs on disk between the read and the load, so that a big build's memory stays bounded.

Why: ``plankg.pipeline.build`` reads the whole corpus, checks it and splits off the triples two graphs
state (:func:`plankg.graph_store.shared.split`) before it writes anything.  Held in memory, every
document's graph made the build's peak grow with the corpus (a 48.8 M triple build peaked at 8,837 MiB;
README, "Scale, 2026-12-04").  With a :class:`Spill`, each graph's text goes to one temporary file as it is
read and comes back, one graph at a time, for the split and for the load; memory holds only what the split
compares (hashes of the keys, see ``split``) and the small per-graph facts.

The file is private to one build (a fresh temporary directory, removed by :meth:`Spill.close` whatever
happens), so it never touches the store: a failed build leaves the store as it was and nothing behind.  A
build killed outright cannot remove its own: the next build removes the spill of every build whose process
is gone (the directory names its process in a ``pid`` file).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from pyoxigraph import NamedNode, Quad, RdfFormat, parse, serialize

#: where a build's spill directory is made (default: the system's temporary directory, ``TMPDIR``)
SPILL_DIR_ENV = "PLANKG_SPILL_DIR"


PREFIX = "plankg-spill-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def sweep_dead(where: Path) -> None:
    """Remove the spill directories in ``where`` whose build's process is gone (killed before it could)."""
    for d in where.glob(PREFIX + "*"):
        try:
            pid = int((d / "pid").read_text(encoding="ascii"))
        except (OSError, ValueError):  # not one of ours, or one being made right now
            continue
        if pid != os.getpid() and not _alive(pid):
            shutil.rmtree(d, ignore_errors=True)


class Spill:
    """An append-only temporary file of byte blobs: :meth:`put` gives a reference, :meth:`get` the bytes."""

    def __init__(self, where: str | os.PathLike | None = None):
        where = where or os.environ.get(SPILL_DIR_ENV) or None
        self.dir = Path(tempfile.mkdtemp(prefix=PREFIX, dir=where))
        try:
            (self.dir / "pid").write_text(str(os.getpid()), encoding="ascii")
            self._file = open(self.dir / "graphs", "w+b")  # noqa: SIM115 - closed by close()
            sweep_dead(self.dir.parent)
        except BaseException:
            shutil.rmtree(self.dir, ignore_errors=True)
            raise
        self._end = 0

    def put(self, data: bytes) -> tuple[int, int]:
        self._file.seek(self._end)
        self._file.write(data)
        ref = (self._end, len(data))
        self._end += len(data)
        return ref

    def get(self, ref: tuple[int, int]) -> bytes:
        self._file.seek(ref[0])
        return self._file.read(ref[1])

    def close(self) -> None:
        try:
            self._file.close()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def line_key(line: str) -> str:
    """The key (``shared.key``) of one N-Quads line this module or ``Packed`` wrote: the line less its graph
    term and the final `` .`` (a graph term, an IRI, holds no space)."""
    end = len(line) - (3 if line.endswith("\n") else 2)  # before " .\n"
    return line[:line.rindex(" ", 0, end)]


def keys_of(text: str, graph: str | None) -> list[str]:
    """The keys (:func:`line_key`) of N-Quads lines this module wrote, all in ``graph``: cut off at once
    (one ``str.replace`` of the graph part every line ends with), not line by line — the split reads the
    keys of some 50 M lines in a 50 M triple build.  Text with lines of other graphs is read line by line."""
    if graph is not None:
        suffix = f" <{graph}> .\n"  # a line ends at its only newline (a literal's is escaped): one per line
        if text.count(suffix) == text.count("\n"):
            return text.replace(suffix, "\n").split("\n")[:-1]
    return [line_key(line) for line in lines(text)]


def lines(text: str) -> list[str]:
    """The lines of N-Quads text, each with its ``\\n`` (``str.splitlines`` would also cut at U+2028 and the like,
    which a literal may hold as they are)."""
    return [line + "\n" for line in text.split("\n")[:-1]]


def nquads_bytes(quads: Iterable[Quad]) -> bytes:
    """N-Quads lines (UTF-8) made of each quad's key, its graph and `` .``, so that :func:`line_key` gives
    ``shared.key`` back exactly: pyoxigraph's serializer writes a term as ``str()`` of it does (both are its
    N-Triples form; tests/test_spill_build.py holds it to that), five times faster than joining them here.
    Every quad must be in a named graph (a build's are): one in the default graph would make a line of three terms."""
    return serialize(quads, format=RdfFormat.N_QUADS)


class Listed:
    """A graph given as quads (the ontology, organisations, concepts, reported values, mapping sets), held as
    compressed N-Quads in a :class:`Spill`.  Every triple is compared with every graph's (``open_keys``);
    after a split, ``moved`` holds the keys held by another graph, which it no longer states."""

    def __init__(self, quads: list[Quad], spill: Spill):
        self.count = len(quads)
        first = quads[0].graph_name if quads else None
        self.graph = first.value if isinstance(first, NamedNode) else None  # its quads' graph (all in one)
        text = nquads_bytes(quads)
        self.has_blank = b"_:" in text  # pyoxigraph's bulk_load would rename blank nodes: those load as quads
        self._ref = spill.put(zlib.compress(text, 1))
        self._spill = spill
        self.moved: frozenset[str] = frozenset()
        self._removed = 0

    def _text(self) -> bytes:
        return zlib.decompress(self._spill.get(self._ref))

    def open_keys(self) -> list[str]:
        return keys_of(self._text().decode("utf-8"), self.graph)

    def hold(self, held: dict[str, str], graph: str) -> None:
        """After a split: leave out what ``held`` puts in another graph."""
        keys = self.open_keys()
        self.moved = frozenset(k for k in held.keys() & keys if held[k] != graph)
        self._removed = sum(1 for k in keys if k in self.moved) if self.moved else 0

    def _kept(self) -> bytes:
        """Its N-Quads text, less the lines of ``moved`` (the text as it is when nothing moved)."""
        text = self._text()
        if not self.moved:
            return text
        return "".join(line for line in lines(text.decode("utf-8")) if line_key(line) not in self.moved).encode("utf-8")

    def nquads(self) -> bytes | None:
        """What it states as N-Quads for ``Store.bulk_load``, or None if it holds a blank node."""
        return None if self.has_blank else self._kept()

    def __iter__(self) -> Iterator[Quad]:
        return iter(parse(self._kept(), format=RdfFormat.N_QUADS))

    def __len__(self) -> int:
        return self.count - self._removed
