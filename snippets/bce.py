"""Binary cross-entropy, reference implementation: numerically stable, validated, float64.

Every function takes numpy arrays (or anything ``numpy.asarray`` accepts), broadcasts its
arguments like numpy, and raises ``ValueError`` naming the argument for bad input:
NaN, targets outside [0, 1], shapes that do not fit, empty or non-numeric arrays.

>>> round(float(bce_with_logits([0.0, 2.0], [0.5, 1.0])), 6)
0.410038
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy.special import entr, expit, xlogy

__all__ = [
    "sigmoid",
    "binary_entropy",
    "bce",
    "bce_with_logits",
    "bce_grad_logits",
    "bce_with_logits_and_grad",
    "neuron_grad",
    "neuron_hessian",
]

_CHUNK = 1 << 15  # elements per block: a few blocks of float64 stay in a core's L2 cache
_THREADS = os.cpu_count() or 1


def _numeric(name: str, value, *, finite: bool = False, unit: bool = False) -> np.ndarray:
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be a real numeric array, got dtype {array.dtype}")
    array = array.astype(np.float64, copy=False)
    if array.size == 0:
        raise ValueError(f"{name} is empty")
    if np.isnan(array).any():
        raise ValueError(f"{name} contains NaN")
    if finite and not np.isfinite(array).all():
        raise ValueError(f"{name} contains an infinite value")
    if unit and (array.min() < 0 or array.max() > 1):
        raise ValueError(f"{name} must lie in [0, 1], got values in [{array.min():g}, {array.max():g}]")
    return array


def _broadcast(first: tuple[str, np.ndarray], second: tuple[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    try:
        return np.broadcast_arrays(first[1], second[1])
    except ValueError:
        raise ValueError(
            f"{first[0]} of shape {first[1].shape} and {second[0]} of shape {second[1].shape} do not broadcast"
        ) from None


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


def bce(a, y) -> np.float64:
    """Mean BCE of probabilities a ∈ [0, 1] against targets y ∈ [0, 1].

    −mean[y ln a + (1−y) ln(1−a)], with 0 ln 0 = 0: a prediction of exactly 0 or 1 that
    disagrees with its target gives inf, never NaN.

    >>> float(bce([0.5, 0.5], [0.0, 1.0]))
    0.6931471805599453
    >>> float(bce([0.0], [1.0]))
    inf
    """
    a, y = _broadcast(("a", _numeric("a", a, unit=True)), ("y", _numeric("y", y, unit=True)))
    return -np.mean(xlogy(y, a) + xlogy(1 - y, 1 - a))


def _logit_inputs(z, y) -> tuple[np.ndarray, np.ndarray]:
    return _broadcast(("z", _numeric("z", z, finite=True)), ("y", _numeric("y", y, unit=True)))


def bce_with_logits(z, y) -> np.float64:
    """Mean BCE from logits: mean[max(z, 0) − z y + ln(1 + e^{−|z|})], finite for every finite z.

    >>> float(bce_with_logits([1e4], [0.0]))
    10000.0
    """
    z, y = _logit_inputs(z, y)
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


def bce_grad_logits(z, y) -> np.ndarray:
    """∂/∂z of `bce_with_logits`: (σ(z) − y) / n, n the number of (broadcast) elements.

    >>> bce_grad_logits([0.0, 0.0], [0.0, 1.0])
    array([ 0.25, -0.25])
    """
    z, y = _logit_inputs(z, y)
    return (expit(z) - y) / z.size


def bce_with_logits_and_grad(z, y) -> tuple[np.float64, np.ndarray]:
    """`bce_with_logits` and `bce_grad_logits` at once, sharing e^{−|z|}.

    Works through the arrays in cache-sized blocks, on every core, so that besides the
    gradient it needs only a few blocks of scratch memory.

    >>> loss, grad = bce_with_logits_and_grad([0.0, 0.0], [0.0, 1.0])
    >>> float(loss), grad
    (0.6931471805599453, array([ 0.25, -0.25]))
    """
    z, y = _logit_inputs(z, y)
    shape, count = z.shape, z.size
    z, y = np.ravel(z), np.ravel(y)  # views for contiguous inputs; broadcast inputs are copied
    grad = np.empty(count)
    starts = range(0, count, _CHUNK)
    workers = min(_THREADS, len(starts))
    shares = [starts[index::workers] for index in range(workers)]
    if workers == 1:
        partial_sums = [_loss_and_grad_blocks(z, y, grad, shares[0], count)]
    else:
        with ThreadPoolExecutor(workers) as pool:
            partial_sums = list(pool.map(lambda share: _loss_and_grad_blocks(z, y, grad, share, count), shares))
    return np.float64(sum(partial_sums) / count), grad.reshape(shape)


def _loss_and_grad_blocks(z, y, grad, starts, count) -> float:
    """Sum of the per-element losses over the given blocks; writes their gradient into `grad`."""
    scratch = np.empty((3, _CHUNK))
    nonnegative = np.empty(_CHUNK, dtype=bool)
    total = 0.0
    with np.errstate(under="ignore"):  # e^{−|z|} underflowing to 0 is the right answer
        for start in starts:
            stop = min(start + _CHUNK, count)
            length = stop - start
            e, s, t = scratch[:, :length]
            total += _block(z[start:stop], y[start:stop], grad[start:stop], 1 / count, e, s, t, nonnegative[:length])
    return total


def _block(z, y, grad, scale, e, s, t, nonnegative) -> float:
    np.abs(z, out=e)
    np.negative(e, out=e)
    np.exp(e, out=e)  # e = e^{−|z|} ∈ [0, 1]: never overflows
    # Per element max(z, 0) − z y + ln(1 + e), summed once (np.dot would start BLAS threads).
    np.log1p(e, out=s)
    s += np.maximum(z, 0, out=t)
    s -= np.multiply(z, y, out=t)
    total = s.sum()
    # σ(z) = 1/(1+e) for z ≥ 0 and e/(1+e) for z < 0: both free of overflow and cancellation.
    np.add(e, 1, out=s)
    np.reciprocal(s, out=s)
    np.greater_equal(z, 0, out=nonnegative)
    np.multiply(e, s, out=e)
    np.subtract(np.where(nonnegative, s, e), y, out=grad)
    grad *= scale
    return total


def _neuron_inputs(X, y, w, b):
    X = _numeric("X", X, finite=True)
    y = _numeric("y", y, unit=True)
    w = _numeric("w", w, finite=True)
    b = _numeric("b", b, finite=True)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-d array of shape (m, k), got shape {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},) to match the rows of X {X.shape}, got {y.shape}")
    if w.shape != (X.shape[1],):
        raise ValueError(f"w must have shape ({X.shape[1]},) to match the columns of X {X.shape}, got {w.shape}")
    if b.shape != ():
        raise ValueError(f"b must be a scalar, got shape {b.shape}")
    return X, y, w, float(b)


def neuron_grad(X, y, w, b) -> tuple[np.ndarray, np.float64]:
    """(∂C/∂w, ∂C/∂b) for C = mean BCE of σ(Xw + b) against y.

    ∂C/∂w = Xᵀ(σ(Xw + b) − y) / m and ∂C/∂b = Σ(σ(Xw + b) − y) / m, X of shape (m, k).

    >>> neuron_grad([[1.0, 2.0]], [1.0], [0.0, 0.0], 0.0)
    (array([-0.5, -1. ]), np.float64(-0.5))
    """
    X, y, w, b = _neuron_inputs(X, y, w, b)
    error = (expit(X @ w + b) - y) / X.shape[0]
    return X.T @ error, error.sum()


def neuron_hessian(X, y, w, b) -> np.ndarray:
    """Hessian of C with respect to (w, b), shape (k+1, k+1), b last.

    It is [X 1]ᵀ diag(s(1−s)) [X 1] / m with s = σ(Xw + b): positive semidefinite, and
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
