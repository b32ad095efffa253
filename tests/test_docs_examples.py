"""Every fenced Python example in docs/*.md runs without error, as pydantic tests its docs.

Blocks that share a markdown-exec `session` share their variables, as they do in the build: an
example runs after the session's earlier ones, in whichever test worker it lands (running them
first if that worker has not). `--8<--` snippet includes are expanded first, so included source
files are run too.
`pycon` blocks are run as doctests.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import re
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```(?P<language>python|pycon)(?P<options>[^\n]*)\n(?P<body>.*?)^(?P=indent)```",
    re.DOTALL | re.MULTILINE,
)
INCLUDE = re.compile(r'^[ \t]*--8<--\s+"(?P<path>[^"]+)"[ \t]*$', re.MULTILINE)


def _examples():
    for page in sorted((ROOT / "docs").glob("*.md")):
        earlier: dict[str, list[tuple[str, str | None]]] = {}  # session -> its examples so far
        for number, match in enumerate(FENCE.finditer(page.read_text()), start=1):
            indent = match["indent"]
            body = "\n".join(line[len(indent) :] for line in match["body"].splitlines())
            included = INCLUDE.search(body)
            body = INCLUDE.sub(lambda include: (ROOT / include["path"]).read_text(), body)
            session = re.search(r'session="([^"]+)"', match["options"])
            source_file = str(ROOT / included["path"]) if included else None
            in_session = session is not None and match["language"] == "python"
            before = tuple(earlier.setdefault(session[1], [])) if in_session else ()
            yield pytest.param(page.name, match["language"], session[1] if session else None, body, source_file, before, id=f"{page.name}:{number}")
            if in_session:
                earlier[session[1]].append((body, source_file))


_SESSIONS: dict[tuple[str, str], dict] = {}  # (page, session) -> its namespace and how many of its examples ran in it


@pytest.mark.parametrize(("page", "language", "session", "code", "source_file", "before"), list(_examples()))
def test_docs_example_runs(page, language, session, code, source_file, before):
    if language == "pycon":
        parser = doctest.DocTestParser()
        test = parser.get_doctest(code, {}, f"{page} example", page, 0)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        with contextlib.redirect_stdout(io.StringIO()) as report:
            runner.run(test)
        assert runner.failures == 0, report.getvalue()
        return
    if not session:
        _run(code, source_file, _module_namespace(), page)
        return
    state = _SESSIONS.get((page, session))
    if state is None or state["ran"] > len(before):  # new to this worker, or it has run past this example
        state = _SESSIONS[(page, session)] = {"namespace": _module_namespace(), "ran": 0}
    for earlier_code, earlier_source in before[state["ran"] :]:  # those another worker ran
        _run(earlier_code, earlier_source, state["namespace"], page)
    _run(code, source_file, state["namespace"], page)
    state["ran"] = len(before) + 1


def _run(code: str, source_file: str | None, namespace: dict, page: str) -> None:
    if source_file:  # an included module runs as that module would
        namespace["__file__"] = source_file
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, f"{page} example", "exec"), namespace)


def _module_namespace() -> dict:
    # Dataclasses look their module up in sys.modules, so give each example a real one.
    module = types.ModuleType(f"docs_example_{len(sys.modules)}")
    sys.modules[module.__name__] = module
    return module.__dict__
