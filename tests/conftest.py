from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "test-output"


def mkdocs_build(project: Path, site_dir: Path, **env: str) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of the project at `project`, importing its own `snippets`."""
    environment = {**os.environ, "PYTHONPATH": str(project), "NO_MKDOCS_2_WARNING": "1", **env}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


def copy_project(destination: Path) -> Path:
    """A throwaway copy of the site's sources, to break on purpose."""
    destination.mkdir(parents=True)
    for name in ("mkdocs.yml", "docs", "overrides", "snippets", "hooks", "benchmarks"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, destination / name)
    (destination / "node_modules").symlink_to(ROOT / "node_modules")
    return destination


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def site_port() -> int:
    """The port the browser tests serve the site on; the site is built for that address."""
    return free_port()


@pytest.fixture(scope="session")
def built_site(site_port) -> Path:
    """The real site, built once per test run with --strict."""
    site = OUTPUT / "site"
    # Material's instant navigation only follows links under the site URL it was built for.
    result = mkdocs_build(ROOT, site, SITE_URL=f"http://127.0.0.1:{site_port}/")
    assert result.returncode == 0, f"strict build failed:\n{result.stdout}\n{result.stderr}"
    return site
