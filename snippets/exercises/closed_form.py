"""Exercises for docs/closed_form.md: the intercept-only model, and a penalty on every parameter.

C(w, b) is the matrix-form page's parsed cost; θ = (w, b), X̃ = [X 1]. Every left-hand side is computed
from the parsed costs without any gradient or Hessian formula.

>>> [chain.status for chain in CHAINS]
['checked', 'checked', 'checked', 'checked']
"""

from __future__ import annotations

import numpy as np
from scipy.special import logit

from snippets import matrix_form, numeric
from bce_proofs import MatrixChain, MatrixDefinition, Step

NAMES = (*matrix_form.NAMES, "C", r"\lambda", r"\theta")
ROWS = matrix_form.ROWS


# Exercise 1: only the bias, w = 0.
def _bias_only(c):
    return numeric.directional_derivative(
        lambda b: matrix_form.cost_at(c, np.zeros_like(c["w"]), b), np.array(c["b"]), np.array(1.0)
    )


def _intercept_case(rng):
    case = matrix_form.make_case(rng)
    return matrix_form.with_parameters(case, np.zeros_like(case["w"]), case["b"])


def _at_the_mean_target(rng):
    case = _intercept_case(rng)
    return matrix_form.with_parameters(case, case["w"], float(logit(np.mean(case["y"]))))


intercept_gradient = MatrixChain(
    r"\frac{\partial C}{\partial b}\Big|_{w=0}",
    _bias_only,
    [
        Step(r"\frac{1}{n}\sum_{i=1}^{n}\big(\sigma(b) - y_i\big)", r"the page's gradient with every $z_i = b$"),
        Step(r"\sigma(b) - \frac{1}{n}\mathbf{1}^\top y", r"$n$ equal terms $\sigma(b)$"),
    ],
    _intercept_case,
    rows=ROWS,
    lhs_how="by the complex step from the parsed cost, at w = 0",
)

intercept_minimiser = MatrixChain(
    r"\frac{\partial C}{\partial b}\Big|_{w=0,\ \sigma(b) = \frac{1}{n}\mathbf{1}^\top y}",
    _bias_only,
    [Step("0", r"at $b = \ln\frac{m}{1-m}$, $m = \frac{1}{n}\mathbf{1}^\top y$")],
    _at_the_mean_target,
    rows=ROWS,
    tolerance=1e-12,
    lhs_how="by the complex step from the parsed cost, at w = 0 and b = logit(mean target)",
)

# Exercise 2: penalising every parameter, bias included.
penalised_cost = MatrixDefinition(
    r"C_\lambda(\theta)", r"C + \frac{\lambda}{2}\theta^\top\theta", NAMES, ROWS, note=r"$C = C(w, b)$, $\theta = (w, b)$, $\lambda > 0$"
)


def _penalised_at(case, theta):
    return penalised_cost({**case, r"\theta": theta, "C": matrix_form.cost_at(case, theta[:-1], theta[-1])})


def _gradient(case, theta):
    return numeric.gradient(lambda t: _penalised_at(case, t), theta)


def _curvature_along_v(case, step: float = 1e-5):
    """vᵀ∇²C_λ v as the derivative along v of ∇C_λ·v: no Hessian formula."""
    theta, v = case[r"\theta"], case["v"]
    return (_gradient(case, theta + step * v) @ v - _gradient(case, theta - step * v) @ v) / (2 * step)


def _penalised_case(rng):
    case = matrix_form.make_case(rng)
    case[r"\theta"] = np.append(case["w"], case["b"])
    case[r"\lambda"] = float(rng.uniform(0.01, 2.0))
    return case


penalised_gradient = MatrixChain(
    r"\nabla_\theta C_\lambda",
    lambda c: _gradient(c, c[r"\theta"]),
    [Step(r"\frac{1}{n}\tilde X^\top\big(\sigma(\tilde X\theta) - y\big) + \lambda\theta", r"the page's gradient, plus $\nabla_\theta\frac{\lambda}{2}\theta^\top\theta = \lambda\theta$")],
    _penalised_case,
    rows=ROWS,
    lhs_how="by the complex step from the parsed penalised cost",
)

penalised_curvature = MatrixChain(
    r"v^\top \nabla^2_\theta C_\lambda\, v",
    _curvature_along_v,
    [
        Step(
            r"\frac{1}{n}\sum_{i=1}^{n} a_i(1-a_i)\,(\tilde x_i^\top v)^2 + \lambda v^\top v",
            r"the matrix-form page's quadratic form, plus $v^\top(\lambda I)v$",
        )
    ],
    _penalised_case,
    rows=ROWS,
    tolerance=1e-7,
    lhs_how="as the derivative along v of ∇C_λ·v, by central differences of the complex-step gradient",
)

CHAINS = (intercept_gradient, intercept_minimiser, penalised_gradient, penalised_curvature)
