"""A content-addressed cache of rendered pages and executed notebooks.

Rendering a Markdown page runs its executed code blocks (the checks). The rendered page (its HTML
content, table of contents, title and anchors) is stored under a key made of everything that can
change it: the page's Markdown, the source of every `snippets` module its code imports (followed
through imports, read with `ast`), every project file it names (an include, a data file), the site
configuration and file list, and the versions of the libraries involved. A hit reuses the page as
rendered; a miss renders that page alone. A page whose rendering logged a warning is never stored.

A miss renders the Markdown again, but its executed blocks' outputs come from the cache of
`block_cache.py` when their code and imports are unchanged (a prose edit runs no check).

Notebooks keep mkdocs-jupyter's own cache, keyed here on what they import instead of on the notebook
alone. Two more things every build did for every page are remembered (`build_memo.py`): whether
mkdocs-jupyter takes a Markdown file for a notebook (it reads each one with jupytext to see), and
the search plugin's entries for a page (it parses every page's HTML again).

`PAGE_CACHE=off` renders and executes everything (the tests build that way, and a fresh checkout
has an empty cache anyway): pages then go through an empty cache of their own, removed after the
build, which is how the second worker of `page_worker.py` hands over what it rendered.
"""

from __future__ import annotations

import ast
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

import build_memo  # a hook's folder is on sys.path while it loads
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data
from mkdocs.structure.toc import get_toc

