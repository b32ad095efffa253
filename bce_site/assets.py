"""What the published site ships: only what its pages use.

- Notebook pages: mkdocs-jupyter inlines ~580 KiB of Jupyter CSS, a MathJax loader with an empty
  ``src`` and a clipboard widget into every notebook's article. They are removed; the site's small
  ``stylesheets/notebook.css`` is linked instead, code cells take the theme's highlighting, and
  plots get their pixel size (no layout shift) and a text alternative built from the cell's
  labels (axis labels and legend entries).
- The build drops what no page loads: source maps and the search's language packs for other languages.
- The site's own assets (its stylesheets and scripts, the math stylesheet and fonts) get a digest of
  their content in their name, as the theme's do, and every page and stylesheet refers to them by
  that name: a host can let browsers keep them for a year, and a changed file is a new name.
"""

from __future__ import annotations

import base64
import hashlib
import html
import posixpath
import re
import shutil
import struct
from pathlib import Path

from mkdocs.utils import get_relative_url
from urllib.parse import urlsplit

NOTEBOOK_CSS = "stylesheets/notebook.css"
STYLE = re.compile(r"<style\b[^>]*>.*?</style>\s*", re.DOTALL)
SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>\s*", re.DOTALL)
# The notebook's own inline scripts: MathJax loader and configuration, clipboard widget, Mermaid.
NOTEBOOK_SCRIPT_MARKERS = ('src=""', "text/x-mathjax-config", "ClipboardCopyElement", "clipboard-copy", "jp-Mermaid", "mermaid")
# Each code cell's copy widget, whose script is removed above (the theme's own copy button serves):
# without it the element does nothing, and its markup (a stray `,` attribute, a label on an element
# with no role) is not valid HTML.
CLIPBOARD_WIDGET = re.compile(r'<div class="zeroclipboard-container">\s*<clipboard-copy\b.*?</clipboard-copy>\s*</div>\s*', re.DOTALL)
PNG = re.compile(r'<img alt="[^"]*" class="[^"]*" src="data:image/png;base64,(?P<data>[A-Za-z0-9+/=]+)"')
CELL = re.compile(r'<div class="jp-Cell jp-CodeCell.*?(?=<div class="jp-Cell |</article>|\Z)', re.DOTALL)
LABEL = re.compile(r"""(?:set_xlabel|set_ylabel|xlabel|ylabel|set_title|title|label)\s*=?\s*\(?\s*(['"])(?P<text>.+?)\1""")
# Fonts first: the stylesheet that names them is renamed after its references are.
FINGERPRINTED = ("assets/temml/*.woff2", "assets/fonts/*.woff2", "assets/katex/fonts/*.woff2", "assets/temml/*.css", "assets/katex/*.css", "stylesheets/*.css", "javascripts/*.js")
HTML_REFERENCE = re.compile(r'(?P<attribute>\b(?:href|src))="(?P<url>[^"#?]+)(?P<rest>[^"]*)"')
CSS_REFERENCE = re.compile(r"url\((?P<quote>['\"]?)(?P<url>[^)'\"#?]+)(?P<rest>[^)'\"]*)(?P=quote)\)")
SOURCE_MAP_COMMENT = re.compile(rb"\n?(?://# sourceMappingURL=\S+|/\*# sourceMappingURL=\S+ \*/)\s*$")

def png_size(data: str) -> tuple[int, int]:
    """Width and height in pixels of a base64 PNG, read from its header."""
    header = base64.b64decode(data[:44])
    return struct.unpack(">II", header[16:24])


def plot_description(cell: str) -> str:
    """A text alternative for the plot a code cell draws, from the labels the code gives it."""
    source = html.unescape(re.sub(r"<[^>]+>", "", cell.split('class="jp-Cell-outputWrapper"')[0]))
    labels = list(dict.fromkeys(match["text"] for match in LABEL.finditer(source)))
    if not labels:
        return "Plot drawn by the code above."
    return "Plot drawn by the code above, showing: " + "; ".join(labels) + "."


def _sized_plots(cell: str) -> str:
    description = html.escape(plot_description(cell), quote=True)

    def sized(match: re.Match) -> str:
        width, height = png_size(match["data"])
        return f'<img alt="{description}" width="{width}" height="{height}" src="data:image/png;base64,{match["data"]}"'

    return PNG.sub(sized, cell)


