"""docs/neuron_gradient.md: the chains, and the gradient against finite differences on many problems."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit

from snippets import neuron_gradient as claim
from bce_proofs import Chain, Step, StepError


@pytest.mark.parametrize(
    "chain",
    [claim.sigmoid_derivative, claim.weight_gradient, claim.bias_gradient, claim.quadratic_weight_gradient,
     claim.indexed_weight_gradient, claim.indexed_bias_gradient],
    ids=lambda chain: chain.lhs_tex,
)
def test_chain_checks(chain):
    assert len(chain.check()) == len(chain.steps)


def test_quadratic_gradient_is_not_the_cross_entropy_one():
    wrong = Chain(
        claim.quadratic_weight_gradient.lhs_tex,
        claim.quadratic_weight_gradient.lhs_value,
        [Step(r"x_j(\sigma(z) - y)", "pretend sigma' cancels")],
        claim.DOMAIN,
        definitions=claim.Z_OF_W,
    )
    with pytest.raises(StepError):
        wrong.check()


@pytest.mark.parametrize("seed", range(10))
def test_gradient_formula_matches_finite_differences(seed):
    rng = np.random.default_rng(seed)
    problem = claim.random_problem(rng, n=int(rng.integers(1, 30)), k=int(rng.integers(1, 6)))
    formula_w, formula_b = claim.gradient_formula(*problem)
    numeric_w, numeric_b = claim.finite_difference_gradient(*problem)
    assert np.allclose(formula_w, numeric_w, atol=1e-8) and abs(formula_b - numeric_b) < 1e-8


def test_report_table_has_one_row_per_parameter():
    report = claim.finite_difference_report()
    assert report.count("| $w_") == 3 and "| $b$ |" in report


def test_cross_entropy_factor_stays_large_when_the_neuron_is_confidently_wrong():
    report = claim.slowdown_report(logits=(10.0,))
    row = report.splitlines()[-1].split("|")
    cross_entropy_factor, quadratic_factor = float(row[4]), float(row[5])
    assert cross_entropy_factor > 0.99 and quadratic_factor < 1e-4


def test_indexed_sum_runs_over_inputs_not_features():
    rng = np.random.default_rng(3)
    X, y, w, b = rng.normal(size=(6, 2)), rng.uniform(size=6), rng.normal(size=2), 0.3
    numeric_gradient = claim.finite_difference_gradient(X, y, w, b)[0]
    z = X @ w + b
    for j in (1, 2):
        case = {"X": X, "y": y, "w": w, "b": b, "n": 6, "z": z, "a": 1 / (1 + np.exp(-z)), "j": j}
        for step in (1, 2):
            assert np.isclose(claim.indexed_weight_gradient.evaluate_step(step, case), numeric_gradient[j - 1], atol=1e-8)


def test_the_canonical_link_chains_against_finite_differences():
    rng = np.random.default_rng(5)
    for a, y in zip(rng.uniform(0.05, 0.95, 20), rng.uniform(0, 1, 20)):
        cost = lambda v: -(y * np.log(v) + (1 - y) * np.log(1 - v))  # noqa: E731
        slope = (cost(a + 1e-6) - cost(a - 1e-6)) / 2e-6
        assert slope == pytest.approx((a - y) / (a * (1 - a)), rel=1e-6)
    z = np.linspace(-10, 10, 2001)
    derivative = expit(z) * (1 - expit(z))
    assert derivative.max() == pytest.approx(0.25) and z[derivative.argmax()] == pytest.approx(0.0)
    for chain in (claim.wanted_derivative, claim.antiderivative, claim.identity_output, claim.sigmoid_derivative_at_most_a_quarter):
        assert chain.status == "proved"
