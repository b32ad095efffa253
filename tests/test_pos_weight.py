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
