"""docs/closed_form.md: Newton converges, soft targets are fitted exactly, separable data has no minimiser."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy.optimize import minimize

from snippets import closed_form as claim
from snippets.bce import bce_with_logits, neuron_grad, neuron_hessian


def test_newton_reaches_a_stationary_point_that_bfgs_agrees_with():
    X, y = claim.overlapping_data()
    theta, history = claim.newton(X, y)
    assert history[-1][2] < 1e-12
    design = claim.design(X)
    result = minimize(lambda t: bce_with_logits(design @ t, y), np.zeros(3), jac=lambda t: np.append(*neuron_grad(X, y, t[:-1], t[-1])), method="BFGS", options={"gtol": 1e-10})
    assert np.allclose(theta, result.x, atol=1e-6)


def test_newton_converges_quadratically_near_the_minimum():
    _, history = claim.newton(*claim.overlapping_data())
    norms = [row[2] for row in history]
    close = [n for n in norms if n < 1e-3]
    assert len(close) >= 3
    # |g_{k+1}| <= c |g_k|^2: linear convergence would leave |g_{k+1}| / |g_k|^2 growing without bound.
    assert all(later < 100 * earlier**2 for earlier, later in zip(close, close[1:]))


def test_soft_targets_are_fitted_exactly():
    X, y, true_theta = claim.soft_target_data()
    theta, _ = claim.newton(X, y)
    fitted = 1 / (1 + np.exp(-(X @ theta[:-1] + theta[-1])))
    assert np.max(np.abs(fitted - y)) < 1e-12 and np.allclose(theta, true_theta, rtol=0, atol=1e-10)
    assert "After" in claim.soft_fit_report()


def test_separable_data_cost_decreases_without_end_and_gradient_never_vanishes():
    costs, always_descending = claim.separating_direction_decreases_cost(claim.separable_data())
    assert always_descending
    assert all(b < a for a, b in zip(costs, costs[1:])) and costs[-1] > 0


def test_stationarity_is_an_unsolvable_quintic():
    assert len(claim.stationarity_polynomial.check()) == 2
    facts = claim.quintic_has_no_formula()
    assert facts["irreducible"] and facts["positive_roots"] == 1 and not facts["solvable"] and facts["symmetric_group_is_S5"]
    # The root is the minimiser: BFGS on C(w) itself lands on it.
    x, y = np.array([1.0, 4.0]), np.array([1 / 3, 1 / 2])
    result = minimize(lambda w: bce_with_logits(x * w[0], y), np.zeros(1), method="BFGS", options={"gtol": 1e-12})
    assert abs(result.x[0] - facts["weight"]) < 1e-6


def test_undamped_newton_diverges_where_damped_newton_converges():
    full, damped = claim.undamped_newton_fails()
    assert full[-1][1] > 100 * full[0][1]
    X, y = claim.overlapping_data()
    theta, _ = claim.newton(X, y)
    assert np.allclose(claim.newton(X, y, start=claim.NEWTON_START)[0], theta, atol=1e-9)
    assert all(later[1] <= earlier[1] for earlier, later in zip(damped, damped[1:]))


def test_a_weight_penalty_alone_leaves_the_bias_unbounded():
    costs, descending = claim.all_one_labels_with_weight_penalty()
    assert descending and all(b < a for a, b in zip(costs, costs[1:]))
    theta, norm = claim.penalise_everything()
    assert norm < 1e-12 and np.all(np.isfinite(theta))


def _has_a_strict_minimiser(X, y) -> bool:
    """Damped Newton reached a point with gradient ≈ 0 and a positive definite Hessian: a certificate."""
    theta, history = claim.newton(X, y, iterations=60)
    hessian = neuron_hessian(X, y, theta[:-1], theta[-1])
    return history[-1][2] < 1e-9 and np.linalg.eigvalsh(hessian).min() > 1e-6


def _is_a_descent_for_ever(X, y, v) -> bool:
    """The certificate the criterion returns, checked by hand: no term grows along v, and some term falls."""
    margins = claim.design(X) @ v
    ones, zeros, interior = y == 1, y == 0, (y > 0) & (y < 1)
    return bool(np.all(margins[ones] >= -1e-12) and np.all(margins[zeros] <= 1e-12) and np.allclose(margins[interior], 0) and np.abs(margins).max() > 1e-9)


@pytest.mark.parametrize("seed", range(40))
def test_the_existence_criterion_agrees_with_newtons_method(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 9))
    X = rng.normal(size=(n, 1))
    kind = seed % 4
    if kind == 0:  # hard labels, often separable
        y = (X[:, 0] + rng.normal(scale=0.5, size=n) > 0).astype(float)
    elif kind == 1:  # soft targets strictly inside (0, 1): always a minimiser
        y = rng.uniform(0.05, 0.95, size=n)
    elif kind == 2:  # quasi-complete: the middle point carries both labels
        X = np.vstack([X[: n - 2], [[0.0], [0.0]]])
        y = np.append((X[: n - 2, 0] > 0).astype(float), [0.0, 1.0])
    else:  # mixed hard and soft
        y = np.where(rng.uniform(size=n) < 0.5, (X[:, 0] > 0).astype(float), rng.uniform(0.1, 0.9, size=n))
    exists = claim.minimiser_exists(X, y)
    assert exists is not None  # one feature and a bias: full column rank unless every x is equal
    if exists:
        assert _has_a_strict_minimiser(X, y)
    else:
        assert _is_a_descent_for_ever(X, y, claim.separating_direction(X, y))
        theta, _ = claim.newton(X, y, iterations=60)  # wherever Newton stopped, the cost still falls along v
        v = claim.separating_direction(X, y)
        assert claim._cost(X, y, theta + 5 * v) < claim._cost(X, y, theta)
    if kind == 1:
        assert exists


def test_quasi_complete_separation_has_no_minimiser_though_bfgs_reports_success():
    report = claim.quasi_separation_report()
    assert report["slope_always_negative"] and report["every_cost_above"]
    assert report["infimum"] == sp.log(2) / 2
    assert report["bfgs_success"] and report["bfgs_weight"] > 5 and report["bfgs_cost_gap"] > 0
    assert list(report["separating_direction"]) == [1.0, 0.0]


def test_a_duplicated_feature_makes_a_line_of_minimisers_and_a_singular_hessian():
    report = claim.duplicated_feature_report()
    assert report["rank"] < report["columns"] and report["solve_raises"] and report["same_cost_on_the_line"]
    assert report["exists"] is None


def test_on_separable_data_every_newton_step_is_a_full_one_though_its_length_varies():
    # The page says the line search never shortens a step (alpha = 1 throughout), not that the step
    # never shrinks: its length does fall at some iterations.
    _, history = claim.newton(*claim.separable_data(), iterations=12)
    costs, steps, lengths = ([row[index] for row in history] for index in (1, 3, 4))
    assert all(later < earlier for earlier, later in zip(costs, costs[1:]))
    assert all(length == 1.0 for length in lengths)
    assert any(later < earlier for earlier, later in zip(steps, steps[1:]))


def test_sigma_is_zero_in_float64_where_exp_of_minus_z_overflows_not_where_exp_z_underflows():
    from scipy.special import expit

    from snippets.logits import float64_saturation

    limits = float64_saturation()
    below = limits["derivative_is_zero_below"] - 1.0
    with np.errstate(over="ignore"):
        assert np.exp(-below) == np.inf and expit(below) == 0.0
    assert np.exp(below) > 0.0  # e^z is still representable there: no underflow yet
    assert np.exp(limits["exp_is_zero_below"] - 1.0) == 0.0 and limits["exp_is_zero_below"] < limits["derivative_is_zero_below"] - 30
