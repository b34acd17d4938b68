"""From a parsed Document to quads in the document's named graph.

Every fact carries its provenance: a division, an indicator value, a stated
count or an unplaced name carries ``pk:confidence`` and ``prov:wasDerivedFrom``
itself (the node *is* the fact); a metadata triple (title, 文号, date, issuer,
relation, indicator name, unit, attribute) gets a ``pk:Attestation`` — an
``rdf:Statement`` with the mark and the sources.  Labels (``skos:prefLabel`` and
``rdfs:label`` in zh and en), types up the class tree and the hierarchy
(``dcterms:isPartOf`` / ``dcterms:hasPart`` and its closure ``pk:within``) are materialised, so a consumer
needs no reasoner.  A fact read from a full text's prose (``ingest/extract.py``) says so: ``pk:extractedBy`` its
rule and ``pk:sourceLine`` its line, on the node it made or on the attestation of the triple.
"""

from __future__ import annotations

import datetime as dt

from pyoxigraph import Literal, NamedNode, Quad

from plankg.errors import DocumentError
from plankg.iris import Iris
from plankg.vocab import DCTERMS, ELI, FOAF, ORG, PK, QB, RDF, RDFS, SKOS, XSD

from .doctypes import DOC_TYPES
from .model import Document, Node
from .numbering import LEVELS
from .writer import FALSE, TRUE, GraphWriter

ROLE_CLASS = {"goal": ("Goal",), "task": ("Task",), "principle": ("Principle",),
              "safeguard": ("Safeguard", "Task"), "project": ("Project", "Task")}
ROLE_ZH = {"baseline": "基期值", "target": "目标值", "actual": "实际值"}
RELATION = {"basedOn": (PK.basedOn, ELI.based_on), "implements": (PK.implements, PK.supports),
            "supports": (PK.supports,), "follows": (PK.succeeds,), "succeeds": (PK.succeeds,),
            "replaces": (DCTERMS.replaces,)}
COUNT_ZH = {"Part": "部分", "Section": "节", "Item": "条", "Goal": "目标", "Task": "任务", "Principle": "原则",
            "Indicator": "指标", "Project": "专项工程", "Safeguard": "保障措施"}


def zh(text: str) -> Literal:
    return Literal(text, language="zh")


def en(text: str) -> Literal:
    return Literal(text, language="en")


