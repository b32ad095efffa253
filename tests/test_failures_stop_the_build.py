"""A failed check stops the build by itself, whatever flags MkDocs is given, naming page and step."""

from __future__ import annotations

import pytest

from one_page_site import build_one_page, executed

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
