"""Reported values, SDG concepts and outside-identifier mappings hold exactly what the fact sheets say.

The files are read here with csv and yaml only (not with plankg's readers), so that these checks
stand on their own (the Plan document is parsed only to check that mapped divisions exist): corpus/actuals/plan-2021-2025.tsv follows ../shared/reference/indicator-actuals.md
(plus one source from related-documents.md section B and four from plan-2021-2025.md);
corpus/concepts/sdg.yaml and corpus/mappings/outside-identifiers.sssom.tsv follow
outside-identifiers.md; corpus/mappings/plan-2021-2025_supports_sdg.sssom.tsv holds our curated
(thematic) links from Plan divisions to SDG concepts.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from plankg.ingest.parser import parse_file

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
PLAN_DOC = CORPUS / "documents" / "plan-2021-2025.md"
ACTUALS = CORPUS / "actuals" / "plan-2021-2025.tsv"
SDG = CORPUS / "concepts" / "sdg.yaml"
OUTSIDE = CORPUS / "mappings" / "outside-identifiers.sssom.tsv"
SUPPORTS_SDG = CORPUS / "mappings" / "plan-2021-2025_supports_sdg.sssom.tsv"

SOURCE_ID = re.compile(r"^S\d+[a-z]?$")
COLUMNS = ["indicator", "ref", "value", "unit", "mark", "src", "note"]

# indicator ids and units of the Plan's table (corpus/documents/plan-2021-2025.md)
UNITS = {
    "high-value-invention-patents-per-10k": "件",
    "overseas-invention-patent-grants": "万件",
    "ip-pledge-financing-amount": "亿元",
    "ip-royalties-trade-total": "亿元",
    "patent-intensive-industries-gdp-share": "%",
    "copyright-industries-gdp-share": "%",
    "ip-protection-satisfaction": "分",
    "ip-civil-first-instance-acceptance-rate": "%",
}


def split_header(path: Path) -> tuple[dict, list[str]]:
    """YAML from the leading '#' lines, and the remaining (table) lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = [l[1:] for l in lines if l.startswith("#")]
    body = [l for l in lines if not l.startswith("#") and l.strip()]
    return yaml.safe_load("\n".join(header)) or {}, body


def table(body: list[str]) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(body, delimiter="\t")
    return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def plan_indicators() -> dict[str, str]:
    """Indicator id → unit cell, read from the Plan's table (a row, then its @id line)."""
    out, last_row = {}, None
    for line in PLAN_DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            last_row = [c.strip() for c in line.strip().strip("|").split("|")]
        elif line.startswith("@id ") and last_row:
            unit = re.sub(r"\s*\{[^}]*\}\s*$", "", last_row[2]).strip()
            out[line[4:].strip()] = unit
    return out


@pytest.fixture(scope="module")
def actuals():
    meta, body = split_header(ACTUALS)
    fields, rows = table(body)
    return meta, fields, rows


def by_key(rows):
    return {(r["indicator"], r["ref"]): r for r in rows}


# --- actuals ---------------------------------------------------------------------------------

def test_plan_table_has_the_expected_indicators_and_units(plan_indicators):
    assert plan_indicators == UNITS


def test_actuals_header_and_sources(actuals):
    meta, fields, rows = actuals
    assert meta["plan"] == "plan-2021-2025"
    assert fields == COLUMNS
    sources = meta["sources"]
    assert sources and all(SOURCE_ID.match(k) for k in sources)
    for sid, s in sources.items():
        assert s.get("title"), sid
        assert isinstance(s.get("official"), bool), sid
        if "url" in s:
            assert re.match(r"^https?://\S+$", s["url"]), sid
    # sources not taken from indicator-actuals.md say which sheet and id they come from
    for sid in ("S47", "S48", "S49", "S50", "S51"):
        assert re.match(r"^(related-documents|plan-2021-2025) sheet S\d+: ", sources[sid]["title"]), sid
    # every header source is used by some row
    used = {s for r in rows for s in r["src"].split()}
    assert used == set(sources)
    assert len(rows) == 37


