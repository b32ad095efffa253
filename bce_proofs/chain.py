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
bce_proofs.chain.StepError: ...: step 1 of a^{2}, 3a: differs from it by -a*(a - 3), which is not 0 (the step is ...)
"""

from __future__ import annotations

import html
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

import sympy as sp
from sympy.functions.elementary.hyperbolic import HyperbolicFunction
from sympy.functions.elementary.trigonometric import TrigonometricFunction

from bce_proofs import memo, zeros
from bce_proofs.display import code, display_block, source
from bce_proofs.restatement import ENGINE_READING, engine_reading, restates_itself
from bce_proofs.scalar_tex import undefined
from bce_proofs.tex import parse_tex

_ROOT = Path(__file__).resolve().parents[1]


MEMO = memo.default_memo()


class StepError(AssertionError):
    """A displayed step that does not equal what it claims to equal.

    ``kind`` says how: "wrong" (it differs), "undefined" (somewhere it must not be), "unreadable"
    (outside the grammar, or a symbol not declared).
    """

    def __init__(self, message: str, kind: str = "wrong"):
        super().__init__(message)
        self.kind = kind


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
    skipped: int = 0  # points where the step is undefined that the domain excludes
    searched: int = 0  # boxes of the domain an interval search cleared of zeros of its divisors
    settled_by: str = ""  # what sympy needed: "cancel", "expand_log", "exp", "simplify", "expand"; "" if not settled symbolically


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

    def _fail(self, number: int, step: Step, problem: str, kind: str = "wrong") -> StepError:
        return StepError(f"{step.where}: step {number} of {self.lhs_tex}, {step.tex}: {problem}", kind)

    def _undefined(self, number: int, step: Step, problem: str) -> StepError:
        """A refusal because the step is undefined somewhere it must not be, rather than different."""
        return self._fail(number, step, problem, "undefined")

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
            skipped = f"; undefined at {check.skipped} point{'s' if check.skipped > 1 else ''} the domain excludes" if check.skipped else ""
            searched = (
                f"; no divisor or logarithm's argument is 0 in the domain (interval search, {check.searched} box{'es' if check.searched > 1 else ''})"
                if check.searched else ""
            )
            lines.append(f"step {number}: {html.escape(check.method, quote=False)}{parsed}{skipped}{searched}; written at {source(check.step.where)}")
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
        return display_block(self.status, rows, self._summary(), self._details(), self.lhs_tex, self._derivation())

    def statement(self, *step_numbers: int, reason: str = "") -> str:
        """The result as one displayed line, ``lhs = step = step``, from the checked steps (1-based)."""
        self.check()
        chosen = [self.steps[number - 1].tex for number in (step_numbers or (len(self.steps),))]
        row = " = ".join([self.lhs_tex, *chosen])
        return display_block(self.status, [(row, reason)], self._summary(), self._details(), self.lhs_tex, self._derivation())

    def _derivation(self) -> str | None:
        """A scalar chain in the reader's format, for its "try it" link; matrix steps are beyond the format."""
        if not isinstance(self, Chain):
            return None
        from bce_proofs.derivation import from_chain  # it imports this module

        return from_chain(self)


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
    # A reader's own derivation (`bce_proofs.derivation`): nothing is kept in the memo, and a
    # line may restate the one before it (a display of the site may not: that is a definition).
    reader: bool = False

    def lhs_description(self) -> str:
        return sp.sstr(self.lhs_value)

    def _declared(self) -> dict[str, sp.Symbol]:
        declared = {symbol.name: symbol for symbol in self.lhs_value.free_symbols}
        declared.update({symbol.name: symbol for symbol in (*self.domain, *self.definitions, *self.symbols)})
        return declared

    def _run_checks(self) -> list[StepCheck]:
        if undefined(self.lhs_value):
            raise StepError(f"{self.steps[0].where}: the left-hand side {self.lhs_tex} is undefined: {self.lhs_value}")
        symbols = self._declared()
        results = []
        for number, step in enumerate(self.steps, start=1):
            singular: list[sp.Expr] = []
            try:
                parsed = parse_tex(step.tex, symbols, singular=singular, values={name.name: value for name, value in self.definitions.items()})
            except ValueError as error:
                raise self._fail(number, step, str(error), "unreadable") from None
            value = parsed.subs(self.definitions)
            if undefined(value):
                raise self._undefined(number, step, f"it is undefined: {value}")
            name = self._memo_key(number, step)
            known = None if self.reader else MEMO.get(name)
            if known is None:
                method, settled_by = self._compare(number, step, value)
                skipped, searched = self._check_singular_points(number, step, [piece.subs(self.definitions) for piece in singular])
                if not self.reader:
                    MEMO.put(name, {"method": method, "skipped": skipped, "searched": searched, "settled_by": settled_by})
            else:
                method, skipped, searched, settled_by = known["method"], known["skipped"], known["searched"], known["settled_by"]
            results.append(StepCheck(step, method, sp.sstr(parsed), skipped, searched=searched, settled_by=settled_by))
        # Last, so that a step that is wrong, or undefined somewhere, is refused for that first.
        if not self.reader and restates_itself(self.lhs_tex, self.steps[-1].tex, symbols):
            raise self._fail(len(self.steps), self.steps[-1], "it is the left-hand side itself as the engine reads it: a definition, not a result")
        return results

    def _memo_key(self, number: int, step: Step) -> str:
        """Everything the comparison of this step reads (see `bce_proofs.memo`)."""
        ordered = lambda mapping: sorted(mapping.items(), key=lambda item: sp.srepr(item[0]))  # noqa: E731
        return memo.key(
            step.tex,
            str(number),
            sp.srepr(self.lhs_value),
            repr([(sp.srepr(symbol), sp.srepr(value)) for symbol, value in ordered(self.definitions)]),
            repr([(sp.srepr(symbol), interval) for symbol, interval in ordered(self.domain)]),
            str(self.samples),
            repr(sorted(sp.srepr(symbol) for symbol in self._declared().values())),
        )

    def _in_domain(self, point: dict) -> bool | None:
        """Whether a point is inside the declared intervals (None: it names a symbol without one)."""
        inside = True
        for symbol, value in point.items():
            if symbol not in self.domain:
                return None
            low, high = self.domain[symbol]
            inside = inside and low < float(value) < high
        return inside

    def _check_singular_points(self, number: int, step: Step, singular: list[sp.Expr]) -> tuple[int, int]:
        """Refuse a step that is undefined where the left-hand side is defined; count shared points.

        A divisor (or logarithm's argument) the step writes whose numerator is a polynomial of degree
        at most 4 in each symbol is solved for each symbol in turn. A zero the symbol's assumptions
        and the domain allow is a point where the step, as written, is undefined. A point outside the
        declared intervals is skipped and counted. Any other is refused unless the left-hand side is
        undefined there too; such a shared point is skipped and counted where the symbol has no
        interval, and refused inside one, since the domain should then exclude it.

        Any other piece (exponentials, logarithms, trigonometric and hyperbolic functions, and their
        compositions) is searched for zeros inside the domain (`bce_proofs.zeros`): exactly where
        sympy solves it on the interval, otherwise by interval arithmetic. Each of its symbols needs
        an interval; a zero inside the domain is refused, as is a piece whose zeros cannot be
        excluded. Returns the shared points skipped and the boxes the interval searches examined.
        """
        skipped = searched = 0
        for piece in singular:
            if piece.is_number:
                if _is_zero_number(piece):
                    raise self._undefined(number, step, f"it divides by {piece}, which is 0")
                continue
            for factor in [piece] if _polynomial_numerator(piece) else _factors(piece):
                if _polynomial_numerator(factor):
                    skipped += self._solve_zeros(number, step, factor)
                else:
                    searched += self._search_zeros(number, step, factor)
        return skipped, searched

    def _solve_zeros(self, number: int, step: Step, piece: sp.Expr) -> int:
        """Refuse a step whose polynomial divisor vanishes where it must not; the shared points skipped."""
        skipped = 0
        for symbol in sorted(piece.free_symbols, key=lambda symbol: symbol.name):
            for root in _zeros(piece, symbol):
                where = {symbol: root}
                lhs_there = _at(self.lhs_value, where)
                if lhs_there is None:
                    continue  # the zero's other symbols cannot all be chosen (or the point is not real)
                inside = self._in_domain(where) if not root.free_symbols else None
                if inside is False:  # the domain excludes it
                    skipped += 1
                    continue
                self._refuse_zero(number, step, piece, f"{symbol} = {sp.sstr(root)}", lhs_there, inside)
                skipped += 1
        return skipped

    def _refuse_zero(self, number: int, step: Step, piece: sp.Expr, where: str, lhs_there: sp.Expr, inside: bool | None) -> None:
        """A zero of ``piece`` the domain does not exclude: refused unless the left-hand side is
        undefined there too and no interval includes it."""
        if not undefined(lhs_there):
            raise self._undefined(
                number, step,
                f"it is undefined at {where} (it divides by {sp.sstr(piece)} there), where the left-hand side is {sp.sstr(lhs_there)}",
            )
        if inside:
            raise self._undefined(number, step, f"both sides are undefined at {where}, which the domain includes: exclude it")

    def _search_zeros(self, number: int, step: Step, piece: sp.Expr) -> int:
        """Refuse a step whose non-polynomial divisor may vanish inside the domain; the boxes examined."""
        missing = sorted(symbol.name for symbol in piece.free_symbols if symbol not in self.domain)
        if missing:
            raise self._undefined(
                number, step,
                f"it divides by {sp.sstr(piece)}, whose zeros cannot be looked for: "
                f"{', '.join(missing)} {'has' if len(missing) == 1 else 'have'} no interval in the domain",
            )
        found = zeros.search(piece, self.domain)
        if found.undecided:
            raise self._undefined(
                number, step,
                f"it divides by {sp.sstr(piece)}, whose zeros cannot be excluded from the domain: "
                f"{found.undecided} ({found.how}, {found.examined} boxes examined)",
            )
        if found.zero is None:
            return found.examined
        if found.how == "solveset":
            (symbol, root), = found.zero.items()
            self._refuse_zero(number, step, piece, f"{symbol} = {sp.sstr(root)}", _at(self.lhs_value, found.zero), True)
        point = {symbol: sp.Float(value, DIGITS) for symbol, value in found.zero.items()}
        where = ", ".join(f"{symbol} ≈ {float(value):.10g}" for symbol, value in point.items())
        lhs_there = self.lhs_value.evalf(DIGITS, subs=point)
        how = f"found by an interval search of {found.examined} box{'es' if found.examined > 1 else ''}"
        if undefined(lhs_there) or not lhs_there.is_number:
            raise self._undefined(number, step, f"both sides are undefined at {where} ({how}), which the domain includes: exclude it")
        raise self._undefined(
            number, step,
            f"it is undefined at {where} (it divides by {sp.sstr(piece)} there; {how}), "
            f"where the left-hand side is {_number(complex(lhs_there))}",
        )

    def _probe_points(self, free: list[sp.Symbol], rng: random.Random) -> list[dict] | None:
        """A few points the chain's claim covers: in the domain, or allowed by each symbol's assumptions."""
        if any(symbol.is_integer for symbol in free if symbol not in self.domain):
            return None  # n in 1/n: no real sample stands for an integer
        def interval(symbol):
            if symbol in self.domain:
                return self.domain[symbol]
            return (-0.9, -0.1) if symbol.is_negative else (0.1, 0.9)
        return [{symbol: sp.Float(rng.uniform(*_sampled(interval(symbol))), DIGITS) for symbol in free} for _ in range(3)]

    def _counterexample(self, value: sp.Expr, free: list[sp.Symbol], rng: random.Random) -> str | None:
        """Where the step and the left-hand side plainly differ, if at a few points they do.

        A point where both are defined and differ far beyond evalf's error proves the step false;
        it settles most false steps before any simplification, which can take seconds on them.
        """
        for point in self._probe_points(free, rng) or []:
            left, right = value.evalf(DIGITS, subs=point), self.lhs_value.evalf(DIGITS, subs=point)
            if undefined(left) or undefined(right) or not (left.is_number and right.is_number):
                continue
            left, right = complex(left), complex(right)
            if _differ(left, right, 1e-20, value, self.lhs_value, point):
                where = ", ".join(f"{symbol} = {float(v):.6g}" for symbol, v in point.items())
                return f"the step is {_number(left)} but the left-hand side is {_number(right)} at {where}"
        return None

    def _compare(self, number: int, step: Step, value: sp.Expr) -> tuple[str, str]:
        """How the step equals the left-hand side ("symbolic" or numeric), and what sympy needed."""
        free = sorted(value.free_symbols | self.lhs_value.free_symbols, key=lambda symbol: symbol.name)
        difference = value - self.lhs_value
        settled_by = _canonically_zero(difference)
        if settled_by:  # most steps: a proof in milliseconds, and no point could refute it
            return "symbolic", settled_by
        refuted = self._counterexample(value, free, random.Random(-number))
        if refuted:
            if difference.is_rational_function(*free):  # then its canonical form says by how much
                refuted = f"differs from it by {sp.factor(sp.cancel(difference))}, which is not 0 ({refuted})"
            raise self._fail(number, step, refuted)
        difference, settled_by = _simplified(difference)
        if difference == 0:
            return "symbolic", settled_by
        if _nonzero(difference):
            raise self._fail(number, step, f"differs from it by {difference}, which is not 0")
        rng = random.Random(number)
        # Every symbol of either side: one that cancels from the difference still needs a value.
        missing = [symbol.name for symbol in free if symbol not in self.domain]
        if missing and any(symbol.name in missing for symbol in difference.free_symbols):
            raise self._fail(
                number,
                step,
                f"differs from it by {difference}"
                + (f" (no domain for {', '.join(missing)})" if len(missing) < len(free) else ""),
            )
        for _ in range(self.samples):
            point = {symbol: sp.Float(rng.uniform(*_sampled(self.domain.get(symbol, (0.1, 0.9)))), DIGITS) for symbol in free}
            where = ", ".join(f"{symbol} = {float(value):.6g}" for symbol, value in point.items())
            left, right = value.evalf(DIGITS, subs=point), self.lhs_value.evalf(DIGITS, subs=point)
            if undefined(right) or not right.is_number:
                raise self._undefined(number, step, f"the left-hand side is undefined at {where}, which the domain includes")
            if undefined(left) or not left.is_number:
                raise self._undefined(number, step, f"it is undefined at {where}, where the left-hand side is {_number(complex(right))}")
            left, right = complex(left), complex(right)
            if _differ(left, right, RELATIVE_TOLERANCE, value, self.lhs_value, point):
                raise self._fail(number, step, f"the step is {_number(left)} but the left-hand side is {_number(right)} at {where}")
        return f"numeric at {self.samples} random points", ""


