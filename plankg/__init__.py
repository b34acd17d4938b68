"""plankg: China's IP policy plans as a knowledge graph you can query.

The Python API (the command line is a thin layer on it)::

    import plankg

    kg = plankg.open()            # the embedded store in data/store (or $PLANKG_STORE); built on first use
    result = kg.query("goal-indicators", goal="plan-2021-2025/p2/s3")
    result.columns                # the column names
    for row in result: ...        # each row a dict: column -> str, int, Decimal, bool or None
    result.to_pandas()            # a DataFrame (needs pandas)
    result.to_csv()               # the same CSV as ``plankg query … -f csv``

Every error a user can cause is a :class:`PlankgError` from :mod:`plankg.errors`, with the
same one-line message the command line prints.  ``__version__`` is the installed version
(``pyproject.toml``'s ``version``), the one ``plankg --version``, VoID and the SPARQL
service description give.
"""

from __future__ import annotations

from plankg.errors import (
    DocumentError,
    PlankgError,
    SparqlError,
    StoreError,
    ToolError,
    UsageError,
    ValidationFailed,
)


def _version() -> str:
    """The version of the installed distribution; in a source tree that was never installed, pyproject's."""
    from importlib import metadata

    try:
        return metadata.version("plankg")
    except metadata.PackageNotFoundError:
        import tomllib
        from pathlib import Path

        pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
        try:
            return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "0+unknown"


__version__ = _version()

#: the API's names, imported from plankg.api when first used (so that ``import plankg.errors``, the CLI's
#: ``--version`` and the worker processes do not load the store and the parsers)
_API = ("open", "KnowledgeGraph", "Result", "Ingested")

__all__ = [
    "__version__",
    "open",
    "KnowledgeGraph",
    "Result",
    "Ingested",
    "PlankgError",
    "DocumentError",
    "UsageError",
    "SparqlError",
    "StoreError",
    "ToolError",
    "ValidationFailed",
]


def __getattr__(name: str):
    if name in _API:
        from plankg import api

        return getattr(api, name)
    raise AttributeError(f"module 'plankg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
