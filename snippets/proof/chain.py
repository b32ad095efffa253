"""Derivations kept as data: a chain of displayed steps, each one checked.

A `Chain` starts from a quantity computed in code (for example ``sympy.diff(cost, a)``) and
lists the forms the page shows for it, as TeX. Every form is parsed back into sympy and
compared with the computed quantity, so the text a reader sees is exactly the text that was
checked. A `Definition` is parsed too, and its value is where checks start from.

>>> import sympy as sp
>>> a = sp.Symbol("a", positive=True)
>>> chain = Chain(r"\\frac{d}{da} a^{2}", sp.diff(a**2, a), [Step("2a", "power rule")])
>>> [result.method for result in chain.check()]
['symbolic']
>>> chain.status
'proved'
>>> Chain("a^{2}", a**2, [Step("3a", "wrong")]).check()  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
snippets.proof.chain.StepError: ...: step 1 of a^{2}, 3a: differs from it by a*(3 - a)
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

import sympy as sp
from sympy.functions.elementary.hyperbolic import HyperbolicFunction
from sympy.functions.elementary.trigonometric import TrigonometricFunction

from snippets.proof.display import code, display_block
from snippets.proof.tex import parse_tex

_ROOT = Path(__file__).resolve().parents[2]


class StepError(AssertionError):
    """A displayed step that does not equal what it claims to equal."""


_ENGINE = Path(__file__).resolve().parent


def _caller() -> str:
    """``file:line`` of the code that wrote a step (the first frame outside the engine)."""
    frame = sys._getframe(1)
    # Skip the engine and the dataclass-generated __init__ ("<string>"); code executed from a
    # page has a name like "<code block: …>" and is reported as such.
    while frame.f_back is not None and (
        frame.f_code.co_filename == "<string>" or Path(frame.f_code.co_filename).resolve().parent == _ENGINE
    ):
        frame = frame.f_back
    path = Path(frame.f_code.co_filename)
    try:
        path = path.resolve().relative_to(_ROOT)
    except ValueError:
        pass
    return f"{path}:{frame.f_lineno}"


@dataclass(frozen=True)
class Step:
    """One displayed form of the quantity, and why it follows from the previous one.

    ``reason`` is plain text shown under the step: ``$…$`` in it is inline math, backticks
    are code, and anything else (``σ``, ``e^z``, ``<``) is shown exactly as typed.
    """

    tex: str
    reason: str
    where: str = field(default="", compare=False, kw_only=True)

    def __post_init__(self):
        if not self.where:
            object.__setattr__(self, "where", _caller())


@dataclass(frozen=True)
class StepCheck:
    step: Step
    method: str  # how the step was shown equal to the left-hand side
    parsed: str = ""  # the parsed form, as plain text


def _number(value: complex) -> str:
    value = complex(value)
    if abs(value.imag) <= 1e-12 * max(1.0, abs(value.real)):
        return f"{value.real:.12g}"
    return f"{value.real:.12g}{value.imag:+.12g}i"


class Displayed:
    """What every chain shares: one display with each step, and how each step was checked."""

    lhs_tex: str
    steps: list

    def check(self) -> list[StepCheck]:
        """Check every step (once: a chain that passed is not checked again)."""
        if getattr(self, "_passed", None) is None:
            self._passed = self._run_checks()
        return self._passed

    def _run_checks(self) -> list[StepCheck]:
        raise NotImplementedError

    def _fail(self, number: int, step: Step, problem: str) -> StepError:
        return StepError(f"{step.where}: step {number} of {self.lhs_tex}, {step.tex}: {problem}")

    @property
    def status(self) -> str:
        return "proved" if all(check.method == "symbolic" for check in self.check()) else "checked"

    def _summary(self) -> str:
        checks = self.check()
        steps = f"{len(checks)} step{'s' if len(checks) != 1 else ''}"
        if self.status == "proved":
            return f"{steps}, each equal to the left-hand side symbolically"
        return f"{steps}, " + "; ".join(
            sorted({check.method for check in checks if check.method != "symbolic"})
        )

    def _details(self) -> list[str]:
        lines = [f"left-hand side computed as {code(self.lhs_description())}"]
        for number, check in enumerate(self.check(), start=1):
            parsed = f"; read as {code(check.parsed)}" if check.parsed else ""
            lines.append(f"step {number}: {check.method}{parsed}; written at {code(check.step.where)}")
        return lines

    def lhs_description(self) -> str:
        return "in code"

    def markdown(self) -> str:
        """Check the chain, then show it and how each step was checked.

        Raises `StepError` instead when a step is wrong, which fails the build.
        """
        self.check()
        rows = [(f"{self.lhs_tex} = {self.steps[0].tex}", self.steps[0].reason)]
        rows += [(f"= {step.tex}", step.reason) for step in self.steps[1:]]
        return display_block(self.status, rows, self._summary(), self._details(), self.lhs_tex)

    def statement(self, *step_numbers: int, reason: str = "") -> str:
        """The result as one displayed line, ``lhs = step = step``, from the checked steps (1-based)."""
        self.check()
        chosen = [self.steps[number - 1].tex for number in (step_numbers or (len(self.steps),))]
        row = " = ".join([self.lhs_tex, *chosen])
        return display_block(self.status, [(row, reason)], self._summary(), self._details(), self.lhs_tex)


@dataclass
class Chain(Displayed):
    """``lhs_tex = step_1 = step_2 = …``, where ``lhs_value`` is computed in code.

    ``domain`` gives, for each free symbol, the interval random test points are drawn
    from when sympy cannot simplify a difference to zero on its own. ``definitions``
    replaces a symbol the page writes (say z) by what it stands for (say w_j x_j + r).
    A step may use only the chain's symbols: those of ``lhs_value``, ``domain``,
    ``definitions`` and ``symbols``.
    """

    lhs_tex: str
    lhs_value: sp.Expr
    steps: list[Step]
    domain: dict[sp.Symbol, tuple[float, float]] = field(default_factory=dict)
    definitions: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)
    samples: int = 40
    symbols: tuple[sp.Symbol, ...] = ()

    def lhs_description(self) -> str:
        return sp.sstr(self.lhs_value)

    def _declared(self) -> dict[str, sp.Symbol]:
        declared = {symbol.name: symbol for symbol in self.lhs_value.free_symbols}
        declared.update({symbol.name: symbol for symbol in (*self.domain, *self.definitions, *self.symbols)})
        return declared

    def _run_checks(self) -> list[StepCheck]:
        symbols = self._declared()
        results = []
        for number, step in enumerate(self.steps, start=1):
            try:
                parsed = parse_tex(step.tex, symbols)
            except ValueError as error:
                raise self._fail(number, step, str(error)) from None
            value = parsed.subs(self.definitions)
            results.append(StepCheck(step, self._compare(number, step, value), sp.sstr(parsed)))
        return results

    def _compare(self, number: int, step: Step, value: sp.Expr) -> str:
        difference = _simplified(value - self.lhs_value)
        if difference == 0:
            return "symbolic"
        rng = random.Random(number)
        # Every symbol of either side: one that cancels from the difference still needs a value.
        free = sorted(value.free_symbols | self.lhs_value.free_symbols, key=lambda symbol: symbol.name)
        missing = [symbol.name for symbol in free if symbol not in self.domain]
        if missing and any(symbol.name in missing for symbol in difference.free_symbols):
            raise self._fail(
                number,
                step,
                f"differs from it by {difference}"
                + (f" (no domain for {', '.join(missing)})" if len(missing) < len(free) else ""),
            )
        for _ in range(self.samples):
            point = {symbol: rng.uniform(*self.domain.get(symbol, (0.1, 0.9))) for symbol in free}
            left = complex(value.evalf(30, subs=point))
            right = complex(self.lhs_value.evalf(30, subs=point))
            if abs(left - right) > 1e-10 * max(1.0, abs(right)):
                where = ", ".join(f"{symbol} = {value:.6g}" for symbol, value in point.items())
                raise self._fail(number, step, f"the step is {_number(left)} but the left-hand side is {_number(right)} at {where}")
        return f"numeric at {self.samples} random points"


def _simplified(difference: sp.Expr) -> sp.Expr:
    """The difference of two sides, zero if sympy can show it is.

    `simplify` first; where it leaves something, expanding and cancelling (with tanh and the
    like written through exp) still find zero in a few cases it misses. These only rewrite an
    expression into an equal one, so zero there is a proof. With hyperbolic or trigonometric
    functions in it, cancelling through exp is tried before `simplify`, whose trigonometric
    search is slow there.

    >>> a, y, z = sp.symbols("a y z", positive=True)
    >>> _simplified((a - y) / (a * (1 - a)) - (-y / a + (1 - y) / (1 - a)))
    0
    >>> sp.simplify((1 + sp.tanh(z)) / 2 - 1 / (1 + sp.exp(-2 * z))) == 0
    False
    >>> _simplified((1 + sp.tanh(z)) / 2 - 1 / (1 + sp.exp(-2 * z)))
    0
    """
    through_exp = difference.rewrite(sp.exp)
    if difference.atoms(HyperbolicFunction, TrigonometricFunction) and sp.cancel(through_exp) == 0:
        return sp.Integer(0)
    simplified = sp.simplify(difference)
    if simplified == 0:
        return simplified
    for form in (difference, through_exp):
        if sp.cancel(sp.expand(form)) == 0:
            return sp.Integer(0)
    return simplified


@dataclass
class Definition:
    """``lhs_tex := rhs_tex``: shown to the reader, and parsed into the value checks start from.

    >>> import sympy as sp
    >>> H = Definition("H(y)", r"-y\\ln y - (1-y)\\ln(1-y)", symbols=(sp.Symbol("y"),))
    >>> H.value
    -y*log(y) - (1 - y)*log(1 - y)
    """

    lhs_tex: str
    rhs_tex: str
    note: str = ""
    symbols: tuple[sp.Symbol, ...] = ()
    where: str = field(default="", compare=False)

    def __post_init__(self):
        self.where = self.where or _caller()

    @property
    def value(self) -> sp.Expr:
        if getattr(self, "_value", None) is None:
            try:
                self._value = parse_tex(self.rhs_tex, {symbol.name: symbol for symbol in self.symbols})
            except ValueError as error:
                raise StepError(f"{self.where}: definition of {self.lhs_tex}: {error}") from None
        return self._value

    def markdown(self) -> str:
        details = [f"read as {code(sp.sstr(self.value))}; the checks on this page start from it", f"written at {code(self.where)}"]
        return display_block("definition", [(f"{self.lhs_tex} = {self.rhs_tex}", self.note)], "parsed, and used by the checks", details, self.lhs_tex)


@dataclass
class Remark:
    """A display that is deliberately not a checked result (a wrong step shown as a warning, say)."""

    tex: str
    why: str
    note: str = ""

    def markdown(self) -> str:
        return display_block("remark", [(self.tex, self.note)], self.why, [self.why], self.tex)
