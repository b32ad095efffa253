"""A page's rendered content kept on disk, keyed on everything its rendering reads.

Checking a page means executing its code blocks, which import claim modules and check every
display they print; that is most of a build. When nothing a page reads has changed, the content
it rendered to last time is used instead: the key is a digest of the page's Markdown, its path,
the list of documentation files (links are validated against it), `mkdocs.yml`, this package's
source, the versions of the libraries that render pages, and every module under `snippets/` and `bce_proofs/` the
page imports, followed through the modules' own imports (`dependencies`). An edit to
`snippets/bce.py` re-runs the pages that import it, and no other; an edit to the engine
(`bce_proofs/`) re-runs every page that prints a display.

Only a page that rendered without a failed check or a warning is kept, so a failure is met again in
every build. What rendering gives MkDocs besides the HTML (the table of contents, the title, the
anchors present and the links to other pages' anchors, which MkDocs validates after the build) is
kept with it. ``PAGE_MEMO=off`` keeps nothing; the store is ``.cache/pages/``; a cold build (a fresh
clone, `make clean`) checks everything.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from mkdocs.structure.toc import get_toc

PACKAGES = ("snippets", "bce_proofs")  # the claims, and the engine they import
RENDERING_LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "markdown-exec", "pygments", "sympy", "numpy", "scipy")
# `from snippets.x import a, b` or `import snippets.x`, in a page's code (any block, executed or not: a superset is safe).
_PAGE_IMPORT = re.compile(r"\bfrom\s+((?:snippets|bce_proofs)(?:\.\w+)*)\s+import\s+\(?([\w\s,]+)|\bimport\s+((?:snippets|bce_proofs)(?:\.\w+)*)")


def enabled() -> bool:
    return os.environ.get("PAGE_MEMO", "on").lower() not in {"off", "0", "false", "no"}


def _module_files(root: Path, name: str, attributes: tuple[str, ...] = ()) -> set[Path]:
    """The files `from <name> import <attributes>` reads: the module, or the package and the submodules named."""
    base = root.joinpath(*name.split("."))
    if base.with_suffix(".py").is_file():
        return {base.with_suffix(".py")}
    init = base / "__init__.py"
    if not init.is_file():
        return set()
    found = {init}
    if "def __getattr__" in init.read_text(encoding="utf-8"):
        found |= set(base.rglob("*.py"))  # a package that imports its modules on first use reads any of them
    for attribute in attributes:
        found |= _module_files(root, f"{name}.{attribute}")
    return found


@lru_cache(maxsize=512)
def _imports(root: Path, path: Path, stamp: tuple[int, int]) -> frozenset[Path]:
    """The files of `snippets` a module imports directly (`stamp`: its modification time and size)."""
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    found: set[Path] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PACKAGES:
                    found |= _module_files(root, alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*parts, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if module.split(".")[0] in PACKAGES:
                found |= _module_files(root, module, tuple(alias.name for alias in node.names))
    return frozenset(found)


def direct_imports(root: Path, text: str) -> set[Path]:
    """The modules of `snippets` the page's `text` names in its own imports."""
    found: set[Path] = set()
    for match in _PAGE_IMPORT.finditer(text):
        if match[3]:
            found |= _module_files(root, match[3])
        else:
            found |= _module_files(root, match[1], tuple(name for name in re.split(r"[\s,]+", match[2]) if name.isidentifier()))
    return found


def dependencies(root: Path, text: str, extra: tuple[Path, ...] = ()) -> list[Path]:
    """Every module of `snippets` the page's `text` imports, directly or through other modules."""
    pending = direct_imports(root, text) | set(extra)
    found: set[Path] = set()
    while pending:
        path = pending.pop()
        if path not in found:
            found.add(path)
            stat = path.stat()
            pending |= _imports(root, path, (stat.st_mtime_ns, stat.st_size)) - found
    return sorted(found)


@lru_cache(maxsize=1)
def _versions() -> str:
    return " ".join(f"{name} {metadata.version(name)}" for name in RENDERING_LIBRARIES)


def _plugin_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.glob("*")):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class PageMemo:
    """Rendered pages by key, one JSON file each, under `folder` (None: kept nowhere)."""

    def __init__(self, root: Path, modules_root: Path, config_text: str, documents: list[str]):
        self.root = root  # the project built, which holds the memo
        self.modules = modules_root  # the folder `snippets` is imported from
        self.folder = root / ".cache" / "pages" if enabled() else None
        context = hashlib.sha256()
        for part in (_versions(), _plugin_digest(), config_text, "\n".join(sorted(documents)), os.environ.get("MATH_RENDERER", "")):
            context.update(part.encode() + b"\0")
        self.context = context.hexdigest()

    def key(self, page, markdown: str) -> str:
        extra = ()
        if page.file.src_uri.startswith("source/") and page.file.src_uri.endswith(".py.md"):
            extra = (self.modules / page.file.src_uri.removeprefix("source/").removesuffix(".md"),)  # a module's source page
        digest = hashlib.sha256(f"{self.context}\0{page.file.src_uri}\0{markdown}\0{json.dumps(page.meta, sort_keys=True, default=str)}".encode())
        self._add_modules(digest, dependencies(self.modules, markdown, extra))
        return digest.hexdigest()

    def _add_modules(self, digest, paths: list[Path]) -> None:
        for path in paths:
            digest.update(b"\0" + path.relative_to(self.modules).as_posix().encode() + b"\0" + path.read_bytes())

    def notebook_key(self, notebook: Path) -> str:
        """The key of a notebook's executed copy (bce_site/notebooks.py): the notebook, what its
        cells import from `snippets`, and this build's context."""
        text = notebook.read_text(encoding="utf-8")
        digest = hashlib.sha256(f"{self.context}\0{text}".encode())
        self._add_modules(digest, dependencies(self.modules, text))
        return digest.hexdigest()

    def get(self, key: str) -> dict | None:
        if self.folder is None:
            return None
        try:
            return json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, key: str, page, html: str, ledger: list[dict]) -> None:
        if self.folder is None:
            return
        entry = {
            "html": html,
            "ledger": ledger,  # the displays the ledger read from `html` and their statuses
            "toc": [_token(item) for item in page.toc],
            "title": page.title,
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": {file.src_uri: links for file, links in (page.links_to_anchors or {}).items()},
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=self.folder, delete=False, suffix=".tmp", encoding="utf-8") as file:
            json.dump(entry, file)
        os.replace(file.name, self.folder / f"{key}.json")


def restore(page, entry: dict, files) -> str:
    """Give `page` what rendering would have given it; the content is returned for on_page_content."""
    page.toc = get_toc(entry["toc"])
    page.title = entry["title"]
    page.present_anchor_ids = set(entry["anchors"])
    page.links_to_anchors = {files.get_file_from_path(uri): links for uri, links in entry["links"].items()}
    return entry["html"]


def _token(item) -> dict:
    """A table-of-contents entry as the token `get_toc` builds it from."""
    return {"level": item.level, "id": item.id, "name": item.title, "children": [_token(child) for child in item.children]}
