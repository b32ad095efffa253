"""Render the pages on both cores.

Rendering a page runs its executed blocks, the checks, and they are most of a cold build. Once the
build knows its pages, a forked worker renders them from the last one backwards while the build
renders them from the first; each page goes to whichever gets to it first (an exclusive claim file),
so the two meet where the work splits. What the worker renders goes into the page cache
(`page_cache.py`; a temporary one under `PAGE_CACHE=off`), where the build finds it.

The worker only renders: what follows rendering (math, the ledger, the checks' report, writing the
page) happens in the build. A page that logged a warning in the worker is not cached, so the build
renders that page again itself and reports its failure as it always does. `PAGE_WORKER=off` renders
every page in the build process. With fewer than two pages to render (a warm build, one edited
page: `page_cache.probably_cached` guesses from their sources) no worker is started.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import shutil
import tempfile
import time
from pathlib import Path

from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.page_worker")
# Forked, not spawned: the worker needs the build's configuration, plugins and pages as they are.
_FORK = multiprocessing.get_context("fork")
_state: dict = {"worker": None, "claims": None, "in_worker": False, "handed": 0}


def enabled() -> bool:
    return os.environ.get("PAGE_WORKER", "on").lower() not in {"off", "0", "false", "no"} and os.cpu_count() > 1


def _claim_file(page: Page, suffix: str) -> Path:
    name = hashlib.sha256(page.file.src_uri.encode()).hexdigest()[:16]
    return Path(_state["claims"]) / f"{name}.{suffix}"


def _claim(page: Page) -> bool:
    """True if the caller is the first to claim the page."""
    try:
        os.close(os.open(_claim_file(page, "claimed"), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def _executes_code(page: Page) -> bool:
    if not page.file.src_uri.endswith(".md"):
        return False
    try:
        return "exec=" in Path(page.file.abs_src_path).read_text(encoding="utf-8")
    except OSError:
        return False


def _warm_up() -> None:
    """Import once, before forking, what every page's checks import, so neither process pays twice."""
    import sympy  # noqa: F401

    from snippets.proof import chain, matrix_chain  # noqa: F401


def _work(pages: list[Page], config, files) -> None:
    _state["in_worker"] = True
    for handler in list(logging.getLogger("mkdocs").handlers):
        # The build reports what fails (it renders a failed page again); the worker stays quiet.
        if isinstance(handler, logging.StreamHandler):
            logging.getLogger("mkdocs").removeHandler(handler)
    for page in reversed(pages):
        if not _claim(page):
            break  # the build has reached this page, and so every page before it
        try:
            config._current_page = page
            page = config.plugins.on_pre_page(page, config=config, files=files)
            page.read_source(config)
            page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
            page.render(config, files)
        except BaseException:  # noqa: BLE001 - the build renders this page again and reports it
            pass
        finally:
            _claim_file(page, "done").touch()


def _run(pages: list[Page], config, files) -> None:
    try:
        _work(pages, config, files)
    finally:
        os._exit(0)


def on_nav(nav, config, files):
    _shutdown()
    if not enabled():
        return nav
    pages = [file.page for file in files.documentation_pages() if file.page is not None and _executes_code(file.page)]
    cache = config.plugins.get("hooks/page_cache.py")
    if cache is not None:
        pages = [page for page in pages if not cache.probably_cached(page, config, files)]
    if len(pages) < 2:
        return nav  # a warm build, or one edited page: nothing to share with a second process
    _warm_up()
    _state["claims"] = tempfile.mkdtemp(prefix="page-claims-")
    _state["handed"] = 0
    worker = _FORK.Process(target=_run, args=(pages, config, files), daemon=True)
    worker.start()
    _state["worker"] = worker
    return nav


def _wait_for_worker(page: Page) -> None:
    worker = _state["worker"]
    done = _claim_file(page, "done")
    while not done.exists() and worker.is_alive():
        time.sleep(0.01)
    _state["handed"] += 1


def _render(page: Page, config, files) -> None:
    if _state["worker"] is not None and not _state["in_worker"] and type(page) is Page and not _claim(page):
        _wait_for_worker(page)  # the worker rendered it into the page cache, where the render below finds it
    return _inner_render(page, config, files)


# Wraps the render that `page_cache.py` installed (loaded before this hook, and again on each `serve` reload).
_inner_render = Page.render
Page.render = _render


def on_post_build(config):
    if _state["worker"] is not None:
        log.info("Page worker: %d pages rendered in a second process", _state["handed"])
    _shutdown()


def on_build_error(error):
    _shutdown()


def _shutdown() -> None:
    worker = _state["worker"]
    if worker is not None:
        worker.terminate()
        worker.join()
        _state["worker"] = None
    if _state["claims"]:
        shutil.rmtree(_state["claims"], ignore_errors=True)
        _state["claims"] = None
