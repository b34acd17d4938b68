"""Writing query outcomes: SPARQL 1.1 results in JSON, XML, CSV and TSV; graphs in RDF formats.

Rows arrive as encoded terms (see :mod:`plankg.publish.worker`), already cut at
the row cap, so the writers are plain and exact to the W3C result formats.
"""

from __future__ import annotations

import csv
import io
import json
import re
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import serialize

from plankg import vocab
from plankg.vocab import PREFIXES

from .negotiation import OXI_FORMAT, Format
from .worker import XSD_STRING, Outcome, decode

_NT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
XSD = str(vocab.XSD)
#: Turtle's numeric shorthands (SPARQL 1.1 TSV writes these literals bare when their lexical form allows it)
_BARE = {XSD + "integer": re.compile(r"[+-]?[0-9]+"), XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
         XSD + "double": re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+")}


def canonical(t):
    """A term with an xsd:double in its XSD canonical lexical form (1.0E6, not pyoxigraph's 1000000)."""
    if t is None or t[0] != "literal" or t[3] != XSD + "double" or t[2]:
        return t
    try:
        value = float(t[1])
    except ValueError:
        return t
    if value != value or value in (float("inf"), float("-inf")) or not value:
        return t
    mantissa, exponent = f"{value:.16E}".split("E")
    for precision in range(17):  # the shortest mantissa that reads back as the same double
        m, e = f"{value:.{precision}E}".split("E")
        if float(f"{m}E{e}") == value:
            mantissa, exponent = m, e
            break
    if "." not in mantissa:
        mantissa += ".0"
    return ("literal", f"{mantissa}E{int(exponent)}", None, t[3])


def _json_term(t):
    t = canonical(t)
    kind = t[0]
    if kind == "uri":
        return {"type": "uri", "value": t[1]}
    if kind == "bnode":
        return {"type": "bnode", "value": t[1]}
    if kind == "literal":
        out = {"type": "literal", "value": t[1]}
        if t[2]:
            out["xml:lang"] = t[2]
        elif t[3] != XSD_STRING:
            out["datatype"] = t[3]
        return out
    return {"type": "triple", "value": {"subject": _json_term(t[1]), "predicate": _json_term(t[2]),
                                        "object": _json_term(t[3])}}


def to_json(o: Outcome) -> bytes:
    if o.kind == "boolean":
        doc = {"head": {}, "boolean": o.boolean}
    else:
        doc = {"head": {"vars": o.variables}, "results": {"bindings": [
            {v: _json_term(t) for v, t in zip(o.variables, row) if t is not None} for row in o.rows]}}
        if o.truncated:  # said inside the result too, not only in the X-Plankg-Truncated header
            doc["truncated"] = True
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


TRUNCATED = "truncated: only the first {n} answers are given (the endpoint's row cap); more exist"


def _xml_term(t) -> str:
    t = canonical(t)
    kind = t[0]
    if kind == "uri":
        return f"<uri>{escape(t[1])}</uri>"
    if kind == "bnode":
        return f"<bnode>{escape(t[1])}</bnode>"
    if kind == "literal":
        if t[2]:
            return f"<literal xml:lang={quoteattr(t[2])}>{escape(t[1])}</literal>"
        if t[3] != XSD_STRING:
            return f"<literal datatype={quoteattr(t[3])}>{escape(t[1])}</literal>"
        return f"<literal>{escape(t[1])}</literal>"
    return (f"<triple><subject>{_xml_term(t[1])}</subject><predicate>{_xml_term(t[2])}</predicate>"
            f"<object>{_xml_term(t[3])}</object></triple>")


def to_xml(o: Outcome) -> bytes:
    out = ['<?xml version="1.0" encoding="utf-8"?>']
    if o.truncated:
        out.append(f"<!-- {TRUNCATED.format(n=len(o.rows))} -->")
    out += ['<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in o.variables]
    out.append("</head>")
    if o.kind == "boolean":
        out.append(f"<boolean>{'true' if o.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in o.rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>" for v, t in zip(o.variables, row) if t is not None]
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>")
    return _xml_checked(("\n".join(out) + "\n").encode("utf-8"))


#: characters XML 1.0 cannot carry, not even as &#…; references (a query can compute one: BIND("\u0000" …))
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")


class NotXml(ValueError):
    """The answer holds a character that no XML document may hold: ask for another format."""


def _xml_checked(body: bytes) -> bytes:
    m = _NOT_XML.search(body)
    if m:
        char = m.group().decode("utf-8")
        raise NotXml(f"the answer holds U+{ord(char):04X}, which XML 1.0 cannot carry")
    return body


def plain_value(t) -> str:
    """A term as CSV shows it (SPARQL 1.1 CSV: IRIs and literals bare, blank nodes as _:id)."""
    if t is None:
        return ""
    t = canonical(t)
    if t[0] == "bnode":
        return f"_:{t[1]}"
    if t[0] == "triple":
        return nt_term(t)
    return t[1]


def to_csv(o: Outcome) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if o.kind == "boolean":
        w.writerow(["_askResult"])
        w.writerow(["true" if o.boolean else "false"])
    else:
        w.writerow(o.variables)
        for row in o.rows:
            w.writerow([plain_value(t) for t in row])
    return buf.getvalue().encode("utf-8")


def nt_term(t) -> str:
    """A term in N-Triples/Turtle syntax (what SPARQL 1.1 TSV holds)."""
    if t is None:
        return ""
    kind = t[0]
    if kind == "uri":
        return f"<{t[1]}>"
    if kind == "bnode":
        return f"_:{t[1]}"
    if kind == "literal":
        lexical = '"' + "".join(_NT_ESCAPES.get(c, c) for c in t[1]) + '"'
        if t[2]:
            return f"{lexical}@{t[2]}"
        return lexical if t[3] == XSD_STRING else f"{lexical}^^<{t[3]}>"
    return f"<< {nt_term(t[1])} {nt_term(t[2])} {nt_term(t[3])} >>"


def tsv_term(t) -> str:
    """A TSV cell: Turtle syntax, numbers bare where Turtle allows (4, 2.2, 1.0E6)."""
    t = canonical(t)
    if t is not None and t[0] == "literal" and not t[2] and t[3] in _BARE and _BARE[t[3]].fullmatch(t[1]):
        return t[1]
    return nt_term(t)


def to_tsv(o: Outcome) -> bytes:
    if o.kind == "boolean":
        return f"?_askResult\n{'true' if o.boolean else 'false'}\n".encode()
    lines = ["\t".join(f"?{v}" for v in o.variables)]
    lines += ["\t".join(tsv_term(t) for t in row) for row in o.rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def graph_bytes(triples, fmt: Format) -> bytes:
    """Serialise pyoxigraph Triples in an RDF format (Turtle with plankg's prefixes)."""
    prefixes = PREFIXES if fmt.key == "ttl" else None
    body = serialize(list(triples), format=OXI_FORMAT[fmt.key], prefixes=prefixes)
    return _xml_checked(body) if fmt.key == "rdf" else body


def to_rdf(o: Outcome, fmt: Format) -> bytes:
    from pyoxigraph import Triple

    body = graph_bytes((Triple(decode(s), decode(p), decode(ob)) for s, p, ob in o.rows), fmt)
    if not o.truncated:
        return body
    note = TRUNCATED.format(n=len(o.rows)).replace("answers", "triples")
    if fmt.key in ("ttl", "nt"):  # a comment line, which Turtle and N-Triples allow
        return f"# {note}\n".encode() + body
    if fmt.key == "rdf" and body.startswith(b"<?xml"):
        end = body.index(b"?>") + 2
        return body[:end] + f"\n<!-- {note} -->".encode() + body[end:]
    return body  # JSON-LD has no comments: the X-Plankg-Truncated header says it


WRITERS = {"json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}
