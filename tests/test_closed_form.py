"""docs/closed_form.md: Newton converges, soft targets are fitted exactly, separable data has no minimiser."""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from snippets import closed_form as claim
from snippets.bce import bce_with_logits, neuron_grad


def test_newton_reaches_a_stationary_point_that_bfgs_agrees_with():
    X, y = claim.overlapping_data()
    theta, history = claim.newton(X, y)
    assert history[-1][2] < 1e-12
    design = claim.design(X)
    result = minimize(lambda t: bce_with_logits(design @ t, y), np.zeros(3), jac=lambda t: np.append(*neuron_grad(X, y, t[:-1], t[-1])), method="BFGS", options={"gtol": 1e-10})
    assert np.allclose(theta, result.x, atol=1e-6)


def test_newton_converges_quadratically_near_the_minimum():
    _, history = claim.newton(*claim.overlapping_data())
    norms = [norm for _, _, norm, _ in history]
    close = [n for n in norms if n < 1e-3]
    assert len(close) >= 3
    # |g_{k+1}| <= c |g_k|^2: linear convergence would leave |g_{k+1}| / |g_k|^2 growing without bound.
    assert all(later < 100 * earlier**2 for earlier, later in zip(close, close[1:]))


def test_soft_targets_are_fitted_exactly():
    X, y, true_theta = claim.soft_target_data()
    theta, _ = claim.newton(X, y)
    fitted = 1 / (1 + np.exp(-(X @ theta[:-1] + theta[-1])))
    assert np.max(np.abs(fitted - y)) < 1e-12 and np.allclose(theta, true_theta, atol=1e-10)
    assert "After" in claim.soft_fit_report()


def test_separable_data_cost_decreases_without_end_and_gradient_never_vanishes():
    costs, always_descending = claim.separating_direction_decreases_cost(claim.separable_data())
    assert always_descending
    assert all(b < a for a, b in zip(costs, costs[1:])) and costs[-1] > 0


def test_sympy_cannot_solve_the_stationarity_equation():
    _, answer = claim.stationarity_is_transcendental()
    assert isinstance(answer, str) and "NotImplementedError" in answer
