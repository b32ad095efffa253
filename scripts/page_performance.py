"""Per-page weight and cost of the site, its math as Temml's MathML (the site's) versus KaTeX's HTML.

Builds the site twice (MATH_RENDERER=temml, the default, and MATH_RENDERER=katex, both at build
time), serves each on 127.0.0.1, and loads every page in headless Chromium with a cold cache. For
each page it reports:
  - elements: every start tag of the built HTML file; KiB: its size,
  - requests: how many the page made (document, styles, scripts, fonts, images, XHR),
  - kB: bytes transferred,
  - rendered ms: from navigation start until the page is fully laid out: the load event has fired,
    every web font in use has loaded, and no untypeset TeX is left in the text (median of --runs).
Run by `make page-performance`; never by the tests. Writes benchmarks/pages.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from site_server import serve_directory, site_pages  # noqa: E402

RESULTS = ROOT / "benchmarks" / "pages.json"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Resolves, in page time, once the page is fully laid out; returns ms since navigation start.
FULLY_RENDERED = """async () => {
  const untypeset = () => {
    const copy = (document.querySelector("article.md-content__inner") || document.body).cloneNode(true);
    copy.querySelectorAll("pre, code, script, style, annotation").forEach((node) => node.remove());
    return /\\$\\$|\\\\\\(|\\\\\\[|\\\\frac|\\\\sigma/.test(copy.textContent);
  };
  if (document.readyState !== "complete") await new Promise((done) => addEventListener("load", done, { once: true }));
  const deadline = performance.now() + 10000;
  while (untypeset()) {
    if (performance.now() > deadline) return -1;  // reported as never fully rendered
    await new Promise((done) => requestAnimationFrame(done));
  }
  await document.fonts.ready;
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  return performance.now();
}"""
TRAFFIC = """() => {
  const entries = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
  return { requests: entries.length, bytes: entries.reduce((sum, entry) => sum + (entry.transferSize || 0), 0) };
}"""


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def handle_starttag(self, tag, attrs) -> None:
        self.count += 1


def weight(site: Path, path: str) -> dict:
    """The page's elements (every start tag) and its HTML's size."""
    text = (site / path / "index.html").read_text(encoding="utf-8")
    counter = _Elements()
    counter.feed(text)
    return {"elements": counter.count, "html_kib": round(len(text.encode()) / 1024, 1)}


def build(site_dir: Path, renderer: str, site_url: str, project: Path = ROOT) -> None:
    """A strict build, never --quiet: --quiet would let a failed check through (MkDocs issue 4126)."""
    environment = {**os.environ, "MATH_RENDERER": renderer, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"the strict build failed ({renderer} math); nothing measured:\n{result.stdout}{result.stderr}")


def measure(browser, base_url: str, path: str, runs: int) -> dict:
    times, traffic = [], None
    for _ in range(runs):
        context = browser.new_context()  # a cold cache every run
        page = context.new_page()
        page.goto(base_url + path, wait_until="commit")
        times.append(page.evaluate(FULLY_RENDERED))
        traffic = page.evaluate(TRAFFIC)
        context.close()
    return {"requests": traffic["requests"], "kilobytes": traffic["bytes"] / 1000, "rendered_ms": statistics.median(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    arguments = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from conftest import free_port

    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for renderer in ("temml", "katex"):
            port = free_port()
            site = Path(scratch) / renderer
            build(site, renderer, f"http://127.0.0.1:{port}/")
            with serve_directory(site, port) as base_url:
                for path in site_pages(site):
                    results.setdefault(path or "index", {})[renderer] = {**weight(site, path), **measure(browser, base_url, path, arguments.runs)}
        browser.close()

    print(f"{'page':<40} | {'Temml (MathML)':^44} | {'KaTeX (HTML and MathML)':^44}")
    print(f"{'':<40} | " + " | ".join([f"{'elements':>8} {'KiB':>7} {'requests':>8} {'kB':>8} {'ms':>6}"] * 2))
    for page, by_renderer in results.items():
        cells = [f"{r['elements']:>8} {r['html_kib']:>7.1f} {r['requests']:>8} {r['kilobytes']:>8.1f} {r['rendered_ms']:>6.0f}" for r in (by_renderer["temml"], by_renderer["katex"])]
        print(f"{page:<40} | {cells[0]} | {cells[1]}")
    summary = {}
    for renderer in ("temml", "katex"):
        rows = {page: r[renderer] for page, r in results.items()}
        claims = {page: row for page, row in rows.items() if not page.startswith("source/")}
        heaviest = max(rows, key=lambda page: rows[page]["elements"])
        summary[renderer] = {
            "heaviest_page": heaviest, "heaviest_elements": rows[heaviest]["elements"],
            "largest_html_kib": max(row["html_kib"] for row in rows.values()),
            "site_elements": sum(row["elements"] for row in rows.values()),
            "site_elements_without_source_pages": sum(row["elements"] for row in claims.values()),
            "slowest_rendered_ms": max(row["rendered_ms"] for row in rows.values()),
        }
        print(f"{renderer}: " + ", ".join(f"{key} {value}" for key, value in summary[renderer].items()))
    print("targets: heaviest page <= 6000 elements and <= 250 KiB; the whole site <= 50000 elements")
    if not arguments.no_write:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps({"recorded": time.strftime("%Y-%m-%d"), "runs": arguments.runs, "summary": summary, "pages": results}, indent=2) + "\n")
        print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
