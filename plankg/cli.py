"""The ``plankg`` command: a thin layer on the Python API (:mod:`plankg.api`).

Exit codes: 0 ok; 1 the data is bad (a document, a mapping set, or
validation failed); 2 a bad request or a missing tool (unknown query or
parameter, invalid SPARQL, no Java for HermiT, an unusable store); 70 an
unexpected error, a bug (one line asking for a report; ``PLANKG_DEBUG=1``
shows the traceback).

Every command runs inside one error wrapper (:class:`_Commands`): a
:class:`~plankg.errors.PlankgError` raised anywhere in it becomes one line
``error: …`` on stderr and its exit code.
"""

from __future__ import annotations

import errno
import os
import re
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import click
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from plankg import __version__
from plankg.errors import BUG_EXIT_CODE, PlankgError, UsageError
from plankg.graph_store import DEFAULT_STORE, open_store
from plankg.ingest.doctypes import DOC_TYPES
from plankg.ingest.model import MARKS
from plankg.iris import DEFAULT_BASE, ONTOLOGY_NS as PK_NS, Iris

err = Console(stderr=True)
out = Console()
#: what the wrapper lets through untouched: exits, usage errors and aborts of click and typer
_CLICK_FLOW = (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, typer.Exit, typer.Abort)
try:  # typer ≥ 0.2x carries its own copy of click, whose usage errors (BadParameter …) are flow too
    from typer._click import exceptions as _typer_click

    _CLICK_FLOW += (_typer_click.ClickException,)
except ImportError:  # pragma: no cover - an older typer uses click itself
    pass


