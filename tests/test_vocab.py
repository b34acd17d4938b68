"""plankg/vocab.py: the one home of the namespaces; PK closed over the ontology's terms."""

import pathlib
import re

import pytest

from plankg import vocab, vocab_gen
from plankg.vocab import PK, SPARQL_PREFIXES

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_generated_terms_are_up_to_date():
    """plankg/_pk_terms.py is what the generator writes from ontology/plankg.ttl now (else: python -m plankg.vocab_gen)."""
    assert vocab_gen.TARGET.read_text(encoding="utf-8") == vocab_gen.render()
    assert "Generated from ontology/plankg.ttl" in vocab_gen.TARGET.read_text(encoding="utf-8")


def test_generator_follows_the_ontology(tmp_path):
    """A term added to the ontology appears in the generated text (the comparison above can fail)."""
    changed = tmp_path / "plankg.ttl"
    changed.write_text(vocab_gen.ONTOLOGY_PATH.read_text(encoding="utf-8")
                       + '\npk:Gaol a owl:Class ; rdfs:label "gaol"@en .\n', encoding="utf-8")
    assert '    "Gaol",  # gaol\n' in vocab_gen.render(changed)
    assert '"Gaol"' not in vocab_gen.render()


def test_the_mapping_terms_are_declared():
    """The terms the mapping sets are written with (ingest/mappings.py, plankg/links.py) are in the ontology."""
    from plankg._pk_terms import TERMS

    assert {"CuratedMapping", "curated", "inMappingSet", "SuggestedMapping"} <= set(TERMS)


def test_known_terms():
    assert PK.Goal.value == "https://w3id.org/plankg/ontology#Goal"
    assert PK.term("leadPhraseRule").value == str(PK) + "leadPhraseRule"
    assert {"Goal", "Part", "verified", "inDocument", "ConfidenceScheme"} <= PK.terms
    assert "Gaol" not in PK


@pytest.mark.parametrize("get", [lambda: PK.Gaol, lambda: PK.term("Gaol"), lambda: getattr(PK, "goal")])
def test_unknown_term_raises(get):
    with pytest.raises(AttributeError, match=r"is not a term of https://w3id.org/plankg/ontology# \(ontology/plankg.ttl\)"):
        get()


def test_open_namespaces_accept_any_name():
    assert vocab.SKOS.prefLabel.value == "http://www.w3.org/2004/02/skos/core#prefLabel"
    with pytest.raises(AttributeError):
        vocab.SKOS._private  # noqa: B018


def test_one_prefix_block():
    """Every export prefix is declared once, in the order of PREFIXES."""
    declared = re.findall(r"^PREFIX (\w+): <([^>]+)>$", SPARQL_PREFIXES, re.M)
    assert declared == list(vocab.PREFIXES.items())


@pytest.mark.parametrize("module", ["plankg/iris.py", "ontology/__init__.py", "publish/void.py", "queries/run.py",
                                    "publish/describe.py", "plankg/report.py", "publish/labels.py", "ingest/extract.py",
                                    "ontology/page.py", "publish/pages.py", "plankg/links.py",
                                    "plankg/link_evidence.py"])
def test_namespaces_are_not_spelled_out_elsewhere(module):
    text = (ROOT / module).read_text(encoding="utf-8")
    for ns in list(vocab.PREFIXES.values()) + [str(vocab.VOID), str(vocab.DCAT), str(vocab.SD)]:
        assert f'"{ns}' not in text and f"<{ns}" not in text, (module, ns)
