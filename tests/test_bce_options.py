"""The options of the binary losses (weight, pos_weight, reduction), checked against PyTorch and by their properties."""

from __future__ import annotations

import itertools

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from snippets import bce as ref

RNG = np.random.default_rng(2718)
EPS = np.finfo(float).eps
SUBNORMAL = np.finfo(float).smallest_subnormal
ORACLE_TOLERANCE = 1e-12  # relative, float64
REDUCTIONS = ("mean", "sum", "none")
EXTREME_LOGITS = np.array([-1e4, -745.0, -40.0, -1.0, -1e-12, 0.0, 1e-12, 1.0, 40.0, 745.0, 1e4])
EXTREME_TARGETS = np.array([0.0, 0.25, 0.5, 1.0])


def _options(shape, kind):
    """weight / pos_weight of one kind, for logits of `shape` (examples × classes)."""
    rows, classes = shape
    weight = RNG.uniform(0, 3, shape)
    weight[::7] = 0.0  # zero weights drop elements
    per_example = RNG.uniform(0.1, 3, (rows, 1))
    per_class = RNG.uniform(0.1, 10, classes)
    return {
        "plain": {},
        "weight": {"weight": weight},
        "per-example weight": {"weight": per_example},
        "scalar pos_weight": {"pos_weight": 4.0},
        "per-class pos_weight": {"pos_weight": per_class},
        "weight and pos_weight": {"weight": weight, "pos_weight": per_class},
    }[kind]


OPTION_KINDS = ("plain", "weight", "per-example weight", "scalar pos_weight", "per-class pos_weight", "weight and pos_weight")


def _cases():
    """(name, z, y): random at three scales, an extreme grid (|z| up to 1e4), a broadcast target."""
    for scale in (1.0, 30.0, 1e3):
        yield f"random, scale {scale:g}", RNG.normal(0, scale, (300, 5)), RNG.uniform(size=(300, 5))
    z, y = (grid.reshape(-1, EXTREME_TARGETS.size) for grid in np.meshgrid(EXTREME_LOGITS, EXTREME_TARGETS, indexing="ij"))
    yield "extreme", z, y
    yield "broadcast target", RNG.normal(0, 5, (300, 5)), RNG.uniform(size=5)


CASES = {name: (z, y) for name, z, y in _cases()}


def torch_bce_with_logits(torch, z, y, reduction, **options):
    """PyTorch's loss and its autograd gradient in z; a broadcast y is expanded (PyTorch wants equal shapes)."""
    shape = np.broadcast_shapes(z.shape, y.shape)
    leaf = torch.tensor(z, requires_grad=True)
    keywords = {name: torch.as_tensor(np.asarray(value, dtype=float)) for name, value in options.items()}
    loss = torch.nn.functional.binary_cross_entropy_with_logits(
        leaf.expand(shape), torch.tensor(np.broadcast_to(y, shape).copy()), reduction=reduction, **keywords
    )
    loss.backward(torch.ones_like(loss))
    return loss.detach().numpy(), leaf.grad.numpy()


def assert_close(actual, expected, terms, what):
    """Within 1e-12 relative, or a few ulps of `terms`, the size of what the result is a difference of.

    PyTorch computes (1−y)z − ln σ(z): for z ≪ 0 and y = 0 that is −|z| + |z| + ln(1+e^{−|z|}), and the
    tiny last term is lost (PyTorch gives 0 at z = −40, the exact value is 4.2e−18). There the two
    implementations can differ by a rounding of |z|; everywhere else by 1e-12 relative.
    """
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    allowed = ORACLE_TOLERANCE * np.abs(expected) + 8 * EPS * np.broadcast_to(terms, expected.shape)
    excess = np.abs(actual - expected) - allowed
    worst = np.unravel_index(np.argmax(excess), excess.shape) if excess.ndim else ()
    assert np.all(excess <= 0), f"{what}: {actual[worst]!r} vs PyTorch {expected[worst]!r} at {worst}"


