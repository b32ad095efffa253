"""A failed check stops the build by itself, whatever flags MkDocs is given, naming page and step."""

from __future__ import annotations

import pytest

from pathlib import Path

from one_page_site import build_one_page, executed

pytestmark = pytest.mark.build

CHAIN = """
import sympy as sp
from snippets.proof import Chain, Step
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


def test_serve_shows_a_failure_on_its_page_and_recovers_when_it_is_fixed(tmp_path):
    import os
    import subprocess
    import sys

    from conftest import free_port

    wrong, right = executed(CHAIN.format(step="3a")), executed(CHAIN.format(step="a^{{2}}"))
    build_one_page(tmp_path, wrong, "--help")  # writes the site's files; nothing is built
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent), "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        assert _wait_for(lambda: "This page failed its checks" in _get(url)), "the failing page never showed its failure"
        assert "step 1 of a^{2}, 3a" in _get(url)
        (tmp_path / "docs" / "index.md").write_text(right)
        assert _wait_for(lambda: "This page failed its checks" not in _get(url) and "proof" in _get(url)), "no recovery"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_display_typed_into_the_page_stops_the_build(tmp_path):
    page = "# A page\n\nA result typed by hand:\n\n$$\n\\frac{\\partial C}{\\partial a} = \\frac{y-a}{n}\n$$\n"
    result = build_one_page(tmp_path, page, "-q")
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert "docs/index.md ← a displayed formula not printed by the proof engine" in log, log
    assert "\\frac{y-a}{n}" in log, log