#: what a terminal would act on instead of showing: C0/C1 controls (ESC starts colour, OSC links, cursor
#: moves) and the bidirectional overrides and isolates that reorder what is shown
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def for_terminal(text: str) -> str:
    """``text`` with every character a terminal would act on written as a visible ``\\uXXXX`` escape."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


#: the longest error line printed: a message quoting a huge input (a 300 KB line) is cut, with … in the middle
MAX_ERROR_CHARS = 500


def one_line(text: str, limit: int = MAX_ERROR_CHARS) -> str:
    """``text`` made safe for the terminal, on one line (line breaks shown as ⏎) and at most ``limit`` characters:
    a longer one keeps its start and its end (where the hint is) around a …"""
    text = for_terminal(re.sub(r"\r\n|[\n\r\u0085\u2028\u2029]", " ⏎ ", text))
    text = re.sub("[\ud800-\udfff]", lambda m: f"\\x{ord(m.group()) & 0xff:02x}", text)  # argv bytes that were not UTF-8
    if len(text) <= limit:
        return text
    head = (limit - 1) * 2 // 3
    return text[:head] + "…" + text[len(text) - (limit - 1 - head):]


def _utf8(value: str, what: str) -> str:
    """``value`` (from argv or stdin, where bytes that are not UTF-8 arrive as lone surrogates) or a one-line error."""
    bad = re.search("[\ud800-\udfff]", value)
    if bad:
        raise UsageError(f"{what} is not UTF-8 text (byte 0x{ord(bad.group()) & 0xff:02x} at character {bad.start() + 1})",
                         "give UTF-8 text")
    return value


@contextmanager
def _writing(option: str, path: Path):
    """Turn a failure to write ``path`` (a folder, a missing or read-only one, a full disk) into one line naming the option."""
    try:
        yield
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            raise
        where = exc.filename if exc.filename is not None else path
        why = "it exists and is not a folder" if exc.errno == errno.EEXIST else exc.strerror or str(exc)
        raise UsageError(f"{option}: cannot write {where}: {why}") from None


class _Commands(TyperGroup):
    """The one error wrapper around every command: a PlankgError is one line and its exit code; any other
    exception is a bug: one line with its type asking for a report, exit code 70 (BUG_EXIT_CODE)."""

    def invoke(self, ctx):
        try:
            for word in [*getattr(ctx, "_protected_args", []), *ctx.args]:  # bytes of argv that are not UTF-8
                if re.search("[\ud800-\udfff]", word) and not os.path.lexists(word):  # (a file's own name may be any bytes)
                    shown = word.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                    raise UsageError(f"the argument '{shown}' is not UTF-8 text", "give UTF-8 text (or an existing file's name)")
            return super().invoke(ctx)
        except _CLICK_FLOW:
            raise
        except PlankgError as exc:
            err.print(f"[bold red]error:[/] {escape(one_line(str(exc)))}", highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except Exception as exc:
            if isinstance(exc, OSError) and exc.errno == errno.EPIPE:  # `plankg export | head`: typer's own handling
                raise
            if isinstance(exc, OSError) and exc.errno is not None:  # the system refused a file: not a bug
                where = f"{exc.filename}: " if exc.filename is not None else ""
                err.print(f"[bold red]error:[/] {escape(one_line(where + (exc.strerror or str(exc))))}", highlight=False, soft_wrap=True)
                raise typer.Exit(2) from None
            if os.environ.get("PLANKG_DEBUG"):
                raise
            first = one_line((str(exc).strip().splitlines() or [""])[0], 300)
            err.print(f"[bold red]error:[/] unexpected {type(exc).__name__}" + (f": {escape(first)}" if first else "")
                      + f" — this is a bug in plankg {__version__}: please report it with the command you ran "
                      "(PLANKG_DEBUG=1 shows the traceback)", highlight=False, soft_wrap=True)
            raise typer.Exit(BUG_EXIT_CODE) from None
        finally:  # a store lets go of its generation (and its reader lock) when the command ends, failed or not
            while _OPENED:
                _OPENED.pop().close()


#: stores the running command opened: closed by the wrapper when it ends
_OPENED: list = []

app = typer.Typer(cls=_Commands, add_completion=False, no_args_is_help=True,
                  help="plankg: China's IP policy plans as linked open data.")

StoreOpt = typer.Option(None, "--store", envvar="PLANKG_STORE", help="store: a directory (embedded Oxigraph), oxigraph:PATH or memory: "
                        f"[default: {DEFAULT_STORE}]")
BaseOpt = typer.Option(DEFAULT_BASE, "--base", envvar="PLANKG_BASE", help="base IRI of the data (ends in /)")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"plankg {__version__}")
        raise typer.Exit()


@app.callback()
def _options(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                           help="print plankg's version and exit")):
    pass


def _fail(exc: PlankgError) -> None:
    """Stop the command with this error (the wrapper prints it)."""
    raise exc


def _iris(base: str) -> Iris:
    try:
        return Iris(base)
    except ValueError as exc:
        _fail(UsageError(f"--base: {exc}"))


def _kg(spec, base: str | Iris = DEFAULT_BASE, read_only: bool = False):
    """The API's knowledge graph on the store of ``--store`` (never built behind the user's back)."""
    from plankg.api import KnowledgeGraph

    store = open_store(spec or DEFAULT_STORE, read_only=read_only)
    _OPENED.append(store)
    return KnowledgeGraph(store, base=base if isinstance(base, Iris) else _iris(base), read_only=read_only, autobuild=False)


def _store(spec, read_only=False):
    return _kg(spec, read_only=read_only).store


def _short(value, base_id: str) -> str:
    """In a terminal table, IRIs under the data base are shown as doc-id/path (what --param accepts)."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(base_id):
        return text[len(base_id):]
    if text.startswith(PK_NS):
        return "pk:" + text[len(PK_NS):]
    return text


def print_rows(columns: list[str], rows: list[dict], fmt: str, base_id: str = DEFAULT_BASE + "id/") -> None:
    from plankg.api import Result

    if fmt in ("json", "csv") and sys.stdout.isatty():  # data stays exact in a file or a pipe
        rows = [{k: for_terminal(v) if isinstance(v, str) else v for k, v in r.items()} for r in rows]
    if fmt == "json":
        sys.stdout.write(Result(columns, rows).to_json())
    elif fmt == "csv":
        sys.stdout.write(Result(columns, rows).to_csv())
    elif fmt == "table":
        t = Table(show_lines=False, box=None, header_style="bold")
        for c in columns:
            t.add_column(Text(for_terminal(c)))
        for r in rows:  # Text: a cell is never read as rich markup ([/x], [link=…])
            t.add_row(*(Text(for_terminal(_short(r[c], base_id))) for c in columns))
        Console(width=max(out.width, 200) if not out.is_terminal else None).print(t)
        err.print(f"{len(rows)} row(s)")
    else:
        _fail(UsageError(f"--format {fmt!r} is not one of table, csv, json"))


