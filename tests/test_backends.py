"""The same suite over every store backend: embedded pyoxigraph, the Oxigraph server and Virtuoso, both spoken
to only through SPARQL 1.1 Query/Update and the Graph Store Protocol (plankg.graph_store.sparql_store).

The servers are started by the tests on 127.0.0.1 (free ports, temporary folders) and stopped after
(tests/servers.py).  A server program that is missing makes these tests fail with a message saying how to
install it; nothing is skipped.

For each backend: build the bundled corpus; every named-query test of test_queries.py and
test_queries_linked.py, with its exact expected answer; every named query's rows equal to the embedded
store's (for each parameter set below); validate (SHACL + OWL); export equal to the embedded store's.

Virtuoso 7.2.5 (Debian's virtuoso-opensource, the only one installable here) is spoken to with
``bind=substitute``; the named queries avoid the shapes it evaluates wrongly, so VIRTUOSO_BUGS is empty (an
entry there makes that query's tests strict xfails on Virtuoso).
"""

from __future__ import annotations

import inspect
from decimal import Decimal
from pathlib import Path

import pytest
from pyoxigraph import CanonicalizationAlgorithm, Dataset, NamedNode, Quad, RdfFormat, parse

import test_queries
import test_queries_linked
from plankg.errors import SparqlError, StoreError
from plankg.graph_store import open_store
from plankg.graph_store.sparql_store import TMP_PREFIX, SparqlStore, group_concat_columns, parse_spec, sort_group_concat
from plankg.pipeline import build
from plankg.queries.catalogue import catalogue, get_query
from plankg.queries.run import run_named
from plankg.validate import validate_store
from servers import OxigraphServer, ServerUnavailable, VirtuosoServer

GRAPH = "https://w3id.org/plankg/graph/"

#: named query → what Virtuoso 7.2.5 gets wrong (checked by hand against the SPARQL 1.1 semantics); empty since
#: the queries avoid the shapes it mishandles (plankg.graph_store.sparql_store, "Known server bugs")
VIRTUOSO_BUGS: dict[str, str] = {}
_NOT_STRICT: set[str] = set()

#: named query → parameter sets whose rows are compared with the embedded store's
PARAM_SETS = {
    "heading-tree": [{"doc": "outline-2021-2035"}, {"doc": "plan-2021-2025"}, {"doc": "annual-plan-2024"}],
    "goal-supporters": [{"goal": "plan-2021-2025/p2/s3"}, {"goal": "plan-2021-2025/p2/s3/b4"}],
    "goal-indicators": [{"goal": "plan-2021-2025/p2/s3"}, {"goal": "outline-2021-2035/p2/s3"}, {"goal": "plan-2021-2025/p2/s3/b1"}],
    "unsupported-sections": [{}, {"target": "plan-2021-2025", "source": "outline-2021-2035"}],
    "shared-indicators": [{}],
    "label-search": [{"text": "司法保护"}, {"text": "judicial", "language": "en"}, {"text": "司法保护", "language": "en"},
                     {"text": '") } SELECT * WHERE { ?s ?p ?o } #'}],
    "provenance": [{"node": "plan-2021-2025/p3/s2"}, {"node": "plan-2021-2025"},
                   {"node": "plan-2021-2025/value/high-value-invention-patents-per-10k/target-2025"}],
    "coverage-matrix": [{}, {"source": "plan-2026-2030"}],
    "unsupporting-sections": [{}],
    "plan-lineage": [{"doc": "plan-2021-2025"}, {"doc": "plan-2026-2030"}],
    "implemented-by": [{"doc": "annual-plan-2024"}],
    "indicator-history": [{"indicator": "indicator/high-value-invention-patents-per-10k"}],
    "targets-met": [{}],
    "sdg-links": [{}],
}


# -- servers and stores ------------------------------------------------------------------------

def _start(server):
    try:
        server.start()
    except ServerUnavailable as exc:
        server.stop()
        pytest.fail(str(exc), pytrace=False)
    return server


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    server = _start(OxigraphServer(tmp_path_factory.mktemp("oxigraph"), union=True))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    server = _start(VirtuosoServer(tmp_path_factory.mktemp("virtuoso")))
    yield server
    server.stop()


