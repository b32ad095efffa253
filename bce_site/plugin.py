"""The site's MkDocs plugin: the checks' report, math as MathML, the source pages, the ledger.

Registered as `bce-proofs` (pyproject.toml's `mkdocs.plugins` entry point) and named under
`plugins:` in mkdocs.yml, after the plugins whose output it reads. Its state is the instance's,
which lives as long as the MkDocs command (it has `on_startup`): each build starts it afresh.

- The build checks the tree it builds: the project's root goes first on `sys.path` (and on the
  `PYTHONPATH` notebook kernels inherit), `snippets` is imported afresh for every build (so
  `serve` shows an edited snippet), and if the project has a `snippets` of its own, one imported
  from anywhere else stops the build.
- A failed check, or a display the proof engine did not print, stops the build whatever flags
  MkDocs was given (`checks.py`); under `serve` the page shows it in a red box instead.
- Warnings logged while a page renders name the page's file.
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

import jinja2
from mkdocs.config import base, config_options
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from bce_site import assets, checker, checks, ledger_page, math, math_font, notebooks, page_memo, private_api, source_pages

log = logging.getLogger("mkdocs.plugins.bce_proofs")


def _is_notebook(page) -> bool:
    return page.file.src_uri.endswith(".ipynb")


def _snippets_modules() -> list[str]:
    """The claims' and the engine's modules: imported afresh for every build, so `serve` shows an edit."""
    return [name for name in sys.modules if name.split(".")[0] in ("snippets", "bce_proofs")]


class _NamePage(logging.Filter):
    """Prefixes each warning logged while a page renders with the page's file."""

    def __init__(self) -> None:
        super().__init__()
        self.page: str | None = None
        self.warned: set[str] = set()  # pages that logged a warning while they rendered: not memoised

    def filter(self, record: logging.LogRecord) -> bool:
        if self.page and record.levelno >= logging.WARNING:
            self.warned.add(self.page)
            prefix = f"[{self.page}] "
            if not str(record.msg).startswith(prefix):
                record.msg = prefix + str(record.msg)
        return True


def _with_page_status(html: str, page, found) -> str:
    """The page's one line on how its displays were checked, right under its title."""
    from bce_proofs import display

    line = display.page_status([entry.status for entry in found.entries], get_relative_url(ledger_page.LEDGER_PAGE.replace(".md", "/"), page.url))
    head, title_end, rest = html.partition("</h1>")
    return head + title_end + "\n" + line + rest if line and title_end else html


class ProofsConfig(base.Config):
    # false (NOTEBOOKS_EXECUTE=false in mkdocs.yml): the notebooks are shown as saved, unexecuted.
    execute_notebooks = config_options.Type(bool, default=True)


