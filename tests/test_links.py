"""Link suggestion (issue 11 part 2): the suggester on an invented pair with a known answer, the SSSOM it writes
(read by sssom-py), loading suggestions into their own graph (left out of the named queries unless asked), and
accepting them into a curated set."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sssom.parsers import parse_sssom_table
from sssom.validators import validate as sssom_validate

from plankg.errors import DocumentError, UsageError
from plankg.graph_store import open_store
from plankg.graph_store.oxigraph_store import MemoryStore
from plankg.ingest.mappings import mapping_quads, read_mapping_set
from plankg.iris import Iris
from plankg.links import Settings, accept, load_suggestions, shared_wording, suggest, write_sssom
from plankg.pipeline import build, ingest
from plankg.queries.catalogue import catalogue
from plankg.queries.run import run_named

FIXTURES = Path(__file__).parent / "fixtures" / "links"
ID = "https://w3id.org/plankg/id/"
SRC, TGT = "chengzhou-green-source", "chengzhou-green-target"

#: the invented pair's answer: each heading of the action plan → the heading of the outline it carries out
EXPECTED_TOP = {
    "p1": "p2", "p1/s1": "p2/s2", "p1/s2": "p2/s1",
    "p2": "p3", "p2/s1": "p3/s1", "p2/s2": "p3/s2",
    "p3": "p4", "p3/s1": "p4/s1", "p3/s2": "p4/s2",
}


def _ingest_pair(store) -> None:
    for name, doc_id, kind in (("target", TGT, "Outline"), ("source", SRC, "ActionPlan")):
        ingest(store, FIXTURES / f"{name}.txt", Iris(), {"doc_id": doc_id, "doc_type": kind, "mark": "secondary"})


def _rows(path: Path) -> list[dict]:
    lines = [l for l in path.read_text(encoding="utf-8").splitlines() if not l.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@pytest.fixture
def pair_store():
    store = MemoryStore()
    _ingest_pair(store)
    return store


def test_the_suggester_finds_the_known_answer(pair_store):
    found = suggest(pair_store, SRC, TGT)
    assert {s[len(ID + SRC) + 1:] for s in found} == set(EXPECTED_TOP)
    top = {s[len(ID + SRC) + 1:]: xs[0].object.iri[len(ID + TGT) + 1:] for s, xs in found.items()}
    assert top == EXPECTED_TOP
    for xs in found.values():
        assert 1 <= len(xs) <= 3
        scores = [x.score for x in xs]
        assert scores == sorted(scores, reverse=True) and all(0 < x <= 1 for x in scores)
    # with no_deeper, a part is offered only parts (or goals) of the other document
    strict = suggest(pair_store, SRC, TGT, settings=Settings(no_deeper=True))
    parts = [xs for xs in strict.values() if xs[0].subject.depth == 0]
    assert len(parts) == 3 and all(x.object.depth == 0 or "Goal" in x.object.classes for xs in parts for x in xs)
    assert any(x.object.depth > 0 and "Goal" not in x.object.classes for s, xs in found.items() for x in xs
               if found[s][0].subject.depth == 0)  # by default a section may follow, scored down
    assert len(suggest(pair_store, SRC, TGT, top=1)[ID + SRC + "/p1/s1"]) == 1


def test_shared_wording_names_what_matched():
    assert shared_wording("新建一批社区游园", "推进社区游园建设") == ["社区游园"]
    assert shared_wording("开展古树名木普查", "健全古树名木普查制度") == ["古树名木普查"]
    assert shared_wording("甲乙", "丙丁") == []


def test_the_sssom_file_is_read_by_sssom_py(pair_store, tmp_path):
    out = tmp_path / "s.sssom.tsv"
    n = write_sssom(suggest(pair_store, SRC, TGT), SRC, TGT, out)
    msdf = parse_sssom_table(str(out))
    assert len(msdf.df) == n > len(EXPECTED_TOP)
    results = sssom_validate(msdf, fail_on_error=False)
    assert all(not getattr(r, "results", None) for r in results.values()), results
    assert msdf.metadata["mapping_set_id"].startswith("https://w3id.org/plankg/mappings/suggested/")
    df = msdf.df
    assert set(df["predicate_id"]) == {"pk:supports"}
    assert set(df["mapping_justification"]) == {"semapv:LexicalMatching"}
    assert set(df["mapping_tool"]) == {"plankg"} and df["mapping_tool_version"].notna().all()
    assert df["confidence"].between(0, 1).all()
    row = df[(df["subject_id"] == f"pkid:{SRC}/p1/s1") & (df["object_id"] == f"pkid:{TGT}/p2/s2")].iloc[0]
    assert "社区游园" in row["comment"] and row["subject_label"] == "新建一批社区游园"
    # our own reader takes it too, and every subject and object names a division of the store
    ms = read_mapping_set(out)
    known = {ID + r["subject_id"][len("pkid:"):] for _, r in ms.rows} | {ID + r["object_id"][len("pkid:"):] for _, r in ms.rows}
    assert all(pair_store.query(f"ASK {{ <{iri}> a <https://w3id.org/plankg/ontology#Division> }}") for iri in known)


def test_suggest_refuses_an_unknown_document(pair_store):
    with pytest.raises(UsageError, match="TARGET_DOC: document 'no-such-doc' has no divisions"):
        suggest(pair_store, SRC, "no-such-doc")
    with pytest.raises(UsageError, match="SOURCE_DOC"):
        suggest(pair_store, "Not An Id", TGT)
    with pytest.raises(UsageError, match="--top"):
        suggest(pair_store, SRC, TGT, top=0)


def test_accept_makes_rows_curated(pair_store, tmp_path):
    sugg = tmp_path / "s.sssom.tsv"
    write_sssom(suggest(pair_store, SRC, TGT, top=1), SRC, TGT, sugg)
    into = tmp_path / "corpus" / "mappings" / "green.sssom.tsv"
    added, known, written = accept(sugg, into, "orcid:0000-0002-1825-0097", date="2026-12-03")
    assert (added, known, written) == (len(EXPECTED_TOP), 0, into)
    rows = _rows(into)
    assert {r["mapping_justification"] for r in rows} == {"semapv:ManualMappingCuration"}
    assert {r["author_id"] for r in rows} == {"orcid:0000-0002-1825-0097"}
    assert all(r["comment"].startswith("accepted suggestion of plankg ") for r in rows)
    assert parse_sssom_table(str(into)).df.shape[0] == len(EXPECTED_TOP)
    # the curated set loads like any corpus set: the links are asserted, as pk:CuratedMapping records
    iris = Iris()
    known_iris = {r["d"].value for r in pair_store.query("SELECT ?d WHERE { ?d ?p ?o }")}
    _, quads = mapping_quads(read_mapping_set(into), iris, known_iris)
    assert sum(1 for q in quads if q.predicate.value.endswith("#supports")) == len(EXPECTED_TOP)
    # accepting again adds nothing; a second file's new rows are appended, the header kept
    assert accept(sugg, into, "orcid:0000-0002-1825-0097")[:2] == (0, len(EXPECTED_TOP))
    sugg3 = tmp_path / "s3.sssom.tsv"
    write_sssom(suggest(pair_store, SRC, TGT, top=2), SRC, TGT, sugg3)
    added, known, _ = accept(sugg3, into, "plankg:team")
    assert known == len(EXPECTED_TOP) and added > 0 and len(_rows(into)) == added + known
    assert into.read_text(encoding="utf-8").startswith("#curie_map:")


def test_accept_refuses_what_is_not_a_suggestion(pair_store, tmp_path):
    sugg = tmp_path / "s.sssom.tsv"
    write_sssom(suggest(pair_store, SRC, TGT, top=1), SRC, TGT, sugg)
    into = tmp_path / "set.sssom.tsv"
    with pytest.raises(UsageError, match="--author"):
        accept(sugg, into, "not a curie")
    text = sugg.read_text(encoding="utf-8").splitlines()
    header_at = next(i for i, l in enumerate(text) if not l.startswith("#"))
    text[header_at + 3] = text[header_at + 3].replace("semapv:LexicalMatching", "semapv:ManualMappingCuration")
    sugg.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(DocumentError, match=rf"s\.sssom\.tsv:{header_at + 4}: mapping_justification"):
        accept(sugg, into, "plankg:team")
    assert not into.exists()


def test_suggestions_stay_out_of_the_named_queries_unless_asked(tmp_path):
    path = tmp_path / "store"
    store = open_store(path)
    build(store)
    params = {"goal-indicators": {"goal": "plan-2021-2025/p2/s3"}, "goal-supporters": {"goal": "outline-2021-2035/p2"},
              "heading-tree": {"doc": "plan-2026-2030"}, "indicator-history": {"indicator": "high-value-invention-patents-per-10k"},
              "label-search": {"text": "知识产权"}, "provenance": {"node": "outline-2021-2035/p4/s8"},
              "coverage-matrix": {"source": "plan-2026-2030"}}
    before = {name: run_named(store, name, params.get(name)) for name in catalogue()}
    assert len(before) == 14
    sugg = tmp_path / "s.sssom.tsv"
    write_sssom(suggest(store, "plan-2026-2030", "outline-2021-2035"), "plan-2026-2030", "outline-2021-2035", sugg)
    graph, n = load_suggestions(store, sugg)
    assert graph == "https://w3id.org/plankg/graph/suggestions/s" and n > 30
    assert graph in store.graph_names()
    # no supports link is asserted by a suggestion: only pk:SuggestedMapping records
    assert not store.query(f"ASK {{ GRAPH <{graph}> {{ ?s <https://w3id.org/plankg/ontology#supports> ?o }} }}")
    after = {name: run_named(store, name, params.get(name)) for name in catalogue()}
    assert after == before  # every named query, by default, answers as without the suggestions
    cov = run_named(store, "coverage-matrix", {**params["coverage-matrix"], "include_suggested": "true"})
    assert cov[0] == before["coverage-matrix"][0]
    b = {r["section"]: r for r in before["coverage-matrix"][1]}
    more = [r for r in cov[1] if r["count"] > b[r["section"]]["count"]]
    assert more and all(r["count"] >= b[r["section"]]["count"] for r in cov[1])
    curated = {x for r in before["coverage-matrix"][1] for x in (r["supporters"] or "").split()}
    assert any(x not in curated for r in more for x in r["supporters"].split())
    sup = run_named(store, "goal-supporters", {**params["goal-supporters"], "include_suggested": "true"})
    stated = before["goal-supporters"][1]
    assert all(r in sup[1] for r in stated)  # what was there stays, as it was
    added = [r for r in sup[1] if r not in stated]
    assert added and {r["how"] for r in added} == {"suggested"}
    with pytest.raises(UsageError, match="include_suggested: 'yes' is not a boolean"):
        run_named(store, "coverage-matrix", {"include_suggested": "yes"})
    # loading again replaces the graph (no duplicates)
    assert load_suggestions(store, sugg)[1] == n


def test_load_refuses_curated_rows_and_unknown_divisions(pair_store, tmp_path):
    sugg = tmp_path / "s.sssom.tsv"
    write_sssom(suggest(pair_store, SRC, TGT, top=1), SRC, TGT, sugg)
    lines = sugg.read_text(encoding="utf-8").splitlines()
    header_at = next(i for i, l in enumerate(lines) if not l.startswith("#"))
    before = sorted(str(q) for q in pair_store.quads())
    bad = list(lines)
    bad[header_at + 2] = bad[header_at + 2].replace(f"pkid:{TGT}/p2/s2", f"pkid:{TGT}/p9/s9")
    sugg.write_text("\n".join(bad) + "\n", encoding="utf-8")
    with pytest.raises(DocumentError, match=rf":{header_at + 3}: object_id pkid:{TGT}/p9/s9 names no resource"):
        load_suggestions(pair_store, sugg)
    bad = list(lines)
    bad[header_at + 1] = bad[header_at + 1].replace("semapv:LexicalMatching", "semapv:ManualMappingCuration")
    sugg.write_text("\n".join(bad) + "\n", encoding="utf-8")
    with pytest.raises(DocumentError, match=rf":{header_at + 2}: this row is curated"):
        load_suggestions(pair_store, sugg)
    assert sorted(str(q) for q in pair_store.quads()) == before


def test_cli_suggest_load_accept(cli, tmp_path):
    store = tmp_path / "store"
    for name, doc_id, kind in (("target", TGT, "Outline"), ("source", SRC, "ActionPlan")):
        r = cli("ingest", FIXTURES / f"{name}.txt", "--id", doc_id, "--type", kind, "--store", store)
        assert r.exit_code == 0, r.output
    out = tmp_path / "green.sssom.tsv"
    r = cli("link", "suggest", SRC, TGT, "-o", out, "--store", store, "--top", "2")
    assert r.exit_code == 0, r.output
    assert "wrote" in r.output and len(_rows(out)) == 2 * len(EXPECTED_TOP)
    r = cli("link", "load", out, "--store", store)
    assert r.exit_code == 0 and "loaded 18 suggestion(s)" in r.output, r.output
    r = cli("link", "suggest", SRC, "nope", "-o", out, "--store", store)
    assert r.exit_code == 2 and "TARGET_DOC" in r.output
    into = tmp_path / "mappings" / "green.sssom.tsv"
    r = cli("link", "accept", out, "--into", into, "--author", "orcid:0000-0002-1825-0097")
    assert r.exit_code == 0 and "accepted 18 mapping(s)" in r.output, r.output
    assert {x["mapping_justification"] for x in _rows(into)} == {"semapv:ManualMappingCuration"}


@pytest.mark.parametrize("server_name", ["oxigraph", "virtuoso"])
def test_suggestions_on_a_sparql_server_answer_as_embedded(server_name, tmp_path):
    """The suggestion graph over SPARQL 1.1 (Oxigraph server, Virtuoso 7): the same answers with and without it."""
    from servers import OxigraphServer, ServerUnavailable, VirtuosoServer

    server = OxigraphServer(tmp_path / "ox", union=True) if server_name == "oxigraph" else VirtuosoServer(tmp_path / "vt")
    try:
        try:
            server.start()
        except ServerUnavailable as exc:
            pytest.fail(str(exc), pytrace=False)
        remote, local = open_store(server.spec()), MemoryStore()
        for store in (remote, local):
            build(store)
        sugg, again = tmp_path / "s.sssom.tsv", tmp_path / "local.sssom.tsv"
        write_sssom(suggest(remote, "plan-2026-2030", "outline-2021-2035"), "plan-2026-2030", "outline-2021-2035", sugg)
        write_sssom(suggest(local, "plan-2026-2030", "outline-2021-2035"), "plan-2026-2030", "outline-2021-2035", again)
        assert _rows(sugg) == _rows(again) and len(_rows(sugg)) > 30  # the same suggestions from either store
        calls = [("coverage-matrix", {"source": "plan-2026-2030"}), ("goal-supporters", {"goal": "outline-2021-2035/p2"})]
        before = [run_named(remote, q, p) for q, p in calls]
        for store in (remote, local):
            load_suggestions(store, sugg)
        for (q, p), old in zip(calls, before):
            assert run_named(remote, q, p) == old
            asked = run_named(remote, q, {**p, "include_suggested": "true"})
            assert asked == run_named(local, q, {**p, "include_suggested": "true"}) and asked != old
    finally:
        server.stop()


def test_cli_bad_input_is_one_line_and_changes_nothing(cli, tmp_path):
    store = tmp_path / "store"
    r = cli("ingest", FIXTURES / "target.txt", "--id", TGT, "--type", "Outline", "--store", store)
    assert r.exit_code == 0, r.output
    r = cli("link", "suggest", TGT, TGT, "-o", tmp_path / "s.sssom.tsv", "--top", "0", "--store", store)
    assert r.exit_code == 2 and "--top: 0 must be at least 1" in r.output
    (tmp_path / "dir.sssom.tsv").mkdir()
    r = cli("link", "suggest", TGT, TGT, "-o", tmp_path / "dir.sssom.tsv", "--store", store)
    assert r.exit_code == 2 and "--output: cannot write" in r.output
    before = cli("export", "--store", store).stdout
    r = cli("link", "load", tmp_path / "missing.sssom.tsv", "--store", store)
    assert r.exit_code == 1 and "missing.sssom.tsv: cannot read the mapping set" in r.output
    assert cli("export", "--store", store).stdout == before
    r = cli("link", "accept", tmp_path / "missing.sssom.tsv", "--into", tmp_path / "x.sssom.tsv")
    assert r.exit_code == 1 and not (tmp_path / "x.sssom.tsv").exists()


def test_shacl_checks_suggestion_records(pair_store, tmp_path):
    from pyoxigraph import Literal as L, NamedNode as N, Quad as Q

    from plankg.validate import validate_store

    sugg = tmp_path / "s.sssom.tsv"
    write_sssom(suggest(pair_store, SRC, TGT, top=1), SRC, TGT, sugg)
    graph, _ = load_suggestions(pair_store, sugg)
    (tmp_path / "corpus" / "mappings").mkdir(parents=True)
    report = validate_store(pair_store, owl=False, corpus=tmp_path / "corpus")
    assert report.ok, report.lines
    quads = [q for q in pair_store.quads() if q.graph_name.value == graph]
    record = next(q.subject for q in quads if q.object.value.endswith("#SuggestedMapping"))
    conf = N("https://w3id.org/sssom/confidence")
    bad = [q for q in quads if not (q.subject == record and q.predicate == conf)]
    bad.append(Q(record, conf, L("2.5", datatype=N("http://www.w3.org/2001/XMLSchema#decimal")), N(graph)))
    pair_store.replace_graphs({graph: bad})
    report = validate_store(pair_store, owl=False, corpus=tmp_path / "corpus")
    assert not report.ok and any("sssom:confidence is one xsd:decimal between 0 and 1" in str(l) for l in report.lines), report.lines
