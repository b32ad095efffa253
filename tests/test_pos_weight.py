"""The claims of docs/pos_weight.md, checked again and harder, PyTorch as the oracle."""

from __future__ import annotations

import re

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq
from scipy.special import expit, logit

from snippets import pos_weight as claim
from bce_proofs import parse_tex

CHAINS = [
    claim.gradient,
    claim.curvature,
    claim.minimiser,
    claim.prediction_at_minimum,
    claim.minimum_value,
    claim.expected_loss,
    claim.threshold,
    claim.recovered,
    claim.balancing,
    claim.stable,
    claim.stable_gradient,
    claim.ranking,
    claim.least_cost_threshold,
]


@pytest.mark.parametrize("chain", CHAINS, ids=lambda chain: chain.lhs_tex)
def test_every_displayed_chain_checks(chain):
    assert len(chain.check()) == len(chain.steps)


def _loss(logits, targets, weight, positive_weight):
    return weight * (positive_weight * targets * np.logaddexp(0, -logits) + (1 - targets) * np.logaddexp(0, logits))


def test_definition_and_gradient_match_pytorch(torch):
    rng = np.random.default_rng(11)
    size = 300
    logits, targets = rng.uniform(-10, 10, size), rng.uniform(0, 1, size)
    weights, positive_weights = rng.uniform(0.1, 5, size), rng.uniform(0.05, 20, size)
    tensor = torch.tensor(logits, requires_grad=True)
    expected = torch.nn.BCEWithLogitsLoss(weight=torch.tensor(weights), pos_weight=torch.tensor(positive_weights), reduction="none")(
        tensor, torch.tensor(targets)
    )
    expected.sum().backward()
    loss = sp.lambdify((claim.z, claim.y, claim.omega, claim.p), claim.LOSS, "numpy")
    grad = sp.lambdify((claim.z, claim.y, claim.omega, claim.p), claim.gradient.lhs_value, "numpy")
    assert loss(logits, targets, weights, positive_weights) == pytest.approx(expected.detach().numpy(), rel=1e-10)
    assert grad(logits, targets, weights, positive_weights) == pytest.approx(tensor.grad.numpy(), rel=1e-9, abs=1e-12)


@settings(max_examples=50, deadline=None)
@given(st.floats(0.02, 0.98), st.floats(0.05, 20), st.floats(0.1, 5))
def test_minimiser_is_the_root_of_a_finite_difference_derivative(target, positive_weight, weight):
    derivative = lambda v: (_loss(v + 1e-6, target, weight, positive_weight) - _loss(v - 1e-6, target, weight, positive_weight)) / 2e-6
    root = brentq(derivative, -40, 40, xtol=1e-12)
    assert root == pytest.approx(logit(target) + np.log(positive_weight), abs=1e-5)
    value = float(claim.minimum_value.lhs_value.subs({claim.y: target, claim.p: positive_weight, claim.omega: weight}))
    assert _loss(root, target, weight, positive_weight) == pytest.approx(value, rel=1e-9)
    for nearby in (root - 0.05, root + 0.05):
        assert _loss(nearby, target, weight, positive_weight) > value


@pytest.mark.parametrize("positives, positive_weight", [(5, 19.0), (10, 9.0), (20, 2.5), (50, 0.5)])
def test_trained_intercept_with_pytorch(torch, positives, positive_weight):
    labels = torch.zeros(100, dtype=torch.float64)
    labels[:positives] = 1
    bias = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(positive_weight, dtype=torch.float64))
    optimiser = torch.optim.LBFGS([bias], tolerance_grad=1e-14, tolerance_change=1e-16, max_iter=200, line_search_fn="strong_wolfe")

    def closure():
        optimiser.zero_grad()
        loss = loss_fn(bias.expand(100), labels)
        loss.backward()
        return loss

    optimiser.step(closure)
    fraction = positives / 100
    trained = float(torch.sigmoid(bias.detach()))
    assert trained == pytest.approx(positive_weight * fraction / (positive_weight * fraction + 1 - fraction), abs=1e-8)
    assert float(torch.sigmoid(bias.detach() - np.log(positive_weight))) == pytest.approx(fraction, abs=1e-8)
    assert claim.trained_intercept(labels.numpy(), positive_weight) == pytest.approx(trained, abs=1e-7)
    if positive_weight == (100 - positives) / positives:
        assert trained == pytest.approx(0.5, abs=1e-8)


@settings(max_examples=50, deadline=None)
@given(st.floats(0.01, 0.99), st.floats(0.05, 20))
def test_threshold_half_is_probability_one_over_one_plus_p(probability, positive_weight):
    output = positive_weight * probability / (positive_weight * probability + 1 - probability)
    assert (output > 0.5) == (probability > 1 / (1 + positive_weight)) or abs(probability - 1 / (1 + positive_weight)) < 1e-12
    assert expit(logit(output) - np.log(positive_weight)) == pytest.approx(probability, rel=1e-9)


def test_weighted_intercept_is_the_weighted_mean():
    rng = np.random.default_rng(4)
    for _ in range(5):
        labels = rng.integers(0, 2, 9).astype(float)
        labels[:2] = (0.0, 1.0)
        weights = rng.uniform(0.1, 4, 9)
        assert claim.trained_intercept(labels, 1.0, weights) == pytest.approx(np.sum(weights * labels) / np.sum(weights), abs=1e-7)