# The numeric check evaluates both sides to DIGITS significant digits (sympy's evalf raises its
# working precision until it has them). Two sides equal as functions then agree to about 10^-40
# of their size; RELATIVE_TOLERANCE leaves fifteen digits for evalf's own rounding and is still
# far below any difference a printed step could hide (the least tried, (z-1)^2/10^12, is ~10^-12).
# It is relative only: sides of size 10^-30 are compared to 10^-55, not to an absolute floor. The
# size is that of the largest term of either side, since a side that is a sum cancelling to 0
# evaluates to rounding noise of its terms' size, not to 0 (see `_scale`).
DIGITS = 40
RELATIVE_TOLERANCE = 1e-25


def _scale(left: complex, right: complex, value: sp.Expr, lhs: sp.Expr, point: dict) -> float:
    """The size the two values are compared at: the largest of them and of their sides' terms."""
    sizes = [abs(left), abs(right)]
    for side in (value, lhs):
        for term in sp.Add.make_args(side):
            evaluated = term.evalf(15, subs=point)
            if evaluated.is_number and not undefined(evaluated):
                sizes.append(abs(complex(evaluated)))
    return max(sizes)


def _differ(left: complex, right: complex, tolerance: float, value: sp.Expr, lhs: sp.Expr, point: dict) -> bool:
    """Whether the two values differ by more than `tolerance` times `_scale`. The scale is at least
    the larger value, so a difference within that needs no evaluation of the terms."""
    apart = abs(left - right)
    if apart <= tolerance * max(abs(left), abs(right)):
        return False
    return apart > tolerance * _scale(left, right, value, lhs, point)