log = logging.getLogger("mkdocs.hooks.page_cache")

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>```|~~~)(?P<language>python|pycon|py)\b(?P<options>[^\n]*)\n(?P<body>.*?)^(?P=indent)(?P=fence)",
                   re.DOTALL | re.MULTILINE)
FILE_NAME = re.compile(r"""["'](?P<path>[\w][\w./-]*\.(?:py|json|csv|txt|md|yml|yaml|ipynb|npz|npy))["']""")
PACKAGE = "snippets"

_state = {"root": None, "enabled": False, "directory": None, "hits": 0, "renders": 0, "cold_notebooks": None, "cold_pages": None}


enabled = build_memo.cache_enabled


# -- what a piece of code depends on -------------------------------------------------------------


def _module_file(root: Path, module: str) -> Path | None:
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported_modules(tree: ast.AST, current: str | None, is_package: bool) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level and current:
                parts = current.split(".")
                parent = parts if is_package else parts[:-1]
                parent = parent[: len(parent) - (node.level - 1)]
                base = ".".join(parent + ([node.module] if node.module else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    names = set()
    for name in found:
        if name == PACKAGE or name.startswith(PACKAGE + "."):
            parts = name.split(".")
            names |= {".".join(parts[:i]) for i in range(1, len(parts) + 1)}  # a module imports its packages
    return names


def _parse(source: str) -> ast.AST | None:
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def dependencies(code: list[str], root: Path) -> set[Path] | None:
    """Files of the `snippets` modules that `code` imports, directly or not; None if code cannot be read."""
    pending: set[str] = set()
    for source in code:
        tree = _parse(source)
        if tree is None:
            return None
        pending |= _imported_modules(tree, None, False)
    seen: dict[str, Path] = {}
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        path = _module_file(root, name)
        if path is None:
            continue  # an attribute imported from a module, not a module
        seen[name] = path
        imported = build_memo.while_unchanged(path, f"imports of {name}", lambda: _module_imports(path, name))
        if imported is None:
            return None
        pending |= imported - set(seen)
    return set(seen.values())


def _module_imports(path: Path, name: str) -> frozenset[str] | None:
    tree = _parse(path.read_text(encoding="utf-8"))
    return None if tree is None else frozenset(_imported_modules(tree, name, path.name == "__init__.py"))


def _pycon_to_python(body: str) -> str:
    return "\n".join(line[4:] for line in body.splitlines() if line.startswith((">>> ", "... ")))


def executed_code(markdown: str) -> list[str]:
    blocks = []
    for match in FENCE.finditer(markdown):
        if "exec=" not in match["options"]:
            continue
        body = "\n".join(line[len(match["indent"]):] for line in match["body"].splitlines())
        blocks.append(_pycon_to_python(body) if match["language"] == "pycon" else body)
    return blocks


def _named_files(texts: list[str], root: Path, docs: Path) -> set[Path]:
    found = set()
    for text in texts:
        for match in FILE_NAME.finditer(text):
            for base in (root, docs):
                path = base / match["path"]
                if path.is_file():
                    found.add(path.resolve())
    return found


def code_files(code: list[str], root: Path, docs: Path, texts: list[str] = ()) -> set[Path] | None:
    """The `snippets` modules `code` imports, and the project files named in `texts`, `code` or those
    modules; None if the code cannot be read (then a key depends on the whole package)."""
    modules = dependencies(code, root)
    if modules is None:
        return None
    return modules | _named_files([*texts, *code, *(path.read_text(encoding="utf-8") for path in modules)], root, docs)


def _digest(parts: list[str | bytes], files: set[Path] | None, root: Path) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    if files is None:  # imports could not be read: depend on the whole package
        files = set((root / PACKAGE).rglob("*.py"))
    for path in sorted(files):
        digest.update(str(path.relative_to(root) if path.is_relative_to(root) else path).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


# -- pages -----------------------------------------------------------------------------------------


def page_key(page: Page, config, files) -> str:
    root = Path(config.config_file_path).resolve().parent
    site_files = "\n".join(sorted(file.src_uri for file in files))
    parts = [page.file.src_uri, page.file.url, page.markdown, Path(config.config_file_path).read_bytes(), site_files, build_memo.library_versions()]
    return _digest(parts, code_files(executed_code(page.markdown), root, Path(config.docs_dir), [page.markdown]), root)


def probably_cached(page: Page, config, files) -> bool:
    """Whether the cache holds the page as its source reads now (before plugins see its Markdown).

    A guess for planning work only (the page worker is not started when every page is cached):
    a page is always rendered, or taken from the cache, by its real key.
    """
    if _state["directory"] is None or not _state["enabled"]:
        return False
    try:
        markdown, _ = get_data(page.file.content_string)
    except (OSError, ValueError):
        return False
    probe = SimpleNamespace(file=page.file, markdown=markdown)
    return (Path(_state["directory"]) / f"{page_key(probe, config, files)}.json").is_file()


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _toc_tokens(items) -> list[dict]:
    return [{"level": item.level, "id": item.id, "name": item.title, "children": _toc_tokens(item.children)} for item in items]


def _render(page: Page, config, files) -> None:
    render = Page._uncached_render
    if _state["directory"] is None or type(page) is not Page or page.markdown is None:
        return render(page, config, files)
    directory = Path(_state["directory"])
    entry = directory / f"{page_key(page, config, files)}.json"
    if entry.is_file():
        stored = json.loads(entry.read_text(encoding="utf-8"))
        page.content = stored["content"]
        page.toc = get_toc(stored["toc"])
        page._title_from_render = stored["title"]
        page.present_anchor_ids = set(stored["anchors"])
        page.links_to_anchors = {files.get_file_from_path(uri): links for uri, links in stored["links"].items()}
        _state["hits"] += 1
        return None
    warnings = _Warnings()
    # MkDocs' own logger does not propagate to the root: a failed check logs there.
    listened = (logging.getLogger(), logging.getLogger("mkdocs"))
    for logger in listened:
        logger.addHandler(warnings)
    try:
        render(page, config, files)
    finally:
        for logger in listened:
            logger.removeHandler(warnings)
    _state["renders"] += 1
    if warnings.count == 0:
        directory.mkdir(parents=True, exist_ok=True)
        stored = {
            "content": page.content,
            "toc": _toc_tokens(page.toc),
            "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": {file.src_uri: links for file, links in (page.links_to_anchors or {}).items()},
        }
        with tempfile.NamedTemporaryFile("w", dir=directory, delete=False, encoding="utf-8") as partial:
            json.dump(stored, partial)
        os.replace(partial.name, entry)
    return None


# Patched again on every load of this hook (`serve` reloads it), so the patch uses this load's state.
if not hasattr(Page, "_uncached_render"):
    Page._uncached_render = Page.render
Page.render = _render


# -- notebooks -------------------------------------------------------------------------------------


def notebook_imports_key(notebook: str, root: Path) -> str:
    cells = json.loads(Path(notebook).read_text(encoding="utf-8")).get("cells", [])
    code = ["\n".join(line for line in "".join(cell["source"]).splitlines() if not line.lstrip().startswith(("%", "!")))
            for cell in cells if cell.get("cell_type") == "code"]
    return _digest([build_memo.library_versions()], code_files(code, root, Path(notebook).parent), root)


def _patch_notebook_key() -> None:
    try:
        from mkdocs_jupyter import plugin as jupyter
    except ImportError:
        return
    if not hasattr(jupyter, "_key_on_notebook_alone"):
        jupyter._key_on_notebook_alone = jupyter._compute_cache_key

    def key_with_imports(nb_path, config, exec_nb):
        key = jupyter._key_on_notebook_alone(nb_path, config, exec_nb)
        if not exec_nb or _state["root"] is None:
            return key
        return hashlib.sha256((key + notebook_imports_key(nb_path, Path(_state["root"]))).encode()).hexdigest()

    jupyter._compute_cache_key = key_with_imports


_patch_notebook_key()


def _patch_notebook_test() -> None:
    """mkdocs-jupyter reads every Markdown page with jupytext, several times a build, to see whether it is a notebook."""
    try:
        from mkdocs_jupyter import plugin as jupyter
    except ImportError:
        return
    plugin_class = jupyter.Plugin
    if not hasattr(plugin_class, "_should_include_read"):
        plugin_class._should_include_read = plugin_class.should_include

    def should_include(self, file):
        if file.abs_src_path is None or not Path(file.abs_src_path).is_file():
            return plugin_class._should_include_read(self, file)
        path = Path(file.abs_src_path)
        options = f"{self.config['include']!r} {self.config['ignore']!r}"

        def read() -> bool:
            parts = [file.abs_src_path, path.read_bytes(), options]
            return build_memo.remember("is-notebook", parts, lambda: plugin_class._should_include_read(self, file))

        return build_memo.while_unchanged(path, f"a notebook for mkdocs-jupyter? {options}", read)

    plugin_class.should_include = should_include


_patch_notebook_test()


# -- the search index ------------------------------------------------------------------------------


def _patch_search_index() -> None:
    """The theme's search plugin parses every page again on every build: its entries for a page are
    remembered under the page's content, table of contents, address, title and metadata."""
    try:
        from material.plugins.search import plugin as search
    except ImportError:
        return
    index_class = search.SearchIndex
    if not hasattr(index_class, "_add_entry_parsed"):
        index_class._add_entry_parsed = index_class.add_entry_from_context

    def entries_of(config: dict, page) -> list[dict]:
        alone = index_class(**config)
        index_class._add_entry_parsed(alone, page)
        return alone.entries

    def add_entry_from_context(self, page):
        parts = [page.url, str(page.title), json.dumps(page.meta, sort_keys=True, default=str), page.content or "",
                 json.dumps(_toc_tokens(page.toc)), json.dumps(self.config, sort_keys=True, default=str)]
        self.entries.extend(build_memo.remember("search-entries", parts, lambda: entries_of(self.config, page)))

    index_class.add_entry_from_context = add_entry_from_context


_patch_search_index()


def on_config(config):
    _state["root"] = str(Path(config.config_file_path).resolve().parent)
    _state["enabled"] = enabled()
    _remove_cold_cache()  # a build that stopped early (serve) leaves its own
    if _state["enabled"]:
        _state["directory"] = str(Path(_state["root"]) / ".cache" / "pages")
    else:
        _state["directory"] = _state["cold_pages"] = tempfile.mkdtemp(prefix="pages-cold-cache-")
    plugin = config.plugins.get("mkdocs-jupyter")
    if plugin is not None and plugin.config["cache"]:
        if _state["enabled"]:
            plugin.config["cache_dir"] = str(Path(_state["root"]) / ".cache" / "mkdocs-jupyter")
        else:
            _state["cold_notebooks"] = plugin.config["cache_dir"] = tempfile.mkdtemp(prefix="notebooks-cold-cache-")
    return config


def on_pre_build(config):
    _state["hits"] = _state["renders"] = 0
    build_memo.new_build()


def _remove_cold_cache() -> None:
    for kind in ("cold_notebooks", "cold_pages"):
        if _state[kind]:
            shutil.rmtree(_state[kind], ignore_errors=True)
            _state[kind] = None


def on_build_error(error):
    _remove_cold_cache()


def on_post_build(config):
    _remove_cold_cache()
    if _state["enabled"]:
        build_memo.trim()
        log.info("Page cache: %d pages reused, %d rendered", _state["hits"], _state["renders"])
