"""Soft-target cross-entropy is minimised exactly at σ(z) = y, with minimum H(y).

The cost over n inputs is a sum of one term per input, each depending on its own a_i,
so every statement below is about one term c(a, y) = -[y ln a + (1-y) ln(1-a)] and
C = (1/n) Σ c(a_i, y_i).

>>> stationary_points()
[y]
>>> minimum_value_is_entropy()
True
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from scipy.optimize import minimize
from scipy.special import entr, expit, logit

from snippets.proof import Chain, Step, sigmoid

a = sp.Symbol("a", positive=True)  # a = σ(z), strictly inside (0, 1)
y = sp.Symbol("y", nonnegative=True)  # soft target in [0, 1]
z = sp.Symbol("z", real=True)
n = sp.Symbol("n", positive=True)
DOMAIN = {a: (0.01, 0.99), y: (0.0, 1.0), z: (-8.0, 8.0), n: (1.0, 50.0)}


def per_example_cost(a_, y_):
    """c(a, y) = -[y ln a + (1-y) ln(1-a)]."""
    return -(y_ * sp.log(a_) + (1 - y_) * sp.log(1 - a_))


def binary_entropy(y_):
    """H(y) = -y ln y - (1-y) ln(1-y)."""
    return -y_ * sp.log(y_) - (1 - y_) * sp.log(1 - y_)


COST = per_example_cost(a, y) / n  # input i's share of C

gradient_in_a = Chain(
    r"\frac{\partial C}{\partial a_i}",
    sp.diff(COST, a),
    [
        Step(
            r"-\frac{1}{n}\left(\frac{y}{a} - \frac{1-y}{1-a}\right)",
            r"chain rule: $\frac{d}{da}\ln(1-a) = -\frac{1}{1-a}$",
        ),
        Step(r"\frac{a-y}{n\,a(1-a)}", r"common denominator $a(1-a)$"),
    ],
    DOMAIN,
)

gradient_in_z = Chain(
    r"\frac{\partial C}{\partial z_i}",
    sp.diff(per_example_cost(sigmoid(z), y) / n, z),
    [
        Step(
            r"\frac{\sigma(z)-y}{n\,\sigma(z)(1-\sigma(z))}\,\sigma(z)(1-\sigma(z))",
            r"chain rule, $\sigma'(z) = \sigma(z)(1-\sigma(z))$",
        ),
        Step(r"\frac{\sigma(z)-y}{n}", r"$\sigma'(z)$ cancels"),
    ],
    DOMAIN,
)

curvature_in_a = Chain(
    r"\frac{\partial^2 C}{\partial a_i^2}",
    sp.diff(COST, a, 2),
    [Step(r"\frac{1}{n}\left(\frac{y}{a^{2}} + \frac{1-y}{(1-a)^{2}}\right)", "differentiate once more")],
    DOMAIN,
)

curvature_in_z = Chain(
    r"\frac{\partial^2 C}{\partial z_i^2}",
    sp.diff(per_example_cost(sigmoid(z), y) / n, z, 2),
    [Step(r"\frac{\sigma(z)(1-\sigma(z))}{n}", r"differentiate $(\sigma(z)-y)/n$ once more")],
    DOMAIN,
)

entropy_plus_divergence = Chain(
    r"-y\ln a - (1-y)\ln(1-a)",
    per_example_cost(a, y),
    [
        Step(
            r"-y\ln y - (1-y)\ln(1-y) + y\ln\frac{y}{a} + (1-y)\ln\frac{1-y}{1-a}",
            r"add and subtract $y\ln y + (1-y)\ln(1-y)$",
        ),
        Step(r"H(y) + y\ln\frac{y}{a} + (1-y)\ln\frac{1-y}{1-a}", r"$H(y)$ is the binary entropy"),
    ],
    {a: (0.01, 0.99), y: (0.01, 0.99)},
)

# Gibbs' inequality: with ln t <= t - 1 applied to t = a/y and t = (1-a)/(1-y),
# -KL(y||a) <= y(a/y - 1) + (1-y)((1-a)/(1-y) - 1), and that bound is exactly 0.
gibbs_bound = Chain(
    r"y\left(\frac{a}{y}-1\right) + (1-y)\left(\frac{1-a}{1-y}-1\right)",
    y * (a / y - 1) + (1 - y) * ((1 - a) / (1 - y) - 1),
    [Step(r"a - y + (1-a) - (1-y)", "multiply out"), Step("0", "collect terms")],
    DOMAIN,
)


def stationary_points() -> list[sp.Expr]:
    """Every a in (0, 1) where ∂C/∂a = 0."""
    return sp.solve(sp.Eq(sp.diff(COST, a), 0), a)


def curvature_in_a_is_positive() -> bool:
    """y/a² + (1-y)/(1-a)² is linear in y, so it is at least min(1/a², 1/(1-a)²) > 1 on (0, 1)."""
    second = sp.diff(per_example_cost(a, y), a, 2)
    at_ends = [sp.simplify(second.subs(y, end)) for end in (0, 1)]
    unit = sp.Interval.open(0, 1)
    return all(
        unit.is_subset(sp.solve_univariate_inequality(bound > 1, a, relational=False))
        for bound in at_ends
    )


def log_bound_holds() -> bool:
    """ln t <= t - 1 for t > 0: f(t) = t - 1 - ln t has f(1) = 0, f'(1) = 0 and f'' = 1/t² > 0."""
    t = sp.Symbol("t", positive=True)
    f = t - 1 - sp.log(t)
    return f.subs(t, 1) == 0 and sp.diff(f, t).subs(t, 1) == 0 and sp.diff(f, t, 2).is_positive


