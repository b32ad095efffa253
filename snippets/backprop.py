"""Backpropagation through a multilayer sigmoid network with a cross-entropy output.

Layers l = 1..L: z^l = W^l a^{l−1} + b^l, a^l = σ(z^l), a^0 = x. For one example (the per-example
cost, not the average used elsewhere) C = −Σ_j [y_j ln a^L_j + (1 − y_j) ln(1 − a^L_j)]. These three
definitions are parsed from the TeX the page shows, and the network runs on them. The recursion:
δ^L = a^L − y, δ^l = ((W^{l+1})ᵀ δ^{l+1}) ⊙ σ'(z^l), ∂C/∂W^l = δ^l (a^{l−1})ᵀ, ∂C/∂b^l = δ^l.

>>> network = random_network(np.random.default_rng(0), [3, 4, 2])
>>> [weights.shape for weights, _ in network]
[(4, 3), (2, 4)]
"""

from __future__ import annotations

from functools import cache

import numpy as np

from snippets import numeric
from snippets.numeric import sigmoid
from bce_proofs import MatrixChain, MatrixDefinition, Step

# The claims this one builds on (the map on docs/checks.md).
BUILDS_ON = ("neuron_gradient",)

LAYER_SIZES = [3, 5, 4, 2]  # input, two hidden layers, output: three layers of weights
LAST = len(LAYER_SIZES) - 1

weighted_input = MatrixDefinition("z^l", r"W^l a^{l-1} + b^l", ("W^l", "a^{l-1}", "b^l"))
activation = MatrixDefinition("a^l", r"\sigma(z^l)", ("z^l",), note="σ applied to each unit")
per_example_cost = MatrixDefinition(
    "C", r"-\sum_{j=1}^{d_L}\big[y_j\ln a^L_j + (1-y_j)\ln(1-a^L_j)\big]", ("y", "a^L", "d_L"),
    note="one example; $d_L$ output units",
)


def random_network(rng: np.random.Generator, sizes=LAYER_SIZES) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(rng.normal(size=(n_out, n_in)), rng.normal(size=n_out)) for n_in, n_out in zip(sizes, sizes[1:])]


def cross_entropy(output, y):
    """C from its parsed definition; complex outputs allowed (complex step)."""
    return per_example_cost({"y": y, "a^L": output, "d_L": len(y)})


def _layer(weights, biases, previous):
    z = weighted_input({"W^l": weights, "a^{l-1}": previous, "b^l": biases})
    return z, activation({"z^l": z})


def forward(network, x):
    """The weighted inputs z^1..z^L and activations a^0..a^L, from the parsed definitions."""
    zs, activations = [], [x]
    for weights, biases in network:
        z, a = _layer(weights, biases, activations[-1])
        zs.append(z)
        activations.append(a)
    return zs, activations


def cost(network, x, y):
    return cross_entropy(forward(network, x)[1][-1], y)


def cost_from_layer(network, layer: int, z, y):
    """C as a function of z^layer (1-based), running the network on from there."""
    a = activation({"z^l": z})
    for weights, biases in network[layer:]:
        _, a = _layer(weights, biases, a)
    return cross_entropy(a, y)


def backprop(network, x, y):
    """The deltas δ^1..δ^L and the gradients (∂C/∂W^l, ∂C/∂b^l) by the recursion, in numpy."""
    zs, activations = forward(network, x)
    deltas = [activations[-1] - y]
    for (weights, _), z in zip(reversed(network[1:]), reversed(zs[:-1])):
        s = sigmoid(z)
        deltas.insert(0, (weights.T @ deltas[0]) * s * (1 - s))
    gradients = [(np.outer(delta, a_prev), delta) for delta, a_prev in zip(deltas, activations[:-1])]
    return deltas, gradients


def delta_by_complex_step(network, x, y, layer: int) -> np.ndarray:
    """δ^layer = ∂C/∂z^layer by the complex step: no recursion, no formula."""
    z = forward(network, x)[0][layer - 1]
    return numeric.gradient(lambda v: cost_from_layer(network, layer, v, y), z)


