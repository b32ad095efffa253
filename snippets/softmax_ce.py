"""Softmax cross-entropy with probability targets and label smoothing, like PyTorch's ``cross_entropy``.

Logits z and targets y have shape (n, K): n examples, K classes on the last axis. Each row of
y is a probability distribution. Label smoothing ε replaces y by y' = (1−ε) y + ε/K, and each
example's loss is −Σⱼ y'ⱼ ln softmax(z)ⱼ; its gradient in z is softmax(z) − y', computed without
cancellation (`softmax_cross_entropy_grad`).

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
        raise ValueError(f"z must be a 2-d array of shape (n, K), got shape {z.shape}")
    y = numeric("y", y, finite=True, nonnegative=True)
    y = broadcast_to_loss("y", y, z.shape)
    sums = y.sum(axis=1)
    if np.max(np.abs(sums - 1)) > ROW_SUM_TOLERANCE:
        raise ValueError(f"each row of y must sum to 1, got row sums in [{sums.min():.17g}, {sums.max():.17g}]")
    if not isinstance(label_smoothing, (int, float, np.floating, np.integer)) or not 0 <= label_smoothing <= 1:
        raise ValueError(f"label_smoothing must be a number in [0, 1], got {label_smoothing!r}")
    return z, y, float(label_smoothing), reduction


def smoothed_targets(y: np.ndarray, label_smoothing: float) -> np.ndarray:
    """y' = (1−ε) y + ε/K: each row keeps summing to 1.

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
    z, y, label_smoothing, reduction = _inputs(z, y, label_smoothing, reduction)
    return reduce(-(smoothed_targets(y, label_smoothing) * log_softmax(z)).sum(axis=1), reduction)


def _gradient_rows(z: np.ndarray, y: np.ndarray, label_smoothing: float) -> np.ndarray:
    """softmax(z) − y' for a block of rows, each element within a few ulps of the sum of the sizes of its terms.

    g = p − y' is also p(1 − y') − y'(1 − p). Where p ≤ ½ it is computed as p − y'; where the row's
    largest logit has p ≥ ½, as (1 − y') − (1 − p), with 1 − p = T/(1 + T), T = Σ over the other
    classes of e^{zᵢ − m}, and 1 − y' = (1 − ε)(1 − y) + ε(K − 1)/K: each term to full relative
    precision, so only the final subtraction rounds (tests/test_softmax_ce.py derives the bound).

    At z = (35, 0), y = (1 − 10⁻¹³, 10⁻¹³) the exact values are 9.9400582842711906e-14 and
    −9.9369488323985304e-14 (the two differ: 1 − y₁ rounds to 9.992e-14, not 10⁻¹³); as written,
    softmax(z)₁ − y₁ would be 9.9365e-14.

    >>> _gradient_rows(np.array([[35.0, 0.0]]), np.array([[1 - 1e-13, 1e-13]]), 0.0).tolist()
    [[9.94005828427119e-14, -9.93694883239853e-14]]
    """
    rows = np.arange(z.shape[0])
    top = z.argmax(axis=1)
    largest = z[rows, top][:, None]
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        shifted = z - largest
        # TwoSum: shifted + remainder = z − m exactly. e^{z − m} rounded through a rounded z − m errs
        # by up to |z − m| ulps; the remainder's first-order term brings it back to an ulp or two.
        back = shifted - z
        remainder = (z - (shifted - back)) + (-largest - back)
        remainder[~np.isfinite(remainder)] = 0.0  # only where z − m overflows, and e^{z − m} is 0
        terms = np.exp(shifted)
        terms += terms * remainder
    terms[rows, top] = 0.0
    others = terms.sum(axis=1)
    total = 1 + others
    terms[rows, top] = 1.0
    terms /= total[:, None]
    grad = terms
    grad -= smoothed_targets(y, label_smoothing)
    dominant = others <= 1  # p ≥ ½ for the row's largest logit
    at, classes = (rows[dominant], top[dominant]), z.shape[1]
    target_complement = (1 - label_smoothing) * (1 - y[at]) + label_smoothing * (classes - 1) / classes
    grad[at] = target_complement - others[dominant] / total[dominant]
    return grad


def _row_blocks(rows: int):
    for start in range(0, rows, _ROWS_PER_BLOCK):
        yield slice(start, start + _ROWS_PER_BLOCK)


def softmax_cross_entropy_grad(z, y, *, label_smoothing=0.0, reduction="mean") -> np.ndarray:
    """∂/∂z of `softmax_cross_entropy` with the same options: softmax(z) − y', over n for "mean".

    For "none" it is each example's gradient in its own logits (the gradient of the sum). Each
    element is exact to (K + 10)ε times p(1 − y') + y'(1 − p), also where p and y' agree to many digits.

    >>> softmax_cross_entropy_grad([[0.0, 0.0], [0.0, 0.0]], [[1.0, 0.0], [0.0, 1.0]])
    array([[-0.25,  0.25],
           [ 0.25, -0.25]])
    """
    z, y, label_smoothing, reduction = _inputs(z, y, label_smoothing, reduction)
    grad = np.empty(z.shape)
    # A block of rows at a time: the temporaries stay a block's size, the peak near the result alone.
    for block in _row_blocks(z.shape[0]):
        grad[block] = _gradient_rows(z[block], y[block], label_smoothing)
    if reduction == "mean":
        grad /= z.shape[0]
    return grad


def softmax_cross_entropy_and_grad(z, y, *, label_smoothing=0.0, reduction="mean"):
    """`softmax_cross_entropy` and `softmax_cross_entropy_grad` at once, in one pass over blocks of rows.

    >>> loss, grad = softmax_cross_entropy_and_grad([[0.0, 0.0]], [[1.0, 0.0]])
    >>> float(loss), grad
    (0.6931471805599453, array([[-0.5,  0.5]]))
    """
    z, y, label_smoothing, reduction = _inputs(z, y, label_smoothing, reduction)
    losses, grad = np.empty(z.shape[0]), np.empty(z.shape)
    for block in _row_blocks(z.shape[0]):
        targets = smoothed_targets(y[block], label_smoothing)
        losses[block] = -np.einsum("ij,ij->i", targets, log_softmax(z[block]))
        grad[block] = _gradient_rows(z[block], y[block], label_smoothing)
    if reduction == "mean":
        grad /= z.shape[0]
    return reduce(losses, reduction), grad
