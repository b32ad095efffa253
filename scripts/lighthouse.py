"""Lighthouse scores of every page of the built site, mobile and desktop; writes benchmarks/lighthouse.json.

The site is served from 127.0.0.1 gzip-compressed, as static hosts serve it (uncompressed, a
page loses ~15 mobile performance points). Each page and form factor is measured --runs times
(default 3); the median of each score and measure is recorded, with the time Chromium first
showed the page in the run (observed, not simulated).

Each run's trace also says whether Chromium's display compositor held the page's first frame back
(viz's SendBeginFrameDecision "ThrottleUndrawnFrames" before the first paint): before its first
commit, the page's renderer drew frames on a surface the browser had already replaced as the
navigation began (traced: LocalSurfaceId 6 while the browser embedded 8), the display did not draw
them, and viz then offered the page one frame a second, so the first paint waited ~1 s or ~2 s
with the page's main thread idle. Lighthouse's simulated metrics then count every task before
that paint. Such runs are counted and stay in the median. The other runs are no estimate of a
page's score: a run escapes when the page's first commit comes early, as it does on a light page
(the site's 404 page, tried by hand) and in runs on which the machine happens to be fast.

    python scripts/lighthouse.py                     # build the site, measure every page
    python scripts/lighthouse.py --site site --pages sign_error/ --form-factors mobile --output /tmp/lighthouse.json

Lighthouse is pinned in package-lock.json; Chromium is /usr/bin/chromium (or $CHROME_PATH).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from datetime import datetime, timezone
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from site_server import site_pages  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
DIGEST_NAME = re.compile(r"\.[0-9a-f]{8,}\.\w+$")
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb")


class GzipHandler(SimpleHTTPRequestHandler):
    """Serves files gzip-compressed when the browser accepts it, with a long cache for assets."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the trailing slash
            path = path / "index.html"
        if not path.is_file() or not path.name.endswith(COMPRESSIBLE) or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        named_by_content = "/assets/" in self.path or DIGEST_NAME.search(path.name)  # the theme's and the site's own
        self.send_header("Cache-Control", "max-age=31536000" if named_by_content else "no-cache")
        self.end_headers()
        return _Body(body)

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


@contextlib.contextmanager
def gzip_server(site: Path):
    handler = functools.partial(GzipHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def lighthouse(url: str, form_factor: str) -> dict:
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory() as scratch:
        report_path = Path(scratch) / "report.json"
        command = [
            "node", str(LIGHTHOUSE), url, "--output=json", f"--output-path={report_path}", "--quiet",
            f"--only-categories={','.join(CATEGORIES)}",
            "--save-assets", "--additional-trace-categories=viz",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ]
        if form_factor == "desktop":
            command.append("--preset=desktop")
        result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "CHROME_PATH": chrome}, timeout=300)
        if result.returncode != 0:
            raise RuntimeError(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
        report = json.loads(report_path.read_text(encoding="utf-8"))
        trace = json.loads((Path(scratch) / "report-0.trace.json").read_text(encoding="utf-8"))
    observed = report["audits"]["metrics"]["details"]["items"][0]
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    scores["cumulative-layout-shift"] = report["audits"]["cumulative-layout-shift"]["numericValue"]
    scores["largest-contentful-paint-ms"] = report["audits"]["largest-contentful-paint"]["numericValue"]
    scores["total-byte-weight"] = report["audits"]["total-byte-weight"]["numericValue"]
    scores["total-blocking-time-ms"] = report["audits"]["total-blocking-time"]["numericValue"]
    # When Chromium first showed the page in this run (not simulated): the simulated metrics count
    # all the work done before it.
    scores["observed-first-paint-ms"] = observed["observedFirstContentfulPaint"]
    scores["first-frame-held-back-ms"] = first_frame_held_back_ms(trace, observed["observedNavigationStartTs"], observed["observedFirstContentfulPaintTs"])
    return scores


def first_frame_held_back_ms(trace: dict, navigation_start_ts: int, first_paint_ts: int) -> int:
    """How long before the first paint viz stopped offering frames to a client that drew undrawn ones; 0 if it did not."""
    throttled = [
        event["ts"] for event in trace["traceEvents"]
        if event.get("name") == "SendBeginFrameDecision"
        and event.get("args", {}).get("reason") == "ThrottleUndrawnFrames"
        and navigation_start_ts <= event["ts"] < first_paint_ts
    ]
    return round((first_paint_ts - min(throttled)) / 1000) if throttled else 0


def median_scores(runs: list[dict]) -> dict:
    summary = {key: statistics.median(run[key] for run in runs) for key in runs[0] if key != "first-frame-held-back-ms"}
    summary["performance-runs"] = [run["performance"] for run in runs]
    summary["first-frame-held-back-ms-runs"] = [run["first-frame-held-back-ms"] for run in runs]
    summary["runs-held-back"] = sum(1 for run in runs if run["first-frame-held-back-ms"])
    return summary


def build_site(destination: Path) -> Path:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(destination)], cwd=ROOT, env=environment, check=True)
    return destination


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one now)")
    parser.add_argument("--pages", nargs="*", help="URL paths such as sign_error/ ('' is the home page); default: every page")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--form-factors", nargs="+", choices=("mobile", "desktop"), default=["mobile", "desktop"])
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "lighthouse.json")
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        site = arguments.site or build_site(Path(scratch) / "site")
        pages = site_pages(site) if arguments.pages is None else arguments.pages
        results = {}
        with gzip_server(site) as base_url:
            for path in pages:
                for form_factor in arguments.form_factors:
                    runs = [lighthouse(base_url + path, form_factor) for _ in range(arguments.runs)]
                    results.setdefault(path or "index", {})[form_factor] = median_scores(runs)
                    print(f"{path or 'index':24} {form_factor:8} {results[path or 'index'][form_factor]}", flush=True)

    record = {
        "what": "Lighthouse scores, median of runs per page and form factor, site served gzip-compressed from 127.0.0.1; per run, the performance score and how long before the first paint viz held the page's frames back (0: not held); held-back runs are counted and stay in the median",
        "lighthouse": json.loads((ROOT / "node_modules" / "lighthouse" / "package.json").read_text())["version"],
        "runs": arguments.runs,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "pages": results,
    }
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {arguments.output}")
    for path, forms in results.items():
        if "mobile" not in forms:
            continue
        mobile = forms["mobile"]
        print(f"{path:24} mobile performance {mobile['performance']:>4} (runs {mobile['performance-runs']}, "
              f"held back ms {mobile['first-frame-held-back-ms-runs']})")
    for form_factor in arguments.form_factors:
        measured = [forms[form_factor] for forms in results.values()]
        print(f"{form_factor}: {sum(m['runs-held-back'] for m in measured)} of {len(measured) * arguments.runs} runs held back")


if __name__ == "__main__":
    main()