def make_case(rng):
    """A random network, input and soft targets, with the quantities the steps name, by TeX name."""
    network = random_network(rng)
    x, y = rng.normal(size=LAYER_SIZES[0]), rng.uniform(size=LAYER_SIZES[-1])
    zs, activations = forward(network, x)
    case = {"network": network, "x": x, "y": y, "z^L": zs[-1], "a^L": activations[-1]}
    case[r"\frac{\partial C}{\partial a^L}"] = numeric.gradient(lambda a: cross_entropy(a, y), activations[-1])
    for layer in range(1, LAST + 1):
        weights, _ = network[layer - 1]
        case[f"W^{{{layer}}}"] = weights
        case[f"z^{{{layer}}}"] = zs[layer - 1]
        case[f"a^{{{layer - 1}}}"] = activations[layer - 1]
        case[f"\\delta^{{{layer}}}"] = delta_by_complex_step(network, x, y, layer)
        if layer < LAST:
            following_weights, following_biases = network[layer]
            case[rf"\frac{{\partial z^{{{layer + 1}}}}}{{\partial z^{{{layer}}}}}"] = numeric.jacobian(
                lambda v: weighted_input({"W^l": following_weights, "a^{l-1}": activation({"z^l": v}), "b^l": following_biases}),
                zs[layer - 1],
            )
    return case


_WITHOUT_FORMULA = "by the complex step from the parsed cost, running the network on from that layer"

output_delta = MatrixChain(
    r"\delta^L = \frac{\partial C}{\partial z^L}",
    lambda c: c[f"\\delta^{{{LAST}}}"],
    [
        Step(r"\frac{\partial C}{\partial a^L} \odot \sigma'(z^L)", r"chain rule: $a^L = \sigma(z^L)$ unit by unit"),
        Step(r"\frac{a^L - y}{a^L\odot(\mathbf 1 - a^L)} \odot a^L\odot(\mathbf 1-a^L)", r"$\partial C/\partial a^L$ as for one output, elementwise"),
        Step(r"a^L - y", r"$\sigma'$ cancels, as for one neuron"),
    ],
    make_case,
    lhs_how=_WITHOUT_FORMULA,
)


@cache
def hidden_delta(layer: int) -> MatrixChain:
    return MatrixChain(
        rf"\delta^{{{layer}}} = \frac{{\partial C}}{{\partial z^{{{layer}}}}}",
        lambda c: c[f"\\delta^{{{layer}}}"],
        [
            Step(
                rf"\left(\frac{{\partial z^{{{layer + 1}}}}}{{\partial z^{{{layer}}}}}\right)^{{\top}} \delta^{{{layer + 1}}}",
                r"chain rule through $z^{l+1}$; its Jacobian by the complex step",
            ),
            Step(
                rf"\big(W^{{{layer + 1}}}\operatorname{{diag}}(\sigma'(z^{{{layer}}}))\big)^{{\top}} \delta^{{{layer + 1}}}",
                r"$\frac{\partial z^{l+1}}{\partial a^l} = W^{l+1}$, $\frac{\partial a^l}{\partial z^l} = \operatorname{diag}(\sigma'(z^l))$",
            ),
            Step(
                rf"\big((W^{{{layer + 1}}})^{{\top}}\delta^{{{layer + 1}}}\big) \odot \sigma'(z^{{{layer}}})",
                r"$\operatorname{diag}(v)\,u = v \odot u$: the recursion",
            ),
        ],
        make_case,
        lhs_how=_WITHOUT_FORMULA,
    )


def _cost_of_parameter(c, layer: int, which: int):
    """C as a function of layer `layer`'s weights (which = 0) or biases (which = 1), the rest fixed."""

    def cost_with(value):
        network = list(c["network"])
        parameters = list(network[layer - 1])
        parameters[which] = value
        network[layer - 1] = tuple(parameters)
        return cost(network, c["x"], c["y"])

    return cost_with


@cache
def weight_gradient(layer: int) -> MatrixChain:
    return MatrixChain(
        rf"\frac{{\partial C}}{{\partial W^{{{layer}}}}}",
        lambda c: numeric.gradient(_cost_of_parameter(c, layer, 0), c["network"][layer - 1][0]),
        [
            Step(
                rf"\delta^{{{layer}}}\,(a^{{{layer - 1}}})^{{\top}}",
                rf"$z^{{{layer}}}_j = \sum_k W^{{{layer}}}_{{jk}} a^{{{layer - 1}}}_k + b^{{{layer}}}_j$",
            )
        ],
        make_case,
        lhs_how="by the complex step from the parsed cost, in each weight",
    )


@cache
def bias_gradient(layer: int) -> MatrixChain:
    return MatrixChain(
        rf"\frac{{\partial C}}{{\partial b^{{{layer}}}}}",
        lambda c: numeric.gradient(_cost_of_parameter(c, layer, 1), c["network"][layer - 1][1]),
        [Step(rf"\delta^{{{layer}}}", rf"$\partial z^{{{layer}}}_j / \partial b^{{{layer}}}_j = 1$")],
        make_case,
        lhs_how="by the complex step from the parsed cost, in each bias",
    )


