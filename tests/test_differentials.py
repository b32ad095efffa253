"""docs/differentials.md: every line of both differential chains, and the identities they use."""

from __future__ import annotations

import numpy as np
import pytest

from snippets import differentials as claim
from snippets.numeric import sigmoid


def test_identities():
    assert claim.frobenius_identity_holds(trials=300)


@pytest.mark.parametrize(
    "chain",
    [claim.differential_in_a, claim.differential_in_w, claim.gradient_in_a, claim.gradient_in_w, *claim.identities],
    ids=lambda chain: chain.lhs_tex,
)
def test_chain_checks(chain):
    assert len(chain.check()) == len(chain.steps)


def test_gradient_read_off_the_last_line_matches_finite_differences():
    rng = np.random.default_rng(4)
    X, y, w = rng.normal(size=(7, 3)), rng.uniform(size=7), rng.normal(size=3)
    loss = lambda weights: -np.mean(y * np.log(sigmoid(X @ weights)) + (1 - y) * np.log(1 - sigmoid(X @ weights)))
    assert claim.cost_of_weights({"X": X, "y": y, "n": 7}, w) == pytest.approx(loss(w), rel=1e-13)
    gradient = claim.gradient_in_w.evaluate_step(1, {"X": X, "y": y, "n": 7, "a": sigmoid(X @ w)})
    for j in range(3):
        e = np.eye(3)[j] * 1e-6
        assert abs((loss(w + e) - loss(w - e)) / 2e-6 - gradient[j]) < 1e-9


def test_the_answers_gradient_does_not_conform_with_its_own_h_and_the_transposed_one_is_m_times_ours():
    # The first answer of the sign-error thread: h = w^T X (X is k×m, examples as columns), z = σ(h),
    # dJ/dw = X^T(z − y), with no 1/m. The page says that product does not conform, and that
    # X(z − y)^T does and is m times this page's ∇_w C = (1/n) X^T (a − y) (examples as rows).
    from bce_proofs import matrix_tex
    from scipy.special import expit

    rng = np.random.default_rng(11)
    k, m = 3, 5
    columns = rng.normal(size=(k, m))
    w = rng.normal(size=(k, 1))
    y = rng.uniform(size=(1, m))
    values = {"X": columns, "z": expit(w.T @ columns), "y": y}
    with pytest.raises(matrix_tex.TexError, match="cannot multiply"):
        matrix_tex.evaluate(matrix_tex.parse(r"X^\top(z-y)", ("X", "y", "z"), {}), values, {})
    theirs = matrix_tex.evaluate(matrix_tex.parse(r"X(z-y)^\top", ("X", "y", "z"), {}), values, {})
    rows = columns.T
    ours = rows.T @ (expit(rows @ w[:, 0]) - y[0]) / m
    assert np.allclose(theirs, m * ours)


def test_the_askers_minus_one_is_the_one_example_case_of_the_questions_minus_one_over_m():
    # The question's J = −(1/m) Σ_i [y_i ln ŷ_i + (1−y_i) ln(1−ŷ_i)], differentiated "for one training
    # example": m = 1, so −1/m = −1, and the asker's expected −1(y/ŷ − (1−y)/(1−ŷ)) is that derivative.
    import sympy as sp

    from snippets import sign_error

    y, m = sp.symbols("y m", positive=True)
    predicted = sp.Symbol("yhat", positive=True)
    derivative = sp.diff(-(y * sp.log(predicted) + (1 - y) * sp.log(1 - predicted)) / m, predicted)
    expected = -1 * (y / predicted - (1 - y) / (1 - predicted))
    assert sp.simplify(derivative.subs(m, 1) - expected) == 0
    assert sp.simplify(derivative.subs(m, 2) - expected) != 0  # with more examples the 1/m would be missing
    assert sign_error.one_training_example() == {"factor": -1, "expected_is_the_derivative": True}
