"""Input checks shared by the reference losses: every bad argument raises ValueError naming it.

>>> numeric("weight", [1.0, -2.0], nonnegative=True)
Traceback (most recent call last):
...
ValueError: weight must be non-negative, got a minimum of -2
>>> reduction_name("average")
Traceback (most recent call last):
...
ValueError: reduction must be 'mean', 'sum' or 'none', got 'average'
"""

from __future__ import annotations

import numpy as np

REDUCTIONS = ("mean", "sum", "none")


def numeric(
    name: str,
    value,
    *,
    finite: bool = False,
    unit: bool = False,
    nonnegative: bool = False,
    positive: bool = False,
) -> np.ndarray:
    """``value`` as a float64 array, or ValueError naming ``name`` and what is wrong with it.

    >>> numeric("pos_weight", 0.0, positive=True)
    Traceback (most recent call last):
    ...
    ValueError: pos_weight must be positive, got a minimum of 0
    """
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
    if nonnegative and array.min() < 0:
        raise ValueError(f"{name} must be non-negative, got a minimum of {array.min():g}")
    if positive and array.min() <= 0:
        raise ValueError(f"{name} must be positive, got a minimum of {array.min():g}")
    return array


def broadcast_pair(first: tuple[str, np.ndarray], second: tuple[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Both arrays broadcast against each other, or ValueError naming both.

    >>> broadcast_pair(("z", np.zeros(3)), ("y", np.zeros(2)))
    Traceback (most recent call last):
    ...
    ValueError: z of shape (3,) and y of shape (2,) do not broadcast
    """
    try:
        return np.broadcast_arrays(first[1], second[1])
    except ValueError:
        raise ValueError(
            f"{first[0]} of shape {first[1].shape} and {second[0]} of shape {second[1].shape} do not broadcast"
        ) from None


def broadcast_to_loss(name: str, array: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """A weight broadcast to the loss's shape; like PyTorch, it may not enlarge the loss.

    >>> broadcast_to_loss("weight", np.ones((2, 1)), (3,))
    Traceback (most recent call last):
    ...
    ValueError: weight of shape (2, 1) does not broadcast to the loss, of shape (3,)
    """
    try:
        return np.broadcast_to(array, shape)
    except ValueError:
        raise ValueError(f"{name} of shape {array.shape} does not broadcast to the loss, of shape {shape}") from None


def reduction_name(reduction) -> str:
    """The reduction, checked: "mean", "sum" or "none"."""
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
    return reduction


def reduce(losses: np.ndarray, reduction: str):
    """Mean or sum of the elementwise losses as a float64 scalar, or the array itself for "none".

    >>> float(reduce(np.array([1.0, 2.0]), "mean")), reduce(np.array([1.0, 2.0]), "none")
    (1.5, array([1., 2.]))
    """
    if reduction == "none":
        return losses
    return np.float64(losses.mean() if reduction == "mean" else losses.sum())


def sum_to_shape(array: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum a gradient over the axes its argument was broadcast along, back to the argument's shape.

    >>> sum_to_shape(np.ones((2, 3)), (3,))
    array([2., 2., 2.])
    >>> sum_to_shape(np.ones((2, 3)), (2, 1))
    array([[3.],
           [3.]])
    """
    if array.shape == shape:
        return array
    leading = array.ndim - len(shape)
    array = array.sum(axis=tuple(range(leading))) if leading else array
    stretched = tuple(axis for axis, size in enumerate(shape) if size == 1 and array.shape[axis] != 1)
    return array.sum(axis=stretched, keepdims=True) if stretched else array
