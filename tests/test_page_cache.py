"""The cache of rendered pages: keyed on what a page imports, and a hit is the page as rendered."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import load_hook, mkdocs_build
from minimal_site import one_page_site


def _hook():
    return load_hook("page_cache")


@pytest.fixture
def package(tmp_path) -> Path:
    """snippets/a imports b (relatively), b imports c (absolutely); d stands apart."""
    files = {
        "__init__.py": "",
        "a.py": "from .b import value\n",
        "b.py": "from snippets import c\nvalue = c.value\n",
        "c.py": "value = 1\n",
        "d.py": "import snippets.c\n",
    }
    for name, text in files.items():
        (tmp_path / "snippets").mkdir(exist_ok=True)
        (tmp_path / "snippets" / name).write_text(text)
    return tmp_path


def test_dependencies_follow_imports_and_nothing_else(package):
    hook = _hook()
    found = hook.dependencies(["from snippets import a as claim\nprint(claim.value)"], package)
    assert {path.name for path in found} == {"__init__.py", "a.py", "b.py", "c.py"}


def test_executed_code_is_read_from_exec_blocks_only():
    hook = _hook()
    markdown = '```python exec="on"\nfrom snippets import a\n```\n\n```python\nfrom snippets import d\n```\n'
    assert hook.executed_code(markdown) == ["from snippets import a"]


def test_notebook_key_changes_with_what_it_imports_only(package):
    hook = _hook()
    notebook = package / "notebook.ipynb"
    notebook.write_text('{"cells": [{"cell_type": "code", "source": ["%matplotlib inline\\n", "from snippets import a"]}]}')
    before = hook.notebook_imports_key(str(notebook), package)
    (package / "snippets/d.py").write_text("# an unrelated module changed\n")
    assert hook.notebook_imports_key(str(notebook), package) == before
    (package / "snippets/c.py").write_text("value = 1  # a comment in a module imported through two others\n")
    assert hook.notebook_imports_key(str(notebook), package) != before


@pytest.mark.build
def test_a_cached_page_is_the_page_as_rendered_and_an_import_edit_renders_it_again(tmp_path):
    project = one_page_site(tmp_path / "project", "sign_error.md")

    def build(name: str):
        result = mkdocs_build(project, tmp_path / name, PAGE_CACHE="on", NOTEBOOKS_EXECUTE="false")
        assert result.returncode == 0, result.stdout + result.stderr
        site = tmp_path / name
        return result.stderr, (site / "sign_error/index.html").read_text() + (site / "search/search_index.json").read_text()

    cold_log, cold_page = build("cold")
    warm_log, warm_page = build("warm")
    assert "0 pages reused" in cold_log, cold_log
    assert "0 rendered" in warm_log, warm_log
    assert warm_page == cold_page  # the page with its math (build_memo) and its search entries
    proof = project / "snippets/proof.py"
    proof = proof if proof.is_file() else project / "snippets/proof/__init__.py"
    proof.write_text(proof.read_text() + "\n# a comment in a module the page imports through another\n")
    edited_log, _ = build("edited")
    assert "1 rendered" in edited_log, edited_log