def slim_notebook(output: str, page) -> str:
    head, body = output.split("</head>", 1)
    start, end = body.index("<article"), body.index("</article>")
    article = body[start:end]
    article = STYLE.sub("", article)
    article = SCRIPT.sub(lambda match: "" if any(m in match.group(0) for m in NOTEBOOK_SCRIPT_MARKERS) else match.group(0), article)
    article = re.sub(r"<!-- (?:Load mathjax|MathJax configuration) -->\s*", "", article)
    article = CLIPBOARD_WIDGET.sub("", article)
    article = article.replace('class="highlight-ipynb', 'class="highlight highlight-ipynb')
    article = CELL.sub(lambda match: _sized_plots(match.group(0)), article)
    link = f'<link rel="stylesheet" href="{get_relative_url(NOTEBOOK_CSS, page.url)}">\n'
    return head + link + "</head>" + body[:start] + article + body[end:]


def finish(site_dir: str, site_url: str | None, search_languages: list[str]) -> None:
    """What the published site drops (source maps, unused language packs), then the digests in names."""
    site = Path(site_dir)
    assets = site / "assets"
    for source_map in assets.glob("**/*.map"):
        source_map.unlink()
    for asset in [*assets.glob("javascripts/**/*.js"), *assets.glob("stylesheets/*.css")]:
        content = asset.read_bytes()
        stripped = SOURCE_MAP_COMMENT.sub(b"\n", content)
        if stripped != content:
            asset.write_bytes(stripped)
    if set(search_languages or ["en"]) == {"en"}:
        # English needs no language pack: the search worker loads them only for other languages.
        shutil.rmtree(assets / "javascripts" / "lunr", ignore_errors=True)
    fingerprint(site, urlsplit(site_url or "/").path or "/")


def _renamed_reference(url: str, directory: str, base_path: str, renamed: dict[str, str]) -> str | None:
    """`url` as written in a file in `directory` (site-relative), pointing at the renamed file; None if not one."""
    if urlsplit(url).scheme or url.startswith("//"):
        return None
    if url.startswith("/"):
        if not url.startswith(base_path):
            return None
        target = url[len(base_path):]
    else:
        target = posixpath.normpath(posixpath.join(directory, url))
    new = renamed.get(target)
    if new is None:
        return None
    return url[: len(url) - len(posixpath.basename(url))] + posixpath.basename(new)


def _rewrite(path: Path, site: Path, base_path: str, renamed: dict[str, str], pattern: re.Pattern) -> None:
    directory = path.parent.relative_to(site).as_posix()
    directory = "" if directory == "." else directory
    text = path.read_text(encoding="utf-8")

    def replace(match: re.Match) -> str:
        new = _renamed_reference(match["url"], directory, base_path, renamed)
        if new is None:
            return match.group(0)
        return match.group(0).replace(match["url"] + match["rest"], new + match["rest"], 1)

    if path.suffix == ".html" and "<article" in text and "</article>" in text:
        # The assets are named in the head and in the scripts after the content, never inside it.
        start, end = text.index("<article"), text.rindex("</article>")
        rewritten = pattern.sub(replace, text[:start]) + text[start:end] + pattern.sub(replace, text[end:])
    else:
        rewritten = pattern.sub(replace, text)
    if rewritten != text:
        path.write_text(rewritten, encoding="utf-8")


def fingerprint(site: Path, base_path: str = "/") -> dict[str, str]:
    """Rename the site's own assets to name.<digest>.ext and point every reference at the new name.

    Returns the renames, site-relative: {"stylesheets/extra.css": "stylesheets/extra.1a2b3c4d.css", ...}.
    """
    renamed: dict[str, str] = {}
    for pattern in FINGERPRINTED:
        for path in sorted(site.glob(pattern)):
            if path.suffix == ".css":
                _rewrite(path, site, base_path, renamed, CSS_REFERENCE)
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
            new = path.with_name(f"{path.stem}.{digest}{path.suffix}")
            path.rename(new)
            renamed[path.relative_to(site).as_posix()] = new.relative_to(site).as_posix()
    for page in site.rglob("*.html"):
        _rewrite(page, site, base_path, renamed, HTML_REFERENCE)
    return renamed
