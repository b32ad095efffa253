"""Every gradient path of snippets/bce.py against its exact value (mpmath, 60 digits), where float64 struggles.

The gradient in z of one element's loss is g = ω s [(1−y)σ(z) − p y σ(−z)] (σ(z) − y without options;
ω the weight, p the pos_weight, s = 1/n for "mean", 1 otherwise). It is held to

    |ĝ − g| ≤ 8 ε M + 4 η (1 + ω(1 + p)),    M = ω s [(1−y)σ(z) + p y σ(−z)],

ε = 2⁻⁵² and η = 2⁻¹⁰⁷⁴ (the smallest subnormal; that term matters only below 2.2·10⁻³⁰⁸). M is the sum
of the sizes of the two terms whose difference is g, so relative to g the bound is 8ε·κ with
κ = M/|g| ≥ 1, the condition number of that difference: κ is about 1 unless σ(z) and y agree to many
digits of their distance from the nearer of 0 and 1, and it grows by ten for each further digit.
PyTorch computes σ(z) − y as written; its error is a rounding of σ(z) or y, about ε·max(σ(z), y),
which at y = 1 − 10⁻¹³ is 10¹³ times M.

Why 8ε. Let u = ε/2 be the unit roundoff (each +, −, ×, ÷ is within u of its exact result) and
assume numpy's e^x within one ulp, 2u (the last test measures it). From e = e^{−|z|}, σ(−|z|) is
computed as e/(1+e) or e·(1/(1+e)), within 4u or 5u of itself, and σ(|z|) = 1/(1+e) within 3u
(an error in e moves 1 + e by at most half as much, relatively). Up to terms in u²:
- without options, z ≥ 0: ĝ = (1−y) − σ(−z); 1 − y is exact for y ≥ ½ (Sterbenz's lemma) and
  within u otherwise. Both 1 − y and σ(−z) are at most 2M (for y ≥ ½, σ(−z) ≤ 2yσ(−z) and
  1 − y ≤ 2(1−y)σ(z); for y < ½, M ≥ (1−y)σ(z) ≥ ¼ ≥ σ(−z)/2), so
  |ĝ − g| ≤ u·2M + 4u·2M + u·|g| ≤ 11u·M; for z < 0, ĝ = σ(z) − y with y exact: 9u·M;
- with options: each of (1−y)σ(z) and p y σ(−z) is a product of rounded factors, within 7u of
  itself; their difference adds u, the weight ω another: 9u·M;
- the mean's 1/n, rounded, and the product with it add 2u.
At most 13u·M = 6.5ε·M < 8ε·M. Where z was broadcast, the gradient sums R elements over the
broadcast axes, which adds at most (R − 1)ε times the sum of their M's.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from snippets import bce as ref

EPS = np.finfo(float).eps
SUBNORMAL = np.finfo(float).smallest_subnormal
BOUND = 8  # units of ε·M, derived in the module docstring
CLASSES = 4
LARGE_LOGITS = (5.0, 20.0, 30.0, 35.0, 37.0, 40.0, 100.0, 300.0, 700.0, 720.0, 745.0, 1e4)
NEAR_HARD_TARGETS = (0.0, 1e-13, 1e-10, 1e-7, 1 - 1e-7, 1 - 1e-10, 1 - 1e-13, 1.0)


def _sigmoid(z: mpmath.mpf) -> mpmath.mpf:
    return 1 / (1 + mpmath.exp(-z))


def _matched_targets():
    """Targets equal to σ(z) rounded to float64 (and their neighbours): σ(z) − y is then a few ulps of y."""
    with mpmath.workdps(60):
        for z in (5.0, 15.0, 25.0, 30.0, 33.0, 35.0, 36.0):
            for sign in (1.0, -1.0):
                target = float(_sigmoid(mpmath.mpf(sign * z)))
                for neighbour in (np.nextafter(target, 0.0), target, np.nextafter(target, 1.0)):
                    yield sign * z, float(neighbour)


def _cases() -> tuple[np.ndarray, np.ndarray]:
    pairs = [(sign * z, y) for z in LARGE_LOGITS for sign in (1.0, -1.0) for y in NEAR_HARD_TARGETS]
    pairs += list(_matched_targets())
    pairs += [(0.0, 0.5)] * (-len(pairs) % CLASSES)  # whole rows of CLASSES
    z, y = np.array(pairs).T
    return z.reshape(-1, CLASSES), y.reshape(-1, CLASSES)


Z, Y = _cases()
RNG = np.random.default_rng(31415)
WEIGHT = RNG.uniform(0, 3, Z.shape)
WEIGHT[::5] = 0.0
OPTIONS = {
    "plain": {},
    "weight": {"weight": WEIGHT},
    "scalar pos_weight": {"pos_weight": 4.0},
    "per-class pos_weight": {"pos_weight": np.array([0.2, 1.0, 3.0, 7.0])},
    "weight and pos_weight": {"weight": WEIGHT, "pos_weight": np.array([0.2, 1.0, 3.0, 7.0])},
}
PATHS = {
    "bce_grad_logits": ref.bce_grad_logits,
    "bce_with_logits_and_grad": lambda *args, **options: ref.bce_with_logits_and_grad(*args, **options)[1],
}


def exact_gradient_and_size(z, y, weight=1.0, pos_weight=1.0, scale=1.0):
    """g and M (module docstring) to 60 digits, elementwise, for the float64 inputs exactly."""
    z, y, weight, pos_weight = np.broadcast_arrays(*(np.asarray(value, dtype=float) for value in (z, y, weight, pos_weight)))
    exact, size = np.empty(z.shape, dtype=object), np.empty(z.shape, dtype=object)
    with mpmath.workdps(60):
        for index in np.ndindex(z.shape):
            at, target, w, p = (mpmath.mpf(float(value[index])) for value in (z, y, weight, pos_weight))
            negative_term, positive_term = w * (1 - target) * _sigmoid(at), w * p * target * _sigmoid(-at)
            exact[index] = (negative_term - positive_term) * mpmath.mpf(scale)
            size[index] = (negative_term + positive_term) * mpmath.mpf(scale)
    return exact, size


def errors_in_bound_units(computed, exact, size, weight=1.0, pos_weight=1.0, summed=1):
    """|ĝ − g| / (bound), elementwise: at most 1 where the bound holds."""
    computed = np.asarray(computed, dtype=float)
    exact, size = (np.broadcast_to(np.asarray(value, dtype=object), computed.shape) for value in (exact, size))
    floor = 4 * SUBNORMAL * (1 + np.asarray(weight) * (1 + np.asarray(pos_weight))) * summed
    ratios = np.empty(computed.shape)
    with mpmath.workdps(60):
        for index in np.ndindex(computed.shape):
            allowed = (BOUND + summed - 1) * EPS * size[index] + mpmath.mpf(float(np.broadcast_to(floor, computed.shape)[index]))
            ratios[index] = float(abs(mpmath.mpf(float(computed[index])) - exact[index]) / allowed)
    return ratios


def _assert_within(ratios, what):
    worst = np.unravel_index(np.argmax(ratios), ratios.shape)
    assert ratios[worst] <= 1, f"{what}: error {ratios[worst]:.3g} times the bound at z = {Z[worst]!r}, y = {Y[worst]!r}"


@pytest.mark.parametrize("reduction", ("mean", "sum", "none"))
@pytest.mark.parametrize("kind", list(OPTIONS))
@pytest.mark.parametrize("path", list(PATHS))
def test_every_gradient_path_is_exact_to_its_bound(path, kind, reduction):
    options = OPTIONS[kind]
    weight, pos_weight = options.get("weight", 1.0), options.get("pos_weight", 1.0)
    scale = 1 / Z.size if reduction == "mean" else 1.0
    exact, size = exact_gradient_and_size(Z, Y, weight, pos_weight, scale)
    computed = PATHS[path](Z, Y, reduction=reduction, **options)
    _assert_within(errors_in_bound_units(computed, exact, size, weight, pos_weight), f"{path}, {kind}, {reduction}")


@pytest.mark.parametrize("reduction", ("mean", "sum", "none"))
@pytest.mark.parametrize("weighted", (False, True), ids=("plain", "weight and pos_weight"))
@pytest.mark.parametrize("path", list(PATHS))
def test_a_broadcast_logit_gets_the_sum_within_its_bound(path, weighted, reduction):
    z = np.array([[35.0, -35.0, 700.0, -30.0]])
    rows = 6
    spread = np.linspace(0.5, 1.5, rows)[:, None]
    y = np.hstack([1 - 1e-13 * spread, 1e-13 * spread, 1 - 1e-13 * spread, 9.4e-14 * spread])  # σ(−30) = 9.36e-14
    options = {"weight": RNG.uniform(0.5, 2, (rows, 1)), "pos_weight": 2.5} if weighted else {}
    weight, pos_weight = options.get("weight", np.ones((rows, 1))), options.get("pos_weight", 1.0)
    scale = 1 / y.size if reduction == "mean" else 1.0
    exact, size = exact_gradient_and_size(np.broadcast_to(z, y.shape), y, weight, pos_weight, scale)
    computed = PATHS[path](z, y, reduction=reduction, **options)
    assert computed.shape == z.shape
    sums = (np.sum(values, axis=0, keepdims=True) for values in (exact, size))
    ratios = errors_in_bound_units(computed, *sums, weight.max(), pos_weight, summed=rows)
    assert np.all(ratios <= 1), ratios


def test_neuron_grad_is_exact_to_its_bound():
    # X the identity and b = 0 make z = Xw + b = w exactly, so the exact value is known; ∂C/∂w is then
    # each example's σ(z) − y over n, and ∂C/∂b their sum over n (held to the sum's bound).
    z, y = Z.ravel(), Y.ravel()
    n = z.size
    grad_w, grad_b = ref.neuron_grad(np.eye(n), y, z, 0.0)
    exact, size = exact_gradient_and_size(z, y, scale=1 / n)
    _assert_within(errors_in_bound_units(grad_w, exact, size).reshape(Z.shape), "neuron_grad, w")
    total = errors_in_bound_units(grad_b, np.sum(exact), np.sum(size), summed=n)
    assert total <= 1, total


def test_numpy_exp_is_within_one_ulp_as_the_bound_assumes():
    x = -np.concatenate([RNG.uniform(0, 745, 3000), RNG.uniform(0, 40, 1000)])
    computed = np.exp(x)
    with mpmath.workdps(40):
        worst = max(
            float(abs(mpmath.mpf(float(value)) - mpmath.exp(mpmath.mpf(float(at)))) / float(np.spacing(value)))
            for at, value in zip(x, computed)
            if value >= np.finfo(float).tiny
        )
    assert worst <= 1, worst
