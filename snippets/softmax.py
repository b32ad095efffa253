"""Many classes: softmax cross-entropy with probability targets.

For k logits z and a target distribution y (entries ≥ 0, summing to 1), p = softmax(z) and
L(z) = −Σ_j y_j ln p_j. Its gradient is p − y, its Hessian diag(p) − p pᵀ, positive semidefinite
with the all-ones direction in its null space (softmax ignores a shift z + c1). L = H(y) + KL(y‖p),
so for y_j > 0 the minimisers are exactly z = ln y + c1, with minimum the Shannon entropy; for a
one-hot y there is no finite minimiser. With k = 2 and z = (z, 0) it is binary cross-entropy.

>>> [check.method.split(" on ")[0] for check in gradient.check()]
['numeric', 'numeric']
>>> one_hot_costs()[-1] < one_hot_costs()[0]
True
"""

from __future__ import annotations

import numpy as np

from snippets import numeric
from snippets.proof import MatrixChain, MatrixDefinition, Step

# The claims this one builds on (the map on docs/checks.md).
BUILDS_ON = ("why_cross_entropy", "matrix_form")

NAMES = ("z", "y", "p", "k", "v", "c")
probabilities = MatrixDefinition(
    "p", r"\frac{\exp(z)}{\mathbf{1}^\top\exp(z)}", NAMES,
    note=r"$\operatorname{softmax}(z)$: $k$ logits to $k$ probabilities, $p_j = e^{z_j}/\sum_l e^{z_l}$",
)
loss = MatrixDefinition(
    "L", r"-\sum_{j=1}^{k} y_j\ln p_j", NAMES,
    note=r"one example's cost; the target $y$ is a distribution: $y_j \ge 0$, $\sum_j y_j = 1$",
)


def softmax(logits):
    """p from the parsed definition (complex logits allowed, for the complex step)."""
    return probabilities({"z": logits})


def cost(logits, targets):
    """L(z) from the parsed definitions."""
    return loss({"y": targets, "p": softmax(logits), "k": len(targets)})


def gradient_numeric(logits, targets):
    """∇L by the complex step: no formula for the gradient is used."""
    return numeric.gradient(lambda v: cost(v, targets), logits)


def hessian_numeric(logits, targets, step=1e-5):
    """∇²L: central differences of the complex-step gradient, column by column."""
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
    return {"z": logits, "y": targets, "p": softmax(logits), "k": k, "v": rng.normal(size=k), "c": float(rng.normal(scale=3.0))}


gradient = MatrixChain(
    r"\nabla_z L",
    lambda case: gradient_numeric(case["z"], case["y"]),
    [
        Step(r"-y + (\mathbf{1}^\top y)\,p", r"$\ln p_j = z_j - \ln\sum_l e^{z_l}$, so $\partial \ln p_j/\partial z_l = \delta_{jl} - p_l$"),
        Step(r"p - y", r"the targets sum to $1$"),
    ],
    _case,
    names=NAMES,
    lhs_how="by the complex step from the parsed L and p",
)

hessian = MatrixChain(
    r"\nabla_z^2 L",
    lambda case: hessian_numeric(case["z"], case["y"]),
    [Step(r"\operatorname{diag}(p) - p\,p^\top", r"differentiate $p_j$: $\partial p_j/\partial z_l = p_j\delta_{jl} - p_j p_l$; $y$ has gone")],
    _case,
    names=NAMES,
    tolerance=1e-7,
    lhs_how="by central differences (step 1e-5) of the complex-step gradient of the parsed L",
)

curvature = MatrixChain(
    r"v^\top \big(\nabla_z^2 L\big)\, v",
    lambda case: case["v"] @ hessian_numeric(case["z"], case["y"]) @ case["v"],
    [
        Step(r"\sum_{j=1}^{k} p_j v_j^2 - (p^\top v)^2", r"$v^\top\operatorname{diag}(p)\,v - (p^\top v)^2$"),
        Step(
            r"\sum_{j=1}^{k} p_j\big(v_j - p^\top v\big)^2",
            r"the variance of $v$ under $p$: never negative, and $0$ only if every $v_j$ is the same ($p_j > 0$)",
        ),
    ],
    _case,
    names=NAMES,
    tolerance=1e-7,
    lhs_how="from the numeric Hessian, for a random direction v",
)

null_direction = MatrixChain(
    r"\nabla_z^2 L\,\mathbf{1}",
    lambda case: hessian_numeric(case["z"], case["y"]) @ np.ones(case["k"]),
    [
        Step(r"(\operatorname{diag}(p) - p\,p^\top)\mathbf{1}", "the Hessian above"),
        Step(r"p - p\,(p^\top\mathbf{1})", r"$\operatorname{diag}(p)\mathbf{1} = p$"),
        Step(r"0\,p", r"$p^\top\mathbf{1} = 1$: the zero vector"),
    ],
    _case,
    names=NAMES,
    tolerance=1e-7,
    lhs_how="from the numeric Hessian",
)

