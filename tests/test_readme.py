"""The README's promises stay true: two quick-start commands, CI runs the test command (which names the
packages it needs when it cannot install them), the API example runs, the catalogue is listed."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from plankg.queries.catalogue import catalogue

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_commands():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, re.S)


def test_quick_start_has_exactly_two_commands():
    commands = quick_start_commands()
    assert len(commands) == 2 and all("\n" not in c for c in commands)
    assert "plankg build" in commands[0] and "plankg query" in commands[0]
    assert commands[1] == "scripts/test"
    script = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    assert os.access(ROOT / "scripts" / "test", os.X_OK)
    for step in ("apt-get update", "apt-get install -y", "python3 -m venv .venv", "pip install -q -e '.[test]'",
                 ".venv/bin/python -m pytest -q"):
        assert step in script, step


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line for line in ci.splitlines() if line.strip() and not line.startswith("#")]
    assert commands[-1] == quick_start_commands()[1]  # the last thing CI does, and its exit code is CI's


def test_the_test_command_names_missing_packages_when_not_root(tmp_path):
    """Without root, scripts/test installs nothing: one line names the packages and the command, exit 2."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "dirname"):  # all the script needs to reach its check; java, chromium … are absent
        (bin_dir / tool).symlink_to(shutil.which(tool))
    (bin_dir / "python3").symlink_to(os.path.realpath(sys.executable))
    (bin_dir / "id").write_text("#!/bin/sh\necho 1000\n")  # not root
    (bin_dir / "id").chmod(0o755)
    done = subprocess.run([str(bin_dir / "bash"), str(ROOT / "scripts" / "test")], capture_output=True, text=True,
                          env={"PATH": str(bin_dir), "HOME": str(tmp_path)}, timeout=120)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == "" and len(done.stderr.splitlines()) == 1, done.stderr
    packages = ["default-jdk-headless", "chromium", "fontconfig", "fonts-noto-cjk", "virtuoso-opensource"]
    packages += [] if os.access("/usr/sbin/nginx", os.X_OK) else ["nginx-light"]  # found there outside PATH too
    packages += ["curl"]
    names = " ".join(packages)
    assert done.stderr.strip() == (f"scripts/test: missing Debian packages: {names} — install them with: "
                                   f"sudo apt-get update && sudo apt-get install -y {names}")


def api_example() -> str:
    section = README.split("## Python API", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)\n```", section, re.S)
    assert len(blocks) == 1
    return blocks[0]


def test_the_api_example_runs_as_written(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # plankg.open() makes data/store here
    monkeypatch.delenv("PLANKG_STORE", raising=False)
    names: dict = {}
    exec(compile(api_example(), "README.md (Python API)", "exec"), names)
    printed = capsys.readouterr().out.splitlines()
    assert (tmp_path / "data" / "store" / "CURRENT").is_symlink()  # the bundled corpus was built on first use
    result = names["result"]
    assert len(result) == 15 and printed[0] == repr(result.columns)
    assert printed[1] == "Value added of patent-intensive industries as share of GDP baseline 2019 11.6 %"
    assert len(names["frame"]) == 15 and list(names["frame"].columns) == result.columns
    assert (tmp_path / "goal-indicators.csv").read_text(encoding="utf-8") == result.to_csv()
    assert printed[-2].startswith("National Plan for the Protection and Utilisation of Intellectual Property Rights")
    assert printed[-1] == "2 parameter goal: 'not a goal' is not an IRI or a doc-id/path such as plan-2021-2025/p2/s3"


def test_every_named_query_is_in_the_catalogue_table():
    for name in catalogue():
        assert f"| `{name}` |" in README, name


def test_ontology_page_is_current(tmp_path):
    from plankg.ontology.page import write_ontology_page

    out = tmp_path / "ontology.html"
    write_ontology_page(out)
    assert out.read_text(encoding="utf-8") == (ROOT / "docs" / "ontology.html").read_text(encoding="utf-8"), \
        "docs/ontology.html is stale: run plankg ontology-page -o docs/ontology.html"
