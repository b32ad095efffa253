"""The numbers of docs/worked_example.md, redone with numpy and PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit

from snippets import worked_example as claim

CHAINS = [
    claim.start_prediction,
    claim.start_cost,
    claim.gradient_w,
    claim.gradient_b,
    claim.new_w,
    claim.new_b,
    *claim.new_logits,
    claim.new_cost,
]
X = np.array(claim.INPUTS, dtype=float)
Y = np.array(claim.TARGETS, dtype=float)


@pytest.mark.parametrize("chain", CHAINS, ids=lambda chain: chain.lhs_tex)
def test_every_displayed_chain_checks(chain):
    assert len(chain.check()) == len(chain.steps)


def _cost(w, b):
    a = expit(w * X + b)
    return float(np.mean(-(Y * np.log(a) + (1 - Y) * np.log(1 - a))))


def test_step_with_numpy_finite_differences():
    h = 1e-6
    grad_w = (_cost(h, 0) - _cost(-h, 0)) / (2 * h)
    grad_b = (_cost(0, h) - _cost(0, -h)) / (2 * h)
    assert (grad_w, grad_b) == pytest.approx((-0.5, -1 / 6), abs=1e-9)
    assert tuple(float(v) for v in claim.START_GRADIENT) == pytest.approx((grad_w, grad_b), abs=1e-9)
    w1, b1 = -claim.RATE * grad_w, -claim.RATE * grad_b
    assert tuple(float(v) for v in claim.NEW_PARAMETERS) == pytest.approx((w1, b1), abs=1e-9)
    assert float(claim.cost_value(*claim.NEW_PARAMETERS)) == pytest.approx(_cost(w1, b1), rel=1e-9)
    assert _cost(w1, b1) < _cost(0, 0) == pytest.approx(np.log(2))
    assert np.all(np.abs(expit(w1 * X + b1) - Y) < 0.5)  # every prediction moved towards its target


def test_step_with_pytorch():
    torch = pytest.importorskip("torch", reason="PyTorch (the oracle) is not installed: `make test` installs it")
    w = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    b = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    optimiser = torch.optim.SGD([w, b], lr=claim.RATE)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(w * torch.tensor(X) + b, torch.tensor(Y))
    loss.backward()
    assert (w.grad.item(), b.grad.item()) == pytest.approx([float(v) for v in claim.START_GRADIENT], abs=1e-15)
    optimiser.step()
    assert (w.item(), b.item()) == pytest.approx([float(v) for v in claim.NEW_PARAMETERS], abs=1e-15)
    after = torch.nn.functional.binary_cross_entropy_with_logits(w * torch.tensor(X) + b, torch.tensor(Y))
    assert after.item() == pytest.approx(float(claim.cost_value(*claim.NEW_PARAMETERS)), rel=1e-12)
