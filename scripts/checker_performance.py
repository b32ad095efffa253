"""The browser checker's figures (docs/check.md, bce_site/checker.py): writes benchmarks/checker.json.

- A shared link (check/#d=<the sign-error asker's derivation>) -> all its verdicts, in headless Chromium
  from 127.0.0.1: with an empty cache (cold), then again with the same profile (warm: the checker's
  files are served as a static host may, kept for a year by their content-named paths); a later check.
- Bytes for the first check, raw and brotli (quality 11, as a host precompresses), and what the first
  paint needs (the page and its render-blocking files).
- In Node, with the same runtime and bundles: where the time goes, sympy as .pyc against .py, and a
  Pyodide memory snapshot. Sizes with and without the subpackages the engine never imports.
- Every other page: no file of the checker loaded; what its "try it" links add to its HTML.

Figures are timings on a shared machine: the load average is recorded with them.

    .venv/bin/python scripts/checker_performance.py [--site DIR] [--runs 3]
"""

from __future__ import annotations

import argparse
import functools
import importlib.metadata as metadata
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import brotli

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import mkdocs_build  # noqa: E402
from bce_site import checker  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EXAMPLE = ROOT / "tests" / "derivations" / "sign_error_as_asked.tex"
CORRECTED = ROOT / "tests" / "derivations" / "sign_error_corrected.tex"
TRY = re.compile(r'<a class="proof-try" href="[^"]*">try it</a>')


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def brotli_size(data: bytes) -> int:
    return len(brotli.compress(data, quality=11))


