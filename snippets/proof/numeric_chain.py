"""Chains over arrays whose steps carry their own numpy code (being replaced by `MatrixChain`,
whose steps are their TeX alone)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from snippets.proof.chain import Displayed, Step, StepCheck, _caller


@dataclass(frozen=True)
class NumericStep(Step):
    """A displayed step for vectors and matrices, with the numpy code that computes it."""

    compute: Callable[[dict], np.ndarray] = field(default=lambda case: None, compare=False)

    def __post_init__(self):
        if not self.where:
            object.__setattr__(self, "where", _caller())


@dataclass
class NumericChain(Displayed):
    """A chain over arrays: every step's `compute` must agree with `lhs_compute` on random cases.

    >>> rng_case = lambda rng: {"v": rng.normal(size=3)}
    >>> NumericChain(r"\\lVert v\\rVert^2", lambda c: c["v"] @ c["v"],
    ...     [NumericStep("v^T v", "definition", compute=lambda c: np.sum(c["v"] ** 2))], rng_case).check()[0].method
    'numeric on 20 random cases, relative error < 1e-09'
    """

    lhs_tex: str
    lhs_compute: Callable[[dict], np.ndarray]
    steps: list[NumericStep]
    make_case: Callable[[np.random.Generator], dict]
    cases: int = 20
    tolerance: float = 1e-9

    def _run_checks(self) -> list[StepCheck]:
        rng = np.random.default_rng(2024)
        cases = [self.make_case(rng) for _ in range(self.cases)]
        expected = [np.asarray(self.lhs_compute(case)) for case in cases]
        results = []
        for number, step in enumerate(self.steps, start=1):
            for case, want in zip(cases, expected):
                got = np.asarray(step.compute(case))
                error = np.max(np.abs(got - want)) / max(1.0, np.max(np.abs(want)))
                if got.shape != want.shape or not error < self.tolerance:
                    raise self._fail(number, step, f"shape {got.shape} vs {want.shape}, relative error {error:.2e}")
            results.append(StepCheck(step, f"numeric on {self.cases} random cases, relative error < {self.tolerance:g}"))
        return results
