"""Why cross-entropy: it is the negative log-likelihood of Bernoulli targets, and σ′ cancels in it.

A prediction a = σ(z) is read as the parameter of a Bernoulli distribution. For a hard target
y ∈ {0, 1}, −ln P_a(y) is the cross-entropy term; for n independent examples, −(1/n) ln of the
likelihood is C, so maximum likelihood and minimum C pick the same (w, b). For a soft target the
term is the cross-entropy between Bernoulli(y) and Bernoulli(a): H(y) + KL. With squared error
the gradient in z keeps the factor σ′(z), at most 1/4 and tiny where the neuron saturates.

>>> [check.method for check in ratio_bound.check()]
['symbolic']
>>> nielsen_start().quadratic_output > nielsen_start().cross_entropy_output
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp
from scipy.optimize import minimize
from scipy.special import expit

from bce_proofs import Chain, Definition, MatrixChain, Step, sigmoid

# The claims this one builds on (the map on docs/checks.md).
BUILDS_ON = ("soft_target_minimum",)

a = sp.Symbol("a", positive=True)  # the prediction σ(z), in (0, 1)
y = sp.Symbol("y", nonnegative=True)  # the target, in [0, 1]
t = sp.Symbol("t", nonnegative=True)  # an outcome, 0 or 1
z = sp.Symbol("z", real=True)
DOMAIN = {a: (0.01, 0.99), y: (0.01, 0.99), z: (-8.0, 8.0)}

bernoulli = Definition(
    "P_a(t)",
    r"a^{t}(1-a)^{1-t}",
    note=r"the probability a Bernoulli($a$) variable gives the outcome $t$: $a$ for $t = 1$, $1-a$ for $t = 0$",
    symbols=(a, t),
)
term = Definition("C_x", r"-\big[y\ln a + (1-y)\ln(1-a)\big]", note="one example's cross-entropy cost", symbols=(a, y))
quadratic = Definition("Q_x", r"\frac{1}{2}(a-y)^{2}", note="one example's squared error (the quadratic cost)", symbols=(a, y))


def pmf(parameter, outcome):
    """P_parameter(outcome), from the parsed definition."""
    return bernoulli.value.subs({a: parameter, t: outcome}, simultaneous=True)


negative_log_likelihood = Chain(
    r"-\ln P_a(y)",
    -sp.log(pmf(a, y)),
    [Step(r"-y\ln a - (1-y)\ln(1-a)", r"$\ln(uv) = \ln u + \ln v$ and $\ln u^{y} = y\ln u$: this is $C_x$")],
    DOMAIN,
)


def _likelihood_case(rng):
    count = int(rng.integers(2, 10))
    return {"a": rng.uniform(0.02, 0.98, size=count), "y": rng.integers(0, 2, size=count).astype(float), "n": count}


_pmf_numeric = sp.lambdify((a, t), bernoulli.value, "numpy")

average_negative_log_likelihood = MatrixChain(
    r"-\frac{1}{n}\ln\prod_{i=1}^{n} P_{a_i}(y_i)",
    lambda case: -np.log(np.prod(_pmf_numeric(case["a"], case["y"]))) / case["n"],
    [
        Step(
            r"-\frac{1}{n}\sum_{i=1}^{n}\Big[y_i\ln a_i + (1-y_i)\ln(1-a_i)\Big]",
            r"the logarithm of a product is the sum of the logarithms; the sum is $n\,C$",
        )
    ],
    _likelihood_case,
    lhs_how="as −(1/n) ln of the product of the parsed P_a(t), hard targets y_i ∈ {0, 1}",
)

cross_entropy_of_distributions = Chain(
    r"-\sum_{t=0}^{1} P_y(t)\ln P_a(t)",
    -sum(pmf(y, outcome) * sp.log(pmf(a, outcome)) for outcome in (0, 1)),
    [
        Step(r"-y\ln a - (1-y)\ln(1-a)", r"the outcomes $t = 0$ and $t = 1$: the same $C_x$, now for $y \in (0, 1)$"),
        Step(
            r"H(y) + y\ln\frac{y}{a} + (1-y)\ln\frac{1-y}{1-a}",
            r"add and subtract $y\ln y + (1-y)\ln(1-y)$",
        ),
    ],
    DOMAIN,
)

divergence = Chain(
    r"\mathrm{KL}(P_y\,\|\,P_a) = \sum_{t=0}^{1} P_y(t)\ln\frac{P_y(t)}{P_a(t)}",
    sum(pmf(y, outcome) * sp.log(pmf(y, outcome) / pmf(a, outcome)) for outcome in (0, 1)),
    [Step(r"y\ln\frac{y}{a} + (1-y)\ln\frac{1-y}{1-a}", r"the outcomes $t = 1$ and $t = 0$")],
    DOMAIN,
)

# --- Squared error against cross-entropy, in the logit z. ---

quadratic_gradient = Chain(
    r"\frac{\partial Q_x}{\partial z}",
    sp.diff(quadratic.value.subs(a, sigmoid(z)), z),
    [
        Step(
            r"(\sigma(z)-y)\,\sigma(z)(1-\sigma(z))",
            r"chain rule: $\partial Q_x/\partial a = a - y$ times $\sigma'(z) = \sigma(z)(1-\sigma(z))$; nothing cancels it",
        )
    ],
    DOMAIN,
)

cross_entropy_gradient = Chain(
    r"\frac{\partial C_x}{\partial z}",
    sp.diff(term.value.subs(a, sigmoid(z)), z),
    [
        Step(
            r"\frac{\sigma(z)-y}{\sigma(z)(1-\sigma(z))}\,\sigma(z)(1-\sigma(z))",
            r"chain rule: $\partial C_x/\partial a = \frac{a-y}{a(1-a)}$ times $\sigma'(z)$",
        ),
        Step(r"\sigma(z)-y", r"$\sigma'(z)$ cancels"),
    ],
    DOMAIN,
)

gradient_ratio = Chain(
    r"\frac{\partial Q_x/\partial z}{\partial C_x/\partial z}",
    quadratic_gradient.lhs_value / cross_entropy_gradient.lhs_value,
    [Step(r"\sigma(z)(1-\sigma(z))", r"the factor $\sigma'(z)$ that cross-entropy cancels; where $\sigma(z) \ne y$")],
    DOMAIN,
)

ratio_bound = Chain(
    r"\frac{1}{4} - \sigma(z)(1-\sigma(z))",
    sp.Rational(1, 4) - sigmoid(z) * (1 - sigmoid(z)),
    [Step(r"\left(\sigma(z) - \frac{1}{2}\right)^{2}", r"complete the square: never negative, so $\sigma'(z) \le \frac14$")],
    DOMAIN,
)


def confidently_wrong_limits() -> dict[str, sp.Expr]:
    """Both gradients in z for y = 1 as z → −∞ (a confidently wrong neuron): sympy's limits."""
    return {
        "quadratic": sp.limit(quadratic_gradient.lhs_value.subs(y, 1), z, -sp.oo),
        "cross-entropy": sp.limit(cross_entropy_gradient.lhs_value.subs(y, 1), z, -sp.oo),
    }