def test_actuals_rows_are_well_formed(actuals, plan_indicators):
    meta, _, rows = actuals
    for r in rows:
        where = f"{r['indicator']} {r['ref']}"
        assert r["indicator"] in plan_indicators, where
        assert r["unit"] == plan_indicators[r["indicator"]], where
        assert re.fullmatch(r"\d+(\.\d+)?", r["value"]), where
        assert r["mark"] in ("verified", "secondary"), where
        src = r["src"].split()
        assert src and all(s in meta["sources"] for s in src), where
        assert len(set(src)) == len(src), where
        assert r["note"].strip(), where
        if re.fullmatch(r"\d{4}", r["ref"]):
            assert 2018 <= int(r["ref"]) <= 2025, where
        else:
            d = dt.date.fromisoformat(r["ref"])  # an exact as-of date, e.g. end of June
            assert 2021 <= d.year <= 2025, where
    keys = [(r["indicator"], r["ref"]) for r in rows]
    assert not [k for k, n in Counter(keys).items() if n > 1]


def test_verified_rows_name_their_official_source_first(actuals):
    meta, _, rows = actuals
    for r in rows:
        if r["mark"] == "verified":
            assert meta["sources"][r["src"].split()[0]]["official"] is True, (r["indicator"], r["ref"])


def test_high_value_invention_patents_by_year(actuals):
    rows = [r for r in actuals[2] if r["indicator"] == "high-value-invention-patents-per-10k"]
    got = {r["ref"]: (Decimal(r["value"]), r["mark"]) for r in rows}
    assert got == {
        "2020": (Decimal("6.3"), "secondary"),
        "2021": (Decimal("7.5"), "verified"),
        "2022": (Decimal("9.4"), "secondary"),
        "2023": (Decimal("11.8"), "secondary"),
        "2024": (Decimal("14"), "secondary"),
        "2025": (Decimal("16"), "secondary"),
        "2024-06-30": (Decimal("12.9"), "secondary"),  # end of June, not year-end
        "2025-06-30": (Decimal("15.3"), "secondary"),
    }
    k = by_key(rows)
    assert k[("high-value-invention-patents-per-10k", "2021")]["src"].split()[0] == "S1"
    assert set(k[("high-value-invention-patents-per-10k", "2020")]["src"].split()) == {"S2", "S47"}
    # the 6.3 of 2020 is the high-value series, not the all-invention-patents 6.3 of end-2015
    assert "end-2015" in k[("high-value-invention-patents-per-10k", "2020")]["note"]


def test_other_indicators_by_year(actuals):
    got = {(r["indicator"], r["ref"]): r["value"] for r in actuals[2]
           if r["indicator"] != "high-value-invention-patents-per-10k"}
    assert got == {
        ("ip-pledge-financing-amount", "2020"): "2180",
        ("ip-pledge-financing-amount", "2021"): "3098",
        ("ip-pledge-financing-amount", "2022"): "4868.8",
        ("ip-pledge-financing-amount", "2023"): "8539.9",
        ("ip-pledge-financing-amount", "2024-09-30"): "7922.3",
        ("ip-royalties-trade-total", "2020"): "3194.4",
        ("ip-royalties-trade-total", "2022"): "3872.5",
        ("ip-royalties-trade-total", "2023"): "3765.2",
        ("ip-royalties-trade-total", "2024"): "3987.1",
        ("ip-royalties-trade-total", "2025-11-30"): "3828.7",
        ("patent-intensive-industries-gdp-share", "2018"): "11.6",
        ("patent-intensive-industries-gdp-share", "2019"): "11.6",
        ("patent-intensive-industries-gdp-share", "2020"): "11.97",
        ("patent-intensive-industries-gdp-share", "2021"): "12.44",
        ("patent-intensive-industries-gdp-share", "2022"): "12.71",
        ("patent-intensive-industries-gdp-share", "2023"): "13.04",
        ("patent-intensive-industries-gdp-share", "2024"): "13.38",
        ("copyright-industries-gdp-share", "2019"): "7.39",
        ("copyright-industries-gdp-share", "2020"): "7.39",
        ("copyright-industries-gdp-share", "2021"): "7.41",
        ("copyright-industries-gdp-share", "2022"): "7.41",
        ("copyright-industries-gdp-share", "2023"): "7.44",
        ("ip-protection-satisfaction", "2020"): "80.05",
        ("ip-protection-satisfaction", "2021"): "80.61",
        ("ip-protection-satisfaction", "2022"): "81.25",
        ("ip-protection-satisfaction", "2023"): "82.04",
        ("ip-protection-satisfaction", "2024"): "82.36",
        ("ip-protection-satisfaction", "2025"): "82.81",
        ("ip-civil-first-instance-acceptance-rate", "2023"): "91.9",
    }


