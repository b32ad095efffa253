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
        assert np.allclose(grad_w, claim.gradient_w.evaluate_step(-1, case), rtol=1e-12, atol=1e-15)
        assert np.isclose(grad_b, claim.gradient_b.evaluate_step(-1, case), rtol=1e-12, atol=1e-15)
        assert np.allclose(neuron_hessian(*args), claim.hessian.evaluate_step(-1, case), rtol=1e-12, atol=1e-15)


def test_hessian_is_positive_semidefinite_even_with_large_logits():
    rng = np.random.default_rng(5)
    for _ in range(100):
        case = claim.make_case(rng)
        case = claim.with_parameters(case, case["w"] * 20, case["b"])
        matrix = claim.hessian.evaluate_step(-1, case)
        assert np.linalg.eigvalsh(matrix).min() >= -1e-15 * max(1.0, np.abs(matrix).max())
    assert claim.smallest_eigenvalues().min() > -1e-14


def test_symbolic_small_case():
    results = claim.symbolic_small_case()
    assert [chain for chain, _ in results] == [claim.gradient_w, claim.gradient_b, claim.hessian]
    assert all(vanishes for _, vanishes in results)


def test_the_symbolic_case_refuses_a_wrong_displayed_formula(monkeypatch):
    wrong = claim.Step(r"\frac{1}{n} X^\top(y - a)", "a flipped sign")
    monkeypatch.setattr(claim.gradient_w, "steps", [*claim.gradient_w.steps[:-1], wrong])
    assert dict((chain.lhs_tex, vanishes) for chain, vanishes in claim.symbolic_small_case())[claim.gradient_w.lhs_tex] is False


def test_the_cost_the_checks_start_from_is_the_textbook_cost():
    rng = np.random.default_rng(3)
    for _ in range(20):
        case = claim.make_case(rng)
        s = 1 / (1 + np.exp(-(case["X"] @ case["w"] + case["b"])))
        by_hand = -np.mean(case["y"] * np.log(s) + (1 - case["y"]) * np.log(1 - s))
        assert np.isclose(claim.cost(case), by_hand, rtol=1e-13)


def test_the_safe_step_never_raises_the_cost_and_a_longer_one_can():
    from snippets.bce import bce_with_logits, neuron_grad

    assert claim.descent_lemma_holds()
    # At θ = 0 every a_i = ½, so the Hessian equals the bound: 2.5/L overshoots along its top direction.
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(40, 2)), rng.uniform(size=40)
    tilde = np.hstack([X, np.ones((40, 1))])
    from snippets.bce import neuron_hessian

    assert np.allclose(neuron_hessian(X, y, np.zeros(2), 0.0), tilde.T @ tilde / 160)
    rate = claim.safe_learning_rate(X)
    assert rate == pytest.approx(160 / np.linalg.eigvalsh(tilde.T @ tilde).max())
    rises = 0
    for scale in (2.5, 3.0):
        w, b = np.zeros(2), 0.0
        for _ in range(30):
            gw, gb = neuron_grad(X, y, w, b)
            before = float(bce_with_logits(X @ w + b, y))
            w, b = w - scale * rate * gw, b - scale * rate * gb
            rises += float(bce_with_logits(X @ w + b, y)) > before
    assert rises > 0
