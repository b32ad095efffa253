"""The reference implementation in snippets/bce.py, checked against independent implementations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.special import expit, log_expit
from sklearn.metrics import log_loss

from snippets import bce as ref

RNG = np.random.default_rng(12345)
EXTREME_LOGITS = np.array([-1e4, -745.0, -710.0, -40.0, -1e-12, 0.0, 1e-12, 40.0, 710.0, 745.0, 1e4])


def _relative_error(actual, expected):
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    scale = np.maximum(np.abs(expected), np.finfo(float).tiny)
    return float(np.max(np.abs(actual - expected) / scale))


# --- bad input ---------------------------------------------------------------------------------

GOOD_Z, GOOD_Y = np.array([0.5, -1.0]), np.array([0.2, 1.0])
X, W, Y3 = np.ones((3, 2)), np.zeros(2), np.array([0.0, 0.5, 1.0])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ref.bce_with_logits(GOOD_Z, [0.2, 1.5]), "y must lie in [0, 1]"),
        (lambda: ref.bce_with_logits(GOOD_Z, [-0.1, 0.5]), "y must lie in [0, 1]"),
        (lambda: ref.bce_with_logits([np.nan, 0.0], GOOD_Y), "z contains NaN"),
        (lambda: ref.bce_with_logits(GOOD_Z, [np.nan, 0.0]), "y contains NaN"),
        (lambda: ref.bce_with_logits([np.inf, 0.0], GOOD_Y), "z contains an infinite value"),
        (lambda: ref.bce_with_logits([0.0, 1.0, 2.0], GOOD_Y), "do not broadcast"),
        (lambda: ref.bce_with_logits([], []), "z is empty"),
        (lambda: ref.bce_with_logits(["a", "b"], GOOD_Y), "z must be a real numeric array"),
        (lambda: ref.bce_with_logits([1 + 2j], [0.0]), "z must be a real numeric array"),
        (lambda: ref.bce_grad_logits(GOOD_Z, [2.0, 0.0]), "y must lie in [0, 1]"),
        (lambda: ref.bce_with_logits_and_grad(GOOD_Z, [0.1, 0.2, 0.3]), "do not broadcast"),
        (lambda: ref.bce([1.2, 0.5], GOOD_Y), "a must lie in [0, 1]"),
        (lambda: ref.bce([0.5, np.nan], GOOD_Y), "a contains NaN"),
        (lambda: ref.binary_entropy([0.5, 1.1]), "y must lie in [0, 1]"),
        (lambda: ref.sigmoid([np.nan]), "z contains NaN"),
        (lambda: ref.sigmoid(np.array([])), "z is empty"),
        (lambda: ref.neuron_grad(X, [0.0, 1.0], W, 0.0), "y must have shape (3,)"),
        (lambda: ref.neuron_grad(X, Y3, np.zeros(3), 0.0), "w must have shape (2,)"),
        (lambda: ref.neuron_grad(np.ones(3), Y3, W, 0.0), "X must be a 2-d array"),
        (lambda: ref.neuron_grad(X, Y3, W, [0.0, 1.0]), "b must be a scalar"),
        (lambda: ref.neuron_hessian(X, Y3, W, np.nan), "b contains NaN"),
        (lambda: ref.neuron_hessian(np.ones((0, 2)), np.ones(0), W, 0.0), "X is empty"),
    ],
)
def test_bad_input_raises_value_error_naming_the_problem(call, message):
    with pytest.raises(ValueError) as raised:
        call()
    assert message in str(raised.value)


# --- stability -----------------------------------------------------------------------------------


def test_no_overflow_or_nan_for_extreme_logits():
    targets = np.linspace(0, 1, EXTREME_LOGITS.size)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss, grad = ref.bce_with_logits_and_grad(EXTREME_LOGITS, targets)
        probabilities = ref.sigmoid(EXTREME_LOGITS)
    assert np.isfinite(loss) and np.all(np.isfinite(grad)) and np.all(np.isfinite(probabilities))


def test_probabilities_at_the_edge_give_inf_not_nan():
    assert ref.bce([0.0, 0.5], [1.0, 0.5]) == np.inf
    assert ref.bce([1.0], [0.0]) == np.inf
    assert ref.bce([0.0, 1.0], [0.0, 1.0]) == 0.0


def test_naive_formula_breaks_where_the_stable_one_does_not():
    z, y = np.array([40.0]), np.array([0.0])
    with np.errstate(all="ignore"):
        naive = -np.mean(y * np.log(expit(z)) + (1 - y) * np.log(1 - expit(z)))
    assert naive == np.inf
    assert ref.bce_with_logits(z, y) == pytest.approx(40.0, rel=1e-15)


# --- scipy and scikit-learn where they overlap -----------------------------------------------------


def test_sigmoid_and_entropy_against_their_definitions():
    # sigmoid and binary_entropy are built on scipy's expit and entr, so they are checked
    # against the textbook formulas instead (on inputs where those are accurate).
    z, y = RNG.normal(0, 20, 1000), RNG.uniform(0.001, 0.999, 1000)
    assert _relative_error(ref.sigmoid(z), 1 / (1 + np.exp(-np.clip(z, -700, 700)))) < 1e-14
    assert np.max(np.abs(ref.sigmoid(-z) + ref.sigmoid(z) - 1)) <= 2 * np.finfo(float).eps  # σ(−z) = 1 − σ(z)
    assert _relative_error(ref.binary_entropy(y), -y * np.log(y) - (1 - y) * np.log(1 - y)) < 1e-14
    assert ref.binary_entropy([0.0, 0.5, 1.0]).tolist() == [0.0, np.log(2), 0.0]


def test_agrees_with_scipy_log_expit():
    z, y = RNG.normal(0, 20, 1000), RNG.uniform(size=1000)
    expected = -np.mean(y * log_expit(z) + (1 - y) * log_expit(-z))
    assert _relative_error(ref.bce_with_logits(z, y), expected) < 1e-13


def test_agrees_with_sklearn_log_loss_for_hard_labels():
    labels = RNG.integers(0, 2, 500).astype(float)
    probabilities = RNG.uniform(0.01, 0.99, 500)
    assert _relative_error(ref.bce(probabilities, labels), log_loss(labels, probabilities)) < 1e-13


def test_loss_and_grad_together_equal_the_separate_functions():
    z, y = RNG.normal(0, 5, 200_003), RNG.uniform(size=200_003)  # several blocks and a ragged end
    loss, grad = ref.bce_with_logits_and_grad(z, y)
    assert _relative_error(loss, ref.bce_with_logits(z, y)) < 1e-12
    # Where σ(z) ≈ y the gradient is a difference of nearly equal numbers: one ulp of σ, over n.
    assert np.allclose(grad, ref.bce_grad_logits(z, y), rtol=1e-12, atol=4 * np.finfo(float).eps / z.size)


def test_broadcasting_like_numpy():
    z = RNG.normal(size=(4, 3))
    loss, grad = ref.bce_with_logits_and_grad(z, 0.25)
    assert grad.shape == (4, 3)
    assert loss == pytest.approx(ref.bce_with_logits(z, np.full((4, 3), 0.25)), rel=1e-14)


# --- properties ----------------------------------------------------------------------------------

finite_logits = hnp.arrays(np.float64, st.integers(1, 40), elements=st.floats(-1e4, 1e4))
probabilities = st.floats(0, 1)


@settings(max_examples=200, deadline=None)
@given(finite_logits, st.data())
def test_property_finite_and_above_the_entropy_floor(z, data):
    y = data.draw(hnp.arrays(np.float64, z.shape, elements=probabilities))
    loss, grad = ref.bce_with_logits_and_grad(z, y)
    assert np.isfinite(loss) and np.all(np.isfinite(grad))
    floor = np.mean(ref.binary_entropy(y))
    assert loss >= floor - 1e-12 * max(1.0, abs(loss))


@settings(max_examples=200, deadline=None)
@given(st.floats(0.001, 0.999))
def test_property_equality_with_the_floor_exactly_at_the_target(target):
    z = np.log(target / (1 - target))
    assert ref.bce_with_logits([z], [target]) == pytest.approx(ref.binary_entropy([target])[0], abs=1e-12)
    assert ref.bce_with_logits([z + 0.5], [target]) > ref.binary_entropy([target])[0] + 1e-6


@settings(max_examples=200, deadline=None)
@given(finite_logits, st.data())
def test_property_symmetry(z, data):
    y = data.draw(hnp.arrays(np.float64, z.shape, elements=probabilities))
    # 1 − y rounds for y < ½, and the loss moves by |z| times that: allow a few ulps of |z|.
    rounding = 8 * np.finfo(float).eps * (1 + np.max(np.abs(z)))
    assert ref.bce_with_logits(z, y) == pytest.approx(ref.bce_with_logits(-z, 1 - y), rel=1e-12, abs=rounding)


@settings(max_examples=200, deadline=None)
@given(st.floats(-30, 30), probabilities)
def test_property_gradient_is_a_finite_difference(z, y):
    step = 1e-5
    numeric = (ref.bce_with_logits([z + step], [y]) - ref.bce_with_logits([z - step], [y])) / (2 * step)
    assert ref.bce_grad_logits([z], [y])[0] == pytest.approx(numeric, abs=1e-8)


# --- neuron gradient and Hessian -----------------------------------------------------------------


def _neuron_data(rows=50, columns=4):
    X = RNG.normal(size=(rows, columns))
    return X, RNG.uniform(size=rows), RNG.normal(size=columns), float(RNG.normal())


def _neuron_cost(X, y, w, b):
    return ref.bce_with_logits(X @ w + b, y)


def test_neuron_grad_matches_finite_differences():
    X, y, w, b = _neuron_data()
    grad_w, grad_b = ref.neuron_grad(X, y, w, b)
    step = 1e-6
    for index in range(w.size):
        bump = np.zeros_like(w)
        bump[index] = step
        numeric = (_neuron_cost(X, y, w + bump, b) - _neuron_cost(X, y, w - bump, b)) / (2 * step)
        assert grad_w[index] == pytest.approx(numeric, abs=1e-8)
    numeric_b = (_neuron_cost(X, y, w, b + step) - _neuron_cost(X, y, w, b - step)) / (2 * step)
    assert grad_b == pytest.approx(numeric_b, abs=1e-8)


def test_neuron_hessian_is_psd_and_matches_finite_differences_of_the_gradient():
    X, y, w, b = _neuron_data()
    hessian = ref.neuron_hessian(X, y, w, b)
    assert np.allclose(hessian, hessian.T)
    assert np.linalg.eigvalsh(hessian).min() >= -1e-14
    step = 1e-6
    params = np.append(w, b)
    for index in range(params.size):
        bump = np.zeros_like(params)
        bump[index] = step
        up = np.append(*ref.neuron_grad(X, y, (params + bump)[:-1], (params + bump)[-1]))
        down = np.append(*ref.neuron_grad(X, y, (params - bump)[:-1], (params - bump)[-1]))
        assert np.allclose(hessian[:, index], (up - down) / (2 * step), atol=1e-8)


# --- PyTorch as an oracle ------------------------------------------------------------------------

ORACLE_TOLERANCE = 1e-12  # relative, float64


@pytest.mark.parametrize("scale", [1.0, 30.0, 1e3])
def test_loss_and_grad_match_pytorch(torch, scale):
    z, y = RNG.normal(0, scale, 10_001), RNG.uniform(size=10_001)
    z = np.concatenate([z, EXTREME_LOGITS])
    y = np.concatenate([y, np.linspace(0, 1, EXTREME_LOGITS.size)])
    logits = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    expected = torch.nn.functional.binary_cross_entropy_with_logits(logits, torch.tensor(y))
    expected.backward()
    loss, grad = ref.bce_with_logits_and_grad(z, y)
    assert _relative_error(loss, expected.item()) <= ORACLE_TOLERANCE
    # The gradient is compared where it is not a difference of two nearly equal numbers
    # (σ(z) ≈ y), where any two float64 implementations may disagree in relative terms.
    reference_grad = logits.grad.numpy()
    assert np.max(np.abs(grad - reference_grad)) <= ORACLE_TOLERANCE * np.max(np.abs(reference_grad))
    well_conditioned = np.abs(expit(z) - y) > 1e-3
    assert _relative_error(grad[well_conditioned], reference_grad[well_conditioned]) <= ORACLE_TOLERANCE


def test_neuron_grad_and_hessian_match_pytorch(torch):
    X, y, w, b = _neuron_data(rows=200, columns=5)
    design, targets = torch.tensor(X), torch.tensor(y)

    def cost(params):
        return torch.nn.functional.binary_cross_entropy_with_logits(design @ params[:-1] + params[-1], targets)

    params = torch.tensor(np.append(w, b), requires_grad=True)
    cost(params).backward()
    grad_w, grad_b = ref.neuron_grad(X, y, w, b)
    assert _relative_error(np.append(grad_w, grad_b), params.grad.numpy()) <= ORACLE_TOLERANCE
    expected_hessian = torch.autograd.functional.hessian(cost, params.detach()).numpy()
    assert _relative_error(ref.neuron_hessian(X, y, w, b), expected_hessian) <= ORACLE_TOLERANCE
