"""Derivations kept as data: a chain of displayed steps, each one checked.

A `Chain` starts from a quantity computed in code (for example ``sympy.diff(cost, a)``)
and lists the forms the page shows for it, as LaTeX. Every form is parsed back into
sympy and compared with the computed quantity, so the text a reader sees is exactly
the text that was checked.

>>> import sympy as sp
>>> a = sp.Symbol("a", positive=True)
>>> chain = Chain(r"\\frac{d}{da} a^{2}", sp.diff(a**2, a), [Step("2a", "power rule")])
>>> [result.method for result in chain.check()]
['symbolic']
>>> Chain("a^{2}", a**2, [Step("3a", "wrong")]).check()
Traceback (most recent call last):
...
snippets.proof.StepError: step 1 (3a) does not equal a^{2}: differs by a*(3 - a)
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.parsing.latex import parse_latex

# Spacing and sizing commands change how a formula looks, never what it means.
_COSMETIC = re.compile(r"\\left|\\right|\\[,;!:]|\\quad|\\qquad|\\displaystyle")
_HAT = re.compile(r"\\hat\{(\w)\}")  # \hat{y} is one symbol, named y_{h}, not hat times y
def sigmoid(t):
    """σ(t) = 1/(1 + e^{−t}), the logistic function, as sympy reads \\sigma in a formula."""
    return 1 / (1 + sp.exp(-t))


_KNOWN_FUNCTIONS = {
    "max": sp.Max,
    "min": sp.Min,
    "sigma": sigmoid,
    "H": lambda y: -y * sp.log(y) - (1 - y) * sp.log(1 - y),
}


class StepError(AssertionError):
    """A displayed step that does not equal what it claims to equal."""


def parse_tex(tex: str, symbols: dict[str, sp.Symbol] | None = None) -> sp.Expr:
    """Read a displayed formula back into sympy.

    ``\\sigma(z)`` is the logistic function, ``e`` is Euler's number, and a letter
    followed by parentheses, ``a(1-a)``, is a product, as a reader means it.

    >>> parse_tex(r"\\frac{a-y}{a(1-a)}")
    (a - y)/(a*(1 - a))
    >>> parse_tex(r"\\sigma(z)")
    1/(1 + exp(-z))
    """
    expr = _parse_latex_cached(_HAT.sub(r"\1_{h}", _COSMETIC.sub(" ", tex)))
    expr = expr.replace(
        lambda node: isinstance(node, AppliedUndef),
        lambda node: _applied(node.func.__name__, node.args),
    )
    expr = expr.subs(sp.Symbol("e"), sp.E)
    # The parser keeps ln x as the unevaluated log(x, e); make it the ordinary log.
    expr = expr.replace(
        lambda node: isinstance(node, sp.log) and len(node.args) == 2,
        lambda node: sp.log(node.args[0]) / sp.log(node.args[1]),
    )
    if symbols:
        expr = expr.subs({sp.Symbol(name): symbol for name, symbol in symbols.items()})
    return expr


_PARSED = Path(__file__).resolve().parent.parent / ".cache" / "parsed-tex"


def _parse_latex_cached(tex: str) -> sp.Expr:
    """sympy's LaTeX parser takes ~0.1 s a formula; its answer depends only on the text and sympy."""
    key = hashlib.sha256(f"{sp.__version__}\n{tex}".encode()).hexdigest()
    cached = _PARSED / f"{key}.txt"
    if cached.is_file():
        return sp.sympify(cached.read_text(encoding="utf-8"))
    expr = parse_latex(tex)
    try:
        _PARSED.mkdir(parents=True, exist_ok=True)
        cached.write_text(sp.srepr(expr), encoding="utf-8")
    except OSError:
        pass  # a read-only checkout parses every time
    return expr


def _applied(name: str, args: tuple[sp.Expr, ...]) -> sp.Expr:
    if name in _KNOWN_FUNCTIONS:
        return _KNOWN_FUNCTIONS[name](*args)
    return sp.Mul(sp.Symbol(name), *args)


@dataclass(frozen=True)
class Step:
    """One displayed form of the quantity, and why it follows from the previous one."""

    tex: str
    reason: str


@dataclass(frozen=True)
class StepCheck:
    step: Step
    method: str  # how the step was shown equal to the left-hand side