def _at(expr: sp.Expr, where: dict) -> sp.Expr | None:
    """``expr`` at a point, exactly; None where that cannot be decided."""
    try:
        value = expr.subs(where)
    except (ZeroDivisionError, TypeError, ValueError):
        return sp.zoo
    if undefined(value):
        return value
    try:
        return sp.simplify(value)
    except (ZeroDivisionError, TypeError, ValueError):
        return None


def _factors(piece: sp.Expr) -> list[sp.Expr]:
    """The factors of ``piece`` that can vanish: a product is 0 exactly where one of them is (a
    factor with a negative power is a division, recorded as a piece of its own).

    >>> n, z = sp.symbols("n z", positive=True)
    >>> _factors(n * (1 - sp.tanh(z)) ** 2 / (1 + sp.exp(z)))
    [n, 1 - tanh(z)]
    """
    found = []
    for factor in sp.Mul.make_args(sp.factor_terms(piece)):
        base, exponent = factor.as_base_exp()
        if factor.free_symbols and exponent.is_positive is not False:
            found.append(base if exponent.is_positive else factor)
    return found


def _sampled(interval: tuple[float, float]) -> tuple[float, float]:
    """Where random points are drawn from an interval: all of it, or, of an unbounded one (z in ℝ,
    n > 0), the part within 8 of its finite end (or of 0). Zeros are still looked for in all of it."""
    low, high = interval
    if low == float("-inf") and high == float("inf"):
        return (-8.0, 8.0)
    if high == float("inf"):
        return (low, low + 8.0)
    if low == float("-inf"):
        return (high - 8.0, high)
    return interval