@pytest.fixture(scope="session", params=["embedded", "oxigraph-server", "virtuoso"])
def backend(request, corpus_store):
    """(name, store holding the bundled corpus) for each backend."""
    if request.param == "embedded":
        return request.param, corpus_store
    server = request.getfixturevalue("oxigraph_server" if request.param == "oxigraph-server" else "virtuoso_server")
    store = open_store(server.spec())
    build(store)
    return request.param, store


def _virtuoso_bug(name: str, query: str):
    if name == "virtuoso" and query in VIRTUOSO_BUGS:
        return pytest.mark.xfail(strict=query not in _NOT_STRICT, reason=f"Virtuoso 7.2.5 bug: {VIRTUOSO_BUGS[query]}")
    return None


# -- the existing tests, over each backend -------------------------------------------------------

def _query_tests():
    """(id, function, extra args) for every test of test_queries/test_queries_linked that takes corpus_store."""
    out = []
    for module in (test_queries, test_queries_linked):
        for fname, fn in vars(module).items():
            if not fname.startswith("test_") or not callable(fn):
                continue
            params = list(inspect.signature(fn).parameters)
            if not params or params[0] != "corpus_store":
                continue
            marks = [m for m in getattr(fn, "pytestmark", []) if m.name == "parametrize"]
            if marks:
                names = [n.strip() for n in marks[0].args[0].split(",")]
                for i, values in enumerate(marks[0].args[1]):
                    out.append((f"{module.__name__}.{fname}[{i}]", fn, dict(zip(names, values))))
            else:
                out.append((f"{module.__name__}.{fname}", fn, {}))
    return out


QUERY_TESTS = _query_tests()
#: which named query each existing test is about (for the known Virtuoso bugs)
_TEST_QUERY = {"test_goal_supporters_plan_main_goals": "goal-supporters", "test_goal_supporters_one_goal": "goal-supporters",
               "test_goal_indicators_plan": "goal-indicators", "test_goal_indicators_outline": "goal-indicators",
               "test_plan_lineage": "plan-lineage", "test_targets_met_early": "targets-met"}


@pytest.mark.parametrize("test_id", [t[0] for t in QUERY_TESTS])
def test_named_query_expected_answers(backend, test_id, request):
    name, store = backend
    _, fn, kwargs = next(t for t in QUERY_TESTS if t[0] == test_id)
    mark = _virtuoso_bug(name, _TEST_QUERY.get(fn.__name__, ""))
    if mark:
        request.applymarker(mark)
    fn(store, **kwargs)


def test_the_suite_covers_every_named_query():
    assert set(PARAM_SETS) == set(catalogue())
    assert len(QUERY_TESTS) >= 25


def _normal(query: str, rows: list[dict]) -> list[dict]:
    """GROUP_CONCAT items sorted (SPARQL leaves their order to the engine; the remote backend sorts them)."""
    concat = group_concat_columns(get_query(query).sparql)
    return [{k: sort_group_concat(v, concat[k]) if k in concat and isinstance(v, str) else v for k, v in r.items()} for r in rows]


@pytest.mark.parametrize("query,params", [(q, p) for q, ps in PARAM_SETS.items() for p in ps],
                         ids=[f"{q}-{i}" for q, ps in PARAM_SETS.items() for i, _ in enumerate(ps)])
def test_rows_equal_the_embedded_store(backend, corpus_store, query, params, request):
    name, store = backend
    mark = _virtuoso_bug(name, query)
    if mark:
        request.applymarker(mark)
    expected_cols, expected = run_named(corpus_store, query, params)
    cols, rows = run_named(store, query, params)
    assert cols == expected_cols
    assert _normal(query, rows) == _normal(query, expected)  # same rows, same order, same values and types
    for r, e in zip(rows, expected):
        assert [type(v) for v in r.values()] == [type(v) for v in e.values()]


