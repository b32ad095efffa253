"""A page's executed blocks, run in this process as the build runs them, with a module mutated.

markdown-exec runs each ```python exec="on"``` block of a page (and each `pycon` one) in its
session's namespace, printing the page's displays; a display's check runs as it is printed. Here
the same blocks run in the same order, their output discarded, so that a mutant of a snippet's TeX
is tried without building a site. `mutated` swaps one module of `snippets/` for a mutated copy of
its source, compiled under its own file name (so a failure names `snippets/<file>:<line>`), and
has every other claim module imported again on top of it, with the memo of matrix steps off (their
keys name the modules' files as they are on disk, which the mutant is not; a scalar step's key is
its content, so that memo stays on).
"""

from __future__ import annotations

import contextlib
import importlib
import io
import re
import sys
import textwrap
import types
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(
    r'^(?P<indent>[ \t]*)```(?P<language>python|pycon) exec="on"(?P<options>[^\n]*)\n(?P<body>.*?)^(?P=indent)```',
    re.DOTALL | re.MULTILINE,
)
SESSION = re.compile(r'session="(?P<name>[^"]+)"')


def blocks(page: str) -> list[tuple[str | None, str]]:
    """(session, code) of each executed block of docs/`page`, in order."""
    found = []
    for match in FENCE.finditer((ROOT / "docs" / page).read_text(encoding="utf-8")):
        code = textwrap.dedent(match["body"])
        if match["language"] == "pycon":
            code = "\n".join(line[4:] for line in code.splitlines() if line.startswith((">>> ", "... ")))
        session = SESSION.search(match["options"])
        found.append((session["name"] if session else None, code))
    return found


def run_page(page: str) -> None:
    """Every executed block of the page; the first exception one raises propagates."""
    sessions: dict[str, dict] = {}
    for number, (session, code) in enumerate(blocks(page), start=1):
        namespace = sessions.setdefault(session, {"__name__": "__main__"}) if session else {"__name__": "__main__"}
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(code, f"<code block: {page} #{number}>", "exec"), namespace)


def _claim_modules() -> list[str]:
    return [name for name in sys.modules if name.startswith("snippets.")]


def _match_packages_to_sys_modules() -> None:
    """Each claim module on its package as `sys.modules` has it (or not at all): `from snippets import
    <it>` reads the package's attribute before `sys.modules`, so a stale one would bypass a mutant."""
    for package in [sys.modules["snippets"], *(sys.modules[name] for name in _claim_modules())]:
        for leaf, value in list(vars(package).items()):
            qualified = f"{package.__name__}.{leaf}"
            if isinstance(value, types.ModuleType) and value.__name__ == qualified and not qualified.startswith("bce_proofs"):
                if qualified in sys.modules:
                    setattr(package, leaf, sys.modules[qualified])
                else:
                    delattr(package, leaf)


@contextlib.contextmanager
def mutated(snippet: str, original: str, replacement: str) -> Iterator[None]:
    """`snippets/<snippet>` with `original` replaced, for the pages and modules imported inside."""
    path = ROOT / "snippets" / snippet
    source = path.read_text(encoding="utf-8")
    assert original in source, f"{original!r} is not in snippets/{snippet}"
    name = "snippets." + snippet.removesuffix(".py").replace("/", ".")
    importlib.import_module("snippets")
    saved = {module: sys.modules[module] for module in _claim_modules()}
    # The engine's memo keys a matrix step on the modules' files as they are on disk; this code is
    # not. A scalar step's key is its content (TeX, left-hand side, definitions, domain): it stays.
    from bce_proofs import matrix_chain, memo

    saved_memo = matrix_chain.MEMO
    matrix_chain.MEMO = memo.Memo(None)
    try:
        for module in saved:
            del sys.modules[module]
        _match_packages_to_sys_modules()
        parent_name, _, leaf = name.rpartition(".")
        parent = importlib.import_module(parent_name)
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        setattr(parent, leaf, module)
        exec(compile(source.replace(original, replacement), str(path), "exec"), module.__dict__)
        yield
    finally:
        matrix_chain.MEMO = saved_memo
        for module in _claim_modules():
            del sys.modules[module]
        sys.modules.update(saved)
        _match_packages_to_sys_modules()
