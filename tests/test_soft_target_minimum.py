"""The claims of docs/soft_target_minimum.md, checked again and harder."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit, logit

from snippets import soft_target_minimum as claim

CHAINS = [
    claim.gradient_in_a,
    claim.gradient_in_z,
    claim.curvature_in_a,
    claim.curvature_in_z,
    claim.entropy_plus_divergence,
    claim.gibbs_bound,
]


@pytest.mark.parametrize("chain", CHAINS, ids=lambda chain: chain.lhs_tex)
def test_every_displayed_chain_checks(chain):
    assert len(chain.check()) == len(chain.steps)


def test_symbolic_facts():
    assert claim.stationary_points() == [claim.y]
    assert claim.curvature_in_a_is_positive()
    assert claim.log_bound_holds()
    assert claim.minimum_value_is_entropy()
    for limit, positive in claim.hard_target_limits().values():
        assert limit == 0 and positive


def _cost(logits, targets):
    return np.mean(-(targets * np.log(expit(logits)) + (1 - targets) * np.log(expit(-logits))))


def test_gradient_in_z_matches_finite_differences():
    rng = np.random.default_rng(0)
    logits, targets = rng.normal(size=7), rng.uniform(size=7)
    step = 1e-6
    for index in range(logits.size):
        bump = np.zeros_like(logits)
        bump[index] = step
        numeric = (_cost(logits + bump, targets) - _cost(logits - bump, targets)) / (2 * step)
        assert numeric == pytest.approx((expit(logits[index]) - targets[index]) / logits.size, abs=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0.01, 0.99), min_size=1, max_size=6))
def test_optimiser_finds_logit_and_entropy(targets):
    targets = np.array(targets)
    found, minimum = claim.numeric_minimum(targets)
    assert np.max(np.abs(found - logit(targets))) < 1e-6
    entropy = -targets * np.log(targets) - (1 - targets) * np.log(1 - targets)
    assert abs(minimum - np.mean(entropy)) < 1e-9


def test_kl_is_nonnegative_and_zero_only_at_the_target():
    grid = np.linspace(0.01, 0.99, 99)
    a, y = np.meshgrid(grid, grid)
    divergence = y * np.log(y / a) + (1 - y) * np.log((1 - y) / (1 - a))
    assert divergence.min() >= -1e-15
    assert np.all((np.abs(divergence) < 1e-12) == np.isclose(a, y))


def test_hard_targets_never_reach_zero():
    logits = np.array([1.0, 5.0, 20.0, 30.0])
    costs = np.logaddexp(0, -logits)  # y = 1
    assert np.all(costs > 0) and np.all(np.diff(costs) < 0)


def test_plot_is_an_svg():
    assert claim.cost_curves_svg().startswith("<svg")
