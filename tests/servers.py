"""Real SPARQL servers for the backend tests, started on 127.0.0.1 (free ports, temporary folders) and stopped after.

* :class:`OxigraphServer` — the ``oxigraph`` command line of the PyPI package ``oxigraph``
  (``oxigraph serve --location DIR --bind 127.0.0.1:PORT [--union-default-graph]``).
* :class:`VirtuosoServer` — Virtuoso Open Source 7 (Debian/Ubuntu: ``apt-get install virtuoso-opensource``),
  run in the foreground (``virtuoso-t -f -c virtuoso.ini``) with its own ``virtuoso.ini`` in a temporary
  folder: its SQL port (1111 by default) and its HTTP port (8890) are both free ports, ``DirsAllowed`` is the
  temporary folder, the result-row limit and the query time limits are lifted.  After it starts, ``isql``
  grants ``SPARQL_UPDATE`` to the ``SPARQL`` user (the one the anonymous ``/sparql`` endpoint runs as) and
  gives anonymous users read/write graph permissions (``DB.DBA.RDF_DEFAULT_USER_PERMS_SET('nobody', 7)``), so
  that SPARQL Update on ``/sparql`` and the Graph Store Protocol on ``/sparql-graph-crud`` work without a
  login — for tests only: never do this on a server others can reach (use ``/sparql-auth`` and
  ``/sparql-graph-crud-auth`` with a user instead).

Both are context managers; a missing program raises :class:`ServerUnavailable` whose message says how to
install it (the tests fail with it, they never skip).  Usable from the benchmarks too.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

OXIGRAPH_HELP = "install the Oxigraph server: pip install 'oxigraph>=0.5,<0.6' (or pip install -e '.[test]'), which provides the `oxigraph` command"
VIRTUOSO_HELP = ("install Virtuoso Open Source 7: apt-get update && apt-get install -y virtuoso-opensource "
                 "(provides virtuoso-t and isql-vt)")


def oxigraph_command() -> str | None:
    """The ``oxigraph`` command: beside this Python first (a venv used without activating it), then on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("oxigraph")


