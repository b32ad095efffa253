"""The ledger of every displayed formula, listed on one page.

Each finished page is read (`snippets.proof.ledger`); after the build the page `checks.md`
gets the table of every display on the site, with its status. (A display without a status
fails the build: `hooks/checks.py`.)
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from snippets.proof import claim_map, ledger

ROOT = Path(__file__).resolve().parent.parent
LEDGER_PAGE = "checks.md"
PLACEHOLDER = '<div id="ledger-table"></div>'
MAP_PLACEHOLDER = '<div id="claim-map"></div>'
_pages: dict[str, tuple[str, str, ledger.PageLedger]] = {}


def on_pre_build(config):
    _pages.clear()


def on_page_content(html, page, config, files):
    _pages[page.file.src_path] = (page.title or page.file.src_path, page.url or "./", config.plugins["hooks/checks.py"].read_ledger(html, page))
    return html


def on_post_build(config):
    target = Path(config.site_dir) / LEDGER_PAGE.removesuffix(".md") / "index.html"
    if not target.is_file():
        return
    in_nav_order = {name: _pages[name] for name in _nav_order(config) if name in _pages}
    # Links in the table are relative to the ledger page, one folder below the site root.
    rows = {name: (title, "../" + url, found) for name, (title, url, found) in in_nav_order.items()}
    table = ledger.table(rows)
    math = config.plugins.get("hooks/math.py")
    if math is not None and math.renderer() == "build":
        table = math.render_page_math(table, LEDGER_PAGE, notebook=False)
    claims = _claims(rows)
    figure = f"<figure>{claim_map.svg(claims)}</figure>{claim_map.as_list(claims)}"
    text = target.read_text(encoding="utf-8")
    for placeholder in (PLACEHOLDER, MAP_PLACEHOLDER):
        if placeholder not in text:
            raise PluginError(f"docs/{LEDGER_PAGE}: the placeholder {placeholder} is missing")
    target.write_text(text.replace(PLACEHOLDER, table).replace(MAP_PLACEHOLDER, figure), encoding="utf-8")


def _claims(rows) -> list[claim_map.Claim]:
    """Every page with a claim module of its own name, with its ledger totals and what it builds on."""
    claims = []
    for name, (title, url, found) in rows.items():
        stem = name.removesuffix(".md")
        source = ROOT / "snippets" / f"{stem}.py"
        if not source.is_file():
            continue
        totals = ledger.totals({name: found})
        claims.append(claim_map.Claim(stem, title, url, dict(totals), claim_map.builds_on(source.read_text(encoding="utf-8"))))
    return claims


def _nav_order(config) -> list[str]:
    names: list[str] = []

    def walk(items):
        for item in items:
            if isinstance(item, dict):
                for value in item.values():
                    walk([value] if isinstance(value, str) else value)
            elif isinstance(item, str):
                names.append(item)

    walk(config.nav or [])
    return names
