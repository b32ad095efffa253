"""Binary cross-entropy, reference implementation: numerically stable, validated, float64.

Every function takes numpy arrays (or anything ``numpy.asarray`` accepts), broadcasts its
arguments like numpy, and raises ``ValueError`` naming the argument for bad input:
NaN, targets outside [0, 1], negative weights, shapes that do not fit, an unknown
reduction, empty or non-numeric arrays. The options have the semantics of PyTorch's
``binary_cross_entropy_with_logits``: ``weight`` multiplies each element's loss,
``pos_weight`` multiplies the term of the positive class (it broadcasts against the last
axis, the classes), and ``reduction`` is "mean", "sum" or "none" (the array of losses).

>>> round(float(bce_with_logits([0.0, 2.0], [0.5, 1.0])), 6)
0.410038
>>> bce_with_logits([0.0, 0.0], [1.0, 0.0], pos_weight=3.0, reduction="none")
array([2.07944154, 0.69314718])
"""

from __future__ import annotations

import itertools
import math
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy.special import entr, expit, xlogy

from snippets.bce_inputs import broadcast_pair, broadcast_to_loss, numeric, reduce, reduction_name, sum_to_shape

# The claims this one builds on (the map on docs/checks.md).
BUILDS_ON = ("logits", "matrix_form")

__all__ = [
    "sigmoid",
    "binary_entropy",
    "bce",
    "bce_with_logits",
    "bce_grad_logits",
    "bce_with_logits_and_grad",
    "neuron_grad",
    "neuron_hessian",
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
    "softmax_cross_entropy_and_grad",
]

_CHUNK = 1 << 15  # elements per block: a few blocks of float64 stay in a core's L2 cache
_THREADS = os.cpu_count() or 1
_numeric = numeric


def sigmoid(z) -> np.ndarray:
    """σ(z) = 1 / (1 + e^{−z}), with no overflow warning for any z.

    >>> sigmoid([-1000.0, 0.0, 1000.0])
    array([0. , 0.5, 1. ])
    """
    return expit(_numeric("z", z))


def binary_entropy(y) -> np.ndarray:
    """H(y) = −y ln y − (1−y) ln(1−y), elementwise, with H(0) = H(1) = 0.

    >>> binary_entropy([0.0, 0.5, 1.0])
    array([0.        , 0.69314718, 0.        ])
    """
    y = _numeric("y", y, unit=True)
    return entr(y) + entr(1 - y)


def bce(a, y, *, weight=None, reduction="mean"):
    """BCE of probabilities a ∈ [0, 1] against targets y ∈ [0, 1], like PyTorch's ``binary_cross_entropy``.

    Each element's loss is −w[y ln a + (1−y) ln(1−a)], with 0 ln 0 = 0: a prediction of exactly
    0 or 1 that disagrees with its target gives inf, never NaN (PyTorch clamps the logarithm at
    −100 instead), and an element of weight 0 contributes 0, even then.

    >>> float(bce([0.5, 0.5], [0.0, 1.0]))
    0.6931471805599453
    >>> float(bce([0.0], [1.0]))
    inf
    >>> bce([0.5, 0.0], [1.0, 1.0], weight=[2.0, 0.0], reduction="none")
    array([1.38629436, 0.        ])
    """
    reduction = reduction_name(reduction)
    a, y = broadcast_pair(("a", _numeric("a", a, unit=True)), ("y", _numeric("y", y, unit=True)))
    losses = -(xlogy(y, a) + xlogy(1 - y, 1 - a))
    if weight is not None:
        weight = broadcast_to_loss("weight", _numeric("weight", weight, finite=True, nonnegative=True), losses.shape)
        with np.errstate(invalid="ignore"):  # 0 · inf, replaced by 0 on the next line
            losses = np.where(weight == 0, 0.0, weight * losses)
    return reduce(losses, reduction)


def _logit_inputs(z, y, weight=None, pos_weight=None, reduction="mean"):
    """z and y broadcast together; weight and pos_weight (None or arrays) broadcast to their shape."""
    reduction = reduction_name(reduction)
    z_array = _numeric("z", z, finite=True)
    z, y = broadcast_pair(("z", z_array), ("y", _numeric("y", y, unit=True)))
    if weight is not None:
        weight = broadcast_to_loss("weight", _numeric("weight", weight, finite=True, nonnegative=True), z.shape)
    if pos_weight is not None:
        pos_weight = broadcast_to_loss("pos_weight", _numeric("pos_weight", pos_weight, finite=True, positive=True), z.shape)
    return z, y, weight, pos_weight, reduction, z_array.shape