class _Displayed:
    """What every chain shares: an aligned display, and a report of how each step was checked."""

    lhs_tex: str
    steps: list

    def check(self) -> list[StepCheck]:
        """Check every step (once: a chain that passed is not checked again)."""
        if getattr(self, "_passed", None) is None:
            self._passed = self._run_checks()
        return self._passed

    def _run_checks(self) -> list[StepCheck]:
        raise NotImplementedError

    def latex(self) -> str:
        """The chain as one aligned display, reasons on the right."""
        lines = [f"{self.lhs_tex} &= {self.steps[0].tex} && \\text{{{self.steps[0].reason}}}"]
        lines += [f"&= {step.tex} && \\text{{{step.reason}}}" for step in self.steps[1:]]
        return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"

    def statement(self, *step_numbers: int) -> str:
        """The result as one displayed line, ``lhs = step = step``, from the checked steps (1-based).

        Raises `StepError` if the chain does not check, like `markdown`.
        """
        self.check()
        chosen = [self.steps[number - 1].tex for number in (step_numbers or (len(self.steps),))]
        return "$$\n" + " = ".join([self.lhs_tex, *chosen]) + "\n$$"

    def markdown(self) -> str:
        """Check the chain, then show it and how each step was checked.

        Raises `StepError` instead when a step is wrong, which fails the build.
        """
        checks = self.check()
        report = "\n".join(
            f"{number}. step {number} `{check.step.tex}` equals `{self.lhs_tex}`: {check.method} check passed"
            for number, check in enumerate(checks, start=1)
        )
        return f"$$\n{self.latex()}\n$$\n\n??? success \"Checked: {len(checks)} of {len(checks)} steps\"\n\n" + _indent(report) + "\n"


@dataclass
class Chain(_Displayed):
    """``lhs_tex = step_1 = step_2 = …``, where ``lhs_value`` is computed in code.

    ``domain`` gives, for each free symbol, the interval random test points are drawn
    from when sympy cannot simplify a difference to zero on its own. ``definitions``
    replaces a symbol the page writes (say z) by what it stands for (say w_j x_j + r).
    """

    lhs_tex: str
    lhs_value: sp.Expr
    steps: list[Step]
    domain: dict[sp.Symbol, tuple[float, float]] = field(default_factory=dict)
    definitions: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)
    samples: int = 40

    def _run_checks(self) -> list[StepCheck]:
        symbols = {symbol.name: symbol for symbol in self.lhs_value.free_symbols}
        symbols.update({symbol.name: symbol for symbol in (*self.domain, *self.definitions)})
        results = []
        for number, step in enumerate(self.steps, start=1):
            value = parse_tex(step.tex, symbols).subs(self.definitions)
            results.append(StepCheck(step, self._compare(number, step, value)))
        return results

    def _compare(self, number: int, step: Step, value: sp.Expr) -> str:
        difference = sp.simplify(value - self.lhs_value)
        if difference == 0:
            return "symbolic"
        rng = random.Random(number)
        free = sorted(difference.free_symbols, key=lambda symbol: symbol.name)
        missing = [symbol.name for symbol in free if symbol not in self.domain]
        if missing:
            raise StepError(
                f"step {number} ({step.tex}) does not equal {self.lhs_tex}: "
                f"differs by {difference}"
                + (f" (no domain for {', '.join(missing)})" if len(missing) < len(free) else "")
            )
        for _ in range(self.samples):
            point = {symbol: rng.uniform(*self.domain[symbol]) for symbol in free}
            left = complex(value.evalf(30, subs=point))
            right = complex(self.lhs_value.evalf(30, subs=point))
            if abs(left - right) > 1e-10 * max(1.0, abs(right)):
                raise StepError(
                    f"step {number} ({step.tex}) does not equal {self.lhs_tex} at {point}: "
                    f"{left} != {right}"
                )
        return f"numeric ({self.samples} points)"


@dataclass(frozen=True)
class NumericStep(Step):
    """A displayed step for vectors and matrices, with the numpy code that computes it."""

    compute: Callable[[dict], np.ndarray] = field(default=lambda case: None, compare=False)


@dataclass
class NumericChain(_Displayed):
    """A chain over arrays: every step's `compute` must agree with `lhs_compute` on random cases.

    ``make_case(rng)`` draws one random case (a dict of arrays); ``lhs_compute`` computes the
    left-hand side independently, typically by finite or complex-step differences.

    >>> rng_case = lambda rng: {"v": rng.normal(size=3)}
    >>> NumericChain(r"\\lVert v\\rVert^2", lambda c: c["v"] @ c["v"],
    ...     [NumericStep("v^T v", "definition", lambda c: np.sum(c["v"] ** 2))], rng_case).check()[0].method
    'numeric (20 random cases, relative error < 1e-09)'
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
                    raise StepError(
                        f"step {number} ({step.tex}) does not equal {self.lhs_tex}: "
                        f"shape {got.shape} vs {want.shape}, relative error {error:.2e}"
                    )
            results.append(StepCheck(step, f"numeric ({self.cases} random cases, relative error < {self.tolerance:g})"))
        return results


def _indent(text: str) -> str:
    return "\n".join("    " + line if line else line for line in text.splitlines())
