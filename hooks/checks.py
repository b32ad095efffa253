"""A failed check stops the build by itself, whatever flags MkDocs was given.

markdown-exec reports an executed block that raised (a wrong step, a snippet that fails) as a
*warning*, and MkDocs only counts warnings under ``--strict`` and not at all under ``-q``
(``--quiet`` raises the log level, so the warning never reaches the counter). Here the
markdown-exec logger is kept at WARNING on its own, its warnings are collected per page,
and the build ends in an error that lists, one line each, every failure of every page: the
page and the last line of the exception (for a wrong step: where it is written, the step and
the difference). A display that the proof engine did not print (`snippets.proof.ledger`)
is a failure too. Every page is still rendered, so one build reports all failures.

Under ``mkdocs serve`` a failure does not stop the server: the failing page shows the same lines
in a red box at its top, the rest of the site keeps serving, and the next save that fixes it
clears it. ``mkdocs build`` still fails.
"""

from __future__ import annotations

import html
import logging
import re

import build_memo  # a hook's folder is on sys.path while it loads
from mkdocs.exceptions import PluginError


# markdown-exec logs through "mkdocs.plugins.<its module>" once its MkDocs plugin has patched its loggers.
EXECUTION_LOGGERS = ("mkdocs.plugins.markdown_exec", "mkdocs.plugins.markdown-exec")

_page: list[str] = []
_command: list[str] = ["build"]
failures: dict[str, list[str]] = {}
log = logging.getLogger("mkdocs.hooks.checks")


class _Collector(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING and _page:
            found = failures.setdefault(_page[-1], [])
            line = summary(record.getMessage())
            if line not in found:  # a chain printed twice (its claim, then its steps) fails twice
                found.append(line)


_COLLECTOR = _Collector(logging.WARNING)
_EXCEPTION_LINE = re.compile(r"^(?:[\w.]+\.)?(?P<kind>\w*(?:Error|Exception|Failure))\b:?\s*(?P<text>.*)$")


def summary(log_message: str) -> str:
    """The line a contributor acts on: the exception that ended the block, without the traceback.

    >>> summary("Execution of python code block exited with errors\\n\\nOutput is:\\n\\n"
    ...         "Traceback (most recent call last):\\n  File x\\nsnippets.proof.chain.StepError: step 1 is wrong\\n")
    'StepError: step 1 is wrong'
    """
    lines = [line.strip() for line in log_message.splitlines() if line.strip()]
    for line in reversed(lines):
        match = _EXCEPTION_LINE.match(line)
        if match and not line.startswith(("File ", "Traceback")):
            return f"{match['kind']}: {match['text']}".rstrip(": ")
    return lines[0] if lines else "an executed block failed"


def on_startup(command, dirty):
    _command[:] = [command]
    for name in EXECUTION_LOGGERS:
        logger = logging.getLogger(name)
        # Its own level, so that -q (which raises the "mkdocs" logger's level) cannot hide it.
        logger.setLevel(logging.WARNING)
        if _COLLECTOR not in logger.handlers:
            logger.addHandler(_COLLECTOR)


def on_pre_build(config):
    failures.clear()


def on_page_markdown(markdown, page, config, files):
    _page[:] = [f"docs/{page.file.src_path}"]
    return markdown


def on_page_content(html, page, config, files):
    _page.clear()
    # Read before the math is rendered: the page is a tenth of the size, and every display is still TeX.
    name = f"docs/{page.file.src_path}"
    for formula in read_ledger(html, page).unaccounted:
        failures.setdefault(name, []).append(
            f"a displayed formula not printed by the proof engine (print a Chain, Definition or Remark): {formula}"
        )
    return html


def read_ledger(html: str, page):
    """The page's displays and their statuses (`snippets.proof.ledger`), read once per content."""
    from snippets.proof import ledger  # the module of this build: `snippets` is imported again on each one

    notebook = page.file.src_uri.endswith(".ipynb")
    return build_memo.remember("ledger", [html, str(notebook)], lambda: ledger.read_page(html, notebook=notebook))


def on_post_page(output, page, config):
    name = f"docs/{page.file.src_path}"
    if _command[0] == "serve" and failures.get(name):
        return with_failure_banner(output, name, failures[name])
    return output


def on_post_build(config):
    if any(failures.values()):
        if _command[0] == "serve":
            log.error(failure_report(failures))  # the failing pages show it; the rest keeps serving
        else:
            raise PluginError(failure_report(failures))


def with_failure_banner(page_html: str, page: str, messages: list[str]) -> str:
    """The page with its failures in a red box at the top of its content (under `serve` only).

    >>> with_failure_banner('<article class="md-content__inner md-typeset"><h1>T</h1>', "docs/x.md", ["StepError: a < b"])
    '<article class="md-content__inner md-typeset"><div class="admonition failure" role="alert"><p class="admonition-title">This page failed its checks: the build would stop here</p><pre><code>docs/x.md ← StepError: a &lt; b</code></pre></div><h1>T</h1>'
    """
    lines = "\n".join(html.escape(f"{page} ← {message}") for message in messages)
    banner = (
        '<div class="admonition failure" role="alert"><p class="admonition-title">'
        "This page failed its checks: the build would stop here</p>"
        f"<pre><code>{lines}</code></pre></div>"
    )
    return re.sub(r'(<article class="md-content__inner[^"]*">)', lambda match: match.group(1) + banner, page_html, count=1)


def failure_report(found: dict[str, list[str]]) -> str:
    count = sum(len(messages) for messages in found.values())
    lines = [f"{page} ← {message}" for page, messages in found.items() for message in messages]
    return f"{count} failed check(s) on {sum(1 for m in found.values() if m)} page(s):\n" + "\n".join(lines)