class ProofsPlugin(BasePlugin[ProofsConfig]):
    def __init__(self) -> None:
        super().__init__()
        self.command = "build"
        self.failures = checks.Failures()
        self.naming = _NamePage()
        self.ledgers: dict[str, tuple] = {}
        self.root = Path.cwd()
        self.modules_root = self.root
        self.memo: page_memo.PageMemo | None = None
        self.keys: dict[str, str] = {}  # page -> its memo key, for pages rendered in this build
        self.hits: dict[str, dict] = {}  # page -> the memo entry used instead of rendering it
        self.math_characters: set[str] = set()  # what the pages' formulas show, for the math font
        self.text_characters: set[str] = set()  # what their text shows, for the text faces
        self.shown: dict[str, source_pages.Shown] = {}  # page -> what it shows of the modules, for their back-links
        self.module_graph: dict[str, set[str]] | None = None  # module -> the modules it imports
        self.executions: dict[str, notebooks.Execution] = {}  # notebook -> its run, begun in on_files
        self.scratch: Path | None = None  # where executed notebooks go when nothing is kept (PAGE_MEMO=off)

    def on_startup(self, command, dirty):
        self.command = command

    def on_config(self, config):
        self.root = Path(config.config_file_path).resolve().parent  # the project being built
        root = str(self.root)
        sys.path[:] = [root] + [entry for entry in sys.path if entry != root]
        kept = [entry for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep) if entry and entry != root]
        os.environ["PYTHONPATH"] = os.pathsep.join([root, *kept])
        config.extra_css.insert(0, math.STYLESHEET[math.renderer()])
        math.RENDERER.memo_folder = self.root / ".cache" / "math"
        config.watch.append(str(Path(__file__).resolve().parent))  # `serve` rebuilds when the plugin changes
        return config

    def on_pre_build(self, config):
        for name in _snippets_modules():
            del sys.modules[name]
        loaded = importlib.import_module("snippets")
        found, expected = Path(loaded.__file__).resolve().parent, self.root / "snippets"
        self.modules_root = found.parent  # where the pages' `snippets` imports are read from
        if expected.is_dir() and found != expected:
            raise PluginError(
                f"The build would check another copy of `snippets`: {found}, not this tree's {expected}. "
                "Uninstall that copy (`pip uninstall bce-proofs`, then `pip install -e .` here) and build again."
            )
        self.failures.found.clear()  # the instance lives as long as `serve` (it has on_startup)
        self.ledgers.clear()
        self.keys.clear()
        self.hits.clear()
        self.math_characters = set()
        self.text_characters = set()
        self.shown.clear()
        self.module_graph = None
        self.naming.warned.clear()
        self.failures.listen()
        for handler in logging.getLogger("mkdocs").handlers:
            for old in [f for f in handler.filters if isinstance(f, _NamePage)]:
                handler.removeFilter(old)  # a previous build's, under `serve`
            handler.addFilter(self.naming)

    @event_priority(50)  # before mkdocs-jupyter's, which wraps each notebook's file as it finds it
    def on_files(self, files, config):
        for file in source_pages.source_files(config, self.root):
            files.append(file)
        documents = [file.src_uri for file in files if file.is_documentation_page() or file.src_uri.endswith(".ipynb")]
        self.memo = page_memo.PageMemo(self.root, self.modules_root, Path(config.config_file_path).read_text(encoding="utf-8"), documents)
        if self.config.execute_notebooks:
            for file in [file for file in files if file.src_uri.endswith(".ipynb")]:
                self._execute(file, files, config)
        return files

    def _execute(self, file, files, config) -> None:
        """Start the notebook's run; its page is built from the executed copy (`notebooks.py`)."""
        source = Path(file.abs_src_path)
        if page_memo.enabled():
            folder = self.root / ".cache" / "notebooks" / self.memo.notebook_key(source)
        else:
            self.scratch = self.scratch or Path(tempfile.mkdtemp(prefix="notebooks-"))
            folder = self.scratch / file.src_uri
        self.executions[file.src_uri] = notebooks.start(source, folder / file.src_uri)
        files.remove(file)
        files.append(File(file.src_uri, str(folder), config.site_dir, config.use_directory_urls))

    @event_priority(50)  # before mkdocs-jupyter's, which reads the executed copy as it prepares the page
    def on_pre_page(self, page, config, files):
        execution = self.executions.get(page.file.src_uri)
        if execution is not None and (failure := execution.wait()):
            name = f"docs/{page.file.src_path}"
            if self.command != "serve":
                raise PluginError(f"{name}: a cell raised when the notebook was run:\n{failure}")
            self.failures.add(name, f"a cell raised when the notebook was run: {failure.splitlines()[-1]}")
            page.file.abs_src_path = str(execution.source)  # shown unexecuted, under its failure
        return page

    def on_page_markdown(self, markdown, page, config, files):
        self.failures.page = self.naming.page = f"docs/{page.file.src_path}"
        if _is_notebook(page):
            return markdown  # mkdocs-jupyter converts the executed copy (`on_files`)
        key = self.keys[page.file.src_uri] = self.memo.key(page, markdown)
        entry = self.memo.get(key)
        if entry is None:
            return markdown
        self.hits[page.file.src_uri] = entry
        return ""  # rendered as before: nothing to render again

    def on_page_content(self, html, page, config, files):
        from bce_proofs import ledger  # this build's `snippets`

        name = self.failures.page = self.naming.page = f"docs/{page.file.src_path}"
        entry = self.hits.get(page.file.src_uri)
        if entry is not None:
            html = page_memo.restore(page, entry, files)
            found = ledger.PageLedger([ledger.Entry(**kept) for kept in entry["ledger"]])
        else:
            html = source_pages.with_listing(html, page, self.root)
            html = source_pages.source_links(html, page, self.root)
            html = checker.try_links(html, page.url)
            html = math.searchable_math(html, notebook=_is_notebook(page))
            html = ledger_page.distinct_anchors(html)
            # Read before the math is rendered: every display is still TeX.
            found = ledger.read_page(html, notebook=_is_notebook(page))
            html = _with_page_status(html, page, found)
        for formula in found.unaccounted:
            self.failures.add(name, f"a displayed formula not printed by the proof engine (print a Chain, Definition or Remark): {formula}")
        self.ledgers[page.file.src_path] = (page.title or page.file.src_path, page.url or "./", found)
        if not page.file.src_uri.startswith(f"{source_pages.FOLDER}/"):
            self.shown[page.file.src_path] = source_pages.shown_on(html, page, page.file.content_string, self.root)
        self.failures.page = self.naming.page = None
        key = self.keys.get(page.file.src_uri)
        if entry is None and key and not self.failures.found.get(name) and name not in self.naming.warned:
            self.memo.put(key, page, html, [dataclasses.asdict(kept) for kept in found.entries])
        return html

    def on_env(self, env, config, files):
        # The theme's templates compiled once, not in every build: each build (and each rebuild under
        # `serve`) makes a new environment. Jinja keys each compiled template on its source's checksum.
        folder = self.root / ".cache" / "jinja"
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
        return env

    def on_post_page(self, output, page, config):
        name = f"docs/{page.file.src_path}"
        output = math.render_body(output, name, notebook=_is_notebook(page))
        self.text_characters |= math_font.text_characters(output)
        if math.renderer() == "temml" and "<math" in output:
            self.math_characters |= math_font.characters(output)
            # The math font is asked for as the page is parsed, not once a formula is laid out.
            font = get_relative_url(math.FONT_URL, page.url)
            output = output.replace("</head>", f'<link rel="preload" href="{font}" as="font" type="font/woff2" crossorigin>\n</head>', 1)
        if _is_notebook(page):
            output = assets.slim_notebook(output, page)
        if page.file.src_uri == checker.PAGE:  # the checker's files load on its page only
            output = checker.decorate(output, lambda path: get_relative_url(path, page.url), config.site_dir, self.root)
        module = source_pages.module_of(page)
        if module is not None:  # every other page's content is in by now (MkDocs renders them all first)
            if source_pages.BACKLINKS not in output:
                raise PluginError(f"{name}: the placeholder {source_pages.BACKLINKS} is missing")
            if self.module_graph is None:
                self.module_graph = source_pages.module_imports(self.modules_root)
            order = {path: index for index, path in enumerate(ledger_page.nav_order(config.nav))}
            pages = sorted(self.shown.values(), key=lambda shown: order.get(shown.source, len(order)))
            output = output.replace(source_pages.BACKLINKS, source_pages.backlinks(module, page.url, pages, self.module_graph), 1)
        if self.command == "serve" and self.failures.found.get(name):
            output = checks.with_failure_banner(output, name, self.failures.found[name])
        return output

    def on_post_build(self, config):
        for execution in self.executions.values():
            execution.wait()  # a notebook no page showed still ends its run
        self._end_executions()
        ledger_page.write(config.site_dir, self.root, self.ledgers, config.nav)
        math.copy_assets(config.site_dir, self.math_characters, self.root / ".cache" / "fonts", self.text_characters)
        search = config.plugins.get("material/search")
        assets.finish(config.site_dir, config.site_url, search.config.lang if search else ["en"])
        if any(self.failures.found.values()):
            report = checks.failure_report(self.failures.found)
            if self.command != "serve":
                raise PluginError(report)
            log.error(report)  # the failing pages show it; the rest keeps serving

    def on_build_error(self, error):
        for execution in self.executions.values():
            execution.stop()  # no kernel outlives a build that stopped, and no scratch folder
        self._end_executions()

    def _end_executions(self) -> None:
        self.executions.clear()
        if self.scratch:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None

    def on_serve(self, server, config, builder):
        private_api.poll_faster(server, (config.docs_dir, config.config_file_path))
        return server
