"""A page for each module under `snippets/` (the claims) and `bce_proofs/` (the engine): its source, highlighted, each line numbered and linkable.

`bce_proofs/chain.py` is published at `source/bce_proofs/chain.py/`, line 12 at
`#L12`. Claim pages link there instead of pasting modules (the listings are not in the search index); a display's "written at file:line"
links to its line (`source_links`). Each module's page links back to the pages that show it: those
whose displays were written at its lines, those whose code imports it or that link to it, and, through
the modules that import it, the pages behind those (`Shown`, `backlinks`). Only the tokens a reader scans for are coloured (keywords,
strings, comments, numbers, definitions): plain names, operators and punctuation are left as
text, which keeps a 900-line module a page of a few thousand elements rather than ten thousand.
"""

from __future__ import annotations

import ast
import html
import importlib
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url
from pygments import format as format_tokens
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer
from pygments.token import Name, Operator, Punctuation, Text

PACKAGES = ("snippets", "bce_proofs")  # the claims, and the engine they import
_ANY = "(?:" + "|".join(PACKAGES) + ")"
FOLDER = "source"
INDEX = f"{FOLDER}/index.md"
PLACEHOLDER = '<div class="source-listing"></div>'
BACKLINKS = '<div class="source-backlinks"></div>'
# What the proof engine prints for "written at file:line": a link for this module to resolve.
SOURCE_LINK = re.compile(r'<a data-source="(?P<path>[^"#]+)"(?: data-line="(?P<line>\d+)")?>')
PLAIN = (Operator, Punctuation)
KEPT_NAMES = (Name.Function, Name.Class, Name.Decorator, Name.Builtin, Name.Exception, Name.Namespace)


def modules(root: Path) -> list[str]:
    """Every module of the package, as a path from the project's root, in reading order."""
    return sorted(path.relative_to(root).as_posix() for package in PACKAGES for path in (root / package).rglob("*.py") if path.stat().st_size)


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
    return f"{front}# <code class=\"module-path\">{heading}</code>\n\n{BACKLINKS}\n\n{PLACEHOLDER}\n"


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
    if src.startswith(tuple(f"{FOLDER}/{package}/" for package in PACKAGES)) and src.endswith(".py.md"):
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
        if not source.is_file() or not path.startswith(tuple(f"{package}/" for package in PACKAGES)):
            raise PluginError(f"docs/{page.file.src_path}: a display names {path}, which is no module under {' or '.join(PACKAGES)}")
        if line and int(line) > len(source.read_text(encoding="utf-8").splitlines()):
            raise PluginError(f"docs/{page.file.src_path}: a display names line {line} of {path}, which has fewer lines")
        url = get_relative_url(f"{FOLDER}/{path}/", page.url or "./") + (f"#L{line}" if line else "")
        return f'<a href="{html.escape(url)}">'

    return SOURCE_LINK.sub(resolved, content)


# ---- Back-links: the pages that show a module -------------------------------------------------------

# A link into a module's page as the built pages write it (relative), with the line it lands on if any.
MODULE_HREF = re.compile(rf'href="(?P<href>[^"#]*{FOLDER}/{_ANY}/[^"#]*?\.py/)(?:#L(?P<line>\d+))?"')
# An import in a page's code: `from snippets.x import a, b as c`, `import snippets.x`.
PAGE_IMPORT = re.compile(rf"\bfrom\s+(?P<package>{_ANY}(?:\.\w+)*)\s+import\s+(?P<names>\([^)]*\)|[\w ,]+)|\bimport\s+(?P<module>{_ANY}(?:\.\w+)+)")


@dataclass
class Shown:
    """What one page shows of the modules: links to their lines (written at), other links, imports."""

    source: str  # the page's file under docs/
    title: str
    url: str
    written: Counter = field(default_factory=Counter)  # module -> links to its lines
    linked: set[str] = field(default_factory=set)
    imported: set[str] = field(default_factory=set)

    def modules(self) -> set[str]:
        return set(self.written) | self.linked | self.imported


def _resolve(root: Path, package: str, names: list[str]) -> set[str]:
    """The modules `from package import names` loads: the package's own, and each name that is a module."""
    base = package.replace(".", "/")
    found = {f"{base}/__init__.py", f"{base}.py"} | {f"{base}/{name}.py" for name in names} | {f"{base}/{name}/__init__.py" for name in names}
    known = set(modules(root))
    for name in names:
        if not {f"{base}/{name}.py", f"{base}/{name}/__init__.py"} & known and f"{base}/__init__.py" in known:
            # A name the package hands on from one of its modules (`bce_proofs` loads each on
            # first use): the module it comes from, as the build has imported it.
            try:
                home = getattr(getattr(importlib.import_module(package), name), "__module__", "") or ""
            except (ImportError, AttributeError):
                continue
            found.add(home.replace(".", "/") + ".py")
    return {module for module in found if module in known}


