"""The chains on the reference page (snippets/bce_derivations.py): they check, a wrong step does not, and they are the code's formulas."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import sympy as sp

from snippets import bce, softmax_ce
from snippets import bce_derivations as derivations
from bce_proofs import Step, StepError

RNG = np.random.default_rng(99)


@pytest.mark.parametrize(
    "chain",
    [derivations.weighted_loss, derivations.weighted_gradient, derivations.smoothed_loss, derivations.smoothed_gradient, derivations.binary_as_two_classes],
    ids=["weighted loss", "weighted gradient", "smoothed loss", "smoothed gradient", "two classes"],
)
def test_page_chains_check(chain):
    assert len(chain.check()) == len(chain.steps)


@pytest.mark.parametrize("classes", [2, 4])
def test_softmax_chains_hold_for_other_numbers_of_classes(classes):
    assert len(derivations.softmax_loss(classes).check()) == 2
    assert len(derivations.softmax_gradient(classes).check()) == 2


@pytest.mark.parametrize(
    ("chain", "wrong"),
    [
        (derivations.weighted_loss, derivations.STABLE_TEX.replace(r"p\,y\left(", r"y\left(")),
        (derivations.weighted_loss, r"\omega\left[p\,(1-y)\ln(1+e^{z}) + y\ln(1+e^{-z})\right]"),
        (derivations.weighted_gradient, r"\omega\left[(1-y+p\,y)\,\sigma(z) - y\right]"),
        (derivations.smoothed_loss, derivations.smoothed_loss.steps[1].tex.replace("m +", "")),
        (derivations.smoothed_gradient, derivations.smoothed_gradient.steps[1].tex.replace(r"\frac{\varepsilon}{3}", r"\varepsilon")),
        (derivations.smoothed_gradient, derivations.smoothed_gradient.steps[0].tex.replace("- y'_{1}", "+ y'_{1}")),
        # Class 1's target with class 2's logit first: the convention the page once stated.
        (derivations.binary_as_two_classes, derivations.binary_as_two_classes.steps[0].tex.replace("z_{1}-z_{2}", "z_{2}-z_{1}")),
    ],
)
def test_a_wrong_step_fails(chain, wrong):
    broken = dataclasses.replace(chain, steps=[Step(wrong, "wrong on purpose")])
    # When a symbol cancels from the difference, the engine's random points leave it unset and
    # evaluating the step raises TypeError instead of StepError: the check fails either way.
    with pytest.raises((StepError, TypeError)):
        broken.check()


def test_the_page_formula_is_the_code_for_the_weighted_loss_and_gradient():
    z, y = RNG.normal(0, 5, 30), RNG.uniform(size=30)
    w, p = RNG.uniform(0, 3, 30), RNG.uniform(0.1, 5, 30)
    loss = sp.lambdify((derivations.z, derivations.y, derivations.omega, derivations.p), derivations.weighted_element_loss)
    grad = sp.lambdify((derivations.z, derivations.y, derivations.omega, derivations.p), derivations.weighted_gradient.lhs_value)
    options = {"weight": w, "pos_weight": p, "reduction": "none"}
    assert np.allclose(bce.bce_with_logits(z, y, **options), loss(z, y, w, p), rtol=1e-12)
    assert np.allclose(bce.bce_grad_logits(z, y, **options), grad(z, y, w, p), rtol=1e-10, atol=1e-15)


def test_the_page_formula_is_the_code_for_the_smoothed_softmax_loss_and_gradient():
    chain = derivations.smoothed_loss
    logits, targets, smoothing = derivations._softmax_symbols(3)
    for _ in range(10):
        z, y = RNG.normal(0, 3, 3), RNG.dirichlet(np.ones(3))
        epsilon = RNG.uniform()
        point = {**dict(zip(logits, z)), **dict(zip(targets, y[:2])), smoothing: epsilon}
        expected_loss = float(chain.lhs_value.evalf(30, subs=point))
        expected_grad = float(derivations.smoothed_gradient.lhs_value.evalf(30, subs=point))
        assert softmax_ce.softmax_cross_entropy([z], [y], label_smoothing=epsilon) == pytest.approx(expected_loss, rel=1e-12)
        got_grad = softmax_ce.softmax_cross_entropy_grad([z], [y], label_smoothing=epsilon)[0, 0]
        assert got_grad == pytest.approx(expected_grad, rel=1e-10, abs=1e-14)
