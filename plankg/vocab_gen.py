"""Write :mod:`plankg._pk_terms`, the list of terms of :data:`plankg.vocab.PK`, from ``ontology/plankg.ttl``.

Run ``python -m plankg.vocab_gen`` after adding, renaming or removing a term in the ontology;
``tests/test_vocab.py`` fails while the module is out of date.
"""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib import RDF, RDFS

from plankg.ontology import ONTOLOGY_PATH
from plankg.ontology.page import SECTIONS as KINDS  # (heading, rdf:type): the terms are listed as the page lists them

OTHERS = "Others 其他"  # the heading of terms of none of the kinds
TARGET = Path(__file__).resolve().parent / "_pk_terms.py"
HEADER = '''"""The terms of the plankg ontology, the names :data:`plankg.vocab.PK` accepts.

Generated from ontology/plankg.ttl by ``python -m plankg.vocab_gen`` — do not edit.
"""

TERMS = (
'''


def render(ontology: Path = ONTOLOGY_PATH) -> str:
    """The text of the generated module for the ontology in ``ontology``."""
    from plankg.vocab import PK

    graph = rdflib.Graph().parse(ontology)
    ns = str(PK)
    terms = {s for s in graph.subjects(RDF.type, None) if isinstance(s, rdflib.URIRef) and str(s).startswith(ns)}
    groups: dict[str, list[rdflib.URIRef]] = {heading: [] for heading, _ in KINDS}
    groups[OTHERS] = []
    for term in terms:
        types = set(graph.objects(term, RDF.type))
        groups[next((heading for heading, kind in KINDS if kind in types), OTHERS)].append(term)
    lines = [HEADER]
    for heading, members in groups.items():
        if not members:
            continue
        lines.append(f"    # {heading}\n")
        for term in sorted(members, key=str):
            label = next((str(o) for o in graph.objects(term, RDFS.label) if getattr(o, "language", None) == "en"), "")
            local = str(term)[len(ns):]
            lines.append(f'    "{local}",  # {label}\n' if label else f'    "{local}",\n')
    lines.append(")\n")
    return "".join(lines)


def main() -> None:
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
