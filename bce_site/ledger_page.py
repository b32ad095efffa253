"""The ledger of every displayed formula, listed on one page.

Each page's content is read (`bce_proofs.ledger`) as it is rendered; after the build the page
`checks.md` gets the table of every display on the site, with its status, and the map of claims.
(A display without a status fails the build: `checks.py`.)
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from mkdocs.exceptions import PluginError

from bce_site import math

LEDGER_PAGE = "checks.md"
PLACEHOLDER = '<div id="ledger-table"></div>'
MAP_PLACEHOLDER = '<div id="claim-map"></div>'


def write(site_dir: str, root: Path, pages: dict, nav: list) -> None:
    """Fill the ledger page's placeholders; `pages` maps each source path to (title, url, its ledger)."""
    from bce_proofs import claim_map, ledger  # this build's `snippets`, imported again on each one

    target = Path(site_dir) / LEDGER_PAGE.removesuffix(".md") / "index.html"
    if not target.is_file():
        return
    # Links in the table are relative to the ledger page, one folder below the site root.
    rows = {name: (title, "../" + url, found) for name, (title, url, found) in ((name, pages[name]) for name in nav_order(nav) if name in pages)}
    table = math.render_page_math(ledger.table(rows), f"docs/{LEDGER_PAGE}", notebook=False)
    claims = []
    for name, (title, url, found) in rows.items():
        source = root / "snippets" / f"{name.removesuffix('.md')}.py"
        if source.is_file():  # a page with a claim module of its own name
            claims.append(claim_map.Claim(source.stem, title, url, dict(ledger.totals({name: found})), claim_map.builds_on(source.read_text(encoding="utf-8"))))
    figure = claim_map.figure(claims) + claim_map.as_list(claims)
    text = target.read_text(encoding="utf-8")
    for placeholder in (PLACEHOLDER, MAP_PLACEHOLDER):
        if placeholder not in text:
            raise PluginError(f"docs/{LEDGER_PAGE}: the placeholder {placeholder} is missing")
    target.write_text(text.replace(PLACEHOLDER, table).replace(MAP_PLACEHOLDER, figure), encoding="utf-8")


PROOF_ID = re.compile(r'(<div class="proof" data-status="[a-z]+" id=")(?P<id>proof-[0-9a-f]+)"')


def distinct_anchors(content: str) -> str:
    """A display shown twice on a page (its answer up front, again in the full treatment) gets the
    same anchor from its content each time; the second becomes ``…-2``, the third ``…-3``: an id is
    unique in a page, and the ledger links to each display, read after this.

    >>> block = '<div class="proof" data-status="proved" id="proof-ab12">'
    >>> distinct_anchors(block + block + block).count('id="proof-ab12')
    3
    >>> re.findall(r'id="([^"]+)"', distinct_anchors(block + block + block))
    ['proof-ab12', 'proof-ab12-2', 'proof-ab12-3']
    """
    seen: Counter = Counter()

    def numbered(match: re.Match) -> str:
        seen[match["id"]] += 1
        count = seen[match["id"]]
        return f'{match.group(1)}{match["id"]}{"" if count == 1 else f"-{count}"}"'

    return PROOF_ID.sub(numbered, content)


def nav_order(nav) -> list[str]:
    names: list[str] = []

    def walk(items):
        for item in items:
            if isinstance(item, dict):
                for value in item.values():
                    walk([value] if isinstance(value, str) else value)
            elif isinstance(item, str):
                names.append(item)

    walk(nav or [])
    return names
