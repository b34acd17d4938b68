"""The distribution: ``python -m build`` makes an sdist and, from it, a wheel that carry every file of the
packages (code, corpus, queries, ontology, templates, static files); the wheel, installed into a new virtual
environment, builds the bundled corpus and answers a named query from another working directory.

Offline and quick: the build runs without isolation (build and setuptools come with the test extra), and the
new environment installs only the wheel (``--no-deps --no-index``), finding the dependencies in this
environment's site-packages through a ``.pth`` file.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

from plankg.api import Result
from plankg.queries.run import run_named

ROOT = Path(__file__).parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = PYPROJECT["project"]["version"]
PACKAGE_DIRS = PYPROJECT["tool"]["setuptools"]["package-dir"]  # plankg.corpus -> corpus …
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc")


def package_files() -> dict[str, Path]:
    """Every file of every package, by its path inside the wheel (plankg/corpus/documents/…)."""
    out = {}
    for package, folder in PACKAGE_DIRS.items():
        top = ROOT / folder
        for path in top.rglob("*"):
            rel = path.relative_to(top)
            if path.is_file() and "__pycache__" not in rel.parts and path.suffix != ".pyc" and not path.name.startswith("."):
                out[f"{package.replace('.', '/')}/{rel.as_posix()}"] = path
    return out


def run(*args, cwd: Path, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, (args, done.returncode, done.stdout[-3000:], done.stderr[-3000:])
    return done


@pytest.fixture(scope="module")
def dists(tmp_path_factory) -> dict[str, Path]:
    """The sdist and the wheel, built from a copy of the sources (the build writes *.egg-info and build/)."""
    tmp = tmp_path_factory.mktemp("dist")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", PYPROJECT["project"]["readme"]):
        shutil.copy(ROOT / name, src / name)
    for folder in set(PACKAGE_DIRS.values()):
        shutil.copytree(ROOT / folder, src / folder, ignore=SKIP)
    run(sys.executable, "-m", "build", "--no-isolation", "--outdir", tmp / "out", src, cwd=tmp)
    built = {p.suffix: p for p in (tmp / "out").iterdir()}
    assert sorted(p.name for p in built.values()) == [f"plankg-{VERSION}-py3-none-any.whl", f"plankg-{VERSION}.tar.gz"]
    return {"wheel": built[".whl"], "sdist": built[".gz"]}


def test_the_wheel_and_the_sdist_carry_every_package_file(dists):
    files = package_files()
    assert {"plankg/corpus/documents/plan-2021-2025.md", "plankg/queries/goal-indicators.rq", "plankg/ontology/plankg.ttl",
            "plankg/ontology/shapes.ttl", "plankg/publish/templates/resource.html", "plankg/publish/static/plankg.css",
            "plankg/publish/static/vendor/codemirror/codemirror.min.js", "plankg/api.py"} <= set(files)
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        inside = set(wheel.namelist())
        missing = sorted(set(files) - inside)
        assert not missing, missing
        for name, path in files.items():  # the same bytes
            assert wheel.read(name) == path.read_bytes(), name
        metadata = wheel.read(f"plankg-{VERSION}.dist-info/METADATA").decode("utf-8")
        entry_points = wheel.read(f"plankg-{VERSION}.dist-info/entry_points.txt").decode("utf-8")
    assert f"Version: {VERSION}" in metadata and "plankg = plankg.cli:app" in entry_points
    with tarfile.open(dists["sdist"]) as sdist:
        names = set(sdist.getnames())
    missing = sorted(name for name, path in files.items() if f"plankg-{VERSION}/{path.relative_to(ROOT).as_posix()}" not in names)
    assert not missing, missing


def test_the_installed_wheel_builds_and_answers_from_another_directory(dists, tmp_path, corpus_store):
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    purelib = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path).stdout.strip())
    # the dependencies: this environment's site-packages, after the new one's (whose plankg is the wheel's)
    (purelib / "_plankg_test_deps.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index",
        dists["wheel"], cwd=tmp_path)

    elsewhere = tmp_path / "elsewhere"  # neither the sources nor a data/ folder
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PLANKG_STORE", "PLANKG_BASE", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    where = run(python, "-c", "import plankg; print(plankg.__file__)", cwd=elsewhere, env=env).stdout.strip()
    assert Path(where).is_relative_to(purelib), where  # the wheel's plankg, not the sources
    plankg = venv / "bin" / "plankg"
    assert run(plankg, "--version", cwd=elsewhere, env=env).stdout == f"plankg {VERSION}\n"

    built = run(plankg, "build", cwd=elsewhere, env=env)
    documents = len(list((ROOT / "corpus" / "documents").glob("*.md")))
    assert f"built {documents} document(s)" in built.stderr and (elsewhere / "data" / "store" / "CURRENT").is_symlink()
    answer = run(plankg, "query", "goal-indicators", "-p", "goal=plan-2021-2025/p2/s3", "-f", "json", cwd=elsewhere, env=env)
    rows = json.loads(answer.stdout)
    expected = Result(*run_named(corpus_store, "goal-indicators", {"goal": "plan-2021-2025/p2/s3"}))
    assert len(rows) == 15 and rows == json.loads(expected.to_json())

    api = run(python, "-c", "import plankg; r = plankg.open().query('goal-indicators', goal='plan-2021-2025/p2/s3'); "
                            "print(len(r), r.columns[0])", cwd=elsewhere, env=env)
    assert api.stdout == "15 indicator\n"
