"""Backpropagation through a multilayer sigmoid network with a cross-entropy output.

Layers l = 1..L: z^l = W^l a^{l−1} + b^l, a^l = σ(z^l), a^0 = x. For one example (the per-example
cost, not the average used elsewhere) C = −Σ_j [y_j ln a^L_j + (1 − y_j) ln(1 − a^L_j)]. The recursion:
δ^L = a^L − y, δ^l = ((W^{l+1})ᵀ δ^{l+1}) ⊙ σ'(z^l), ∂C/∂W^l = δ^l (a^{l−1})ᵀ, ∂C/∂b^l = δ^l.

>>> network = random_network(np.random.default_rng(0), [3, 4, 2])
>>> [weights.shape for weights, _ in network]
[(4, 3), (2, 4)]
"""

from __future__ import annotations

import numpy as np

from snippets import numeric
from snippets.numeric import sigmoid
from snippets.proof import NumericChain, NumericStep

LAYER_SIZES = [3, 5, 4, 2]  # input, two hidden layers, output: three layers of weights


def random_network(rng: np.random.Generator, sizes=LAYER_SIZES) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(rng.normal(size=(n_out, n_in)), rng.normal(size=n_out)) for n_in, n_out in zip(sizes, sizes[1:])]


def cross_entropy(output, y):
    return -np.sum(y * np.log(output) + (1 - y) * np.log(1 - output))


def forward(network, x):
    """The weighted inputs z^1..z^L and activations a^0..a^L."""
    zs, activations = [], [x]
    for weights, biases in network:
        zs.append(weights @ activations[-1] + biases)
        activations.append(sigmoid(zs[-1]))
    return zs, activations


def cost(network, x, y):
    return cross_entropy(forward(network, x)[1][-1], y)


def cost_from_layer(network, layer: int, z, y):
    """C as a function of z^layer (1-based), running the network on from there."""
    activation = sigmoid(z)
    for weights, biases in network[layer:]:
        activation = sigmoid(weights @ activation + biases)
    return cross_entropy(activation, y)


def backprop(network, x, y):
    """The deltas δ^1..δ^L and the gradients (∂C/∂W^l, ∂C/∂b^l) by the recursion."""
    zs, activations = forward(network, x)
    deltas = [activations[-1] - y]
    for (weights, _), z in zip(reversed(network[1:]), reversed(zs[:-1])):
        s = sigmoid(z)
        deltas.insert(0, (weights.T @ deltas[0]) * s * (1 - s))
    gradients = [(np.outer(delta, a_prev), delta) for delta, a_prev in zip(deltas, activations[:-1])]
    return deltas, gradients


def make_case(rng):
    return {"network": random_network(rng), "x": rng.normal(size=LAYER_SIZES[0]), "y": rng.uniform(size=LAYER_SIZES[-1])}


def _z(case, layer):
    return forward(case["network"], case["x"])[0][layer - 1]


def _delta_by_complex_step(case, layer):
    return numeric.gradient(lambda z: cost_from_layer(case["network"], layer, z, case["y"]), _z(case, layer))


LAST = len(LAYER_SIZES) - 1

output_delta = NumericChain(
    r"\delta^L = \frac{\partial C}{\partial z^L}",
    lambda c: _delta_by_complex_step(c, LAST),
    [
        NumericStep(
            r"\frac{\partial C}{\partial a^L} \odot \sigma'(z^L) = \frac{a^L - y}{a^L\odot(\mathbf 1 - a^L)} \odot a^L\odot(\mathbf 1-a^L)",
            r"$\partial C/\partial a^L$ as for one output, elementwise",
            lambda c: (lambda a: (a - c["y"]) / (a * (1 - a)) * a * (1 - a))(forward(c["network"], c["x"])[1][-1]),
        ),
        NumericStep(r"a^L - y", r"$\sigma'$ cancels, as for one neuron", lambda c: backprop(c["network"], c["x"], c["y"])[0][-1]),
    ],
    make_case,
)


def _layer_jacobian_product(c, layer):
    """(∂z^{l+1}/∂z^l)ᵀ δ^{l+1} with the Jacobian computed by the complex step."""
    network = c["network"]
    weights, biases = network[layer]
    jac = numeric.jacobian(lambda z: weights @ sigmoid(z) + biases, _z(c, layer))
    return jac.T @ backprop(network, c["x"], c["y"])[0][layer]


