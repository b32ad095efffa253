"""The claims of docs/soft_targets.md, checked again and harder."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq
from scipy.special import expit

from snippets import soft_targets as claim

CHAINS = [
    claim.smoothed_split,
    claim.smoothed_gradient,
    claim.smoothed_curvature,
    *claim.smoothed_minimiser.values(),
    claim.smoothed_minimum,
    claim.distillation_gradient,
    claim.distillation_scale,
    claim.annotators,
]


@pytest.mark.parametrize("chain", CHAINS, ids=lambda chain: chain.lhs_tex)
def test_every_displayed_chain_checks(chain):
    assert len(chain.check()) == len(chain.steps)


def _cost(logit, target):
    return np.logaddexp(0, -logit) * target + np.logaddexp(0, logit) * (1 - target)


def _derivative(f, at, step=1e-6):
    return (f(at + step) - f(at - step)) / (2 * step)


@pytest.mark.parametrize("smoothing", [0.0, 0.05, 0.1, 0.3, 1.0])
def test_two_class_label_smoothing_is_the_binary_smoothed_target_in_pytorch(torch, smoothing):
    rng = np.random.default_rng(3)
    logits = rng.normal(scale=4, size=50)
    labels = rng.integers(0, 2, size=50)
    # Class 0 is the positive class: softmax([z, 0])_0 = σ(z).
    two_class = torch.tensor(np.stack([logits, np.zeros_like(logits)], axis=1))
    classes = torch.tensor(1 - labels)
    expected = torch.nn.functional.cross_entropy(two_class, classes, label_smoothing=smoothing, reduction="none").numpy()
    target = float(claim.smoothing.value.subs(claim.eps, smoothing).subs(claim.y, 0)) + (1 - smoothing) * labels
    assert _cost(logits, target) == pytest.approx(expected, rel=1e-12, abs=1e-15)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.001, 1.0), st.sampled_from([0, 1]))
def test_the_smoothed_minimiser_is_the_root_of_the_derivative(smoothing, label):
    target = (1 - smoothing) * label + smoothing / 2
    root = brentq(lambda v: _derivative(lambda u: _cost(u, target), v, 1e-5), -60, 60, xtol=1e-12)
    exact = float(claim.smoothed_minimiser[label].lhs_value.subs(claim.eps, smoothing))
    assert root == pytest.approx(exact, abs=1e-5)
    assert _cost(exact, target) == pytest.approx(claim.binary_entropy(target), abs=1e-12)
    for nearby in (exact - 0.1, exact + 0.1):
        assert _cost(nearby, target) > _cost(exact, target)


def test_without_smoothing_a_hard_label_has_no_minimiser():
    logits = np.array([1.0, 10.0, 30.0])
    assert np.all(np.diff(_cost(logits, 1.0)) < 0) and np.all(_cost(logits, 1.0) > 0)


@settings(max_examples=40, deadline=None)
@given(st.floats(-6, 6), st.floats(-6, 6), st.floats(0.5, 10))
def test_distillation_gradient_by_finite_differences(student, teacher, temperature):
    soft = expit(teacher / temperature)
    numeric = _derivative(lambda u: _cost(u / temperature, soft), student)
    assert numeric == pytest.approx((expit(student / temperature) - soft) / temperature, abs=1e-8)
    assert _derivative(lambda u: _cost(u / temperature, soft), teacher) == pytest.approx(0, abs=1e-9)


def test_distillation_gradient_shrinks_like_one_over_t_squared():
    student, teacher = 2.0, -1.0
    for temperature in (100.0, 1000.0):
        gradient = (expit(student / temperature) - expit(teacher / temperature)) / temperature
        assert temperature**2 * gradient == pytest.approx((student - teacher) / 4, rel=10 / temperature**2)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from([0.0, 1.0]), min_size=1, max_size=20), st.floats(-8, 8))
def test_annotators_average_is_one_soft_target(labels, logit):
    labels = np.array(labels)
    assert np.mean(_cost(logit, labels)) == pytest.approx(_cost(logit, labels.mean()), rel=1e-12, abs=1e-15)