@app.command()
def build(
    corpus: Optional[Path] = typer.Option(None, "--corpus", help="corpus folder (documents/, mappings/) [default: the bundled corpus]"),
    store: Optional[str] = StoreOpt,
    base: str = BaseOpt,
):
    """Rebuild the store from the corpus: every document, the ontology and the mapping sets (atomic, idempotent)."""
    started = time.perf_counter()
    with err.status("building…") as status:
        report = _kg(store, base).build(corpus, progress=lambda m: status.update(m))
    for w in report.warnings:
        err.print(f"[yellow]warning:[/] {escape(for_terminal(str(w)))}", highlight=False)
    docs = report.documents if len(report.documents) <= 15 else report.documents[:12] + [f"… {len(report.documents) - 12} more"]
    err.print(soft_wrap=True, *[f"built {len(report.documents)} document(s) ({', '.join(docs)}), "
              f"{len(report.mapping_sets)} mapping set(s), {report.quads} quads in {time.perf_counter() - started:.2f} s"])


@app.command()
def ingest(
    path: Path = typer.Argument(..., help="a corpus file or a full text (UTF-8 or GBK; plain text or Markdown)"),
    store: Optional[str] = StoreOpt,
    base: str = BaseOpt,
    doc_id: Optional[str] = typer.Option(None, "--id", help="document id, for a text without a metadata block"),
    doc_type: Optional[str] = typer.Option(None, "--type", help=", ".join(DOC_TYPES)),
    title_zh: Optional[str] = typer.Option(None, "--title-zh"),
    title_en: Optional[str] = typer.Option(None, "--title-en"),
    source_url: Optional[str] = typer.Option(None, "--source-url", help="where the text was read"),
    mark: str = typer.Option("secondary", "--mark", help=f"confidence of the text: {', '.join(MARKS[:-1])} or {MARKS[-1]}"),
    official: bool = typer.Option(False, "--official", help="the source is an official site"),
    dry_run: bool = typer.Option(False, "--dry-run", help="print what would be ingested and change nothing"),
):
    """Add or replace one document in the store. A full text's prose is read for tasks, goals, target values and
    references (each tied to the shared indicators and documents of the store where it can be); the summary says
    what was found, and each warning names file:line."""
    done = _kg(store, base).ingest(path, doc_id=doc_id, doc_type=doc_type, title_zh=title_zh, title_en=title_en,
                                   source_url=source_url, mark=mark, official=official, dry_run=dry_run)
    for line in done.report.lines():
        err.print(escape(for_terminal(line)), highlight=False, soft_wrap=True)
    for w in done.report.warnings:
        err.print(f"[yellow]warning:[/] {escape(for_terminal(str(w)))}", highlight=False, soft_wrap=True)


@app.command()
def queries():
    """List the named queries with their parameters."""
    from plankg.queries.catalogue import catalogue

    t = Table("name", "question", "parameters")
    for q in catalogue().values():
        params = ", ".join(f"{p.name}:{p.type}" + ("" if p.required else f"={p.default or ''}") for p in q.params)
        t.add_row(q.name, q.question, params)
    out.print(t)


@app.command()
def query(
    name: str = typer.Argument(..., help="a named query (see `plankg queries`)"),
    param: list[str] = typer.Option([], "--param", "-p", help="k=v, repeatable"),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json"),
    store: Optional[str] = StoreOpt,
    base: str = BaseOpt,
):
    """Run a named query with bound parameters."""
    given = {}
    for p in param:
        k, sep, v = p.partition("=")
        if not sep or not k:
            _fail(UsageError(f"--param {p!r} is not k=v"))
        given[k.strip()] = v
    iris = _iris(base)
    result = _kg(store, iris, read_only=True).query(name, **given)
    print_rows(result.columns, result.rows, fmt, iris.id)


