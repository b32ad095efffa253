"""docs/logits.md: the stable identity on both sides of zero, the combined gradient, the precision table."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.special import expit

from snippets import logits as claim
import mpmath

from snippets.bce import bce_with_logits, bce_with_logits_and_grad


@pytest.mark.parametrize(
    "chain",
    [claim.stable_for_positive_z, claim.stable_for_negative_z, claim.combined_gradient, claim.textbook_form],
    ids=["z>0", "z<0", "gradient", "textbook form"],
)
def test_chain_checks(chain):
    assert len(chain.check()) == len(chain.steps)


def test_naive_form_fails_where_the_stable_one_is_exact():
    assert claim.naive_probability_loss(40.0, 0.0) == np.inf
    assert np.isnan(claim.naive_probability_loss(800.0, 1.0))
    for z, y in ((40.0, 0.0), (-800.0, 1.0), (20.0, 0.0), (3.0, 0.3)):
        exact = claim.exact_loss(z, y)
        assert abs(float(bce_with_logits([z], [y])) - exact) <= 1e-15 * max(1.0, exact)


def test_precision_table_shows_the_breakdown():
    table = claim.precision_table()
    assert "**inf**" in table and "**nan**" in table


def test_float64_saturation_points():
    facts = claim.float64_saturation()
    upper, lower = facts["one_minus_sigma_is_zero_from"], facts["derivative_is_zero_below"]
    sigma = expit
    assert 1 - sigma(upper + 1e-9) == 0 and 1 - sigma(upper - 1e-6) > 0
    # 53 ln 2: beyond it e^{-z} < 2^-53, half a unit in the last place of 1, and 1 + e^{-z} rounds to 1.
    assert abs(upper - 53 * np.log(2)) < 0.01
    assert sigma(lower - 1e-6) * (1 - sigma(lower - 1e-6)) == 0 and sigma(lower + 1e-6) > 0
    assert -710 < lower < -709  # where e^{-z} overflows: 709.78 = ln(largest double)
    assert abs(facts["exp_is_zero_below"] - (-745.13)) < 0.01  # below half the smallest subnormal
    assert 8e-17 < facts["derivative_at_minus_37"] < 9e-17


def _exact(z: float, y: float) -> float:
    """(1−y)·ln(1+e^z) + y·ln(1+e^{−z}) at 60 digits, for the float64 values of z and y exactly."""
    with mpmath.workdps(60):
        z, y = mpmath.mpf(z), mpmath.mpf(y)
        return float((1 - y) * mpmath.log1p(mpmath.exp(z)) + y * mpmath.log1p(mpmath.exp(-z)))


SOFT_NEAR_HARD = [(z, y) for z in (700.0, 300.0, 40.0, -40.0, -300.0, -700.0) for y in (1 - 1e-13, 1 - 1e-7, 1e-13, 1e-7, 0.5)]


@pytest.mark.parametrize(("z", "y"), SOFT_NEAR_HARD)
def test_soft_targets_near_0_and_1_at_large_logits_are_exact_on_both_paths(z, y):
    exact = _exact(z, y)
    for computed in (float(bce_with_logits([z], [y])), float(bce_with_logits_and_grad([z], [y])[0])):
        assert abs(computed - exact) <= 4.5e-16 * exact, (computed, exact)


def test_the_textbook_form_cancels_where_the_page_says_it_does():
    exact = _exact(700.0, 1 - 1e-13)
    assert abs(claim.textbook_loss(700.0, 1 - 1e-13) - exact) / exact > 1e-5


def test_the_traps_the_page_shows_happen_in_pytorch_too():
    torch = pytest.importorskip("torch")
    # BCELoss clamps the logarithm at −100: σ(40) rounds to 1 and the loss reads 100.
    probability = torch.sigmoid(torch.tensor([40.0], dtype=torch.float64))
    assert float(torch.nn.BCELoss()(probability, torch.tensor([0.0], dtype=torch.float64))) == -claim.TORCH_LOG_CLAMP
    assert float(torch.nn.BCEWithLogitsLoss()(torch.tensor([40.0], dtype=torch.float64), torch.tensor([0.0], dtype=torch.float64))) == pytest.approx(40.0)
    # A sigmoid before BCEWithLogitsLoss: the loss sees σ(σ(z)).
    z = torch.tensor([10.0], dtype=torch.float64)
    doubled = float(torch.nn.BCEWithLogitsLoss()(torch.sigmoid(z), torch.tensor([1.0], dtype=torch.float64)))
    assert doubled == pytest.approx(claim.sigmoid_before_with_logits()["wrong"], rel=1e-12)


def test_recorded_pytorch_gradients_are_what_pytorch_computes(torch):
    recorded = json.loads(claim.PYTORCH_GRADIENTS.read_text())
    assert recorded["pytorch"] == torch.__version__
    for case in recorded["cases"]:
        options = claim.GRADIENT_OPTIONS[case["options"]]
        logit = torch.tensor([case["z"]], dtype=torch.float64, requires_grad=True)
        keywords = {key: torch.tensor([value], dtype=torch.float64) for key, value in options.items()}
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logit, torch.tensor([case["y"]], dtype=torch.float64), reduction="sum", **keywords)
        loss.backward()
        assert logit.grad.item() == case["gradient"], case


def test_the_gradient_comparison_shows_pytorch_cancelling_and_the_reference_not():
    rows = {(row["options"], row["z"], row["y"]): row for row in claim.gradient_comparison()}  # raises beyond the bound
    example = rows["plain", 35.0, 1 - 1e-13]
    assert example["pytorch"] > 1e-4 and example["reference"] <= np.finfo(float).eps
    # Near 0 nothing is rounded near 1: PyTorch keeps every digit there too.
    assert rows["plain", -35.0, 1e-13]["pytorch"] <= np.finfo(float).eps
    # Where σ(z) and y agree to nearly every digit, the reference's error is relative to the condition.
    matched = rows["plain", 25.0, claim.SIGMOID_25]
    assert matched["condition"] > 1e5 and matched["reference"] <= 8 * np.finfo(float).eps * matched["condition"]


def test_digit_counts_are_counted_from_the_values():
    twenty = claim.naive_form_at(20.0)
    # The exact 20.000000002061154 and the naive 19.999999966169824 agree to 9 digits, rounded, not to 10.
    assert f"{twenty['naive']:.8e}" == f"{twenty['exact']:.8e}" and f"{twenty['naive']:.9e}" != f"{twenty['exact']:.9e}"
    assert twenty["digits"] == 9
    # The logarithm turns the relative error of 1 − σ(20) into an absolute error of the same size.
    assert twenty["absolute_error"] == pytest.approx(twenty["complement_error"], rel=0.01)
    assert claim.agreeing_digits(1.0, 2.0) == 0 and claim.agreeing_digits(0.1, 0.1) == 17
