"""Derivatives computed without any formula: the independent side of every numeric check.

The complex step f'(x) ≈ Im f(x + ih) / h has no subtraction, so with h = 1e-30 it is exact
to machine precision for any f built from analytic operations (exp, log, +, ×, /, matmul).

>>> import numpy as np
>>> float(directional_derivative(lambda v: np.sum(v ** 3), np.array([1.0, 2.0]), np.array([1.0, 0.0])))
3.0
"""

from __future__ import annotations

from typing import Callable

import numpy as np

STEP = 1e-30


def directional_derivative(f: Callable[[np.ndarray], complex], x: np.ndarray, direction: np.ndarray) -> float:
    """d/dt f(x + t·direction) at t = 0."""
    return np.imag(f(x + 1j * STEP * direction)) / STEP


def gradient(f: Callable[[np.ndarray], complex], x: np.ndarray) -> np.ndarray:
    """∇f(x), one complex step per coordinate; f takes and returns (complex) arrays."""
    flat = np.asarray(x, dtype=float).ravel()
    basis = np.eye(flat.size)
    return np.array([directional_derivative(lambda v: f(v.reshape(np.shape(x))), flat, e) for e in basis]).reshape(np.shape(x))


def jacobian(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray) -> np.ndarray:
    """J[i, j] = ∂f_i/∂x_j for a vector function f of a vector x."""
    columns = [np.imag(f(x + 1j * STEP * e)) / STEP for e in np.eye(x.size)]
    return np.stack(columns, axis=1)


def sigmoid(z):
    """σ(z) for real or complex z (the complex step needs the latter)."""
    return 1 / (1 + np.exp(-z))