def _batch_case(layer: int):
    def make(rng):
        case = make_case(rng)
        count = int(rng.integers(2, 6))
        inputs, targets = rng.normal(size=(count, LAYER_SIZES[0])), rng.uniform(size=(count, LAYER_SIZES[-1]))
        case.update({"X": inputs, "Y": targets, "n": count})
        # One row per example, as the data matrix X elsewhere on the site.
        case[f"\\Delta^{{{layer}}}"] = np.stack([delta_by_complex_step(case["network"], x, y, layer) for x, y in zip(inputs, targets)])
        case[f"A^{{{layer - 1}}}"] = np.stack([forward(case["network"], x)[1][layer - 1] for x in inputs])
        return case

    return make


@cache
def batch_weight_gradient(layer: int) -> MatrixChain:
    """For the cost averaged over n examples: ∂C/∂W^l = (1/n) (Δ^l)ᵀ A^{l−1}, examples as rows."""

    def averaged_cost(c):
        def cost_with(weights):
            network = list(c["network"])
            network[layer - 1] = (weights, network[layer - 1][1])
            return sum(cost(network, x, y) for x, y in zip(c["X"], c["Y"])) / len(c["X"])

        return cost_with

    return MatrixChain(
        rf"\frac{{\partial}}{{\partial W^{{{layer}}}}}\,\frac{{1}}{{n}}\sum_{{i=1}}^{{n}} C_i",
        lambda c: numeric.gradient(averaged_cost(c), c["network"][layer - 1][0]),
        [
            Step(
                rf"\frac{{1}}{{n}}\sum_{{i=1}}^{{n}} \delta^{{{layer}}}_i\,(a^{{{layer - 1}}}_i)^{{\top}}",
                "average the per-example outer products",
            ),
            Step(
                rf"\frac{{1}}{{n}}(\Delta^{{{layer}}})^{{\top}} A^{{{layer - 1}}}",
                "examples as rows: a sum of outer products is a matrix product",
            ),
        ],
        _batch_case(layer),
        rows={f"\\delta^{{{layer}}}": f"\\Delta^{{{layer}}}", f"a^{{{layer - 1}}}": f"A^{{{layer - 1}}}"},
        lhs_how="by the complex step from the averaged parsed cost, in each weight",
    )


def weight_check_report(seed: int = 11, step: float = 1e-6) -> str:
    """Every weight and bias of a 3-layer network: the recursion against central differences of C."""
    rng = np.random.default_rng(seed)
    case = make_case(rng)
    network, x, y = case["network"], case["x"], case["y"]
    _, gradients = backprop(network, x, y)
    rows, worst_overall = [], 0.0
    for layer, ((weights, biases), (grad_w, grad_b)) in enumerate(zip(network, gradients), start=1):
        worst = 0.0
        for array, grad in ((weights, grad_w), (biases, grad_b)):
            for index in np.ndindex(array.shape):
                original = array[index]
                array[index] = original + step
                up = cost(network, x, y)
                array[index] = original - step
                down = cost(network, x, y)
                array[index] = original
                worst = max(worst, abs((up - down) / (2 * step) - grad[index]))
        rows.append(f"| {layer} | {weights.shape[0]}×{weights.shape[1]} | {weights.size + biases.size} | {worst:.1e} |")
        worst_overall = max(worst_overall, worst)
    if worst_overall > 1e-7:
        raise AssertionError(f"backprop and finite differences differ by {worst_overall:.1e}")
    return (
        "| layer $l$ | $W^l$ | parameters checked | largest difference |\n|---|---|---|---|\n"
        + "\n".join(rows)
        + f"\n\nAll {sum(w.size + b.size for w, b in network)} parameters agree to {worst_overall:.1e} (tolerance $10^{{-7}}$)."
    )


def not_convex_in_all_weights(seed: int = 4) -> dict[str, float]:
    """A network's cost is not convex in all its weights: the midpoint of two equally good networks is worse.

    Swapping two hidden units (rows of W¹ and b¹, columns of W²) changes no output, so C(θ) = C(θ');
    convexity would need C((θ + θ')/2) ≤ (C(θ) + C(θ'))/2 = C(θ). The midpoint gives both units the
    same weights, and here its cost is higher. Sizes 1 → 2 → 1, four examples.
    """
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(4, 1))
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    network = random_network(rng, [1, 2, 1])
    (w1, b1), (w2, b2) = network
    swapped = [(w1[::-1], b1[::-1]), (w2[:, ::-1], b2)]
    midpoint = [((wa + wb) / 2, (ba + bb) / 2) for (wa, ba), (wb, bb) in zip(network, swapped)]

    def total(net):
        return float(sum(np.real(cost(net, example, target)) for example, target in zip(x, y)) / len(x))

    return {"cost": total(network), "cost_swapped": total(swapped), "cost_midpoint": total(midpoint)}
