"""Exercises for docs/neuron_gradient.md: σ(−z) = 1 − σ(z), and the curvature in one weight.

As on the page, z = w_j x_j + r, where r collects b and every other w_l x_l.

>>> [chain.status for chain in CHAINS]
['proved', 'proved', 'proved']
"""

from __future__ import annotations

import sympy as sp

from snippets.neuron_gradient import DOMAIN, Z_OF_W, cross_entropy, r, w_j, x_j, y, z
from bce_proofs import Chain, Step, sigmoid

# Exercise 1: the sigmoid's symmetry, and σ' written with it.
sigmoid_symmetry = Chain(
    r"\sigma(-z)",
    sigmoid(-z),
    [
        Step(r"\frac{1}{1+e^{z}}", r"$\sigma(-z) = \frac{1}{1+e^{-(-z)}}$"),
        Step(r"\frac{e^{-z}}{e^{-z}+1}", r"multiply above and below by $e^{-z}$"),
        Step(r"1 - \frac{1}{1+e^{-z}}", r"$\frac{e^{-z}}{1+e^{-z}} = \frac{(1+e^{-z}) - 1}{1+e^{-z}}$"),
        Step(r"1 - \sigma(z)", "the definition of σ"),
    ],
    DOMAIN,
)

sigmoid_derivative_symmetric = Chain(
    r"\sigma'(z)",
    sp.diff(sigmoid(z), z),
    [
        Step(r"\sigma(z)(1-\sigma(z))", "the page's result"),
        Step(r"\sigma(z)\,\sigma(-z)", r"$1 - \sigma(z) = \sigma(-z)$"),
    ],
    DOMAIN,
)

# Exercise 2: the second derivative of one input's cost in one weight.
weight_curvature = Chain(
    r"\frac{\partial^2 C_x}{\partial w_j^2}",
    sp.diff(cross_entropy(sigmoid(w_j * x_j + r), y), w_j, 2),
    [
        Step(
            r"x_j\cdot\sigma(z)(1-\sigma(z))\cdot x_j",
            r"differentiate $x_j(\sigma(z) - y)$: only $\sigma(z)$ depends on $w_j$, and $\frac{\partial z}{\partial w_j} = x_j$",
        ),
        Step(r"x_j^{2}\,\sigma(z)(1-\sigma(z))", r"no $y$ left"),
    ],
    DOMAIN,
    definitions=Z_OF_W,
)

CHAINS = (sigmoid_symmetry, sigmoid_derivative_symmetric, weight_curvature)
