"""Many classes: softmax cross-entropy with probability targets.

For K logits z and a target distribution y (entries ≥ 0, summing to 1), a = softmax(z) and
C(z) = −Σ_j y_j ln a_j. Its gradient is a − y, its Hessian diag(a) − a aᵀ, positive semidefinite
with the all-ones direction in its null space (softmax ignores a shift z + μ1). C = H(y) + KL(y‖a),
so for y_j > 0 the minimisers are exactly z = ln y + μ1, with minimum the Shannon entropy; for a
one-hot y there is no finite minimiser. With K = 2 and z = (z, 0) it is binary cross-entropy.

>>> [check.method.split(" on ")[0] for check in gradient.check()]
['numeric', 'numeric']
>>> one_hot_costs()[-1] < one_hot_costs()[0]
True
"""

from __future__ import annotations

import numpy as np

from snippets import numeric
from bce_proofs import MatrixChain, MatrixDefinition, Step

# The claims this one builds on (the map on docs/checks.md).
BUILDS_ON = ("why_cross_entropy", "matrix_form")

NAMES = ("z", "y", "a", "K", "v", "\\mu")
probabilities = MatrixDefinition(
    "a", r"\frac{\exp(z)}{\mathbf{1}^\top\exp(z)}", NAMES,
    note=r"$\operatorname{softmax}(z)$: $K$ logits to $K$ probabilities, $a_j = e^{z_j}/\sum_l e^{z_l}$",
)
loss = MatrixDefinition(
    "C", r"-\sum_{j=1}^{K} y_j\ln a_j", NAMES,
    note=r"one example's cost; the target $y$ is a distribution: $y_j \ge 0$, $\sum_j y_j = 1$",
)


def softmax(logits):
    """a = softmax(z) from the parsed definition (complex logits allowed, for the complex step)."""
    return probabilities({"z": logits})


def cost(logits, targets):
    """C(z) from the parsed definitions."""
    return loss({"y": targets, "a": softmax(logits), "K": len(targets)})


def gradient_numeric(logits, targets):
    """∇C by the complex step: no formula for the gradient is used."""
    return numeric.gradient(lambda v: cost(v, targets), logits)


def hessian_numeric(logits, targets, step=1e-5):
    """∇²C: central differences of the complex-step gradient, column by column."""
    columns = [
        (gradient_numeric(logits + step * e, targets) - gradient_numeric(logits - step * e, targets)) / (2 * step)
        for e in np.eye(len(logits))
    ]
    return np.stack(columns, axis=1)


def _case(rng, one_hot=False):
    k = int(rng.integers(2, 7))
    logits = rng.normal(scale=2.0, size=k)
    if one_hot:
        targets = np.eye(k)[rng.integers(k)]
    else:
        targets = rng.dirichlet(np.ones(k))
    return {"z": logits, "y": targets, "a": softmax(logits), "K": k, "v": rng.normal(size=k), "\\mu": float(rng.normal(scale=3.0))}


gradient = MatrixChain(
    r"\nabla_z C",
    lambda case: gradient_numeric(case["z"], case["y"]),
    [
        Step(r"-y + (\mathbf{1}^\top y)\,a", r"$\ln a_j = z_j - \ln\sum_l e^{z_l}$, so $\partial \ln a_j/\partial z_l = \delta_{jl} - a_l$"),
        Step(r"a - y", r"the targets sum to $1$"),
    ],
    _case,
    names=NAMES,
    lhs_how="by the complex step from the parsed C and a",
)

hessian = MatrixChain(
    r"\nabla_z^2 C",
    lambda case: hessian_numeric(case["z"], case["y"]),
    [Step(r"\operatorname{diag}(a) - a\,a^\top", r"differentiate $a_j$: $\partial a_j/\partial z_l = a_j\delta_{jl} - a_j a_l$; $y$ has gone")],
    _case,
    names=NAMES,
    tolerance=1e-7,
    lhs_how="by central differences (step 1e-5) of the complex-step gradient of the parsed C",
)

curvature = MatrixChain(
    r"v^\top \big(\nabla_z^2 C\big)\, v",
    lambda case: case["v"] @ hessian_numeric(case["z"], case["y"]) @ case["v"],
    [
        Step(r"\sum_{j=1}^{K} a_j v_j^2 - (a^\top v)^2", r"$v^\top\operatorname{diag}(a)\,v - (a^\top v)^2$"),
        Step(
            r"\sum_{j=1}^{K} a_j\big(v_j - a^\top v\big)^2",
            r"the variance of $v$ under $a$: never negative, and $0$ only if every $v_j$ is the same ($a_j > 0$)",
        ),
    ],
    _case,
    names=NAMES,
    tolerance=1e-7,
    lhs_how="from the numeric Hessian, for a random direction v",
)

null_direction = MatrixChain(
    r"\nabla_z^2 C\,\mathbf{1}",
    lambda case: hessian_numeric(case["z"], case["y"]) @ np.ones(case["K"]),
    [
        Step(r"(\operatorname{diag}(a) - a\,a^\top)\mathbf{1}", "the Hessian above"),
        Step(r"a - a\,(a^\top\mathbf{1})", r"$\operatorname{diag}(a)\mathbf{1} = a$"),
        Step(r"0\,a", r"$a^\top\mathbf{1} = 1$: the zero vector"),
    ],
    _case,
    names=NAMES,
    tolerance=1e-7,
    lhs_how="from the numeric Hessian",
)

