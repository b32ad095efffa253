"""The claims of docs/softmax.md, checked again and harder, PyTorch and scipy as oracles."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize
from scipy.special import expit
from scipy.stats import entropy

from snippets import softmax as claim
from snippets import softmax_ce

CHAINS = [
    claim.gradient,
    claim.hessian,
    claim.curvature,
    claim.null_direction,
    claim.shift,
    claim.log_probabilities,
    claim.entropy_plus_divergence,
    claim.gibbs_bound,
    claim.minimiser,
    claim.minimum_value,
    claim.one_hot,
    claim.two_class_probability,
    claim.two_class_cost,
]


@pytest.mark.parametrize("chain", CHAINS, ids=lambda chain: chain.lhs_tex)
def test_every_displayed_chain_checks(chain):
    assert len(chain.check()) == len(chain.steps)


def _draw(seed):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 9))
    return rng.normal(scale=3, size=k), rng.dirichlet(np.full(k, 0.7))


@pytest.mark.parametrize("seed", range(10))
def test_cost_gradient_and_hessian_match_pytorch(torch, seed):
    logits, targets = _draw(seed)

    def torch_cost(v):
        return torch.nn.functional.cross_entropy(v.unsqueeze(0), torch.tensor(targets).unsqueeze(0))

    tensor = torch.tensor(logits, requires_grad=True)
    value = torch_cost(tensor)
    value.backward()
    hessian = torch.autograd.functional.hessian(torch_cost, torch.tensor(logits)).numpy()
    p = claim.softmax(logits)
    assert float(claim.cost(logits, targets)) == pytest.approx(value.item(), rel=1e-12)
    assert p - targets == pytest.approx(tensor.grad.numpy(), abs=1e-12)
    assert np.diag(p) - np.outer(p, p) == pytest.approx(hessian, abs=1e-12)
    assert claim.hessian_numeric(logits, targets) == pytest.approx(hessian, abs=1e-8)


@pytest.mark.parametrize("seed", range(10))
def test_hessian_is_psd_with_exactly_the_ones_direction_null(seed):
    logits, targets = _draw(seed)
    p = claim.softmax(logits)
    values, vectors = np.linalg.eigh(np.diag(p) - np.outer(p, p))
    assert values[0] == pytest.approx(0, abs=1e-12) and np.all(values[1:] > 1e-14)
    null = vectors[:, 0]
    assert np.abs(null) == pytest.approx(np.full(len(p), 1 / np.sqrt(len(p))), abs=1e-8)


@pytest.mark.parametrize("seed", range(6))
def test_an_optimiser_finds_softmax_equal_to_the_target_and_the_entropy(seed):
    _, targets = _draw(seed)
    start = np.random.default_rng(100 + seed).normal(size=targets.size)
    found = minimize(lambda v: float(claim.cost(v, targets)), start, jac=lambda v: claim.softmax(v) - targets,
                     method="BFGS", options={"gtol": 1e-12})
    assert claim.softmax(found.x) == pytest.approx(targets, abs=1e-7)
    assert found.fun == pytest.approx(entropy(targets), abs=1e-12)
    shifted = found.x - np.log(targets)
    assert np.ptp(shifted) < 1e-5  # z* = ln y + c·1


def test_one_hot_has_no_finite_minimiser():
    costs = claim.one_hot_costs()
    assert all(cost > 0 for cost in costs) and np.all(np.diff(costs) < 0)
    rng = np.random.default_rng(7)
    for _ in range(50):
        logits = rng.normal(scale=10, size=4)
        target = np.eye(4)[rng.integers(4)]
        gradient = claim.softmax(logits) - target
        assert gradient[target.argmax()] < 0  # never zero: no stationary point


def test_agrees_with_the_reference_implementation():
    for seed in range(5):
        logits, targets = _draw(seed)
        assert float(claim.cost(logits, targets)) == pytest.approx(float(softmax_ce.softmax_cross_entropy([logits], [targets])), rel=1e-12)


@pytest.mark.parametrize("logit, target", [(-30.0, 0.2), (-2.0, 1.0), (0.0, 0.5), (4.0, 0.0), (25.0, 0.9)])
def test_two_classes_is_binary_cross_entropy_in_pytorch(torch, logit, target):
    two = torch.nn.functional.cross_entropy(torch.tensor([[logit, 0.0]], dtype=torch.float64), torch.tensor([[target, 1 - target]], dtype=torch.float64))
    binary = torch.nn.functional.binary_cross_entropy_with_logits(torch.tensor(logit, dtype=torch.float64), torch.tensor(target, dtype=torch.float64))
    assert two.item() == pytest.approx(binary.item(), rel=1e-12)
    assert claim.softmax(np.array([logit, 0.0]))[0] == pytest.approx(expit(logit), rel=1e-12)
