"""BCE on probabilities versus BCE with logits.

−[y ln σ(z) + (1−y) ln(1−σ(z))] = max(z, 0) − z y + ln(1 + e^{−|z|}), and its derivative in z is σ(z) − y.

>>> naive_probability_loss(40.0, 0.0)
inf
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from snippets.bce import bce_with_logits
from snippets.bce import sigmoid as bce_sigmoid
from snippets.proof import Chain, Step, sigmoid
from snippets.soft_target_minimum import per_example_cost

# The claims this one builds on (the map on docs/checks.md).
BUILDS_ON = ("soft_target_minimum",)

y = sp.Symbol("y", nonnegative=True)
positive = sp.Symbol("z", positive=True)
negative = sp.Symbol("z", negative=True)


def probability_loss(z, target):
    """−[y ln σ(z) + (1−y) ln(1−σ(z))]: the cost of the first page, on σ(z)."""
    return per_example_cost(sigmoid(z), target)


STABLE_TEX = r"\max(z,0) - zy + \ln(1+e^{-|z|})"


def stable_identity(z: sp.Symbol) -> Chain:
    """The stable form, checked separately for z > 0 and z < 0 (where max and |·| resolve)."""
    sign_case = "z > 0" if z.is_positive else "z < 0"
    return Chain(
        r"-\left[y\ln\sigma(z) + (1-y)\ln(1-\sigma(z))\right]",
        probability_loss(z, y),
        [
            Step(
                r"y\ln(1+e^{-z}) + (1-y)\ln(1+e^{z})",
                r"$\sigma(z) = \frac{1}{1+e^{-z}}$, $1-\sigma(z) = \frac{1}{1+e^{z}}$",
            ),
            Step(r"(1-y)z + \ln(1+e^{-z})" if z.is_positive else r"-yz + \ln(1+e^{z})", rf"$\ln(1+e^{{\pm z}})$ rewritten for ${sign_case}$"),
            Step(STABLE_TEX, rf"for ${sign_case}$: $\max(z,0) = {'z' if z.is_positive else '0'}$, $|z| = {'z' if z.is_positive else '-z'}$"),
        ],
        {z: (0.01, 30.0) if z.is_positive else (-30.0, -0.01), y: (0.0, 1.0)},
        samples=30,
    )


stable_for_positive_z = stable_identity(positive)
stable_for_negative_z = stable_identity(negative)

combined_gradient = Chain(
    r"\frac{\partial}{\partial z}\Big(-\left[y\ln\sigma(z) + (1-y)\ln(1-\sigma(z))\right]\Big)",
    sp.diff(probability_loss(sp.Symbol("z", real=True), y), sp.Symbol("z", real=True)),
    [Step(r"\sigma(z) - y", r"$\frac{\partial C_x}{\partial a}\,\sigma'(z)$; $\sigma'$ cancels")],
    {sp.Symbol("z", real=True): (-20.0, 20.0), y: (0.0, 1.0)},
)


def _first_true(predicate, low: float, high: float) -> float:
    """Bisection for the point where `predicate` switches from False (at low) to True (at high)."""
    assert not predicate(low) and predicate(high)
    for _ in range(200):
        middle = (low + high) / 2
        low, high = (low, middle) if predicate(middle) else (middle, high)
    return high


def float64_saturation() -> dict[str, float]:
    """Where float64 loses σ(z) and σ'(z), found by bisection on the computed values themselves.

    - ``one_minus_sigma_is_zero_from``: the z above which 1 − σ(z) computes to exactly 0 (σ rounds to 1);
    - ``derivative_is_zero_below``: the z below which σ(z)(1 − σ(z)) computes to exactly 0, with σ from
      the reference implementation (scipy's expit): there e^{−z} overflows and σ(z) is returned as 0;
    - ``exp_is_zero_below``: the z below which e^z, which σ(z)(1 − σ(z)) approaches, underflows to 0;
    - ``derivative_at_minus_37``: σ(z)(1 − σ(z)) at z = −37, tiny but not 0.

    >>> facts = float64_saturation()
    >>> 36 < facts["one_minus_sigma_is_zero_from"] < 38 and facts["derivative_at_minus_37"] > 0
    True
    """

    def sigma(z: float) -> float:
        return float(bce_sigmoid(np.float64(z)))  # the stable σ: no overflow on either side

    def derivative(z: float) -> float:
        return sigma(z) * (1 - sigma(z))

    return {
        "one_minus_sigma_is_zero_from": _first_true(lambda z: 1 - sigma(z) == 0, 30.0, 40.0),
        "derivative_is_zero_below": -_first_true(lambda t: derivative(-t) == 0, 700.0, 800.0),
        "exp_is_zero_below": -_first_true(lambda t: np.exp(-t) == 0, 700.0, 800.0),
        "derivative_at_minus_37": derivative(-37.0),
    }


def naive_probability_loss(z: float, target: float) -> float:
    """σ first, then logs: what a loss on probabilities does with a network's output."""
    with np.errstate(all="ignore"):
        probability = 1 / (1 + np.exp(-np.float64(z)))
        return float(-(target * np.log(probability) + (1 - target) * np.log(1 - probability)))


def exact_loss(z: float, target: float) -> float:
    """The exact value: sympy evaluates the exact expression to 50 significant digits."""
    value = probability_loss(sp.Rational(z), sp.Rational(target))
    return float(sp.N(value, 50))


def precision_table(cases=((5.0, 0.0), (20.0, 0.0), (37.0, 0.0), (40.0, 0.0), (-800.0, 1.0), (800.0, 1.0))) -> str:
    rows = []
    for z, target in cases:
        exact = exact_loss(z, target)
        naive = naive_probability_loss(z, target)
        stable = float(bce_with_logits([z], [target]))
        assert abs(stable - exact) <= 1e-15 * max(1.0, abs(exact))
        naive_error = f"{abs(naive - exact) / exact:.1e}" if np.isfinite(naive) else f"**{naive}**"
        rows.append(f"| {z:g} | {target:g} | {exact:.17g} | {naive:.17g} | {naive_error} | {stable:.17g} |")
    return (
        "| $z$ | $y$ | exact (50 digits, rounded) | naive: $\\sigma$, then $\\ln$ | naive relative error | stable formula |\n"
        "|---|---|---|---|---|---|\n" + "\n".join(rows)
    )
