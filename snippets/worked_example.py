"""One gradient step by hand: three examples, one feature, w = b = 0, learning rate 1.

Every number is computed exactly by sympy from the cost C(w, b) = (1/3) Σ C_x(σ(w x_i + b), y_i),
C_x as defined on the "why cross-entropy" page, and every displayed step is parsed back and
compared with it.

>>> START_GRADIENT
(-1/2, -1/6)
>>> float(cost_value(*NEW_PARAMETERS)) < float(cost_value(0, 0))
True
"""

from __future__ import annotations

import sympy as sp

from bce_proofs import Chain, Step, sigmoid
from snippets.why_cross_entropy import a as prediction
from snippets.why_cross_entropy import term
from snippets.why_cross_entropy import y as target

# The claims this one builds on (the map on docs/checks.md).
BUILDS_ON = ("neuron_gradient", "why_cross_entropy")

INPUTS = (-1, 0, 2)
TARGETS = (0, 1, 1)
RATE = 1
w = sp.Symbol("w", real=True)
b = sp.Symbol("b", real=True)

COST = sum(
    term.value.subs({prediction: sigmoid(w * x + b), target: y}, simultaneous=True) for x, y in zip(INPUTS, TARGETS)
) / len(INPUTS)


def cost_value(weight, bias) -> sp.Expr:
    """C(w, b), exactly."""
    return COST.subs({w: weight, b: bias})


start_prediction = Chain(r"a_i = \sigma(0)", sigmoid(sp.Integer(0)), [Step(r"\frac{1}{1+e^{0}}", r"$z_i = 0\cdot x_i + 0$"), Step(r"\frac{1}{2}", r"$e^0 = 1$: every input")])

start_cost = Chain(
    r"C(0, 0)",
    cost_value(0, 0),
    [
        Step(r"-\frac{1}{3}\Big[\ln\Big(1-\frac{1}{2}\Big) + \ln\frac{1}{2} + \ln\frac{1}{2}\Big]", r"$y = (0, 1, 1)$: $\ln(1-a_1)$, $\ln a_2$, $\ln a_3$"),
        Step(r"\ln 2", r"$-\ln\frac12 = \ln 2$, three times, divided by $3$"),
    ],
)

GRADIENT_W = sp.diff(COST, w).subs({w: 0, b: 0})
GRADIENT_B = sp.diff(COST, b).subs({w: 0, b: 0})
START_GRADIENT = (GRADIENT_W, GRADIENT_B)

gradient_w = Chain(
    r"\frac{\partial C}{\partial w}\Big|_{(0,0)}",
    GRADIENT_W,
    [
        Step(
            r"\frac{1}{3}\Big[(-1)\Big(\frac{1}{2} - 0\Big) + 0\Big(\frac{1}{2} - 1\Big) + 2\Big(\frac{1}{2} - 1\Big)\Big]",
            r"$\frac1n\sum_i x_i\,(a_i - y_i)$",
        ),
        Step(r"\frac{1}{3}\Big[-\frac{1}{2} + 0 - 1\Big]", "multiply"),
        Step(r"-\frac{1}{2}", "add, divide by 3"),
    ],
)

gradient_b = Chain(
    r"\frac{\partial C}{\partial b}\Big|_{(0,0)}",
    GRADIENT_B,
    [
        Step(r"\frac{1}{3}\Big[\Big(\frac{1}{2} - 0\Big) + \Big(\frac{1}{2} - 1\Big) + \Big(\frac{1}{2} - 1\Big)\Big]", r"$\frac1n\sum_i (a_i - y_i)$"),
        Step(r"-\frac{1}{6}", r"$\frac13\cdot\left(-\frac12\right)$"),
    ],
)

NEW_PARAMETERS = (0 - RATE * GRADIENT_W, 0 - RATE * GRADIENT_B)

new_w = Chain(r"w_1 = w_0 - \eta\,\frac{\partial C}{\partial w}", NEW_PARAMETERS[0], [Step(r"0 - 1\cdot\Big(-\frac{1}{2}\Big)", r"$\eta = 1$"), Step(r"\frac{1}{2}", "the weight grows: the inputs with label 1 have the larger $x$")])
new_b = Chain(r"b_1 = b_0 - \eta\,\frac{\partial C}{\partial b}", NEW_PARAMETERS[1], [Step(r"0 - 1\cdot\Big(-\frac{1}{6}\Big)", r"$\eta = 1$"), Step(r"\frac{1}{6}", "the bias grows: two labels of three are 1")])

new_logits = [
    Chain(rf"z_{index} = w_1 x_{index} + b_1", NEW_PARAMETERS[0] * x + NEW_PARAMETERS[1], [Step(tex_in, r"$w_1 = \frac12$, $b_1 = \frac16$"), Step(tex_out, "add")])
    for index, x, tex_in, tex_out in (
        (1, -1, r"\frac{1}{2}(-1) + \frac{1}{6}", r"-\frac{1}{3}"),
        (2, 0, r"\frac{1}{2}\cdot 0 + \frac{1}{6}", r"\frac{1}{6}"),
        (3, 2, r"\frac{1}{2}\cdot 2 + \frac{1}{6}", r"\frac{7}{6}"),
    )
]

new_cost = Chain(
    r"C(w_1, b_1)",
    cost_value(*NEW_PARAMETERS),
    [
        Step(
            r"-\frac{1}{3}\Big[\ln\Big(1-\sigma\Big(-\frac{1}{3}\Big)\Big) + \ln\sigma\Big(\frac{1}{6}\Big) + \ln\sigma\Big(\frac{7}{6}\Big)\Big]",
            r"the new $z_i$, $y = (0, 1, 1)$",
        ),
        Step(
            r"\frac{1}{3}\Big[\ln\big(1+e^{-1/3}\big) + \ln\big(1+e^{-1/6}\big) + \ln\big(1+e^{-7/6}\big)\Big]",
            r"$-\ln(1-\sigma(z)) = \ln(1+e^{z})$ and $-\ln\sigma(z) = \ln(1+e^{-z})$",
        ),
    ],
)


def numbers_markdown() -> str:
    """The step as decimals, each evaluated from the exact values above."""
    new_w_, new_b_ = NEW_PARAMETERS
    rows = []
    for x, y in zip(INPUTS, TARGETS):
        z_new = new_w_ * x + new_b_
        a_new = sigmoid(z_new)
        if not abs(float(a_new) - y) < abs(0.5 - y):  # the page says each prediction moved towards its target
            raise AssertionError(f"at x = {x} the prediction moved away from its target {y}: 0.5 → {float(a_new)}")
        rows.append(f"| ${x}$ | ${y}$ | $0$ | $0.5$ | ${float(z_new):.4f}$ | ${float(a_new):.4f}$ |")
    before, after = float(cost_value(0, 0)), float(cost_value(*NEW_PARAMETERS))
    if not after < before:
        raise AssertionError(f"the step did not lower the cost: {before} → {after}")
    table = (
        "| $x_i$ | $y_i$ | $z_i$ before | $a_i$ before | $z_i$ after | $a_i$ after |\n|---|---|---|---|---|---|\n"
        + "\n".join(rows)
    )
    return table + f"\n\nThe cost falls from $C(0, 0) = \\ln 2 = {before:.4f}$ to $C(w_1, b_1) = {after:.4f}$."
