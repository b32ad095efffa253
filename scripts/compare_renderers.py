"""Every page drawn by both math renderers, side by side, for anyone to compare.

Builds the site twice (Temml's MathML, the default, and KaTeX's HTML, `MATH_RENDERER=katex`),
screenshots each page of each at 1280 and 390 px in the light and the dark scheme with Debian's
Chromium, and writes one image per page, width and scheme to `test-output/renderers/`:
KaTeX on the left, Temml on the right. Pages are cut at 6,000 px tall.

    python scripts/compare_renderers.py [page ...]    # all pages by default, e.g. backprop/
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from site_server import serve_directory  # noqa: E402

OUTPUT = ROOT / "test-output" / "renderers"
RENDERERS = ("katex", "temml")
WIDTHS = (1280, 390)
SCHEMES = ("light", "dark")
TALLEST = 6000
CHROMIUM = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def build(renderer: str) -> Path:
    site = OUTPUT / f"site-{renderer}"
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "--site-dir", str(site)], cwd=ROOT, check=True,
                   env={**os.environ, "MATH_RENDERER": renderer, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": "http://127.0.0.1/"})
    return site


def pages(site: Path) -> list[str]:
    found = [path.parent.relative_to(site).as_posix() for path in site.rglob("index.html")]
    return sorted("" if page == "." else page + "/" for page in found if not page.startswith("source"))


def shoot(browser, base: str, page: str, width: int, scheme: str) -> Image.Image:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    tab = context.new_page()
    tab.goto(base + page, wait_until="load")
    path = OUTPUT / "shot.png"
    tab.screenshot(path=str(path), full_page=True)
    context.close()
    image = Image.open(path)
    return image.crop((0, 0, image.width, min(image.height, TALLEST)))


def main(chosen: list[str]) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    sites = {renderer: build(renderer) for renderer in RENDERERS}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM)
        servers = {renderer: serve_directory(site) for renderer, site in sites.items()}
        bases = {renderer: server.__enter__() for renderer, server in servers.items()}
        for page in chosen or pages(sites["temml"]):
            for width in WIDTHS:
                for scheme in SCHEMES:
                    left, right = (shoot(browser, bases[renderer], page, width, scheme) for renderer in RENDERERS)
                    both = Image.new("RGB", (left.width + right.width + 16, max(left.height, right.height)), "red")
                    both.paste(left, (0, 0))
                    both.paste(right, (left.width + 16, 0))
                    name = (page.strip("/") or "index").replace("/", "_")
                    both.save(OUTPUT / f"{name}-{width}-{scheme}.png")
            print(f"{page or 'index'}: written")
        for server in servers.values():
            server.__exit__(None, None, None)
        browser.close()
    (OUTPUT / "shot.png").unlink(missing_ok=True)


if __name__ == "__main__":
    main(sys.argv[1:])
