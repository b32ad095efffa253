"""A one-page copy of the site, to break on purpose: far quicker to build than the whole site.

It keeps the real configuration (less the navigation), snippets and styles, the page under
test, and a stub of each page that page links to, holding only the headings that links may point at.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"\]\((?P<target>[\w./-]+\.(?:md|ipynb))(?:#[^)]*)?\)")
FENCE = re.compile(r"^\s*(```|~~~)")


def headings(markdown: str) -> str:
    """The page's Markdown headings and HTML elements with an id (anchors, placeholders), outside code blocks."""
    kept, in_code = [], False
    for line in markdown.splitlines():
        if FENCE.match(line):
            in_code = not in_code
        elif not in_code and (line.startswith("#") or (line.startswith("<") and ' id="' in line)):
            kept.append(line)
    return "\n\n".join(kept) + "\n"


def _stub(source: Path, destination: Path) -> None:
    if source.suffix == ".ipynb":
        cells = [cell for cell in json.loads(source.read_text())["cells"] if cell["cell_type"] == "markdown"]
        text = headings("".join("".join(cell["source"]) + "\n" for cell in cells))
        notebook = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": text}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        destination.write_text(json.dumps(notebook))
    else:
        destination.write_text(headings(source.read_text()))


def _configuration_without_nav(text: str) -> str:
    kept, in_nav = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("nav:"):
            in_nav = True
        elif in_nav and line.strip() and not line[0].isspace():
            in_nav = False
        if not in_nav:
            kept.append(line)
    return "".join(kept)


def one_page_site(destination: Path, page: str, *more_pages: str) -> Path:
    """A project at `destination` with docs/`page` (and `more_pages`) and stubs of the pages they link to."""
    destination.mkdir(parents=True)
    for name in ("snippets", "bce_proofs", "benchmarks", "overrides"):
        shutil.copytree(ROOT / name, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("stylesheets", "javascripts"):
        shutil.copytree(ROOT / "docs" / name, destination / "docs" / name)
    (destination / "mkdocs.yml").write_text(_configuration_without_nav((ROOT / "mkdocs.yml").read_text()))
    (destination / "node_modules").symlink_to(ROOT / "node_modules")
    pages = (page, *more_pages)
    for name in pages:
        source = ROOT / "docs" / name
        shutil.copy2(source, destination / "docs" / name)
        if source.suffix == ".md":
            for target in sorted({match["target"] for match in LINK.finditer(source.read_text())}):
                if (ROOT / "docs" / target).is_file() and target not in pages:
                    _stub(ROOT / "docs" / target, destination / "docs" / target)
    return destination
