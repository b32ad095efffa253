"""The exercises' solutions (snippets/exercises/): every chain checks, and each is checked again
independently of the engine: finite differences, random points, or an oracle."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from scipy.optimize import minimize_scalar
from scipy.special import entr, expit, logit

PAGES = ["soft_target_minimum", "neuron_gradient", "sign_error", "matrix_form", "differentials", "backprop", "closed_form", "logits"]
MODULES = {page: importlib.import_module(f"snippets.exercises.{page}") for page in PAGES}


def central_difference(f, x, step=1e-6):
    return (f(x + step) - f(x - step)) / (2 * step)


@pytest.mark.parametrize(
    "chain",
    [chain for module in MODULES.values() for chain in module.CHAINS],
    ids=lambda chain: chain.lhs_tex,
)
def test_chain_checks(chain):
    assert len(chain.check()) == len(chain.steps)
    assert chain.status in ("proved", "checked")


def test_every_page_has_exercises_printing_its_chains():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for page, module in MODULES.items():
        text = (root / "docs" / f"{page}.md").read_text()
        section = text[text.index("## Exercises") :]
        assert 2 <= section.count('!!! question "Exercise') <= 3
        assert section.count('??? success "Solution"') == section.count('!!! question "Exercise')
        assert f"from snippets.exercises import {page} as exercises" in section
        for name, value in vars(module).items():
            if any(value is chain for chain in module.CHAINS):
                assert f"exercises.{name}." in section, f"{page}: {name} is not printed"


# --- sign_error -----------------------------------------------------------------------------


def test_sign_error_log_likelihood_gradient_by_finite_differences():
    rng = np.random.default_rng(0)
    for a, y in rng.uniform(0.05, 0.95, size=(50, 2)):
        numeric = central_difference(lambda p: y * np.log(p) + (1 - y) * np.log(1 - p), a)
        assert numeric == pytest.approx((y - a) / (a * (1 - a)), rel=1e-6)


def test_sign_error_tanh_output_by_finite_differences():
    rng = np.random.default_rng(1)
    for z, y, n in zip(rng.uniform(-4, 4, 50), rng.uniform(size=50), rng.integers(1, 20, 50)):

        def cost(t):
            a = (1 + np.tanh(t)) / 2
            return -(y * np.log(a) + (1 - y) * np.log(1 - a)) / n

        a = (1 + np.tanh(z)) / 2
        assert a == pytest.approx(expit(2 * z), rel=1e-12)
        assert central_difference(cost, z) == pytest.approx(2 * (a - y) / n, rel=1e-6, abs=1e-9)


# --- soft_target_minimum ----------------------------------------------------------------------


def term(a, y):
    return -(y * np.log(a) + (1 - y) * np.log(1 - a))


def test_soft_target_minimum_in_the_logit_by_an_optimiser():
    for y in np.random.default_rng(2).uniform(0.02, 0.98, 20):
        found = minimize_scalar(lambda z: term(expit(z), y), bracket=(-1.0, 1.0), tol=1e-12)
        assert found.x == pytest.approx(logit(y), abs=1e-5)
        assert found.fun == pytest.approx(entr(y) + entr(1 - y), abs=1e-10)


def test_soft_target_curvature_at_the_minimum_by_finite_differences():
    for y in np.random.default_rng(3).uniform(0.05, 0.95, 30):
        second = (term(y + 1e-4, y) - 2 * term(y, y) + term(y - 1e-4, y)) / 1e-8
        assert second == pytest.approx(1 / (y * (1 - y)), rel=1e-5)
    grid = np.linspace(0.001, 0.999, 9981)
    curvature = 1 / (grid * (1 - grid))
    assert grid[np.argmin(curvature)] == pytest.approx(0.5) and curvature.min() == pytest.approx(4.0)


def test_soft_target_divergence_and_cost_have_one_gradient():
    rng = np.random.default_rng(4)
    for a, y in rng.uniform(0.05, 0.95, size=(30, 2)):
        divergence = lambda p, y=y: y * np.log(y / p) + (1 - y) * np.log((1 - y) / (1 - p))  # noqa: E731
        assert central_difference(divergence, a) == pytest.approx(central_difference(lambda p: term(p, y), a), rel=1e-7)
        assert central_difference(divergence, a) == pytest.approx((a - y) / (a * (1 - a)), rel=1e-6)


# --- neuron_gradient --------------------------------------------------------------------------


def test_neuron_sigmoid_symmetry_at_random_points():
    z = np.random.default_rng(5).uniform(-30, 30, 1000)
    assert np.allclose(expit(-z), 1 - expit(z), rtol=0, atol=1e-15)
    z = z[np.abs(z) < 8]
    assert np.allclose(central_difference(expit, z), expit(z) * expit(-z), rtol=1e-6, atol=1e-10)


def test_neuron_weight_curvature_by_finite_differences():
    rng = np.random.default_rng(6)
    for w, x, rest, y in zip(rng.uniform(-2, 2, 30), rng.uniform(-2, 2, 30), rng.uniform(-2, 2, 30), rng.uniform(size=30)):
        cost = lambda weight, x=x, rest=rest, y=y: term(expit(weight * x + rest), y)  # noqa: E731
        second = (cost(w + 1e-4) - 2 * cost(w) + cost(w - 1e-4)) / 1e-8
        a = expit(w * x + rest)
        assert second == pytest.approx(x**2 * a * (1 - a), rel=1e-4, abs=1e-7)


# --- matrix_form ------------------------------------------------------------------------------


def gradient_by_differences(f, x, step=1e-6):
    """Central differences of f in each entry of x, with no formula."""
    x = np.asarray(x, dtype=float)
    grad = np.empty_like(x)
    for index in np.ndindex(x.shape):
        bump = np.zeros_like(x)
        bump[index] = step
        grad[index] = (f(x + bump) - f(x - bump)) / (2 * step)
    return grad


def weighted_penalised_cost(X, y, w, b, weights, penalty):
    """(1/n) Σ s_i [softplus(z_i) − y_i z_i] + (λ/2)|w|², the stable per-example form, in numpy."""
    z = X @ w + b
    return float(np.mean(weights * (np.logaddexp(0, z) - y * z)) + penalty / 2 * w @ w)


@pytest.mark.parametrize("seed", range(10))
def test_matrix_form_penalised_and_weighted_gradients_by_finite_differences(seed):
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(3, 12)), int(rng.integers(1, 6))
    X, y, w, b = rng.normal(size=(n, k)), rng.uniform(size=n), rng.normal(size=k), float(rng.normal())
    s, penalty, rate = rng.uniform(0, 3, size=n), float(rng.uniform(0.01, 2)), float(rng.uniform(0.01, 1))
    a = expit(X @ w + b)
    ones = np.ones(n)
    # The penalty alone (every s_i = 1), then the weights alone (λ = 0).
    grad_w = gradient_by_differences(lambda v: weighted_penalised_cost(X, y, v, b, ones, penalty), w)
    grad_b = gradient_by_differences(lambda v: weighted_penalised_cost(X, y, w, v, ones, penalty), np.array(b))
    assert np.allclose(grad_w, X.T @ (a - y) / n + penalty * w, atol=1e-8)
    assert np.allclose(grad_b, np.mean(a - y), atol=1e-8)
    assert np.allclose(w - rate * grad_w, (1 - rate * penalty) * w - rate / n * X.T @ (a - y), atol=1e-8)
    grad_w = gradient_by_differences(lambda v: weighted_penalised_cost(X, y, v, b, s, 0.0), w)
    grad_b = gradient_by_differences(lambda v: weighted_penalised_cost(X, y, w, v, s, 0.0), np.array(b))
    assert np.allclose(grad_w, X.T @ (s * (a - y)) / n, atol=1e-8)
    assert np.allclose(grad_b, s @ (a - y) / n, atol=1e-8)


# --- differentials ----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(10))
def test_differentials_gradient_in_X_and_hessian_by_finite_differences(seed):
    rng = np.random.default_rng(100 + seed)
    n, k = int(rng.integers(2, 10)), int(rng.integers(1, 5))
    X, y, w = rng.normal(size=(n, k)), rng.uniform(size=n), rng.normal(size=k)

    def cost(X, w):
        z = X @ w
        return float(np.mean(np.logaddexp(0, z) - y * z))

    a = expit(X @ w)
    assert np.allclose(gradient_by_differences(lambda M: cost(M, w), X), np.outer(a - y, w) / n, atol=1e-8)
    hessian = np.stack(
        [gradient_by_differences(lambda v: cost(X, v), w + 1e-4 * e) - gradient_by_differences(lambda v: cost(X, v), w - 1e-4 * e) for e in np.eye(k)],
        axis=1,
    ) / 2e-4
    assert np.allclose(hessian, X.T @ np.diag(a * (1 - a)) @ X / n, atol=1e-5)


def test_differentials_right_factor_identity_with_traces():
    rng = np.random.default_rng(7)
    for _ in range(50):
        rows, inner, columns = rng.integers(1, 7, size=3)
        A, B, N = rng.normal(size=(rows, columns)), rng.normal(size=(rows, inner)), rng.normal(size=(inner, columns))
        assert np.trace(A.T @ (B @ N)) == pytest.approx(np.trace((A @ N.T).T @ B))


# --- backprop ---------------------------------------------------------------------------------


def run_network(network, x):
    """Activations a^0..a^L in plain numpy, independently of the parsed definitions."""
    activations = [x]
    for weights, biases in network:
        activations.append(expit(weights @ activations[-1] + biases))
    return activations


@pytest.mark.parametrize("seed", range(5))
def test_backprop_input_gradient_and_quadratic_deltas_by_finite_differences(seed):
    from snippets import backprop

    rng = np.random.default_rng(200 + seed)
    network = backprop.random_network(rng)
    x, y = rng.normal(size=backprop.LAYER_SIZES[0]), rng.uniform(size=backprop.LAYER_SIZES[-1])

    def cross_entropy(x):
        a = run_network(network, x)[-1]
        return float(-np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)))

    activations = run_network(network, x)
    deltas, _ = backprop.backprop(network, x, y)
    assert np.allclose(gradient_by_differences(cross_entropy, x), network[0][0].T @ deltas[0], atol=1e-8)

    # Quadratic cost: δ^L = (a − y) ⊙ a ⊙ (1 − a), and δ^2 by the same recursion; against differences in z.
    weights_3, biases_3 = network[2]
    a_L = activations[-1]
    quadratic_delta_3 = (a_L - y) * a_L * (1 - a_L)
    z_2 = network[1][0] @ activations[1] + network[1][1]
    cost_of_z2 = lambda z: float(np.sum((expit(weights_3 @ expit(z) + biases_3) - y) ** 2) / 2)  # noqa: E731
    expected = (weights_3.T @ quadratic_delta_3) * expit(z_2) * (1 - expit(z_2))
    assert np.allclose(gradient_by_differences(cost_of_z2, z_2), expected, atol=1e-8)
    z_3 = weights_3 @ activations[2] + biases_3
    assert np.allclose(gradient_by_differences(lambda z: float(np.sum((expit(z) - y) ** 2) / 2), z_3), quadratic_delta_3, atol=1e-8)


# --- closed_form ------------------------------------------------------------------------------


def test_closed_form_intercept_minimiser_by_an_optimiser():
    rng = np.random.default_rng(8)
    for _ in range(10):
        n = int(rng.integers(2, 30))
        y = rng.uniform(size=n)
        found = minimize_scalar(lambda b: float(np.mean(np.logaddexp(0, b) - y * b)), bracket=(-1.0, 1.0), tol=1e-12)
        assert found.x == pytest.approx(logit(y.mean()), abs=1e-5)
        assert expit(found.x) == pytest.approx(y.mean(), abs=1e-6)


@pytest.mark.parametrize("seed", range(5))
def test_closed_form_penalised_hessian_is_positive_definite(seed):
    """Even with fewer examples than parameters, where the unpenalised Hessian is singular."""
    rng = np.random.default_rng(300 + seed)
    n, k, penalty = 2, 5, float(rng.uniform(0.01, 1))
    X, y, theta = rng.normal(size=(n, k)), rng.uniform(size=n), rng.normal(size=k + 1)
    design = np.hstack([X, np.ones((n, 1))])

    def cost(t):
        z = design @ t
        return float(np.mean(np.logaddexp(0, z) - y * z) + penalty / 2 * t @ t)

    gradient = gradient_by_differences(cost, theta)
    a = expit(design @ theta)
    assert np.allclose(gradient, design.T @ (a - y) / n + penalty * theta, atol=1e-8)
    hessian = np.stack(
        [(gradient_by_differences(cost, theta + 1e-4 * e) - gradient_by_differences(cost, theta - 1e-4 * e)) / 2e-4 for e in np.eye(k + 1)],
        axis=1,
    )
    assert np.linalg.eigvalsh((hessian + hessian.T) / 2).min() >= penalty - 1e-5


# --- logits -----------------------------------------------------------------------------------


def test_logits_softplus_and_stable_form_derivatives_by_finite_differences():
    z = np.random.default_rng(9).uniform(-20, 20, 400)
    assert np.allclose(central_difference(lambda v: np.logaddexp(0, v), z), expit(z), atol=1e-8)
    for y in (0.0, 0.3, 1.0):
        stable = lambda v, y=y: np.maximum(v, 0) - v * y + np.log1p(np.exp(-np.abs(v)))  # noqa: E731
        away_from_zero = z[np.abs(z) > 1e-3]
        assert np.allclose(central_difference(stable, away_from_zero), expit(away_from_zero) - y, atol=1e-8)


def test_logits_signed_labels_against_the_reference_implementation():
    from snippets.bce import bce_with_logits

    rng = np.random.default_rng(10)
    z, y = rng.uniform(-30, 30, 200), rng.integers(0, 2, 200).astype(float)
    t = 2 * y - 1
    for logit_, label, sign in zip(z, y, t):
        assert float(bce_with_logits([logit_], [label])) == pytest.approx(np.logaddexp(0, -sign * logit_), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("target", [0.5, 0.9, 0.999, 0.01])
def test_the_minimum_in_the_logit_has_curvature_y_times_one_minus_y(target):
    # Independent of the chains: a second difference of the float64 cost in z at z = logit(y).
    from scipy.special import logit

    from snippets.bce import bce_with_logits

    z, h = float(logit(target)), 1e-4
    cost = lambda v: float(bce_with_logits([v], [target]))  # noqa: E731
    curvature = (cost(z + h) - 2 * cost(z) + cost(z - h)) / h**2
    assert curvature == pytest.approx(target * (1 - target), rel=1e-4)
    assert curvature <= 0.25 + 1e-9
