"""Exercises for docs/differentials.md: the gradient in the data X, and the Hessian by a second differential.

As on the page, a = σ(Xw) (no bias) and C(a) are the parsed definitions; every left-hand side is
computed from them without any gradient or Hessian formula.

>>> [chain.status for chain in CHAINS]
['checked', 'checked', 'checked', 'checked', 'checked']
"""

from __future__ import annotations

import numpy as np

from snippets import numeric
from snippets.differentials import NAMES as PAGE_NAMES
from snippets.differentials import cost, frob, prediction
from bce_proofs import MatrixChain, Step

NAMES = (*PAGE_NAMES, "N", "dX", r"\nabla_w C")


def _matrices_case(rng):
    rows, inner, columns = (int(size) for size in rng.integers(1, 6, size=3))
    return {"A": rng.normal(size=(rows, columns)), "B": rng.normal(size=(rows, inner)), "N": rng.normal(size=(inner, columns))}


# Exercise 1: the gradient in the data X. First the identity that moves a right factor across ":".
right_factor = MatrixChain(
    "A : (BN)",
    lambda c: frob(c["A"], c["B"] @ c["N"]),
    [Step(r"(AN^\top) : B", r"$\operatorname{tr}(A^\top BN) = \operatorname{tr}(NA^\top B)$")],
    _matrices_case,
)


def cost_of_data(case, X):
    """C(σ(Xw)) from the two parsed definitions, as a function of X; complex X allowed."""
    values = {**case, "X": X}
    return cost({**values, "a": prediction(values)})


def _data_case(rng):
    n, k = int(rng.integers(2, 9)), int(rng.integers(1, 5))
    case = {"X": rng.normal(size=(n, k)), "y": rng.uniform(size=n), "w": rng.normal(size=k), "dX": rng.normal(size=(n, k)), "n": n}
    case["dw"] = rng.normal(size=k)
    case["a"] = prediction(case)
    return case


differential_in_X = MatrixChain(
    "dC",
    lambda c: numeric.directional_derivative(lambda X: cost_of_data(c, X), c["X"], c["dX"]),
    [
        Step(
            r"\Big((a - y) \oslash \big(n(a - a\odot a)\big)\Big) : \Big(a\odot(\mathbf{1}-a)\odot dX\,w\Big)",
            r"as in Step 2, with $d(Xw) = dX\,w$ in place of $X\,dw$",
        ),
        Step(r"\frac{1}{n}(a - y) : dX\,w", r"$A : (B \odot D) = (A \odot B) : D$; $a\odot(\mathbf 1-a)$ cancels"),
        Step(r"\frac{1}{n}\big((a - y)w^\top\big) : dX", r"$A : (BN) = (AN^\top) : B$ with $B = dX$, $N = w$"),
    ],
    _data_case,
    names=NAMES,
    lhs_how="as the complex-step derivative of the parsed C(σ(Xw)) along a random dX",
)

gradient_in_X = MatrixChain(
    r"\frac{\partial C}{\partial X}",
    lambda c: numeric.gradient(lambda X: cost_of_data(c, X), c["X"]),
    [Step(r"\frac{1}{n}(a - y)w^\top", "read off $dC = G : dX$: an outer product, the shape of $X$")],
    _data_case,
    names=NAMES,
    lhs_how="by the complex step from the parsed C(σ(Xw)), in every entry of X",
)


# Exercise 2: differentiate the gradient once more.
def gradient_of_weights(case, w):
    """∇_w C by the complex step from the parsed definitions: no gradient formula."""
    values = {**case, "w": w}
    return numeric.gradient(lambda v: cost({**values, "a": prediction({**values, "w": v})}), w)


def gradient_change(case, step: float = 1e-5):
    """d(∇_w C) along dw: central differences of the complex-step gradient."""
    up = gradient_of_weights(case, case["w"] + step * case["dw"])
    down = gradient_of_weights(case, case["w"] - step * case["dw"])
    return (up - down) / (2 * step)


def hessian_by_differences(case, step: float = 1e-5):
    """∇²_w C, one column per weight: central differences of the complex-step gradient."""
    columns = [gradient_change({**case, "dw": e}, step) for e in np.eye(case["w"].size)]
    return np.stack(columns, axis=1)


second_differential = MatrixChain(
    r"d(\nabla_w C)",
    gradient_change,
    [
        Step(r"\frac{1}{n}X^\top da", r"$\nabla_w C = \frac{1}{n}X^\top(a - y)$; only $a$ varies"),
        Step(r"\frac{1}{n}X^\top\big(a\odot(\mathbf{1}-a)\odot X\,dw\big)", r"$da = a\odot(\mathbf 1-a)\odot X\,dw$, as in Step 2"),
        Step(r"\frac{1}{n}X^\top\operatorname{diag}\big(a\odot(\mathbf{1}-a)\big)X\,dw", r"$v\odot u = \operatorname{diag}(v)\,u$"),
    ],
    lambda rng: _with_da(_data_case(rng)),
    names=NAMES,
    tolerance=1e-7,  # central differences of width 1e-5 are accurate to about 1e-10 here
    lhs_how="by central differences, along dw, of the complex-step gradient of the parsed cost",
)


def _with_da(case):
    """The change of a along dw, by the complex step through the parsed prediction."""
    case["da"] = numeric.directional_derivative(lambda w: prediction({**case, "w": w}), case["w"], case["dw"])
    return case


hessian_in_w = MatrixChain(
    r"\nabla^2_w C",
    hessian_by_differences,
    [Step(r"\frac{1}{n}X^\top\operatorname{diag}\big(a\odot(\mathbf{1}-a)\big)X", r"read off $d(\nabla_w C) = \nabla^2_w C\,dw$")],
    _data_case,
    names=NAMES,
    tolerance=1e-7,
    lhs_how="by central differences of the complex-step gradient of the parsed cost, one column per weight",
)

CHAINS = (right_factor, differential_in_X, gradient_in_X, second_differential, hessian_in_w)
