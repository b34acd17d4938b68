"""Curated links of other document pairs as evidence for suggested links (plankg.link_evidence): an invented
trio (tests/fixtures/links/evidence_*.txt) in which the headings alone put the wrong section first, and a curated
set linking a third document (annual points) to both puts the right one first, saying why."""

from __future__ import annotations

from pathlib import Path

import pytest
from sssom.parsers import parse_sssom_table
from sssom.validators import validate as sssom_validate

from plankg.graph_store.oxigraph_store import MemoryStore
from plankg.ingest.mappings import mapping_quads, read_mapping_set
from plankg.iris import Iris
from plankg.link_evidence import CuratedLink, Evidence, read_curated_links
from plankg.links import Settings, store_evidence, suggest, write_sssom
from plankg.pipeline import ingest

FIXTURES = Path(__file__).parent / "fixtures" / "links"
ID = "https://w3id.org/plankg/id/"
SRC, TGT, BRIDGE = "chengzhou-ev-source", "chengzhou-ev-target", "chengzhou-ev-points"
STEM = "points_implements_source-and-target"

#: 打通滨河绿道 and 落实经费 share no wording with their counterparts 建设生态廊道 and 保障养护资金
EXPECTED_TOP = {"p1/s1": "p1/s1", "p1/s2": "p1/s2", "p2/s1": "p2/s1", "p2/s2": "p2/s2"}

SET = f"""#curie_map:
#  pkid: "{ID}"
#  pk: "https://w3id.org/plankg/ontology#"
#  semapv: "https://w3id.org/semapv/vocab/"
#mapping_set_id: "https://w3id.org/plankg/mappings/{STEM}"
#license: "https://creativecommons.org/publicdomain/zero/1.0/"
#creator_id:
#  - "pkid:test-curator"
subject_id\tpredicate_id\tobject_id\tmapping_justification\tconfidence\tcomment
pkid:{BRIDGE}/p1/s1\tpk:implements\tpkid:{SRC}/p1/s2\tsemapv:ManualMappingCuration\t0.9\tshared wording: 滨河绿道
pkid:{BRIDGE}/p1/s1\tpk:implements\tpkid:{TGT}/p1/s2\tsemapv:ManualMappingCuration\t0.8\tmeaning: a greenway is an ecological corridor
pkid:{BRIDGE}/p1/s2\tpk:implements\tpkid:{TGT}/p2/s2\tsemapv:ManualMappingCuration\t0.9\tshared wording: 养护 资金/经费
"""


def _load_set(store, tmp_path: Path, text: str = SET, name: str = STEM) -> None:
    path = tmp_path / f"{name}.sssom.tsv"
    path.write_text(text, encoding="utf-8")
    graph, quads = mapping_quads(read_mapping_set(path), Iris())
    store.replace_graphs({graph: quads})


@pytest.fixture
def trio(tmp_path):
    store = MemoryStore()
    for name, doc_id, kind in (("target", TGT, "Outline"), ("source", SRC, "ActionPlan"),
                               ("bridge", BRIDGE, "AnnualPromotionPlan")):
        ingest(store, FIXTURES / f"evidence_{name}.txt", Iris(), {"doc_id": doc_id, "doc_type": kind, "mark": "secondary"})
    _load_set(store, tmp_path)
    return store


def _top(found) -> dict[str, str]:
    return {s[len(ID + SRC) + 1:]: xs[0].object.iri[len(ID + TGT) + 1:] for s, xs in found.items() if "/s" in s}


def test_the_headings_alone_miss_two_sections(trio):
    top = _top(suggest(trio, SRC, TGT, settings=Settings(w_evidence=0)))
    assert top["p1/s1"] == "p1/s1" and top["p2/s1"] == "p2/s1"
    assert top["p1/s2"] != "p1/s2" and top["p2/s2"] != "p2/s2"


def test_curated_links_of_another_pair_put_the_right_section_first(trio):
    found = suggest(trio, SRC, TGT)
    assert _top(found) == EXPECTED_TOP
    bridge = found[f"{ID}{SRC}/p1/s2"][0]
    assert f"curated-link evidence: co-implemented by {BRIDGE}/p1/s1 ({STEM})" in bridge.matched
    exemplar = found[f"{ID}{SRC}/p2/s2"][0]
    assert (f"the target is linked from {BRIDGE}/p1/s2 加大养护经费投入 (pk:implements, {STEM}), "
            "whose heading shares 经费") in exemplar.matched
    assert "evidence" not in found[f"{ID}{SRC}/p1/s1"][0].matched  # the headings alone: no evidence claimed
    assert all(0 < x.score <= 1 for xs in found.values() for x in xs)