def _polynomial_numerator(piece: sp.Expr) -> bool:
    """Whether ``piece``'s numerator is a polynomial of degree at most 4 in each of its symbols,
    so that `_zeros` solves it exactly; anything else goes to `bce_proofs.zeros`."""
    numerator = sp.numer(sp.together(piece))
    return all(numerator.is_polynomial(symbol) and sp.degree(numerator, symbol) <= 4 for symbol in piece.free_symbols)


def _zeros(piece: sp.Expr, symbol: sp.Symbol) -> list[sp.Expr]:
    """The zeros of ``piece`` as a function of ``symbol`` that its assumptions allow (a polynomial
    numerator, see `_polynomial_numerator`)."""
    numerator = sp.numer(sp.together(piece))
    try:
        roots = sp.solve(numerator, symbol)
    except (NotImplementedError, ValueError):
        return []
    allowed = []
    for root in roots:
        if root.is_real is False:
            continue
        if any(getattr(root, f"is_{fact}") is False for fact, holds in symbol.assumptions0.items() if holds and fact in ("positive", "negative", "nonnegative", "nonpositive")):
            continue
        allowed.append(root)
    return allowed


def _is_zero_number(number: sp.Expr) -> bool:
    """Whether a constant is 0: by simplification, or by sympy's own test (exact where it can be)."""
    return sp.simplify(number) == 0 or number.equals(0) is True


