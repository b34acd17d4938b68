"""``corpus/organisations.yaml`` → W3C ORG resources with provenance (graph ``{base}graph/organisations``)."""

from __future__ import annotations

import re
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from plankg.errors import DocumentError
from plankg.iris import DOC_ID_RE, Iris
from plankg.vocab import DCTERMS, ORG, RDF, SKOS, XSD

from .frontmatter import YamlFacts, YamlTextError, load_yaml_text, real_date
from .writer import GraphWriter

SCOPE = "organisations"  # the id under which this file's sources and attestations are minted


def load_yaml(path: Path) -> tuple[dict, list[str]]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(path, None, f"cannot read the file: {exc}", "save it as UTF-8") from None
    try:
        data = load_yaml_text(text)
    except YamlTextError as exc:
        raise DocumentError(path, exc.line + 1 if exc.line is not None else None, f"not valid YAML: {exc.problem}") from None
    if not isinstance(data, dict):
        raise DocumentError(path, 1, "the file must be a YAML mapping")
    return data, text.splitlines()


def organisation_quads(path: Path, iris: Iris) -> tuple[str, list[Quad], set[str]]:
    """Quads of the organisations file, and the set of organisation ids it defines."""
    data, lines = load_yaml(path)
    r = YamlFacts(path, data, lines, 0)
    sources = r.read_sources(data.get("sources"))
    out = GraphWriter(iris, iris.graph("organisations"), SCOPE)
    out.sources(sources)
    orgs = data.get("organisations") or []
    if not isinstance(orgs, list):
        r.fail("organisations", "'organisations' must be a list of entries (- id: …)")
    ids = set()
    for org in orgs:
        if not isinstance(org, dict) or not DOC_ID_RE.fullmatch(str(org.get("id", ""))):
            r.fail("organisations", "each organisation needs an id (a lowercase slug)")
        org["id"] = str(org["id"])
        if org["id"] in ids:
            key = f"id: {org['id']}"
            r.fail(key, f"duplicate organisation id {org['id']!r} (first on line {r.line_of(key)})", after=r.line_of(key))
        ids.add(org["id"])
    for org in orgs:
        o = NamedNode(iris.org(org["id"]))
        key = f"id: {org['id']}"
        out.add(o, RDF.type, ORG.Organization)
        for lang in ("zh", "en"):
            fact = r.fact(key, org.get(lang))
            if fact is not None:
                out.attested_label(o, fact.value, lang, fact.prov)
        if org.get("zh") is None and org.get("en") is None:
            r.fail(key, f"organisation {org['id']} has neither zh nor en name")
        for field, prop in (("unit_of", ORG.unitOf), ("sub_organization_of", ORG.subOrganizationOf)):
            link = org.get(field)
            if link is None:
                continue
            target = link.get("id") if isinstance(link, dict) else link
            if not isinstance(target, str) or target not in ids:
                r.fail(field, f"{field} names an unknown organisation {target!r}", after=r.line_of(key))
            prov = r.prov(key, link if isinstance(link, dict) else {"mark": org.get("mark"), "src": org.get("src")})
            out.attest(o, prop, NamedNode(iris.org(target)), prov)
            inverse = ORG.hasUnit if field == "unit_of" else ORG.hasSubOrganization
            out.add(NamedNode(iris.org(target)), inverse, o)
        if org.get("note"):
            out.add(o, SKOS.note, Literal(str(org["note"]), language="en"))
    changes = data.get("changes") or []
    if not isinstance(changes, list):
        r.fail("changes", "'changes' must be a list of entries (- id: …)")
    for ch in changes:
        if not isinstance(ch, dict) or not DOC_ID_RE.fullmatch(str(ch.get("id", ""))):
            r.fail("changes", "each change needs an id (a lowercase slug)")
        key = f"id: {ch['id']}"
        ev = NamedNode(iris.org_change(ch["id"]))
        out.add(ev, RDF.type, ORG.ChangeEvent)
        out.provenance(ev, r.prov(key, ch))
        names = {lang: r.text(key, ch[lang].get("value") if isinstance(ch[lang], dict) else ch[lang], lang)
                 for lang in ("zh", "en") if ch.get(lang)}
        out.labels(ev, names.get("zh"), names.get("en"))
        for field, prop, inverse in (("original", ORG.originalOrganization, ORG.changedBy),
                                     ("resulting", ORG.resultingOrganization, ORG.resultedFrom)):
            members = ch.get(field) or []
            if not members or not isinstance(members, list):
                r.fail(key, f"change {ch['id']} needs '{field}' organisations (a list of ids)")
            for oid in members:
                if not isinstance(oid, str) or oid not in ids:
                    r.fail(field, f"change {ch['id']} names an unknown organisation {oid!r}", after=r.line_of(key))
                out.add(ev, prop, NamedNode(iris.org(oid)))
                out.add(NamedNode(iris.org(oid)), inverse, ev)
        if ch.get("date") is not None:
            fact = r.fact(key, ch["date"], kind="date")
            value = str(fact.value)
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) or not real_date(value):
                r.fail("date", f"change date {value!r} is not a real date in YYYY-MM-DD form", after=r.line_of(key))
            out.attest(ev, DCTERMS.date, Literal(value, datatype=XSD.date), fact.prov)
    return out.g.value, out.quads, ids
