"""docs/matrix_form.md: gradient, Hessian and convexity, on more and harder cases."""

from __future__ import annotations

import numpy as np
import pytest

from snippets import matrix_form as claim
from snippets.bce import neuron_grad, neuron_hessian


@pytest.mark.parametrize("chain", [claim.gradient_w, claim.gradient_b, claim.hessian, claim.quadratic_form], ids=lambda c: c.lhs_tex)
def test_chain_checks(chain):
    assert len(chain.check()) == len(chain.steps)


def test_formulas_agree_with_the_reference_implementation():
    rng = np.random.default_rng(99)
    for _ in range(30):
        case = claim.make_case(rng)
        args = (case["X"], case["y"], case["w"], case["b"])
        grad_w, grad_b = neuron_grad(*args)
        assert np.allclose(grad_w, claim.gradient_w.steps[-1].compute(case), rtol=1e-12, atol=1e-15)
        assert np.isclose(grad_b, claim.gradient_b.steps[-1].compute(case), rtol=1e-12, atol=1e-15)
        assert np.allclose(neuron_hessian(*args), claim.hessian.steps[-1].compute(case), rtol=1e-12, atol=1e-15)


def test_hessian_is_positive_semidefinite_even_with_large_logits():
    rng = np.random.default_rng(5)
    for _ in range(100):
        case = claim.make_case(rng)
        case["w"] *= 20
        matrix = claim.hessian.steps[-1].compute(case)
        assert np.linalg.eigvalsh(matrix).min() >= -1e-15 * max(1.0, np.abs(matrix).max())
    assert claim.smallest_eigenvalues().min() > -1e-14


def test_symbolic_small_case():
    assert claim.symbolic_small_case() == (True, True)
