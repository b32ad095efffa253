"""Every step of every claim module, mutated, is refused naming where it is written; equal mutants are listed.

For each `Step` of each `Chain` and `MatrixChain` under `snippets/` (exercises included), each
TeX mutant of `displays.MUTATIONS` (a flipped sign, a dropped transpose, a changed digit, a
dropped 1/n) replaces the step, and the check must raise a `StepError` naming the step's
``file:line``. A mutant the check accepts must be equal to the original: by sympy for a scalar
step, on the check's own random cases for a matrix step. It is then listed, with its kind, in
test-output/mutants/<module>.json, never hidden; any other survivor fails the test.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from displays import claim_modules, displays, mutants
from bce_proofs import Chain, Step, StepError, parse_tex
from bce_proofs.matrix_chain import MatrixChain

pytestmark = pytest.mark.mutation

OUTPUT = Path(__file__).resolve().parent.parent / "test-output" / "mutants"
FOUND = displays()


def _equal_scalar(chain: Chain, tex: str) -> bool:
    value = parse_tex(tex, chain._declared()).subs(chain.definitions)
    return sp.simplify(value - chain.lhs_value) == 0


def _equal_matrix(chain: MatrixChain, number: int, tex: str) -> bool:
    mutated = dataclasses.replace(chain, steps=[*chain.steps[: number - 1], Step(tex, "mutant"), *chain.steps[number:]])
    rng = np.random.default_rng(7)
    for _ in range(5):
        case = chain.make_case(rng)
        if not np.allclose(mutated.evaluate_step(number, case), chain.lhs_compute(case), rtol=1e-9, atol=1e-12):
            return False
    return True


def _attack(chain, number: int, step: Step, tex: str) -> str:
    """"killed", "equivalent", or a description of the hole."""
    mutated = dataclasses.replace(chain, steps=[Step(tex, step.reason, where=step.where)])
    try:
        mutated.check()
    except StepError as error:
        assert str(error).startswith(step.where + ":"), error  # the failure names the step's file:line
        return "killed"
    equal = _equal_scalar(chain, tex) if isinstance(chain, Chain) else _equal_matrix(chain, number, tex)
    return "equivalent" if equal else f"accepted though not equal: {step.where}: {step.tex!r} -> {tex!r}"


@pytest.mark.parametrize("module", claim_modules())
def test_every_mutant_of_every_step_is_refused_or_listed_as_equal(module):
    kills, equivalent, holes = Counter(), [], []
    chains = [found.display for found in FOUND if found.module == module and isinstance(found.display, (Chain, MatrixChain))]
    for chain in chains:
        for number, step in enumerate(chain.steps, start=1):
            for kind, tex in mutants(step.tex):
                outcome = _attack(chain, number, step, tex)
                kills[(kind, outcome == "killed")] += 1
                if outcome == "equivalent":
                    equivalent.append({"kind": kind, "where": step.where, "original": step.tex, "mutant": tex})
                elif outcome != "killed":
                    holes.append(outcome)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    record = {
        "module": module,
        "chains": len(chains),
        "mutants_by_kind": {kind: {"killed": kills[(kind, True)], "survived": kills[(kind, False)]} for kind in sorted({k for k, _ in kills})},
        "equivalent": equivalent,
    }
    (OUTPUT / f"{module}.json").write_text(json.dumps(record, indent=2) + "\n")
    assert not holes, "\n".join(holes)


def test_the_modules_have_steps_to_mutate():
    steps = sum(len(found.display.steps) for found in FOUND if isinstance(found.display, (Chain, MatrixChain)))
    assert steps > 200, steps
