"""The gradient of binary cross-entropy by differentials, with Frobenius (:) and Hadamard (⊙) products.

A : B = tr(AᵀB) = Σ_ij A_ij B_ij;  A ⊙ B and A ⊘ B are the elementwise product and quotient.
The cost C(a) = −(1/n) [y : ln a + (1 − y) : ln(1 − a)] and the prediction a = σ(Xw) are parsed
from the TeX the page shows; every differential is checked against the complex-step directional
derivative of that parsed cost.

>>> [identity.status for identity in identities]
['checked', 'checked', 'checked', 'checked', 'checked']
"""

from __future__ import annotations

import numpy as np

from snippets import numeric
from bce_proofs import MatrixChain, MatrixDefinition, Step

# The claims this one builds on (the map on docs/checks.md).
BUILDS_ON = ("sign_error", "matrix_form")

NAMES = ("X", "w", "y", "n", "a", "da", "dw", "A", "B", "D", "E", "M", "u", "v")

prediction = MatrixDefinition("a", r"\sigma(Xw)", NAMES, note="σ applied to each entry; no bias here")
cost = MatrixDefinition("C(a)", r"-\frac{1}{n}\big[y : \ln a + (\mathbf{1}-y) : \ln(\mathbf{1}-a)\big]", NAMES)


def frob(a, b):
    """A : B, the Frobenius inner product, as numpy computes it: the sum of the entrywise products."""
    return np.sum(a * b)


def _matrices_case(rng):
    rows, columns = (int(size) for size in rng.integers(1, 6, size=2))
    case = {name: rng.normal(size=(rows, columns)) for name in ("A", "B", "D")}
    inner = int(rng.integers(1, 6))  # M need not be square: on this page it is X, n by k
    case["M"], case["E"] = rng.normal(size=(rows, inner)), rng.normal(size=(inner, columns))
    case["u"], case["v"] = rng.normal(size=(2, rows))
    return case


identities = [
    MatrixChain("A : B", lambda c: frob(c["A"], c["B"]), [Step(r"\operatorname{tr}(A^\top B)", r"$(A^\top B)_{jj} = \sum_i A_{ij}B_{ij}$")], _matrices_case),
    MatrixChain("u : v", lambda c: frob(c["u"], c["v"]), [Step(r"u^\top v", "for vectors, a $1\\times 1$ matrix: its own trace")], _matrices_case),
    MatrixChain(r"A : (B\odot D)", lambda c: frob(c["A"], c["B"] * c["D"]), [Step(r"(A\odot B) : D", "regroup each product $A_{ij}B_{ij}D_{ij}$")], _matrices_case),
    MatrixChain("A : (ME)", lambda c: frob(c["A"], c["M"] @ c["E"]), [Step(r"(M^\top A) : E", "move $M$ across the trace")], _matrices_case),
    MatrixChain(
        r"A : (D\oslash B)",
        lambda c: frob(c["A"], c["D"] / c["B"]),
        [Step(r"(A\oslash B) : D", "regroup each term $A_{ij}D_{ij}/B_{ij}$ (no entry of $B$ is $0$)")],
        _matrices_case,
    ),
]


def frobenius_identity_holds(trials: int = 50) -> bool:
    """The identities, on ``trials`` more random cases each (the chains check 20)."""
    rng = np.random.default_rng(3)
    for _ in range(trials):
        case = _matrices_case(rng)
        for identity in identities:
            if not np.isclose(identity.lhs_compute(case), identity.evaluate_step(1, case)):
                return False
    return True


def _prediction_case(rng):
    n = int(rng.integers(2, 9))
    return {"y": rng.uniform(size=n), "a": rng.uniform(0.02, 0.98, size=n), "da": rng.normal(size=n), "n": n}


def _cost_of_prediction(case, a):
    return cost({**case, "a": a})


differential_in_a = MatrixChain(
    r"dC",
    lambda c: numeric.directional_derivative(lambda a: _cost_of_prediction(c, a), c["a"], c["da"]),
    [
        Step(
            r"-\frac{1}{n}\Big[y : (da \oslash a) - (\mathbf{1}-y) : \big(da \oslash (\mathbf{1}-a)\big)\Big]",
            r"$d\ln a = da\oslash a$, $d\ln(\mathbf 1-a) = -da\oslash(\mathbf 1-a)$",
        ),
        Step(r"-\frac{1}{n}\Big(y \oslash a - (\mathbf{1}-y) \oslash (\mathbf{1}-a)\Big) : da", r"$A : (D \oslash B) = (A \oslash B) : D$, twice"),
        Step(r"\Big((a - y) \oslash \big(n(a - a\odot a)\big)\Big) : da", "common denominator, elementwise"),
    ],
    _prediction_case,
    lhs_how="as the complex-step derivative of the parsed C along a random da",
)

gradient_in_a = MatrixChain(
    r"\frac{\partial C}{\partial a}",
    lambda c: numeric.gradient(lambda a: _cost_of_prediction(c, a), c["a"]),
    [Step(r"(a - y) \oslash \big(n(a - a\odot a)\big)", "read off $dC = G : da$")],
    _prediction_case,
    lhs_how="by the complex step from the parsed C",
)


def _weights_case(rng):
    n, k = int(rng.integers(2, 9)), int(rng.integers(1, 5))
    case = {"X": rng.normal(size=(n, k)), "y": rng.uniform(size=n), "w": rng.normal(size=k), "dw": rng.normal(size=k), "n": n}
    case["a"] = prediction(case)
    return case


def cost_of_weights(case, w):
    """C(σ(Xw)) from the two parsed definitions; complex w allowed (complex step)."""
    values = {**case, "w": w}
    return cost({**values, "a": prediction(values)})


differential_in_w = MatrixChain(
    r"dC",
    lambda c: numeric.directional_derivative(lambda w: cost_of_weights(c, w), c["w"], c["dw"]),
    [
        Step(
            r"\Big((a - y) \oslash \big(n(a - a\odot a)\big)\Big) : \Big(a\odot(\mathbf{1}-a)\odot X\,dw\Big)",
            r"$da = \sigma'(Xw)\odot d(Xw)$, $\sigma' = \sigma\odot(\mathbf 1 - \sigma)$",
        ),
        Step(r"\frac{1}{n}(a - y) : X\,dw", r"$A : (B \odot D) = (A \odot B) : D$; $a\odot(\mathbf 1-a)$ cancels"),
        Step(r"\frac{1}{n}X^\top(a - y) : dw", r"$A : (ME) = (M^\top A) : E$"),
    ],
    _weights_case,
    lhs_how="as the complex-step derivative of the parsed C(σ(Xw)) along a random dw",
)

gradient_in_w = MatrixChain(
    r"\nabla_w C",
    lambda c: numeric.gradient(lambda w: cost_of_weights(c, w), c["w"]),
    [Step(r"\frac{1}{n}X^\top(a - y)", "read off $dC = G : dw$")],
    _weights_case,
    lhs_how="by the complex step from the parsed C(σ(Xw))",
)
