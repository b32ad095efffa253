"""Chains over vectors and matrices whose steps are their TeX and nothing else.

Each step's TeX is parsed (`bce_proofs.matrix_tex`) and evaluated with numpy on random
cases of random shapes; it must agree with a left-hand side computed without it (typically
the complex-step derivative of a parsed `MatrixDefinition`). A step whose shapes do not
conform, or that uses an undeclared symbol, fails, naming the step.

>>> import numpy as np
>>> case = lambda rng: {"X": rng.normal(size=(4, 2)), "v": rng.normal(size=2)}
>>> chain = MatrixChain(r"\\lVert Xv\\rVert^2", lambda c: np.sum((c["X"] @ c["v"]) ** 2),
...                     [Step(r"v^\\top X^\\top X v", "expand")], case)
>>> chain.check()[0].method
'numeric on 20 random cases of one shape, error < 1e-09 relative to max(1, |left-hand side|)'
>>> MatrixChain("Xv", lambda c: c["X"] @ c["v"], [Step(r"X^\\top v", "dropped")], case).check()
Traceback (most recent call last):
...
bce_proofs.chain.StepError: <doctest bce_proofs.matrix_chain[4]>:1: step 1 of Xv, X^\\top v: cannot multiply X^\\top (2×4) by v (2×1) in ...'X^\\top v'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from bce_proofs import matrix_tex, memo
from bce_proofs.chain import MEMO, Displayed, Step, StepCheck, StepError, _caller
from bce_proofs.display import code, display_block, source


@dataclass
class MatrixDefinition:
    """``lhs_tex := rhs_tex`` over arrays: shown to the reader, parsed, and evaluated by the checks."""

    lhs_tex: str
    rhs_tex: str
    names: tuple[str, ...]
    rows: dict[str, str] = field(default_factory=dict)
    note: str = ""
    where: str = field(default="", compare=False)

    def __post_init__(self):
        self.where = self.where or _caller()
        try:
            self.parsed = matrix_tex.parse(self.rhs_tex, self.names, self.rows)
        except matrix_tex.TexError as error:
            raise StepError(f"{self.where}: definition of {self.lhs_tex}: {error}") from None

    def __call__(self, values: dict):
        try:
            return matrix_tex.evaluate(self.parsed, values, self.rows)
        except matrix_tex.TexError as error:
            raise StepError(f"{self.where}: definition of {self.lhs_tex}: {error}") from None

    def markdown(self) -> str:
        details = [
            f"read as {code(matrix_tex.to_text(self.parsed))}; the checks on this page evaluate it",
            f"written at {source(self.where)}",
        ]
        return display_block(
            "definition", [(f"{self.lhs_tex} = {self.rhs_tex}", self.note)], "parsed, and used by the checks", details, self.lhs_tex
        )


@dataclass
class MatrixChain(Displayed):
    """``lhs_tex = step_1 = …`` over arrays; ``lhs_compute(case)`` computes the left-hand side.

    ``make_case(rng)`` draws one random case: a dict from declared TeX names to values. The
    declared names are the case's keys plus ``names``; ``rows`` says which indexed letters are
    rows of which matrix (``{"x": "X"}``: ``x_i`` is row i of X).
    """

    lhs_tex: str
    lhs_compute: Callable[[dict], np.ndarray]
    steps: list[Step]
    make_case: Callable[[np.random.Generator], dict]
    names: tuple[str, ...] = ()
    rows: dict[str, str] = field(default_factory=dict)
    cases: int = 20
    tolerance: float = 1e-9
    lhs_how: str = "without the displayed formulas"

    def lhs_description(self) -> str:
        return self.lhs_how

    def evaluate_step(self, number: int, case: dict):
        """The value of step ``number`` (1-based; negative counts from the end) on ``case``."""
        step = self.steps[number - 1 if number > 0 else number]
        return matrix_tex.evaluate(matrix_tex.parse(step.tex, tuple(sorted(set(case) | set(self.names))), self.rows), case, self.rows)

    def _run_checks(self) -> list[StepCheck]:
        """Every step parsed; each evaluated on the random cases unless the memo holds its pass.

        The memo's key (`bce_proofs.memo`) has the step's TeX and number, the left-hand side's
        TeX, the declared names, rows, number of cases and tolerance, and the source of every module
        under `snippets/`: the cases and the left-hand side are computed by code there.
        """
        declared = tuple(sorted(set(self.make_case(np.random.default_rng(2024))) | set(self.names)))
        parsed_steps = []
        for number, step in enumerate(self.steps, start=1):
            try:
                parsed_steps.append(matrix_tex.parse(step.tex, declared, self.rows))
            except matrix_tex.TexError as error:
                raise self._fail(number, step, str(error)) from None
        keys = [
            memo.key(step.tex, str(number), self.lhs_tex, repr(declared), repr(sorted(self.rows.items())),
                     str(self.cases), repr(self.tolerance), memo.package_digest())
            for number, step in enumerate(self.steps, start=1)
        ]
        shapes = [(MEMO.get(key) or {}).get("shapes") for key in keys]
        if not all(shapes):
            rng = np.random.default_rng(2024)
            cases = [self.make_case(rng) for _ in range(self.cases)]
            expected = [np.asarray(self.lhs_compute(case)) for case in cases]
            # "random shapes" only where the cases have more than one shape.
            varied = len({tuple(sorted((name, _shape(value)) for name, value in case.items())) for case in cases}) > 1
            for number, (step, parsed, key) in enumerate(zip(self.steps, parsed_steps, keys), start=1):
                if shapes[number - 1]:
                    continue
                try:
                    for index, (case, want) in enumerate(zip(cases, expected)):
                        self._compare(number, step, index, np.asarray(matrix_tex.evaluate(parsed, case, self.rows)), want)
                except matrix_tex.TexError as error:
                    raise self._fail(number, step, str(error)) from None
                shapes[number - 1] = "random shapes" if varied else "one shape"
                MEMO.put(key, {"method": "numeric", "shapes": shapes[number - 1]})
        return [
            StepCheck(step, f"numeric on {self.cases} random cases of {kind}, error < {self.tolerance:g} relative to max(1, |left-hand side|)",
                      matrix_tex.to_text(parsed))
            for step, parsed, kind in zip(self.steps, parsed_steps, shapes)
        ]

    def _compare(self, number: int, step: Step, index: int, got: np.ndarray, want: np.ndarray) -> None:
        if got.shape != want.shape:
            raise self._fail(number, step, f"it has shape {got.shape} but the left-hand side has shape {want.shape} (case {index})")
        error = float(np.max(np.abs(got - want), initial=0.0)) / max(1.0, float(np.max(np.abs(want), initial=0.0)))
        if not error < self.tolerance:
            raise self._fail(number, step, f"error {error:.2e} relative to max(1, |left-hand side|) on random case {index} (tolerance {self.tolerance:g})")


def _shape(value):
    """An entry's shape; for a list of arrays (a network's layers), theirs in order."""
    if isinstance(value, (list, tuple)):
        return tuple(_shape(item) for item in value)
    return np.shape(value)