@app.command()
def sparql(
    text: str = typer.Argument(..., help="a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE); '-' reads stdin"),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json"),
    store: Optional[str] = StoreOpt,
    service_host: list[str] = typer.Option([], "--service-host", help="a host (or host:port) that SERVICE may call; repeat for more [default: none]"),
    default_graph: Optional[list[str]] = typer.Option(None, "--default-graph-uri", help="a graph of the default graph (repeatable; with --named-graph-uri, overrides the query's FROM / FROM NAMED, as the SPARQL 1.1 Protocol's parameter does)"),
    named_graph: Optional[list[str]] = typer.Option(None, "--named-graph-uri", help="a named graph of the dataset (repeatable)"),
):
    """Run a SPARQL query (read-only); the default graph is the RDF merge of all graphs unless the query or the
    options choose a dataset.  Guarded as the public endpoint is: SERVICE only to --service-host hosts, the
    engine's limits, and the query run in a process without network."""
    if text == "-":
        data = sys.stdin.buffer.read()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            _fail(UsageError(f"the query on stdin is not UTF-8 (byte {exc.start + 1})", "give UTF-8 text"))
    _utf8(text, "the query")
    dataset = None
    if default_graph or named_graph:
        from pyoxigraph import NamedNode

        for opt, iris in (("--default-graph-uri", default_graph or []), ("--named-graph-uri", named_graph or [])):
            for iri in iris:
                try:
                    NamedNode(iri)
                except ValueError:
                    _fail(UsageError(f"{opt}: {iri!r} is not an absolute IRI"))
        dataset = (list(default_graph or []), list(named_graph or []))
    columns, rows = _guarded_query(_store(store, read_only=True), text, tuple(service_host), dataset)
    print_rows(columns, rows, fmt)


def _guarded_query(st, text: str, hosts: tuple[str, ...], dataset=None):
    from plankg.errors import SparqlError
    from plankg.publish.sparqlscan import Unterminated, refused_services, scan
    from plankg.publish.worker import ServiceRefused, WorkerFailed, decode, run_isolated
    from plankg.queries.run import plain

    try:
        s = scan(text)
    except Unterminated as exc:
        raise SparqlError(f"invalid SPARQL: {exc}") from None
    if s.limit_exceeded:
        raise UsageError(f"the query has {s.limit_exceeded}; it was not run — split it or simplify it")
    refused = refused_services(s, hosts)
    if refused:
        raise UsageError(f"SERVICE to {', '.join(refused)} is not allowed (hosts allowed: {', '.join(hosts) or 'none'})"
                         "; the query was not run — pass --service-host HOST to allow one")
    try:
        outcome = run_isolated(st, text, allow_network=bool(hosts), dataset=dataset)
    except (ServiceRefused, WorkerFailed) as exc:
        raise UsageError(str(exc)) from None
    if outcome.kind == "boolean":
        return ["result"], [{"result": outcome.boolean}]
    columns = outcome.variables
    return columns, [{c: plain(decode(t)) for c, t in zip(columns, row)} for row in outcome.rows]


@app.command()
def validate(
    store: Optional[str] = StoreOpt,
    skip_owl: bool = typer.Option(False, "--skip-owl", help="SHACL only (no HermiT run)"),
    corpus: Optional[Path] = typer.Option(None, "--corpus", help="corpus whose mapping sets are checked with sssom-py [default: the bundled corpus]"),
):
    """Check the store: SHACL shapes (pyshacl), OWL consistency (owlready2 + HermiT) and the corpus's SSSOM mapping sets (sssom-py). Exit 0 ok, 1 fails, 2 tool error."""
    report = _kg(store, read_only=True).validate(owl=not skip_owl, corpus=corpus, strict=False)
    for line in report.lines:
        err.print(escape(str(line)), highlight=False, soft_wrap=True)
    if not report.ok:
        raise typer.Exit(1)
    err.print("[green]valid[/]")


