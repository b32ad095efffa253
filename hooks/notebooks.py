"""Execute the site's notebooks while the rest of the site builds.

mkdocs-jupyter executes a notebook when it renders that page, one after another, and the build
waits for each kernel. Here, as soon as the build knows its files, every notebook that is not in
mkdocs-jupyter's cache yet is converted in a worker process, with the plugin's own conversion and
options, and written where the plugin looks; when the build reaches the page the plugin finds a
cache hit. A notebook that fails to execute fails the build, naming the notebook.

Without mkdocs-jupyter's cache, or if its internals change, nothing happens here and the plugin
executes the notebooks itself, as before.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError

try:
    from mkdocs_jupyter import convert
    from mkdocs_jupyter import plugin as jupyter
except ImportError:  # another version of mkdocs-jupyter: let it execute the notebooks itself
    convert = None

log = logging.getLogger("mkdocs.hooks.notebooks")
_OPTIONS = (
    "kernel_name",
    "theme",
    "allow_errors",
    "show_input",
    "no_input",
    "no_prompt",
    "remove_tag_config",
    "highlight_extra_classes",
    "include_requirejs",
    "custom_mathjax_url",
)
# Forked, not spawned: a hook module cannot be imported by name in a fresh interpreter.
_FORK = multiprocessing.get_context("fork")
_jobs: dict[str, tuple[multiprocessing.Process, Path]] = {}


def _convert(notebook: str, options: dict, toc_depth: int, cache_path: str) -> None:
    """What mkdocs-jupyter does on a cache miss, in a worker process."""
    body = convert.nb2html(notebook, execute=True, **options)
    toc_tokens, title = jupyter._get_nb_toc_tokens(notebook, toc_depth)
    with open(cache_path, "w", encoding="utf-8") as cache:
        json.dump({"content": body, "toc_tokens": toc_tokens, "title": title}, cache)


def _run(notebook: str, options: dict, toc_depth: int, cache_path: str, error_path: str) -> None:
    try:
        _convert(notebook, options, toc_depth, cache_path)
    except BaseException as error:  # noqa: BLE001 - reported by the parent, naming the notebook
        Path(error_path).write_text(str(error), encoding="utf-8")
        os._exit(1)
    os._exit(0)


def on_files(files, config):
    plugin = config.plugins.get("mkdocs-jupyter")
    if convert is None or plugin is None or not (plugin.config["cache"] and plugin.config["execute"]):
        return files
    if plugin.config["execute_ignore"]:
        return files  # the plugin decides per notebook; keep its behaviour
    options = {name: plugin.config[name] for name in _OPTIONS}
    for file in files:
        if not plugin.should_include(file):
            continue
        cache_path = jupyter._get_cache_path(plugin.config["cache_dir"], jupyter._compute_cache_key(file.abs_src_path, plugin.config, True))
        if cache_path.exists():
            continue
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        error_path = Path(tempfile.mkstemp(prefix="notebook-error-", suffix=".txt")[1])
        worker = _FORK.Process(
            target=_run,
            args=(file.abs_src_path, options, plugin.config["toc_depth"], str(cache_path), str(error_path)),
            daemon=True,
        )
        worker.start()
        _jobs[file.abs_src_path] = (worker, error_path)
        log.debug("executing %s in the background", file.src_uri)
    return files


def on_pre_page(page, config, files):
    job = _jobs.pop(page.file.abs_src_path, None)
    if job is not None:
        worker, error_path = job
        worker.join()
        message = error_path.read_text(encoding="utf-8") if error_path.exists() else ""
        error_path.unlink(missing_ok=True)
        if worker.exitcode != 0:
            _shutdown()
            raise PluginError(f"Error executing notebook '{page.file.src_uri}':\n{message or f'exit code {worker.exitcode}'}")
    return page


def on_post_build(config):
    _shutdown()


def on_build_error(error):
    _shutdown()


def _shutdown() -> None:
    for worker, error_path in _jobs.values():
        worker.terminate()
        worker.join()
        error_path.unlink(missing_ok=True)
    _jobs.clear()
