"""The ledger of every displayed formula: refuse the unaccounted, list the rest on one page.

Each finished page is read (`snippets.proof.ledger`): a display that the engine did not
print, with its status, fails the build, naming the page and the formula. After the build
the page `checks.md` gets the table of every display on the site, with its status.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from snippets.proof import ledger

LEDGER_PAGE = "checks.md"
PLACEHOLDER = '<div id="ledger-table"></div>'
_pages: dict[str, tuple[str, str, ledger.PageLedger]] = {}


def on_pre_build(config):
    _pages.clear()


def on_post_page(output, page, config):
    found = ledger.read_page(output)
    if found.unaccounted:
        formulas = "\n".join(f"  {formula}" for formula in found.unaccounted)
        raise PluginError(
            f"docs/{page.file.src_path}: {len(found.unaccounted)} displayed formula(s) not printed by the proof "
            f"engine (print a Chain, Definition or Remark instead):\n{formulas}"
        )
    _pages[page.file.src_path] = (page.title or page.file.src_path, page.url or "./", found)
    return output


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
    text = target.read_text(encoding="utf-8")
    if PLACEHOLDER not in text:
        raise PluginError(f"docs/{LEDGER_PAGE}: the placeholder {PLACEHOLDER} is missing")
    target.write_text(text.replace(PLACEHOLDER, table), encoding="utf-8")


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
