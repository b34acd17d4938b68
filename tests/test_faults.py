"""Faults during a write: a build killed mid-load, a full disk, a crash between writing the new
generation and swapping it in.  After each, the previous graph is intact (same CURRENT, same
N-Quads export, no stray generation) and the next build succeeds.

The full disk is tested twice: simulated (pyoxigraph's ``Store.bulk_load`` / ``bulk_extend`` / ``flush`` raise
``OSError(ENOSPC)``), and for real on a small tmpfs when this machine lets us mount one (root
with CAP_SYS_ADMIN); where it cannot, those tests are skipped with the reason, and the
simulation still runs.
"""

from __future__ import annotations

import errno
import os
import stat
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph
import pytest

from plankg.errors import StoreError
from plankg.graph_store import oxigraph_store
from plankg.graph_store import open_store
from plankg.pipeline import build, bundled_corpus

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parents[1]


# -- helpers ---------------------------------------------------------------------------------

def make_big_corpus(dest: Path, copies: int) -> Path:
    """The bundled corpus plus ``copies`` copies of the Plan under new ids (big-0000 …): slow enough to kill mid-load."""
    shutil.copytree(bundled_corpus(), dest, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    text = (dest / "documents" / "plan-2021-2025.md").read_text(encoding="utf-8")
    assert text.count("\nid: plan-2021-2025\n") == 1
    for i in range(copies):
        (dest / "documents" / f"big-{i:04d}.md").write_text(
            text.replace("\nid: plan-2021-2025\n", f"\nid: big-{i:04d}\n", 1), encoding="utf-8")
    return dest


def export(store: Path) -> bytes:
    s = open_store(store, read_only=True)
    try:
        return s.export("nquads")
    finally:
        s.close()


def state(store: Path) -> tuple[str, list[str], bytes]:
    """What must not change: where CURRENT points, the directory listing, the whole export."""
    return os.readlink(store / "CURRENT"), sorted(p.name for p in store.iterdir()), export(store)


def generations(store: Path) -> list[str]:
    return sorted(p.name for p in store.glob("gen-*"))


@pytest.fixture
def store(tmp_path) -> Path:
    path = tmp_path / "store"
    build(open_store(path))
    return path


def rebuild_succeeds(cli, store: Path, before: tuple) -> None:
    """The next build works, clears what a failed write left behind, and gives the same graph (builds are idempotent)."""
    result = cli("build", "--store", store)
    assert result.exit_code == 0, result.output
    assert len(generations(store)) == 1 and not (store / "CURRENT.tmp").exists()
    assert export(store) == before[2]


# -- a build killed with SIGKILL while it loads ------------------------------------------------

def test_a_build_killed_mid_load_leaves_the_previous_graph(tmp_path, store, cli, monkeypatch):
    before = state(store)
    current = before[0]
    big = make_big_corpus(tmp_path / "big", 150)
    spills = tmp_path / "spills"  # where the builds keep their graphs until the load (graph_store/spill.py)
    spills.mkdir()
    monkeypatch.setenv("PLANKG_SPILL_DIR", str(spills))
    proc = subprocess.Popen([sys.executable, "-m", "plankg.cli", "build", "--corpus", str(big), "--store", str(store)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
    deadline = time.monotonic() + 180
    try:
        while not (new := [g for g in generations(store) if g != current]):  # reading is done, loading has begun
            assert proc.poll() is None, "the build ended before it began to load"
            assert time.monotonic() < deadline, "the build never began to load"
            time.sleep(0.005)
        time.sleep(0.3)  # let it write for a while
        assert proc.poll() is None, "the build finished before it could be killed: make the corpus bigger"
        assert any((store / new[0]).iterdir()), "nothing written yet"
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # the half-written generation is still on disk, but CURRENT never pointed to it
    assert os.readlink(store / "CURRENT") == current and (store / new[0]).is_dir()
    assert export(store) == before[2]
    assert [p.read_text() for p in spills.glob("plankg-spill-*/pid")] == [str(proc.pid)]  # the killed build's spill
    rebuild_succeeds(cli, store, before)
    assert list(spills.iterdir()) == []  # the next build removed it (and its own)


# -- a full disk -----------------------------------------------------------------------------

def _full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


# a build loads its graphs' text with bulk_load (and the ontology, with blank nodes, with bulk_extend); an ingest its quads with bulk_extend
@pytest.mark.parametrize("command, method", [("build", "bulk_load"), ("build", "bulk_extend"), ("build", "flush"),
                                             ("ingest", "bulk_extend"), ("ingest", "flush")])
def test_a_full_disk_simulated(store, cli, monkeypatch, method, command):
    before = state(store)
    monkeypatch.setattr(pyoxigraph.Store, method, _full)
    args = ["build"] if command == "build" else ["ingest", FIXTURES / "fulltext" / "continuous.txt"]
    result = cli(*args, "--store", store)
    monkeypatch.undo()
    message = result.stderr.strip()
    assert result.exit_code == 2, (result.output, result.exception)
    assert "\n" not in message and "No space left on device" in message, message
    assert "nothing was changed" in message and "free some space" in message, message
    assert state(store) == before  # CURRENT unchanged, no stray gen-*, same graph
    rebuild_succeeds(cli, store, before)


@pytest.fixture
def tmpfs(tmp_path):
    """Mount a tmpfs of a given size (root only); skip, saying why, where that is not possible."""
    mounted: list[Path] = []

    def mount(size: str) -> Path:
        where = tmp_path / f"tmpfs-{size}"
        where.mkdir()
        if os.geteuid() != 0:
            pytest.skip("mounting a tmpfs needs root; the full disk is covered by test_a_full_disk_simulated")
        try:
            done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                                  capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError) as exc:
            pytest.skip(f"cannot run mount ({exc}); the full disk is covered by test_a_full_disk_simulated")
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}); the full disk is covered by test_a_full_disk_simulated")
        mounted.append(where)
        return where

    yield mount
    for where in mounted:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, timeout=30)


