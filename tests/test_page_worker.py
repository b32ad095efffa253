"""Pages rendered in the second worker: the same pages, and a failure there still stops the build."""

from __future__ import annotations

import re

import pytest

from conftest import mkdocs_build
from minimal_site import one_page_site

pytestmark = pytest.mark.build
PAGES = ("sign_error.md", "worked_example.md")  # the worker starts from the last


def _break_a_step(project) -> None:
    snippet = project / "snippets/worked_example.py"
    text = snippet.read_text()
    assert r'Step(r"\ln 2"' in text
    snippet.write_text(text.replace(r'Step(r"\ln 2"', r'Step(r"\ln 3"', 1))


def _handed(log: str) -> int:
    found = re.search(r"Page worker: (\d+) pages rendered in a second process", log)
    return int(found[1]) if found else 0


def test_the_worker_renders_what_the_build_would(tmp_path):
    project = one_page_site(tmp_path / "project", *PAGES)
    with_worker = mkdocs_build(project, tmp_path / "with")
    alone = mkdocs_build(project, tmp_path / "alone", PAGE_WORKER="off")
    assert with_worker.returncode == alone.returncode == 0, with_worker.stderr + alone.stderr
    assert _handed(with_worker.stderr) >= 1, with_worker.stderr
    assert _handed(alone.stderr) == 0
    for page in ("worked_example", "sign_error"):
        assert (tmp_path / "with" / page / "index.html").read_text() == (tmp_path / "alone" / page / "index.html").read_text()


@pytest.mark.parametrize("flags", [(), ("-q",)])
def test_a_step_that_fails_in_the_worker_stops_the_build(tmp_path, flags):
    project = one_page_site(tmp_path / "project", *PAGES)
    _break_a_step(project)
    result = mkdocs_build(project, tmp_path / "site", *flags)
    assert result.returncode != 0
    assert r"docs/worked_example.md ← StepError: snippets/worked_example.py:" in result.stderr, result.stderr
    assert r"\ln 3" in result.stderr


def test_a_page_that_failed_is_not_cached_so_the_next_build_fails_too(tmp_path):
    project = one_page_site(tmp_path / "project", *PAGES)
    _break_a_step(project)
    for attempt in ("first", "second"):
        result = mkdocs_build(project, tmp_path / attempt, PAGE_CACHE="on", NOTEBOOKS_EXECUTE="false")
        assert result.returncode != 0, f"{attempt} build passed:\n{result.stderr}"
        assert "docs/worked_example.md ← StepError" in result.stderr, result.stderr
