"""SPARQL queries in worker processes that can be abandoned.

pyoxigraph cannot cancel a running query, so /sparql never runs one in the
server process.  A small pool of worker processes (``spawn``ed, each with the
store opened read-only) takes one query at a time through a pipe.  The server
waits for the answer up to the timeout; past it, the worker is killed (SIGKILL)
and replaced, and the client gets **503 Service Unavailable**
(``X-Plankg-Timeout``).  A worker stops reading solutions after ``max_rows``
(+1 to know whether there were more), so a huge result costs no more than the
cap.

Admission is bounded, so overload is answered fast instead of piling up
threads and waiting clients: :meth:`QueryPool.admission` lets in one query per
worker plus ``max_queue`` waiting ones and refuses the rest at once
(:class:`ServerBusy` → 503, ``Retry-After: 1``); a queued query that gets no
worker within ``queue_wait`` seconds is refused too.

Results cross the pipe as plain tuples (see :func:`encode`), never as live
pyoxigraph objects.

Two ways to a worker: :meth:`QueryPool.run` blocks (a thread calls it), and
:meth:`QueryPool.run_async`, on the event loop, writes the query straight to
a free worker's pipe and awaits the answer with the loop's reader — no thread
hop for a short query to pay; it falls back to ``run`` in a thread when no
started worker is free or others wait before it.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import multiprocessing
import os
import socket
import struct
import sys
import termios
import threading
import time
from dataclasses import dataclass
from functools import partial

import anyio

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    Triple,
)

from plankg.errors import PlankgError, SparqlError
from plankg.graph_store.base import Reopen
from plankg.graph_store.registry import reopen
from plankg.vocab import XSD

from .nonet import forbid_network

XSD_STRING = XSD.string.value


# -- terms across the pipe -------------------------------------------------------------------
def encode(term):
    """A pyoxigraph term as a tuple: ('uri', v) · ('bnode', id) · ('literal', v, lang, datatype) · ('triple', s, p, o)."""
    try:
        return _ENCODERS[type(term)](term)
    except KeyError:
        raise TypeError(type(term)) from None


#: by exact type (pyoxigraph's term classes are final): one dictionary lookup per term, as every cell of an
#: answer is encoded
_ENCODERS = {
    type(None): lambda t: None,
    NamedNode: lambda t: ("uri", t.value),
    BlankNode: lambda t: ("bnode", t.value),
    Literal: lambda t: ("literal", t.value, t.language, t.datatype.value),
    Triple: lambda t: ("triple", encode(t.subject), encode(t.predicate), encode(t.object)),
}


def decode(t):
    if t is None:
        return None
    kind = t[0]
    if kind == "uri":
        return NamedNode(t[1])
    if kind == "bnode":
        return BlankNode(t[1])
    if kind == "literal":
        if t[2]:
            return Literal(t[1], language=t[2])
        return Literal(t[1], datatype=NamedNode(t[3]))
    return Triple(decode(t[1]), decode(t[2]), decode(t[3]))


@dataclass
class Outcome:
    """What a query gave: kind is 'solutions', 'boolean' or 'triples'."""

    kind: str
    variables: list[str]
    rows: list  # solutions: list of tuples of encoded terms; triples: list of (s, p, o)
    boolean: bool | None = None
    truncated: bool = False
    seconds: float = 0.0


def _size(t) -> int:
    """Characters a term holds (its value, language and datatype; a quoted triple's three terms)."""
    if t is None:
        return 0
    if t[0] == "triple":
        return _size(t[1]) + _size(t[2]) + _size(t[3])
    return sum(len(x) for x in t[1:] if x)


#: characters of term text an answer may hold by default: the row cap alone lets 300 rows of 1 MB literals through
DEFAULT_MAX_CHARS = 32 * 1024 * 1024


def execute(store, sparql: str, max_rows: int, max_chars: int = DEFAULT_MAX_CHARS, dataset=None,
            base_iri: str | None = None) -> Outcome:
    """Run a query on a GraphStore and read at most ``max_rows`` answers holding at most ``max_chars``
    characters of term text (past either cap the answer is cut there and marked truncated); ``dataset``:
    (default graph IRIs, named graph IRIs) from the protocol, overriding the query's FROM / FROM NAMED;
    ``base_iri``: the service's base IRI for relative IRIs (SPARQL 1.1 Protocol: it may be the endpoint's URL)."""
    started = time.perf_counter()
    extra = {k: v for k, v in (("dataset", dataset), ("base_iri", base_iri)) if v is not None}
    result = store.query(sparql, **extra)
    if isinstance(result, QueryBoolean):
        return Outcome("boolean", [], [], bool(result), seconds=time.perf_counter() - started)
    rows, truncated, chars = [], False, 0
    if isinstance(result, QuerySolutions):
        variables = [v.value for v in result.variables]
        for sol in result:
            if len(rows) >= max_rows:
                truncated = True
                break
            row = tuple(map(encode, sol))
            chars += sum(_size(t) for t in row)
            if chars > max_chars:
                truncated = True
                break
            rows.append(row)
        return Outcome("solutions", variables, rows, truncated=truncated, seconds=time.perf_counter() - started)
    for t in result:  # QueryTriples
        if len(rows) >= max_rows:
            truncated = True
            break
        row = (encode(t.subject), encode(t.predicate), encode(t.object))
        chars += sum(_size(x) for x in row)
        if chars > max_chars:
            truncated = True
            break
        rows.append(row)
    return Outcome("triples", ["subject", "predicate", "object"], rows, truncated=truncated,
                   seconds=time.perf_counter() - started)


#: stack of the thread that plans and runs a query.  pyoxigraph's planner recurses once per level of the
#: algebra; with the main thread's 8 MiB a query of 10,000 chained operators overflows it (SIGSEGV).  Only
#: the pages touched are committed, so a large reservation costs nothing until a deep query needs it.
ENGINE_STACK = 512 * 1024 * 1024


class ServiceRefused(PlankgError):
    """The engine tried to open a connection and the worker has no network (see :mod:`.nonet`)."""

    status = 403


def execute_guarded(store, sparql: str, max_rows: int, max_chars: int = DEFAULT_MAX_CHARS, dataset=None,
                    base_iri: str | None = None, sandboxed: bool = False) -> Outcome:
    """:func:`execute` on a thread with a deep stack; in a ``sandboxed`` process (:mod:`.nonet`) a refused
    connection becomes :class:`ServiceRefused` (a SERVICE call that the reading of its text did not see)."""
    box: dict = {}

    def work():
        try:
            box["outcome"] = _execute_sandboxed(store, sparql, max_rows, max_chars, dataset, base_iri, sandboxed)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = exc

    old = threading.stack_size()
    threading.stack_size(ENGINE_STACK)
    try:
        t = threading.Thread(target=work, name="plankg-engine")
        t.start()
    finally:
        threading.stack_size(old)
    t.join()
    if "error" in box:
        raise box["error"]
    return box["outcome"]


def _execute_sandboxed(store, sparql, max_rows, max_chars, dataset, base_iri, sandboxed: bool) -> Outcome:
    """:func:`execute` on this thread; in a ``sandboxed`` process a refused connection is :class:`ServiceRefused`."""
    try:
        return execute(store, sparql, max_rows, max_chars, dataset, base_iri)
    except PermissionError:
        if sandboxed:
            raise ServiceRefused("the query tried to reach another server (SERVICE), and this endpoint allows "
                                 "no SERVICE call") from None
        raise


# -- the worker process ----------------------------------------------------------------------
def _serve(conn, source, sandbox: bool) -> None:  # pragma: no cover - runs in the child
    """The worker's loop, on one thread with the engine's deep stack, started once for the worker's life rather
    than once per query (a cost a small query need not pay)."""
    old = threading.stack_size()
    threading.stack_size(ENGINE_STACK)
    try:
        t = threading.Thread(target=_serve_loop, args=(conn, source, sandbox), name="plankg-engine")
        t.start()
    finally:
        threading.stack_size(old)
    t.join()


def _serve_loop(conn, source, sandbox: bool) -> None:  # pragma: no cover - runs in the child
    no_network = sandbox and forbid_network()
    if sandbox and not no_network:
        print("plankg: warning: the query worker could not give up its network (seccomp is not available "
              "here); SERVICE calls are refused by reading the query only", file=sys.stderr)
    try:
        store = reopen(source)  # what the server's store said of itself
    except Exception as exc:  # noqa: BLE001
        conn.send(("dead", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        sparql, max_rows, max_chars, dataset, base_iri = msg
        try:
            conn.send(("ok", _execute_sandboxed(store, sparql, max_rows, max_chars, dataset, base_iri, no_network)))
        except (SparqlError, ServiceRefused) as exc:  # the query's own fault: it crosses the pipe as itself
            conn.send(("raised", exc))
        except Exception as exc:  # noqa: BLE001 - logged here; the client is told no more than that it failed
            print(f"plankg: query worker error: {type(exc).__name__}: {exc}", file=sys.stderr)
            conn.send(("error", f"the engine could not run the query ({type(exc).__name__})"))


def sandboxed(source: Reopen, allow_network: bool) -> bool:
    """Does a worker reading ``source`` run without network?  Yes unless SERVICE hosts are allowed or the
    store itself is a remote server (which the worker must reach)."""
    return not allow_network and not source.remote


def store_source(store) -> Reopen:
    """How a worker opens ``store`` again: what the store says of itself (:meth:`GraphStore.reopen`)."""
    return store.reopen()


def answer(status: str, payload):
    """What a worker sent back, as the outcome or the exception it stands for."""
    if status == "ok":
        return payload
    if status == "raised":  # a SparqlError (with its line and column) or ServiceRefused, as the worker raised it
        raise payload
    raise WorkerFailed(payload)


async def _in_own_thread(call, *args, **kwargs):
    """``call`` in a thread outside anyio's shared limiter (40 threads), so that queries waiting for a worker
    never delay /health or pages; admission already bounds these threads to workers + queue."""
    return await anyio.to_thread.run_sync(partial(call, *args, **kwargs), limiter=anyio.CapacityLimiter(1))


async def _readable(fd: int, timeout: float) -> bool:
    """Wait on the event loop until ``fd`` can be read (True) or ``timeout`` seconds pass (False)."""
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    loop.add_reader(fd, lambda: ready.done() or ready.set_result(True))
    try:
        return await asyncio.wait_for(ready, timeout)
    except asyncio.TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)
        os.set_blocking(fd, True)  # uvloop's reader made it non-blocking (the flag is the pipe's, not the fd's)


class QueryTimeout(PlankgError):
    """The query ran past the timeout; its worker was killed and replaced."""

    status = 503


def _timed_out(timeout: float) -> QueryTimeout:
    return QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")


class ServerBusy(PlankgError):
    """Every worker is busy and the queue is full, no worker became free in time, or the server is stopping."""

    status = 503


class WorkerFailed(PlankgError):
    """A worker could not start, could not open the store, or died on the query."""

    status = 503


#: what a client is told when its query's worker died under it
STOPPED = ("the query stopped its worker process (the engine failed on it; the worker was replaced): "
           "simplify the query")


class _Worker:
    def __init__(self, ctx, source, sandbox: bool):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, source, sandbox), daemon=True,
                                name="plankg-sparql-worker")
        self.proc.start()
        child.close()
        self.ready = False
        #: the same socket as ``conn``, to peek at an answer's length before reading it (see QueryPool.run_async)
        self.peek = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM, fileno=os.dup(self.conn.fileno()))

    def wait_ready(self, timeout: float) -> None:
        if self.ready:
            return
        if not self.conn.poll(timeout):
            raise WorkerFailed("a query worker did not start in time")
        msg = self.conn.recv()
        if msg[0] != "ready":
            raise WorkerFailed(f"a query worker could not open the store: {msg[1]}")
        self.ready = True

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()
        self.peek.close()

    def answer_arrived(self) -> bool:
        """Is a whole answer waiting in the pipe, so that reading it cannot block?  (Its length header, peeked
        at, against the bytes the socket holds; an answer larger than the socket's buffer is never whole.)"""
        head = self.peek.recv(12, socket.MSG_PEEK)
        if len(head) < 4:
            return False  # not yet, or the worker died: a blocking recv() tells which
        (n,) = struct.unpack("!i", head[:4])
        if n == -1:  # multiprocessing's header for a message over 2 GiB
            return False
        held = struct.unpack("i", fcntl.ioctl(self.peek.fileno(), termios.FIONREAD, b"\0\0\0\0"))[0]
        return held >= 4 + n

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(2)
        self.kill()


