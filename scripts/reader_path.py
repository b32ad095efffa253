"""What a reader meets on each page of the built site, measured in Chromium.

Per page, at 390×844 (a phone) unless said otherwise:

- the share of the text shown by default (the article's rendered text, closed details left out)
  that is check status (each display's mark and the page's line under its title), and the longest
  such line;
- the displays wider than their column: all of them, those within the first 1.5 screens, and
  whether each shows that it scrolls (the "scroll →" cue under it);
- on the front page, the top of the first link to a derivation, in px from the top of the page.

Writes `benchmarks/reader_path.json`:

    python scripts/reader_path.py [SITE_DIR]    # builds the site into test-output/reader-path-site if none is given
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from site_server import serve_directory, site_pages  # noqa: E402

OUTPUT = ROOT / "benchmarks" / "reader_path.json"
PHONE = {"width": 390, "height": 844}
CHROMIUM = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
STATUS = ".md-content details.proof-status > summary, .md-content .page-status"

MEASURE = """(status) => {
  const article = document.querySelector(".md-content__inner");
  const statusLines = [...article.querySelectorAll(status)].map((element) => element.innerText.trim()).filter(Boolean);
  const shown = article.innerText.replace(/\\s+/g, " ").trim();
  const statusText = statusLines.join(" ");
  const height = window.innerHeight;
  const displays = [...article.querySelectorAll(".math-display")].map((display) => {
    const box = display.getBoundingClientRect();
    const holder = display.parentElement;
    const cue = getComputedStyle(holder, "::after").content;
    return {
      top: Math.round(box.top + window.scrollY),
      wide: display.scrollWidth > display.clientWidth + 1,
      cue: display.hasAttribute("tabindex") && cue.includes("scroll"),
      tex: (display.querySelector("annotation")?.textContent || "").slice(0, 80),
    };
  });
  const wide = displays.filter((display) => display.wide);
  return {
    shown_characters: shown.length,
    status_characters: statusText.length,
    status_share: shown.length ? statusText.length / shown.length : 0,
    longest_status_line: statusLines.reduce((longest, line) => Math.max(longest, line.length), 0),
    longest_status_text: statusLines.reduce((longest, line) => (line.length > longest.length ? line : longest), ""),
    displays: displays.length,
    wide: wide.length,
    wide_in_first_screens: wide.filter((display) => display.top < 1.5 * height).length,
    wide_without_cue: wide.filter((display) => !display.cue).map((display) => display.tex),
    wide_formulas: wide.map((display) => display.tex),
  };
}"""

FIRST_DERIVATION_LINK = """(derivations) => {
  const links = [...document.querySelectorAll(".md-content__inner a[href]")]
    .filter((link) => derivations.some((page) => new URL(link.href).pathname.replace(/\\/$/, "").endsWith("/" + page)));
  const first = links[0];
  return first ? { top: Math.round(first.getBoundingClientRect().top + window.scrollY), text: first.innerText.trim() } : null;
}"""


def derivations() -> list[str]:
    """The derivation pages, as the navigation lists them (their folders: soft_target_minimum, …)."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)["nav"]
    section = next(item["Derivations"] for item in nav if isinstance(item, dict) and "Derivations" in item)
    return [next(iter(entry.values())).removesuffix(".md") for entry in section]


def measure(site: Path, pages: list[str] | None = None) -> dict:
    """Every page's measures (see the module's docstring), and the front page's first derivation link."""
    chosen = pages or [page for page in site_pages(site) if not page.startswith("source/")]
    results = {}
    with sync_playwright() as playwright, serve_directory(site) as base:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM)
        context = browser.new_context(viewport=PHONE)
        tab = context.new_page()
        for page in chosen:
            tab.goto(base + page, wait_until="load")
            tab.evaluate("document.fonts.ready")
            tab.wait_for_timeout(50)  # the script marks the displays that scroll once the page has loaded
            results[page or "index"] = tab.evaluate(MEASURE, STATUS)
        tab.goto(base, wait_until="load")
        front = tab.evaluate(FIRST_DERIVATION_LINK, derivations())
        browser.close()
    return {"pages": results, "front_page_first_derivation_link": front}


def summary(measured: dict) -> dict:
    pages = measured["pages"]
    derivation_pages = {page + "/" for page in derivations()}
    displays = sum(page["displays"] for page in pages.values())
    wide = sum(page["wide"] for page in pages.values())
    return {
        "largest_status_share": max(page["status_share"] for page in pages.values()),
        "longest_status_line": max(page["longest_status_line"] for page in pages.values()),
        "displays": displays,
        "wide_displays": wide,
        "wide_share": wide / displays if displays else 0,
        "wide_without_cue": sum(len(page["wide_without_cue"]) for page in pages.values()),
        "wide_in_first_screens_of_derivations": sum(page["wide_in_first_screens"] for name, page in pages.items() if name in derivation_pages),
        "front_page_first_derivation_link_top": (measured["front_page_first_derivation_link"] or {}).get("top"),
    }


def build(site: Path) -> Path:
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "--site-dir", str(site)], cwd=ROOT, check=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return site


def main(arguments: list[str]) -> None:
    site = Path(arguments[0]).resolve() if arguments else build(ROOT / "test-output" / "reader-path-site")
    measured = measure(site)
    record = {"recorded": datetime.date.today().isoformat(), "viewport": PHONE, "summary": summary(measured), **measured}
    OUTPUT.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(record["summary"], indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
