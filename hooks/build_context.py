"""Build-wide chores that no plugin does for us.

- Warnings raised while a page renders (a failing executed code block, for one)
  are prefixed with the page's source file, so a failed build names the file.
- Modules under `snippets/` are re-imported on every build, so `mkdocs serve`
  shows the effect of editing a snippet, not the first version it imported.
"""

from __future__ import annotations

import logging
import sys

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