class Emitter(GraphWriter):
    def __init__(self, doc: Document, iris: Iris):
        super().__init__(iris, iris.graph(doc.meta.doc_id), doc.meta.doc_id)
        self.doc = doc
        self.doc_id = doc.meta.doc_id
        self.d = NamedNode(iris.doc(self.doc_id))
        self.value_iris: dict[str, int] = {}
        self.value_numbers: dict[str, object] = {}

    # -- parts of the graph --------------------------------------------------------------
    def emit(self) -> list[Quad]:
        if self.doc.extraction is not None:  # resolved by the pipeline against the store; else against nothing
            from .extract import Catalogue, resolve

            resolve(self.doc.extraction, Catalogue(), self.own_indicators())
        self.document()
        self.sources(self.doc.meta.sources)
        for node in self.doc.nodes():
            self.division(node)
        for table in self.doc.tables:
            self.indicator_table(table)
        if self.doc.extraction is not None:
            self.extracted(self.doc.extraction)
        return self.quads

    def document(self) -> None:
        m, d = self.doc.meta, self.d
        for cls in DOC_TYPES[m.doc_type].classes + ("PolicyDocument",):
            self.add(d, RDF.type, PK.term(cls))
        self.add(d, RDF.type, ELI.LegalResource)
        self.add(d, PK.documentId, Literal(self.doc_id))
        if m.title_zh:
            self.attest(d, DCTERMS.title, zh(str(m.title_zh.value)), m.title_zh.prov)
        if m.title_en:
            self.attest(d, DCTERMS.title, en(str(m.title_en.value)), m.title_en.prov)
        self.labels(d, m.title_zh.value if m.title_zh else None, m.title_en.value if m.title_en else None)
        for fact, lang in m.alt_titles:
            self.attest(d, SKOS.altLabel, Literal(str(fact.value), language=lang), fact.prov)
        if m.short_name:
            self.attest(d, SKOS.altLabel, zh(str(m.short_name.value)), m.short_name.prov)
        for org in m.issuers:
            o = NamedNode(self.iris.org(org.slug))
            self.add(o, RDF.type, ORG.Organization)
            if not org.shared:  # a shared organisation's names are organisations.yaml's, never a document's
                self.labels(o, org.zh, org.en)
            self.attest(d, PK.issuedBy, o, org.prov)
            self.add(d, DCTERMS.creator, o)
        if m.doc_number:
            self.attest(d, PK.documentNumber, Literal(str(m.doc_number.value)), m.doc_number.prov)
        for key, prop in (("date_signed", PK.dateSigned), ("date_published", PK.datePublished)):
            fact = getattr(m, key)
            if fact is not None:
                value: dt.date = fact.value
                self.attest(d, prop, Literal(value.isoformat(), datatype=XSD.date), fact.prov)
        if m.period:
            start, end, prov = m.period
            self.attest(d, PK.periodStart, Literal(str(start), datatype=XSD.gYear), prov)
            self.attest(d, PK.periodEnd, Literal(str(end), datatype=XSD.gYear), prov)
        for c in m.stated_counts:
            n = NamedNode(self.iris.count(self.doc_id, c.of))
            self.add(d, PK.statedCount, n)
            self.add(n, RDF.type, PK.StatedCount)
            self.add(n, PK.countOf, PK.term(c.of))
            self.add(n, RDF.value, Literal(str(c.value), datatype=XSD.integer))
            self.labels(n, f"所述{COUNT_ZH[c.of]}数：{c.value}", f"stated number of {c.of.lower()} entries: {c.value}")
            self.provenance(n, c.prov)
        for u in m.unplaced:
            n = NamedNode(self.iris.unplaced(self.doc_id, f"{u.role}-{_key(u.zh or u.en)}"))
            for cls in ROLE_CLASS[u.role]:
                self.add(n, RDF.type, PK.term(cls))
            self.add(n, PK.inDocument, d)
            self.add(n, PK.placeKnown, FALSE)
            self.labels(n, u.zh, u.en)
            self.provenance(n, u.prov)
        if m.subject:
            self.attest(d, DCTERMS.subject, zh(str(m.subject.value)), m.subject.prov)
        if m.planning_type:
            self.attest(d, PK.planningType, zh(str(m.planning_type.value)), m.planning_type.prov)
        for page in m.pages:
            self.attest(d, FOAF.page, NamedNode(str(page.value)), page.prov)
        for role, slug, prov, _line in m.bodies:
            o = NamedNode(self.iris.org(slug))
            self.add(o, RDF.type, ORG.Organization)
            self.attest(d, PK.draftedBy if role == "drafted" else PK.coordinatedBy, o, prov)
        for r in m.relations:
            t = NamedNode(self.iris.doc(r.target))
            props = RELATION[r.type]
            self.attest(d, props[0], t, r.prov)
            for extra in props[1:]:
                self.add(d, extra, t)
            if r.target_zh:
                self.attest(t, DCTERMS.title, zh(r.target_zh), r.prov)
            if r.target_en:
                self.attest(t, DCTERMS.title, en(r.target_en), r.prov)
            self.labels(t, r.target_zh, r.target_en)

    def division(self, node: Node) -> None:
        n = NamedNode(self.iris.division(self.doc_id, node.path))
        parent = self.d if node.parent is None or node.parent.level == "document" else NamedNode(self.iris.division(self.doc_id, node.parent.path))
        self.add(n, RDF.type, PK.term(LEVELS[node.level].cls))
        self.add(n, RDF.type, PK.Division)
        self.add(n, RDF.type, ELI.LegalResourceSubdivision)
        for role in node.roles:
            for cls in ROLE_CLASS[role]:
                if role in node.extracted_roles:  # read from the prose, not the structure: say by which rule
                    self.attest_extracted(n, RDF.type, PK.term(cls), node.prov, node.extracted_roles[role], node.line)
                else:
                    self.add(n, RDF.type, PK.term(cls))
        self.add(n, PK.inDocument, self.d)
        self.add(n, DCTERMS.isPartOf, parent)
        self.add(parent, DCTERMS.hasPart, n)
        # the closure of isPartOf, materialised: queries then need no property path (Virtuoso 7 evaluates
        # isPartOf* wrongly when an end is bound) and look a subtree up by one index scan
        ancestor = node.parent
        while ancestor is not None and ancestor.level != "document":
            self.add(n, PK.within, NamedNode(self.iris.division(self.doc_id, ancestor.path)))
            ancestor = ancestor.parent
        self.add(n, PK.within, self.d)
        if node.number:
            self.add(n, PK.number, Literal(node.number))
        if node.ordinal is not None:
            self.add(n, PK.ordinal, Literal(str(node.ordinal), datatype=XSD.integer))
        self.add(n, PK.position, Literal(str(node.position), datatype=XSD.integer))
        title_en = node.title_en or f"{LEVELS[node.level].label_en} {node.number or node.ordinal}"
        self.labels(n, node.title_zh, title_en)
        if node.title_zh is None:
            self.add(n, PK.headingKnown, FALSE)
        self.provenance(n, node.prov)
        if node.number_prov is not None:
            self.add(n, PK.numberConfidence, PK.term(node.number_prov.mark))
        for note in node.notes:
            self.add(n, SKOS.note, en(note))
        if node.body:
            self.add(n, PK.text, zh("\n".join(node.body)))
        if node.rule is not None:
            self.extracted_by(n, node.rule, node.line)
        if node.year is not None:
            self.add(n, PK.targetYear, Literal(str(node.year), datatype=XSD.gYear))

    def indicator_table(self, table) -> None:
        context = table.context
        stated_in = table.node or context
        stated_iri = NamedNode(self.iris.division(self.doc_id, stated_in.path)) if stated_in is not None and stated_in.path else self.d
        goal = context
        while goal is not None and "goal" not in goal.roles:
            goal = goal.parent
        goal_iri = NamedNode(self.iris.division(self.doc_id, goal.path)) if goal is not None else None
        ds = NamedNode(self.iris.dataset(self.doc_id))
        if table.rows:
            self.add(ds, RDF.type, QB.DataSet)
            self.add(ds, QB.structure, PK.indicatorValueStructure)
            self.add(ds, DCTERMS.source, self.d)
            m = self.doc.meta
            self.labels(ds, f"《{m.title_zh.value if m.title_zh else self.doc_id}》指标数值",
                        f"Indicator values in {m.title_en.value if m.title_en else self.doc_id}")
        if table.node is not None:
            for note in table.notes:
                self.add(stated_iri, PK.text, zh(note))
        for row in table.rows:
            ind = NamedNode(self.iris.indicator(row.slug))
            self.add(ind, RDF.type, PK.Indicator)
            self.add(ind, RDF.type, SKOS.Concept)
            if row.name_zh is not None:
                self.attest(ind, SKOS.prefLabel, zh(row.name_zh), row.name_prov)
                self.add(ind, RDFS.label, zh(row.name_zh))
            else:  # no source gives its Chinese name: say so, and label it in English only
                self.add(ind, PK.nameKnown, FALSE)
            if row.name_en:
                self.add(ind, SKOS.prefLabel, en(row.name_en))
                self.add(ind, RDFS.label, en(row.name_en))
            if goal_iri is not None:
                self.add(ind, PK.measures, goal_iri)
            for cell in row.cells:
                v = NamedNode(self.iris.value(self.doc_id, row.slug, cell.role, cell.year))
                if v.value in self.value_iris:
                    raise DocumentError(self.doc.path, cell.line, f"a second {cell.role} value for {row.name_zh or row.name_en} in {cell.year} "
                                        f"(first on line {self.value_iris[v.value]})")
                self.value_iris[v.value] = cell.line
                self.value_numbers[v.value] = cell.value
                self.add(v, RDF.type, PK.IndicatorValue)
                self.add(v, RDF.type, QB.Observation)
                self.add(v, QB.dataSet, ds)
                self.add(v, PK.indicator, ind)
                self.add(ind, PK.hasValue, v)
                self.add(v, PK.valueRole, PK.term(cell.role))
                self.add(v, PK.refYear, Literal(str(cell.year), datatype=XSD.gYear))
                self.add(v, PK.value, Literal(format(cell.value, "f"), datatype=XSD.decimal))  # never 1E-7
                self.add(v, PK.statedIn, stated_iri)
                unit = row.unit or ""
                if row.unit:
                    self.attest(v, PK.unit, zh(row.unit), row.unit_prov)
                if row.attribute:
                    self.attest(v, PK.attribute, PK.term(row.attribute), row.attribute_prov)
                self.labels(v, f"{row.name_zh}{ROLE_ZH[cell.role]}（{cell.year}年）：{cell.value}{unit}" if row.name_zh else None,
                            f"{row.name_en or row.name_zh}: {cell.role} {cell.year} = {cell.value} {unit}".rstrip())
                self.provenance(v, cell.prov)
                for note in row.notes:
                    self.add(v, SKOS.note, en(note))


    # -- facts read from the prose (ingest/extract.py) ------------------------------------------------------------
    def own_indicators(self) -> dict[str, str]:
        return {self.iris.indicator(r.slug): r.name_zh for t in self.doc.tables for r in t.rows}

    def extracted_by(self, s, rule: str, line: int | None, text: str | None = None) -> None:
        """The flag of an extracted fact: the rule that read it, the line it was read on, the span it matched."""
        self.add(s, PK.extractedBy, PK.term(rule))
        if line:
            self.add(s, PK.sourceLine, Literal(str(line), datatype=XSD.integer))
        if text:
            self.add(s, PK.matchedText, zh(text))

    def attest_extracted(self, s, p, o, prov, rule: str, line: int | None, text: str | None = None, note: str | None = None) -> None:
        self.attest(s, p, o, prov)
        a = NamedNode(self.iris.fact(self.scope, s.value, p.value, str(o)))
        self.extracted_by(a, rule, line, text)
        if note:
            self.add(a, SKOS.note, en(note))

    def extracted(self, ex) -> None:
        from .extract import ATTRIBUTE_RULE, BASED_ON_RULE, IMPLEMENTS_RULE, PERIOD_RULE, REFERENCE_RULE, TARGET_RULE

        m, d, prov = self.doc.meta, self.d, self.doc.meta.default
        if ex.period_from_title and m.period:
            for prop, year in ((PK.periodStart, m.period[0]), (PK.periodEnd, m.period[1])):
                o = Literal(str(year), datatype=XSD.gYear)
                self.extracted_by(NamedNode(self.iris.fact(self.scope, d.value, prop.value, str(o))), PERIOD_RULE, ex.period_line)
        ds = NamedNode(self.iris.dataset(self.doc_id))
        has_ds = any(t.rows for t in self.doc.tables)
        minted: set[str] = set()
        for t in ex.targets:
            slug = t.indicator.rsplit("/", 1)[-1] if t.indicator else t.slug
            ind = NamedNode(t.indicator or self.iris.indicator(slug))
            v = NamedNode(self.iris.value(self.doc_id, slug, "target", t.year))
            if v.value in self.value_iris:
                if self.value_numbers.get(v.value) != t.value:
                    ex.warn(t.line, f"a second {t.year} target for {t.name} ({t.value}{t.unit}; first on line "
                                    f"{self.value_iris[v.value]}, {self.value_numbers.get(v.value)}); not recorded")
                continue  # the same figure stated twice (in the table and in the prose): once is enough
            self.value_iris[v.value], self.value_numbers[v.value] = t.line, t.value
            goal = NamedNode(self.iris.division(self.doc_id, t.goal.path))
            if not has_ds:
                has_ds = True
                self.add(ds, RDF.type, QB.DataSet)
                self.add(ds, QB.structure, PK.indicatorValueStructure)
                self.add(ds, DCTERMS.source, d)
                self.labels(ds, f"《{m.title_zh.value if m.title_zh else self.doc_id}》指标数值",
                            f"Indicator values in {m.title_en.value if m.title_en else self.doc_id}")
            if t.indicator is None and slug not in minted:
                minted.add(slug)
                self.add(ind, RDF.type, PK.Indicator)
                self.add(ind, RDF.type, SKOS.Concept)
                # a shared node (another text may mint the same name): the line and mark go on its label's attestation
                self.add(ind, RDFS.label, zh(t.name))
                self.attest_extracted(ind, SKOS.prefLabel, zh(t.name), prov, TARGET_RULE, t.line, t.text)
                self.add(ind, PK.unmatched, TRUE)
                self.add(ind, PK.extractedBy, PK.term(TARGET_RULE))
            self.add(ind, PK.measures, goal)
            self.add(v, RDF.type, PK.IndicatorValue)
            self.add(v, RDF.type, QB.Observation)
            self.add(v, QB.dataSet, ds)
            self.attest_extracted(v, PK.indicator, ind, prov, TARGET_RULE, t.line, t.text, t.match_note)
            self.add(ind, PK.hasValue, v)
            self.add(v, PK.valueRole, PK.target)
            self.add(v, PK.refYear, Literal(str(t.year), datatype=XSD.gYear))
            self.add(v, PK.value, Literal(format(t.value, "f"), datatype=XSD.decimal))
            self.add(v, PK.comparator, PK.term(t.comparator))
            self.add(v, PK.statedIn, goal)
            if t.unit:
                self.add(v, PK.unit, zh(t.unit))
            if t.attribute:
                self.attest_extracted(v, PK.attribute, PK.term(t.attribute), prov, ATTRIBUTE_RULE, t.line, t.attribute_text)
            self.labels(v, f"{t.name}{ROLE_ZH['target']}（{t.year}年）：{t.verb}{format(t.value, 'f')}{t.unit}",
                        f"{t.name}: target {t.year} {t.comparator} {format(t.value, 'f')} {t.unit}".rstrip())
            self.provenance(v, prov)
            self.extracted_by(v, TARGET_RULE, t.line, t.text)
        rules = {"basedOn": BASED_ON_RULE, "implements": IMPLEMENTS_RULE, "references": REFERENCE_RULE}
        done: set[tuple[str, str]] = set()
        for r in ex.references:
            rule = rules[r.kind]
            if (r.kind, r.target or r.title) in done:  # a title and a short name of one document
                continue
            done.add((r.kind, r.target or r.title))
            if r.target is not None:
                target = NamedNode(r.target)
                prop = {"basedOn": PK.basedOn, "implements": PK.implements, "references": DCTERMS.references}[r.kind]
                self.attest_extracted(d, prop, target, prov, rule, r.line, r.text)
                for extra in {"basedOn": (ELI.based_on,), "implements": (PK.supports,)}.get(r.kind, ()):
                    self.add(d, extra, target)
            else:  # a titled work, not a document: none is invented
                w = NamedNode(self.iris.work(self.doc_id, r.title))
                self.add(w, RDF.type, DCTERMS.BibliographicResource)
                self.add(w, DCTERMS.title, zh(r.title))
                self.labels(w, r.title, None)
                self.attest_extracted(d, DCTERMS.references, w, prov, rule, r.line, r.text, r.note or "no document with this title in the store")


def _key(text: str) -> str:
    from plankg.iris import short_hash
    return short_hash(text, length=10)


def document_quads(doc: Document, iris: Iris) -> list[Quad]:
    return Emitter(doc, iris).emit()
