from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "test-output"
SITE_RECORD = OUTPUT / "site-build.json"


def mkdocs_build(project: Path, site_dir: Path, *flags: str, **env: str) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` (and `flags`) of the project at `project`, importing its own `snippets`, with a cold cache."""
    environment = {**os.environ, "PYTHONPATH": str(project), "NO_MKDOCS_2_WARNING": "1", "PAGE_CACHE": "off", **env}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir), *flags],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


def load_hook(name: str):
    """A hook module loaded as MkDocs loads it: by path, its folder on `sys.path` while it runs."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"{name}_hook", ROOT / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    saved = sys.path.copy()
    sys.path.insert(0, str(ROOT / "hooks"))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = saved
    return module


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pytest_configure(config):
    # One id for the whole run, shared by pytest-xdist's workers, so the site is built once per run.
    config.run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if "built_site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.build)



def _site_build(run_id: str) -> dict:
    """The real site, built with --strict by whichever worker asks first in this run; the others wait."""
    OUTPUT.mkdir(exist_ok=True)
    with FileLock(OUTPUT / "site-build.lock"):
        if SITE_RECORD.exists():
            record = json.loads(SITE_RECORD.read_text())
            if record["run"] == run_id:
                return record
        port = free_port()
        # Material's instant navigation only follows links under the site URL it was built for.
        result = mkdocs_build(ROOT, OUTPUT / "site", SITE_URL=f"http://127.0.0.1:{port}/")
        record = {"run": run_id, "port": port, "returncode": result.returncode, "log": result.stdout + result.stderr}
        SITE_RECORD.write_text(json.dumps(record))
        return record


@pytest.fixture(scope="session")
def site_build(request) -> dict:
    return _site_build(request.config.run_id)


@pytest.fixture(scope="session")
def site_port(site_build) -> int:
    """The port the browser tests serve the site on; the site is built for that address."""
    return site_build["port"]


@pytest.fixture(scope="session")
def built_site(site_build) -> Path:
    """The real site, built once per test run with --strict (once for all workers)."""
    assert site_build["returncode"] == 0, f"strict build failed:\n{site_build['log']}"
    return OUTPUT / "site"


@pytest.fixture(scope="module")
def server(built_site, site_port):
    """The built site served on the one port it was built for; a module on another worker waits its turn."""
    from site_server import serve_directory

    with serve_directory(built_site, site_port) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def torch():
    """PyTorch, the reference implementation's independent oracle."""
    return pytest.importorskip("torch", reason="PyTorch (the oracle) is not installed: `make test` installs it")
