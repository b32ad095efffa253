"""Softmax cross-entropy with probability targets and label smoothing, like PyTorch's ``cross_entropy``.

Logits z and targets y have shape (n, k): n examples, k classes on the last axis. Each row of
y is a probability distribution. Label smoothing ε replaces y by y' = (1−ε) y + ε/k, and each
example's loss is −Σⱼ y'ⱼ ln softmax(z)ⱼ; its gradient in z is softmax(z) − y'.

>>> float(softmax_cross_entropy([[0.0, 0.0]], [[1.0, 0.0]]))
0.6931471805599453
>>> softmax_cross_entropy_grad([[0.0, 0.0]], [[1.0, 0.0]], label_smoothing=0.5)
array([[-0.25,  0.25]])
"""

from __future__ import annotations

import numpy as np

from snippets.bce_inputs import broadcast_to_loss, numeric, reduce, reduction_name

ROW_SUM_TOLERANCE = 1e-9


def _inputs(z, y, label_smoothing, reduction):
    reduction = reduction_name(reduction)
    z = numeric("z", z, finite=True)
    if z.ndim != 2:
        raise ValueError(f"z must be a 2-d array of shape (n, k), got shape {z.shape}")
    y = numeric("y", y, finite=True, nonnegative=True)
    y = broadcast_to_loss("y", y, z.shape)
    sums = y.sum(axis=1)
    if np.max(np.abs(sums - 1)) > ROW_SUM_TOLERANCE:
        raise ValueError(f"each row of y must sum to 1, got row sums in [{sums.min():.17g}, {sums.max():.17g}]")
    if not isinstance(label_smoothing, (int, float, np.floating, np.integer)) or not 0 <= label_smoothing <= 1:
        raise ValueError(f"label_smoothing must be a number in [0, 1], got {label_smoothing!r}")
    return z, smoothed_targets(y, float(label_smoothing)), reduction


def smoothed_targets(y: np.ndarray, label_smoothing: float) -> np.ndarray:
    """y' = (1−ε) y + ε/k: each row keeps summing to 1.

    >>> smoothed_targets(np.array([[1.0, 0.0, 0.0, 0.0]]), 0.2)
    array([[0.85, 0.05, 0.05, 0.05]])
    """
    if label_smoothing == 0:
        return y
    return (1 - label_smoothing) * y + label_smoothing / y.shape[-1]


_ROWS_PER_BLOCK = 1 << 13


def log_softmax(z: np.ndarray) -> np.ndarray:
    """ln softmax(z) along the last axis, as (z − m) − ln Σ e^{z − m}, m the row's maximum.

    Every e^{z − m} lies in (0, 1], one of them is 1: no overflow, and the sum is at least 1.

    >>> log_softmax(np.array([[1e4, 0.0]]))
    array([[     0., -10000.]])
    """
    shifted = z - z.max(axis=-1, keepdims=True)
    rows = shifted.reshape(-1, shifted.shape[-1])  # a view: every leading axis as rows
    sums = np.empty((rows.shape[0], 1))
    # e^{z − m} in blocks of rows: no second (n, k) array, so the peak stays near one array.
    with np.errstate(under="ignore"):
        for start in range(0, rows.shape[0], _ROWS_PER_BLOCK):
            block = slice(start, start + _ROWS_PER_BLOCK)
            sums[block] = np.exp(rows[block]).sum(axis=-1, keepdims=True)
    rows -= np.log(sums)
    return shifted


def softmax_cross_entropy(z, y, *, label_smoothing=0.0, reduction="mean"):
    """−Σⱼ y'ⱼ ln softmax(z)ⱼ per example; "mean" averages over the n examples, "none" returns all n.

    >>> softmax_cross_entropy([[1e4, -1e4], [0.0, 0.0]], [[0.0, 1.0], [0.5, 0.5]], reduction="none")
    array([2.00000000e+04, 6.93147181e-01])
    """
    z, targets, reduction = _inputs(z, y, label_smoothing, reduction)
    return reduce(-(targets * log_softmax(z)).sum(axis=1), reduction)


def softmax_cross_entropy_grad(z, y, *, label_smoothing=0.0, reduction="mean") -> np.ndarray:
    """∂/∂z of `softmax_cross_entropy` with the same options: softmax(z) − y', over n for "mean".

    For "none" it is each example's gradient in its own logits (the gradient of the sum).

    >>> softmax_cross_entropy_grad([[0.0, 0.0], [0.0, 0.0]], [[1.0, 0.0], [0.0, 1.0]])
    array([[-0.25,  0.25],
           [ 0.25, -0.25]])
    """
    z, targets, reduction = _inputs(z, y, label_smoothing, reduction)
    with np.errstate(under="ignore"):  # a probability underflowing to 0 is the right answer
        grad = np.exp(log_softmax(z)) - targets
        return grad / z.shape[0] if reduction == "mean" else grad


def softmax_cross_entropy_and_grad(z, y, *, label_smoothing=0.0, reduction="mean"):
    """`softmax_cross_entropy` and `softmax_cross_entropy_grad` at once, sharing ln softmax(z).

    >>> loss, grad = softmax_cross_entropy_and_grad([[0.0, 0.0]], [[1.0, 0.0]])
    >>> float(loss), grad
    (0.6931471805599453, array([[-0.5,  0.5]]))
    """
    z, targets, reduction = _inputs(z, y, label_smoothing, reduction)
    logs = log_softmax(z)
    # einsum sums each row's products without an (n, k) temporary: the peak stays near two arrays.
    loss = reduce(-np.einsum("ij,ij->i", targets, logs), reduction)
    with np.errstate(under="ignore"):
        np.exp(logs, out=logs)
        logs -= targets
        if reduction == "mean":
            logs /= z.shape[0]
    return loss, logs