def _softplus(z: np.ndarray) -> np.ndarray:
    """ln(1 + e^z) = max(z, 0) + ln(1 + e^{−|z|}): never overflows, never cancels."""
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


def bce_with_logits(z, y, *, weight=None, pos_weight=None, reduction="mean"):
    """BCE from logits, like PyTorch's ``binary_cross_entropy_with_logits``, finite for every finite z.

    Each element's loss, with a = σ(z), p the pos_weight and ω the weight, is
    −ω[p y ln a + (1−y) ln(1−a)] = ω[(1−y) ln(1+e^{z}) + p y ln(1+e^{−z})]: two non-negative
    terms, so nothing cancels.

    >>> float(bce_with_logits([1e4], [0.0]))
    10000.0
    >>> float(bce_with_logits([1e4, -1e4], [0.0, 1.0], weight=[1.0, 3.0], pos_weight=2.0, reduction="sum"))
    70000.0
    """
    z, y, weight, pos_weight, reduction, _ = _logit_inputs(z, y, weight, pos_weight, reduction)
    with np.errstate(under="ignore"):  # e^{−|z|} (or a tiny weight times a loss) underflowing to 0 is right
        positive_term = y * _softplus(-z) if pos_weight is None else pos_weight * y * _softplus(-z)
        losses = (1 - y) * _softplus(z) + positive_term
        return reduce(losses if weight is None else weight * losses, reduction)


def bce_grad_logits(z, y, *, weight=None, pos_weight=None, reduction="mean") -> np.ndarray:
    """∂/∂z of `bce_with_logits` with the same options, shaped like z.

    Per element ω[(1−y)σ(z) − p y σ(−z)], which is σ(z) − y without weights; divided by the
    number of elements n for "mean". For "none" it is each element's derivative (the gradient of
    their sum). Where z was broadcast, the gradient is summed over the broadcast axes. It is the
    gradient `bce_with_logits_and_grad` returns (one implementation, so one error bound: see there).

    >>> bce_grad_logits([0.0, 0.0], [0.0, 1.0])
    array([ 0.25, -0.25])
    >>> bce_grad_logits([0.0], [1.0], pos_weight=3.0, reduction="sum")
    array([-1.5])
    """
    return bce_with_logits_and_grad(z, y, weight=weight, pos_weight=pos_weight, reduction=reduction)[1]


def bce_with_logits_and_grad(z, y, *, weight=None, pos_weight=None, reduction="mean"):
    """`bce_with_logits` and `bce_grad_logits` at once, sharing e^{−|z|}.

    Works through the arrays in cache-sized blocks, on every core, so that besides the
    gradient (and, for "none", the losses) it needs only a few blocks of scratch memory.

    The gradient never subtracts two numbers that float64 has rounded to their leading digits:
    without options it is (1−y) − σ(−z) for z ≥ 0 and σ(z) − y for z < 0, with options
    ω[(1−y)σ(z) − p y σ(−z)]; σ(−|z|) comes from e^{−|z|} and 1 − y is exact for y ≥ ½, so every
    operand is within a few roundings of itself. Each element is within 8ε·M of its exact value g
    (ε = 2⁻⁵²; a few subnormals more below 2.2e-308), M = ω s[(1−y)σ(z) + p y σ(−z)] (s = 1/n for
    "mean"): relative to g that is 8ε·M/|g|, and M/|g| is about 1 unless σ(z) and y nearly agree
    (tests/test_bce_gradient.py derives the bound and holds every path to it). Written as
    σ(z) − y, the rounding of σ(z) near 1 (up to 1.1e-16) swamps a difference of 1e-13:

    >>> z, y = 35.0, 1 - 1e-13
    >>> float(bce_with_logits_and_grad([z], [y], reduction="sum")[1][0]), float(sigmoid(z) - y)
    (9.94005828427119e-14, 9.936496070395151e-14)

    >>> loss, grad = bce_with_logits_and_grad([0.0, 0.0], [0.0, 1.0])
    >>> float(loss), grad
    (0.6931471805599453, array([ 0.25, -0.25]))
    >>> bce_with_logits_and_grad([[0.0, 0.0]], [[1.0, 1.0]], pos_weight=[1.0, 3.0], reduction="none")[1]
    array([[-0.5, -1.5]])
    """
    z, y, weight, pos_weight, reduction, z_shape = _logit_inputs(z, y, weight, pos_weight, reduction)
    count = z.size
    grad = np.empty(z.shape)
    losses = np.empty(z.shape) if reduction == "none" else None
    scale = 1 / count if reduction == "mean" else 1.0
    blocks = _blocks(z.shape)
    workers = min(_THREADS, len(blocks))
    shares = [blocks[index::workers] for index in range(workers)]

    def run(share):
        return _loss_and_grad_blocks(z, y, weight, pos_weight, grad, losses, share, scale)

    if workers == 1:
        partial_sums = [run(shares[0])]
    else:
        with ThreadPoolExecutor(workers) as pool:
            partial_sums = list(pool.map(run, shares))
    if reduction == "none":
        loss = losses
    else:
        loss = np.float64(math.fsum(partial_sums) * scale)
    return loss, sum_to_shape(grad, z_shape)


