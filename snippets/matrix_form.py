"""Logistic regression's gradient and Hessian in vector and matrix form.

X is n×k (one example per row x_iᵀ), w has k entries, b is a scalar, y has n entries in [0, 1].
The prediction a and the cost C are parsed from the TeX the page shows; every left-hand side is
computed from them without any gradient or Hessian formula (complex step, central differences).

>>> gradient_w.status
'checked'
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from snippets import numeric
from bce_proofs import MatrixChain, MatrixDefinition, Step

# The claims this one builds on (the map on docs/checks.md).
BUILDS_ON = ("neuron_gradient",)

NAMES = ("X", "w", "b", "y", "n", "a", r"\tilde X", "v")
ROWS = {"x": "X", r"\tilde x": r"\tilde X"}

prediction = MatrixDefinition("a", r"\sigma(Xw + b\mathbf{1})", NAMES, ROWS, note="σ applied to each entry")
cost = MatrixDefinition(
    "C(w, b)", r"-\frac{1}{n}\sum_{i=1}^{n}\big[y_i\ln a_i + (1-y_i)\ln(1-a_i)\big]", NAMES, ROWS
)


def with_parameters(case: dict, w, b) -> dict:
    """The case at weights w and bias b (real or complex), with its prediction a recomputed."""
    values = {**case, "w": w, "b": b}
    values["a"] = prediction(values)
    return values


def cost_at(case: dict, w, b):
    return cost(with_parameters(case, w, b))


def make_case(rng: np.random.Generator) -> dict:
    n, k = int(rng.integers(3, 9)), int(rng.integers(1, 5))
    X = rng.normal(size=(n, k))
    case = {"X": X, "y": rng.uniform(size=n), "n": n, r"\tilde X": np.hstack([X, np.ones((n, 1))]), "v": rng.normal(size=k + 1)}
    return with_parameters(case, rng.normal(size=k), float(rng.normal()))


def _gradient_of_parameters(case: dict, parameters: np.ndarray) -> np.ndarray:
    """∇_{(w,b)} C by the complex step, from the parsed cost alone."""
    return numeric.gradient(lambda p: cost_at(case, p[:-1], p[-1]), parameters)


def _parameters(case: dict) -> np.ndarray:
    return np.append(case["w"], case["b"])


def hessian_by_differences(case: dict, step: float = 1e-5) -> np.ndarray:
    """Central differences of the complex-step gradient: independent of any Hessian formula."""
    columns = [
        (_gradient_of_parameters(case, _parameters(case) + step * e) - _gradient_of_parameters(case, _parameters(case) - step * e))
        / (2 * step)
        for e in np.eye(_parameters(case).size)
    ]
    return np.stack(columns, axis=1)


def curvature_along_direction(case: dict, step: float = 1e-5) -> float:
    """vᵀ∇²C v as the derivative of ∇C·v along v: no Hessian formula involved."""
    v = case["v"]
    up = _gradient_of_parameters(case, _parameters(case) + step * v) @ v
    down = _gradient_of_parameters(case, _parameters(case) - step * v) @ v
    return (up - down) / (2 * step)


gradient_w = MatrixChain(
    r"\nabla_w C",
    lambda case: numeric.gradient(lambda w: cost_at(case, w, case["b"]), case["w"]),
    [
        Step(r"\frac{1}{n}\sum_{i=1}^{n} \big(\sigma(x_i^\top w + b) - y_i\big)\,x_i", "one neuron's gradient, summed over examples"),
        Step(r"\frac{1}{n} X^\top\big(\sigma(Xw + b\mathbf{1}) - y\big)", r"$X^\top v = \sum_i v_i x_i$"),
        Step(r"\frac{1}{n} X^\top(a - y)", r"$a = \sigma(Xw + b\mathbf{1})$"),
    ],
    make_case,
    rows=ROWS,
    lhs_how="by the complex step from the parsed cost C, with no gradient formula",
)

gradient_b = MatrixChain(
    r"\frac{\partial C}{\partial b}",
    lambda case: numeric.directional_derivative(lambda b: cost_at(case, case["w"], b), np.array(case["b"]), np.array(1.0)),
    [
        Step(r"\frac{1}{n}\mathbf{1}^\top\big(\sigma(Xw + b\mathbf{1}) - y\big)", r"$\partial z_i / \partial b = 1$"),
        Step(r"\frac{1}{n}\mathbf{1}^\top(a - y)", r"$\mathbf{1}^\top v$ sums the entries of $v$"),
    ],
    make_case,
    rows=ROWS,
    lhs_how="by the complex step from the parsed cost C",
)

hessian = MatrixChain(
    r"\nabla^2_{(w,b)} C",
    hessian_by_differences,
    [
        Step(
            r"\frac{1}{n}\sum_{i=1}^{n} a_i(1-a_i)\,\tilde x_i \tilde x_i^\top",
            r"differentiate $(a_i - y_i)\tilde x_i$ once more; $\tilde x_i = (x_i, 1)$",
        ),
        Step(
            r"\frac{1}{n}\tilde X^\top \operatorname{diag}\big(a\odot(\mathbf{1}-a)\big)\,\tilde X",
            r"$\tilde X = [X\ \mathbf{1}]$ stacks the $\tilde x_i^\top$",
        ),
    ],
    make_case,
    rows=ROWS,
    tolerance=1e-7,  # central differences of width 1e-5 are accurate to about 1e-10 here
    lhs_how="by central differences of the complex-step gradient of the parsed cost: no Hessian formula",
)

quadratic_form = MatrixChain(
    r"v^\top \nabla^2_{(w,b)} C\, v",
    curvature_along_direction,
    [
        Step(
            r"v^\top\Big(\frac{1}{n}\tilde X^\top \operatorname{diag}\big(a\odot(\mathbf{1}-a)\big)\,\tilde X\Big)v",
            "the Hessian above",
        ),
        Step(r"\frac{1}{n}\sum_{i=1}^{n} a_i(1-a_i)\,(\tilde x_i^\top v)^2", r"$v^\top \tilde x_i \tilde x_i^\top v = (\tilde x_i^\top v)^2$"),
    ],
    make_case,
    rows=ROWS,
    tolerance=1e-7,
    lhs_how="as the derivative along v of ∇C·v, by central differences of the complex-step gradient",
)


def smallest_eigenvalues(cases: int = 200, seed: int = 7) -> np.ndarray:
    """The smallest eigenvalue of the displayed Hessian formula on many random problems."""
    rng = np.random.default_rng(seed)
    return np.array([np.linalg.eigvalsh(hessian.evaluate_step(-1, make_case(rng))).min() for _ in range(cases)])


def symbolic_small_case() -> list[tuple[MatrixChain, bool]]:
    """n = 2, k = 2 with every entry a symbol: each chain's last displayed step, evaluated from its own
    TeX, against sympy's derivatives of the displayed cost, itself evaluated from its TeX."""
    X = np.array(sp.symbols("x_11 x_12 x_21 x_22", real=True), dtype=object).reshape(2, 2)
    w = np.array(sp.symbols("w_1 w_2", real=True), dtype=object)
    b = sp.Symbol("b", real=True)
    y = np.array(sp.symbols("y_1 y_2", real=True), dtype=object)
    case = with_parameters({"X": X, "y": y, "n": 2, r"\tilde X": np.hstack([X, np.ones((2, 1), dtype=object)])}, w, b)
    parameters = [*w, b]
    cost_value = sp.sympify(cost(case))
    derivatives = [
        (gradient_w, np.array([sp.diff(cost_value, weight) for weight in w], dtype=object)),
        (gradient_b, np.array(sp.diff(cost_value, b), dtype=object)),
        (hessian, np.array(sp.hessian(cost_value, parameters), dtype=object)),
    ]

    def vanishes(difference) -> bool:
        # Over a common denominator each entry is a polynomial in the exponentials: expand it to 0.
        return all(sp.expand(sp.together(entry)) == 0 for entry in np.ravel(difference))

    return [(chain, vanishes(np.asarray(chain.evaluate_step(-1, case), dtype=object) - expected)) for chain, expected in derivatives]


