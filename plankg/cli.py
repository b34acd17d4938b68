"""The ``plankg`` command.

Exit codes: 0 ok; 1 the data is bad (a document, a mapping set, or
validation failed); 2 a bad request or a missing tool (unknown query or
parameter, invalid SPARQL, no Java for HermiT, an unusable store).
"""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from plankg.errors import PlankgError, UsageError
from plankg.iris import DEFAULT_BASE, ONTOLOGY_NS as PK_NS, Iris

app = typer.Typer(add_completion=False, no_args_is_help=True, help="plankg: China's IP policy plans as linked open data.")
err = Console(stderr=True)
out = Console()

StoreOpt = typer.Option(None, "--store", envvar="PLANKG_STORE", help="store: a directory (embedded Oxigraph), oxigraph:PATH or memory: [default: data/store]")
BaseOpt = typer.Option(DEFAULT_BASE, "--base", envvar="PLANKG_BASE", help="base IRI of the data (ends in /)")


def _fail(exc: PlankgError) -> None:
    err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
    raise typer.Exit(exc.exit_code)


def _iris(base: str) -> Iris:
    try:
        return Iris(base)
    except ValueError as exc:
        _fail(UsageError(f"--base: {exc}"))


def _store(spec, read_only=False):
    from plankg.graph_store.base import open_store

    return open_store(spec or "data/store", read_only=read_only)


def _json_default(v):
    if isinstance(v, Decimal):
        return float(v) if v != v.to_integral_value() else int(v)
    raise TypeError(type(v))


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
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=_json_default) + "\n")
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: "" if v is None else v for k, v in r.items()})
        sys.stdout.write(buf.getvalue())
    elif fmt == "table":
        t = Table(*columns, show_lines=False, box=None, header_style="bold")
        for r in rows:
            t.add_row(*(_short(r[c], base_id) for c in columns))
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
    from plankg.pipeline import build as run_build

    started = time.perf_counter()
    try:
        with err.status("building…") as status:
            report = run_build(_store(store), corpus, _iris(base), progress=lambda m: status.update(m))
    except PlankgError as exc:
        _fail(exc)
    for w in report.warnings:
        err.print(f"[yellow]warning:[/] {escape(str(w))}", highlight=False)
    docs = report.documents if len(report.documents) <= 15 else report.documents[:12] + [f"… {len(report.documents) - 12} more"]
    err.print(soft_wrap=True, *[f"built {len(report.documents)} document(s) ({', '.join(docs)}), "
              f"{len(report.mapping_sets)} mapping set(s), {report.quads} quads in {time.perf_counter() - started:.2f} s"])


@app.command()
def ingest(
    path: Path = typer.Argument(..., help="a corpus file or a full text (UTF-8 or GBK; plain text or Markdown)"),
    store: Optional[str] = StoreOpt,
    base: str = BaseOpt,
    doc_id: Optional[str] = typer.Option(None, "--id", help="document id, for a text without a metadata block"),
    doc_type: Optional[str] = typer.Option(None, "--type", help="Outline, FiveYearPlan, AnnualPromotionPlan, ActionPlan, Opinion, PolicyDocument"),
    title_zh: Optional[str] = typer.Option(None, "--title-zh"),
    title_en: Optional[str] = typer.Option(None, "--title-en"),
    source_url: Optional[str] = typer.Option(None, "--source-url", help="where the text was read"),
    mark: str = typer.Option("secondary", "--mark", help="confidence of the text: verified, secondary or recalled"),
    official: bool = typer.Option(False, "--official", help="the source is an official site"),
):
    """Add or replace one document in the store."""
    from plankg.pipeline import ingest as run_ingest

    options = {"doc_id": doc_id, "doc_type": doc_type, "title_zh": title_zh, "title_en": title_en,
               "source_url": source_url, "mark": mark, "official": official}
    try:
        doc, n, warnings = run_ingest(_store(store), path, _iris(base), options)
    except PlankgError as exc:
        _fail(exc)
    for w in warnings:
        err.print(f"[yellow]warning:[/] {escape(str(w))}", highlight=False)
    err.print(f"ingested {doc}: {n} quads")


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
    from plankg.queries.run import run_named

    given = {}
    for p in param:
        k, sep, v = p.partition("=")
        if not sep or not k:
            _fail(UsageError(f"--param {p!r} is not k=v"))
        given[k.strip()] = v
    try:
        iris = _iris(base)
        columns, rows = run_named(_store(store, read_only=True), name, given, iris)
    except PlankgError as exc:
        _fail(exc)
    print_rows(columns, rows, fmt, iris.id)