def _blocks(shape: tuple[int, ...]) -> list[tuple]:
    """Index tuples cutting an array of this shape into blocks of at most about _CHUNK elements.

    The blocks cut along the first axis whose trailing axes hold at most _CHUNK elements, so each
    is a view of any (broadcast) array of that shape: nothing is copied to make it contiguous.

    >>> _blocks((3,))
    [(slice(0, 3, None),)]
    >>> len(_blocks((2, 3 * _CHUNK))), len(_blocks((_CHUNK, 2)))
    (6, 2)
    """
    if not shape:
        return [()]
    axis = next(index for index in range(len(shape)) if math.prod(shape[index + 1 :]) <= _CHUNK)
    step = max(1, _CHUNK // max(1, math.prod(shape[axis + 1 :])))
    ranges = [slice(start, min(start + step, shape[axis])) for start in range(0, shape[axis], step)]
    return [(*outer, cut) for outer in itertools.product(*map(range, shape[:axis])) for cut in ranges]


def _loss_and_grad_blocks(z, y, weight, pos_weight, grad, losses, blocks, scale) -> float:
    """Sum of the per-element losses over the given blocks; writes their gradient into `grad`."""
    scratch = np.empty((5, _CHUNK))
    nonnegative = np.empty(_CHUNK, dtype=bool)
    total = 0.0
    with np.errstate(under="ignore"):  # e^{−|z|} underflowing to 0 is the right answer
        for index in blocks:
            block_z = z[index]
            shape, length = block_z.shape, block_z.size
            e, s, t, u, v = (row[:length].reshape(shape) for row in scratch)
            mask = nonnegative[:length].reshape(shape)
            out = losses[index] if losses is not None else s
            if weight is None and pos_weight is None:
                total += _block(block_z, y[index], grad[index], scale, e, s, t, u, mask, out)
            else:
                block_weight = None if weight is None else weight[index]
                block_pos_weight = None if pos_weight is None else pos_weight[index]
                total += _weighted_block(
                    block_z, y[index], block_weight, block_pos_weight, grad[index], scale, e, s, t, u, v, mask, out
                )
    return total


def _block(z, y, grad, scale, e, s, t, u, nonnegative, out) -> float:
    np.abs(z, out=e)
    np.negative(e, out=e)
    np.exp(e, out=e)  # e = e^{−|z|} ∈ [0, 1]: never overflows
    # Per element (1−y)·max(z, 0) + y·max(−z, 0) + ln(1 + e): three nonnegative terms, so nothing
    # cancels (max(z, 0) − z y does, for y near 1 at large z). 1 − y is exact for y in [½, 1].
    np.log1p(e, out=out)  # out may be s's memory: u and t are the scratch here
    np.subtract(1, y, out=u)
    np.maximum(z, 0, out=t)
    t *= u
    out += t
    np.negative(z, out=t)
    np.maximum(t, 0, out=t)
    t *= y
    out += t
    total = out.sum()
    # σ(z) − y is (1−y) − σ(−z) for z ≥ 0 and σ(z) − y for z < 0: each side subtracts σ(−|z|) =
    # e/(1+e), correct to its last digits however small, from a target term that is exact. As
    # written, σ(z) near 1 is rounded to 1.1e-16, all of σ(z) − y where y is within 1e-13 of 1.
    np.add(e, 1, out=s)
    np.divide(e, s, out=e)
    np.greater_equal(z, 0, out=nonnegative)
    np.subtract(e, y, out=grad)
    np.subtract(u, e, out=grad, where=nonnegative)
    grad *= scale
    return total


def _weighted_block(z, y, weight, pos_weight, grad, scale, e, s, t, u, v, nonnegative, out) -> float:
    np.abs(z, out=e)
    np.negative(e, out=e)
    np.exp(e, out=e)  # e = e^{−|z|}
    np.log1p(e, out=s)
    # (1−y)·softplus(z) + p y·softplus(−z), softplus(±z) = max(±z, 0) + ln(1 + e)
    np.subtract(1, y, out=u)
    np.maximum(z, 0, out=t)
    t += s
    t *= u
    np.negative(z, out=v)
    np.maximum(v, 0, out=v)
    s += v
    np.multiply(y, 1 if pos_weight is None else pos_weight, out=v)
    np.multiply(s, v, out=out)
    out += t
    if weight is not None:
        out *= weight
    total = out.sum()
    # (1−y)σ(z) − p y σ(−z), with σ(z), σ(−z) each 1/(1+e) or e/(1+e) by the sign of z.
    np.add(e, 1, out=s)
    np.reciprocal(s, out=s)
    np.multiply(e, s, out=e)
    np.greater_equal(z, 0, out=nonnegative)
    np.copyto(t, e)
    np.copyto(t, s, where=nonnegative)  # t = σ(z)
    np.copyto(s, e, where=nonnegative)  # s = σ(−z)
    np.multiply(u, t, out=grad)
    grad -= np.multiply(v, s, out=t)
    if weight is not None:
        grad *= weight
    grad *= scale
    return total


def _neuron_inputs(X, y, w, b):
    X = _numeric("X", X, finite=True)
    y = _numeric("y", y, unit=True)
    w = _numeric("w", w, finite=True)
    b = _numeric("b", b, finite=True)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-d array of shape (n, k), got shape {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},) to match the rows of X {X.shape}, got {y.shape}")
    if w.shape != (X.shape[1],):
        raise ValueError(f"w must have shape ({X.shape[1]},) to match the columns of X {X.shape}, got {w.shape}")
    if b.shape != ():
        raise ValueError(f"b must be a scalar, got shape {b.shape}")
    return X, y, w, float(b)