def test_a_real_full_disk_on_a_first_build(tmpfs, cli):
    disk = tmpfs("2m")  # the bundled corpus needs about 2.1 MB
    store = disk / "store"
    result = cli("build", "--store", store)
    message = result.stderr.strip()
    assert result.exit_code == 2, (result.output, result.exception)
    assert "\n" not in message and "No space left on device" in message and "nothing was changed" in message, message
    assert not (store / "CURRENT").exists() and generations(store) == []  # no half-written store


def test_a_real_full_disk_keeps_the_store(tmpfs, tmp_path, cli):
    disk = tmpfs("12m")  # room for the bundled corpus twice (old and new generation, about 3.3 MB each with the merge), not for a big one
    store = disk / "store"
    assert cli("build", "--store", store).exit_code == 0
    before = state(store)
    big = make_big_corpus(tmp_path / "big", 40)
    result = cli("build", "--corpus", big, "--store", store)
    message = result.stderr.strip()
    assert result.exit_code == 2, (result.output, result.exception)
    assert "\n" not in message and "No space left on device" in message and "free some space" in message, message
    assert state(store) == before
    rebuild_succeeds(cli, store, before)


# -- a crash between writing the new generation and the swap ----------------------------------

def _fail_the_swap(monkeypatch, exc: BaseException) -> list[str]:
    """Make ``os.replace`` of CURRENT raise: the new generation is fully written, the swap never happens."""
    attempts: list[str] = []
    replace = os.replace

    def crashing(src, dst, *args, **kwargs):
        if Path(dst).name == "CURRENT":
            attempts.append(os.readlink(src))
            raise exc
        return replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(oxigraph_store.os, "replace", crashing)
    return attempts


@pytest.mark.parametrize("command", ["build", "ingest"])
def test_a_failed_swap_keeps_current(store, cli, monkeypatch, command):
    before = state(store)
    attempts = _fail_the_swap(monkeypatch, OSError(errno.EIO, "Input/output error"))
    args = ["build"] if command == "build" else ["ingest", FIXTURES / "fulltext" / "continuous.txt"]
    result = cli(*args, "--store", store)
    monkeypatch.undo()
    assert attempts and attempts[0] != before[0]  # the swap to a new, complete generation was attempted
    assert result.exit_code == 2 and "nothing was changed" in result.stderr, (result.output, result.exception)
    assert state(store) == before  # no stray generation, no CURRENT.tmp
    rebuild_succeeds(cli, store, before)


def test_an_interrupt_at_the_swap_keeps_current(store, cli, monkeypatch):
    before = state(store)
    attempts = _fail_the_swap(monkeypatch, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        build(open_store(store))
    monkeypatch.undo()
    assert attempts
    assert state(store) == before
    rebuild_succeeds(cli, store, before)


def test_a_process_that_dies_at_the_swap_keeps_current(tmp_path, store, cli):
    """A real death (``os._exit``) right before the rename: the new generation and CURRENT.tmp stay on disk, unused."""
    before = state(store)
    script = textwrap.dedent(f"""
        import os, sys
        from pathlib import Path
        replace = os.replace
        def die(src, dst, *a, **k):
            if Path(dst).name == "CURRENT":
                os._exit(137)
            return replace(src, dst, *a, **k)
        os.replace = die
        from plankg.cli import app
        sys.argv = ["plankg", "build", "--store", {str(store)!r}]
        app()
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 137, done.stderr
    assert (store / "CURRENT.tmp").is_symlink() and len(generations(store)) == 2  # the debris of the crash
    assert os.readlink(store / "CURRENT") == before[0]
    assert export(store) == before[2]
    rebuild_succeeds(cli, store, before)


def test_a_failure_after_the_swap_keeps_the_new_generation(store, cli, monkeypatch):
    """If syncing the directory fails after the rename, the new generation is the store: it must not be deleted."""
    before = state(store)

    real_fsync = os.fsync

    def failing_fsync(fd):  # the sync of the store's directory after the rename (files before it sync normally)
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.EIO, "Input/output error")
        return real_fsync(fd)

    monkeypatch.setattr(oxigraph_store.os, "fsync", failing_fsync)
    with pytest.raises(StoreError, match="the store was written, but syncing"):
        build(open_store(store))
    monkeypatch.undo()
    current = os.readlink(store / "CURRENT")
    assert current != before[0] and (store / current).is_dir()
    assert export(store) == before[2]
    rebuild_succeeds(cli, store, before)
