"""The gradient of binary cross-entropy by differentials, with Frobenius (:) and Hadamard (⊙) products.

A : B = tr(AᵀB) = Σ_ij A_ij B_ij,  A ⊙ B and A ⊘ B elementwise product and quotient.
C(a) = −(1/n) [y : ln a + (1 − y) : ln(1 − a)], a = σ(Xw) elementwise: n examples as the rows of X.

>>> frobenius_identity_holds()
True
"""

from __future__ import annotations

import numpy as np

from snippets import numeric
from snippets.numeric import sigmoid
from snippets.proof import NumericChain, NumericStep


def frob(a, b):
    """A : B, the Frobenius inner product."""
    return np.sum(a * b)


def frobenius_identity_holds(trials: int = 50) -> bool:
    """A : B = tr(AᵀB), a : b = aᵀb for vectors, and the two rearrangements the derivation uses."""
    rng = np.random.default_rng(3)
    for _ in range(trials):
        shape = tuple(rng.integers(1, 6, size=2))
        a, b, c = (rng.normal(size=shape) for _ in range(3))
        M = rng.normal(size=(shape[0], shape[0]))
        u, v = rng.normal(size=(2, shape[0]))
        checks = [
            np.isclose(frob(a, b), np.trace(a.T @ b)),
            np.isclose(frob(u, v), u @ v),  # for vectors, a : b = aᵀb, and tr of that 1×1 matrix is itself
            np.isclose(frob(u, v), np.trace(u.reshape(-1, 1).T @ v.reshape(-1, 1))),
            np.isclose(frob(a, b * c), frob(a * b, c)),  # A : (B ⊙ D) = (A ⊙ B) : D
            np.isclose(frob(a, M @ b), frob(M.T @ a, b)),  # A : (MB) = (MᵀA) : B
        ]
        if not all(checks):
            return False
    return True


def loss(a, y):
    """C(a) from its definition; complex a allowed (complex step)."""
    ones = np.ones_like(y)
    return -(frob(y, np.log(a)) + frob(ones - y, np.log(ones - a))) / y.size


def _prediction_case(rng):
    n = rng.integers(2, 9)
    return {"y": rng.uniform(size=n), "a": rng.uniform(0.02, 0.98, size=n), "da": rng.normal(size=n)}


differential_in_a = NumericChain(
    r"dC",
    lambda c: numeric.directional_derivative(lambda v: loss(v, c["y"]), c["a"], c["da"]),
    [
        NumericStep(
            r"-\frac{1}{n}\Big[y : (da \oslash a) - (\mathbf{1}-y) : \big(da \oslash (\mathbf{1}-a)\big)\Big]",
            r"$d\ln a = da\oslash a$, $d\ln(\mathbf 1-a) = -da\oslash(\mathbf 1-a)$",
            lambda c: -(frob(c["y"], c["da"] / c["a"]) - frob(1 - c["y"], c["da"] / (1 - c["a"]))) / c["y"].size,
        ),
        NumericStep(
            r"-\frac{1}{n}\Big(y \oslash a - (\mathbf{1}-y) \oslash (\mathbf{1}-a)\Big) : da",
            r"$A : (B \odot D) = (A \odot B) : D$",
            lambda c: frob(-(c["y"] / c["a"] - (1 - c["y"]) / (1 - c["a"])) / c["y"].size, c["da"]),
        ),
        NumericStep(
            r"\Big((a - y) \oslash \big(n(a - a\odot a)\big)\Big) : da",
            "common denominator, elementwise",
            lambda c: frob((c["a"] - c["y"]) / (c["y"].size * (c["a"] - c["a"] * c["a"])), c["da"]),
        ),
    ],
    _prediction_case,
)


def _weights_case(rng):
    n, k = rng.integers(2, 9), rng.integers(1, 5)
    return {"X": rng.normal(size=(n, k)), "y": rng.uniform(size=n), "w": rng.normal(size=k), "dw": rng.normal(size=k)}


def _through_the_sigmoid(c):
    """∂C/∂a : da with da = a ⊙ (1 − a) ⊙ X dw, term by term as displayed."""
    a = sigmoid(c["X"] @ c["w"])
    gradient = (a - c["y"]) / (c["y"].size * (a - a * a))
    return frob(gradient, a * (1 - a) * (c["X"] @ c["dw"]))


differential_in_w = NumericChain(
    r"dC",
    lambda c: numeric.directional_derivative(lambda w: loss(sigmoid(c["X"] @ w), c["y"]), c["w"], c["dw"]),
    [
        NumericStep(
            r"\Big((a - y) \oslash \big(n(a - a\odot a)\big)\Big) : \Big(a\odot(\mathbf{1}-a)\odot X\,dw\Big)",
            r"$da = \sigma'(Xw)\odot d(Xw)$, $\sigma' = \sigma\odot(\mathbf 1 - \sigma)$",
            _through_the_sigmoid,
        ),
        NumericStep(
            r"\frac{1}{n}(a - y) : X\,dw",
            r"$A : (B \odot D) = (A \odot B) : D$; $a\odot(\mathbf 1-a)$ cancels",
            lambda c: frob(sigmoid(c["X"] @ c["w"]) - c["y"], c["X"] @ c["dw"]) / c["y"].size,
        ),
        NumericStep(
            r"\frac{1}{n}X^\top(a - y) : dw",
            r"$A : (MB) = (M^\top A) : B$",
            lambda c: frob(c["X"].T @ (sigmoid(c["X"] @ c["w"]) - c["y"]) / c["y"].size, c["dw"]),
        ),
    ],
    _weights_case,
)