class Served:
    """A static server that logs what it sent; the checker's content-named files may be kept a year."""

    def __init__(self, site: Path):
        self.log: list[str] = []
        served = self

        class Handler(SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def end_headers(self):
                if urlsplit(self.path).path.startswith("/assets/"):
                    self.send_header("Cache-Control", "public, max-age=31536000, immutable")
                else:
                    self.send_header("Cache-Control", "no-cache")
                super().end_headers()

            def send_head(self):
                served.log.append(unquote(urlsplit(self.path).path))
                return super().send_head()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"


def file_of(site: Path, path: str) -> Path:
    target = site / path.lstrip("/")
    return target / "index.html" if target.is_dir() else target


def sizes(site: Path, paths: list[str]) -> dict:
    files = [file_of(site, path) for path in dict.fromkeys(paths)]
    files = [path for path in files if path.is_file()]
    return {"files": len(files), "raw_bytes": sum(path.stat().st_size for path in files),
            "brotli_bytes": sum(brotli_size(path.read_bytes()) for path in files)}


MARKS = """() => Object.fromEntries(performance.getEntriesByType("mark").filter((mark) => mark.name.startsWith("checker-"))
  .map((mark) => [mark.name, mark.startTime]))"""
BLOCKING = """() => [location.pathname, ...performance.getEntriesByType("resource")
  .filter((entry) => entry.renderBlockingStatus === "blocking").map((entry) => new URL(entry.name).pathname)]"""
FIRST_PAINT = """() => (performance.getEntriesByName("first-contentful-paint")[0] || {}).startTime"""


def browser_figures(site: Path, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    served = Served(site)
    link = served.base + "check/#d=" + quote(EXAMPLE.read_text(), safe="")
    cold, warm, later, later_correct, first_bytes, paint, ready = [], [], [], [], None, None, {}
    with sync_playwright() as playwright:
        for run in range(runs):
            with tempfile.TemporaryDirectory(prefix="checker-profile-") as profile:
                context = playwright.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=ARGS, viewport={"width": 1280, "height": 900})
                for visit in ("cold", "warm"):
                    served.log.clear()
                    page = context.new_page()
                    page.goto(link)
                    page.wait_for_selector('#checker-results[data-done="1"]', state="attached", timeout=120_000)
                    marks = page.evaluate(MARKS)
                    (cold if visit == "cold" else warm).append(marks["checker-verdicts"] / 1000)
                    ready.setdefault(visit, []).append(marks["checker-ready"] / 1000)
                    if visit == "cold" and run == 0:
                        first_bytes = {**sizes(site, served.log), "paths": sorted(set(served.log))}
                        paint = {"first_contentful_paint_s": round(page.evaluate(FIRST_PAINT) / 1000, 3), **sizes(site, page.evaluate(BLOCKING))}
                        paint["paths"] = sorted(set(page.evaluate(BLOCKING)))
                    if visit == "warm":
                        warm_served = sorted(set(served.log))
                        # Edits of the asker's derivation (wrong lines: each is diagnosed) and of its corrected form.
                        edits = [EXAMPLE.read_text().replace("(1-y)", f"({edit + 2}-y)", 1) for edit in range(3)]
                        edits += [CORRECTED.read_text().replace("% ", f"% edit {edit}: ", 1) for edit in range(3)]
                        for number, edit in enumerate(edits):
                            done = int(page.get_attribute("#checker-results", "data-done"))
                            page.evaluate("(text) => { document.getElementById('checker-input').value = text; }", edit)
                            page.click("#checker-check")
                            page.wait_for_selector(f'#checker-results[data-done="{done + 1}"]', state="attached", timeout=60_000)
                            marks = page.evaluate("() => performance.getEntriesByType('mark').filter((m) => m.name.startsWith('checker-')).map((m) => [m.name, m.startTime])")
                            sent = [time for name, time in marks if name == "checker-check"][-1]
                            answered = [time for name, time in marks if name == "checker-verdicts"][-1]
                            (later if number < 3 else later_correct).append((answered - sent) / 1000)
                    page.close()
                context.close()
    served.server.shutdown()
    median = lambda values: round(statistics.median(values), 2)  # noqa: E731
    return {
        "shared_link_to_all_verdicts_s": {"cold_cache": {"median": median(cold), "runs": [round(v, 2) for v in cold]},
                                          "warm_cache": {"median": median(warm), "runs": [round(v, 2) for v in warm]},
                                          "warm_visit_requested": warm_served},
        # The runtime starts as the page opens: a reader who clicks Check this long after opening waits
        # only for the check itself.
        "page_open_to_checker_ready_s": {visit: median(values) for visit, values in ready.items()},
        "later_check_s": {"edits_with_wrong_lines": {"median": median(later), "max": round(max(later), 2), "checks": len(later)},
                          "edits_of_the_corrected_form": {"median": median(later_correct), "max": round(max(later_correct), 2), "checks": len(later_correct)}},
        "first_check_transfer": first_bytes,
        "first_paint": paint,
    }


def node_figures(site: Path, runs: int) -> dict:
    folder = site / checker.FOLDER
    runtime = next(folder.glob("pyodide-*"))
    engine = next(folder.glob("engine.*.zip"))
    bundles = {"pyc": checker.libraries_bundle(ROOT, compiled=True), "py": checker.libraries_bundle(ROOT, compiled=False)}

    def run(*extra: str) -> dict:
        command = ["node", str(ROOT / "scripts" / "checker_node.mjs"), str(runtime), *extra]
        result = subprocess.run(command, capture_output=True, text=True, timeout=900)
        if result.returncode != 0:
            reported = [line for line in result.stdout.splitlines() if line.startswith('{"error"')]
            return json.loads(reported[-1]) if reported else {"error": f"exit status {result.returncode}: {result.stderr.strip()[-300:]}"}
        return json.loads(result.stdout.strip().splitlines()[-1])

    figures = {}
    for kind, bundle in bundles.items():
        measured = [run(str(bundle), str(engine), str(EXAMPLE)) for _ in range(runs)]
        figures[kind] = {
            "bundle_raw_bytes": bundle.stat().st_size,
            "bundle_brotli_bytes": brotli_size(bundle.read_bytes()),
            **{key: round(statistics.median(m[key] for m in measured), 2) for key in ("runtime_s", "unpack_s", "import_s", "first_check_s")},
        }
    with tempfile.TemporaryDirectory(prefix="checker-snapshot-") as scratch:
        snapshot = Path(scratch) / "snapshot.bin"
        made = run(str(bundles["pyc"]), str(engine), str(EXAMPLE), "make-snapshot", str(snapshot))
        loaded = run(str(bundles["pyc"]), str(engine), str(EXAMPLE), "from-snapshot", str(snapshot)) if snapshot.exists() else {"error": "no snapshot made"}
        figures["memory_snapshot"] = {
            "made": made,
            "brotli_bytes": brotli_size(snapshot.read_bytes()) if snapshot.exists() else None,
            "loaded": loaded,
        }
    installed = {}
    for distribution in ("sympy", "mpmath"):
        for file in metadata.distribution(distribution).files or []:
            if file.suffix == ".py" and file.parts[0] == distribution:
                installed[file.as_posix()] = Path(metadata.distribution(distribution).locate_file(file)).stat().st_size
    kept = [name for name in checker.library_files() if name.endswith(".py")]
    figures["trimming"] = {
        "modules_installed": len(installed), "modules_bundled": len(kept),
        "source_bytes_installed": sum(installed.values()), "source_bytes_bundled": sum(installed[name] for name in kept),
        "left_out": list(checker.EXCLUDED) + ["sympy/physics/ but units/ and matrices.py", "every tests/ and benchmarks/ folder"],
    }
    return figures


def other_pages(site: Path) -> dict:
    pages, grown_raw, grown_brotli, loading = 0, 0, 0, []
    largest = (0, "")
    for page in sorted(site.rglob("*.html")):
        name = page.relative_to(site).as_posix()
        if name == "check/index.html":
            continue
        markup = page.read_text(encoding="utf-8")
        pages += 1
        if checker.FOLDER in markup or "pyodide" in markup.lower():
            loading.append(name)
        without = TRY.sub("", markup)
        if without != markup:
            raw = len(markup.encode()) - len(without.encode())
            grown_raw += raw
            grown_brotli += brotli_size(markup.encode()) - brotli_size(without.encode())
            largest = max(largest, (raw, name))
    return {"pages": pages, "pages_loading_anything_of_the_checker": loading,
            "try_it_links_add_raw_bytes": grown_raw, "try_it_links_add_brotli_bytes": grown_brotli,
            "largest_addition": {"page": largest[1], "raw_bytes": largest[0]}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    record = {"recorded": time.strftime("%Y-%m-%d %H:%M"), "load_average_before": load_average()}
    with tempfile.TemporaryDirectory(prefix="checker-site-") as scratch:
        site = arguments.site
        if site is None:
            site = Path(scratch) / "site"
            result = mkdocs_build(ROOT, site)
            if result.returncode != 0:
                sys.exit(result.stdout + result.stderr)
        record["pyodide"] = checker.pyodide_version(ROOT)
        record["browser"] = browser_figures(site, arguments.runs)
        record["node"] = node_figures(site, arguments.runs)
        record["other_pages"] = other_pages(site)
    record["load_average_after"] = load_average()
    out = ROOT / "benchmarks" / "checker.json"
    out.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(record, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
