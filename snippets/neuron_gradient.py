"""The gradient of cross-entropy for one sigmoid neuron, z = w·x + b.

Only one weight matters when differentiating by w_j: z = w_j x_j + r, where r collects
b and every other w_l x_l. So the symbolic checks work with the symbols w_j, x_j, r.

>>> sp.simplify(sigmoid_derivative.lhs_value - sigmoid(z) * (1 - sigmoid(z)))
0
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from scipy.special import expit

from snippets import numeric
from bce_proofs import Chain, MatrixChain, Step, sigmoid
from snippets.cost import neuron_cost
from snippets.cost import per_example_cost as cross_entropy

# The claims this one builds on (the map on docs/checks.md).
BUILDS_ON = ("soft_target_minimum",)

w_j = sp.Symbol("w_{j}", real=True)
x_j = sp.Symbol("x_{j}", real=True)
r = sp.Symbol("r", real=True)  # b + Σ_{l≠j} w_l x_l
b = sp.Symbol("b", real=True)
y = sp.Symbol("y", nonnegative=True)
z = sp.Symbol("z", real=True)
DOMAIN = {w_j: (-3.0, 3.0), x_j: (-3.0, 3.0), r: (-3.0, 3.0), y: (0.0, 1.0), z: (-6.0, 6.0), b: (-3.0, 3.0)}
Z_OF_W = {z: w_j * x_j + r}


def quadratic(a, target):
    """Cost of one input under the quadratic cost: (a − y)²/2."""
    return (a - target) ** 2 / 2


sigmoid_derivative = Chain(
    r"\sigma'(z)",
    sp.diff(sigmoid(z), z),
    [
        Step(r"\frac{e^{-z}}{(1+e^{-z})^{2}}", r"derivative of $(1+e^{-z})^{-1}$"),
        Step(r"\frac{1}{1+e^{-z}}\cdot\frac{e^{-z}}{1+e^{-z}}", "split the square"),
        Step(r"\sigma(z)(1-\sigma(z))", r"$\frac{e^{-z}}{1+e^{-z}} = 1 - \sigma(z)$"),
    ],
    DOMAIN,
)

weight_gradient = Chain(
    r"\frac{\partial C_x}{\partial w_j}",
    sp.diff(cross_entropy(sigmoid(w_j * x_j + r), y), w_j),
    [
        Step(
            r"-\left(\frac{y}{\sigma(z)} - \frac{1-y}{1-\sigma(z)}\right)\sigma(z)(1-\sigma(z))\,x_j",
            r"chain rule: $\frac{\partial C_x}{\partial a}\,\sigma'(z)\,\frac{\partial z}{\partial w_j}$",
        ),
        Step(r"-\left(y(1-\sigma(z)) - (1-y)\sigma(z)\right)x_j", r"$\sigma'(z)$ cancels both denominators"),
        Step(r"x_j(\sigma(z) - y)", r"multiply out: the $y\sigma(z)$ terms cancel"),
    ],
    DOMAIN,
    definitions=Z_OF_W,
)

bias_gradient = Chain(
    r"\frac{\partial C_x}{\partial b}",
    sp.diff(cross_entropy(sigmoid(b + r), y), b),
    [Step(r"\sigma(z) - y", r"as for $w_j$, with $\partial z/\partial b = 1$ in place of $x_j$")],
    DOMAIN,
    definitions={z: b + r},
)

quadratic_weight_gradient = Chain(
    r"\frac{\partial Q_x}{\partial w_j}",
    sp.diff(quadratic(sigmoid(w_j * x_j + r), y), w_j),
    [Step(r"(\sigma(z) - y)\,\sigma(z)(1-\sigma(z))\,x_j", r"chain rule: nothing cancels $\sigma'(z)$")],
    DOMAIN,
    definitions=Z_OF_W,
)


def cost(X: np.ndarray, targets: np.ndarray, weights: np.ndarray, bias: float) -> float:
    """C = −(1/n) Σ_x [y ln σ(z) + (1−y) ln(1−σ(z))], written without the gradient formula."""
    logits = X @ weights + bias
    return float(np.mean(np.logaddexp(0, logits) - targets * logits))


def gradient_formula(X: np.ndarray, targets: np.ndarray, weights: np.ndarray, bias: float):
    """∂C/∂w_j = (1/n) Σ_x x_j (σ(z) − y) for every j at once, and ∂C/∂b = (1/n) Σ_x (σ(z) − y)."""
    error = expit(X @ weights + bias) - targets
    return X.T @ error / X.shape[0], error.mean()


def _case(rng):
    X, targets, weights, bias = random_problem(rng, n=int(rng.integers(1, 12)), k=int(rng.integers(1, 5)))
    z = X @ weights + bias
    return {"X": X, "y": targets, "w": weights, "b": bias, "n": len(targets), "z": z, "a": expit(z), "j": int(rng.integers(1, X.shape[1] + 1))}


def _gradient_by_complex_step(c):
    """∇_{(w,b)} C from the parsed cost of the minimum page, with no gradient formula."""
    return numeric.gradient(lambda p: neuron_cost(c["X"], c["y"], p[:-1], p[-1]), np.append(c["w"], c["b"]))


indexed_weight_gradient = MatrixChain(
    r"\frac{\partial C}{\partial w_j}",
    lambda c: _gradient_by_complex_step(c)[c["j"] - 1],
    [
        Step(
            r"\frac{1}{n}\sum_{i=1}^{n} x_{ij}\big(\sigma(z_i) - y_i\big)",
            r"average of $\partial C_{x_i}/\partial w_j$; $x_{ij}$ is feature $j$ of input $i$",
        ),
        Step(r"\frac{1}{n}\sum_{i=1}^{n} x_{ij}(a_i - y_i)", r"$a_i = \sigma(z_i)$, $z_i = x_i^\top w + b$"),
    ],
    _case,
    rows={"x": "X"},
    lhs_how="by the complex step from the parsed cost C, for a random feature j",
)

indexed_bias_gradient = MatrixChain(
    r"\frac{\partial C}{\partial b}",
    lambda c: _gradient_by_complex_step(c)[-1],
    [Step(r"\frac{1}{n}\sum_{i=1}^{n} \big(\sigma(z_i) - y_i\big)", r"average of $\partial C_{x_i}/\partial b$")],
    _case,
    rows={"x": "X"},
    lhs_how="by the complex step from the parsed cost C",
)


def finite_difference_gradient(X, targets, weights, bias, step=1e-6):
    """Central differences of `cost`, one parameter at a time."""
    grad_w = np.empty_like(weights)
    for j in range(weights.size):
        bump = np.zeros_like(weights)
        bump[j] = step
        grad_w[j] = (cost(X, targets, weights + bump, bias) - cost(X, targets, weights - bump, bias)) / (2 * step)
    grad_b = (cost(X, targets, weights, bias + step) - cost(X, targets, weights, bias - step)) / (2 * step)
    return grad_w, grad_b


def random_problem(rng: np.random.Generator, n: int = 8, k: int = 3):
    return rng.normal(size=(n, k)), rng.uniform(size=n), rng.normal(size=k), float(rng.normal())


def finite_difference_report(seed: int = 1) -> str:
    """Markdown table: the formula against central differences on random data (n = 8, k = 3)."""
    X, targets, weights, bias = random_problem(np.random.default_rng(seed))
    formula_w, formula_b = gradient_formula(X, targets, weights, bias)
    numeric_w, numeric_b = finite_difference_gradient(X, targets, weights, bias)
    rows = [(f"w_{j + 1}", formula_w[j], numeric_w[j]) for j in range(weights.size)] + [("b", formula_b, numeric_b)]
    worst = max(abs(f - d) for _, f, d in rows)
    if worst > 1e-8:
        raise AssertionError(f"formula and finite differences differ by {worst:.1e}")
    table = "\n".join(f"| ${name}$ | {f:+.10f} | {d:+.10f} | {abs(f - d):.1e} |" for name, f, d in rows)
    return (
        "| parameter | formula | central difference | difference |\n|---|---|---|---|\n"
        + table
        + f"\n\nLargest difference {worst:.1e} (tolerance $10^{{-8}}$; central differences are accurate to about $10^{{-10}}$ here)."
    )


def slowdown_report(target: float = 0.0, logits=(0.0, 2.0, 5.0, 10.0)) -> str:
    """How big each cost's gradient factor is when the neuron is confidently wrong (y = 0, z large)."""
    rows = []
    for logit in logits:
        a = float(expit(logit))
        rows.append(f"| {logit:g} | {a:.6f} | {a * (1 - a):.2e} | {a - target:.6f} | {(a - target) * a * (1 - a):.2e} |")
    return (
        "| $z$ | $\\sigma(z)$ | $\\sigma'(z)$ | cross-entropy factor $\\sigma(z) - y$ | quadratic factor $(\\sigma(z)-y)\\,\\sigma'(z)$ |\n"
        "|---|---|---|---|---|\n" + "\n".join(rows)
    )


