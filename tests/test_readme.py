"""The README's promises stay true: two quick-start commands, CI runs the test command, the catalogue is listed."""

import re
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
    assert "plankg build" in commands[0] and "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quick_start_commands()[1] in ci


def test_every_named_query_is_in_the_catalogue_table():
    for name in catalogue():
        assert f"| `{name}` |" in README, name


def test_ontology_page_is_current(tmp_path):
    from plankg.ontology.page import write_ontology_page

    out = tmp_path / "ontology.html"
    write_ontology_page(out)
    assert out.read_text(encoding="utf-8") == (ROOT / "docs" / "ontology.html").read_text(encoding="utf-8"), \
        "docs/ontology.html is stale: run plankg ontology-page -o docs/ontology.html"