_quadratic_numeric = sp.lambdify((z, y), quadratic_gradient.lhs_value, "numpy")
_cross_entropy_numeric = sp.lambdify((z, y), cross_entropy_gradient.lhs_value, "numpy")


def gradient_table(logits=(-8.0, -4.0, -2.0, 0.0, 2.0)) -> str:
    """Both gradients in z for y = 1, evaluated from the computed left-hand sides (not the steps)."""
    rows = []
    for logit in logits:
        quad, ce = float(_quadratic_numeric(logit, 1.0)), float(_cross_entropy_numeric(logit, 1.0))
        rows.append(f"| {logit:g} | {expit(logit):.5f} | {quad:.6f} | {ce:.6f} | {quad / ce:.6f} |")
    header = (
        "| $z$ | $a = \\sigma(z)$ | $\\partial Q_x/\\partial z$ | $\\partial C_x/\\partial z$ | ratio |\n"
        "|---|---|---|---|---|\n"
    )
    return header + "\n".join(rows)


# --- Maximum likelihood is minimum cross-entropy: one neuron, computed both ways. ---

ML_INPUTS = np.array([-2.0, -1.0, 0.0, 1.0, 2.0, 3.0])
ML_TARGETS = np.array([0.0, 0.0, 1.0, 0.0, 1.0, 1.0])  # classes overlap: a finite best (w, b)


def likelihood(params, x=ML_INPUTS, targets=ML_TARGETS) -> float:
    """Π_i P_{a_i}(y_i) with a_i = σ(w x_i + b): the product itself, no logarithm taken."""
    return float(np.prod(_pmf_numeric(expit(params[0] * x + params[1]), targets)))


def cost(params, x=ML_INPUTS, targets=ML_TARGETS) -> float:
    """C(w, b) = −(1/n) Σ [y ln a + (1−y) ln(1−a)], a = σ(w x + b)."""
    logits = params[0] * x + params[1]
    return float(np.mean(np.logaddexp(0, -logits) * targets + np.logaddexp(0, logits) * (1 - targets)))


@dataclass(frozen=True)
class MaximumLikelihood:
    by_likelihood: np.ndarray  # argmax of the product, Nelder–Mead (no derivatives, no logarithm)
    by_cost: np.ndarray  # argmin of C, BFGS
    likelihood_at_best: float
    cost_at_best: float


def maximum_likelihood() -> MaximumLikelihood:
    """Maximise the likelihood and minimise C separately; raise unless they agree to 1e-5."""
    by_likelihood = minimize(
        lambda params: -likelihood(params), np.zeros(2), method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 20000}
    ).x
    by_cost = minimize(cost, np.zeros(2), method="BFGS", options={"gtol": 1e-12}).x
    result = MaximumLikelihood(by_likelihood, by_cost, likelihood(by_likelihood), cost(by_cost))
    if np.max(np.abs(by_likelihood - by_cost)) > 1e-5:
        raise AssertionError(f"maximum likelihood {by_likelihood} and minimum cost {by_cost} differ")
    if abs(-np.log(result.likelihood_at_best) / ML_INPUTS.size - result.cost_at_best) > 1e-9:
        raise AssertionError("C at the best point is not −(1/n) ln of the best likelihood")
    return result


