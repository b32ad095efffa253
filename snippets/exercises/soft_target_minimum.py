"""Exercises for docs/soft_target_minimum.md: the minimum in the logit, its curvature, the divergence.

c(a, y) is one input's term, parsed from the page's definition; a = σ(z), y a soft target in (0, 1).

>>> [chain.status for chain in CHAINS]
['proved', 'proved', 'proved', 'proved', 'proved', 'proved', 'proved', 'proved', 'proved']
>>> logit_is_the_only_solution()
True
>>> curvature_limits(), curvature_in_z_limits()
((oo, oo), (0, 0))
"""

from __future__ import annotations

import sympy as sp

from bce_proofs import Chain, Step, sigmoid
from snippets.soft_target_minimum import a, per_example_cost, y, z

SOFT = {a: (0.01, 0.99), y: (0.01, 0.99), z: (-8.0, 8.0)}
LOGIT_OF_Y = sp.log(y / (1 - y))

# Exercise 1: where c(σ(z), y) is smallest in z, and its value there.
logit_inverts_sigma = Chain(
    r"\sigma\left(\ln\frac{y}{1-y}\right)",
    sigmoid(LOGIT_OF_Y),
    [
        Step(r"\frac{1}{1 + \frac{1-y}{y}}", r"$e^{-\ln\frac{y}{1-y}} = \frac{1-y}{y}$"),
        Step("y", r"multiply above and below by $y$"),
    ],
    SOFT,
)


def logit_is_the_only_solution() -> bool:
    """sympy's solve finds exactly one real z with σ(z) = y, and it is ln(y/(1 − y))."""
    solutions = sp.solve(sp.Eq(sigmoid(z), y), z)
    return len(solutions) == 1 and sp.simplify(solutions[0] - LOGIT_OF_Y) == 0


value_at_the_logit = Chain(
    r"c\left(\sigma\left(\ln\frac{y}{1-y}\right), y\right)",
    per_example_cost(sigmoid(LOGIT_OF_Y), y),
    [
        Step(r"-y\ln y - (1-y)\ln(1-y)", r"$\sigma\left(\ln\frac{y}{1-y}\right) = y$, so this is $c(y, y)$"),
        Step(r"H(y)", "the binary entropy"),
    ],
    SOFT,
)

# Exercise 2: how sharply curved the minimum is.
curvature_at_the_minimum = Chain(
    r"\frac{\partial^2 c}{\partial a^2}\Big|_{a=y}",
    sp.diff(per_example_cost(a, y), a, 2).subs(a, y),
    [
        Step(r"\frac{y}{y^{2}} + \frac{1-y}{(1-y)^{2}}", r"the page's $\frac{y}{a^2} + \frac{1-y}{(1-a)^2}$ (times $n$) at $a = y$"),
        Step(r"\frac{1}{y} + \frac{1}{1-y}", "cancel"),
        Step(r"\frac{1}{y(1-y)}", "common denominator"),
    ],
    SOFT,
)

curvature_above_four = Chain(
    r"\frac{1}{y(1-y)} - 4",
    1 / (y * (1 - y)) - 4,
    [
        Step(r"\frac{1 - 4y + 4y^{2}}{y(1-y)}", "common denominator"),
        Step(r"\frac{(2y-1)^{2}}{y(1-y)}", "a square on top"),
    ],
    SOFT,
)

def curvature_limits() -> tuple[sp.Expr, sp.Expr]:
    """The curvature 1/(y(1 − y)) as y → 0⁺ and as y → 1⁻."""
    value = curvature_at_the_minimum.lhs_value
    return sp.limit(value, y, 0, "+"), sp.limit(value, y, 1, "-")


# The same minimum in the logit z, the variable a network trains: its curvature is σ′ there.
curvature_in_z = Chain(
    r"\frac{\partial^2}{\partial z^2}\,c(\sigma(z), y)",
    sp.diff(per_example_cost(sigmoid(z), y), z, 2),
    [Step(r"\sigma(z)(1-\sigma(z))", r"the first derivative is $\sigma(z) - y$, and $\sigma' = \sigma(1-\sigma)$: no $y$ is left")],
    SOFT,
)

curvature_in_z_at_the_minimum = Chain(
    r"\frac{\partial^2}{\partial z^2}\,c(\sigma(z), y)\Big|_{z=\ln\frac{y}{1-y}}",
    curvature_in_z.lhs_value.subs(z, LOGIT_OF_Y),
    [Step(r"y(1-y)", r"$\sigma\left(\ln\frac{y}{1-y}\right) = y$ (Exercise 1)")],
    SOFT,
)

curvature_in_z_below_a_quarter = Chain(
    r"\frac{1}{4} - y(1-y)",
    sp.Rational(1, 4) - y * (1 - y),
    [Step(r"\Big(y - \frac{1}{2}\Big)^{2}", "a square")],
    SOFT,
)


def curvature_in_z_limits() -> tuple[sp.Expr, sp.Expr]:
    """The curvature y(1 − y) in z as y → 0⁺ and as y → 1⁻."""
    value = curvature_in_z_at_the_minimum.lhs_value
    return sp.limit(value, y, 0, "+"), sp.limit(value, y, 1, "-")


def steps_to_the_minimum_in_z(target: float, rate: float = 1.0, tolerance: float = 1e-3, start_offset: float = 1.0, limit: int = 100_000) -> int:
    """Gradient descent on z alone, from logit(y) + start_offset: steps until within tolerance of logit(y)."""
    import math

    goal = math.log(target / (1 - target))
    logit = goal + start_offset
    for count in range(limit):
        if abs(logit - goal) < tolerance:
            return count
        logit -= rate * (1 / (1 + math.exp(-logit)) - target)
    return limit


# Exercise 3: the divergence has the cost's gradient in a.
divergence_gradient = Chain(
    r"\frac{\partial}{\partial a}\left[y\ln\frac{y}{a} + (1-y)\ln\frac{1-y}{1-a}\right]",
    sp.diff(y * sp.log(y / a) + (1 - y) * sp.log((1 - y) / (1 - a)), a),
    [
        Step(r"-\frac{y}{a} + \frac{1-y}{1-a}", r"$\ln\frac{y}{a} = \ln y - \ln a$; $\ln y$ has no $a$"),
        Step(r"\frac{a-y}{a(1-a)}", "common denominator"),
    ],
    SOFT,
)

cost_gradient = Chain(
    r"\frac{\partial c}{\partial a}",
    sp.diff(per_example_cost(a, y), a),
    [Step(r"\frac{a-y}{a(1-a)}", r"the page's $\frac{\partial C}{\partial a_i}$, times $n$")],
    SOFT,
)

CHAINS = (
    logit_inverts_sigma, value_at_the_logit, curvature_at_the_minimum, curvature_above_four, curvature_in_z,
    curvature_in_z_at_the_minimum, curvature_in_z_below_a_quarter, divergence_gradient, cost_gradient,
)
