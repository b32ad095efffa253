"""A content-addressed cache of executed code blocks, below the page cache.

An edit to a page's prose changes its Markdown, so the page cache misses and the page is rendered
again; its executed blocks, the checks, need not run again. A block's printed output is stored
under its code, the code of every block before it in the same session on the page (a session's
blocks share their variables), its options, the source of every `snippets` module and project file
all of those import or name (`page_cache.py` finds them), and the code and library versions of
`build_memo`. A block that raised is never stored, so a failing check fails on every build.

On a miss in a session whose earlier blocks came from the cache, those blocks are run first (their
output dropped), so the block finds the variables it expects.

`PAGE_CACHE=off` runs every block.
"""

from __future__ import annotations

from pathlib import Path

import build_memo  # a hook's folder is on sys.path while it loads

try:
    from markdown_exec._internal.formatters import python as exec_python
except ImportError:  # another version of markdown-exec: every block runs, as without this hook
    exec_python = None

_state: dict = {"page": None, "sessions": {}, "page_cache": None, "root": None, "docs": None}


class _Session:
    """The blocks of one session on one page so far, and how many of them actually ran."""

    def __init__(self) -> None:
        self.codes: list[str] = []
        self.ran = 0


def _output(run, code: str, session: str | None, extra: dict) -> str:
    page_cache = _state["page_cache"]
    if page_cache is None or _state["page"] is None or not build_memo.cache_enabled():
        return run(code, session=session, **extra)
    record = _state["sessions"].setdefault(session, _Session()) if session else _Session()
    codes = [*record.codes, code]
    record.codes.append(code)
    root = Path(_state["root"])
    files = page_cache.code_files(codes, root, Path(_state["docs"]))
    if files is None:
        return run(code, session=session, **extra)
    sources = page_cache._digest([], files, root)
    parts = [_state["page"], str(session), sources, repr(sorted(extra.items())), *codes]

    def execute() -> str:
        for earlier in record.codes[record.ran : len(codes) - 1]:
            run(earlier, session=session, **extra)  # the session's variables, as the page built them
        record.ran = len(codes)
        return run(code, session=session, **extra)

    return build_memo.remember("executed-block", parts, execute)


def _patch() -> None:
    if exec_python is None:
        return
    if not hasattr(exec_python, "_run_python_uncached"):
        exec_python._run_python_uncached = exec_python._run_python

    def run_python(code: str, returncode=None, session=None, id=None, **extra):  # noqa: A002 - markdown-exec's names
        options = {"returncode": returncode, "id": id, **extra}
        return _output(lambda text, session, **more: exec_python._run_python_uncached(text, session=session, **more),
                       code, session, options)

    exec_python._run_python = run_python


_patch()  # again on every load of this hook (`serve` reloads it), so the patch uses this load's state


def on_config(config):
    _state["page_cache"] = config.plugins.get("hooks/page_cache.py")
    _state["root"] = str(Path(config.config_file_path).resolve().parent)
    _state["docs"] = config.docs_dir
    return config


def on_page_markdown(markdown, page, config, files):
    _state["page"] = page.file.src_uri
    _state["sessions"] = {}
    return markdown


def on_page_content(html, page, config, files):
    _state["page"] = None
    return html