def page_imports(text: str, root: Path) -> set[str]:
    """The modules a page's code imports (a Markdown page's blocks, a notebook's cells).

    >>> sorted(page_imports("from snippets.exercises import logits as exercises\\nimport snippets.bce", Path(".")))
    ['snippets/bce.py', 'snippets/exercises/__init__.py', 'snippets/exercises/logits.py']
    """
    found: set[str] = set()
    for match in PAGE_IMPORT.finditer(text):
        if match["module"]:
            parts = match["module"].split(".")
            found |= _resolve(root, ".".join(parts[:-1]), parts[-1:])
        else:
            names = [item.split()[0] for item in match["names"].strip("()").split(",") if item.split()]
            found |= _resolve(root, match["package"], names)
    return found


def module_imports(root: Path) -> dict[str, set[str]]:
    """Each module's imports of other modules of the package, read from its source (not run)."""
    graph: dict[str, set[str]] = {}
    for module in modules(root):
        package = module.removesuffix(".py").replace("/", ".")
        if not module.endswith("/__init__.py"):
            package = package.rpartition(".")[0]
        else:
            package = package.removesuffix(".__init__")
        found: set[str] = set()
        for node in ast.walk(ast.parse((root / module).read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
                source = ".".join(base + ([node.module] if node.module else []))
                if source.split(".")[0] in PACKAGES:
                    found |= _resolve(root, source, [alias.name for alias in node.names])
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    parts = alias.name.split(".")
                    if parts[0] in PACKAGES and len(parts) > 1:
                        found |= _resolve(root, ".".join(parts[:-1]), parts[-1:])
        graph[module] = found - {module}
    return graph


def shown_on(content: str, page, text: str, root: Path) -> Shown:
    """What a built page's content links to and its source `text` imports, of the package's modules."""
    shown = Shown(page.file.src_path, page.title or page.file.src_path, page.url or "./", imported=page_imports(text, root))
    folder = posixpath.dirname(page.url or "")  # what its relative links start from
    for match in MODULE_HREF.finditer(content):
        target = posixpath.normpath(posixpath.join(folder, match["href"]))
        module = target.removeprefix(f"{FOLDER}/")
        if match["line"]:
            shown.written[module] += 1
        else:
            shown.linked.add(module)
    return shown


def _listed(label: str, kind: str, links: list[str], shown: int = 5) -> str:
    """A short list in a sentence; a long one folded under its count, so the code stays near the top."""
    if len(links) <= shown:
        return f"<p>{label} {', '.join(links)}.</p>"
    return f"<details><summary>{label} {len(links)} {kind}</summary><p>{', '.join(links)}.</p></details>"


def backlinks(module: str, page_url: str, pages: list[Shown], graph: dict[str, set[str]]) -> str:
    """The module page's links back: pages that show it, modules that import it, and the pages behind those."""

    def link(target: Shown) -> str:
        return f'<a href="{html.escape(get_relative_url(target.url, page_url))}">{html.escape(target.title)}</a>'

    def module_link(other: str) -> str:
        return f'<a href="{html.escape(get_relative_url(f"{FOLDER}/{other}/", page_url))}"><code>{html.escape(other)}</code></a>'

    direct = []
    for shown in pages:
        why = []
        if shown.written[module]:
            count = shown.written[module]
            why.append(f"{count} formula{'s' if count != 1 else ''} written here")
        if module in shown.imported:
            why.append("imports it")
        if module in shown.linked and not why:
            why.append("links here")
        if why:
            direct.append(f"{link(shown)} ({'; '.join(why)})")
    importers = sorted(other for other, imported in graph.items() if module in imported and other != module)
    behind_modules, frontier = set(), {module}
    while frontier:  # every module that imports it, directly or through others
        frontier = {other for other, imported in graph.items() if imported & frontier} - behind_modules - {module}
        behind_modules |= frontier
    behind = [shown for shown in pages if module not in shown.modules() and shown.imported & behind_modules]
    lines = []
    if direct:
        lines.append(f"<p>Shown on {', '.join(direct)}.</p>")
    if importers:
        lines.append(_listed("Imported by", "modules", [module_link(other) for other in importers]))
    if behind:
        lines.append(_listed("Behind, through the modules that import it,", "pages", [link(shown) for shown in behind]))
    if not lines:
        lines.append("<p>No page shows or imports this module.</p>")
    return f'<div class="source-backlinks">{"".join(lines)}</div>'
