"""Logistic regression's minimiser: no formula in radicals in general; damped Newton (IRLS) finds it.

C(w, b) = mean BCE of σ(Xw + b) against y over the n rows of X. Stationarity: X̃ᵀ(σ(X̃θ) − y) = 0
with X̃ = [X 1], θ = (w, b): k + 1 sums of logistic functions of θ.

>>> data = separable_data()
>>> bool(separating_direction_decreases_cost(data)[1])
True
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from scipy.special import expit, logit
from sympy.combinatorics.named_groups import SymmetricGroup
from sympy.polys.numberfields.galoisgroups import galois_group

from snippets import matrix_form, numeric
from snippets.bce import bce_with_logits, neuron_grad, neuron_hessian
from bce_proofs import Chain, MatrixChain, Step, parse_tex, sigmoid

# The claims this one builds on (the map on docs/checks.md).
BUILDS_ON = ("matrix_form",)


def _stationarity_case(rng):
    case = matrix_form.make_case(rng)
    case[r"\theta"] = np.append(case["w"], case["b"])
    return case


stationarity = MatrixChain(
    r"\nabla_\theta C",
    lambda c: numeric.gradient(lambda theta: matrix_form.cost_at(c, theta[:-1], theta[-1]), c[r"\theta"]),
    [Step(r"\frac{1}{n}\tilde X^\top\big(\sigma(\tilde X\theta) - y\big)", r"$\tilde X\theta = Xw + b\mathbf 1$: the two gradients of the matrix form, stacked")],
    _stationarity_case,
    names=(r"\theta",),
    lhs_how="by the complex step from the parsed cost of the matrix-form page",
)


def design(X: np.ndarray) -> np.ndarray:
    return np.hstack([X, np.ones((X.shape[0], 1))])


def _cost(X, y, theta) -> float:
    return float(bce_with_logits(design(X) @ theta, y))


def newton(X, y, iterations: int = 30, tolerance: float = 1e-12, start=None, damped: bool = True):
    """Newton's method from θ = start (default 0). Returns θ and rows (k, C, |∇C|, |Δθ|, step length).

    Damped: the step length halves from 1 until the cost falls by at least a quarter of what the
    gradient promises (Armijo's rule), so the cost never rises. Undamped: always the full step.
    """
    theta = np.zeros(X.shape[1] + 1) if start is None else np.array(start, dtype=float)
    history = []
    for iteration in range(iterations):
        grad_w, grad_b = neuron_grad(X, y, theta[:-1], theta[-1])
        gradient = np.append(grad_w, grad_b)
        cost = _cost(X, y, theta)
        norm = float(np.linalg.norm(gradient))
        if norm < tolerance or not np.isfinite(cost):
            history.append((iteration, cost, norm, 0.0, 0.0))
            break
        try:
            direction = np.linalg.solve(neuron_hessian(X, y, theta[:-1], theta[-1]), gradient)
        except np.linalg.LinAlgError:  # every σ saturated: the Hessian is singular to working precision
            history.append((iteration, cost, norm, float("nan"), 0.0))
            break
        length = 1.0
        while damped and _cost(X, y, theta - length * direction) > cost - 0.25 * length * gradient @ direction:
            length /= 2
        step = length * direction
        theta -= step
        history.append((iteration, cost, norm, float(np.linalg.norm(step)), length))
    return theta, history


def history_table(history) -> str:
    rows = "\n".join(
        f"| {k} | {cost:.15g} | {norm:.2e} | "
        + (f"{step:.2e} | {length:g} |" if np.isfinite(step) else "Hessian singular: stopped | |")
        for k, cost, norm, step, length in history
    )
    return (
        "| iteration | $C(\\theta)$ | $\\lVert\\nabla C\\rVert$ | $\\lVert\\Delta\\theta\\rVert$ | step length |\n"
        "|---|---|---|---|---|\n" + rows
    )


NEWTON_START = (3.0, 3.0, 3.0)


def undamped_newton_fails() -> tuple[list, list]:
    """From θ = (3, 3, 3) on the overlapping data: full Newton steps blow up, damped ones converge."""
    X, y = overlapping_data()
    _, full = newton(X, y, start=NEWTON_START, damped=False)
    _, damped = newton(X, y, start=NEWTON_START)
    assert all(later[1] > earlier[1] for earlier, later in zip(full, full[1:])) and full[-1][1] > 100 * full[0][1]
    assert damped[-1][2] < 1e-12 and all(later[1] <= earlier[1] for earlier, later in zip(damped, damped[1:]))
    return full, damped


def overlapping_data(seed: int = 5, n: int = 40):
    """Two overlapping classes with hard labels: a finite minimiser exists."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    y = (X @ np.array([1.5, -1.0]) + 0.3 + rng.normal(size=n) > 0).astype(float)
    return X, y


def soft_target_data(seed: int = 6, n: int = 30):
    """Soft targets produced by a logistic model, so that σ(Xw + b) = y is reachable exactly."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    true_theta = np.array([0.8, -1.2, 0.5, 0.2])
    return X, expit(design(X) @ true_theta), true_theta


def separable_data():
    """Labels that the line x₁ = 0 separates perfectly."""
    X = np.array([[-2.0, 0.5], [-1.0, -0.3], [-0.5, 1.0], [0.4, -0.8], [1.2, 0.2], [2.5, -1.0]])
    y = (X[:, 0] > 0).astype(float)
    return X, y


def separating_direction_decreases_cost(data, scales=(1, 2, 4, 8, 16, 32)):
    """Costs along θ = t·v for a separating direction v, and whether vᵀ∇C < 0 at every point tried.

    For hard labels strictly separated by v, vᵀ∇C = (1/n) Σ (σ_i − y_i) vᵀx̃_i < 0 everywhere: where
    y_i = 1, σ_i − 1 < 0 and vᵀx̃_i > 0; where y_i = 0, σ_i > 0 and vᵀx̃_i < 0. So ∇C never vanishes:
    no stationary point, hence no finite minimiser, while C(t·v) → 0 as t → ∞.
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


# One feature, no bias, two examples: x = (1, 4), y = (1/3, 1/2). With u = e^w, σ(w x) = u^x / (1 + u^x),
# and clearing denominators turns ∂C/∂w = 0 into a quintic in u (t is the page's scale along a direction).
QUINTIC_INPUTS, QUINTIC_TARGETS = (1, 4), (sp.Rational(1, 3), sp.Rational(1, 2))
u = sp.Symbol("u", positive=True)
QUINTIC_STATIONARITY = sum(x * (u**x / (1 + u**x) - y) for x, y in zip(QUINTIC_INPUTS, QUINTIC_TARGETS))

stationarity_polynomial = Chain(
    r"3(1+u)(1+u^{4})\sum_{i} x_i\big(\sigma(w x_i) - y_i\big)",
    3 * (1 + u) * (1 + u**4) * QUINTIC_STATIONARITY,
    [
        Step(
            r"12u^{4}(1+u) + 3u(1+u^{4}) - 7(1+u)(1+u^{4})",
            r"$x = (1, 4)$, $y = (\frac13, \frac12)$, $\sigma(w x) = \frac{u^{x}}{1+u^{x}}$ with $u = e^{w}$",
        ),
        Step(r"8u^{5} + 5u^{4} - 4u - 7", "multiply out"),
    ],
)


def quintic_has_no_formula() -> dict[str, object]:
    """The quintic's facts that rule out a formula in radicals for its root u = e^{w*}.

    Irreducible over the rationals, one positive real root, and Galois group S5, which is not solvable:
    by Galois theory, its roots are not expressible in radicals.
    """
    stationarity_polynomial.check()
    polynomial = sp.Poly(parse_tex(stationarity_polynomial.steps[-1].tex, {"u": u}), u)  # the displayed quintic
    group, _ = galois_group(polynomial, by_name=True)
    positive_roots = [root for root in sp.real_roots(polynomial) if root.is_positive]
    return {
        "irreducible": polynomial.is_irreducible,
        "positive_roots": len(positive_roots),
        "galois_group": group.name,
        "solvable": group.get_perm_group().is_solvable,
        "weight": float(sp.log(positive_roots[0])),
        "symmetric_group_is_S5": group.get_perm_group().order() == SymmetricGroup(5).order(),
    }


def all_one_labels_with_weight_penalty(penalty: float = 0.1, scales=(1, 2, 4, 8, 16, 32)):
    """All labels 1 and a penalty (λ/2)|w|² on the weights only: the bias runs off to +∞.

    Returns the penalised cost at w = 0, b = scale, and whether ∂/∂b < 0 at 500 random (w, b):
    ∂C_λ/∂b = (1/n) Σ (σ(z_i) − 1) < 0 everywhere, so there is no stationary point.
    """
    X, _ = overlapping_data()
    ones = np.ones(X.shape[0])

    def penalised(theta):
        return _cost(X, ones, theta) + penalty / 2 * theta[:-1] @ theta[:-1]

    costs = [penalised(np.array([0.0, 0.0, b])) for b in scales]
    rng = np.random.default_rng(1)
    descending = all(neuron_grad(X, ones, theta[:-1], theta[-1])[1] < 0 for theta in rng.normal(scale=5, size=(500, 3)))
    return costs, descending


def penalise_everything(penalty: float = 0.1) -> tuple[np.ndarray, float]:
    """All labels 1, penalty (λ/2)|θ|² on w and b: strongly convex, so damped Newton finds a finite minimiser.

    Returns θ and the norm of the penalised gradient there.
    """
    X, _ = overlapping_data()
    ones = np.ones(X.shape[0])
    theta = np.zeros(X.shape[1] + 1)
    for _ in range(50):
        gradient = np.append(*neuron_grad(X, ones, theta[:-1], theta[-1])) + penalty * theta
        hessian = neuron_hessian(X, ones, theta[:-1], theta[-1]) + penalty * np.eye(theta.size)
        theta = theta - np.linalg.solve(hessian, gradient)
    gradient = np.append(*neuron_grad(X, ones, theta[:-1], theta[-1])) + penalty * theta
    return theta, float(np.linalg.norm(gradient))


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
    assert np.allclose(theta, true_theta, rtol=0, atol=1e-10) and np.allclose(least_squares, true_theta, rtol=0, atol=1e-10)
    return (
        history_table(history)
        + f"\n\nAfter {len(history) - 1} Newton steps: $\\max_i|\\sigma(x_i^\\top w + b) - y_i|$ = {largest_gap:.1e}, "
        f"and $C$ equals the binary-entropy floor {floor:.15f} to {abs(cost - floor):.0e}."
    )


# --- When a minimiser exists ------------------------------------------------------------------
# One example's cost c(z, y) = (1−y) softplus(z) + y softplus(−z) grows, along z = t·d as t → ∞,
# like t·[(1−y) max(d, 0) + y max(−d, 0)]: not at all exactly when y = 1 and d ≥ 0, y = 0 and d ≤ 0,
# or d = 0. So C has a direction v along which no term grows (a "recession direction") iff
#   x̃ᵢ·v ≥ 0 where yᵢ = 1,  x̃ᵢ·v ≤ 0 where yᵢ = 0,  x̃ᵢ·v = 0 where 0 < yᵢ < 1,
# and along such a v with X̃v ≠ 0 the cost strictly decreases for ever: no minimiser (strict or
# quasi-complete separation). If the only such v have X̃v = 0 and X̃ has full column rank, C is
# coercive and strictly convex: exactly one minimiser.


def separating_direction(X, y) -> np.ndarray | None:
    """A direction v, |vⱼ| ≤ 1, along which C decreases for ever, or None: a linear programme.

    It maximises Σ_{yᵢ=1} x̃ᵢ·v − Σ_{yᵢ=0} x̃ᵢ·v (each term ≥ 0 by the constraints above); a positive
    optimum is a separating direction, strict or quasi-complete.

    >>> separating_direction(*quasi_separated_data())
    array([1., 0.])
    >>> separating_direction(*overlapping_data()) is None
    True
    """
    from scipy.optimize import linprog

    tilde = design(np.asarray(X, dtype=float))
    y = np.asarray(y, dtype=float)
    ones, zeros, interior = y == 1, y == 0, (y > 0) & (y < 1)
    objective = -(tilde[ones].sum(axis=0) - tilde[zeros].sum(axis=0))
    upper = np.vstack([-tilde[ones], tilde[zeros]]) if (ones | zeros).any() else None
    result = linprog(
        objective,
        A_ub=upper,
        b_ub=np.zeros(len(upper)) if upper is not None else None,
        A_eq=tilde[interior] if interior.any() else None,
        b_eq=np.zeros(int(interior.sum())) if interior.any() else None,
        bounds=[(-1, 1)] * tilde.shape[1],
    )
    if not result.success or -result.fun <= 1e-9:
        return None
    return np.round(result.x, 12) + 0.0


def minimiser_exists(X, y) -> bool | None:
    """True: exactly one minimiser; False: none; None: X̃ is rank-deficient (a line of minimisers, or none)."""
    if separating_direction(X, y) is not None:
        return False
    return True if np.linalg.matrix_rank(design(np.asarray(X, dtype=float))) == np.asarray(X).shape[1] + 1 else None


def quasi_separated_data():
    """x = (−1, 0, 0, 1), y = (0, 0, 1, 1): the point x = 0 carries both labels; no hyperplane strictly separates."""
    return np.array([[-1.0], [0.0], [0.0], [1.0]]), np.array([0.0, 0.0, 1.0, 1.0])


def quasi_separation_report(trials: int = 500) -> dict[str, object]:
    """What quasi-complete separation does: ∂C/∂w < 0 everywhere, an infimum never reached, BFGS fooled.

    The infimum: as w → ∞ with b = 0 the two outer terms vanish and the two at x = 0 are ln 2 each,
    so C → (2 ln 2)/4 = ln2/2 (sympy's limit, from the exact cost). Every C(w, b) is above it.
    """
    from scipy.optimize import minimize

    X, y = quasi_separated_data()
    rng = np.random.default_rng(12)
    thetas = rng.uniform(-20, 20, size=(trials, 2))
    slopes = [float(neuron_grad(X, y, theta[:1], theta[1])[0][0]) for theta in thetas]
    w, b = sp.symbols("w b", real=True)
    from snippets.cost import per_example_cost  # the parsed term c(a, y)

    exact = sum(per_example_cost(sigmoid(w * int(x) + b), int(target)) for (x,), target in zip(X, y)) / len(y)
    infimum = sp.limit(exact.subs(b, 0), w, sp.oo)
    costs = [_cost(X, y, theta) for theta in thetas]
    found = minimize(lambda theta: _cost(X, y, theta), np.zeros(2), jac=lambda theta: np.append(*neuron_grad(X, y, theta[:1], theta[1])), method="BFGS")
    return {
        "slope_always_negative": max(slopes) < 0,
        "infimum": infimum,
        "every_cost_above": min(costs) > float(infimum),
        "bfgs_success": bool(found.success),
        "bfgs_weight": float(found.x[0]),
        "bfgs_gradient": float(np.linalg.norm(found.jac)),
        "bfgs_cost_gap": float(found.fun - float(infimum)),
        "separating_direction": separating_direction(X, y),
    }


def duplicated_feature_report() -> dict[str, object]:
    """A feature given twice: X̃ loses full column rank, the Hessian is singular at every θ, `solve` raises."""
    X, y = overlapping_data()
    twice = np.hstack([X[:, :1], X[:, :1], X[:, 1:]])
    hessian = neuron_hessian(twice, y, np.zeros(3), 0.0)
    try:
        np.linalg.solve(hessian, np.ones(4))
        raised = False
    except np.linalg.LinAlgError:
        raised = True
    theta, _ = newton(X, y)
    # Any split of the fitted weight between the two copies fits equally well: a line of minimisers.
    split = np.array([0.3 * theta[0], 0.7 * theta[0], theta[1], theta[2]])
    return {
        "rank": int(np.linalg.matrix_rank(design(twice))),
        "columns": design(twice).shape[1],
        "solve_raises": raised,
        "same_cost_on_the_line": abs(_cost(twice, y, split) - _cost(X, y, theta)) < 1e-12,
        "exists": minimiser_exists(twice, y),
    }
