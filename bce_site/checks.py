"""A failed check stops the build by itself, whatever flags MkDocs was given.

markdown-exec reports an executed block that raised (a wrong step, a snippet that fails) as a
*warning*, and MkDocs only counts warnings under ``--strict`` and not at all under ``-q``
(``--quiet`` raises the log level, so the warning never reaches the counter). Here the
markdown-exec logger is kept at WARNING on its own, its warnings are collected per page,
and the build ends in an error that lists, one line each, every failure of every page: the
page and the last line of the exception (for a wrong step: where it is written, the step and
the difference). A display that the proof engine did not print (`bce_proofs.ledger`)
is a failure too. Every page is still rendered, so one build reports all failures.

Under ``mkdocs serve`` a failure does not stop the server: the failing page shows the same lines
in a red box at its top, the rest of the site keeps serving, and the next save that fixes it
clears it. ``mkdocs build`` still fails.
"""

from __future__ import annotations

import html
import logging
import re

# markdown-exec logs through "mkdocs.plugins.<its module>" once its MkDocs plugin has patched its loggers.
EXECUTION_LOGGERS = ("mkdocs.plugins.markdown_exec", "mkdocs.plugins.markdown-exec")
_EXCEPTION_LINE = re.compile(r"^(?:[\w.]+\.)?(?P<kind>\w*(?:Error|Exception|Failure))\b:?\s*(?P<text>.*)$")


class Failures(logging.Handler):
    """The failures of one build, per page: what markdown-exec logged while the page rendered, and
    each display the proof engine did not print."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.page: str | None = None
        self.found: dict[str, list[str]] = {}

    def listen(self) -> None:
        for name in EXECUTION_LOGGERS:
            logger = logging.getLogger(name)
            # Its own level, so that -q (which raises the "mkdocs" logger's level) cannot hide it.
            logger.setLevel(logging.WARNING)
            for old in [handler for handler in logger.handlers if isinstance(handler, Failures)]:
                logger.removeHandler(old)  # a previous build's, under `serve`
            logger.addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING and self.page:
            self.add(self.page, summary(record.getMessage()))

    def add(self, page: str, line: str) -> None:
        found = self.found.setdefault(page, [])
        if line not in found:  # a chain printed twice (its claim, then its steps) fails twice
            found.append(line)


def summary(log_message: str) -> str:
    """The line a contributor acts on: the exception that ended the block, without the traceback.

    >>> summary("Execution of python code block exited with errors\\n\\nOutput is:\\n\\n"
    ...         "Traceback (most recent call last):\\n  File x\\nbce_proofs.chain.StepError: step 1 is wrong\\n")
    'StepError: step 1 is wrong'
    """
    lines = [line.strip() for line in log_message.splitlines() if line.strip()]
    for line in reversed(lines):
        match = _EXCEPTION_LINE.match(line)
        if match and not line.startswith(("File ", "Traceback")):
            return f"{match['kind']}: {match['text']}".rstrip(": ")
    return lines[0] if lines else "an executed block failed"


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
