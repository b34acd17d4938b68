"""The plankg ontology: file locations and identifiers.

The files sit next to this module (installed as the package ``plankg.ontology``),
so the paths work from a checkout and from an installed wheel alike.
"""

from pathlib import Path

from plankg import vocab

__all__ = ["ONTOLOGY_DIR", "ONTOLOGY_IRI", "ONTOLOGY_PATH", "PK", "SHAPES_PATH"]

ONTOLOGY_DIR = Path(__file__).resolve().parent
ONTOLOGY_PATH = ONTOLOGY_DIR / "plankg.ttl"
SHAPES_PATH = ONTOLOGY_DIR / "shapes.ttl"
ONTOLOGY_IRI = vocab.ONTOLOGY_IRI
PK = str(vocab.PK)
