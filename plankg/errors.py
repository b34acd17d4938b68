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

Each error carries its facts as attributes (a document's ``path`` and ``line``, a SPARQL syntax error's
``line`` and ``column``, a web error's ``status``), and its ``args`` are its ``__init__``'s arguments, as in
``pyshacl/errors.py``: so every error pickles, and one raised in a worker process reaches the parent as itself.
"""

from __future__ import annotations


#: the exit code of an unexpected exception (a bug): EX_SOFTWARE, "internal software error", of sysexits.h
BUG_EXIT_CODE = 70


class PlankgError(Exception):
    """Base of every error plankg reports to a user."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message, hint)
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
        self.args = (self.path, line, message, hint)


class ValidationFailed(PlankgError):
    """The built graph does not conform (SHACL) or is inconsistent (OWL); ``report`` is the
    :class:`~plankg.validate.ValidationReport` with every line."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None, report: object = None):
        super().__init__(message, hint)
        self.args = (message, hint, report)
        self.report = report


class UsageError(PlankgError):
    """A bad request: unknown query, unknown or ill-typed parameter, bad option."""

    exit_code = 2


class SparqlError(PlankgError):
    """Invalid SPARQL, or SPARQL the caller is not allowed to run.  A syntax error the engine placed has its
    ``line`` and ``column`` (1-based) and ``detail``, the engine's words after the position."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None, line: int | None = None, column: int | None = None,
                 detail: str | None = None):
        super().__init__(message, hint)
        self.args = (message, hint, line, column, detail)
        self.line = line
        self.column = column
        self.detail = detail


class StoreError(PlankgError):
    """The store cannot be opened, locked or written."""

    exit_code = 2


class ToolError(PlankgError):
    """An external tool (Java for HermiT, a server) is missing or failed."""

    exit_code = 2