def test_each_chain_reads_true_as_one_line_of_equalities():
    # "lhs = step = step": a condition written into the left-hand side ("q where … = 1/2")
    # would read as a false equality (1/2 = 1/(1+p)).
    for chain in (claim.threshold, claim.recovered, claim.balancing, claim.expected_loss):
        outside_subscripts = re.sub(r"_\{[^{}]*\}", "", chain.lhs_tex)  # |_{y=1} evaluates, it claims nothing
        assert "=" not in outside_subscripts, chain.lhs_tex



def test_a_parsed_loss_that_leaves_the_reference_is_refused_naming_its_definition(monkeypatch):
    """The reference moved by one part in a thousand: the agreement the page states is refused."""
    reference = claim.bce.bce_with_logits
    monkeypatch.setattr(claim.bce, "bce_with_logits", lambda *args, **kwargs: 1.001 * reference(*args, **kwargs))
    with pytest.raises(claim.StepError, match=rf"^{re.escape(claim.weighted.where)}: the parsed ℓ or its derivative differs from snippets.bce by 1\.0e-03"):
        claim.reference_agreement()


def _stable_tex_in_float64(logits, targets, weight, positive_weight):
    """The page's stable form, term by term as displayed, in float64: no exponential of a positive number."""
    softplus_tail = np.log1p(np.exp(-np.abs(logits)))
    return weight * ((1 - targets) * (np.maximum(logits, 0) + softplus_tail) + positive_weight * targets * (np.maximum(-logits, 0) + softplus_tail))


def test_the_stable_form_is_finite_and_exact_where_the_form_on_probabilities_fails():
    import mpmath

    logits = np.array([-745.0, -700.0, -40.0, 37.0, 40.0, 700.0, 745.0])
    for target, positive_weight in ((0.0, 3.0), (1.0, 3.0), (0.3, 0.2)):
        stable = _stable_tex_in_float64(logits, target, 1.5, positive_weight)
        with mpmath.workdps(50):
            exact = [
                1.5 * (positive_weight * target * mpmath.log1p(mpmath.exp(-mpmath.mpf(z))) + (1 - target) * mpmath.log1p(mpmath.exp(mpmath.mpf(z))))
                for z in logits
            ]
        assert np.all(np.isfinite(stable))
        assert np.allclose(stable, [float(value) for value in exact], rtol=1e-14, atol=1e-300)  # subnormals: absolute
    with np.errstate(all="ignore"):
        on_probabilities = -(3.0 * np.log(expit(logits)) + 0 * np.log(1 - expit(logits)))
    assert not np.all(np.isfinite(on_probabilities))  # at z = -745 σ(z) underflows to 0


def test_stable_gradient_matches_pytorch_autograd(torch):
    rng = np.random.default_rng(12)
    logits, targets = rng.uniform(-30, 30, 400), rng.uniform(0, 1, 400)
    weights, positive_weights = rng.uniform(0.1, 5, 400), rng.uniform(0.05, 20, 400)
    z = torch.tensor(logits, requires_grad=True)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(
        z, torch.tensor(targets), weight=torch.tensor(weights), pos_weight=torch.tensor(positive_weights), reduction="sum"
    )
    loss.backward()
    symbols = {"z": claim.z, "y": claim.y, "omega": claim.omega, "p": claim.p}
    displayed = sp.lambdify(tuple(symbols.values()), parse_tex(claim.stable_gradient.steps[-1].tex, symbols), "numpy")
    assert np.allclose(displayed(logits, targets, weights, positive_weights), z.grad.numpy(), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("positive_weight", [0.2, 1.0, 3.0, 9.0])
def test_the_least_cost_decision_switches_at_one_over_one_plus_p(positive_weight):
    frequencies = np.linspace(0.001, 0.999, 9999)
    predict_one_is_cheaper = (1 - frequencies) < positive_weight * frequencies
    switch = frequencies[np.argmax(predict_one_is_cheaper)]
    assert abs(switch - 1 / (1 + positive_weight)) <= frequencies[1] - frequencies[0]


def test_the_weighted_output_ranks_as_the_frequency_does():
    frequencies = np.linspace(0.001, 0.999, 999)
    for positive_weight in (0.05, 0.5, 2.0, 20.0):
        output = positive_weight * frequencies / (positive_weight * frequencies + 1 - frequencies)
        assert np.all(np.diff(output) > 0)


def test_pos_weight_moves_only_the_bias_when_the_frequencies_are_logistic_and_the_slope_when_not(torch):
    report = claim.slope_and_bias_report()
    assert abs(report["logistic"]["weighted"][0] - report["logistic"]["plain"][0]) < 1e-6
    assert abs(report["logistic"]["bias_shift"] - np.log(report["p"])) < 1e-6
    assert abs(report["not logistic"]["weighted"][0] - report["not logistic"]["plain"][0]) > 1e-2
    # The weighted fit again, with PyTorch's loss and optimiser as the oracle.
    inputs = np.linspace(*report["inputs"], report["count"])
    targets = np.where(inputs < 0.0, 0.05, 0.4)
    theta = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    optimiser = torch.optim.LBFGS([theta], max_iter=500, tolerance_grad=1e-13, tolerance_change=1e-16, line_search_fn="strong_wolfe")
    x, y = torch.tensor(inputs), torch.tensor(targets)

    def closure():
        optimiser.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(theta[0] * x + theta[1], y, pos_weight=torch.tensor(report["p"], dtype=torch.float64))
        loss.backward()
        return loss

    optimiser.step(closure)
    assert np.allclose(theta.detach().numpy(), report["not logistic"]["weighted"], atol=1e-6)