@app.command()
def sparql(
    text: str = typer.Argument(..., help="a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE); '-' reads stdin"),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json"),
    store: Optional[str] = StoreOpt,
    default_graph: Optional[list[str]] = typer.Option(None, "--default-graph-uri", help="a graph of the default graph (repeatable; with --named-graph-uri, overrides the query's FROM / FROM NAMED, as the SPARQL 1.1 Protocol's parameter does)"),
    named_graph: Optional[list[str]] = typer.Option(None, "--named-graph-uri", help="a named graph of the dataset (repeatable)"),
):
    """Run a SPARQL query (read-only); the default graph is the RDF merge of all graphs unless the query or the options choose a dataset."""
    from plankg.queries.run import result_rows

    if text == "-":
        text = sys.stdin.read()
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
    try:
        st = _store(store, read_only=True)
        columns, rows = result_rows(st.query(text, dataset=dataset) if dataset else st.query(text))
    except PlankgError as exc:
        _fail(exc)
    print_rows(columns, rows, fmt)


@app.command()
def validate(
    store: Optional[str] = StoreOpt,
    skip_owl: bool = typer.Option(False, "--skip-owl", help="SHACL only (no HermiT run)"),
    corpus: Optional[Path] = typer.Option(None, "--corpus", help="corpus whose mapping sets are checked with sssom-py [default: the bundled corpus]"),
):
    """Check the store: SHACL shapes (pyshacl), OWL consistency (owlready2 + HermiT) and the corpus's SSSOM mapping sets (sssom-py). Exit 0 ok, 1 fails, 2 tool error."""
    from plankg.pipeline import bundled_corpus
    from plankg.validate import validate_store

    try:
        report = validate_store(_store(store, read_only=True), owl=not skip_owl, corpus=corpus or bundled_corpus())
    except PlankgError as exc:
        _fail(exc)
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
    try:
        data = _store(store, read_only=True).export(fmt)
    except PlankgError as exc:
        _fail(exc)
    if output:
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
    try:
        files = write_report(_store(store, read_only=True), output, _iris(base), plan=plan, target=target)
    except PlankgError as exc:
        _fail(exc)
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
):
    """Serve the store as linked data: pages and RDF at every IRI, a read-only SPARQL endpoint, dumps, VoID/DCAT."""
    from plankg.publish import PublishConfig
    from plankg.publish.serve import serve as run_serve

    if public_url is not None and not (public_url.startswith(("http://", "https://")) and public_url.endswith("/")):
        _fail(UsageError(f"--public-url: {public_url!r} is not an absolute http(s) URL ending in /"))
    config = PublishConfig(timeout=timeout, max_rows=max_rows, max_request_bytes=max_request_bytes,
                           service_allowlist=tuple(service_host), workers=workers, public_url=public_url,
                           max_queue=max_queue, queue_wait=queue_wait)
    try:
        st = _store(store, read_only=True)
        quads = st.count()  # fails now, with a clear message, if there is no store
    except PlankgError as exc:
        _fail(exc)
    err.print(f"serving {quads} quads on http://{host}:{port}/ (Ctrl-C stops)", highlight=False)
    run_serve(st, _iris(base), config, host=host, port=port, root_path=root_path)


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
        counts = publish_static(_store(store, read_only=True), static, _iris(base), base_url=base_url)
    except PlankgError as exc:
        _fail(exc)
    except ValueError as exc:
        _fail(UsageError(f"--base-url: {exc}"))
    err.print(f"wrote {counts['resources']} resource(s), {counts['pages']} page(s), {counts['files']} file(s) to {static} "
              f"(server configurations: nginx.conf, apache.htaccess)", highlight=False, soft_wrap=True)


@app.command("ontology-page")
def ontology_page(output: Path = typer.Option(Path("docs/ontology.html"), "--output", "-o")):
    """Write the human-readable page of the ontology."""
    from plankg.ontology.page import write_ontology_page

    output.parent.mkdir(parents=True, exist_ok=True)
    write_ontology_page(output)
    err.print(f"wrote {output}")


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
