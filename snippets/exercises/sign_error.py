"""Exercises for docs/sign_error.md: the log-likelihood's derivative, and a tanh output.

a is the prediction, y the target, n the number of examples; COST is example i's share of C.

>>> [chain.status for chain in CHAINS]
['proved', 'proved', 'proved']
"""

from __future__ import annotations

import sympy as sp

from bce_proofs import Chain, Step
from snippets.sign_error import COST, DOMAIN, a, n, y, z

# Exercise 1: the asker's log-likelihood L = −nC; example i's term is y ln a + (1 − y) ln(1 − a).
log_likelihood_gradient = Chain(
    r"\frac{\partial}{\partial a}\big[y\ln a + (1-y)\ln(1-a)\big]",
    sp.diff(-n * COST, a),
    [
        Step(r"\frac{y}{a} - \frac{1-y}{1-a}", r"the same chain rule, $\frac{d}{da}\ln(1-a) = -\frac{1}{1-a}$"),
        Step(r"\frac{y - a}{a(1-a)}", "common denominator"),
        Step(r"-n\cdot\frac{a - y}{n\,a(1-a)}", r"$-n$ times the page's $\frac{\partial C}{\partial a}$"),
    ],
    DOMAIN,
)

# Exercise 2: a tanh unit mapped onto (0, 1), a = (1 + tanh z)/2.
TANH_OUTPUT = (1 + sp.tanh(z)) / 2

tanh_is_a_sigmoid = Chain(
    r"\frac{1 + \tanh z}{2}",
    TANH_OUTPUT,
    [Step(r"\frac{1}{1 + e^{-2z}}", r"$\tanh z = \frac{1 - e^{-2z}}{1 + e^{-2z}}$"), Step(r"\sigma(2z)", "the logistic function of $2z$")],
    DOMAIN,
)

tanh_output = Chain(
    r"\frac{\partial C}{\partial z}\Big|_{a = \frac{1+\tanh z}{2}}",
    sp.diff(COST.subs(a, TANH_OUTPUT), z),
    [
        Step(
            r"\frac{a - y}{n\,a(1-a)}\cdot\frac{1 - \tanh(z)^{2}}{2}",
            r"$\frac{\partial C}{\partial a}$ as on the page, times $\frac{da}{dz} = \frac{1 - \tanh^2 z}{2}$",
        ),
        Step(r"\frac{a - y}{n\,a(1-a)}\cdot 2a(1-a)", r"$1 - \tanh^2 z = (1 + \tanh z)(1 - \tanh z) = 2a \cdot 2(1-a)$"),
        Step(r"\frac{2(a - y)}{n}", r"the denominator cancels, as with $\sigma$; a factor $2$ is left"),
    ],
    DOMAIN,
    definitions={a: TANH_OUTPUT},
)

CHAINS = (log_likelihood_gradient, tanh_is_a_sigmoid, tanh_output)