def _nonzero(difference: sp.Expr) -> bool:
    """Whether sympy can see that a difference is not zero: then no numeric check may overrule it.

    A number is decided by evaluating it; a rational function of the symbols by `cancel`, whose
    form is canonical (zero only if the function is); and anything sympy's assumptions show is
    nonzero. What is left (logarithms, Abs, max…) goes to the numeric check.
    """
    if difference.is_zero is False:
        return True
    if not difference.free_symbols:
        return not _is_zero_number(difference)
    if difference.is_rational_function(*difference.free_symbols):
        return sp.cancel(difference) != 0
    return False


def _canonically_zero(difference: sp.Expr) -> str:
    """What canonical form shows that a difference of two sides is zero ("exp", "cancel",
    "expand_log"), or "" if none does.

    Most steps are rational or logarithmic identities, which `cancel` (after `expand_log`) settles
    in milliseconds. With hyperbolic or trigonometric functions in it, cancelling through exp comes
    first. These only rewrite an expression into an equal one, so zero is a proof.

    >>> a, y, z = sp.symbols("a y z", positive=True)
    >>> _canonically_zero((a - y) / (a * (1 - a)) - (-y / a + (1 - y) / (1 - a)))
    'cancel'
    >>> sp.simplify((1 + sp.tanh(z)) / 2 - 1 / (1 + sp.exp(-2 * z))) == 0
    False
    >>> _canonically_zero((1 + sp.tanh(z)) / 2 - 1 / (1 + sp.exp(-2 * z)))
    'exp'
    >>> _canonically_zero(a - 3 * a)
    ''
    """
    if difference.atoms(HyperbolicFunction, TrigonometricFunction) and sp.cancel(difference.rewrite(sp.exp)) == 0:
        return "exp"
    if sp.cancel(difference) == 0:
        return "cancel"
    if difference.has(sp.log) and sp.cancel(sp.expand_log(difference)) == 0:
        return "expand_log"
    return ""


