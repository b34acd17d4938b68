"""Curated mapping sets (SSSOM TSV) → triples in their own named graph.

A mapping is a judgement of the plankg curators, not a fact stated by a
document: the link itself (e.g. ``pk:supports``) is materialised for querying,
and a ``pk:CuratedMapping`` record beside it carries the justification, the
confidence and the comment, in the graph ``{base}graph/mappings/{set}``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from plankg.errors import DocumentError
from plankg.iris import Iris
from .frontmatter import YamlTextError, load_yaml_text, valid_iri
from .text import check_characters
from plankg.vocab import DCTERMS, OWL, PK, RDF, RDFS, SEMAPV, SKOS, SSSOM, XSD

ALLOWED_PREDICATES = {
    "pk:supports", "pk:implements", "pk:succeeds", "skos:exactMatch", "skos:closeMatch", "skos:broadMatch",
    "skos:narrowMatch", "skos:relatedMatch", "owl:sameAs",
}
REQUIRED_COLUMNS = ("subject_id", "predicate_id", "object_id", "mapping_justification")
REQUIRED_META = ("mapping_set_id", "license", "creator_id")


@dataclass
class MappingSet:
    path: Path
    set_id: str
    stem: str
    meta: dict
    rows: list[tuple[int, dict]]


def read_mapping_set(path: Path) -> MappingSet:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(path, None, f"cannot read the mapping set: {exc}") from None
    check_characters(text.replace("\r\n", "\n"), path)
    lines = text.splitlines()
    header_lines = [l[1:] for l in lines if l.startswith("#")]
    body_start = next((i for i, l in enumerate(lines) if not l.startswith("#")), len(lines))
    try:
        meta = load_yaml_text("\n".join(header_lines)) or {}
    except YamlTextError as exc:
        raise DocumentError(path, (exc.line + 1) if exc.line is not None else 1, f"the mapping-set metadata is not valid YAML: {exc.problem}") from None
    if not isinstance(meta, dict):
        raise DocumentError(path, 1, "the mapping-set metadata must be a YAML mapping in '#' lines")
    for key in REQUIRED_META:
        if not meta.get(key):
            raise DocumentError(path, 1, f"the mapping set has no {key}", "SSSOM needs mapping_set_id, license and creator_id")

    def meta_line(key: str) -> int:
        return next((i + 1 for i, l in enumerate(lines) if re.match(rf"^#\s*{key}\s*:", l)), 1)

    for key in ("mapping_set_id", "license"):
        if not valid_iri(str(meta[key])):
            raise DocumentError(path, meta_line(key), f"{key} {meta[key]!r} is not an absolute IRI")
    if not isinstance(meta.get("curie_map") or {}, dict):
        raise DocumentError(path, meta_line("curie_map"), "curie_map must map prefixes to IRIs (prefix: IRI lines)")
    reader = csv.DictReader(lines[body_start:], delimiter="\t")
    try:
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise DocumentError(path, body_start + 1, f"the mapping table lacks column(s) {', '.join(missing)}")
        rows = [(body_start + 2 + i, row) for i, row in enumerate(reader)]
    except csv.Error as exc:
        raise DocumentError(path, body_start + 1 + reader.line_num, f"the mapping table cannot be read: {exc}") from None
    return MappingSet(path, str(meta["mapping_set_id"]), path.name.split(".")[0], meta, rows)


class _Curies:
    def __init__(self, ms: MappingSet, iris: Iris):
        self.map = {str(k): str(v) for k, v in (ms.meta.get("curie_map") or {}).items()}
        self.map.update({"pk": str(PK), "skos": str(SKOS), "semapv": str(SEMAPV),
                         "owl": str(OWL)})
        self.map["pkid"] = iris.id  # follow the configured base
        self.path = ms.path

    def expand(self, curie: str, line: int, column: str) -> str:
        curie = (curie or "").strip()
        if re.match(r"^https?://", curie):
            iri = curie
        else:
            prefix, _, local = curie.partition(":")
            if not local or prefix not in self.map:
                raise DocumentError(self.path, line, f"{column} {curie!r} is not a CURIE with a known prefix", "add the prefix to curie_map")
            iri = self.map[prefix] + local
        if not valid_iri(iri):
            raise DocumentError(self.path, line, f"{column} {curie!r} does not make a valid IRI ({iri!r})",
                                "no spaces or <>\"{}|^` in an IRI; percent-encode other characters")
        return iri


def mapping_quads(ms: MappingSet, iris: Iris, known: set[str] | None = None) -> tuple[str, list[Quad]]:
    """Quads of one mapping set; ``known`` (IRIs in the graph) makes unknown subjects/objects an error."""
    g = NamedNode(iris.graph(f"mappings/{ms.stem}"))
    curies = _Curies(ms, iris)
    set_iri = NamedNode(ms.set_id)
    quads = [
        Quad(set_iri, RDF.type, SSSOM.MappingSet, g),
        Quad(set_iri, PK.curated, Literal("true", datatype=XSD.boolean), g),
        Quad(set_iri, DCTERMS.license, NamedNode(str(ms.meta["license"])), g),
    ]
    creators = ms.meta["creator_id"] if isinstance(ms.meta["creator_id"], list) else [ms.meta["creator_id"]]
    for creator in creators:
        quads.append(Quad(set_iri, DCTERMS.creator, NamedNode(curies.expand(str(creator), 1, "creator_id")), g))
    if ms.meta.get("mapping_set_title"):
        quads.append(Quad(set_iri, DCTERMS.title, Literal(str(ms.meta["mapping_set_title"]), language="en"), g))
        quads.append(Quad(set_iri, RDFS.label, Literal(str(ms.meta["mapping_set_title"]), language="en"), g))
    seen: dict[tuple, int] = {}
    for line, row in ms.rows:
        pred_curie = (row.get("predicate_id") or "").strip()
        if pred_curie not in ALLOWED_PREDICATES:
            raise DocumentError(ms.path, line, f"predicate {pred_curie!r} is not allowed in a mapping set",
                                f"use one of {', '.join(sorted(ALLOWED_PREDICATES))}")
        s = curies.expand(row.get("subject_id"), line, "subject_id")
        p = curies.expand(pred_curie, line, "predicate_id")
        o = curies.expand(row.get("object_id"), line, "object_id")
        for column, iri in (("subject_id", s), ("object_id", o)):
            if known is not None and iri.startswith(iris.id) and iri not in known:
                raise DocumentError(ms.path, line, f"{column} {row.get(column)} names no resource in the corpus", "check the numbering path")
        just = (row.get("mapping_justification") or "").strip()
        if not just.startswith("semapv:"):
            raise DocumentError(ms.path, line, "mapping_justification must be a semapv: term, e.g. semapv:ManualMappingCuration")
        comment = (row.get("comment") or "").strip()
        if just == "semapv:ManualMappingCuration" and not comment:
            raise DocumentError(ms.path, line, "a manual mapping needs its basis in the comment column")
        key = (s, p, o)
        if key in seen:
            raise DocumentError(ms.path, line, f"duplicate mapping (first on line {seen[key]})")
        seen[key] = line
        rec = NamedNode(iris.mapping(ms.stem, s, p, o))
        S, P, O = NamedNode(s), NamedNode(p), NamedNode(o)
        quads += [
            Quad(S, P, O, g),
            Quad(rec, RDF.type, PK.CuratedMapping, g),
            Quad(rec, RDF.type, RDF.Statement, g),
            Quad(rec, RDF.subject, S, g), Quad(rec, RDF.predicate, P, g), Quad(rec, RDF.object, O, g),
            Quad(rec, SSSOM.mapping_justification, NamedNode(curies.expand(just, line, "mapping_justification")), g),
            Quad(rec, PK.inMappingSet, set_iri, g),
        ]
        if comment:
            quads.append(Quad(rec, RDFS.comment, Literal(comment, language="en"), g))
        conf = (row.get("confidence") or "").strip()
        if conf:
            try:
                c = Decimal(conf)
            except InvalidOperation:
                c = Decimal(-1)
            if not c.is_finite() or not Decimal(0) <= c <= Decimal(1):  # NaN cannot even be compared
                raise DocumentError(ms.path, line, f"confidence {conf!r} is not a number between 0 and 1")
            # format "f": str() would write 1E-7, which is not an xsd:decimal
            quads.append(Quad(rec, SSSOM.confidence, Literal(format(c, "f"), datatype=XSD.decimal), g))
    return g.value, quads
