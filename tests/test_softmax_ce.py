"""Softmax cross-entropy with label smoothing (snippets/softmax_ce.py), checked against PyTorch and by its properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from snippets import bce
from snippets import softmax_ce as ref

RNG = np.random.default_rng(31415)
EPS = np.finfo(float).eps
ORACLE_TOLERANCE = 1e-12  # relative, float64
REDUCTIONS = ("mean", "sum", "none")
SMOOTHING = (0.0, 0.1, 1.0)


def _one_hot(labels, classes):
    return np.eye(classes)[labels]


def _cases():
    """(name, z, y) with n examples of k classes: random, hard labels, extreme logits, a broadcast target."""
    for scale in (1.0, 30.0, 1e3):
        yield f"random, scale {scale:g}", RNG.normal(0, scale, (200, 10)), RNG.dirichlet(np.ones(10), 200)
    yield "hard labels", RNG.normal(0, 3, (200, 10)), _one_hot(RNG.integers(0, 10, 200), 10)
    extreme = RNG.choice([-1e4, -745.0, 0.0, 745.0, 1e4], (50, 4))
    yield "extreme", extreme, RNG.dirichlet(np.ones(4), 50)
    yield "broadcast target", RNG.normal(0, 5, (100, 3)), np.array([0.2, 0.3, 0.5])


CASES = {name: (z, y) for name, z, y in _cases()}


def torch_cross_entropy(torch, z, y, label_smoothing, reduction):
    leaf = torch.tensor(z, requires_grad=True)
    target = torch.tensor(np.broadcast_to(y, z.shape).copy())
    loss = torch.nn.functional.cross_entropy(leaf, target, label_smoothing=label_smoothing, reduction=reduction)
    loss.backward(torch.ones_like(loss))
    return loss.detach().numpy(), leaf.grad.numpy()


def assert_close(actual, expected, terms, what):
    """Within 1e-12 relative, or a few ulps of `terms`, the size of what the result is a difference of."""
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    excess = np.abs(actual - expected) - (ORACLE_TOLERANCE * np.abs(expected) + 8 * EPS * terms)
    assert np.all(excess <= 0), f"{what}: worst excess {np.max(excess):.3g}"


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("label_smoothing", SMOOTHING)
@pytest.mark.parametrize("case", list(CASES))
def test_loss_and_gradient_match_pytorch(torch, case, label_smoothing, reduction):
    z, y = CASES[case]
    expected_loss, expected_grad = torch_cross_entropy(torch, z, y, label_smoothing, reduction)
    loss = ref.softmax_cross_entropy(z, y, label_smoothing=label_smoothing, reduction=reduction)
    grad = ref.softmax_cross_entropy_grad(z, y, label_smoothing=label_smoothing, reduction=reduction)
    # Each example's loss is a sum of terms of the size of its logits' range; each gradient
    # element a difference of two probabilities.
    spread = np.ptp(z, axis=1) + 1
    loss_terms = spread if reduction == "none" else np.mean(spread) if reduction == "mean" else np.sum(spread)
    assert_close(loss, expected_loss, loss_terms, "loss")
    assert_close(grad, expected_grad, 1.0 / (z.shape[0] if reduction == "mean" else 1), "gradient")
    fused_loss, fused_grad = ref.softmax_cross_entropy_and_grad(z, y, label_smoothing=label_smoothing, reduction=reduction)
    assert_close(fused_loss, expected_loss, loss_terms, "fused loss")
    assert_close(fused_grad, expected_grad, 1.0 / (z.shape[0] if reduction == "mean" else 1), "fused gradient")


def test_both_are_exported_by_the_reference_module():
    assert bce.softmax_cross_entropy is ref.softmax_cross_entropy
    assert bce.softmax_cross_entropy_grad is ref.softmax_cross_entropy_grad


def test_two_classes_are_binary_cross_entropy_of_the_logit_difference():
    z, y = RNG.normal(0, 4, (300, 2)), RNG.uniform(size=300)
    # Class 1 (column 0) is the positive class, as on the softmax and soft-target pages: logit z₁ − z₂, target y₁.
    targets = np.stack([y, 1 - y], axis=1)
    assert ref.softmax_cross_entropy(z, targets) == pytest.approx(bce.bce_with_logits(z[:, 0] - z[:, 1], y), rel=1e-13)


def test_finite_without_warnings_for_extreme_logits():
    z = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4, -1e4]])
    y = np.array([[0.0, 1.0, 0.0], [1 / 3, 1 / 3, 1 / 3], [0.5, 0.0, 0.5]])
    with np.errstate(all="raise"):
        for label_smoothing in SMOOTHING:
            for reduction in REDUCTIONS:
                assert np.all(np.isfinite(ref.softmax_cross_entropy(z, y, label_smoothing=label_smoothing, reduction=reduction)))
                assert np.all(np.isfinite(ref.softmax_cross_entropy_grad(z, y, label_smoothing=label_smoothing, reduction=reduction)))
    assert ref.softmax_cross_entropy(z[:1], y[:1]) == 2e4


# --- bad input -----------------------------------------------------------------------------------

Z, Y = np.zeros((2, 3)), np.full((2, 3), 1 / 3)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ref.softmax_cross_entropy(Z, [[0.5, 0.6, -0.1], [1, 0, 0]]), "y must be non-negative"),
        (lambda: ref.softmax_cross_entropy(Z, [[0.5, 0.4, 0.0], [1, 0, 0]]), "each row of y must sum to 1"),
        (lambda: ref.softmax_cross_entropy(Z, Y + 1e-8), "each row of y must sum to 1"),
        (lambda: ref.softmax_cross_entropy(Z, [[np.nan, 1, 0], [1, 0, 0]]), "y contains NaN"),
        (lambda: ref.softmax_cross_entropy(Z, np.ones((2, 2)) / 2), "y of shape (2, 2) does not broadcast"),
        (lambda: ref.softmax_cross_entropy(np.zeros(3), Y[0]), "z must be a 2-d array of shape (n, k)"),
        (lambda: ref.softmax_cross_entropy([[np.inf, 0, 0]], Y[:1]), "z contains an infinite value"),
        (lambda: ref.softmax_cross_entropy(Z, Y, label_smoothing=-0.1), "label_smoothing must be a number in [0, 1]"),
        (lambda: ref.softmax_cross_entropy(Z, Y, label_smoothing=1.5), "label_smoothing must be a number in [0, 1]"),
        (lambda: ref.softmax_cross_entropy_grad(Z, Y, label_smoothing=np.nan), "label_smoothing must be a number in [0, 1]"),
        (lambda: ref.softmax_cross_entropy_grad(Z, Y, label_smoothing="0.1"), "label_smoothing must be a number in [0, 1]"),
        (lambda: ref.softmax_cross_entropy_grad(Z, Y, reduction="batchmean"), "reduction must be 'mean', 'sum' or 'none'"),
    ],
)
def test_bad_input_raises_value_error_naming_the_problem(call, message):
    with pytest.raises(ValueError) as raised:
        call()
    assert message in str(raised.value)


def test_rows_summing_to_one_within_the_tolerance_are_accepted():
    assert np.isfinite(ref.softmax_cross_entropy(Z, Y + 1e-10 / 3))


# --- properties ----------------------------------------------------------------------------------

shapes = st.tuples(st.integers(1, 8), st.integers(1, 8))
logits = st.floats(-1e4, 1e4)


@st.composite
def problems(draw):
    """Logits of shape (n, k) and rows of probabilities (normalised, so each sums to 1 within rounding)."""
    shape = draw(shapes)
    z = draw(hnp.arrays(np.float64, shape, elements=logits))
    raw = draw(hnp.arrays(np.float64, shape, elements=st.floats(0, 1)))
    raw[:, 0] += 1e-3  # keep every row's sum positive
    return z, raw / raw.sum(axis=1, keepdims=True)


def _entropy(p):
    return -np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0.0), axis=1)


@settings(max_examples=150, deadline=None)
@given(problems(), st.floats(0, 1))
def test_property_finite_and_above_the_entropy_of_the_smoothed_target(problem, label_smoothing):
    z, y = problem
    losses = ref.softmax_cross_entropy(z, y, label_smoothing=label_smoothing, reduction="none")
    smoothed = ref.smoothed_targets(y, label_smoothing)
    floor = _entropy(smoothed)
    assert np.all(np.isfinite(losses))
    assert np.all(losses >= floor - 1e-12 * np.maximum(1.0, np.abs(z).max(axis=1)))


@settings(max_examples=150, deadline=None)
@given(problems(), st.floats(-100, 100), st.floats(0, 1))
def test_property_adding_a_constant_to_every_logit_changes_nothing(problem, shift, label_smoothing):
    z, y = problem
    moved = ref.softmax_cross_entropy(z + shift, y, label_smoothing=label_smoothing, reduction="none")
    original = ref.softmax_cross_entropy(z, y, label_smoothing=label_smoothing, reduction="none")
    assert np.allclose(moved, original, rtol=1e-12, atol=16 * EPS * (np.abs(z).max() + abs(shift) + 1))


@settings(max_examples=150, deadline=None)
@given(problems(), st.floats(0, 1), st.sampled_from(REDUCTIONS))
def test_property_gradient_rows_sum_to_zero(problem, label_smoothing, reduction):
    z, y = problem
    grad = ref.softmax_cross_entropy_grad(z, y, label_smoothing=label_smoothing, reduction=reduction)
    assert np.allclose(grad.sum(axis=1), 0, atol=1e-9)


@settings(max_examples=100, deadline=None)
@given(
    hnp.arrays(np.float64, (3, 4), elements=st.floats(-20, 20)),
    hnp.arrays(np.float64, (3, 4), elements=st.floats(0.01, 1)),
    st.floats(0, 1),
    st.sampled_from(REDUCTIONS),
)
def test_property_gradient_is_a_finite_difference(z, raw, label_smoothing, reduction):
    y = raw / raw.sum(axis=1, keepdims=True)
    grad = ref.softmax_cross_entropy_grad(z, y, label_smoothing=label_smoothing, reduction=reduction)
    step = 1e-6
    for index in np.ndindex(z.shape):
        bump = np.zeros_like(z)
        bump[index] = step
        up = np.sum(ref.softmax_cross_entropy(z + bump, y, label_smoothing=label_smoothing, reduction=reduction))
        down = np.sum(ref.softmax_cross_entropy(z - bump, y, label_smoothing=label_smoothing, reduction=reduction))
        assert grad[index] == pytest.approx((up - down) / (2 * step), abs=1e-7)