class ServerUnavailable(RuntimeError):
    """A server program is missing or would not start; the message says how to install or fix it."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, proc: subprocess.Popen, log: Path, timeout: float, name: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerUnavailable(f"{name} exited with code {proc.returncode} while starting: {_tail(log)}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise ServerUnavailable(f"{name} did not answer at {url} within {timeout:.0f} s: {_tail(log)}")


def _tail(log: Path, lines: int = 15) -> str:
    try:
        return " | ".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class _Server:
    name = "server"
    proc: subprocess.Popen | None = None

    def __init__(self, workdir: Path | None = None):
        self._own_dir = workdir is None
        self.dir = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix=f"plankg-{self.name}-"))
        self.dir.mkdir(parents=True, exist_ok=True)
        self.log = self.dir / "server.log"

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        if self._own_dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    def _popen(self, args: list[str], cwd: Path) -> subprocess.Popen:
        with open(self.log, "ab") as log:
            # a session of its own, so that stop() can end the server and anything it started, and nothing else
            return subprocess.Popen(args, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True)

    def stop(self, timeout: float = 30) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)

    def kill(self) -> None:
        """Stop abruptly (SIGKILL), as a crash or a lost machine would."""
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


class OxigraphServer(_Server):
    """``oxigraph serve`` on a free port; ``union`` starts it with ``--union-default-graph``."""

    name = "oxigraph"

    def __init__(self, workdir: Path | None = None, *, union: bool = True, port: int | None = None,
                 read_only: bool = False):
        super().__init__(workdir)
        self.union = union
        self.read_only = read_only  # ``serve-read-only`` (over data loaded before with :meth:`load`)
        self.port = port or free_port()
        self.location = self.dir / "data"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def spec(self, **options: str) -> str:
        """The plankg store spec of this server (query /query, update /update, GSP /store)."""
        opts = {"union": "server" if self.union else "dataset", **options}
        return f"{self.url}/query?" + "&".join(f"{k}={v}" for k, v in opts.items())

    def start(self) -> None:
        exe = oxigraph_command()
        if exe is None:
            raise ServerUnavailable(f"the `oxigraph` command is not on PATH — {OXIGRAPH_HELP}")
        args = [exe, "serve-read-only" if self.read_only else "serve", "--location", str(self.location),
                "--bind", f"127.0.0.1:{self.port}"]
        if self.union:
            args.append("--union-default-graph")
        self.proc = self._popen(args, self.dir)
        _wait_http(f"{self.url}/query?query=ASK%7B%7D", self.proc, self.log, 60, "oxigraph serve")

    def load(self, path: Path) -> None:
        """``oxigraph load`` a file into the location (before :meth:`start`)."""
        exe = oxigraph_command()
        if exe is None:
            raise ServerUnavailable(f"the `oxigraph` command is not on PATH — {OXIGRAPH_HELP}")
        done = subprocess.run([exe, "load", "--location", str(self.location), "--file", str(path)],
                              capture_output=True, text=True, check=False)
        if done.returncode:
            raise ServerUnavailable(f"oxigraph load failed: {done.stderr.strip()[-500:]}")


VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:{sql_port}
LiteMode                 = 0
DisableUnixSocket        = 1
DisableTcpSocket         = 0
MaxClientConnections     = 20
CheckpointInterval       = 60
O_DIRECT                 = 0
CaseMode                 = 2
MaxStaticCursorRows      = 5000
CheckpointAuditTrail     = 0
AllowOSCalls             = 0
SchedulerInterval        = 10
DirsAllowed              = ., {dir}, /usr/share/virtuoso-opensource-7/vad
ThreadCleanupInterval    = 0
ThreadThreshold          = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize        = 100000
SingleCPU                = 0
VADInstallDir            = /usr/share/virtuoso-opensource-7/vad/
PrefixResultNames        = 0
RdfFreeTextRulesSize     = 100
IndexTreeMaps            = 64
MaxMemPoolSize           = 200000000
MaxQueryMem              = 1G
VectorSize               = 1000
MaxVectorSize            = 1000000
AdjustVectorSize         = 0
ThreadsPerQuery          = 4
AsyncQueueMaxThreads     = 10
NumberOfBuffers          = {buffers}
MaxDirtyBuffers          = {dirty}

[HTTPServer]
ServerPort                  = 127.0.0.1:{http_port}
ServerRoot                  = {dir}/vsp
MaxClientConnections        = 20
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
TempASPXDir                 = 0
DefaultMailServer           = localhost:25
ServerThreads               = 20
MaxKeepAlives               = 10
KeepAliveTimeout            = 10
MaxCachedProxyConnections   = 10
ProxyConnectionCacheTimeout = 15
HTTPThreadSize              = 280000
HttpPrintWarningsInOutput   = 0
Charset                     = UTF-8
MaintenancePage             = atomic.html
EnabledGzipContent          = 1

[AutoRepair]
BadParentLinks = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[VDB]
ArrayOptimization           = 0
NumArrayParameters          = 10
VDBDisconnectTimeout        = 1000
KeepConnectionOnFixedThread = 0

[Replication]
ServerName   = db
ServerEnable = 1
QueueMax     = 50000

[Zero Config]
ServerName = plankg-test

[URIQA]
DynamicLocal = 0
DefaultHost  = 127.0.0.1:{http_port}

[SPARQL]
ResultSetMaxRows           = 10000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = 0
DefaultQuery               = select distinct ?Concept where {{[] a ?Concept}} LIMIT 100
DeferInferenceRulesInit    = 0
"""

#: run once after start, as dba, through isql
VIRTUOSO_SETUP_SQL = [
    'GRANT SPARQL_UPDATE TO "SPARQL";',
    "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);",
]


