"""Exercises for docs/backprop.md: the gradient in the input x, and the errors under a quadratic cost.

The network runs on the page's parsed definitions (sizes 3 → 5 → 4 → 2, L = 3); every left-hand side
is computed by the complex step from a parsed cost, with no gradient formula.

>>> [chain.status for chain in CHAINS]
['checked', 'checked', 'checked']
"""

from __future__ import annotations

from snippets import backprop, numeric
from bce_proofs import MatrixChain, MatrixDefinition, Step

# Exercise 1: how the cost changes with the input.
input_gradient = MatrixChain(
    r"\frac{\partial C}{\partial x}",
    lambda c: numeric.gradient(lambda x: backprop.cost(c["network"], x, c["y"]), c["x"]),
    [
        Step(
            r"(W^{1})^{\top}\delta^{1}",
            r"$z^1 = W^1 x + b^1$, so $\frac{\partial z^1}{\partial x} = W^1$; no $\sigma'$, since $x$ is no unit's output",
        )
    ],
    backprop.make_case,
    lhs_how="by the complex step from the parsed cost, in each input feature",
)

# Exercise 2: the quadratic cost at the output.
quadratic_cost = MatrixDefinition(
    "C_Q", r"\frac{1}{2}\sum_{j=1}^{d_L}(a^L_j - y_j)^2", ("y", "a^L", "d_L"), note="one example; $d_L$ output units"
)


def quadratic_from_layer(network, layer: int, z, y):
    """C_Q as a function of z^layer (1-based), running the network on from there."""
    a = backprop.activation({"z^l": z})
    for weights, biases in network[layer:]:
        _, a = backprop._layer(weights, biases, a)
    return quadratic_cost({"y": y, "a^L": a, "d_L": len(y)})


def quadratic_case(rng):
    """The page's random case, with every δ^l the complex-step derivative of C_Q instead of C."""
    case = backprop.make_case(rng)
    zs, _ = backprop.forward(case["network"], case["x"])
    for layer in range(1, backprop.LAST + 1):
        case[f"\\delta^{{{layer}}}"] = numeric.gradient(
            lambda v, layer=layer: quadratic_from_layer(case["network"], layer, v, case["y"]), zs[layer - 1]
        )
    return case


quadratic_output_delta = MatrixChain(
    r"\delta^L = \frac{\partial C_Q}{\partial z^L}",
    lambda c: c[f"\\delta^{{{backprop.LAST}}}"],
    [
        Step(r"(a^L - y)\odot\sigma'(z^L)", r"$\frac{\partial C_Q}{\partial a^L} = a^L - y$, times $\sigma'(z^L)$ unit by unit"),
        Step(r"(a^L - y)\odot a^L\odot(\mathbf 1 - a^L)", r"$\sigma' = \sigma\odot(\mathbf 1 - \sigma)$: nothing cancels it"),
    ],
    quadratic_case,
    lhs_how="by the complex step from the parsed quadratic cost, running the network on from z^L",
)

quadratic_hidden_delta = MatrixChain(
    r"\delta^{2} = \frac{\partial C_Q}{\partial z^{2}}",
    lambda c: c[r"\delta^{2}"],
    [Step(r"\big((W^{3})^{\top}\delta^{3}\big) \odot \sigma'(z^{2})", "the page's recursion, with this cost's $\\delta^{3}$")],
    quadratic_case,
    lhs_how="by the complex step from the parsed quadratic cost, running the network on from z^2",
)

CHAINS = (input_gradient, quadratic_output_delta, quadratic_hidden_delta)
