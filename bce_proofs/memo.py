"""Check results kept on disk, keyed on everything a check reads: a step already shown equal is not shown again.

The key of a scalar step is a digest of its TeX, its number in the chain (the random points
depend on it), the left-hand side, definitions, domain and sample count (``sympy.srepr``), the
engine's own source and the sympy and numpy versions. Only results that passed are kept: a step
that fails is checked, and fails, every time. The parse of the TeX is never skipped; the memo only
spares the simplification or the evaluation after it. A matrix step's key also has the source of
every module under `snippets/`, which computes its cases and left-hand side. The store is ``.cache/proof-memo/``
(``PROOF_MEMO=off`` turns it off, ``PROOF_MEMO=<folder>`` moves it); `make clean` removes it.

>>> memo = Memo(None)
>>> memo.get("k") is None and memo.put("k", {"method": "symbolic"}) is None and memo.get("k") is None
True
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import sympy

try:  # the matrix checks compute with numpy; the scalar engine (and the browser's copy) runs without it
    import numpy
except ImportError:  # pragma: no cover - exercised where numpy is not installed
    numpy = None

_ENGINE = Path(__file__).resolve().parent
_DEFAULT = _ENGINE.parent / ".cache" / "proof-memo"
_CLAIMS = _ENGINE.parent / "snippets"  # the claims beside the engine: read as files, never imported


@lru_cache(maxsize=1)
def engine_digest() -> str:
    """The engine's source and the versions of what it computes with: a change to any is a new memo."""
    digest = hashlib.sha256(f"sympy {sympy.__version__} numpy {numpy.__version__ if numpy else None}".encode())
    for path in sorted(_ENGINE.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def package_digest() -> str:
    """The source of every module under `snippets/`, for checks that run code outside the engine
    (a matrix chain's cases and left-hand side): an edit to any module is a new memo for them.
    Read once per import; the build imports `snippets` afresh for every build. Code executed from
    anything but these files (a mutant compiled in a test) must run with the memo off."""
    digest = hashlib.sha256()
    for path in sorted(_CLAIMS.rglob("*.py")):
        digest.update(path.relative_to(_CLAIMS).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def key(*parts: str) -> str:
    digest = hashlib.sha256(engine_digest().encode())
    for part in parts:
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


class Memo:
    """A folder of small JSON files, one per key; ``None`` keeps nothing."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def get(self, name: str) -> dict | None:
        if self.folder is None:
            return None
        try:
            return json.loads((self.folder / name[:2] / f"{name}.json").read_text())
        except (OSError, ValueError):
            return None

    def put(self, name: str, value: dict) -> None:
        if self.folder is None:
            return None
        target = self.folder / name[:2] / f"{name}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written whole, then renamed: a reader (another test worker) never sees half a file.
        with tempfile.NamedTemporaryFile("w", dir=target.parent, delete=False, suffix=".tmp") as file:
            json.dump(value, file)
        os.replace(file.name, target)
        return None


def default_memo() -> Memo:
    setting = os.environ.get("PROOF_MEMO", "")
    if setting == "off":
        return Memo(None)
    return Memo(Path(setting) if setting else _DEFAULT)