# --- Why σ′ cancels: the canonical link -----------------------------------------------------------
a = sp.Symbol("a", positive=True)  # a prediction in (0, 1)
LINK_DOMAIN = {a: (0.01, 0.99), y: (0.0, 1.0), z: (-6.0, 6.0)}

# Nielsen's question run backwards: which cost C_x(a) has ∂C_x/∂a = (a − y)/(a(1 − a)), so that
# σ′(z) = a(1 − a) cancels? Split into partial fractions, then integrate term by term.
wanted_derivative = Chain(
    r"\frac{a-y}{a(1-a)}",
    (a - y) / (a * (1 - a)),
    [Step(r"-\frac{y}{a} + \frac{1-y}{1-a}", r"partial fractions: the coefficient of $\frac1a$ is $-y$, that of $\frac{1}{1-a}$ is $1-y$")],
    LINK_DOMAIN,
)

antiderivative = Chain(
    r"\frac{d}{da}\Big(-\big[y\ln a + (1-y)\ln(1-a)\big]\Big)",
    sp.diff(-(y * sp.log(a) + (1 - y) * sp.log(1 - a)), a),
    [Step(r"-\frac{y}{a} + \frac{1-y}{1-a}", r"so cross-entropy is an antiderivative of the wanted $\frac{\partial C_x}{\partial a}$; any other differs from it by a constant in $a$ (which may depend on $y$)")],
    LINK_DOMAIN,
)

# The same cancellation for squared error with an identity output, a = z: the gradient is the error.
identity_output = Chain(
    r"\frac{\partial}{\partial z}\,\frac{1}{2}(z - y)^{2}",
    sp.diff((z - y) ** 2 / 2, z),
    [Step(r"z - y", "the output is $a = z$, so $\\partial a/\\partial z = 1$: nothing to cancel")],
    LINK_DOMAIN,
)

# In a hidden layer nothing cancels σ′, and it is at most ¼.
sigmoid_derivative_at_most_a_quarter = Chain(
    r"\frac{1}{4} - \sigma(z)(1-\sigma(z))",
    sp.Rational(1, 4) - sigmoid(z) * (1 - sigmoid(z)),
    [Step(r"\Big(\sigma(z) - \frac{1}{2}\Big)^{2}", r"a square: $\sigma'(z) \le \frac14$, with equality only at $z = 0$")],
    LINK_DOMAIN,
)
