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
    """`mkdocs build --strict` (and `flags`) of the project at `project`, importing its own `snippets`."""
    environment = {**os.environ, "PYTHONPATH": str(project), "NO_MKDOCS_2_WARNING": "1", **env}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir), *flags],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SITE_PORT_VARIABLE = "BCE_TEST_SITE_PORT"


def pytest_configure(config):
    # One id for the whole run, shared by pytest-xdist's workers, so the site is built once per run.
    config.run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex
    if not hasattr(config, "workerinput"):
        # The main process serves the built site, for the whole run, to every worker at once (the
        # workers inherit the port): the site is built for that one address.
        from site_server import serve_directory

        config.site_server = serve_directory(OUTPUT / "site")
        os.environ[SITE_PORT_VARIABLE] = config.site_server.__enter__().rstrip("/").rsplit(":", 1)[1]


def pytest_unconfigure(config):
    if hasattr(config, "site_server"):
        config.site_server.__exit__(None, None, None)


def _needs_the_site(item) -> bool:
    return any(name in getattr(item, "fixturenames", ()) for name in ("built_site", "server"))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if "built_site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.build)
    # Long tests first, the many short ones last, so that two workers end together: the tests of the
    # built site (one worker builds it meanwhile, the other starts on the next group), then the other
    # builds, browser tests and mutants, then the rest, each group in the order it was collected.
    items.sort(key=lambda item: 0 if _needs_the_site(item) else 1 if any(item.get_closest_marker(mark) for mark in ("build", "browser", "mutation")) else 2)



def _site_build(run_id: str) -> dict:
    """The real site, built with --strict by whichever worker asks first in this run; the others wait."""
    OUTPUT.mkdir(exist_ok=True)
    with FileLock(OUTPUT / "site-build.lock"):
        if SITE_RECORD.exists():
            record = json.loads(SITE_RECORD.read_text())
            if record["run"] == run_id:
                return record
        port = int(os.environ[SITE_PORT_VARIABLE])
        # The site's links to itself (canonical links, the sitemap) name the address it is served at.
        result = mkdocs_build(ROOT, OUTPUT / "site", SITE_URL=f"http://127.0.0.1:{port}/")
        record = {"run": run_id, "port": port, "returncode": result.returncode, "log": result.stdout + result.stderr}
        SITE_RECORD.write_text(json.dumps(record))
        return record


def _snippets_modules() -> dict:
    # The claims and the engine: a build in this process imports both afresh (the plugin's on_pre_build).
    return {name: module for name, module in sys.modules.items() if name.split(".")[0] in ("snippets", "bce_proofs")}


@pytest.fixture(autouse=True)
def _same_snippets_modules_after_each_test():
    """A test that imports `snippets` afresh (a hook does, on load) leaves the modules as it found them,
    so that a class imported at the top of another test module is still the one its code raises."""
    before = _snippets_modules()
    yield
    for name in set(_snippets_modules()) - set(before):
        del sys.modules[name]
    sys.modules.update(before)


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


@pytest.fixture(scope="session")
def server(built_site, site_port) -> str:
    """The address of the built site, served by the main process on the one port it was built for."""
    return f"http://127.0.0.1:{site_port}/"


@pytest.fixture(scope="session")
def torch():
    """PyTorch, the reference implementation's independent oracle."""
    return pytest.importorskip("torch", reason="PyTorch (the oracle) is not installed: `make test` installs it")
