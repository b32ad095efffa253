"""Each module under snippets/ has a page of its own; claim pages link to it instead of pasting it."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from bce_site import source_pages
from snippets.proof.display import source

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
