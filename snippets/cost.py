"""The cost every claim starts from: C over n inputs, one input's term c(a, y), and the binary entropy H(y).

Each is written once, in TeX, and parsed; the pages print these displays and the claims compute
with the parsed forms, so a claim that edits nothing here does not touch the definitions.

>>> per_example_cost(a, 1)
-log(a)
>>> float(neuron_cost(np.array([[0.0]]), np.array([1.0]), np.array([0.0]), 0.0))  # ln 2
0.6931471805599453
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from snippets import numeric
from bce_proofs import Definition, MatrixDefinition

a = sp.Symbol("a", positive=True)  # a = σ(z), strictly inside (0, 1)
y = sp.Symbol("y", nonnegative=True)  # soft target in [0, 1]

ARRAY_NAMES = ("y", "a", "n", "X", "w", "b", "z", "j")
average_cost = MatrixDefinition(
    "C", r"-\frac{1}{n}\sum_{i=1}^{n}\Big[y_i \ln a_i + (1-y_i)\ln(1-a_i)\Big]", ARRAY_NAMES,
    rows={"x": "X"}, note=r"$n$ inputs, targets $y_i \in [0,1]$, predictions $a_i \in (0,1)$",
)
term = Definition("c(a, y)", r"-\big[y\ln a + (1-y)\ln(1-a)\big]", note=r"input $i$'s term: $C = \frac1n\sum_i c(a_i, y_i)$", symbols=(a, y))
entropy = Definition("H(y)", r"-y\ln y - (1-y)\ln(1-y)", note=r"with $0\ln 0 = 0$, so $H(0) = H(1) = 0$", symbols=(y,))


def per_example_cost(a_, y_):
    """c(a, y) = -[y ln a + (1-y) ln(1-a)], as parsed from its display."""
    return term.value.subs({a: a_, y: y_}, simultaneous=True)


def binary_entropy(y_):
    """H(y) = -y ln y - (1-y) ln(1-y), as parsed from its display."""
    return entropy.value.subs(y, y_)


def neuron_cost(X, y_, w, b):
    """C(w, b): the parsed C with a = σ(Xw + b); complex w, b allowed (complex step)."""
    return average_cost({"y": y_, "a": numeric.sigmoid(X @ w + b), "n": len(y_)})