def minimum_value_is_entropy() -> bool:
    """c(y, y) = H(y)."""
    return sp.simplify(per_example_cost(a, y).subs(a, y) - binary_entropy(y)) == 0


def hard_target_limits() -> dict[int, tuple[sp.Expr, bool]]:
    """For y = 1 (y = 0) the cost tends to 0 as z → +∞ (−∞) but is positive at every finite z.

    Returns, for each hard target, the limit and whether the cost is positive for all real z.
    """
    results = {}
    for target, direction in ((1, sp.oo), (0, -sp.oo)):
        cost = sp.simplify(per_example_cost(sigmoid(z), target))
        limit = sp.limit(cost, z, direction)
        # Both costs are ln(1 + e^{±z}) and 1 + e^{±z} > 1.
        positive = sp.simplify(cost - sp.log(1 + sp.exp(z if target == 0 else -z))) == 0
        results[target] = (limit, positive)
    return results


def numeric_minimum(targets: np.ndarray) -> tuple[np.ndarray, float]:
    """Minimise C over the logits z_1..z_n with a gradient-based optimiser, from z = 0.

    Returns the minimiser and the minimum. Only the cost and its gradient are used;
    the answer logit(y) is never given to the optimiser.
    """
    targets = np.asarray(targets, dtype=float)
    count = targets.size

    def cost(logits):
        return np.mean(np.logaddexp(0, logits) - targets * logits)

    def gradient(logits):
        return (expit(logits) - targets) / count

    result = minimize(cost, np.zeros(count), jac=gradient, method="BFGS", options={"gtol": 1e-14})
    return result.x, float(result.fun)


def entropy_numeric(targets: np.ndarray) -> np.ndarray:
    """Elementwise H(y) with 0 ln 0 = 0."""
    return entr(targets) + entr(1 - targets)


def numeric_report(targets=(0.05, 0.2, 0.5, 0.7, 0.95)) -> str:
    """A markdown table comparing the optimiser's answer with logit(y) and H(y)."""
    targets = np.asarray(targets, dtype=float)
    found, minimum = numeric_minimum(targets)
    floor = float(np.mean(entropy_numeric(targets)))
    z_error = np.abs(found - logit(targets))
    if z_error.max() > 1e-6 or abs(minimum - floor) > 1e-9:
        raise AssertionError(f"optimiser missed: z error {z_error.max():.2e}, cost error {abs(minimum - floor):.2e}")
    rows = "\n".join(
        f"| {t:g} | {zf:.9f} | {zl:.9f} | {e:.1e} | {expit(zf):.9f} |"
        for t, zf, zl, e in zip(targets, found, logit(targets), z_error)
    )
    return (
        "| y | z found by BFGS | logit(y) | difference | σ(z found) |\n|---|---|---|---|---|\n"
        + rows
        + f"\n\nMinimum found: {minimum:.12f}; mean binary entropy: {floor:.12f}; "
        f"difference {abs(minimum - floor):.1e} (tolerance 1e-9)."
    )


def cost_curves_svg(targets=(0.0, 0.2, 0.5, 0.8, 1.0)) -> str:
    """C as a function of a for several y, each minimum H(y) marked at a = y."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    grid = np.linspace(0.001, 0.999, 500)
    figure, axes = plt.subplots(figsize=(7, 4))
    for target in targets:
        costs = -(target * np.log(grid) + (1 - target) * np.log(1 - grid))
        (line,) = axes.plot(grid, costs, label=f"y = {target:g}")
        if 0 < target < 1:
            axes.plot([target], entropy_numeric(np.array([target])), "o", color=line.get_color())
    axes.set_xlabel("a = σ(z)")
    axes.set_ylabel("cost c(a, y)")
    axes.set_ylim(0, 3)
    axes.legend(title="dots: minimum H(y) at a = y")
    axes.grid(alpha=0.3)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]
