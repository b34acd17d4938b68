"""The error tree of plankg.

Every error a user can cause is a :class:`PlankgError` with a one-line message
that names the file and line (or the parameter) and says what to do.  The CLI
turns each class into an exit code:

* 1 — the data is bad: a document, a mapping set, or validation failed;
* 2 — the request is bad or a tool is missing: unknown query or parameter,
  invalid SPARQL, a missing Java runtime, an unusable store;
* 70 (``BUG_EXIT_CODE``, EX_SOFTWARE of sysexits.h) — any other exception: a bug in
  plankg, reported as one line that asks for a bug report.

The Python API (:mod:`plankg.api`) raises the same errors with the same messages.
"""

from __future__ import annotations


#: the exit code of an unexpected exception (a bug): EX_SOFTWARE, "internal software error", of sysexits.h
BUG_EXIT_CODE = 70


class PlankgError(Exception):
    """Base of every error plankg reports to a user."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message


class DocumentError(PlankgError):
    """A source document (or mapping set) cannot be read: ``file:line: what``."""

    exit_code = 1

    def __init__(self, path: object, line: int | None, message: str, hint: str | None = None):
        self.path = str(path)
        self.line = line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}", hint)


class ValidationFailed(PlankgError):
    """The built graph does not conform (SHACL) or is inconsistent (OWL); ``report`` is the
    :class:`~plankg.validate.ValidationReport` with every line."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None, report: object = None):
        super().__init__(message, hint)
        self.report = report


class UsageError(PlankgError):
    """A bad request: unknown query, unknown or ill-typed parameter, bad option."""

    exit_code = 2


class SparqlError(PlankgError):
    """Invalid SPARQL, or SPARQL the caller is not allowed to run."""

    exit_code = 2


class StoreError(PlankgError):
    """The store cannot be opened, locked or written."""

    exit_code = 2


class ToolError(PlankgError):
    """An external tool (Java for HermiT, a server) is missing or failed."""

    exit_code = 2
