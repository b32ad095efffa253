"""A failed check stops the build by itself, whatever flags MkDocs is given, naming page and step."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from one_page_site import build_one_page, executed
from test_page_memo import notebook

pytestmark = pytest.mark.build

CHAIN = """
import sympy as sp
from bce_proofs import Chain, Step
a = sp.Symbol("a")
print(Chain("a^{{2}}", a**2, [Step("{step}", "reason")]).markdown())
"""


@pytest.mark.parametrize("flags", [(), ("-q",), ("--no-strict",), ("--no-strict", "-q"), ("-v",)], ids=repr)
def test_a_wrong_step_fails_the_build_with_any_flags(tmp_path, flags):
    result = build_one_page(tmp_path, executed(CHAIN.format(step="3a")), *flags)
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert "docs/index.md ← StepError" in log and "step 1 of a^{2}, 3a" in log, log


def test_a_block_that_raises_fails_the_build_quietly_too(tmp_path):
    result = build_one_page(tmp_path, executed("raise RuntimeError('deliberately broken block')"), "-q", "--no-strict")
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert "docs/index.md ← RuntimeError: deliberately broken block" in log, log


def test_the_right_step_builds(tmp_path):
    """The control: the same page with a true step builds, and shows the step with its status."""
    result = build_one_page(tmp_path, executed(CHAIN.format(step="a^{{2}}")), "-q")
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'data-status="proved"' in (tmp_path / "site" / "index.html").read_text()


def _get(url: str) -> str:
    import urllib.request

    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a server this test started on 127.0.0.1
        return response.read().decode("utf-8")


def _wait_for(condition, seconds: float = 90.0):
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


@contextlib.contextmanager
def _served(project: Path):
    """`mkdocs serve` of the project, as `make serve` runs it; yields the site's address."""
    from conftest import free_port

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent), "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_shows_a_failure_on_its_page_and_recovers_when_it_is_fixed(tmp_path):
    wrong, right = executed(CHAIN.format(step="3a")), executed(CHAIN.format(step="a^{{2}}"))
    build_one_page(tmp_path, wrong, "--help")  # writes the site's files; nothing is built
    with _served(tmp_path) as url:
        assert _wait_for(lambda: "This page failed its checks" in _get(url)), "the failing page never showed its failure"
        assert "step 1 of a^{2}, 3a" in _get(url)
        (tmp_path / "docs" / "index.md").write_text(right)
        assert _wait_for(lambda: "This page failed its checks" not in _get(url) and "proof" in _get(url)), "no recovery"


NOTEBOOK_SITE = """\
site_name: a notebook
theme: {name: material, font: false}
markdown_extensions: [pymdownx.superfences]
plugins:
  - mkdocs-jupyter: {execute: false}
  - bce-proofs
"""


def test_serve_shows_a_notebook_whose_cell_raises_unexecuted_under_its_failure(tmp_path):
    """Under `serve` a notebook whose cell raises is shown as saved, unexecuted, under the failure
    (the build stops on it instead: `test_site_build`), and shows its output once it is fixed."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n")
    (tmp_path / "docs" / "notebook.ipynb").write_text(notebook("print('cell ' + 'ran')\nraise ValueError('deliberately broken cell')"))
    (tmp_path / "mkdocs.yml").write_text(NOTEBOOK_SITE)
    with _served(tmp_path) as url:
        page = url + "notebook/"
        assert _wait_for(lambda: "This page failed its checks" in _get(page)), "the notebook never showed its failure"
        shown = _get(page)
        assert "a cell raised when the notebook was run" in shown and "deliberately broken cell" in shown
        assert "cell ran" not in shown, "the failing notebook is shown executed"
        (tmp_path / "docs" / "notebook.ipynb").write_text(notebook("print('cell ' + 'ran')"))
        assert _wait_for(lambda: "cell ran" in _get(page) and "This page failed its checks" not in _get(page)), "no recovery"


def test_a_display_typed_into_the_page_stops_the_build(tmp_path):
    page = "# A page\n\nA result typed by hand:\n\n$$\n\\frac{\\partial C}{\\partial a} = \\frac{y-a}{n}\n$$\n"
    result = build_one_page(tmp_path, page, "-q")
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert "docs/index.md ← a displayed formula not printed by the proof engine" in log, log
    assert "\\frac{y-a}{n}" in log, log
