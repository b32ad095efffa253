"""docs/sign_error.md: the right derivative passes, the classic wrong one is caught."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from snippets import sign_error as claim


@pytest.mark.parametrize(
    "chain",
    [claim.right, claim.wrong_minus_right, claim.wrong_over_common_denominator, claim.sigmoid_activation, claim.other_activation],
    ids=lambda chain: chain.lhs_tex,
)
def test_chain_checks(chain):
    assert len(chain.check()) == len(chain.steps)


def test_right_chain_is_checked_symbolically():
    assert [check.method for check in claim.right.check()] == ["symbolic"] * len(claim.right.steps)


def test_wrong_form_is_rejected_and_has_the_opposite_sign_at_the_counterexample():
    assert claim.wrong_form_is_rejected() == "rejected"
    true_value = claim.DERIVATIVE.subs(claim.COUNTEREXAMPLE)
    wrong_value = claim.WRONG_VALUE.subs(claim.COUNTEREXAMPLE)
    assert true_value > 0 > wrong_value
    assert "opposite sign" in claim.counterexample_markdown()


def test_wrong_form_is_negative_everywhere():
    assert claim.wrong_form_is_negative()
    wrong = sp.lambdify((claim.a, claim.y, claim.n), claim.WRONG_VALUE)
    rng = np.random.default_rng(1)
    points = rng.uniform(size=(2000, 2)) * [1, 1]
    assert all(wrong(p, t, count) < 0 for (p, t), count in zip(np.clip(points, 1e-6, 1 - 1e-6), rng.integers(1, 50, 2000)))


def test_derivative_matches_finite_differences():
    rng = np.random.default_rng(0)
    for _ in range(50):
        prediction, y, n = rng.uniform(0.05, 0.95), rng.uniform(), int(rng.integers(1, 20))

        def cost(p, y=y, n=n):
            return -(y * np.log(p) + (1 - y) * np.log(1 - p)) / n

        numeric = (cost(prediction + 1e-7) - cost(prediction - 1e-7)) / 2e-7
        formula = (prediction - y) / (n * prediction * (1 - prediction))
        assert abs(numeric - formula) < 1e-6 * max(1, abs(formula))


def test_the_derivative_vanishes_only_at_a_soft_target():
    assert sp.solve(claim.DERIVATIVE, claim.a) == [claim.y]
    assert "the right form gives $0$" in claim.at_the_minimum()
    report = claim.hard_targets()
    assert "opposite sign" in report and "the same" in report


def test_only_the_sigmoid_gives_the_bare_error():
    z, y, n = claim.z, claim.y, claim.n
    other = sp.diff(claim.COST.subs(claim.a, claim.ARCTAN_ACTIVATION), z)
    bare = ((claim.ARCTAN_ACTIVATION - y) / n)
    assert abs(float((other - bare).subs({z: 1.3, y: 0.2, n: 3}))) > 1e-3
