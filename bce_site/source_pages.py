"""A page for each module under `snippets/`: its source, highlighted, each line numbered and linkable.

`snippets/proof/chain.py` is published at `source/snippets/proof/chain.py/`, line 12 at
`#L12`. Claim pages link there instead of pasting modules (the listings are not in the search index); a display's "written at file:line"
links to its line (`source_links`). Only the tokens a reader scans for are coloured (keywords,
strings, comments, numbers, definitions): plain names, operators and punctuation are left as
text, which keeps a 900-line module a page of a few thousand elements rather than ten thousand.
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url
from pygments import format as format_tokens
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer
from pygments.token import Name, Operator, Punctuation, Text

PACKAGE = "snippets"
FOLDER = "source"
INDEX = f"{FOLDER}/index.md"
PLACEHOLDER = '<div class="source-listing"></div>'
# What the proof engine prints for "written at file:line": a link for this module to resolve.
SOURCE_LINK = re.compile(r'<a data-source="(?P<path>[^"#]+)"(?: data-line="(?P<line>\d+)")?>')
PLAIN = (Operator, Punctuation)
KEPT_NAMES = (Name.Function, Name.Class, Name.Decorator, Name.Builtin, Name.Exception, Name.Namespace)


def modules(root: Path) -> list[str]:
    """Every module of the package, as a path from the project's root, in reading order."""
    return sorted(path.relative_to(root).as_posix() for path in (root / PACKAGE).rglob("*.py") if path.stat().st_size)


def page_path(module: str) -> str:
    return f"{FOLDER}/{module}.md"


def source_files(config, root: Path) -> list[File]:
    files = [File.generated(config, page_path(module), content=_module_page(module)) for module in modules(root)]
    listing = "\n".join(f"- [`{module}`]({posixpath.relpath(page_path(module), FOLDER)})" for module in modules(root))
    index = (
        "# Source\n\nEvery module the pages import, as it was when the site was built. The claim pages print "
        "what these modules compute and check; each display's status names the line that wrote it.\n\n" + listing + "\n"
    )
    return [File.generated(config, INDEX, content=index), *files]


def _module_page(module: str) -> str:
    """Out of the search index: a listing is code, and the pages that explain it are what search should
    find. No table of contents (a listing has no headings): the code gets its width. The title may
    break after each slash, not inside a name."""
    heading = "/<wbr>".join(html.escape(part) for part in module.split("/"))
    front = f"---\ntitle: {module}\nhide:\n  - toc\nsearch:\n  exclude: true\n---\n"
    return f"{front}# <code class=\"module-path\">{heading}</code>\n\n{PLACEHOLDER}\n"


def _scanned_for(tokens):
    """Tokens to colour, the rest as plain text (merged by the formatter into fewer elements)."""
    for kind, value in tokens:
        if (kind in Name and not any(kind in kept for kept in KEPT_NAMES)) or any(kind in plain for plain in PLAIN):
            kind = Text
        yield kind, value


def listing(source: str) -> str:
    """The module highlighted, each line behind its number; the number is its anchor (#L12)."""
    body = format_tokens(_scanned_for(PythonLexer().get_tokens(source)), HtmlFormatter(nowrap=True))
    lines = body.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    numbered = "".join(
        f'<span class="line" id="L{number}"><a class="line-number" href="#L{number}" aria-hidden="true" tabindex="-1">{number}</a>{line}\n</span>'
        for number, line in enumerate(lines, start=1)
    )
    # Left out of the search index: its strings hold TeX as typed, and a search entry reads as text.
    return f'<div class="highlight source-listing" data-search-exclude="source"><pre><code>{numbered}</code></pre></div>'


def module_of(page) -> str | None:
    src = page.file.src_uri
    if src.startswith(f"{FOLDER}/{PACKAGE}/") and src.endswith(".py.md"):
        return src.removeprefix(f"{FOLDER}/").removesuffix(".md")
    return None


def with_listing(content: str, page, root: Path) -> str:
    module = module_of(page)
    if module is None:
        return content
    return content.replace(PLACEHOLDER, listing((root / module).read_text(encoding="utf-8")), 1)


def source_links(content: str, page, root: Path) -> str:
    """Each link the engine printed to `file:line`, pointed at that line of the module's page."""

    def resolved(match: re.Match) -> str:
        path, line = match["path"], match["line"]
        source = root / path
        if not source.is_file() or not path.startswith(f"{PACKAGE}/"):
            raise PluginError(f"docs/{page.file.src_path}: a display names {path}, which is no module under {PACKAGE}/")
        if line and int(line) > len(source.read_text(encoding="utf-8").splitlines()):
            raise PluginError(f"docs/{page.file.src_path}: a display names line {line} of {path}, which has fewer lines")
        url = get_relative_url(f"{FOLDER}/{path}/", page.url or "./") + (f"#L{line}" if line else "")
        return f'<a href="{html.escape(url)}">'

    return SOURCE_LINK.sub(resolved, content)