def _term_sizes(z, y, reduction, weight=None, pos_weight=None):
    """Sizes of the terms PyTorch adds: for the loss |z| and ln 2 scaled by the weights, for the gradient 1."""
    shape = np.broadcast_shapes(z.shape, np.shape(y))
    scale = (1.0 if weight is None else np.broadcast_to(weight, shape)) * (1.0 + (1.0 if pos_weight is None else np.broadcast_to(pos_weight, shape)))
    loss_terms = np.broadcast_to(scale * (np.abs(z) + 1), shape)
    grad_terms = np.broadcast_to(scale, shape) / (np.prod(shape) if reduction == "mean" else 1)
    if reduction != "none":
        loss_terms = loss_terms.sum() / (loss_terms.size if reduction == "mean" else 1)
    return loss_terms, grad_terms


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("kind", OPTION_KINDS)
@pytest.mark.parametrize("case", list(CASES))
def test_loss_and_gradient_match_pytorch(torch, case, kind, reduction):
    z, y = CASES[case]
    options = _options(z.shape, kind)
    expected_loss, expected_grad = torch_bce_with_logits(torch, z, y, reduction, **options)
    loss_terms, grad_terms = _term_sizes(z, y, reduction, **options)
    loss, grad = ref.bce_with_logits_and_grad(z, y, reduction=reduction, **options)
    assert_close(loss, expected_loss, loss_terms, "fused loss")
    assert_close(grad, expected_grad, grad_terms, "fused gradient")
    assert_close(ref.bce_with_logits(z, y, reduction=reduction, **options), expected_loss, loss_terms, "loss")
    assert_close(ref.bce_grad_logits(z, y, reduction=reduction, **options), expected_grad, grad_terms, "gradient")


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_broadcast_logits_get_the_summed_gradient_like_autograd(torch, reduction):
    z, y = RNG.normal(0, 3, (1, 6)), RNG.uniform(size=(40, 6))
    weight = RNG.uniform(0, 2, (40, 1))
    expected_loss, expected_grad = torch_bce_with_logits(torch, z, y, reduction, weight=weight, pos_weight=2.5)
    loss, grad = ref.bce_with_logits_and_grad(z, y, weight=weight, pos_weight=2.5, reduction=reduction)
    assert grad.shape == z.shape
    loss_terms, _ = _term_sizes(np.broadcast_to(z, y.shape), y, reduction, weight, 2.5)
    assert_close(loss, expected_loss, loss_terms, "loss")
    assert_close(grad, expected_grad, 0.0, "gradient")
    assert_close(ref.bce_grad_logits(z, y, weight=weight, pos_weight=2.5, reduction=reduction), expected_grad, 0.0, "gradient")


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_probability_loss_matches_pytorch(torch, reduction, weighted):
    a, y = RNG.uniform(0.001, 0.999, (200, 4)), RNG.uniform(size=(200, 4))
    weight = RNG.uniform(0, 3, (200, 1)) if weighted else None
    expected = torch.nn.functional.binary_cross_entropy(
        torch.tensor(a), torch.tensor(y), weight=None if weight is None else torch.tensor(weight), reduction=reduction
    ).numpy()
    assert_close(ref.bce(a, y, weight=weight, reduction=reduction), expected, 0.0, "probability loss")


def test_the_fused_blocks_cover_large_and_ragged_arrays_with_options():
    z, y = RNG.normal(0, 5, (20_011, 7)), RNG.uniform(size=(20_011, 7))
    options = {"weight": RNG.uniform(0, 2, (20_011, 1)), "pos_weight": RNG.uniform(0.5, 4, 7)}
    for reduction in REDUCTIONS:
        loss, grad = ref.bce_with_logits_and_grad(z, y, reduction=reduction, **options)
        assert np.allclose(loss, ref.bce_with_logits(z, y, reduction=reduction, **options), rtol=1e-12, atol=0)
        assert np.allclose(grad, ref.bce_grad_logits(z, y, reduction=reduction, **options), rtol=1e-12, atol=1e-16)


# --- exact values at extreme logits ----------------------------------------------------------------


def _exact(z, y, weight, pos_weight):
    """w[(1−y) ln(1+e^z) + p y ln(1+e^{−z})] to 50 digits."""
    with mpmath.workdps(50):
        z, y, weight, pos_weight = (mpmath.mpf(float(value)) for value in (z, y, weight, pos_weight))
        return weight * ((1 - y) * mpmath.log1p(mpmath.exp(z)) + pos_weight * y * mpmath.log1p(mpmath.exp(-z)))


