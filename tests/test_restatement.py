"""A display whose right-hand side is its own left-hand side in disguise (`bce_proofs.restatement`).

Run over every display the claim modules define: no chain restates itself (the engine refuses one),
and the definitions that restate the engine's own reading are σ(z) and H(y).
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from displays import displays
from bce_proofs import Chain, Step, StepError, sigmoid
from bce_proofs import matrix_tex
from bce_proofs.chain import Definition
from bce_proofs.matrix_chain import MatrixChain
from bce_proofs.restatement import ENGINE_READING, restates_itself

z = sp.Symbol("z", real=True)


def _matrix_restates(chain: MatrixChain) -> bool:
    declared = tuple(sorted(set(chain.make_case(np.random.default_rng(0))) | set(chain.names)))
    try:
        lhs = matrix_tex.parse(chain.lhs_tex, declared, chain.rows)
    except Exception:  # noqa: BLE001  a left-hand side such as \nabla_w C is a name, not a formula
        return False
    return matrix_tex.to_text(lhs) == matrix_tex.to_text(matrix_tex.parse(chain.steps[-1].tex, declared, chain.rows))


def test_no_chain_of_the_site_restates_its_left_hand_side():
    found = displays()
    chains = [item for item in found if isinstance(item.display, Chain)]
    matrix_chains = [item for item in found if isinstance(item.display, MatrixChain)]
    assert len(chains) > 80 and len(matrix_chains) > 40
    assert [item.name for item in chains if restates_itself(item.display.lhs_tex, item.display.steps[-1].tex, item.display._declared())] == []
    assert [item.name for item in matrix_chains if _matrix_restates(item.display)] == []


def test_the_definitions_that_restate_the_engines_reading_are_sigma_and_entropy():
    restating = sorted(
        (item.module, item.name)
        for item in displays()
        if isinstance(item.display, Definition)
        and restates_itself(item.display.lhs_tex, item.display.rhs_tex, {symbol.name: symbol for symbol in item.display.symbols})
    )
    assert restating == [("snippets.cost", "entropy"), ("snippets.soft_target_minimum", "logistic")]
    assert ENGINE_READING in dict(((m, n), d) for m, n, d in displays())[("snippets.soft_target_minimum", "logistic")].markdown()


def test_a_chain_that_restates_its_left_hand_side_is_refused():
    with pytest.raises(StepError, match="the left-hand side itself as the engine reads it"):
        Chain(r"\sigma(z)", sigmoid(z), [Step(r"\frac{1}{1+e^{-z}}", "")], {z: (-8.0, 8.0)}).check()


def test_a_chain_whose_first_step_only_unfolds_a_definition_still_proves_its_result():
    # σ(−z) = 1/(1+e^{z}) = … = 1 − σ(z): the first step is σ read at −z, the result is not.
    chain = Chain(r"\sigma(-z)", sigmoid(-z), [Step(r"\frac{1}{1+e^{z}}", ""), Step(r"1 - \sigma(z)", "")], {z: (-8.0, 8.0)})
    assert chain.status == "proved"
