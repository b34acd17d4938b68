"""The query pool's event-loop path (QueryPool.run_async) against its thread path (QueryPool.run), on both
event loops uvicorn may pick (asyncio's own and uvloop, which makes a watched pipe non-blocking)."""

from __future__ import annotations

import asyncio

import pytest
import uvloop
from pyoxigraph import Literal, NamedNode, Quad

from plankg.graph_store import open_store
from plankg.publish.worker import QueryPool, QueryTimeout

G = NamedNode("https://example.org/g")


def rows_query(n: int, pad: int) -> str:
    """``n`` x ``n`` rows of about ``pad`` characters each, computed from the query alone."""
    values = " ".join(str(i) for i in range(n))
    return (f'SELECT ?x WHERE {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} '
            f'BIND(CONCAT(STR(?a), "-", STR(?b), "{"x" * pad}") AS ?x) }}')


#: a query that runs for seconds: a cross product of the store with itself, counted
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"


@pytest.fixture(scope="module")
def pool(tmp_path_factory):
    path = tmp_path_factory.mktemp("pool") / "s"
    writer = open_store(path)
    writer.replace_graphs({G: [Quad(NamedNode(f"https://example.org/s{i}"), NamedNode("https://example.org/p"),
                                    Literal(str(i)), G) for i in range(300)]})
    writer.close()
    reader = open_store(path, read_only=True)
    pool = QueryPool(reader, size=2, start_timeout=60)
    pool.run("ASK {}", timeout=60, max_rows=1)  # the workers are started and ready
    yield pool
    pool.close()
    reader.close()


LOOPS = {"asyncio": asyncio.run, "uvloop": uvloop.run}


@pytest.fixture(params=sorted(LOOPS))
def run_loop(request):
    return LOOPS[request.param]


def test_answers_larger_than_the_pipe_arrive_whole_on_either_loop(pool, run_loop):
    # 2 MB: more than a Unix socket holds, so the worker is still writing when the loop sees the first byte
    big, small = rows_query(100, 200), rows_query(10, 200)

    async def main():
        answers = [await pool.run_async(q, timeout=60, max_rows=20000) for q in (big, small) * 20]
        return [len(a.rows) for a in answers]

    assert run_loop(main()) == [10000, 100] * 20
    # the thread path still reads the same pipes (uvloop left them non-blocking: a read would fail EAGAIN)
    assert [len(pool.run(big, timeout=60, max_rows=20000).rows) for _ in range(4)] == [10000] * 4


def test_concurrent_queries_share_the_workers_and_none_is_lost(pool, run_loop):
    async def main():
        tasks = [pool.run_async(rows_query(10 + i % 7, 50), timeout=60, max_rows=1000) for i in range(40)]
        return [len(a.rows) for a in await asyncio.gather(*tasks)]

    assert run_loop(main()) == [(10 + i % 7) ** 2 for i in range(40)]
    assert len(pool.pids()) == 2 and len(pool._idle) == 2


def test_a_timed_out_query_replaces_its_worker_and_the_next_one_runs(pool, run_loop):
    before = set(pool.pids())

    async def main():
        with pytest.raises(QueryTimeout, match="longer than 0.3 s"):
            await pool.run_async(SLOW, timeout=0.3, max_rows=10)
        return len((await pool.run_async(rows_query(3, 1), timeout=60, max_rows=10)).rows)

    assert run_loop(main()) == 9
    after = set(pool.pids())
    assert len(after) == 2 and len(before & after) == 1  # one worker killed and replaced, the other kept


def test_a_cancelled_query_gives_its_worker_back(pool, run_loop):
    async def main():
        task = asyncio.ensure_future(pool.run_async(rows_query(60, 100), timeout=60, max_rows=5000))
        await asyncio.sleep(0)  # sent, not yet answered
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.sleep(1)  # the drain thread reads the abandoned answer
        return [len((await pool.run_async(rows_query(4, 1), timeout=60, max_rows=100)).rows) for _ in range(5)]

    assert run_loop(main()) == [16] * 5
    assert len(pool.pids()) == 2 and len(pool._idle) == 2