shift = MatrixChain(
    r"\frac{\exp(z + \mu\mathbf{1})}{\mathbf{1}^\top\exp(z + \mu\mathbf{1})}",
    lambda case: softmax(case["z"] + case["\\mu"]),
    [
        Step(r"\frac{\exp(\mu)\exp(z)}{\exp(\mu)\,\mathbf{1}^\top\exp(z)}", r"$e^{z_j + \mu} = e^{\mu}e^{z_j}$"),
        Step(r"a", r"$e^{\mu}$ cancels: $z$ and $z + \mu\mathbf{1}$ give the same $a$, and the same $C$"),
    ],
    _case,
    names=NAMES,
    lhs_how="from the parsed a at z + c1",
)

log_probabilities = MatrixChain(
    r"\ln a",
    lambda case: np.log(softmax(case["z"])),
    [
        Step(
            r"z - \ln(\mathbf{1}^\top\exp(z))\,\mathbf{1}",
            r"so $a = y$ exactly when $z = \ln y + \mu\mathbf{1}$ for some number $\mu$ (here $\mu = \ln\sum_l e^{z_l}$)",
        )
    ],
    _case,
    names=NAMES,
    lhs_how="as ln of the parsed a",
)

entropy_plus_divergence = MatrixChain(
    "C",
    lambda case: cost(case["z"], case["y"]),
    [
        Step(
            r"-\sum_{j=1}^{K} y_j\ln y_j + \sum_{j=1}^{K} y_j\ln\frac{y_j}{a_j}",
            r"add and subtract $\sum_j y_j\ln y_j$ (here every $y_j > 0$): $H(y) + \mathrm{KL}(y\,\|\,a)$",
        )
    ],
    _case,
    names=NAMES,
    lhs_how="from the parsed C and a",
)

gibbs_bound = MatrixChain(
    r"\sum_{j=1}^{K} y_j\left(\frac{a_j}{y_j} - 1\right)",
    lambda case: float(np.sum(case["y"] * (case["a"] / case["y"] - 1))),
    [
        Step(r"\mathbf{1}^\top a - \mathbf{1}^\top y", "multiply out"),
        Step("0", r"both are distributions; with $\ln t \le t - 1$, $-\mathrm{KL}(y\,\|\,a) \le 0$, equality only at $a = y$"),
    ],
    _case,
    names=NAMES,
    lhs_how="with numpy, from the parsed a",
)


minimiser = MatrixChain(
    r"a\big|_{z = \ln y + \mu\mathbf{1}}",
    lambda case: softmax(np.log(case["y"]) + case["\\mu"]),
    [Step("y", r"$e^{\ln y_j + \mu} = e^{\mu}y_j$ and $\sum_j y_j = 1$")],
    _case,
    names=NAMES,
    lhs_how="from the parsed a at z = ln y + μ1",
)

minimum_value = MatrixChain(
    r"C\big|_{z = \ln y + \mu\mathbf{1}}",
    lambda case: cost(np.log(case["y"]) + case["\\mu"], case["y"]),
    [Step(r"-\sum_{j=1}^{K} y_j\ln y_j", r"the Shannon entropy $H(y)$ of the target")],
    _case,
    names=NAMES,
    lhs_how="from the parsed C at z = ln y + μ1",
)

one_hot = MatrixChain(
    r"C\big|_{y = e_c}",
    lambda case: cost(case["z"], case["y"]),
    [
        Step(
            r"\ln\big(\mathbf{1}^\top\exp(z - (y^\top z)\,\mathbf{1})\big)",
            r"$-\ln a_c = \ln\sum_j e^{z_j - z_c}$, and $z_c = y^\top z$",
        )
    ],
    lambda rng: _case(rng, one_hot=True),
    names=NAMES,
    lhs_how="from the parsed C and a, for a one-hot y",
)


def one_hot_costs(scales=(1.0, 5.0, 10.0, 20.0, 30.0), k=3) -> list[float]:
    """C for y = e_1 along z = t·e_1: positive, falling, never 0."""
    targets = np.eye(k)[0]
    return [float(cost(scale * np.eye(k)[0], targets)) for scale in scales]


def _binary_case(rng):
    return {"z": float(rng.normal(scale=3.0)), "y": float(rng.uniform())}


two_class_probability = MatrixChain(
    r"\operatorname{softmax}\big((z, 0)\big)_1",
    lambda case: softmax(np.array([case["z"], 0.0]))[0],
    [Step(r"\frac{\exp(z)}{\exp(z) + 1}", r"$e^{0} = 1$"), Step(r"\sigma(z)", r"divide by $e^{z}$")],
    _binary_case,
    lhs_how="from the parsed a at the logits (z, 0)",
)

two_class_cost = MatrixChain(
    r"C\big|_{\text{logits } (z,\,0),\ \text{targets } (y,\,1-y)}",
    lambda case: cost(np.array([case["z"], 0.0]), np.array([case["y"], 1 - case["y"]])),
    [Step(r"-\big[y\ln\sigma(z) + (1-y)\ln(1-\sigma(z))\big]", r"$a_1 = \sigma(z)$, $a_2 = 1 - \sigma(z)$: binary cross-entropy")],
    _binary_case,
    lhs_how="from the parsed C and a at (z, 0)",
)