class VirtuosoServer(_Server):
    """Virtuoso Open Source 7 with its own ini, database and ports in a temporary folder."""

    name = "virtuoso"

    def __init__(self, workdir: Path | None = None, *, buffers: int = 170000):
        super().__init__(workdir)
        self.sql_port = free_port()
        self.http_port = free_port()
        self.buffers = buffers

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def spec(self, **options: str) -> str:
        """The plankg store spec of this server: query and update on /sparql, GSP on /sparql-graph-crud, the
        union made by the backend (``union=dataset``) over the graphs under plankg's graph prefix, parameters
        written in place (``bind=substitute``: Virtuoso 7 ignores a VALUES binding at the start of a path)."""
        opts = {"union": "dataset", "graphs": "https://w3id.org/plankg/graph/", "bind": "substitute", **options}
        return f"{self.url}/sparql?" + "&".join(f"{k}={v}" for k, v in opts.items())

    def isql(self, *statements: str) -> str:
        exe = shutil.which("isql-vt") or shutil.which("isql")
        if exe is None:
            raise ServerUnavailable(f"isql-vt is not on PATH — {VIRTUOSO_HELP}")
        script = "\n".join(statements) + "\n"
        proc = subprocess.run([exe, f"127.0.0.1:{self.sql_port}", "dba", "dba", "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF"],
                              input=script, capture_output=True, text=True, timeout=120)
        if proc.returncode or "*** Error" in proc.stdout + proc.stderr:
            raise ServerUnavailable(f"isql failed on {statements!r}: {proc.stdout.strip()} {proc.stderr.strip()}")
        return proc.stdout

    def start(self) -> None:
        exe = shutil.which("virtuoso-t")
        if exe is None:
            raise ServerUnavailable(f"virtuoso-t is not on PATH — {VIRTUOSO_HELP}")
        (self.dir / "vsp").mkdir(exist_ok=True)
        ini = self.dir / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(dir=self.dir, sql_port=self.sql_port, http_port=self.http_port,
                                           buffers=self.buffers, dirty=self.buffers * 3 // 4), encoding="utf-8")
        self.proc = self._popen([exe, "-f", "-c", str(ini)], self.dir)
        _wait_http(f"{self.url}/sparql?query=ASK%7B%7D", self.proc, self.dir / "virtuoso.log", 120, "virtuoso-t")
        self.isql(*VIRTUOSO_SETUP_SQL)


# -- plankg's own server ---------------------------------------------------------------------------------------

def descendants(pid: int) -> set[int]:
    """Every process under ``pid`` (from /proc: query workers, multiprocessing's resource tracker)."""
    out, todo = set(), [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*"):
            try:
                kids = {int(k) for k in (task / "children").read_text().split()} - out
            except OSError:
                continue
            out |= kids
            todo.extend(kids)
    return out


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except (OSError, IndexError):
        return False
    return state != "Z"


class PlankgServer(_Server):
    """``plankg serve`` as an operator runs it — uvicorn with ``plankg.publish.serve:app_from_env`` — on a free
    port over a built store; ``env`` adds PLANKG_* settings (PLANKG_WORKERS, PLANKG_TIMEOUT …).

    :meth:`stop` sends SIGTERM to uvicorn alone, as an operator would, and waits for its query workers to end
    with it; those that outlive it are killed and left in :attr:`left`, so a test can assert there are none.
    :meth:`track` adds the processes under the server now to those watched (workers killed and respawned
    during a test are then checked too).
    """

    name = "plankg"

    def __init__(self, store: Path | str, workdir: Path | None = None, *, env: dict | None = None,
                 port: int | None = None):
        super().__init__(workdir)
        self.store = Path(store)
        self.env = {k: str(v) for k, v in (env or {}).items()}
        self.port = port or free_port()
        self.seen: set[int] = set()
        self.left: list[int] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> None:
        args = [sys.executable, "-m", "uvicorn", "--factory", "plankg.publish.serve:app_from_env",
                "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning", "--no-access-log"]
        env = {**os.environ, "PLANKG_STORE": str(self.store), **self.env}
        with open(self.log, "ab") as log:  # a file, not a pipe: a full pipe would stall the server under load
            self.proc = subprocess.Popen(args, cwd=self.dir, env=env, stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
        _wait_http(self.url + "/health", self.proc, self.log, timeout, "plankg serve")

    def track(self) -> set[int]:
        if self.proc is not None:
            self.seen |= descendants(self.proc.pid)
        return self.seen

    def stop(self, timeout: float = 15) -> None:
        proc = self.proc
        if proc is None:
            return
        watched = self.track()
        self.proc = None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        deadline = time.monotonic() + 10
        while any(alive(p) for p in watched) and time.monotonic() < deadline:
            time.sleep(0.1)
        self.left = sorted(p for p in watched if alive(p))
        for p in self.left:
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def log_tail(self) -> str:
        return _tail(self.log)