def maximum_likelihood_markdown() -> str:
    r = maximum_likelihood()
    return (
        "| method | $w$ | $b$ | value there |\n|---|---|---|---|\n"
        f"| maximise the likelihood $\\prod_i P_{{a_i}}(y_i)$ (Nelder–Mead) | {r.by_likelihood[0]:.6f} | {r.by_likelihood[1]:.6f} "
        f"| likelihood {r.likelihood_at_best:.6f} |\n"
        f"| minimise $C$ (BFGS) | {r.by_cost[0]:.6f} | {r.by_cost[1]:.6f} | $C$ = {r.cost_at_best:.6f} |\n\n"
        f"$-\\frac{{1}}{{n}}\\ln$ of the best likelihood is {-np.log(r.likelihood_at_best) / ML_INPUTS.size:.6f}."
    )


# --- Nielsen's slow start: one input x = 1, target 0, w = b = 2. The book's rates: 0.15 for the
# quadratic cost, 0.005 for cross-entropy; the site's table runs both at 0.15 and adds the 0.005 run. ---
BOOK_CROSS_ENTROPY_RATE = 0.005


@dataclass(frozen=True)
class SlowStart:
    steps: int
    quadratic_output: float
    cross_entropy_output: float


def nielsen_start(steps: int = 100, rate: float = 0.15, weight: float = 2.0, bias: float = 2.0) -> SlowStart:
    """Gradient descent on one neuron (x = 1, y = 0) from a saturated start, with either cost.

    The gradients in z are the left-hand sides computed above, evaluated numerically.
    """
    outputs = {}
    for name, gradient in (("quadratic", _quadratic_numeric), ("cross-entropy", _cross_entropy_numeric)):
        w_, b_ = weight, bias
        for _ in range(steps):
            step = float(gradient(w_ * 1.0 + b_, 0.0))  # ∂/∂w = x ∂/∂z with x = 1; ∂/∂b = ∂/∂z
            w_, b_ = w_ - rate * step, b_ - rate * step
        outputs[name] = float(expit(w_ + b_))
    return SlowStart(steps, outputs["quadratic"], outputs["cross-entropy"])


def slow_start_markdown(steps=(0, 10, 50, 100, 300)) -> str:
    """The neuron's output a after so many steps of gradient descent, with each cost."""
    rows = []
    for count in steps:
        run = nielsen_start(count)
        book_rate = nielsen_start(count, rate=BOOK_CROSS_ENTROPY_RATE)
        rows.append(f"| {count} | {run.quadratic_output:.4f} | {run.cross_entropy_output:.4f} | {book_rate.cross_entropy_output:.4f} |")
    return (
        f"| steps | $a$, squared error, rate $0.15$ | $a$, cross-entropy, rate $0.15$ | $a$, cross-entropy, rate ${BOOK_CROSS_ENTROPY_RATE:g}$ |\n"
        "|---|---|---|---|\n" + "\n".join(rows)
    )


# --- A strictly proper scoring rule ---------------------------------------------------------------
q = sp.Symbol("q", positive=True)  # the probability that the label is 1, for inputs that look alike
PROPER_DOMAIN = {a: (0.01, 0.99), q: (0.01, 0.99)}

expected_cost = Chain(
    r"q\,C_x\big|_{y=1} + (1-q)\,C_x\big|_{y=0}",
    q * term.value.subs(y, 1) + (1 - q) * term.value.subs(y, 0),
    [
        Step(r"-q\ln a - (1-q)\ln(1-a)", r"a label $1$ with probability $q$, $0$ otherwise"),
        Step(r"-\big[q\ln a + (1-q)\ln(1-a)\big]", r"$C_x$ at the soft target $y = q$: minimised exactly at $a = q$ (Claim 1)"),
    ],
    PROPER_DOMAIN,
)

expected_cost_gradient = Chain(
    r"\frac{\partial}{\partial a}\Big(q\,C_x\big|_{y=1} + (1-q)\,C_x\big|_{y=0}\Big)",
    sp.diff(expected_cost.lhs_value, a),
    [Step(r"\frac{a-q}{a(1-a)}", "zero only at $a = q$, negative below it, positive above: the one minimum")],
    PROPER_DOMAIN,
)

expected_squared_error_gradient = Chain(
    r"\frac{\partial}{\partial a}\Big(q\,Q_x\big|_{y=1} + (1-q)\,Q_x\big|_{y=0}\Big)",
    sp.diff(q * quadratic.value.subs(y, 1) + (1 - q) * quadratic.value.subs(y, 0), a),
    [Step(r"a - q", r"zero only at $a = q$, and the expected squared error is a parabola in $a$: strictly proper too")],
    PROPER_DOMAIN,
)