def neuron_grad(X, y, w, b) -> tuple[np.ndarray, np.float64]:
    """(∂C/∂w, ∂C/∂b) for C = mean BCE of σ(Xw + b) against y.

    ∂C/∂w = Xᵀ(σ(Xw + b) − y) / n and ∂C/∂b = Σ(σ(Xw + b) − y) / n, X of shape (n, k).

    >>> neuron_grad([[1.0, 2.0]], [1.0], [0.0, 0.0], 0.0)
    (array([-0.5, -1. ]), np.float64(-0.5))
    """
    X, y, w, b = _neuron_inputs(X, y, w, b)
    error = _sigmoid_minus(X @ w + b, y) / X.shape[0]
    return X.T @ error, error.sum()


def _sigmoid_minus(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """σ(z) − y as the fused gradient computes it: (1−y) − σ(−z) for z ≥ 0, σ(z) − y for z < 0.

    >>> float(_sigmoid_minus(np.float64(37.0), 1.0)), float(sigmoid(37.0) - 1.0)
    (-8.533047625744066e-17, 0.0)
    """
    with np.errstate(under="ignore"):  # e^{−|z|} underflowing to 0 is right
        e = np.exp(-np.abs(z))
        tail = e / (1 + e)  # σ(−|z|)
    return np.where(z >= 0, (1 - y) - tail, tail - y)


def neuron_hessian(X, y, w, b) -> np.ndarray:
    """Hessian of C with respect to (w, b), shape (k+1, k+1), b last.

    It is [X 1]ᵀ diag(s(1−s)) [X 1] / n with s = σ(Xw + b): positive semidefinite, and
    independent of y.

    >>> neuron_hessian([[1.0], [2.0]], [0.0, 1.0], [0.0], 0.0)
    array([[0.625, 0.375],
           [0.375, 0.25 ]])
    """
    X, y, w, b = _neuron_inputs(X, y, w, b)
    s = expit(X @ w + b)
    weights = s * (1 - s) / X.shape[0]
    design = np.hstack([X, np.ones((X.shape[0], 1))])
    return design.T @ (design * weights[:, None])


from snippets.softmax_ce import (  # noqa: E402  (re-exported)
    softmax_cross_entropy,
    softmax_cross_entropy_and_grad,
    softmax_cross_entropy_grad,
)
