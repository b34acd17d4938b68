"""How good are the suggested links? precision@1 and recall@3 against every curated set of links between
divisions in corpus/mappings/ (pk:supports and pk:implements; pk:implements entails pk:supports), per
(set, source document, target document), beside a baseline computed in the same run: character-bigram
TF-IDF cosine over the headings alone, over the same candidate targets.

    python benchmarks/link_eval.py            # the figures
    python benchmarks/link_eval.py --grid     # also the scorer's settings around the defaults (the measurement
                                              # that chose them)

precision@1: of the source divisions that the set maps, the share whose first suggestion is one of their
curated objects. recall@3: of the curated (source, object) pairs, the share found among the source's three
suggestions. A curated source with no Chinese heading in the store (the Plan's 人才 and 文化 sections are known
only in English) is never suggested and counts as a miss; the last column says how many there are. The scorer never reads a mapping set: it sees the two documents only.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter, defaultdict
from itertools import product
from pathlib import Path

from plankg.graph_store.oxigraph_store import MemoryStore
from plankg.ingest.mappings import _Curies, read_mapping_set
from plankg.iris import Iris
from plankg.links import Settings, ngrams, read_divisions, score_pairs
from plankg.pipeline import build, bundled_corpus

LINK_PREDICATES = ("pk:supports", "pk:implements")


def curated_sets(corpus: Path, iris: Iris):
    """{(set stem, source doc, target doc): {subject IRI: {object IRIs}}} for links between divisions."""
    out: dict[tuple, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for path in sorted((corpus / "mappings").glob("*.sssom.tsv")):
        ms = read_mapping_set(path)
        curies = _Curies(ms, iris)
        for line, row in ms.rows:
            if row["predicate_id"].strip() not in LINK_PREDICATES:
                continue
            s = curies.expand(row["subject_id"], line, "subject_id")
            o = curies.expand(row["object_id"], line, "object_id")
            sd, od = iris.doc_id_of(s), iris.doc_id_of(o)
            if sd is None or od is None or "/" not in s[len(iris.id):] or "/" not in o[len(iris.id):]:
                continue
            out[(ms.stem, sd, od)][s].add(o)
    return out


def baseline(sdivs, tdivs, settings: Settings, top: int = 3) -> dict[str, list[str]]:
    """Character-bigram TF-IDF (smoothed IDF, as scikit-learn's default) cosine over the headings alone."""
    pool = {**sdivs, **tdivs}
    grams = {iri: ngrams(d.label, (2,)) for iri, d in pool.items()}
    df: Counter = Counter()
    for g in grams.values():
        df.update(set(g))
    n = len(grams)
    idf = {g: math.log((1 + n) / (1 + f)) + 1 for g, f in df.items()}
    vec = {}
    for iri, g in grams.items():
        v = {k: c * idf[k] for k, c in g.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vec[iri] = {k: x / norm for k, x in v.items()}
    targets = [d for d in tdivs.values() if d.classes & set(settings.target_classes)]
    out = {}
    for iri in sdivs:
        scored = sorted(((sum(x * vec[t.iri].get(k, 0.0) for k, x in vec[iri].items()), t) for t in targets
                         if t.iri != iri), key=lambda p: (-p[0], p[1].position))
        out[iri] = [t.iri for sc, t in scored[:top] if sc > 0]
    return out


def counts(ranked: dict[str, list[str]], gold: dict[str, set[str]]) -> tuple[int, int, int, int]:
    """(subjects, subjects whose first suggestion is curated, curated pairs, curated pairs among the top 3)."""
    hit1 = sum(1 for s, objs in gold.items() if ranked.get(s) and ranked[s][0] in objs)
    pairs = [(s, o) for s, objs in gold.items() for o in objs]
    hit3 = sum(1 for s, o in pairs if o in ranked.get(s, [])[:3])
    return len(gold), hit1, len(pairs), hit3


def evaluate(store, sets, iris: Iris, settings: Settings):
    """Rows (set, sources, target, subjects, pairs, (P@1, R@3), baseline (P@1, R@3)), one per set and target
    document (the annual plans of one set are pooled)."""
    cache: dict[str, dict] = {}
    pooled: dict[tuple, list] = {}
    for (stem, sdoc, tdoc), gold in sorted(sets.items()):
        for doc in (sdoc, tdoc):
            if doc not in cache:
                cache[doc] = read_divisions(store, iris.doc(doc))
        sdivs, tdivs = cache[sdoc], cache[tdoc]
        ours = {s: [x.object.iri for x in xs] for s, xs in score_pairs(sdivs, tdivs, settings, 3).items()}
        base = baseline(sdivs, tdivs, settings)
        acc = pooled.setdefault((stem, tdoc), [[], [0] * 4, [0] * 4, 0])
        acc[0].append(sdoc)
        acc[3] += sum(1 for s in gold if s not in sdivs)  # no Chinese heading in the store: never suggested
        acc[1] = [a + b for a, b in zip(acc[1], counts(ours, gold))]
        acc[2] = [a + b for a, b in zip(acc[2], counts(base, gold))]
    rows = []
    for (stem, tdoc), (sdocs, (n, h1, np_, h3), (_, b1, _, b3), no_zh) in pooled.items():
        src = sdocs[0] if len(sdocs) == 1 else f"{len(sdocs)} annual plans" if all(d.startswith("annual-plan") for d in sdocs) else "+".join(sdocs)
        rows.append((stem, src, tdoc, n, np_, (h1 / n, h3 / np_), (b1 / n, b3 / np_), no_zh))
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--grid", action="store_true", help="also print the figures for settings around the defaults")
    args = ap.parse_args(argv)
    iris = Iris()
    store = MemoryStore()
    build(store, bundled_corpus(), iris)
    sets = curated_sets(bundled_corpus(), iris)
    rows = evaluate(store, sets, iris, Settings())
    print(f"{'set':56} {'source → target':42} {'subj':>4} {'pairs':>5}  {'P@1':>5} {'R@3':>5}  {'base P@1':>8} {'base R@3':>8}  no zh heading")
    for stem, sdoc, tdoc, ns, npairs, (p1, r3), (bp1, br3), no_zh in rows:
        print(f"{stem:56} {sdoc + ' → ' + tdoc:42} {ns:4d} {npairs:5d}  {p1:5.2f} {r3:5.2f}  {bp1:8.2f} {br3:8.2f}  {no_zh}")
    total_s = sum(r[3] for r in rows)
    micro = sum(r[5][0] * r[3] for r in rows) / total_s
    base_micro = sum(r[6][0] * r[3] for r in rows) / total_s
    print(f"{'all (micro, by source division)':99} {total_s:4d}        {micro:5.2f}        {base_micro:8.2f}")
    print(f"lowest P@1 {min(r[5][0] for r in rows):.2f} (goal ≥ 0.85); above the baseline on "
          f"{sum(1 for r in rows if r[5][0] > r[6][0])} of {len(rows)} sets, equal on {sum(1 for r in rows if r[5][0] == r[6][0])}")
    if args.grid:
        print("\nsettings grid: w_descendants w_parent up_factor b → lowest P@1, micro P@1, micro R@3")
        for wd, wp, up, b in product((0.0, 0.3, 0.6, 1.0), (0.0, 0.2, 0.4), (1.0, 0.8, 0.6), (0.0, 0.5, 0.75)):
            st = Settings(w_descendants=wd, w_parent=wp, up_factor=up, b=b)
            rs = evaluate(store, sets, iris, st)
            n = sum(r[3] for r in rs)
            npairs = sum(r[4] for r in rs)
            print(f"  wd={wd:<4} wp={wp:<4} up={up:<4} b={b:<4}  min P@1 {min(r[5][0] for r in rs):.2f}  "
                  f"P@1 {sum(r[5][0] * r[3] for r in rs) / n:.3f}  R@3 {sum(r[5][1] * r[4] for r in rs) / npairs:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