def test_extreme_logits_give_the_exact_value_to_the_last_digits():
    for z, y, weight, pos_weight in itertools.product(EXTREME_LOGITS, EXTREME_TARGETS, (0.5, 3.0), (0.2, 1.0, 7.0)):
        got = ref.bce_with_logits([z], [y], weight=weight, pos_weight=pos_weight, reduction="sum")
        exact = float(_exact(z, y, weight, pos_weight))
        # Below 2.2e-308 float64 has fewer digits: e^{-745} is stored as its smallest step, 4.9e-324,
        # and the weights multiply that rounding.
        rounding = weight * (1 + pos_weight) * SUBNORMAL
        assert abs(got - exact) <= 4 * np.spacing(abs(exact)) + rounding, (z, y, weight, pos_weight, got, exact)  # 4 ulps


def test_finite_without_warnings_for_every_finite_logit_and_weight():
    z = np.repeat(EXTREME_LOGITS, EXTREME_TARGETS.size)
    y = np.tile(EXTREME_TARGETS, EXTREME_LOGITS.size)
    with np.errstate(all="raise"):
        for weight, pos_weight, reduction in itertools.product((None, 1e-300, 0.0, 1e6), (None, 1e-6, 1e6), REDUCTIONS):
            if weight == 0.0:
                weight = np.where(np.arange(z.size) % 2 == 0, 0.0, 1.0)
            loss, grad = ref.bce_with_logits_and_grad(z, y, weight=weight, pos_weight=pos_weight, reduction=reduction)
            assert np.all(np.isfinite(loss)) and np.all(np.isfinite(grad))
            assert np.all(np.isfinite(ref.bce_grad_logits(z, y, weight=weight, pos_weight=pos_weight, reduction=reduction)))


# --- bad input -----------------------------------------------------------------------------------

Z, Y = np.zeros((2, 3)), np.full((2, 3), 0.5)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ref.bce_with_logits(Z, Y, weight=[1.0, -1.0, 1.0]), "weight must be non-negative"),
        (lambda: ref.bce_with_logits(Z, Y, weight=[1.0, np.nan, 1.0]), "weight contains NaN"),
        (lambda: ref.bce_with_logits(Z, Y, weight=np.inf), "weight contains an infinite value"),
        (lambda: ref.bce_with_logits(Z, Y, pos_weight=0.0), "pos_weight must be positive"),
        (lambda: ref.bce_with_logits(Z, Y, pos_weight=[1.0, -2.0, 1.0]), "pos_weight must be positive"),
        (lambda: ref.bce_grad_logits(Z, Y, pos_weight=np.nan), "pos_weight contains NaN"),
        (lambda: ref.bce_with_logits(Z, Y, weight=[1.0, 2.0]), "weight of shape (2,) does not broadcast to the loss"),
        (lambda: ref.bce_with_logits_and_grad(Z, Y, pos_weight=np.ones(2)), "pos_weight of shape (2,) does not broadcast"),
        (lambda: ref.bce_with_logits(Z, Y, weight=np.ones((4, 2, 3))), "does not broadcast to the loss, of shape (2, 3)"),
        (lambda: ref.bce_with_logits(Z, Y, reduction="average"), "reduction must be 'mean', 'sum' or 'none'"),
        (lambda: ref.bce_grad_logits(Z, Y, reduction=None), "reduction must be 'mean', 'sum' or 'none'"),
        (lambda: ref.bce_with_logits_and_grad(Z, Y, reduction="Mean"), "reduction must be 'mean', 'sum' or 'none'"),
        (lambda: ref.bce([0.5], [0.5], weight=-1.0), "weight must be non-negative"),
        (lambda: ref.bce([0.5], [0.5], reduction="max"), "reduction must be"),
        (lambda: ref.bce_with_logits(Z, Y, weight=["a"] * 3), "weight must be a real numeric array"),
    ],
)
def test_bad_options_raise_value_error_naming_the_problem(call, message):
    with pytest.raises(ValueError) as raised:
        call()
    assert message in str(raised.value)