def test_graphs_and_counts(backend, corpus_store):
    _, store = backend
    assert store.graph_names() == corpus_store.graph_names()
    assert store.count() == corpus_store.count()


def test_after_a_build_the_servers_union_is_the_merge(backend, corpus_store):
    """The build makes the graphs disjoint before it loads them (graph_store/shared.py), so a server's own union
    of the graphs counts each triple once as well."""
    _, store = backend
    from plankg.queries.run import result_rows

    rows = result_rows(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))[1]
    assert int(rows[0]["n"]) == len({q.triple for q in corpus_store.quads()}) == corpus_store.count()


def _canonical(nquads: bytes) -> list[str]:
    ds = Dataset(parse(nquads, format=RdfFormat.N_QUADS))
    ds.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(str(q) for q in ds)


def test_export_equals_the_embedded_store(backend, corpus_store):
    name, store = backend
    ours, theirs = store.export("nquads"), corpus_store.export("nquads")
    if name == "embedded":
        assert ours == theirs
    else:  # the same quads; blank node labels are the server's, relabelled canonically per graph
        assert _canonical(ours) == _canonical(theirs)
        assert store.export("nquads") == ours  # and stable: equal stores export equal bytes
    for fmt in ("trig", "jsonld", "turtle"):
        assert store.export(fmt)


def test_validate(backend):
    _, store = backend
    report = validate_store(store, owl=True)
    assert report.ok, report.lines
    assert any(line.startswith("SHACL: conforms") for line in report.lines)
    assert any(line.startswith("OWL (HermiT): consistent") for line in report.lines)


# -- the remote backend's own behaviour ---------------------------------------------------------

def test_bindings_are_values_blocks_of_rdf_terms(oxigraph_server):
    store = open_store(oxigraph_server.spec())
    sent = []
    real = SparqlStore._select

    def spy(self, sparql, *a, **kw):
        sent.append(sparql)
        return real(self, sparql, *a, **kw)

    SparqlStore._select = spy
    try:
        run_named(store, "label-search", {"text": 'a"b\\c\n") } #'})
        run_named(store, "unsupported-sections")
    finally:
        SparqlStore._select = real
    text = next(s for s in sent if "skos:prefLabel ?label" in s)
    assert 'VALUES (?text ?language) { ("a\\"b\\\\c\\n\\") } #" "any") }' in text
    text = next(s for s in sent if "FILTER NOT EXISTS" in s)
    where = text.index("WHERE {")
    assert text.index("VALUES (?target ?source)") < text.index("FILTER NOT EXISTS") and text.index("VALUES") > where


def test_union_by_dataset_on_a_server_without_the_union_flag(tmp_path, corpus_store):
    with OxigraphServer(tmp_path / "ox", union=False) as server:
        store = open_store(server.spec())  # union=dataset
        build(store)
        for q in ("heading-tree", "unsupported-sections", "goal-supporters", "coverage-matrix"):
            for params in PARAM_SETS[q]:
                assert _normal(q, run_named(store, q, params)[1]) == _normal(q, run_named(corpus_store, q, params)[1])
        plain = open_store(server.spec(union="server"))  # the server's default graph is empty here
        assert run_named(plain, "heading-tree", {"doc": "plan-2021-2025"})[1] == []
        store.close()


@pytest.mark.parametrize("server_name", ["oxigraph", "virtuoso"])
def test_failed_write_changes_nothing_and_leaves_no_temporary_graph(server_name, oxigraph_server, virtuoso_server, monkeypatch):
    server = oxigraph_server if server_name == "oxigraph" else virtuoso_server
    store = open_store(server.spec())
    build(store)
    before = store.export("nquads")
    calls = {"n": 0}
    real = SparqlStore._put

    def failing(self, tmp, quads):
        calls["n"] += 1
        if calls["n"] == 3:
            raise StoreError("the server refused the graph (simulated)")
        return real(self, tmp, quads)

    monkeypatch.setattr(SparqlStore, "_put", failing)
    monkeypatch.setattr(store.config, "parallel", 1)
    with pytest.raises(StoreError, match="nothing was changed"):
        build(store)
    monkeypatch.undo()
    assert store.export("nquads") == before
    assert not [g for g in store._all_graphs() if g.startswith(TMP_PREFIX)]


