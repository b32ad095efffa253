"""Answers that are pure functions of their inputs, kept between builds.

A warm build, and every rebuild under `mkdocs serve`, asks the same questions of unchanged pages:
which displays the ledger finds in a page, what the search index takes from it, the page with its
math rendered, which modules a snippet imports. `remember` stores each answer under a key made of
its inputs and of the code that computes it (every file under `hooks/` and `snippets/proof/`, the
locked npm packages, the library versions), so a changed input or changed code is a miss and is
computed again. An answer whose computation raised is never stored.

Answers stay in memory for the life of the process. MkDocs loads the hooks again on every rebuild,
but this module is imported by name (a hook's folder is on `sys.path` while it loads), so it is
loaded once and what it holds survives the rebuilds. With the page cache on they are also written
under `.cache/derived/`, for the next build; `PAGE_CACHE=off` keeps nothing on disk.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Callable, Sequence, TypeVar

ROOT = Path(__file__).resolve().parent.parent
DIRECTORY = ROOT / ".cache" / "derived"
CODE = ("hooks", "snippets/proof")
LOCK_FILES = ("package-lock.json",)
LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "markdown-exec", "pygments",
             "numpy", "scipy", "sympy", "matplotlib", "mkdocs-jupyter", "nbconvert", "jupytext")

LIMIT_BYTES = 256 * 2**20  # what `.cache/derived/` may hold; the least recently used answers go first
T = TypeVar("T")
_memory: dict[str, bytes] = {}
_per_file: dict[tuple, object] = {}
_code_digest: list[str] = []


def cache_enabled() -> bool:
    """False under `PAGE_CACHE=off`: nothing read from or written to `.cache/`."""
    return os.environ.get("PAGE_CACHE", "on").lower() not in {"off", "0", "false", "no"}


@functools.cache
def library_versions() -> str:
    """Python's and the libraries' versions (read once per process: an upgrade restarts `serve`)."""
    versions = [sys.version]
    for name in LIBRARIES:
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} absent")
    return "\n".join(versions)


def code_digest() -> str:
    """A digest of the code that computes the remembered answers, read once per build (`new_build`)."""
    if _code_digest:
        return _code_digest[0]
    files = sorted(path for folder in CODE for path in (ROOT / folder).rglob("*") if path.suffix in {".py", ".cjs"})
    files += [ROOT / name for name in LOCK_FILES if (ROOT / name).is_file()]
    digest = hashlib.sha256(library_versions().encode())
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    _code_digest.append(digest.hexdigest())
    return _code_digest[0]


def new_build() -> None:
    """Called as a build starts: the code may have changed since the last one (`serve`)."""
    _code_digest.clear()


def key(kind: str, parts: Sequence[str | bytes]) -> str:
    digest = hashlib.sha256(kind.encode() + b"\0" + code_digest().encode())
    for part in parts:
        digest.update(b"\0" + (part.encode() if isinstance(part, str) else part))
    return digest.hexdigest()


def remember(kind: str, parts: Sequence[str | bytes], compute: Callable[[], T]) -> T:
    """`compute()`, or the answer it gave before for the same `kind`, `parts` and code.

    Every call returns a fresh copy, so a caller may change what it gets.
    """
    name = key(kind, parts)
    stored = _memory.get(name)
    path = DIRECTORY / kind / f"{name}.pickle"
    if stored is None and cache_enabled() and path.is_file():
        stored = _memory[name] = path.read_bytes()
        os.utime(path)  # recently used: kept by `trim`
    if stored is not None:
        return pickle.loads(stored)
    value = compute()
    stored = _memory[name] = pickle.dumps(value)
    if cache_enabled():
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as partial:
            partial.write(stored)
        os.replace(partial.name, path)
    return value


def while_unchanged(path: Path, question: str, compute: Callable[[], T]) -> T:
    """`compute()`, asked of one file, answered again only once the file changed (in memory only)."""
    status = path.stat()
    stamp = (str(path), question, status.st_mtime_ns, status.st_size)
    if stamp not in _per_file:
        _per_file[stamp] = compute()
    return _per_file[stamp]


def trim(limit_bytes: int = LIMIT_BYTES) -> None:
    """Remove the least recently used answers on disk until they take at most `limit_bytes`
    (every edit under `serve` stores new ones: the old ones are not needed again)."""
    entries = []
    for path in DIRECTORY.glob("*/*.pickle"):
        try:
            status = path.stat()
        except FileNotFoundError:
            continue
        entries.append((status.st_mtime, status.st_size, path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= limit_bytes:
            break
        path.unlink(missing_ok=True)
        total -= size
