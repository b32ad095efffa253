"""Every display the claim modules define, and TeX mutants of a display's formula.

A display is found where a page finds it: as a module-level name of a module under `snippets/`
(directly, or in a list, tuple or dict), exercises included.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import Iterator, NamedTuple

import snippets
from bce_proofs.chain import Definition, Displayed
from bce_proofs.matrix_chain import MatrixDefinition


class Found(NamedTuple):
    module: str
    name: str
    display: object


def _walk(value, depth: int = 0) -> Iterator[object]:
    if isinstance(value, (Displayed, Definition, MatrixDefinition)):
        yield value
    elif depth < 3 and isinstance(value, (list, tuple)):
        for item in value:
            yield from _walk(item, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for item in value.values():
            yield from _walk(item, depth + 1)


def claim_modules() -> list[str]:
    return sorted(info.name for info in pkgutil.walk_packages(snippets.__path__, "snippets.") if ".proof" not in info.name)


def displays() -> list[Found]:
    """Each display once, with the first module name it is found under."""
    found: dict[int, Found] = {}
    for module_name in claim_modules():
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            for display in _walk(value):
                found.setdefault(id(display), Found(module_name, name, display))
    return list(found.values())


# Each kind: a pattern, and what a match becomes. One mutant per match.
MUTATIONS = {
    "flipped sign": (re.compile(r"(?<![_^{])[-+]"), lambda match: "+" if match.group() == "-" else "-"),
    "dropped transpose": (re.compile(r"\^\{?\\top\}?"), lambda match: ""),
    "changed digit": (re.compile(r"(?<![_^{])(?<!_\{)\d"), lambda match: str((int(match.group()) + 1) % 10)),
    "dropped 1/n": (re.compile(r"\\frac\{?1\}?\{?[nm]\}?\s*"), lambda match: ""),
}


def mutants(tex: str, most: int = 2) -> Iterator[tuple[str, str]]:
    """(kind, mutated TeX): for each kind, up to ``most`` mutants, at its first matches."""
    for kind, (pattern, replace) in MUTATIONS.items():
        for match in list(pattern.finditer(tex))[:most]:
            yield kind, tex[: match.start()] + replace(match) + tex[match.end() :]