def test_a_lost_server_mid_build_gives_a_clear_error_and_no_partial_graph(tmp_path):
    server = OxigraphServer(tmp_path / "ox", union=True)
    with server:
        store = open_store(server.spec())
        build(store)
        before = store.export("nquads")
        real = SparqlStore._put
        calls = {"n": 0}

        def dying(self, tmp, quads):
            calls["n"] += 1
            if calls["n"] == 5:
                server.kill()  # the machine is gone
            return real(self, tmp, quads)

        SparqlStore._put = dying
        try:
            store.config.parallel = 1
            with pytest.raises(StoreError) as exc:
                build(store)
        finally:
            SparqlStore._put = real
        assert "nothing was changed" in str(exc.value) and "cannot reach" in str(exc.value)
        server.start()  # the same data folder and port
        again = open_store(server.spec())
        assert again.export("nquads") == before  # every graph as it was
        leftovers = [g for g in again._all_graphs() if g.startswith(TMP_PREFIX)]
        assert leftovers  # the four graphs loaded before the loss: outside the store's graphs …
        assert not set(leftovers) & set(again.graph_names())
        build(again)  # … and dropped by the next write
        assert not [g for g in again._all_graphs() if g.startswith(TMP_PREFIX)]
        assert again.export("nquads") == before


@pytest.mark.parametrize("swap", ["insert", "put"])
def test_other_swap_modes(tmp_path, corpus_store, swap):
    """swap=insert (one INSERT DATA request) and swap=put (a GSP PUT per graph): the same store and answers; a
    reset drops the graphs that go."""
    with OxigraphServer(tmp_path / "ox", union=True) as server:
        store = open_store(server.spec(swap=swap))
        store.replace_graphs({GRAPH + "gone": [Quad(NamedNode("http://e/s"), NamedNode("http://e/p"), NamedNode("http://e/o"),
                                                    NamedNode(GRAPH + "gone"))]})
        assert GRAPH + "gone" in store.graph_names()
        build(store)
        build(store)  # idempotent
        assert store.graph_names() == corpus_store.graph_names() and store.count() == corpus_store.count()  # "gone" dropped
        assert _canonical(store.export("nquads")) == _canonical(corpus_store.export("nquads"))
        for q in ("heading-tree", "coverage-matrix", "targets-met"):
            for params in PARAM_SETS[q]:
                assert _normal(q, run_named(store, q, params)[1]) == _normal(q, run_named(corpus_store, q, params)[1])
        store.close()


def test_ingest_replaces_one_graph_remotely(oxigraph_server, tmp_path):
    from plankg.pipeline import ingest

    store = open_store(oxigraph_server.spec())
    build(store)
    plan = sorted(str(q) for q in store.quads() if q.graph_name.value.endswith("/graph/plan-2021-2025"))
    fixture = Path(__file__).parent / "fixtures" / "fulltext" / "continuous.txt"
    doc, n, _ = ingest(store, fixture)
    assert GRAPH + doc in store.graph_names()
    text = fixture.read_text(encoding="utf-8").replace("加快数字政府建设", "加快智慧政府建设")
    (tmp_path / "continuous.txt").write_text(text, encoding="utf-8")
    ingest(store, tmp_path / "continuous.txt")
    labels = {r["l"].value for r in store.query(
        "SELECT ?l WHERE { GRAPH <%scontinuous> { <https://w3id.org/plankg/id/continuous/p4/s8> "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l } }" % GRAPH)}
    assert labels == {"加快智慧政府建设", "Section （八）"}
    assert sorted(str(q) for q in store.quads() if q.graph_name.value.endswith("/graph/plan-2021-2025")) == plan
    build(store)  # back to the bundled corpus for the other tests
    assert GRAPH + doc not in store.graph_names()