class QueryPool:
    """``size`` worker processes; :meth:`run` blocks (call it from a thread), :meth:`run_async` awaits; both
    inside :meth:`admission`."""

    def __init__(self, store, size: int = 2, start_timeout: float = 60.0, allow_network: bool = False,
                 max_chars: int = DEFAULT_MAX_CHARS):
        self.source = store_source(store)
        #: characters of term text one answer may hold (the row cap does not bound bytes)
        self.max_chars = max_chars
        #: the workers have no network (:mod:`.nonet`): SERVICE cannot connect, whatever the query says
        self.sandbox = sandboxed(self.source, allow_network)
        self.size = max(1, size)
        self.start_timeout = start_timeout
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._cond = threading.Condition()
        self._count_lock = threading.Lock()  # not _cond: admission must never wait behind a worker's spawn
        self._admitted = 0
        self._waiting = 0  # queries blocked in _checkout: a fast-path query never overtakes them
        self._started = False
        self._closed = False

    def _ensure_started(self) -> None:
        if not self._started:
            self._started = True
            for _ in range(self.size):
                self._spawn()

    def _spawn(self) -> None:
        w = _Worker(self._ctx, self.source, self.sandbox)
        self._all.add(w)
        self._idle.append(w)
        self._cond.notify()

    @contextlib.contextmanager
    def admission(self, max_queue: int):
        """A place among the running and waiting queries, or ServerBusy now: refusing at once is what keeps
        an overloaded server answering.  Cheap and non-blocking, so it may run on the event loop."""
        with self._count_lock:
            if self._closed:
                raise ServerBusy("the server is shutting down")
            if self._admitted >= self.size + max(0, max_queue):
                raise ServerBusy(f"all {self.size} query workers are busy and {max_queue} queries are waiting")
            self._admitted += 1
        try:
            yield
        finally:
            with self._count_lock:
                self._admitted -= 1

    def _checkout(self, wait: float) -> _Worker:
        """An idle worker, waiting at most ``wait`` seconds (FIFO) for one to come back."""
        until = time.monotonic() + wait
        with self._cond:
            self._ensure_started()
            self._waiting += 1
            try:
                while not self._idle and not self._closed:
                    remaining = until - time.monotonic()
                    if remaining <= 0 or not self._cond.wait(remaining):
                        break
            finally:
                self._waiting -= 1
            if self._closed:
                raise ServerBusy("the server is shutting down")
            if not self._idle:
                raise ServerBusy(f"no query worker became free within {wait:g} s")
            w = self._idle.pop()
            if not w.proc.is_alive():  # died while idle (killed, out of memory): a fresh one, not a failed query
                self._replace(w)  # (the condition's lock is reentrant) puts the new worker among the idle
                w = self._idle.pop()
            return w

    def _checkin(self, w: _Worker) -> None:
        with self._cond:
            if self._closed:
                w.stop()
                return
            self._idle.append(w)
            self._cond.notify()

    def _replace(self, w: _Worker) -> None:
        w.kill()
        with self._cond:
            self._all.discard(w)
            if not self._closed:
                self._spawn()

    def run(self, sparql: str, *, timeout: float, max_rows: int, queue_wait: float | None = None,
            dataset=None, base_iri: str | None = None) -> Outcome:
        """Run on a worker: wait for one at most ``queue_wait`` s (default ``timeout``), then let the query
        run ``timeout`` s.  The clock starts once the worker is ready, so a worker just respawned after a
        kill is not killed again for its own start-up time."""
        w = self._checkout(timeout if queue_wait is None else queue_wait)
        try:
            w.wait_ready(self.start_timeout)
            w.conn.send((sparql, max_rows, self.max_chars, dataset, base_iri))
            arrived = w.conn.poll(timeout)
        except (EOFError, OSError, WorkerFailed):
            self._replace(w)
            raise WorkerFailed(STOPPED) from None
        if not arrived:
            self._replace(w)
            raise _timed_out(timeout)
        return answer(*self._receive(w))

    #: a query text up to this size is written to the pipe on the event loop (the worker takes it at once)
    INLINE_QUERY_BYTES = 64 << 10

    def _take_ready(self) -> _Worker | None:
        """An idle worker that has started and is alive, if one is free and no query waits before this one."""
        with self._cond:
            if self._closed or self._waiting or not self._started:
                return None
            for i in range(len(self._idle) - 1, -1, -1):
                w = self._idle[i]
                if w.ready and w.proc.is_alive():
                    return self._idle.pop(i)
            return None

    async def run_async(self, sparql: str, *, timeout: float, max_rows: int, queue_wait: float | None = None,
                        dataset=None, base_iri: str | None = None) -> Outcome:
        """:meth:`run` without a thread when a started worker is free: the query is written to its pipe and the
        answer awaited on the event loop (no thread hop).  Otherwise — every worker busy or starting, or a long
        query text — :meth:`run` in a thread of its own."""
        w = self._take_ready() if len(sparql) <= self.INLINE_QUERY_BYTES else None
        if w is None:
            return await _in_own_thread(self.run, sparql, timeout=timeout, max_rows=max_rows,
                                           queue_wait=queue_wait, dataset=dataset, base_iri=base_iri)
        deadline = time.monotonic() + timeout
        try:
            w.conn.send((sparql, max_rows, self.max_chars, dataset, base_iri))
            arrived = await _readable(w.conn.fileno(), timeout)
        except asyncio.CancelledError:  # the client went away: the answer still comes, and the worker with it
            threading.Thread(target=self._drain, args=(w, deadline), daemon=True).start()
            raise
        except OSError:
            await _in_own_thread(self._replace, w)
            raise WorkerFailed(STOPPED) from None
        if not arrived:
            await _in_own_thread(self._replace, w)
            raise _timed_out(timeout)
        if w.answer_arrived():  # whole in the socket: reading it cannot block the loop
            status, payload = self._receive(w)
        else:  # a large answer, still arriving (or the worker died): read it while the loop serves others
            status, payload = await _in_own_thread(self._receive, w)
        return answer(status, payload)

    def _receive(self, w: _Worker):
        """The answer waiting on ``w``'s pipe; ``w`` goes back to the idle (or is replaced if it died)."""
        try:
            message = w.conn.recv()
        except (EOFError, OSError):
            self._replace(w)
            raise WorkerFailed(STOPPED) from None
        self._checkin(w)
        return message

    def _drain(self, w: _Worker, deadline: float) -> None:
        """Read and drop the answer of an abandoned query, then return the worker (or replace it past the time)."""
        try:
            if w.conn.poll(max(0.0, deadline - time.monotonic())):
                w.conn.recv()
                self._checkin(w)
                return
        except (EOFError, OSError):
            pass
        self._replace(w)

    def pids(self) -> list[int]:
        return [w.proc.pid for w in self._all if w.proc.pid]

    def close(self) -> None:
        with self._count_lock:
            self._closed = True
        with self._cond:
            workers, self._all, self._idle = list(self._all), set(), []
            self._cond.notify_all()  # queued queries are refused now, not after their wait
        for w in workers:
            w.stop()


