"""Exercises for docs/matrix_form.md: an L2 penalty on the weights, and a weighted loss.

Both costs are parsed from the TeX the page shows; every left-hand side is the complex-step
derivative of the parsed cost, with no gradient formula (as on the page).

>>> [chain.status for chain in CHAINS]
['checked', 'checked', 'checked', 'checked', 'checked']
"""

from __future__ import annotations

import numpy as np

from snippets import matrix_form, numeric
from bce_proofs import MatrixChain, MatrixDefinition, Step

NAMES = (*matrix_form.NAMES, "C", r"\lambda", r"\eta", "s", r"\nabla_w C")
ROWS = matrix_form.ROWS

penalised_cost = MatrixDefinition(
    r"C_\lambda(w, b)", r"C + \frac{\lambda}{2}w^\top w", NAMES, ROWS, note=r"$C = C(w, b)$ of the page; $\lambda > 0$"
)
weighted_cost = MatrixDefinition(
    r"C_s(w, b)",
    r"-\frac{1}{n}\sum_{i=1}^{n} s_i\big[y_i\ln a_i + (1-y_i)\ln(1-a_i)\big]",
    NAMES,
    ROWS,
    note=r"a weight $s_i \ge 0$ for each example",
)


def penalised_at(case: dict, w, b):
    """C_λ at (w, b) from the two parsed definitions; complex w, b allowed (complex step)."""
    return penalised_cost({**case, "w": w, "C": matrix_form.cost_at(case, w, b)})


def weighted_at(case: dict, w, b):
    return weighted_cost(matrix_form.with_parameters(case, w, b))


def make_case(rng: np.random.Generator) -> dict:
    case = matrix_form.make_case(rng)
    case[r"\lambda"] = float(rng.uniform(0.01, 2.0))
    case[r"\eta"] = float(rng.uniform(0.01, 1.0))
    case["s"] = rng.uniform(0.0, 3.0, size=case["n"])
    case[r"\nabla_w C"] = numeric.gradient(lambda w: matrix_form.cost_at(case, w, case["b"]), case["w"])
    return case


def _in_w(cost):
    return lambda case: numeric.gradient(lambda w: cost(case, w, case["b"]), case["w"])


def _in_b(cost):
    return lambda case: numeric.directional_derivative(lambda b: cost(case, case["w"], b), np.array(case["b"]), np.array(1.0))


# Exercise 1: the penalty (λ/2)‖w‖² on the weights.
penalised_gradient_w = MatrixChain(
    r"\nabla_w C_\lambda",
    _in_w(penalised_at),
    [
        Step(r"\nabla_w C + \lambda w", r"$\nabla_w \frac{\lambda}{2}w^\top w = \lambda w$"),
        Step(r"\frac{1}{n} X^\top(a - y) + \lambda w", r"the page's $\nabla_w C$"),
    ],
    make_case,
    rows=ROWS,
    lhs_how="by the complex step from the parsed penalised cost, with no gradient formula",
)

penalised_gradient_b = MatrixChain(
    r"\frac{\partial C_\lambda}{\partial b}",
    _in_b(penalised_at),
    [Step(r"\frac{1}{n}\mathbf{1}^\top(a - y)", "the penalty has no $b$: unchanged")],
    make_case,
    rows=ROWS,
    lhs_how="by the complex step from the parsed penalised cost",
)

decay_step = MatrixChain(
    r"w - \eta\nabla_w C_\lambda",
    lambda case: case["w"] - case[r"\eta"] * _in_w(penalised_at)(case),
    [Step(r"(1 - \eta\lambda)w - \frac{\eta}{n}X^\top(a - y)", r"collect the terms in $w$")],
    make_case,
    rows=ROWS,
    lhs_how="w minus η times the complex-step gradient of the parsed penalised cost",
)

# Exercise 2: a weight s_i per example.
weighted_gradient_w = MatrixChain(
    r"\nabla_w C_s",
    _in_w(weighted_at),
    [
        Step(r"\frac{1}{n}\sum_{i=1}^{n} s_i\big(a_i - y_i\big)\,x_i", r"example $i$'s gradient, scaled by $s_i$"),
        Step(r"\frac{1}{n}X^\top\big(s\odot(a - y)\big)", r"$X^\top v = \sum_i v_i x_i$ with $v = s\odot(a - y)$"),
    ],
    make_case,
    rows=ROWS,
    lhs_how="by the complex step from the parsed weighted cost, with no gradient formula",
)

weighted_gradient_b = MatrixChain(
    r"\frac{\partial C_s}{\partial b}",
    _in_b(weighted_at),
    [
        Step(r"\frac{1}{n}\mathbf{1}^\top\big(s\odot(a - y)\big)", r"$\partial z_i/\partial b = 1$"),
        Step(r"\frac{1}{n}s^\top(a - y)", r"$\mathbf{1}^\top(s\odot v) = s^\top v$"),
    ],
    make_case,
    rows=ROWS,
    lhs_how="by the complex step from the parsed weighted cost",
)

CHAINS = (penalised_gradient_w, penalised_gradient_b, decay_step, weighted_gradient_w, weighted_gradient_b)