def test_traps_are_kept_out(actuals):
    rows = actuals[2]
    values = {r["value"] for r in rows}
    # indicator 2: no value was confirmed to be the indicator (53,770 and 130,000 are other measures)
    assert not [r for r in rows if r["indicator"] == "overseas-invention-patent-grants"]
    assert not values & {"53770", "5.377", "130000"}
    # derived values (arithmetic) and recalled values stay out
    assert not values & {"11.62", "12.60", "12.6", "3782", "3783", "85.38", "87"}
    # cumulative bank IP-pledge loans (over 9000) and the all-invention-patents series (15.8) are other measures
    assert not values & {"9000", "15.8"}
    # partial-year flows carry an as-of date, never a bare year
    k = by_key(rows)
    assert ("ip-pledge-financing-amount", "2024") not in k
    assert ("ip-royalties-trade-total", "2025") not in k
    # indicators 5 and 6: the ref is the year the value is of; the release goes in the note
    assert "2021-12-30" in k[("patent-intensive-industries-gdp-share", "2020")]["note"]
    assert "2025-12-31" in k[("patent-intensive-industries-gdp-share", "2024")]["note"]
    assert "2022" in k[("copyright-industries-gdp-share", "2020")]["note"]


# --- SDG concepts --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sdg():
    return yaml.safe_load(SDG.read_text(encoding="utf-8"))


def test_sdg_concepts(sdg):
    assert sdg["scheme"]["id"] == "sdg"
    sources = sdg["sources"]
    assert all(SOURCE_ID.match(k) for k in sources)
    # O-ids of the outside-identifiers sheet are renamed S-ids with the same number; S202 is N2 of the additions sheet
    for sid, s in sources.items():
        assert s["title"].startswith(f"O{sid[1:]}: " if sid != "S202" else "N2 of additions-2026-12-03.md: "), sid
        assert isinstance(s["official"], bool)
    concepts = {str(c["id"]): c for c in sdg["concepts"]}
    broader = {cid: (str(c["broader"]) if "broader" in c else None) for cid, c in concepts.items()}
    assert broader == {
        "9": None, "9.5": "9", "9.b": "9", "9.b.1": "9.b",
        "17": None, "17.6": "17", "17.7": "17", "17.7.1": "17.7", "17.8": "17",
        "3.b": None,  # Goal 3 is not in the sheet
    }
    labels = {cid: c["en"]["value"] for cid, c in concepts.items()}
    assert labels["9.5"] == "Enhance research and upgrade industrial technologies"
    assert labels["9"] == "Industry, innovation and infrastructure"
    assert labels["17"] == "Partnerships for the Goals"
    assert labels["17.6"] == "STI cooperation and knowledge sharing"
    for cid, c in concepts.items():
        assert c["en"]["mark"] == "secondary", cid
        assert c["en"]["src"] and all(s in sources for s in c["en"]["src"]), cid
        assert "zh" not in c, cid  # no Chinese labels were seen
    # every UN IRI was seen in UNSD's own SDG KOS file (N2 of the additions sheet, S202); indicators by C-code
    matches = {cid: c["exact_match"] for cid, c in concepts.items() if "exact_match" in c}
    assert {cid: m["iri"] for cid, m in matches.items()} == {
        "9": "http://metadata.un.org/sdg/9", "9.5": "http://metadata.un.org/sdg/9.5", "9.b": "http://metadata.un.org/sdg/9.b",
        "9.b.1": "http://metadata.un.org/sdg/C090b01", "17": "http://metadata.un.org/sdg/17",
        "17.6": "http://metadata.un.org/sdg/17.6", "17.7": "http://metadata.un.org/sdg/17.7",
        "17.7.1": "http://metadata.un.org/sdg/C170701", "17.8": "http://metadata.un.org/sdg/17.8",
        "3.b": "http://metadata.un.org/sdg/3.b"}
    assert {(m["mark"], tuple(m["src"])) for m in matches.values()} == {("verified", ("S202",))}
    assert "LOD4Stats" in sources["S202"]["url"] and "sdgs-kos.ttl" not in sources["S202"]["url"]  # not the obsolete file