def _simplified(difference: sp.Expr) -> tuple[sp.Expr, str]:
    """A difference no canonical form settles (`_canonically_zero`), zero if sympy can show it is,
    and what showed it: `simplify`; where it leaves something, expanding and cancelling (also
    through exp) still find zero in a few cases it misses. Otherwise simplify's form of it.

    >>> x = sp.Symbol("x", positive=True)
    >>> _simplified(sp.sqrt(x) ** 2 - x)
    (0, 'simplify')
    >>> _simplified(x - 2 * x)
    (-x, '')
    """
    simplified = sp.simplify(difference)
    if simplified == 0:
        return simplified, "simplify"
    for form in (difference, difference.rewrite(sp.exp)):
        if sp.cancel(sp.expand(form)) == 0:
            return sp.Integer(0), "expand"
    return simplified, ""


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
            if undefined(self._value):
                raise StepError(f"{self.where}: definition of {self.lhs_tex}: it is undefined: {self._value}")
            reading = engine_reading(self.lhs_tex, {symbol.name: symbol for symbol in self.symbols})
            if reading is not None and not _canonically_zero(reading - self._value) and sp.simplify(reading - self._value) != 0:
                raise StepError(
                    f"{self.where}: definition of {self.lhs_tex}: the engine reads {self.lhs_tex} as {sp.sstr(reading)} "
                    f"in every formula, and this definition differs from it"
                )
        return self._value

    def markdown(self) -> str:
        details = [f"read as {code(sp.sstr(self.value))}; the checks on this page start from it", f"written at {source(self.where)}"]
        summary = "parsed, and used by the checks" + (f"; {ENGINE_READING}" if restates_itself(self.lhs_tex, self.rhs_tex, {symbol.name: symbol for symbol in self.symbols}) else "")
        return display_block("definition", [(f"{self.lhs_tex} = {self.rhs_tex}", self.note)], summary, details, self.lhs_tex)


@dataclass
class Remark:
    """A display that is deliberately not a checked result (a wrong step shown as a warning, say)."""

    tex: str
    why: str
    note: str = ""

    def markdown(self) -> str:
        # Why it is shown stays in view (the mark alone would not say the formula is not a result).
        return display_block("remark", [(self.tex, self.note or self.why)], self.why, [self.why], self.tex)
