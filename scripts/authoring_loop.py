"""How quickly the site answers its author: save -> reloaded page under `mkdocs serve`, and builds.

Measures, median of --runs (default 3), on a throwaway copy of the project:
  - cold strict build (empty cache) and warm strict build (nothing changed);
  - under `mkdocs serve`: from saving a prose edit, and a comment-only edit to a snippet a page
    imports, until the served page carries the edit (polled over HTTP, as live reload would fetch it).
  - with --test-suite, once: the README's test command (`make test`) on this checkout, wall time
    and pytest's closing line.
Targets: prose <= 1 s, snippet <= 2 s (`snippets/soft_target_minimum.py` included), cold <= 8 s,
warm <= 2 s, test suite <= 60 s. Prints the
figures and writes benchmarks/authoring_loop.json (--no-write to only print). Run by
`make authoring-loop`. Nothing else may run on the machine meanwhile.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "authoring_loop.json"
PAGE, PAGE_URL = "docs/sign_error.md", "sign_error/"
# A snippet of a light page, and the module of the heaviest.
SNIPPETS = {"snippet_edit_s": ("snippets/sign_error.py", "sign_error/"),
            "heavy_snippet_edit_s": ("snippets/soft_target_minimum.py", "soft_target_minimum/")}
TARGETS = {"prose_edit_s": 1.0, "snippet_edit_s": 2.0, "heavy_snippet_edit_s": 2.0, "cold_build_s": 8.0, "warm_build_s": 2.0}
TEST_SUITE_TARGET_S = 60.0


def copy_project(destination: Path) -> Path:
    destination.mkdir(parents=True)
    for name in ("mkdocs.yml", "docs", "overrides", "snippets", "benchmarks"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, destination / name)
    (destination / "node_modules").symlink_to(ROOT / "node_modules")
    return destination


def environment(project: Path) -> dict:
    return {**os.environ, "PYTHONPATH": str(project), "NO_MKDOCS_2_WARNING": "1"}


def timed_build(project: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(project / "site")],
                            cwd=project, env=environment(project), capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"the strict build failed:\n{result.stdout}{result.stderr}")
    return time.perf_counter() - start


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def until(condition, timeout: float = 120.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            sys.exit("the served page never showed the edit")
        time.sleep(0.02)


class ServeLog:
    """Lines of `mkdocs serve`'s log, read in the background; counts finished rebuilds."""

    def __init__(self, stream) -> None:
        self.reloads = 0
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            if "Reloading browsers" in line:
                self.reloads += 1


def save_to_reload(project: Path, url: str, log: ServeLog, path: str, marker: str, in_code: bool) -> float:
    """Seconds from saving the edit until the page is served again: reloaded (snippet) or showing it (prose)."""
    file = project / path
    text = file.read_text()
    reloads = log.reloads
    start = time.perf_counter()
    file.write_text(text + (f"\n# {marker}\n" if in_code else f"\n\n{marker}\n"))
    if in_code:  # a comment does not change the page: wait for the rebuild, then the page
        until(lambda: log.reloads > reloads and "<html" in fetch(url))
    else:
        until(lambda: marker in fetch(url))
    elapsed = time.perf_counter() - start
    reloads = log.reloads
    file.write_text(text)
    until(lambda: log.reloads > reloads)
    return elapsed


def time_test_suite() -> dict:
    start = time.perf_counter()
    result = subprocess.run(["make", "-s", "test"], cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    closing = next((line.strip("= ") for line in reversed(result.stdout.splitlines()) if " in " in line and "passed" in line), "")
    if result.returncode != 0:
        sys.exit(f"`make test` failed:\n{result.stdout[-3000:]}{result.stderr[-2000:]}")
    return {"wall_s": round(wall, 1), "pytest": closing, "target_s": TEST_SUITE_TARGET_S}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--test-suite", action="store_true", help="also time `make test` once")
    arguments = parser.parse_args()
    samples: dict[str, list[float]] = {name: [] for name in TARGETS}
    with tempfile.TemporaryDirectory() as scratch:
        for run in range(arguments.runs):
            project = copy_project(Path(scratch) / f"run{run}")
            samples["cold_build_s"].append(timed_build(project))
            samples["warm_build_s"].append(timed_build(project))
        project = Path(scratch) / "run0"
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        url = f"http://127.0.0.1:{port}/{PAGE_URL}"
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload"],
                                  cwd=project, env=environment(project), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        log = ServeLog(server.stderr)
        try:
            until(lambda: "<html" in fetch(url))
            for run in range(arguments.runs):
                samples["prose_edit_s"].append(save_to_reload(project, url, log, PAGE, f"prose-edit-{run}-{time.time_ns()}", False))
                for name, (snippet, page_url) in SNIPPETS.items():
                    shown = url.removesuffix(PAGE_URL) + page_url
                    samples[name].append(save_to_reload(project, shown, log, snippet, f"snippet-edit-{run}", True))
        finally:
            server.terminate()
            server.wait()
    figures = {name: round(statistics.median(values), 2) for name, values in samples.items()}
    for name, value in figures.items():
        print(f"{name:<16} {value:>6.2f} s   (target <= {TARGETS[name]} s; runs: {', '.join(f'{v:.2f}' for v in samples[name])})")
    record = {"recorded": time.strftime("%Y-%m-%d"), "runs": arguments.runs, "median_s": figures, "targets_s": TARGETS}
    if arguments.test_suite:
        record["test_suite"] = time_test_suite()
        print(f"test suite       {record['test_suite']['wall_s']:>6.1f} s   (target <= {TEST_SUITE_TARGET_S} s): {record['test_suite']['pytest']}")
    elif RESULTS.exists():  # keep the last recorded test-suite figure
        previous = json.loads(RESULTS.read_text()).get("test_suite")
        if previous:
            record["test_suite"] = previous
    if not arguments.no_write:
        RESULTS.write_text(json.dumps(record, indent=2) + "\n")
        print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