def test_a_zero_weight_drops_an_infinite_probability_loss():
    assert ref.bce([0.0, 0.5], [1.0, 0.5], weight=[0.0, 1.0], reduction="sum") == pytest.approx(np.log(2), rel=1e-15)


# --- properties ----------------------------------------------------------------------------------

logit_arrays = hnp.arrays(np.float64, st.integers(1, 30), elements=st.floats(-1e4, 1e4))
unit = st.floats(0, 1)
exact_complement = st.integers(0, 2**20).map(lambda count: count / 2**20)  # 1 − y is exact in float64
weights = st.floats(0, 100)
pos_weights = st.floats(1e-3, 1e3)


@settings(max_examples=150, deadline=None)
@given(logit_arrays, st.data())
def test_property_weighted_loss_is_above_the_weighted_entropy_floor(z, data):
    y = data.draw(hnp.arrays(np.float64, z.shape, elements=unit))
    weight = data.draw(hnp.arrays(np.float64, z.shape, elements=weights))
    losses = ref.bce_with_logits(z, y, weight=weight, reduction="none")
    floor = weight * ref.binary_entropy(y)
    assert np.all(np.isfinite(losses))
    assert np.all(losses >= floor - 1e-12 * np.maximum(1.0, floor))
    # ... and on it where sigma(z) = y: at z = logit(y), for targets inside (0, 1).
    inside = np.clip(y, 0.01, 0.99)
    at_target = ref.bce_with_logits(np.log(inside / (1 - inside)), inside, weight=weight, reduction="none")
    entropy = -(inside * np.log(inside) + (1 - inside) * np.log1p(-inside))  # H(y), not the reference's own
    np.testing.assert_allclose(at_target, weight * entropy, rtol=1e-12, atol=1e-300)


@settings(max_examples=150, deadline=None)
@given(logit_arrays, st.data())
def test_property_symmetry_swaps_the_weights_of_the_two_classes(z, data):
    # Classes swapped (z → −z, y → 1 − y): the negative term, of weight w, becomes the positive one,
    # so the same loss has pos_weight 1/p and weight w·p.
    y = data.draw(hnp.arrays(np.float64, z.shape, elements=exact_complement))
    weight, pos_weight = data.draw(weights), data.draw(pos_weights)
    swapped = ref.bce_with_logits(-z, 1 - y, weight=weight, pos_weight=pos_weight, reduction="none")
    original = ref.bce_with_logits(z, y, weight=weight * pos_weight, pos_weight=1 / pos_weight, reduction="none")
    assert np.allclose(swapped, original, rtol=1e-12, atol=1e-300)


@settings(max_examples=150, deadline=None)
@given(st.floats(-30, 30), unit, st.floats(0.1, 10), st.floats(0.1, 10), st.sampled_from(REDUCTIONS))
def test_property_gradient_is_a_finite_difference(z, y, weight, pos_weight, reduction):
    step = 1e-5
    options = {"weight": [weight, 1.0], "pos_weight": pos_weight, "reduction": reduction}
    other = 0.3  # a second element, so that "mean" divides by 2

    def loss(at):
        return np.sum(ref.bce_with_logits([at, other], [y, 0.7], **options))

    numeric = (loss(z + step) - loss(z - step)) / (2 * step)
    assert ref.bce_grad_logits([z, other], [y, 0.7], **options)[0] == pytest.approx(numeric, abs=1e-8 * (1 + weight * pos_weight))
    assert ref.bce_with_logits_and_grad([z, other], [y, 0.7], **options)[1][0] == pytest.approx(numeric, abs=1e-8 * (1 + weight * pos_weight))


@settings(max_examples=100, deadline=None)
@given(logit_arrays, st.data())
def test_property_reductions_agree(z, data):
    y = data.draw(hnp.arrays(np.float64, z.shape, elements=unit))
    pos_weight = data.draw(pos_weights)
    elements = ref.bce_with_logits(z, y, pos_weight=pos_weight, reduction="none")
    assert ref.bce_with_logits(z, y, pos_weight=pos_weight, reduction="sum") == pytest.approx(np.sum(elements), rel=1e-12)
    assert ref.bce_with_logits(z, y, pos_weight=pos_weight) == pytest.approx(np.mean(elements), rel=1e-12)
