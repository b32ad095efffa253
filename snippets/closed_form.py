"""Logistic regression has no closed-form minimiser in general; Newton's method (IRLS) finds it.

J(w, b) = mean BCE of σ(Xw + b) against y. Stationarity: X̃ᵀ(σ(X̃θ) − y) = 0 with
X̃ = [X 1], θ = (w, b): m sums of logistic functions of θ.

>>> data = separable_data()
>>> bool(separating_direction_decreases_cost(data)[1])
True
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from scipy.special import expit, logit

from snippets.bce import bce_with_logits, neuron_grad, neuron_hessian


def design(X: np.ndarray) -> np.ndarray:
    return np.hstack([X, np.ones((X.shape[0], 1))])


def newton(X, y, iterations: int = 30, tolerance: float = 1e-12):
    """θ ← θ − H⁻¹∇J, from θ = 0. Returns θ and one row per iteration: (k, J, |∇J|, step)."""
    theta = np.zeros(X.shape[1] + 1)
    history = []
    for iteration in range(iterations):
        grad_w, grad_b = neuron_grad(X, y, theta[:-1], theta[-1])
        gradient = np.append(grad_w, grad_b)
        cost = float(bce_with_logits(design(X) @ theta, y))
        norm = float(np.linalg.norm(gradient))
        if norm < tolerance:
            history.append((iteration, cost, norm, 0.0))
            break
        step = np.linalg.solve(neuron_hessian(X, y, theta[:-1], theta[-1]), gradient)
        theta -= step
        history.append((iteration, cost, norm, float(np.linalg.norm(step))))
    return theta, history


def history_table(history) -> str:
    rows = "\n".join(f"| {k} | {cost:.15f} | {norm:.2e} | {step:.2e} |" for k, cost, norm, step in history)
    return "| iteration | $J(\\theta)$ | $\\lVert\\nabla J\\rVert$ | $\\lVert\\Delta\\theta\\rVert$ |\n|---|---|---|---|\n" + rows


def overlapping_data(seed: int = 5, m: int = 40):
    """Two overlapping classes with hard labels: a finite minimiser exists."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, 2))
    y = (X @ np.array([1.5, -1.0]) + 0.3 + rng.normal(size=m) > 0).astype(float)
    return X, y


def soft_target_data(seed: int = 6, m: int = 30):
    """Soft targets produced by a logistic model, so that σ(Xw + b) = y is reachable exactly."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, 3))
    true_theta = np.array([0.8, -1.2, 0.5, 0.2])
    return X, expit(design(X) @ true_theta), true_theta


def separable_data():
    """Labels that the line x₁ = 0 separates perfectly."""
    X = np.array([[-2.0, 0.5], [-1.0, -0.3], [-0.5, 1.0], [0.4, -0.8], [1.2, 0.2], [2.5, -1.0]])
    y = (X[:, 0] > 0).astype(float)
    return X, y


def separating_direction_decreases_cost(data, scales=(1, 2, 4, 8, 16, 32)):
    """Costs along θ = t·v for a separating direction v, and whether vᵀ∇J < 0 at every point tried.

    For separable data vᵀ∇J = (1/m) Σ (σ_i − y_i) vᵀx̃_i < 0 everywhere: where y_i = 1, σ_i − 1 < 0 and
    vᵀx̃_i > 0; where y_i = 0, σ_i > 0 and vᵀx̃_i < 0. So ∇J never vanishes: no stationary point,
    hence no finite minimiser, while J(t·v) → 0 as t → ∞.
    """
    X, y = data
    direction = np.array([1.0, 0.0, 0.0])  # (w, b) = (1, 0, 0): the line x₁ = 0
    margins = design(X) @ direction * (2 * y - 1)
    assert np.all(margins > 0), "the direction does not separate the data"
    costs = [float(bce_with_logits(design(X) @ (t * direction), y)) for t in scales]
    rng = np.random.default_rng(0)
    always_descending = True
    for _ in range(500):
        theta = rng.normal(scale=10, size=3)
        grad_w, grad_b = neuron_grad(X, y, theta[:-1], theta[-1])
        always_descending &= bool(direction @ np.append(grad_w, grad_b) < 0)
    return costs, always_descending


def stationarity_is_transcendental() -> tuple[sp.Expr, object]:
    """One feature, three examples, no bias: the stationarity equation, and what sympy's solve makes of it.

    Returns the equation's left side and the solver's answer (its error message if it gives up).
    """
    w = sp.Symbol("w", real=True)
    xs, ys = [1, sp.sqrt(2), -1], [1, 0, sp.Rational(1, 2)]
    equation = sum(x * (1 / (1 + sp.exp(-w * x)) - y) for x, y in zip(xs, ys))
    try:
        answer = sp.solve(equation, w)
    except NotImplementedError as error:
        answer = f"NotImplementedError: {str(error).splitlines()[0]}"
    return equation, answer


def soft_fit_report() -> str:
    X, y, true_theta = soft_target_data()
    theta, history = newton(X, y)
    fitted = expit(design(X) @ theta)
    largest_gap = float(np.max(np.abs(fitted - y)))
    floor = float(np.mean(-(y * np.log(y) + (1 - y) * np.log(1 - y))))
    cost = history[-1][1]
    # Same answer by the closed form this special case admits: least squares on logit(y).
    least_squares, *_ = np.linalg.lstsq(design(X), logit(y), rcond=None)
    assert largest_gap < 1e-12 and abs(cost - floor) < 1e-12
    assert np.allclose(theta, true_theta, atol=1e-10) and np.allclose(least_squares, true_theta, atol=1e-10)
    return (
        history_table(history)
        + f"\n\nAfter {len(history) - 1} Newton steps: $\\max_i|\\sigma(x_i^\\top w + b) - y_i|$ = {largest_gap:.1e}, "
        f"and $J$ equals the binary-entropy floor {floor:.15f} to {abs(cost - floor):.0e}."
    )
