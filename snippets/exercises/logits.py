"""Exercises for docs/logits.md: softplus's derivative, the stable form's derivative, labels ±1.

The stable form differentiated here is parsed from the TeX the page shows (`STABLE_TEX`).

>>> [chain.status for chain in CHAINS]
['proved', 'proved', 'proved', 'proved', 'proved']
"""

from __future__ import annotations

import sympy as sp

from snippets.logits import STABLE_TEX, negative, positive, probability_loss, y
from bce_proofs import Chain, Step, parse_tex

z = sp.Symbol("z", real=True)
t = sp.Symbol("t", real=True)  # the label as ±1: t = 2y − 1

# Exercise 1: the derivative of softplus.
softplus_derivative = Chain(
    r"\frac{d}{dz}\ln(1+e^{z})",
    sp.diff(sp.log(1 + sp.exp(z)), z),
    [
        Step(r"\frac{e^{z}}{1+e^{z}}", r"chain rule: $\frac{1}{1+e^{z}}\cdot e^{z}$"),
        Step(r"\frac{1}{e^{-z}+1}", r"divide above and below by $e^{z}$"),
        Step(r"\sigma(z)", "the logistic function"),
    ],
    {z: (-20.0, 20.0)},
)


# Exercise 2: differentiate the stable form itself, on each side of 0.
def stable_derivative(side: sp.Symbol) -> Chain:
    """d/dz of the page's stable form, with z declared positive or negative (where max and |·| resolve)."""
    stable = parse_tex(STABLE_TEX, {"z": side, "y": y})
    positive_side = side.is_positive
    return Chain(
        r"\frac{d}{dz}\Big(" + STABLE_TEX + r"\Big)\Big|_{" + ("z>0" if positive_side else "z<0") + "}",
        sp.diff(stable, side),
        [
            Step(
                r"1 - y - \frac{e^{-z}}{1+e^{-z}}" if positive_side else r"-y + \frac{e^{z}}{1+e^{z}}",
                r"$\max(z,0) = z$, $\max(-z,0) = 0$, $|z| = z$" if positive_side else r"$\max(z,0) = 0$, $\max(-z,0) = -z$, $|z| = -z$",
            ),
            Step(r"\sigma(z) - y", r"$1 - \frac{e^{-z}}{1+e^{-z}} = \frac{1}{1+e^{-z}}$" if positive_side else r"Exercise 1: $\frac{e^{z}}{1+e^{z}} = \sigma(z)$"),
        ],
        {side: (0.01, 30.0) if positive_side else (-30.0, -0.01), y: (0.0, 1.0)},
    )


stable_derivative_positive = stable_derivative(positive)
stable_derivative_negative = stable_derivative(negative)


# Exercise 3: hard labels written as t = ±1.
def signed_label(target: int) -> Chain:
    """One example's cost at the hard label y = target, as ln(1 + e^{−tz}) with t = 2y − 1."""
    sign = 2 * target - 1
    return Chain(
        rf"C_x\big|_{{y={target}}}",
        probability_loss(z, target),
        [
            Step(r"\ln(1+e^{-z})" if target == 1 else r"\ln(1+e^{z})", r"$-\ln\sigma(z)$" if target == 1 else r"$-\ln(1-\sigma(z))$"),
            Step(r"\ln(1+e^{-tz})", rf"$t = 2y - 1 = {sign}$"),
        ],
        {z: (-20.0, 20.0)},
        definitions={t: sign},
    )


label_one = signed_label(1)
label_zero = signed_label(0)

CHAINS = (softplus_derivative, stable_derivative_positive, stable_derivative_negative, label_one, label_zero)