def hidden_delta(layer: int) -> NumericChain:
    return NumericChain(
        rf"\delta^{{{layer}}} = \frac{{\partial C}}{{\partial z^{{{layer}}}}}",
        lambda c: _delta_by_complex_step(c, layer),
        [
            NumericStep(
                rf"\left(\frac{{\partial z^{{{layer + 1}}}}}{{\partial z^{{{layer}}}}}\right)^{{\top}} \delta^{{{layer + 1}}}",
                r"chain rule through $z^{l+1}$; Jacobian by complex step",
                lambda c: _layer_jacobian_product(c, layer),
            ),
            NumericStep(
                rf"\big(W^{{{layer + 1}}}\operatorname{{diag}}(\sigma'(z^{{{layer}}}))\big)^{{\top}} \delta^{{{layer + 1}}}",
                r"$\frac{\partial z^{l+1}}{\partial a^l} = W^{l+1}$, $\frac{\partial a^l}{\partial z^l} = \operatorname{diag}(\sigma'(z^l))$",
                lambda c: (c["network"][layer][0] @ np.diag(sigmoid(_z(c, layer)) * (1 - sigmoid(_z(c, layer))))).T
                @ backprop(c["network"], c["x"], c["y"])[0][layer],
            ),
            NumericStep(
                rf"\big((W^{{{layer + 1}}})^{{\top}}\delta^{{{layer + 1}}}\big) \odot \sigma'(z^{{{layer}}})",
                r"$\operatorname{diag}(v)\,u = v \odot u$: the recursion",
                lambda c: backprop(c["network"], c["x"], c["y"])[0][layer - 1],
            ),
        ],
        make_case,
    )


def _cost_of_weights(c, layer):
    def cost_with(weights):
        network = list(c["network"])
        network[layer - 1] = (weights, network[layer - 1][1])
        return cost(network, c["x"], c["y"])

    return cost_with


def weight_gradient(layer: int) -> NumericChain:
    return NumericChain(
        rf"\frac{{\partial C}}{{\partial W^{{{layer}}}}}",
        lambda c: numeric.gradient(_cost_of_weights(c, layer), c["network"][layer - 1][0]),
        [
            NumericStep(
                rf"\delta^{{{layer}}}\,(a^{{{layer - 1}}})^{{\top}}",
                rf"$z^{{{layer}}}_j = \sum_k W^{{{layer}}}_{{jk}} a^{{{layer - 1}}}_k + b^{{{layer}}}_j$",
                lambda c: backprop(c["network"], c["x"], c["y"])[1][layer - 1][0],
            )
        ],
        make_case,
    )


def _batch_case(rng):
    case = make_case(rng)
    count = int(rng.integers(2, 6))
    case["X"] = rng.normal(size=(LAYER_SIZES[0], count))  # examples as columns
    case["Y"] = rng.uniform(size=(LAYER_SIZES[-1], count))
    return case


def _batch_deltas_and_activations(c, layer):
    per_example = [backprop(c["network"], x, y)[0][layer - 1] for x, y in zip(c["X"].T, c["Y"].T)]
    inputs = [forward(c["network"], x)[1][layer - 1] for x in c["X"].T]
    return np.stack(per_example, axis=1), np.stack(inputs, axis=1)


def batch_weight_gradient(layer: int) -> NumericChain:
    """For the cost averaged over n examples: ∂C/∂W^l = (1/n) Δ^l (A^{l−1})ᵀ."""

    def averaged_cost(c):
        def cost_with(weights):
            network = list(c["network"])
            network[layer - 1] = (weights, network[layer - 1][1])
            return np.mean([cost(network, x, y) for x, y in zip(c["X"].T, c["Y"].T)])

        return cost_with

    return NumericChain(
        rf"\frac{{\partial}}{{\partial W^{{{layer}}}}}\,\frac{{1}}{{n}}\sum_x C_x",
        lambda c: numeric.gradient(averaged_cost(c), c["network"][layer - 1][0]),
        [
            NumericStep(
                rf"\frac{{1}}{{n}}\sum_x \delta^{{{layer}}}_x\,(a^{{{layer - 1}}}_x)^{{\top}}",
                "average the per-example outer products",
                lambda c: sum(np.outer(d, a) for d, a in zip(*(m.T for m in _batch_deltas_and_activations(c, layer)))) / c["X"].shape[1],
            ),
            NumericStep(
                rf"\frac{{1}}{{n}}\Delta^{{{layer}}} (A^{{{layer - 1}}})^{{\top}}",
                "examples as columns: a sum of outer products is a matrix product",
                lambda c: (lambda deltas, inputs: deltas @ inputs.T / c["X"].shape[1])(*_batch_deltas_and_activations(c, layer)),
            ),
            NumericStep(
                rf"\frac{{1}}{{n}}(\Delta^{{{layer}}}_{{\text{{rows}}}})^{{\top}} A^{{{layer - 1}}}_{{\text{{rows}}}}",
                r"examples as rows: $\Delta^{l}_{\text{rows}} = (\Delta^{l})^\top$, $A^{l-1}_{\text{rows}} = (A^{l-1})^\top$",
                lambda c: (lambda rows_d, rows_a: rows_d.T @ rows_a / c["X"].shape[1])(
                    *(m.T for m in _batch_deltas_and_activations(c, layer))
                ),
            ),
        ],
        _batch_case,
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
