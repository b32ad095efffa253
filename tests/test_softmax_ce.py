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
    """(name, z, y) with n examples of K classes: random, hard labels, extreme logits, a broadcast target."""
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
        (lambda: ref.softmax_cross_entropy(np.zeros(3), Y[0]), "z must be a 2-d array of shape (n, K)"),
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


# --- the gradient, exact to its bound -------------------------------------------------------------
#
# Element j of one row's gradient is g = p − y' (p = softmax(z)ⱼ, y' the smoothed target ⱼ; over n for
# "mean"). It equals p(1 − y') − y'(1 − p), the difference of two non-negative terms whose sum is
#
#     M = p(1 − y') + y'(1 − p),
#
# and every gradient path is held to |ĝ − g| ≤ (K + 10) ε M s + 4η (s = 1/n for "mean", 1 otherwise;
# η = 2⁻¹⁰⁷⁴ for subnormal results). Relative to g that is (K + 10) ε κ with κ = M/|g| ≥ 1, large only
# where p and y' agree to many digits of their distance from the nearer of 0 and 1. Computed as
# written, p − y' errs by a rounding of p or y', about ε·max(p, y'): at p and y' near 1 that is far
# more than ε M (z = (35, 0), y = (1 − 10⁻¹³, 10⁻¹³): relative error 3.6·10⁻⁴).
#
# Why (K + 10)ε. u = ε/2; numpy's e^x within one ulp, 2u (tests/test_bce_gradient.py measures it); terms
# in u² left out. With m the row's largest logit (class t), z − m is rounded but its remainder r is
# exact (TwoSum), and e^{z−m} = e^{fl(z−m)}(1 + r) within 3u, whatever |z − m|. T = Σ_{i≠t} e^{zᵢ−m}, a
# sum of K − 1 such terms, is within (K + 1)u; S = 1 + T within (K + 2)u; pᵢ = eᵢ/S within (K + 6)u;
# y' = (1 − ε_s)y + ε_s/K within 3u (exact without smoothing).
# - pᵢ ≤ ½ (every class but t, and t where T > 1): ĝ = pᵢ − y'ᵢ. Both are at most 2M (for y' ≤ ½,
#   M ≥ p/2 and M ≥ y'/2; for y' > ½, M ≥ y'(1 − p) ≥ y'/2 ≥ ¼ ≥ p/2), so
#   |ĝ − g| ≤ (K + 6)u·2M + 3u·2M + u·M = (2K + 19)u M.
# - p_t ≥ ½ (T ≤ 1): ĝ = (1 − y'_t) − T/S, with 1 − y'_t = (1 − ε_s)(1 − y_t) + ε_s(K − 1)/K within 4u
#   (1 − y_t exact for y_t ≥ ½) and T/S = 1 − p_t within (K + 3)u (T's error passes through T/(1 + T)
#   scaled by 1/(1 + T) ≤ 1). Both are at most 2M, as above with p and 1 − p exchanged:
#   |ĝ − g| ≤ 4u·2M + (K + 3)u·2M + u·M = (2K + 15)u M.
# - "mean" divides by n: u M more. At most (2K + 20)u M = (K + 10)ε M.

import mpmath  # noqa: E402

SUBNORMAL = np.finfo(float).smallest_subnormal
GRADIENT_PATHS = {
    "softmax_cross_entropy_grad": ref.softmax_cross_entropy_grad,
    "softmax_cross_entropy_and_grad": lambda *args, **options: ref.softmax_cross_entropy_and_grad(*args, **options)[1],
}
LARGE_LOGITS = (5.0, 20.0, 30.0, 35.0, 37.0, 40.0, 100.0, 300.0, 700.0, 720.0, 745.0, 1e4)
NEAR_HARD_TARGETS = (0.0, 1e-13, 1e-10, 1e-7, 1 - 1e-7, 1 - 1e-10, 1 - 1e-13, 1.0)
EXACT_SMOOTHING = (0.0, 1e-13, 0.1, 1.0)


def _exact_softmax(z):
    """softmax(z) and 1 − softmax(z) of one row to 60 digits, the complement summed, never subtracted."""
    z = [mpmath.mpf(float(value)) for value in z]
    top = max(range(len(z)), key=lambda i: z[i])
    terms = [mpmath.exp(value - z[top]) for value in z]
    total = mpmath.fsum(terms)
    others = [total - term if i != top else mpmath.fsum(terms[:top] + terms[top + 1 :]) for i, term in enumerate(terms)]
    return [term / total for term in terms], [other / total for other in others]


def _two_class_rows():
    with mpmath.workdps(60):
        for logit in LARGE_LOGITS:
            for sign in (1.0, -1.0):
                for target in NEAR_HARD_TARGETS:
                    yield [sign * logit, 0.0], target
                    yield [sign * logit + 0.3, 0.1], target  # z₁ − z₂ rounds: the remainder matters
        for logit in (5.0, 15.0, 25.0, 30.0, 33.0, 35.0, 36.0):
            for sign in (1.0, -1.0):
                matched = float(_exact_softmax([sign * logit, 0.0])[0][0])  # p₁ rounded: p₁ − y₁ is an ulp of y₁
                for target in (np.nextafter(matched, 0.0), matched, np.nextafter(matched, 1.0)):
                    yield [sign * logit, 0.0], float(target)