def test_cli_against_a_server(cli, oxigraph_server, tmp_path):
    import json

    spec = oxigraph_server.spec()
    r = cli("build", "--store", spec)
    assert r.exit_code == 0, r.output
    r = cli("query", "shared-indicators", "--format", "json", "--store", spec)
    assert sorted(row["target_b"] for row in json.loads(r.stdout)) == [7.5, 12, 13, 3500]
    r = cli("sparql", "ASK { ?s <https://w3id.org/plankg/ontology#documentNumber> \"国发〔2021〕20号\" }", "-f", "csv", "--store", spec)
    assert r.stdout.splitlines() == ["result", "True"]
    r = cli("sparql", "CONSTRUCT { ?d <http://purl.org/dc/terms/title> ?t } WHERE { GRAPH <https://w3id.org/plankg/graph/outline-2021-2035> "
            "{ ?d a <https://w3id.org/plankg/ontology#Outline> ; <http://purl.org/dc/terms/title> ?t FILTER(LANG(?t)='zh') } }",
            "-f", "json", "--store", spec)
    assert [t["object"] for t in json.loads(r.stdout)] == ["知识产权强国建设纲要（2021－2035年）"]
    r = cli("sparql", "SELECT * WHERE { ?s ?p }", "--store", spec)
    assert r.exit_code == 2 and "invalid SPARQL" in r.stderr
    r = cli("export", "-f", "nquads", "-o", tmp_path / "dump.nq", "--store", spec)
    assert r.exit_code == 0 and (tmp_path / "dump.nq").stat().st_size > 100_000


def test_virtuoso_refuses_writes_without_a_graph_scope(virtuoso_server):
    store = open_store(virtuoso_server.spec(graphs=""))
    with pytest.raises(StoreError, match="graphs="):
        store.replace_graphs({GRAPH + "x": []})
    assert any("openlinksw" in g for g in store.graph_names())  # unscoped: Virtuoso's own graphs are listed


def test_unreachable_server_and_read_only():
    from servers import free_port

    store = open_store(f"http://127.0.0.1:{free_port()}/query")
    with pytest.raises(StoreError, match="cannot reach the SPARQL server"):
        store.graph_names()
    with pytest.raises(StoreError, match="read-only"):
        open_store("http://127.0.0.1:1/query", read_only=True).replace_graphs({})


def test_store_specs(tmp_path):
    c = parse_spec("http://127.0.0.1:7878/query")
    assert (c.query, c.update, c.gsp, c.union) == ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update",
                                                    "http://127.0.0.1:7878/store", "dataset")
    c = parse_spec("sparql+https://u:pw@example.org/ds/query?update=/ds/update&gsp=/ds/data&union=server&auth=digest&timeout=5")
    assert (c.query, c.update, c.gsp, c.union, c.auth, c.timeout) == (
        "https://example.org/ds/query", "https://example.org/ds/update", "https://example.org/ds/data", "server",
        ("digest", "u", "pw"), 5.0)
    c = parse_spec("http://h:8890/sparql?graphs=https://w3id.org/plankg/graph/")
    assert (c.update, c.gsp, c.graphs) == ("http://h:8890/sparql", "http://h:8890/sparql-graph-crud", GRAPH)
    toml = tmp_path / "store.toml"
    toml.write_text('[store]\nquery = "http://h:1/sparql"\ngsp = "/sparql-graph-crud-auth"\nuser = "dba"\npassword = "x"\nauth = "digest"\n')
    c = parse_spec(str(toml))
    assert (c.gsp, c.auth) == ("http://h:1/sparql-graph-crud-auth", ("digest", "dba", "x"))
    assert isinstance(open_store(toml), SparqlStore)
    for bad, message in (("http://h/q?colour=red", "unknown option"), ("http://h/q?union=all", "union="),
                         ("ftp://h/q", "unknown store backend")):
        with pytest.raises(StoreError, match=message):
            open_store(bad)
    with pytest.raises(SparqlError):
        from plankg.graph_store.sparql_store import bind_values

        bind_values("SELECT * WHERE { ?s ?p ?o }", {"s": Decimal(1)})