# --- A step size that provably works ------------------------------------------------------------
# a(1 − a) ≤ ¼, so ∇²C ⪯ X̃ᵀX̃/(4n): ∇C is Lipschitz with constant L = ‖X̃‖₂²/(4n), and a gradient
# step of length 1/L never raises the cost (the descent lemma). ‖X̃‖₂, not λ_max: λ is weight decay's.

def _curvature_bound_gap(case: dict) -> float:
    tilde_v = case[r"\tilde X"] @ case["v"]
    return float(tilde_v @ tilde_v / (4 * case["n"])) - curvature_along_direction(case)


curvature_bound = MatrixChain(
    r"v^\top\Big(\frac{1}{4n}\tilde X^\top\tilde X\Big)v - v^\top \nabla^2_{(w,b)} C\, v",
    _curvature_bound_gap,
    [
        Step(r"\frac{1}{n}\sum_{i=1}^{n} \Big(\frac{1}{4} - a_i(1-a_i)\Big)(\tilde x_i^\top v)^2", r"the quadratic form above, and $v^\top\tilde X^\top\tilde X v = \sum_i (\tilde x_i^\top v)^2$"),
        Step(r"\frac{1}{n}\sum_{i=1}^{n} \Big(a_i - \frac{1}{2}\Big)^2(\tilde x_i^\top v)^2", r"$\frac14 - a(1-a) = (a - \frac12)^2$: never negative"),
    ],
    make_case,
    rows=ROWS,
    tolerance=1e-7,
    lhs_how="from the complex-step curvature along v, as for the quadratic form",
)


def safe_learning_rate(X: np.ndarray) -> float:
    """1/L with L = ‖X̃‖₂²/(4n), X̃ = [X 1], ‖X̃‖₂ its largest singular value: a gradient step this long never raises C."""
    tilde = np.hstack([X, np.ones((X.shape[0], 1))])
    return float(4 * X.shape[0] / np.linalg.norm(tilde, 2) ** 2)


def descent_lemma_holds(problems: int = 50, points: int = 20, seed: int = 13) -> bool:
    """C(θ − η∇C) ≤ C(θ) − (η/2)|∇C|² with η = safe_learning_rate, at random θ of random problems."""
    from snippets.bce import bce_with_logits, neuron_grad

    rng = np.random.default_rng(seed)
    for _ in range(problems):
        n, k = int(rng.integers(2, 30)), int(rng.integers(1, 5))
        X, y = rng.normal(size=(n, k)) * rng.uniform(0.1, 5), rng.uniform(size=n)
        rate = safe_learning_rate(X)
        for _ in range(points):
            w, b = rng.normal(scale=3, size=k), float(rng.normal(scale=3))
            grad_w, grad_b = neuron_grad(X, y, w, b)
            squared = float(grad_w @ grad_w + grad_b**2)
            before = float(bce_with_logits(X @ w + b, y))
            after = float(bce_with_logits(X @ (w - rate * grad_w) + (b - rate * grad_b), y))
            if after > before - rate * squared / 2 + 1e-12:
                return False
    return True