# -- one query, isolated (the CLI) -------------------------------------------------------------------------
def _run_once(conn, source, sandbox: bool, sparql: str, max_rows: int, dataset) -> None:  # pragma: no cover
    no_network = sandbox and forbid_network()
    try:
        store = reopen(source)
        conn.send(("ok", execute_guarded(store, sparql, max_rows, DEFAULT_MAX_CHARS, dataset, None, no_network)))
    except (SparqlError, ServiceRefused) as exc:
        conn.send(("raised", exc))
    except Exception as exc:  # noqa: BLE001
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def run_isolated(store, sparql: str, *, allow_network: bool = False, max_rows: int = 10**9,
                 dataset=None) -> Outcome:
    """Run one query in a child process, as the endpoint's workers do: without network (unless SERVICE hosts
    are allowed or the store is remote), on a deep stack, and so that an engine crash is an error here, not
    the end of the caller.  A remote store is asked directly (the server runs the query, not pyoxigraph)."""
    source = store_source(store)
    if source.remote:
        return execute(store, sparql, max_rows, DEFAULT_MAX_CHARS, dataset)
    ctx = multiprocessing.get_context("fork")  # cheap; the child opens the store itself
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_run_once, args=(child, source, sandboxed(source, allow_network), sparql, max_rows, dataset),
                       daemon=True, name="plankg-query")
    proc.start()
    child.close()
    try:
        status, payload = parent.recv()
    except EOFError:
        proc.join()
        raise WorkerFailed(f"the query stopped the engine (its process ended with code {proc.exitcode}): "
                           "simplify the query") from None
    finally:
        parent.close()
    proc.join()
    return answer(status, payload)
