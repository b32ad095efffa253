"""docs/sign_error.md: the right derivative passes, the classic wrong one is caught."""

from __future__ import annotations

import numpy as np
import sympy as sp

from snippets import sign_error as claim


def test_right_chain_checks():
    assert [check.method for check in claim.right.check()] == ["symbolic"] * len(claim.right.steps)


def test_wrong_form_is_rejected_and_has_the_opposite_sign_at_the_counterexample():
    assert claim.wrong_form_is_rejected() == "rejected"
    true_value = claim.DERIVATIVE.subs(claim.COUNTEREXAMPLE)
    wrong_value = claim.WRONG_VALUE.subs(claim.COUNTEREXAMPLE)
    assert true_value > 0 > wrong_value
    assert "opposite sign" in claim.counterexample_markdown()


def test_derivative_matches_finite_differences():
    rng = np.random.default_rng(0)
    for _ in range(50):
        y_hat, y, m = rng.uniform(0.05, 0.95), rng.uniform(), int(rng.integers(1, 20))
        def cost(p, y=y, m=m):
            return -(y * np.log(p) + (1 - y) * np.log(1 - p)) / m

        numeric = (cost(y_hat + 1e-7) - cost(y_hat - 1e-7)) / 2e-7
        formula = (y_hat - y) / (m * y_hat * (1 - y_hat))
        assert abs(numeric - formula) < 1e-6 * max(1, abs(formula))


def test_the_derivative_vanishes_only_at_the_target():
    assert sp.solve(claim.DERIVATIVE, claim.y_hat) == [claim.y]
    assert "the right form gives $0$" in claim.at_the_minimum()