@app.command()
def export(
    fmt: str = typer.Option("nquads", "--format", "-f", help="nquads, trig, turtle (union of all graphs) or jsonld"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="file to write [default: stdout]"),
    store: Optional[str] = StoreOpt,
):
    """Export the store."""
    data = _kg(store, read_only=True).export(fmt)
    if output:
        with _writing("--output", output):
            output.write_bytes(data)
        err.print(f"wrote {output} ({len(data)} bytes)")
    else:
        sys.stdout.buffer.write(data)


@app.command()
def report(
    output: Path = typer.Option(Path("report"), "--output", "-o", help="folder to write into"),
    plan: str = typer.Option("plan-2021-2025", "--plan", help="the plan whose indicators are charted"),
    target: str = typer.Option("outline-2021-2035", "--target", help="the document whose sections the coverage matrix lists"),
    store: Optional[str] = StoreOpt,
    base: str = BaseOpt,
):
    """Charts of each indicator (baseline → reported values → target; SVG and PNG) and the coverage heatmap with its CSV."""
    try:
        from plankg.report import write_report
    except ImportError as exc:
        _fail(UsageError(f"plankg report needs matplotlib ({exc.name} is missing)", "pip install 'plankg[report]'"))
    kg = _kg(store, base, read_only=True)
    with _writing("--output", output):
        files = write_report(kg.store, output, kg.iris, plan=plan, target=target)
    err.print(f"wrote {len(files.files)} file(s) to {output} (see {files.index})", highlight=False, soft_wrap=True)


@app.command()
def serve(
    store: Optional[str] = StoreOpt,
    base: str = BaseOpt,
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on"),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1, help="seconds a SPARQL query may run (then 503)"),
    max_rows: int = typer.Option(10_000, "--max-rows", min=1, help="result rows returned at most"),
    max_request_bytes: int = typer.Option(64 * 1024, "--max-request-bytes", min=1024, help="largest request accepted"),
    service_host: list[str] = typer.Option([], "--service-host", help="a host (or host:port) that SPARQL SERVICE may call; repeat; none by default"),
    workers: int = typer.Option(2, "--workers", min=1, help="worker processes running /sparql queries"),
    max_queue: Optional[int] = typer.Option(None, "--max-queue", min=0, help="queries that may wait for a worker; more get 503 at once [default: 4 x workers]"),
    queue_wait: float = typer.Option(1.0, "--queue-wait", min=0.0, help="seconds a query waits for a worker before 503"),
    public_url: Optional[str] = typer.Option(None, "--public-url", help="absolute URL where the site is public, ending in /"),
    root_path: str = typer.Option("", "--root-path", help="path prefix when served behind a proxy"),
    response_cache_mib: int = typer.Option(64, "--response-cache-mib", min=0, help="MiB of answers kept for repeated requests, per store generation (0: none)"),
):
    """Serve the store as linked data: pages and RDF at every IRI, a read-only SPARQL endpoint, dumps, VoID/DCAT."""
    from plankg.publish import PublishConfig
    from plankg.publish.config import ConfigError
    from plankg.publish.serve import check_port, serve as run_serve

    try:  # every setting checked before anything starts (--timeout inf, --public-url 'http://a b/' …)
        config = PublishConfig(timeout=timeout, max_rows=max_rows, max_request_bytes=max_request_bytes,
                               service_allowlist=tuple(service_host), workers=workers, public_url=public_url,
                               max_queue=max_queue, queue_wait=queue_wait, response_cache_mib=response_cache_mib)
    except ConfigError as exc:
        _fail(UsageError(f"--{exc.field.replace('_', '-')}: {exc.detail}"))
    iris = _iris(base)
    st = _store(store, read_only=True)
    quads = st.count()  # fails now, with a clear message, if there is no store
    check_port(host, port)  # a busy port: one line, exit 2
    err.print(f"serving {quads} quads on http://{host}:{port}/ (Ctrl-C stops)", highlight=False)
    run_serve(st, iris, config, host=host, port=port, root_path=root_path)


