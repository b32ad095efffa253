"""Build-wide chores that no plugin does for us.

- Warnings raised while a page renders (a failing executed code block, for one)
  are prefixed with the page's source file, so a failed build names the file.
- Modules under `snippets/` are re-imported on every build, so `mkdocs serve`
  shows the effect of editing a snippet, not the first version it imported.
- Under `mkdocs serve`, saved files are noticed within a tenth of a second (MkDocs polls every
  half second), and the theme's templates are compiled once, not on every rebuild.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import build_memo  # a hook's folder is on sys.path while it loads
import jinja2

_current_page: list[str] = []


class _NamePage(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if _current_page and record.levelno >= logging.WARNING:
            prefix = f"[{_current_page[-1]}] "
            message = str(record.msg)
            if not message.startswith(prefix):
                record.msg = prefix + message
        return True


_FILTER = _NamePage()


def on_startup(command, dirty):
    for handler in logging.getLogger("mkdocs").handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)


def on_pre_build(config):
    for name in [name for name in sys.modules if name == "snippets" or name.startswith("snippets.")]:
        del sys.modules[name]


def on_page_markdown(markdown, page, config, files):
    _current_page[:] = [f"docs/{page.file.src_path}"]
    return markdown


def on_page_content(html, page, config, files):
    _current_page.clear()
    return html


POLL_SECONDS = 0.1


def on_serve(server, config, builder):
    # The watcher's interval is set when a path is watched; MkDocs watched these before this event.
    server.observer._timeout = POLL_SECONDS
    for path in (config.docs_dir, config.config_file_path):
        server.unwatch(path)
        server.watch(path)
    return server


def on_env(env, config, files):
    if build_memo.cache_enabled():  # keyed by jinja on each template's name and source
        directory = Path(build_memo.ROOT) / ".cache" / "templates"
        directory.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(directory))
    return env
