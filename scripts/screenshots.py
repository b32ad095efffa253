"""Every page of a built site, full length, at a phone's and a desktop's width, light and dark.

Writes `test-output/screenshots/<label>/<page>-<width>-<scheme>.png` (pages at 390×844 and
1280×800, the whole page, not just its first screen) with Debian's Chromium, so that two builds, for
example before and after a change, can be looked at side by side:

    python scripts/screenshots.py SITE_DIR LABEL [page ...]    # all pages by default, e.g. backprop/

To shoot an earlier commit, build its own tree with its own modules first:

    git archive <commit> | tar -x -C /tmp/before && ln -s "$PWD/node_modules" /tmp/before/
    (cd /tmp/before && PYTHONPATH=/tmp/before mkdocs build --strict -d /tmp/before-site)
    python scripts/screenshots.py /tmp/before-site before
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from site_server import serve_directory, site_pages  # noqa: E402

OUTPUT = ROOT / "test-output" / "screenshots"
VIEWPORTS = {390: 844, 1280: 800}
SCHEMES = ("light", "dark")
CHROMIUM = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def name(page: str) -> str:
    return (page.strip("/") or "index").replace("/", "_")


def shoot(site: Path, label: str, chosen: list[str]) -> list[Path]:
    folder = OUTPUT / label
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright, serve_directory(site) as base:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM)
        for width, height in VIEWPORTS.items():
            for scheme in SCHEMES:
                context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
                tab = context.new_page()
                for page in chosen or site_pages(site):
                    tab.goto(base + page, wait_until="load")
                    tab.evaluate("document.fonts.ready")
                    path = folder / f"{name(page)}-{width}-{scheme}.png"
                    tab.screenshot(path=str(path), full_page=True)
                    written.append(path)
                context.close()
        browser.close()
    return written


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    shots = shoot(Path(sys.argv[1]).resolve(), sys.argv[2], sys.argv[3:])
    print(f"{len(shots)} screenshots in {OUTPUT / sys.argv[2]}")