def test_substitution_keeps_columns_and_modifiers():
    """bind=substitute / '# binding: inline': a term replaces its variable in the pattern and in expressions; a
    subquery's GROUP BY, or else its projection, gets (term AS ?v) so the column stays bound; ORDER BY and AS
    targets keep the variable; the result parses and answers like the VALUES form."""
    from pyoxigraph import Literal, NamedNode, Quad, Store

    from plankg.graph_store.sparql_text import bind_values

    q = ('SELECT ?d ?n WHERE { BIND(?d AS ?e) { SELECT ?d (COUNT(?x) AS ?n) WHERE { ?x <http://e/in> ?d '
         'FILTER(?d != <http://e/z>) } GROUP BY ?d ORDER BY ?d } } ORDER BY ?d')
    d = NamedNode("http://e/a")
    text = bind_values(q, {"d": d}, substitute=True)
    assert "SELECT ?d (COUNT(?x) AS ?n)" in text  # grouped: the GROUP BY binds it
    assert "?x <http://e/in> <http://e/a> FILTER(<http://e/a> != <http://e/z>)" in text
    assert "GROUP BY (<http://e/a> AS ?d) ORDER BY ?d" in text and text.endswith("ORDER BY ?d")
    assert "BIND(<http://e/a> AS ?e)" in text
    ungrouped = bind_values("SELECT * WHERE { { SELECT ?d ?x WHERE { ?x <http://e/in> ?d } } }", {"d": d}, substitute=True)
    assert "SELECT (<http://e/a> AS ?d) ?x WHERE { ?x <http://e/in> <http://e/a> }" in ungrouped
    store = Store()
    store.extend([Quad(NamedNode(f"http://e/x{i}"), NamedNode("http://e/in"), NamedNode(f"http://e/{c}"))
                  for i, c in enumerate("aab")])
    rows = [(r["d"], r["n"]) for r in store.query(text)]
    assert rows == [(d, Literal("2", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")))]
    assert rows == [(r["d"], r["n"]) for r in store.query(bind_values(q, {"d": d}))]
    # a string value is a literal term, never query text
    hostile = bind_values('SELECT ?t WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), ?t)) }', {"t": Literal('") } #')}, substitute=True)
    assert 'CONTAINS(STR(?o), "\\") } #")' in hostile


def test_swap_put_lost_server_leaves_each_graph_whole(tmp_path):
    """swap=put is atomic per graph: a server lost part way leaves the graphs written so far new, the rest old —
    each whole — and the error says that the build as a whole was not."""
    server = OxigraphServer(tmp_path / "ox", union=True)
    with server:
        store = open_store(server.spec(swap="put", parallel="1"))
        build(store)
        old = {g: sorted(str(q) for q in store.quads() if q.graph_name.value == g) for g in store.graph_names()}
        for g in old:  # mark every graph old, so that a rewritten one is told apart
            store.client.post(store.config.update, data={"update": f"INSERT DATA {{ GRAPH <{g}> {{ <http://e/old> <http://e/p> 1 }} }}"})
        real, calls = SparqlStore._put, {"n": 0}

        def dying(self, graph, quads):
            calls["n"] += 1
            if calls["n"] == 5:
                server.kill()
            return real(self, graph, quads)

        SparqlStore._put = dying
        try:
            with pytest.raises(StoreError, match="part way.*each graph is all old or all new"):
                build(store)
        finally:
            SparqlStore._put = real
        server.start()
        again = open_store(server.spec(swap="put"))
        new = old_left = 0
        for g, quads in old.items():
            now = sorted(str(q) for q in again.quads() if q.graph_name.value == g)
            marked = [q for q in now if "http://e/old" in q]
            assert now == quads or (len(marked) == 1 and [q for q in now if q not in marked] == quads)
            new, old_left = new + (not marked), old_left + bool(marked)
        assert new == 4 and old_left == len(old) - 4  # four PUTs done before the loss
        build(again)
        assert not any("http://e/old" in str(q) for q in again.quads())
