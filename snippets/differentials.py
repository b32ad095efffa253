"""The gradient of binary cross-entropy by differentials, with Frobenius (:) and Hadamard (⊙) products.

A : B = tr(AᵀB) = Σ_ij A_ij B_ij,  A ⊙ B and A ⊘ B elementwise product and quotient.
L(ŷ) = −(1/m) [y : ln ŷ + (1 − y) : ln(1 − ŷ)], ŷ = σ(Xw) elementwise.

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
    """A : B = tr(AᵀB), and the two rearrangements the derivation uses."""
    rng = np.random.default_rng(3)
    for _ in range(trials):
        shape = tuple(rng.integers(1, 6, size=2))
        a, b, c = (rng.normal(size=shape) for _ in range(3))
        M = rng.normal(size=(shape[0], shape[0]))
        checks = [
            np.isclose(frob(a, b), np.trace(a.T @ b)),
            np.isclose(frob(a, b * c), frob(a * b, c)),  # A : (B ⊙ C) = (A ⊙ B) : C
            np.isclose(frob(a, M @ b), frob(M.T @ a, b)),  # A : (MB) = (MᵀA) : B
        ]
        if not all(checks):
            return False
    return True


def loss(y_hat, y):
    """L(ŷ) from its definition; complex ŷ allowed (complex step)."""
    ones = np.ones_like(y)
    return -(frob(y, np.log(y_hat)) + frob(ones - y, np.log(ones - y_hat))) / y.size


def _prediction_case(rng):
    m = rng.integers(2, 9)
    return {"y": rng.uniform(size=m), "y_hat": rng.uniform(0.02, 0.98, size=m), "d_y_hat": rng.normal(size=m)}


differential_in_y_hat = NumericChain(
    r"dL",
    lambda c: numeric.directional_derivative(lambda v: loss(v, c["y"]), c["y_hat"], c["d_y_hat"]),
    [
        NumericStep(
            r"-\frac{1}{m}\Big[y : (d\hat{y} \oslash \hat{y}) - (\mathbf{1}-y) : \big(d\hat{y} \oslash (\mathbf{1}-\hat{y})\big)\Big]",
            r"$d\ln\hat y = d\hat y\oslash\hat y$, $d\ln(\mathbf 1-\hat y) = -d\hat y\oslash(\mathbf 1-\hat y)$",
            lambda c: -(frob(c["y"], c["d_y_hat"] / c["y_hat"]) - frob(1 - c["y"], c["d_y_hat"] / (1 - c["y_hat"]))) / c["y"].size,
        ),
        NumericStep(
            r"-\frac{1}{m}\Big(y \oslash \hat{y} - (\mathbf{1}-y) \oslash (\mathbf{1}-\hat{y})\Big) : d\hat{y}",
            r"$A : (B \odot C) = (A \odot B) : C$",
            lambda c: frob(-(c["y"] / c["y_hat"] - (1 - c["y"]) / (1 - c["y_hat"])) / c["y"].size, c["d_y_hat"]),
        ),
        NumericStep(
            r"\Big((\hat{y} - y) \oslash \big(m(\hat{y} - \hat{y}\odot\hat{y})\big)\Big) : d\hat{y}",
            "common denominator, elementwise",
            lambda c: frob((c["y_hat"] - c["y"]) / (c["y"].size * (c["y_hat"] - c["y_hat"] * c["y_hat"])), c["d_y_hat"]),
        ),
    ],
    _prediction_case,
)


def _weights_case(rng):
    m, k = rng.integers(2, 9), rng.integers(1, 5)
    return {"X": rng.normal(size=(m, k)), "y": rng.uniform(size=m), "w": rng.normal(size=k), "dw": rng.normal(size=k)}


def _through_the_sigmoid(c):
    """∂L/∂ŷ : dŷ with dŷ = ŷ ⊙ (1 − ŷ) ⊙ X dw, term by term as displayed."""
    y_hat = sigmoid(c["X"] @ c["w"])
    gradient = (y_hat - c["y"]) / (c["y"].size * (y_hat - y_hat * y_hat))
    return frob(gradient, y_hat * (1 - y_hat) * (c["X"] @ c["dw"]))


differential_in_w = NumericChain(
    r"dL",
    lambda c: numeric.directional_derivative(lambda w: loss(sigmoid(c["X"] @ w), c["y"]), c["w"], c["dw"]),
    [
        NumericStep(
            r"\Big((\hat{y} - y) \oslash \big(m(\hat{y} - \hat{y}\odot\hat{y})\big)\Big) : \Big(\hat{y}\odot(\mathbf{1}-\hat{y})\odot X\,dw\Big)",
            r"$d\hat y = \sigma'(Xw)\odot d(Xw)$, $\sigma' = \sigma\odot(\mathbf 1 - \sigma)$",
            _through_the_sigmoid,
        ),
        NumericStep(
            r"\frac{1}{m}(\hat{y} - y) : X\,dw",
            r"$A : (B \odot C) = (A \odot B) : C$; $\hat y\odot(\mathbf 1-\hat y)$ cancels",
            lambda c: frob(sigmoid(c["X"] @ c["w"]) - c["y"], c["X"] @ c["dw"]) / c["y"].size,
        ),
        NumericStep(
            r"\frac{1}{m}X^\top(\hat{y} - y) : dw",
            r"$A : (MB) = (M^\top A) : B$",
            lambda c: frob(c["X"].T @ (sigmoid(c["X"] @ c["w"]) - c["y"]) / c["y"].size, c["dw"]),
        ),
    ],
    _weights_case,
)
