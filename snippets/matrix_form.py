"""Logistic regression's gradient and Hessian in vector and matrix form.

X is n×k (one example per row x_iᵀ), w has k entries, b is a scalar, y has n entries in [0, 1],
a = σ(Xw + b) has n entries, and C(w, b) = −(1/n) Σ_i [y_i ln a_i + (1−y_i) ln(1−a_i)].

>>> [check.method for check in gradient_w.check()][-1]
'numeric on 20 random cases, relative error < 1e-09'
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from snippets import numeric
from snippets.numeric import sigmoid
from snippets.proof import NumericChain, NumericStep


def cost(X, y, w, b):
    """C(w, b), written from its definition; works for complex w and b (complex step)."""
    s = sigmoid(X @ w + b)
    return -np.mean(y * np.log(s) + (1 - y) * np.log(1 - s))


def make_case(rng: np.random.Generator) -> dict:
    n, k = rng.integers(3, 9), rng.integers(1, 5)
    return {"X": rng.normal(size=(n, k)), "y": rng.uniform(size=n), "w": rng.normal(size=k), "b": float(rng.normal())}


def _s(case):
    return sigmoid(case["X"] @ case["w"] + case["b"])


def _params(case):
    return np.append(case["w"], case["b"])


def _cost_of_params(case):
    return lambda p: cost(case["X"], case["y"], p[:-1], p[-1])


def _complex_step_gradient_of_params(case, params):
    return numeric.gradient(_cost_of_params(case), params)


gradient_w = NumericChain(
    r"\nabla_w C",
    lambda case: numeric.gradient(lambda w: cost(case["X"], case["y"], w, case["b"]), case["w"]),
    [
        NumericStep(
            r"\frac{1}{n}\sum_{i=1}^{n} \big(\sigma(x_i^\top w + b) - y_i\big)\,x_i",
            "one neuron's gradient, summed over examples",
            lambda c: sum((_s(c)[i] - c["y"][i]) * c["X"][i] for i in range(len(c["y"]))) / len(c["y"]),
        ),
        NumericStep(
            r"\frac{1}{n} X^\top\big(\sigma(Xw + b\mathbf{1}) - y\big)",
            r"$X^\top v = \sum_i v_i x_i$",
            lambda c: c["X"].T @ (_s(c) - c["y"]) / len(c["y"]),
        ),
    ],
    make_case,
)

gradient_b = NumericChain(
    r"\frac{\partial C}{\partial b}",
    lambda case: numeric.directional_derivative(lambda p: _cost_of_params(case)(p), _params(case), np.eye(len(case["w"]) + 1)[-1]),
    [
        NumericStep(
            r"\frac{1}{n}\mathbf{1}^\top\big(\sigma(Xw + b\mathbf{1}) - y\big)",
            r"$\partial z_i / \partial b = 1$",
            lambda c: np.sum(_s(c) - c["y"]) / len(c["y"]),
        ),
    ],
    make_case,
)


def _hessian_by_differences(case, step=1e-5):
    """Central differences of the complex-step gradient: independent of any Hessian formula."""
    params = _params(case)
    columns = []
    for e in np.eye(params.size):
        up = _complex_step_gradient_of_params(case, params + step * e)
        down = _complex_step_gradient_of_params(case, params - step * e)
        columns.append((up - down) / (2 * step))
    return np.stack(columns, axis=1)


def _design(case):
    return np.hstack([case["X"], np.ones((len(case["y"]), 1))])


hessian = NumericChain(
    r"\nabla^2_{(w,b)} C",
    _hessian_by_differences,
    [
        NumericStep(
            r"\frac{1}{n}\sum_{i=1}^{n} a_i(1-a_i)\,\tilde x_i \tilde x_i^\top",
            r"differentiate $(a_i - y_i)\tilde x_i$ once more; $\tilde x_i = (x_i, 1)$",
            lambda c: sum(s * (1 - s) * np.outer(x, x) for s, x in zip(_s(c), _design(c))) / len(c["y"]),
        ),
        NumericStep(
            r"\frac{1}{n}\tilde X^\top \operatorname{diag}\big(a\odot(\mathbf{1}-a)\big)\,\tilde X",
            r"$\tilde X = [X\ \mathbf{1}]$ stacks the $\tilde x_i^\top$",
            lambda c: _design(c).T @ np.diag(_s(c) * (1 - _s(c))) @ _design(c) / len(c["y"]),
        ),
    ],
    make_case,
    tolerance=1e-7,  # central differences of width 1e-5 are accurate to about 1e-10 here
)


def _with_direction(rng):
    case = make_case(rng)
    case["v"] = rng.normal(size=len(case["w"]) + 1)
    return case


quadratic_form = NumericChain(
    r"v^\top \nabla^2 C\, v",
    lambda c: c["v"] @ (_design(c).T @ np.diag(_s(c) * (1 - _s(c))) @ _design(c) / len(c["y"])) @ c["v"],
    [
        NumericStep(
            r"\frac{1}{n}\sum_{i=1}^{n} a_i(1-a_i)\,(\tilde x_i^\top v)^2",
            r"$v^\top \tilde x_i \tilde x_i^\top v = (\tilde x_i^\top v)^2$",
            lambda c: np.sum(_s(c) * (1 - _s(c)) * (_design(c) @ c["v"]) ** 2) / len(c["y"]),
        ),
    ],
    _with_direction,
)


def smallest_eigenvalues(cases: int = 200, seed: int = 7) -> np.ndarray:
    """The smallest eigenvalue of the Hessian formula on many random problems."""
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(cases):
        case = make_case(rng)
        design, s = _design(case), _s(case)
        values.append(np.linalg.eigvalsh(design.T @ np.diag(s * (1 - s)) @ design / len(case["y"])).min())
    return np.array(values)


def symbolic_small_case() -> tuple[bool, bool]:
    """n = 2, k = 2 with every entry a symbol: sympy's gradient and Hessian equal the formulas."""
    X = sp.Matrix(2, 2, sp.symbols("x_11 x_12 x_21 x_22", real=True))
    w = sp.Matrix(sp.symbols("w_1 w_2", real=True))
    b = sp.Symbol("b", real=True)
    y = sp.Matrix(sp.symbols("y_1 y_2", real=True))
    z = X * w + sp.Matrix([b, b])
    a = z.applyfunc(lambda t: 1 / (1 + sp.exp(-t)))
    C = -sum(y[i] * sp.log(a[i]) + (1 - y[i]) * sp.log(1 - a[i]) for i in range(2)) / 2
    params = [*w, b]
    design = X.row_join(sp.ones(2, 1))
    gradient_formula = design.T * (a - y) / 2
    gradient_sympy = sp.Matrix([sp.diff(C, p) for p in params])
    hessian_formula = design.T * sp.diag(*[a[i] * (1 - a[i]) for i in range(2)]) * design / 2
    hessian_sympy = sp.hessian(C, params)
    # Over a common denominator each difference is a polynomial in the exponentials: expand it to 0.
    gradient_ok = all(sp.expand(sp.together(e)) == 0 for e in gradient_sympy - gradient_formula)
    hessian_ok = all(sp.expand(sp.together(e)) == 0 for e in hessian_sympy - hessian_formula)
    return gradient_ok, hessian_ok