shift = MatrixChain(
    r"\frac{\exp(z + c\mathbf{1})}{\mathbf{1}^\top\exp(z + c\mathbf{1})}",
    lambda case: softmax(case["z"] + case["c"]),
    [
        Step(r"\frac{\exp(c)\exp(z)}{\exp(c)\,\mathbf{1}^\top\exp(z)}", r"$e^{z_j + c} = e^{c}e^{z_j}$"),
        Step(r"p", r"$e^{c}$ cancels: $z$ and $z + c\mathbf{1}$ give the same $p$, and the same $L$"),
    ],
    _case,
    names=NAMES,
    lhs_how="from the parsed p at z + c1",
)

log_probabilities = MatrixChain(
    r"\ln p",
    lambda case: np.log(softmax(case["z"])),
    [
        Step(
            r"z - \ln(\mathbf{1}^\top\exp(z))\,\mathbf{1}",
            r"so $p = y$ exactly when $z = \ln y + c\mathbf{1}$ for some number $c$ (here $c = \ln\sum_l e^{z_l}$)",
        )
    ],
    _case,
    names=NAMES,
    lhs_how="as ln of the parsed p",
)

entropy_plus_divergence = MatrixChain(
    "L",
    lambda case: cost(case["z"], case["y"]),
    [
        Step(
            r"-\sum_{j=1}^{k} y_j\ln y_j + \sum_{j=1}^{k} y_j\ln\frac{y_j}{p_j}",
            r"add and subtract $\sum_j y_j\ln y_j$ (here every $y_j > 0$): $H(y) + \mathrm{KL}(y\,\|\,p)$",
        )
    ],
    _case,
    names=NAMES,
    lhs_how="from the parsed L and p",
)

gibbs_bound = MatrixChain(
    r"\sum_{j=1}^{k} y_j\left(\frac{p_j}{y_j} - 1\right)",
    lambda case: float(np.sum(case["y"] * (case["p"] / case["y"] - 1))),
    [
        Step(r"\mathbf{1}^\top p - \mathbf{1}^\top y", "multiply out"),
        Step("0", r"both are distributions; with $\ln t \le t - 1$, $-\mathrm{KL}(y\,\|\,p) \le 0$, equality only at $p = y$"),
    ],
    _case,
    names=NAMES,
    lhs_how="with numpy, from the parsed p",
)


minimiser = MatrixChain(
    r"p\big|_{z = \ln y + c\mathbf{1}}",
    lambda case: softmax(np.log(case["y"]) + case["c"]),
    [Step("y", r"$e^{\ln y_j + c} = e^{c}y_j$ and $\sum_j y_j = 1$")],
    _case,
    names=NAMES,
    lhs_how="from the parsed p at z = ln y + c1",
)

minimum_value = MatrixChain(
    r"L\big|_{z = \ln y + c\mathbf{1}}",
    lambda case: cost(np.log(case["y"]) + case["c"], case["y"]),
    [Step(r"-\sum_{j=1}^{k} y_j\ln y_j", r"the Shannon entropy $H(y)$ of the target")],
    _case,
    names=NAMES,
    lhs_how="from the parsed L at z = ln y + c1",
)

one_hot = MatrixChain(
    r"L\big|_{y = e_c}",
    lambda case: cost(case["z"], case["y"]),
    [
        Step(
            r"\ln\big(\mathbf{1}^\top\exp(z - (y^\top z)\,\mathbf{1})\big)",
            r"$-\ln p_c = \ln\sum_j e^{z_j - z_c}$, and $z_c = y^\top z$",
        )
    ],
    lambda rng: _case(rng, one_hot=True),
    names=NAMES,
    lhs_how="from the parsed L and p, for a one-hot y",
)


def one_hot_costs(scales=(1.0, 5.0, 10.0, 20.0, 30.0), k=3) -> list[float]:
    """L for y = e_1 along z = t·e_1: positive, falling, never 0."""
    targets = np.eye(k)[0]
    return [float(cost(scale * np.eye(k)[0], targets)) for scale in scales]


def _binary_case(rng):
    return {"z": float(rng.normal(scale=3.0)), "y": float(rng.uniform())}


two_class_probability = MatrixChain(
    r"\operatorname{softmax}\big((z, 0)\big)_1",
    lambda case: softmax(np.array([case["z"], 0.0]))[0],
    [Step(r"\frac{\exp(z)}{\exp(z) + 1}", r"$e^{0} = 1$"), Step(r"\sigma(z)", r"divide by $e^{z}$")],
    _binary_case,
    lhs_how="from the parsed p at the logits (z, 0)",
)

two_class_cost = MatrixChain(
    r"L\big|_{z = (z, 0),\ y = (y,\,1-y)}",
    lambda case: cost(np.array([case["z"], 0.0]), np.array([case["y"], 1 - case["y"]])),
    [Step(r"-\big[y\ln\sigma(z) + (1-y)\ln(1-\sigma(z))\big]", r"$p_1 = \sigma(z)$, $p_2 = 1 - \sigma(z)$: binary cross-entropy")],
    _binary_case,
    lhs_how="from the parsed L and p at (z, 0)",
)
