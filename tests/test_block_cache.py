"""The cache of executed blocks: a prose edit runs no block; a code or import edit runs what it must."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import mkdocs_build
from minimal_site import one_page_site

pytestmark = pytest.mark.build

PROBE = '''"""Counts its runs in a file beside it, so a test can see which blocks ran."""
from pathlib import Path

RUNS = Path(__file__).with_name("runs.txt")


def value(name):
    with RUNS.open("a") as runs:
        runs.write(name + "\\n")
    return 6 * 7
'''
FIRST = '```python exec="on" session="probe"\nfrom snippets import probe\nx = probe.value("first")\n```\n'
SECOND = '```python exec="on" session="probe"\nprint(f"The answer is {x}, {probe.value(\'second\')}.")\n```\n'


@pytest.fixture
def project(tmp_path) -> Path:
    project = one_page_site(tmp_path / "project", "sign_error.md")
    (project / "docs/sign_error.md").unlink()
    (project / "snippets/probe.py").write_text(PROBE)
    return project


def _build(project: Path, site: Path, page: str):
    (project / "docs/probe.md").write_text(page)
    runs = project / "snippets/runs.txt"
    runs.unlink(missing_ok=True)
    result = mkdocs_build(project, site, PAGE_CACHE="on", NOTEBOOKS_EXECUTE="false")
    ran = runs.read_text().split() if runs.exists() else []
    html = (site / "probe/index.html").read_text() if (site / "probe/index.html").exists() else ""
    return result, ran, html


def test_prose_edits_run_nothing_and_code_edits_run_their_session(project, tmp_path):
    page = f"# Probe\n\n{FIRST}\nSome prose.\n\n{SECOND}"
    result, ran, html = _build(project, tmp_path / "cold", page)
    assert result.returncode == 0, result.stderr
    assert ran == ["first", "second"] and "The answer is 42, 42." in html

    result, ran, html = _build(project, tmp_path / "prose", page.replace("Some prose.", "Other prose."))
    assert result.returncode == 0, result.stderr
    assert "1 rendered" in result.stderr, result.stderr
    assert ran == [], "a prose edit ran the page's blocks again"
    assert "Other prose." in html and "The answer is 42, 42." in html
    assert "Other prose." in (tmp_path / "prose/search/search_index.json").read_text(), "the search index kept the old page"

    edited = page.replace("The answer is", "The answer still is")
    result, ran, html = _build(project, tmp_path / "second-block", edited)
    assert result.returncode == 0, result.stderr
    # The second block needs `x`: the first block runs again, for its variables, before it.
    assert ran == ["first", "second"], ran
    assert "The answer still is 42, 42." in html

    probe = project / "snippets/probe.py"
    probe.write_text(probe.read_text().replace("6 * 7", "2 * 21"))
    result, ran, html = _build(project, tmp_path / "import-edit", edited)
    assert result.returncode == 0, result.stderr
    assert ran == ["first", "second"], "an edit to an imported module did not run the blocks that import it"


def test_a_block_that_failed_fails_again(project, tmp_path):
    failing = f"# Probe\n\n{FIRST}\n" + '```python exec="on" session="probe"\nassert x == 41, "x is not 41"\n```\n'
    for attempt in ("first", "second"):
        result, _, _ = _build(project, tmp_path / attempt, failing)
        assert result.returncode != 0, f"the {attempt} build passed a failing block"
        assert "x is not 41" in result.stderr + result.stdout