@app.command()
def publish(
    static: Path = typer.Option(..., "--static", help="folder to write the static site into"),
    base_url: str = typer.Option("http://localhost/", "--base-url", help="absolute URL where the folder will be served, ending in /"),
    store: Optional[str] = StoreOpt,
    base: str = BaseOpt,
):
    """Write pages, representations, dumps, VoID/DCAT and nginx/Apache configurations as static files."""
    from plankg.publish import publish_static

    try:
        with _writing("--static", static):
            counts = publish_static(_store(store, read_only=True), static, _iris(base), base_url=base_url)
    except ValueError as exc:
        _fail(UsageError(f"--base-url: {exc}"))
    err.print(f"wrote {counts['resources']} resource(s), {counts['pages']} page(s), {counts['files']} file(s) to {static} "
              f"(server configurations: nginx.conf, apache.htaccess)", highlight=False, soft_wrap=True)


@app.command("ontology-page")
def ontology_page(output: Path = typer.Option(Path("docs/ontology.html"), "--output", "-o")):
    """Write the human-readable page of the ontology."""
    from plankg.ontology.page import write_ontology_page

    with _writing("--output", output):
        output.parent.mkdir(parents=True, exist_ok=True)
        write_ontology_page(output)
    err.print(f"wrote {output}")


# --- link suggestion (issue 11): candidates as SSSOM, their own graph, curation -----------------------------
link_app = typer.Typer(no_args_is_help=True, help="Suggest pk:supports links between two documents' divisions, load them for review, accept them.")
app.add_typer(link_app, name="link")


@link_app.command("suggest")
def link_suggest(
    source: str = typer.Argument(..., help="the document whose divisions support (id or IRI)"),
    target: str = typer.Argument(..., help="the document whose divisions are supported (id or IRI)"),
    output: Path = typer.Option(..., "--output", "-o", help="the SSSOM TSV file to write"),
    top: int = typer.Option(3, "--top", help="candidates per source division"),
    store: Optional[str] = StoreOpt,
    base: str = BaseOpt,
):
    """Write candidate pk:supports links (semapv:LexicalMatching, score in confidence) as SSSOM TSV; nothing is curated."""
    from plankg.links import suggest, write_sssom

    try:
        iris = _iris(base)
        found = suggest(_store(store, read_only=True), source, target, iris, top=top)
        n = write_sssom(found, source, target, output, iris)
    except PlankgError as exc:
        _fail(exc)
    except OSError as exc:
        _fail(UsageError(f"--output: cannot write {output}: {exc.strerror or exc}"))
    err.print(f"wrote {output}: {n} suggestion(s) for {sum(1 for v in found.values() if v)} of {len(found)} division(s) "
              "(review them, delete the wrong rows, then `plankg link accept`)", highlight=False, soft_wrap=True)


@link_app.command("load")
def link_load(
    path: Path = typer.Argument(..., help="a suggestion file written by `plankg link suggest`"),
    store: Optional[str] = StoreOpt,
    base: str = BaseOpt,
):
    """Put suggestions into a graph of their own (graph/suggestions/NAME) as pk:SuggestedMapping records; named queries include them only with include_suggested=true."""
    from plankg.links import load_suggestions

    try:
        graph, n = load_suggestions(_store(store), path, _iris(base))
    except PlankgError as exc:
        _fail(exc)
    err.print(f"loaded {n} suggestion(s) into {graph}", highlight=False)


@link_app.command("accept")
def link_accept(
    path: Path = typer.Argument(..., help="a suggestion file, with the rejected rows deleted"),
    into: Optional[Path] = typer.Option(None, "--into", help="the curated mapping set to add to [default: corpus/mappings/SOURCE_supports_TARGET.sssom.tsv]"),
    author: str = typer.Option("plankg:team", "--author", help="the curator, as a CURIE (e.g. orcid:…)"),
):
    """Make the rows of a suggestion file curated (semapv:ManualMappingCuration, author_id) in a mapping set; rebuild to load it."""
    from plankg.links import accept

    try:
        added, known, target = accept(path, into, author)
    except PlankgError as exc:
        _fail(exc)
    err.print(f"accepted {added} mapping(s) into {target}" + (f" ({known} already there)" if known else "")
              + "; `plankg build` loads them", highlight=False, soft_wrap=True)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