def test_the_sssom_with_evidence_comments_is_read_by_sssom_py(trio, tmp_path):
    out = tmp_path / "s.sssom.tsv"
    n = write_sssom(suggest(trio, SRC, TGT), SRC, TGT, out)
    msdf = parse_sssom_table(str(out))
    assert len(msdf.df) == n
    results = sssom_validate(msdf, fail_on_error=False)
    assert all(not getattr(r, "results", None) for r in results.values()), results
    df = msdf.df
    row = df[(df["subject_id"] == f"pkid:{SRC}/p1/s2") & (df["object_id"] == f"pkid:{TGT}/p1/s2")].iloc[0]
    assert "co-implemented by" in row["comment"] and set(df["mapping_justification"]) == {"semapv:LexicalMatching"}


def test_links_between_the_two_documents_are_never_evidence(trio, tmp_path):
    # a curated (wrong) link from the source to the target, in another set: not used for the pair it links
    wrong = SET.split("subject_id")[0].replace(STEM, "direct") + (
        "subject_id\tpredicate_id\tobject_id\tmapping_justification\tconfidence\tcomment\n"
        f"pkid:{SRC}/p1/s1\tpk:supports\tpkid:{TGT}/p2/s1\tsemapv:ManualMappingCuration\t0.9\tinvented\n")
    _load_set(trio, tmp_path, wrong, "direct")
    assert _top(suggest(trio, SRC, TGT)) == EXPECTED_TOP
    ev = store_evidence(trio, Iris(), exclude_docs=(SRC, TGT))
    assert not any({Iris().doc_id_of(l.subject), Iris().doc_id_of(l.object)} == {SRC, TGT} for l in ev.links)
    assert len(ev.links) == len(read_curated_links(trio)) - 1


def test_excluded_and_unseen_sets_leave_the_evidence(trio):
    links = read_curated_links(trio)
    assert len(links) == 3 and {l.set_stem for l in links} == {STEM}
    assert store_evidence(trio, Iris(), exclude_sets=(STEM,)).links == []
    assert store_evidence(trio, Iris(), exclude_sets=(f"https://w3id.org/plankg/mappings/{STEM}",)).links == []
    unseen = store_evidence(trio, Iris(), unseen=(SRC,))  # as if the source had just been ingested
    assert [l.object for l in unseen.links] == [f"{ID}{TGT}/p1/s2", f"{ID}{TGT}/p2/s2"]
    # without the bridge, 打通滨河绿道 has no evidence; 落实经费 keeps its exemplar (no link touches the source)
    top = _top(suggest(trio, SRC, TGT, settings=Settings(w_evidence=0)))
    found = suggest(trio, SRC, TGT)
    assert top["p1/s2"] != "p1/s2" and _top(found)["p2/s2"] == "p2/s2"


def test_bridge_weights_and_descriptions():
    s, t, u, v = (f"{ID}a/p1", f"{ID}b/p1", f"{ID}c/p1", f"{ID}c/p2")
    sk = "http://www.w3.org/2004/02/skos/core#"
    links = [CuratedLink(u, "https://w3id.org/plankg/ontology#supports", s, 0.8, "https://w3id.org/plankg/mappings/x"),
             CuratedLink(u, "https://w3id.org/plankg/ontology#supports", t, 0.5, "https://w3id.org/plankg/mappings/x"),
             CuratedLink(s, sk + "relatedMatch", v, 1.0, "https://w3id.org/plankg/mappings/y"),
             CuratedLink(v, "https://w3id.org/plankg/ontology#implements", t, 1.0, "https://w3id.org/plankg/mappings/z")]
    ev = Evidence(links, {}, related_factor=0.25)
    w, su, ut = ev.bridge(s, t)
    assert w == pytest.approx(0.4) and su.other == u  # 0.8 × 0.5 against relatedMatch 1.0 × 0.25, then × 1.0
    assert ev.describe_bridge(s, t, su, ut) == "co-supported by c/p1 (x)"
    ev = Evidence(links, {}, related_factor=1.0)
    w, su, ut = ev.bridge(s, t)
    assert w == pytest.approx(1.0) and su.other == v
    assert ev.describe_bridge(s, t, su, ut) == "via c/p2: a/p1 skos:relatedMatch c/p2; c/p2 pk:implements b/p1 (y, z)"
    assert Evidence(links, {}, exclude_sets=("x", "y")).bridge(s, t) is None
