"""Where soft targets come from: label smoothing, distillation, and several annotators.

Label smoothing replaces a target y by y' = (1 − ε) y + ε/2: the minimiser in z moves to
σ(z) = y', finite even for hard labels, and the minimum is H(y'). A distillation target is a
teacher's σ(z_T / T); the student's gradient vanishes at z = z_T and shrinks like 1/T². The
average of R annotators' hard-label costs is the cost of their mean label.

>>> [check.method for check in smoothed_minimiser[1].check()]
['symbolic']
>>> smoothing_report().startswith("| label")
True
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from scipy.optimize import minimize
from scipy.special import entr, expit

from bce_proofs import Chain, Definition, MatrixChain, Step, StepError, sigmoid
from snippets.why_cross_entropy import term

# The claims this one builds on (the map on docs/checks.md).
BUILDS_ON = ("soft_target_minimum", "why_cross_entropy")

a = sp.Symbol("a", positive=True)
y = sp.Symbol("y", nonnegative=True)
z = sp.Symbol("z", real=True)
eps = sp.Symbol("varepsilon", positive=True)  # the smoothing, in [0, 1]; ε = 0 is no smoothing, so the checks take (0, 1]
T = sp.Symbol("T", positive=True)  # the distillation temperature
teacher = sp.Symbol("z_{T}", real=True)  # the teacher's logit
DOMAIN = {a: (0.01, 0.99), y: (0.0, 1.0), z: (-8.0, 8.0), eps: (0.01, 1.0), T: (0.5, 20.0), teacher: (-8.0, 8.0)}

smoothing = Definition(
    "y'",
    r"(1-\varepsilon)\,y + \frac{\varepsilon}{2}",
    note=r"label smoothing, $\varepsilon \in [0, 1]$ ($0$: none): PyTorch's `label_smoothing` for two classes",
    symbols=(eps, y),
)


def cost(prediction, target):
    """C_x with the prediction and the target substituted, from the parsed definition."""
    return term.value.subs({a: prediction, y: target}, simultaneous=True)


SMOOTHED_COST_IN_Z = cost(sigmoid(z), smoothing.value)

smoothed_split = Chain(
    r"C_x(a, y')",
    cost(a, smoothing.value),
    [
        Step(
            r"-(1-\varepsilon)\big[y\ln a + (1-y)\ln(1-a)\big] - \frac{\varepsilon}{2}\big[\ln a + \ln(1-a)\big]",
            r"$C_x$ is linear in the target: the hard-label cost, plus a term that grows without bound as $a \to 0$ or $a \to 1$",
        )
    ],
    DOMAIN,
)

smoothed_gradient = Chain(
    r"\frac{\partial C_x(\sigma(z), y')}{\partial z}",
    sp.diff(SMOOTHED_COST_IN_Z, z),
    [Step(r"\sigma(z) - (1-\varepsilon)\,y - \frac{\varepsilon}{2}", r"the error $\sigma(z) - y'$: zero exactly where $\sigma(z) = y'$")],
    DOMAIN,
)

smoothed_curvature = Chain(
    r"\frac{\partial^2 C_x(\sigma(z), y')}{\partial z^2}",
    sp.diff(SMOOTHED_COST_IN_Z, z, 2),
    [Step(r"\sigma(z)(1-\sigma(z))", r"positive for every real $z$: the stationary point is the only minimiser")],
    DOMAIN,
)


def minimiser(label: int) -> sp.Expr:
    """The z where the smoothed gradient vanishes, for a hard label, solved by sympy."""
    solutions = sp.solve(sp.diff(SMOOTHED_COST_IN_Z.subs(y, label), z), z)
    if len(solutions) != 1:
        raise StepError(f"{smoothing.where}: with this smoothed target the gradient in z has {len(solutions)} zeros at y = {label}, not one")
    return solutions[0]


smoothed_minimiser = {
    label: Chain(
        rf"z^{{*}}\big|_{{y={label}}}",
        minimiser(label),
        [Step(tex, reason)],
        DOMAIN,
    )
    for label, tex, reason in (
        (1, r"\ln\frac{2-\varepsilon}{\varepsilon}", r"$\sigma(z^*) = y' = 1 - \frac{\varepsilon}{2}$: finite for every $\varepsilon > 0$"),
        (0, r"-\ln\frac{2-\varepsilon}{\varepsilon}", r"$\sigma(z^*) = y' = \frac{\varepsilon}{2}$"),
    )
}

smoothed_minimum = Chain(
    r"C_x(\sigma(z^*), y')\big|_{y=1}",
    cost(sigmoid(minimiser(1)), smoothing.value.subs(y, 1)),
    [
        Step(
            r"-\left(1-\frac{\varepsilon}{2}\right)\ln\left(1-\frac{\varepsilon}{2}\right) - \frac{\varepsilon}{2}\ln\frac{\varepsilon}{2}",
            r"$\sigma(z^*) = 1 - \frac{\varepsilon}{2}$ and $1 - \sigma(z^*) = \frac{\varepsilon}{2}$",
        ),
        Step(r"H\left(1-\frac{\varepsilon}{2}\right)", r"the binary entropy of $y'$: above $0$, the unsmoothed infimum"),
    ],
    DOMAIN,
)


def _smoothed_cost_numeric(logit: float, label: float, smoothing_: float) -> float:
    target = (1 - smoothing_) * label + smoothing_ / 2
    return float(np.logaddexp(0, -logit) * target + np.logaddexp(0, logit) * (1 - target))


def smoothing_report(smoothings=(0.02, 0.1, 0.2, 0.5)) -> str:
    """BFGS on the smoothed cost of a hard label 1, from z = 0, against ln((2−ε)/ε) and H(1 − ε/2)."""
    rows = []
    for value in smoothings:
        found = minimize(
            lambda v: _smoothed_cost_numeric(v[0], 1.0, value),
            np.zeros(1),
            jac=lambda v: np.array([expit(v[0]) - (1 - value / 2)]),
            method="BFGS",
            options={"gtol": 1e-13},
        )
        exact_z = float(smoothed_minimiser[1].lhs_value.subs(eps, value))
        floor = float(entr(1 - value / 2) + entr(value / 2))
        if abs(found.x[0] - exact_z) > 1e-6 or abs(found.fun - floor) > 1e-10:
            raise AssertionError(f"ε = {value}: BFGS found z = {found.x[0]}, cost {found.fun}; expected {exact_z}, {floor}")
        rows.append(f"| 1 | {value:g} | {found.x[0]:.8f} | {exact_z:.8f} | {found.fun:.10f} | {floor:.10f} |")
    return (
        "| label $y$ | $\\varepsilon$ | $z$ found by BFGS | $\\ln\\frac{2-\\varepsilon}{\\varepsilon}$ "
        "| cost found | $H(1-\\varepsilon/2)$ |\n|---|---|---|---|---|---|\n" + "\n".join(rows)
    )


# --- Distillation: the target is the teacher's σ(z_T / T), the student predicts σ(z / T). ---

DISTILLATION_COST = cost(sigmoid(z / T), sigmoid(teacher / T))

distillation_gradient = Chain(
    r"\frac{\partial}{\partial z}\,C_x\big(\sigma(z/T),\ \sigma(z_T/T)\big)",
    sp.diff(DISTILLATION_COST, z),
    [
        Step(
            r"\frac{1}{T}\big(\sigma(z/T) - \sigma(z_T/T)\big)",
            r"chain rule, $\partial(z/T)/\partial z = \frac1T$: zero exactly at $z = z_T$, as $\sigma$ is strictly increasing",
        )
    ],
    DOMAIN,
)

distillation_scale = Chain(
    r"\lim_{T\to\infty} T^{2}\,\frac{\partial}{\partial z}\,C_x\big(\sigma(z/T),\ \sigma(z_T/T)\big)",
    sp.limit(T**2 * distillation_gradient.lhs_value, T, sp.oo),
    [Step(r"\frac{z - z_T}{4}", r"$\sigma(u) \approx \frac12 + \frac{u}{4}$ near $0$: at high temperature the gradient shrinks like $1/T^2$")],
    DOMAIN,
)


# --- Several annotators: R hard labels for the same input (r = 1..R; j and m mean features and examples elsewhere). ---


def _annotator_case(rng):
    count = int(rng.integers(2, 12))
    return {"a": float(rng.uniform(0.02, 0.98)), "y": rng.integers(0, 2, size=count).astype(float), "R": count}


_cost_numeric = sp.lambdify((a, y), term.value, "numpy")

annotators = MatrixChain(
    r"\frac{1}{R}\sum_{r=1}^{R} C_x(a, y_r)",
    lambda case: float(np.mean(_cost_numeric(case["a"], case["y"]))),
    [
        Step(
            r"-\Big[\Big(\frac{1}{R}\sum_{r=1}^{R} y_r\Big)\ln a + \Big(1 - \frac{1}{R}\sum_{r=1}^{R} y_r\Big)\ln(1-a)\Big]",
            r"$C_x$ is linear in the target: one example whose soft target is the fraction of annotators who said $1$",
        )
    ],
    _annotator_case,
    lhs_how="as the mean of the parsed C_x over the annotators' hard labels",
)


def binary_entropy(target: float) -> float:
    """H(target) with 0 ln 0 = 0 (scipy's entr), for the prose's numbers.

    >>> round(binary_entropy(0.5), 6)
    0.693147
    """
    return float(entr(target) + entr(1 - target))
