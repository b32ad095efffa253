"""Every definition a page shows, mutated, is refused by a check that reads it; survivors are listed.

A `Definition` or `MatrixDefinition` is not itself a claim: it is the TeX the checks start from.
A mutant of its right-hand side (the kinds of `displays.MUTATIONS`) is therefore caught by the
checks downstream of it. Each mutant is compiled into its module in this process
(`page_blocks.mutated`, the engine's memo off), then the executed blocks of the pages that read the
module run as the build runs them, those that import it themselves first, until one stops. The
mutant is killed when a check raises a `StepError`; the step that refused it is recorded (a
mutant that stops a page with any other error is recorded with that error, and counted apart). A mutant no check
refuses must be equal to the original (sympy, for a scalar definition); it is listed in
test-output/mutants/definitions.json with the count per kind, and any other survivor fails.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sympy as sp

from bce_site import page_memo
from displays import displays, mutants
from page_blocks import mutated, run_page
from bce_proofs import StepError, parse_tex
from bce_proofs.chain import Definition
from bce_proofs.matrix_chain import MatrixDefinition

pytestmark = pytest.mark.mutation

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "test-output" / "mutants"
DEFINITIONS = [found.display for found in displays() if isinstance(found.display, (Definition, MatrixDefinition))]


def _where(definition) -> tuple[str, int]:
    path, line = definition.where.rsplit(":", 1)
    return path.removeprefix("snippets/"), int(line)


def _located(definition, tex: str) -> tuple[str, str, str]:
    """(snippet, original text, mutated text): the source from the definition's line to its right-hand side."""
    snippet, line = _where(definition)
    source = (ROOT / "snippets" / snippet).read_text(encoding="utf-8")
    start = sum(len(text) for text in source.splitlines(keepends=True)[: line - 1])
    end = source.index(definition.rhs_tex, start) + len(definition.rhs_tex)
    original = source[start:end]
    assert source.count(original) == 1, f"{definition.where}: {original!r} is not unique in snippets/{snippet}"
    return snippet, original, original[: -len(definition.rhs_tex)] + tex


def _pages_reading(snippet: str) -> list[str]:
    """Every page whose code reads the snippet's module, directly or through another module (the
    page memo's own `dependencies`): those that import it themselves first. No other page can meet
    the mutant."""
    module = ROOT / "snippets" / snippet
    reading = []
    for page in sorted((ROOT / "docs").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        if 'exec="on"' in text and module in page_memo.dependencies(ROOT, text):
            reading.append((module not in page_memo.direct_imports(ROOT, text), page.name))
    return [page for _, page in sorted(reading)]


def _refusal(definition, tex: str) -> str | None:
    """What stopped the pages with the mutant in place (a `StepError`'s file:line), or None."""
    snippet, original, replacement = _located(definition, tex)
    try:
        with mutated(snippet, original, replacement):
            for page in _pages_reading(snippet):
                run_page(page)
    except StepError as error:
        return str(error).split(": ", 1)[0]
    except Exception as error:  # the build stops on it too, but it names no step
        return f"{type(error).__name__}: {str(error)[:120]}"
    return None


def _equal(definition, tex: str) -> bool:
    if isinstance(definition, MatrixDefinition):
        return False
    declared = {symbol.name: symbol for symbol in definition.symbols}
    return sp.simplify(parse_tex(tex, declared) - definition.value) == 0


@pytest.mark.parametrize("definition", DEFINITIONS, ids=[definition.where for definition in DEFINITIONS])
def test_every_mutant_of_a_definition_is_refused_downstream_or_listed_as_equal(definition):
    display = type(definition).__name__
    outcomes, holes = [], []
    for kind, tex in mutants(definition.rhs_tex):
        refused_at = _refusal(definition, tex)
        if refused_at is None and _equal(definition, tex):
            refused_at = "equal to the original"
        elif refused_at is None:
            holes.append(f"no check refused {definition.where}: {definition.rhs_tex!r} -> {tex!r} ({kind})")
        outcomes.append({"display": display, "kind": kind, "mutant": tex, "refused_at": refused_at})
    OUTPUT.mkdir(parents=True, exist_ok=True)
    record = {"where": definition.where, "definition": definition.rhs_tex, "mutants": outcomes}
    (OUTPUT / ("definition-" + definition.where.replace("/", "-").replace(":", "-") + ".json")).write_text(json.dumps(record, indent=2) + "\n")
    assert not holes, "\n".join(holes)


def test_there_are_definitions_to_mutate():
    assert len(DEFINITIONS) >= 15, [definition.where for definition in DEFINITIONS]
