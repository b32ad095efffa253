"""The claims of docs/why_cross_entropy.md, checked again and harder."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit
from scipy.stats import bernoulli, entropy

from snippets import why_cross_entropy as claim

CHAINS = [
    claim.negative_log_likelihood,
    claim.average_negative_log_likelihood,
    claim.cross_entropy_of_distributions,
    claim.divergence,
    claim.quadratic_gradient,
    claim.cross_entropy_gradient,
    claim.gradient_ratio,
    claim.ratio_bound,
]


@pytest.mark.parametrize("chain", CHAINS, ids=lambda chain: chain.lhs_tex)
def test_every_displayed_chain_checks(chain):
    assert len(chain.check()) == len(chain.steps)


def test_negative_log_likelihood_against_scipy_bernoulli():
    rng = np.random.default_rng(1)
    predictions, labels = rng.uniform(0.001, 0.999, 200), rng.integers(0, 2, 200)
    expected = -bernoulli.logpmf(labels, predictions)
    cost = -(labels * np.log(predictions) + (1 - labels) * np.log(1 - predictions))
    assert cost == pytest.approx(expected, rel=1e-12)
    assert np.mean(cost[:20]) == pytest.approx(-np.log(np.prod(bernoulli.pmf(labels[:20], predictions[:20]))) / 20, rel=1e-12)


def test_cross_entropy_is_entropy_plus_kl_against_scipy():
    rng = np.random.default_rng(2)
    for target, prediction in rng.uniform(0.001, 0.999, size=(200, 2)):
        target_pmf, prediction_pmf = [1 - target, target], [1 - prediction, prediction]
        cross = -(target * np.log(prediction) + (1 - target) * np.log(1 - prediction))
        assert cross == pytest.approx(entropy(target_pmf) + entropy(target_pmf, prediction_pmf), rel=1e-12)


def _finite_difference(f, at, step=1e-6):
    return (f(at + step) - f(at - step)) / (2 * step)


def test_gradients_in_z_match_finite_differences_and_the_ratio_is_at_most_a_quarter():
    for logit in np.linspace(-10, 10, 41):
        for target in (0.0, 0.3, 1.0):
            quadratic = _finite_difference(lambda v: 0.5 * (expit(v) - target) ** 2, logit)
            cross = _finite_difference(lambda v: np.logaddexp(0, -v) * target + np.logaddexp(0, v) * (1 - target), logit)
            assert quadratic == pytest.approx((expit(logit) - target) * expit(logit) * expit(-logit), abs=1e-9)
            assert cross == pytest.approx(expit(logit) - target, abs=1e-9)
            if abs(cross) > 1e-3:
                assert 0 <= quadratic / cross <= 0.25 + 1e-9


@pytest.mark.parametrize("seed", range(5))
def test_maximum_likelihood_is_minimum_cost_against_scikit_learn(seed):
    sklearn = pytest.importorskip("sklearn.linear_model")
    rng = np.random.default_rng(seed)
    x = rng.normal(size=12)
    targets = (rng.uniform(size=12) < expit(1.5 * x - 0.3)).astype(float)
    if targets.min() == targets.max() or (x[targets == 1].min() > x[targets == 0].max()):
        pytest.skip("separable draw: no finite maximiser")
    model = sklearn.LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(x.reshape(-1, 1), targets)
    best = np.array([model.coef_[0, 0], model.intercept_[0]])
    from scipy.optimize import minimize

    by_likelihood = minimize(lambda p: -claim.likelihood(p, x, targets), best + 0.3, method="Nelder-Mead",
                             options={"xatol": 1e-10, "fatol": 1e-16, "maxiter": 20000}).x
    assert by_likelihood == pytest.approx(best, abs=1e-4)
    assert claim.cost(best, x, targets) == pytest.approx(-np.log(claim.likelihood(best, x, targets)) / x.size, rel=1e-10)


def test_the_page_example_matches_scikit_learn():
    sklearn = pytest.importorskip("sklearn.linear_model")
    model = sklearn.LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(claim.ML_INPUTS.reshape(-1, 1), claim.ML_TARGETS)
    found = claim.maximum_likelihood()
    assert found.by_likelihood == pytest.approx([model.coef_[0, 0], model.intercept_[0]], abs=1e-5)


def test_slow_start_by_independent_gradient_descent():
    def run(cost, steps=100, rate=0.15):
        w, b = 2.0, 2.0
        for _ in range(steps):
            gw = _finite_difference(lambda v: cost(v * 1.0 + b), w)
            gb = _finite_difference(lambda v: cost(w * 1.0 + v), b)
            w, b = w - rate * gw, b - rate * gb
        return expit(w + b)

    quadratic = run(lambda v: 0.5 * expit(v) ** 2)
    cross = run(lambda v: np.logaddexp(0, v))
    start = claim.nielsen_start(100)
    assert start.quadratic_output == pytest.approx(quadratic, abs=1e-6)
    assert start.cross_entropy_output == pytest.approx(cross, abs=1e-6)
    assert quadratic > 0.95 and cross < 0.05
    # The book's own rate for cross-entropy, 0.005 (Nielsen, chapter 3), shown in the table's last column.
    assert claim.BOOK_CROSS_ENTROPY_RATE == 0.005
    assert claim.nielsen_start(100, rate=0.005).cross_entropy_output == pytest.approx(run(lambda v: np.logaddexp(0, v), rate=0.005), abs=1e-6)


@pytest.mark.parametrize("q", [0.05, 0.3, 0.5, 0.9])
def test_the_expected_cost_is_smallest_at_the_true_frequency(q):
    from scipy.optimize import minimize_scalar

    expected = lambda a: -(q * np.log(a) + (1 - q) * np.log(1 - a))  # noqa: E731
    best = minimize_scalar(expected, bounds=(1e-9, 1 - 1e-9), method="bounded", options={"xatol": 1e-10})
    assert best.x == pytest.approx(q, abs=1e-6)
    squared = minimize_scalar(lambda a: q * (1 - a) ** 2 + (1 - q) * a**2, bounds=(0, 1), method="bounded", options={"xatol": 1e-10})
    assert squared.x == pytest.approx(q, abs=1e-6)
    for chain in (claim.expected_cost, claim.expected_cost_gradient, claim.expected_squared_error_gradient):
        assert chain.status == "proved"
