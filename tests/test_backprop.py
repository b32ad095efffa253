"""docs/backprop.md: the recursion against differences of the whole network's cost."""

from __future__ import annotations

import numpy as np
import pytest

from snippets import backprop as claim


@pytest.mark.parametrize(
    "chain",
    [
        claim.output_delta,
        claim.hidden_delta(2),
        claim.hidden_delta(1),
        *[claim.weight_gradient(l) for l in (1, 2, 3)],
        *[claim.bias_gradient(l) for l in (1, 2, 3)],
    ],
    ids=lambda chain: chain.lhs_tex,
)
def test_chain_checks(chain):
    assert len(chain.check()) == len(chain.steps)


@pytest.mark.parametrize("sizes", [[2, 3, 1], [4, 6, 5, 3], [3, 2, 2, 2, 2]])
def test_every_parameter_matches_finite_differences(sizes):
    rng = np.random.default_rng(len(sizes))
    network = claim.random_network(rng, sizes)
    x, y = rng.normal(size=sizes[0]), rng.uniform(size=sizes[-1])
    _, gradients = claim.backprop(network, x, y)
    for (weights, biases), (grad_w, grad_b) in zip(network, gradients):
        for array, grad in ((weights, grad_w), (biases, grad_b)):
            for index in np.ndindex(array.shape):
                original = array[index]
                array[index] = original + 1e-6
                up = claim.cost(network, x, y)
                array[index] = original - 1e-6
                down = claim.cost(network, x, y)
                array[index] = original
                assert abs((up - down) / 2e-6 - grad[index]) < 1e-7


def test_report_covers_every_parameter():
    assert "All 54 parameters agree" in claim.weight_check_report()


@pytest.mark.parametrize("layer", [1, 2, 3])
def test_batch_gradient_is_the_average_of_outer_products(layer):
    chain = claim.batch_weight_gradient(layer)
    assert len(chain.check()) == 2


def test_the_network_runs_on_the_textbook_definitions():
    rng = np.random.default_rng(8)
    network = claim.random_network(rng)
    x, y = rng.normal(size=3), rng.uniform(size=2)
    a = x
    for weights, biases in network:
        a = 1 / (1 + np.exp(-(weights @ a + biases)))
    by_hand = -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a))
    assert claim.cost(network, x, y) == pytest.approx(by_hand, rel=1e-13)


def test_a_network_cost_is_not_convex_in_all_its_weights():
    # Independent of the page's cost: the same 1 → 2 → 1 network evaluated with scipy's expit.
    from scipy.special import expit

    rng = np.random.default_rng(4)
    x = rng.normal(size=(4, 1))
    y = np.array([0.0, 1.0, 1.0, 0.0])
    (w1, b1), (w2, b2) = claim.random_network(rng, [1, 2, 1])

    def cost(w1, b1, w2, b2):
        a = expit(expit(x @ w1.T + b1) @ w2.T + b2)[:, 0]
        return float(-np.mean(y * np.log(a) + (1 - y) * np.log(1 - a)))

    here, swapped = cost(w1, b1, w2, b2), cost(w1[::-1], b1[::-1], w2[:, ::-1], b2)
    middle = cost((w1 + w1[::-1]) / 2, (b1 + b1[::-1]) / 2, (w2 + w2[:, ::-1]) / 2, b2)
    assert here == pytest.approx(swapped) and middle > (here + swapped) / 2 + 1e-3
    assert claim.not_convex_in_all_weights()["cost_midpoint"] == pytest.approx(middle)
