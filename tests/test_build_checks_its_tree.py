"""The build checks the tree it builds, and every script that builds fails on a broken site."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from conftest import ROOT
from minimal_site import one_page_site


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _break_snippet(project: Path) -> None:
    path = project / "snippets/soft_target_minimum.py"
    path.write_text(path.read_text() + "\nraise RuntimeError('deliberately broken snippet')\n")


@pytest.mark.build
def test_build_imports_the_snippets_of_its_own_tree(tmp_path):
    """An unbroken copy of `snippets` first on PYTHONPATH must not hide this tree's broken one.

    Run as the `mkdocs` command, as `make` does: `python -m mkdocs` would put the current folder first.
    """
    project = one_page_site(tmp_path / "project", "soft_target_minimum.md")
    _break_snippet(project)
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "snippets", elsewhere / "snippets", ignore=shutil.ignore_patterns("__pycache__"))
    environment = {**os.environ, "PYTHONPATH": str(elsewhere), "NOTEBOOKS_EXECUTE": "false"}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=project, env=environment, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode != 0, result.stdout + result.stderr
    assert "deliberately broken snippet" in result.stderr


def test_a_snippets_package_from_elsewhere_is_refused(tmp_path):
    """A tree whose own `snippets` is not the one Python imports is not built."""
    from bce_site.plugin import ProofsPlugin

    plugin = ProofsPlugin()
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "__init__.py").write_text("")
    plugin.root = tmp_path  # a tree with a `snippets` of its own, last on sys.path: Python finds this checkout's
    with pytest.raises(PluginError, match="another copy of `snippets`"):
        plugin.on_pre_build(types.SimpleNamespace())


@pytest.mark.build
def test_page_performance_refuses_a_broken_site(tmp_path, monkeypatch):
    monkeypatch.setenv("NOTEBOOKS_EXECUTE", "false")  # the copy's notebook is a stub of link targets
    script = _load(ROOT / "scripts/page_performance.py", "page_performance")
    project = one_page_site(tmp_path / "project", "soft_target_minimum.md")
    _break_snippet(project)
    with pytest.raises(SystemExit, match="deliberately broken snippet"):
        script.build(tmp_path / "site", "temml", "http://127.0.0.1:8000/", project=project)
