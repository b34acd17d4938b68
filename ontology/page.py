"""A human-readable HTML page of the ontology, in English and Chinese.

pyLODE was the first choice, but pylode 3.4.1 fails on import when installed from
a wheel (its ``version.py`` reads a ``pyproject.toml`` that the wheel does not
ship), and 3.6.0 is broken too. So the page is rendered here with the standard
library: one table per kind of term, every string passed through ``html.escape``.
"""

from __future__ import annotations

import html
from pathlib import Path

import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS

from plankg import vocab

from . import ONTOLOGY_IRI, ONTOLOGY_PATH, PK

__all__ = ["render_ontology_page", "write_ontology_page"]

#: the prefixes the page writes terms with, in the order they are tried
PREFIXES = {name: vocab.PREFIXES[name] for name in ("pk", "owl", "rdf", "rdfs", "xsd", "skos", "dcterms", "prov", "org", "eli", "qb")}

# (heading, rdf:type of the terms listed under it)
SECTIONS = [
    ("Classes 类", OWL.Class),
    ("Object properties 对象属性", OWL.ObjectProperty),
    ("Datatype properties 数据属性", OWL.DatatypeProperty),
    ("Annotation properties 注释属性", OWL.AnnotationProperty),
    ("Concept schemes 概念方案", SKOS.ConceptScheme),
    ("Concepts 概念", SKOS.Concept),
    ("Data structure 数据结构", URIRef(PREFIXES["qb"] + "DataStructureDefinition")),
]

STYLE = """
body { font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", sans-serif; margin: 2em; line-height: 1.45; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2em; }
th, td { border: 1px solid #ccc; padding: 0.35em 0.5em; vertical-align: top; text-align: left; }
th { background: #f0f0f0; }
code { font-size: 0.95em; }
.zh { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
"""


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _curie(term: URIRef) -> str:
    text = str(term)
    for prefix, namespace in PREFIXES.items():
        if text.startswith(namespace) and len(text) > len(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    return text


def _term_ref(graph: rdflib.Graph, term: rdflib.term.Node) -> str:
    """A term as HTML: a local anchor for pk: terms, a link otherwise."""
    if isinstance(term, BNode):
        union = graph.value(term, OWL.unionOf)
        if union is not None:
            return " or ".join(_term_ref(graph, member) for member in Collection(graph, union))
        return "(anonymous)"
    if isinstance(term, Literal):
        return _esc(term)
    if str(term).startswith(PK):
        return f'<a href="#{_esc(str(term)[len(PK):])}"><code>{_esc(_curie(term))}</code></a>'
    return f'<a href="{_esc(term)}"><code>{_esc(_curie(term))}</code></a>'


def _lang_value(graph: rdflib.Graph, subject: URIRef, predicate: URIRef, lang: str) -> str:
    values = sorted(str(o) for o in graph.objects(subject, predicate)
                    if isinstance(o, Literal) and o.language == lang)
    return "; ".join(values)


def _refs(graph: rdflib.Graph, subject: URIRef, *predicates: URIRef) -> str:
    terms = sorted({o for p in predicates for o in graph.objects(subject, p)}, key=str)
    return ", ".join(_term_ref(graph, term) for term in terms)


def _row(graph: rdflib.Graph, term: URIRef, kind: URIRef) -> str:
    local = str(term)[len(PK):]
    if kind == SKOS.Concept:
        supers = _refs(graph, term, RDF.type, SKOS.inScheme)
    else:
        supers = _refs(graph, term, RDFS.subClassOf, RDFS.subPropertyOf, OWL.inverseOf)
    domain_range = ""
    if kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        domain = _refs(graph, term, RDFS.domain) or "—"
        range_ = _refs(graph, term, RDFS.range) or "—"
        domain_range = f"{domain} → {range_}"
    notes = "<br>".join(_esc(c) for c in sorted(graph.objects(term, RDFS.comment), key=str))
    see_also = _refs(graph, term, RDFS.seeAlso)
    return (
        f'<tr id="{_esc(local)}">'
        f"<td><code>{_esc(_curie(term))}</code></td>"
        f'<td lang="en">{_esc(_lang_value(graph, term, SKOS.prefLabel, "en"))}</td>'
        f'<td lang="zh" class="zh">{_esc(_lang_value(graph, term, SKOS.prefLabel, "zh"))}</td>'
        f'<td><p lang="en">{_esc(_lang_value(graph, term, SKOS.definition, "en"))}</p>'
        f'<p lang="zh" class="zh">{_esc(_lang_value(graph, term, SKOS.definition, "zh"))}</p>'
        f"{f'<p>{notes}</p>' if notes else ''}</td>"
        f"<td>{supers}</td><td>{domain_range}</td><td>{see_also}</td></tr>"
    )


def render_ontology_page(graph: rdflib.Graph) -> str:
    """Render the ontology in ``graph`` as one self-contained HTML page."""
    ontology = URIRef(ONTOLOGY_IRI)
    title_en = _lang_value(graph, ontology, DCTERMS.title, "en") or ONTOLOGY_IRI
    title_zh = _lang_value(graph, ontology, DCTERMS.title, "zh")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_esc(title_en)}</title><style>{STYLE}</style></head><body>",
        f'<h1>{_esc(title_en)} <span lang="zh" class="zh">{_esc(title_zh)}</span></h1>',
        "<dl>",
        f'<dt>IRI</dt><dd><a href="{_esc(ONTOLOGY_IRI)}">{_esc(ONTOLOGY_IRI)}</a></dd>',
        f"<dt>Version 版本</dt><dd>{_esc(graph.value(ontology, OWL.versionInfo) or '')}</dd>",
        f"<dt>Created 创建日期</dt><dd>{_esc(graph.value(ontology, DCTERMS.created) or '')}</dd>",
        f"<dt>License 许可</dt><dd>{_refs(graph, ontology, DCTERMS.license)}</dd>",
        "</dl>",
        f'<p lang="en">{_esc(_lang_value(graph, ontology, DCTERMS.description, "en"))}</p>',
        f'<p lang="zh" class="zh">{_esc(_lang_value(graph, ontology, DCTERMS.description, "zh"))}</p>',
    ]
    for heading, kind in SECTIONS:
        terms = sorted((t for t in graph.subjects(RDF.type, kind)
                        if isinstance(t, URIRef) and str(t).startswith(PK)), key=str)
        if not terms:
            continue
        parts.append(f"<h2>{_esc(heading)}</h2>")
        parts.append(
            "<table><thead><tr><th>term</th><th>English label</th><th>中文标签</th>"
            "<th>definition 定义</th><th>super-terms 上位</th><th>domain → range</th>"
            "<th>see also</th></tr></thead><tbody>"
        )
        parts.extend(_row(graph, term, kind) for term in terms)
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_ontology_page(out_path: str | Path, ontology_path: str | Path = ONTOLOGY_PATH) -> Path:
    """Write the HTML page of the ontology at ``ontology_path`` to ``out_path``."""
    graph = rdflib.Graph().parse(str(ontology_path))
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_ontology_page(graph), encoding="utf-8")
    return out
