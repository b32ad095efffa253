"""Each module under snippets/ has a page of its own; claim pages link to it instead of pasting it."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from bce_site import source_pages
from bce_proofs.display import source

ROOT = Path(__file__).resolve().parent.parent


def test_a_listing_numbers_every_line_and_keeps_the_code_as_written():
    code = 'def f(x):\n    """Doc\n    string."""\n    return x + 1  # one\n'
    listing = source_pages.listing(code)
    assert re.findall(r'id="L(\d+)"', listing) == ["1", "2", "3", "4"]
    text = re.sub(r'<a class="line-number"[^>]*>\d+</a>', "", listing)
    import html

    assert html.unescape(re.sub(r"<[^>]+>", "", text)) == code


def test_only_what_a_reader_scans_for_is_coloured():
    listing = source_pages.listing("import math\n\ndef area(radius):\n    return math.pi * radius ** 2  # a circle\n")
    coloured = re.findall(r'<span class="(\w+)">([^<]*)</span>', listing)
    assert ("nf", "area") in coloured and ("c1", "# a circle") in coloured and ("mi", "2") in coloured
    assert not [text for kind, text in coloured if text in ("radius", "*", "(", "pi")], coloured


def _page(src: str, url: str):
    return SimpleNamespace(file=SimpleNamespace(src_uri=src, src_path=src), url=url)


def test_a_display_links_to_the_line_that_wrote_it():
    content = f"<li>written at {source('snippets/backprop.py:12')}</li>"
    linked = source_pages.source_links(content, _page("backprop.md", "backprop/"), ROOT)
    assert '<a href="../source/snippets/backprop.py/#L12"><code>snippets/backprop.py:12</code></a>' in linked


@pytest.mark.parametrize("where", ["snippets/no_such_module.py:3", "snippets/backprop.py:100000"])
def test_a_link_to_a_missing_module_or_line_stops_the_build(where):
    with pytest.raises(PluginError, match="backprop.md"):
        source_pages.source_links(source(where), _page("backprop.md", "backprop/"), ROOT)


def test_no_page_pastes_a_module():
    pasted = [f"{path.name}: {line.strip()}" for path in (ROOT / "docs").glob("*.md")
              for line in path.read_text(encoding="utf-8").splitlines() if re.search(r'--8<--\s*"snippets/', line)]
    assert not pasted, pasted


def test_every_module_has_a_page_and_every_written_at_link_lands_on_a_line(built_site: Path):
    for module in source_pages.modules(ROOT):
        assert (built_site / "source" / module / "index.html").is_file(), module
    links, missing = 0, []
    for page in built_site.glob("**/index.html"):
        for target, line in re.findall(r'href="([^"#]*source/snippets/[^"#]*)#L(\d+)"', page.read_text(encoding="utf-8")):
            links += 1
            listing = (page.parent / target / "index.html").resolve()
            if not listing.is_file() or f'id="L{line}"' not in listing.read_text(encoding="utf-8"):
                missing.append(f"{page.relative_to(built_site)}: {target}#L{line}")
    assert links >= 150, links
    assert not missing, missing[:10]


def _module_imported(text: str, module: str) -> bool:
    """Whether code in `text` imports `module` by name (written independently of the plugin's reading)."""
    dotted = module.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    package, _, name = dotted.rpartition(".")
    return bool(
        re.search(rf"\bfrom {re.escape(dotted)} import\b|\bimport {re.escape(dotted)}\b", text)
        or re.search(rf"\bfrom {re.escape(package)} import [^\n]*\b{re.escape(name)}\b", text)
    )


def test_every_module_page_links_back_to_the_pages_that_show_it(built_site: Path):
    """Each module's page links to every page whose displays were written at its lines and every page
    whose code imports it by name; each of its links lands on a built page; none is without one."""
    claim_pages = {page: page.read_text(encoding="utf-8") for page in built_site.glob("**/index.html") if "source" not in page.relative_to(built_site).parts}
    sources = {path.stem: path.read_text(encoding="utf-8") for path in (ROOT / "docs").iterdir() if path.suffix in (".md", ".ipynb")}
    modules = source_pages.modules(ROOT)
    assert len(modules) >= 40, modules
    problems = []
    for module in modules:
        listing = built_site / "source" / module / "index.html"
        found = re.search(r'<div class="source-backlinks">(.*?)</div>', listing.read_text(encoding="utf-8"), re.DOTALL)
        if found is None:
            problems.append(f"{module}: no back-links")
            continue
        targets = {(listing.parent / href).resolve() for href in re.findall(r'href="([^"#]+)"', found.group(1))}
        pages_linked = {target for target in targets if (target / "index.html") in claim_pages}
        missing_targets = [target for target in targets if not (target / "index.html").is_file()]
        written = {page.parent.resolve() for page, text in claim_pages.items() if re.search(rf'href="[^"#]*source/{re.escape(module)}/#L\d+"', text)}
        imported = {(built_site / ("" if stem == "index" else stem)).resolve() for stem, text in sources.items() if _module_imported(text, module)}
        if missing_targets:
            problems.append(f"{module}: links to no page: {missing_targets}")
        if not pages_linked:
            problems.append(f"{module}: links back to no page")
        if written - pages_linked:
            problems.append(f"{module}: no link back to the pages written at its lines: {sorted(map(str, written - pages_linked))}")
        if imported - pages_linked:
            problems.append(f"{module}: no link back to the pages that import it: {sorted(map(str, imported - pages_linked))}")
    assert not problems, "\n".join(problems)