def _exact_gradient_cases():
    """(name, z, y): rows of K = 2, 3 and 10 classes where p and y nearly agree, near 0 and near 1."""
    rows = [(z, [y, 1 - y]) for z, y in _two_class_rows()]
    yield "two classes", np.array([z for z, _ in rows]), np.array([y for _, y in rows])
    rng = np.random.default_rng(2718)
    for classes in (3, 10):
        logits, targets = [], []
        for logit in LARGE_LOGITS[:9]:
            for kind in ("matched", "near hard", "hard", "uniform"):
                z = rng.normal(0, 2, classes)
                top = rng.integers(classes)
                z[top] = logit
                if kind == "matched":
                    with mpmath.workdps(60):
                        y = np.array([float(p) for p in _exact_softmax(z)[0]])
                elif kind == "near hard":
                    y = np.full(classes, 1e-13 / (classes - 1))
                else:
                    y = np.full(classes, 0.0 if kind == "hard" else 1 / classes)
                if kind != "uniform":
                    y[top] = 0.0
                    y[top] = 1 - y.sum()
                logits.append(z)
                targets.append(y)
        logits.append(np.array([0.0, -720.0, -740.0, -1e4, *[-1.0] * (classes - 4)])[:classes])  # subnormal e^{z−m}
        targets.append(np.eye(classes)[0])
        yield f"{classes} classes", np.array(logits), np.array(targets)


EXACT_CASES = {name: (z, y) for name, z, y in _exact_gradient_cases()}
_EXACT = {}


def exact_gradient_and_size(case, label_smoothing):
    """g and M (above), per element, to 60 digits, for the float64 inputs exactly; before the mean's 1/n."""
    if (case, label_smoothing) not in _EXACT:
        z, y = EXACT_CASES[case]
        classes = z.shape[1]
        exact, size = np.empty(z.shape, dtype=object), np.empty(z.shape, dtype=object)
        with mpmath.workdps(60):
            keep, spread = 1 - mpmath.mpf(label_smoothing), mpmath.mpf(label_smoothing)
            for row in range(z.shape[0]):
                probabilities, complements = _exact_softmax(z[row])
                for j in range(classes):
                    target = keep * mpmath.mpf(float(y[row, j])) + spread / classes
                    target_complement = keep * (1 - mpmath.mpf(float(y[row, j]))) + spread * (classes - 1) / classes
                    p, p_complement = probabilities[j], complements[j]
                    exact[row, j] = target_complement - p_complement if p > 0.5 else p - target
                    size[row, j] = p * target_complement + target * p_complement
        _EXACT[case, label_smoothing] = exact, size
    return _EXACT[case, label_smoothing]


def errors_in_bound_units(computed, exact, size, classes, scale):
    """|ĝ − g| / ((K + 10) ε M s + 4η), elementwise: at most 1 where the bound holds."""
    ratios = np.empty(computed.shape)
    with mpmath.workdps(60):
        for index in np.ndindex(computed.shape):
            allowed = (classes + 10) * EPS * size[index] * mpmath.mpf(scale) + 4 * mpmath.mpf(SUBNORMAL)
            ratios[index] = float(abs(mpmath.mpf(float(computed[index])) - exact[index] * mpmath.mpf(scale)) / allowed)
    return ratios


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("label_smoothing", EXACT_SMOOTHING)
@pytest.mark.parametrize("case", list(EXACT_CASES))
@pytest.mark.parametrize("path", list(GRADIENT_PATHS))
def test_every_gradient_path_is_exact_to_its_bound(path, case, label_smoothing, reduction):
    z, y = EXACT_CASES[case]
    exact, size = exact_gradient_and_size(case, label_smoothing)
    scale = 1 / z.shape[0] if reduction == "mean" else 1.0
    computed = GRADIENT_PATHS[path](z, y, label_smoothing=label_smoothing, reduction=reduction)
    ratios = errors_in_bound_units(computed, exact, size, z.shape[1], scale)
    row, column = np.unravel_index(np.argmax(ratios), ratios.shape)
    assert ratios[row, column] <= 1, (
        f"error {ratios[row, column]:.3g} times the bound at z = {z[row].tolist()}, y = {y[row].tolist()}, class {column}"
    )


@pytest.mark.parametrize("path", list(GRADIENT_PATHS))
def test_a_broadcast_target_row_is_exact_to_its_bound(path):
    z, y = EXACT_CASES["10 classes"]
    target = y[0]
    computed = GRADIENT_PATHS[path](z[:1].repeat(5, axis=0), target, label_smoothing=0.1, reduction="sum")
    exact, size = exact_gradient_and_size("10 classes", 0.1)
    ratios = errors_in_bound_units(computed, np.repeat(exact[:1], 5, axis=0), np.repeat(size[:1], 5, axis=0), 10, 1.0)
    assert np.all(ratios <= 1), ratios.max()


def test_the_two_class_example_computed_as_written_is_far_outside_the_bound():
    # softmax(z) − y as written (PyTorch's way) at the example above: the test can tell the two apart.
    z, y = np.array([[35.0, 0.0]]), np.array([[1 - 1e-13, 1e-13]])
    with mpmath.workdps(60):
        p, complement = _exact_softmax(z[0])
        exact = (1 - mpmath.mpf(y[0, 0])) - complement[0]
        size = p[0] * (1 - mpmath.mpf(y[0, 0])) + mpmath.mpf(y[0, 0]) * complement[0]
        shifted = z - z.max(axis=1, keepdims=True)
        as_written = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True) - y
        assert float(abs((mpmath.mpf(float(as_written[0, 0])) - exact) / exact)) > 1e-4
        assert float(abs(mpmath.mpf(float(as_written[0, 0])) - exact) / (12 * EPS * size)) > 1e8
        computed = ref.softmax_cross_entropy_grad(z, y, reduction="none")[0, 0]
        assert float(abs((mpmath.mpf(float(computed)) - exact) / exact)) < 1e-12