# --- mapping sets --------------------------------------------------------------------------

def read_sssom(path: Path):
    meta, body = split_header(path)
    fields, rows = table(body)
    return meta, fields, rows


SSSOM_COLUMNS = ["subject_id", "subject_label", "predicate_id", "object_id", "object_label",
                 "mapping_justification", "confidence", "comment"]


@pytest.mark.parametrize("path", [OUTSIDE, SUPPORTS_SDG], ids=lambda p: p.name)
def test_mapping_set_metadata(path):
    meta, fields, rows = read_sssom(path)
    stem = path.name.split(".")[0]
    assert meta["mapping_set_id"] == f"https://w3id.org/plankg/mappings/{stem}"
    assert meta["license"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert meta["creator_id"] == ["plankg:team"]
    assert str(meta["mapping_date"]) == "2026-11-25"
    assert meta["curie_map"]["plankg"] == "https://w3id.org/plankg/"
    assert meta["curie_map"]["pkid"] == "https://w3id.org/plankg/id/"
    assert fields == SSSOM_COLUMNS
    for r in rows:
        assert r["mapping_justification"] == "semapv:ManualMappingCuration"
        assert r["comment"].strip()
        assert 0 <= Decimal(r["confidence"]) <= 1
    triples = [(r["subject_id"], r["predicate_id"], r["object_id"]) for r in rows]
    assert len(set(triples)) == len(triples)


def test_outside_identifiers():
    meta, _, rows = read_sssom(OUTSIDE)
    assert meta["curie_map"]["wikidata"] == "http://www.wikidata.org/entity/"
    assert meta["curie_map"]["ror"] == "https://ror.org/"
    got = {(r["subject_id"], r["predicate_id"], r["object_id"]): r["confidence"] for r in rows}
    assert got == {
        ("pkid:org/cnipa", "skos:exactMatch", "wikidata:Q985999"): "0.8",
        ("pkid:org/cnipa", "skos:exactMatch", "ror:00zrjgm10"): "0.8",
        ("pkid:org/state-council", "skos:exactMatch", "ror:02fzqav45"): "0.8",
        ("pkid:org/nbs", "skos:exactMatch", "wikidata:Q1509446"): "0.8",
        ("pkid:org/nbs", "skos:exactMatch", "ror:008zm7t63"): "0.8",
    }
    # the unconfirmed candidate Q59261 (State Council) is not mapped
    assert "Q59261" not in {r["object_id"].split(":")[-1] for r in rows}
    for r in rows:
        assert re.search(r"sheet O[23]\b", r["comment"]), r["object_id"]


def test_plan_supports_sdg():
    meta, _, rows = read_sssom(SUPPORTS_SDG)
    concepts = {str(c["id"]) for c in yaml.safe_load(SDG.read_text(encoding="utf-8"))["concepts"]}
    got = {(r["subject_id"], r["object_id"]) for r in rows}
    assert got == {
        ("pkid:plan-2021-2025/p4", "pkid:sdg/9.5"),
        ("pkid:plan-2021-2025/p4/s2", "pkid:sdg/9.5"),
        ("pkid:plan-2021-2025/p4/s1", "pkid:sdg/9.b"),
        ("pkid:plan-2021-2025/p6", "pkid:sdg/17.6"),
        ("pkid:plan-2021-2025/p6/s2", "pkid:sdg/17.6"),
    }
    paths = {n.path: n for n in parse_file(PLAN_DOC).nodes()}
    for r in rows:
        assert r["predicate_id"] == "pk:supports"
        node = paths[r["subject_id"].removeprefix("pkid:plan-2021-2025/")]  # the division exists
        assert r["subject_label"] == node.title_zh
        assert Decimal(r["confidence"]) <= Decimal("0.6")  # modelling choices, not stated by the Plan
        assert r["object_id"].removeprefix("pkid:sdg/") in concepts
        assert re.fullmatch(r"pkid:plan-2021-2025/p\d+(/s\d+)?", r["subject_id"])
        assert "does not cite SDGs" in r["comment"]
