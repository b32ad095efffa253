r"""Read a scalar formula as a reader reads it, into sympy: a small grammar of our own.

sympy's own LaTeX parser (ANTLR) takes ~30 ms a formula, turns a command it does not know into a
product of letters, and reads ``\ln a\,b`` as ``ln(ab)``. This one reads the notation the pages use,
in well under a millisecond, and refuses anything else by name. The tests read every formula of the
site with both and require the same value.

>>> read(r"\frac{a-y}{a(1-a)}")
(a - y)/(a*(1 - a))
>>> read(r"-y\ln y - (1-y)\ln(1-y)")
-y*log(y) - (1 - y)*log(1 - y)
>>> read(r"x_j^{2}\,(1-z)")
x_{j}**2*(1 - z)
>>> read(r"\ln a b")
Traceback (most recent call last):
...
snippets.proof.scalar_tex.TexSyntaxError: '\\ln a b': write \ln(…) around a product, or put the factor first, at position 6

Precedence, loosest first: ``+ -``; ``\cdot \times * /`` (left to right); a leading sign;
juxtaposition (``2a(1-a)``, ``\frac{1}{n}\sum`` — tighter than ``/``, so ``1/n a`` is
``1/(na)``); ``^``. A letter or Greek letter with a subscript and primes is one symbol, named as
sympy's parser names it (``x_j`` is ``x_{j}``, ``y'_{1}`` is ``y_{1}'``). A name followed by
parentheses is a product (``a(1-a)``), except for the functions in ``FUNCTIONS`` (``σ``, ``H``
and ``max``/``min`` there are given by the caller). ``\ln``, ``\exp`` and the like take either a
parenthesised argument or a single factor (``\ln\frac{y}{a}``, ``\ln 2``, ``\ln\sigma(z)``).
``e`` is Euler's number and ``\pi`` is π. ``\frac12`` is ``\frac{1}{2}``, as in TeX.

Nothing undefined is ever a value: a piece that is ``1/0``, ``0^{-1}`` or ``\ln 0`` as written is
refused where it stands, before sympy's arithmetic could hide it (``0\cdot\frac{1}{0}`` would be
nan, ``1/\frac{1}{0}`` zero). What a formula divides by, and takes the logarithm of, is recorded
(``singular``) so that a checker can look for the points where the formula is undefined.

>>> read(r"\frac{1}{1-e^{0}}")
Traceback (most recent call last):
...
snippets.proof.scalar_tex.TexSyntaxError: '\\frac{1}{1-e^{0}}': \frac divides by 1-e^{0}, which is 0, at position 8
"""

from __future__ import annotations

import re
from typing import Callable

import sympy as sp

__all__ = ["TexSyntaxError", "read"]


class TexSyntaxError(ValueError):
    """A formula outside the grammar: an unknown command, or a syntax error, with its position."""


# Spacing and sizing change how a formula looks, never what it means.
COSMETIC = {r"\left", r"\right", r"\big", r"\Big", r"\bigg", r"\Bigg", r"\bigl", r"\bigr", r"\Bigl", r"\Bigr",
            r"\biggl", r"\biggr", r"\Biggl", r"\Biggr", r"\quad", r"\qquad", r"\displaystyle", r"\,", r"\;", r"\!", r"\:", "\\ "}
GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "kappa", "lambda", "mu",
         "nu", "xi", "rho", "sigma", "tau", "phi", "varphi", "chi", "psi", "omega", "Delta", "Omega"}
# Functions written as commands; each takes a parenthesised argument or a single factor.
COMMAND_FUNCTIONS: dict[str, Callable] = {
    "ln": sp.log, "log": sp.log, "exp": sp.exp, "tanh": sp.tanh, "sinh": sp.sinh, "cosh": sp.cosh,
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "arctan": sp.atan, "sqrt": sp.sqrt,
}
FRACTIONS = {r"\frac", r"\dfrac", r"\tfrac"}
EXPLICIT_PRODUCT = {r"\cdot", r"\times", "*", "/"}
CLOSING = {"(": ")", "[": "]", "{": "}"}
UNDEFINED = (sp.zoo, sp.nan, sp.oo, -sp.oo)


def undefined(value: sp.Expr) -> bool:
    """Whether ``value`` is or contains complex infinity, nan or an infinity."""
    return isinstance(value, sp.Basic) and value.has(*UNDEFINED)


_TOKEN = re.compile(r"\\[A-Za-z]+|\\[,;!: ]|\d+(?:\.\d+)?|[A-Za-z]|[-+*/^_()\[\]{}|',]|\S")


def _tokens(tex: str) -> list[tuple[str, int]]:
    return [(match.group(), match.start()) for match in _TOKEN.finditer(tex) if match.group() not in COSMETIC]


class _Reader:
    def __init__(self, tex: str, functions: dict[str, Callable]):
        self.tex, self.functions = tex, functions
        self.tokens = _tokens(tex)
        self.index = 0
        self.in_abs = 0
        self.names: set[str] = set()  # every symbol written, even one that cancels
        self.singular: list[sp.Expr] = []  # every divisor and logarithm's argument that is not a number

    def defined(self, value: sp.Expr, what: str, start: int) -> sp.Expr:
        """``value``, or an error at ``start`` if what it computes is undefined."""
        if undefined(value):
            self.index = start
            self.fail(f"{what} is undefined")
        return value

    def divisor(self, value: sp.Expr, what: str, start: int) -> sp.Expr:
        """Record a divisor; a zero one is an error at ``start``."""
        if value == 0:
            last, at = self.tokens[self.index - 1]
            written = self.tex[self.tokens[start][1]:at + len(last)]
            if written.startswith("{") and written.endswith("}"):
                written = written[1:-1]
            self.index = start
            self.fail(f"{what} divides by {written}" + ("" if written == "0" else ", which is 0"))
        if not value.is_number:
            self.singular.append(value)
        return value

    # -- tokens ------------------------------------------------------------------------------

    def peek(self) -> str | None:
        return self.tokens[self.index][0] if self.index < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            self.fail(f"expected {expected!r}" if expected else "unexpected end")
        self.index += 1
        return token

    def fail(self, problem: str):
        position = self.tokens[self.index][1] if self.index < len(self.tokens) else len(self.tex)
        raise TexSyntaxError(f"{self.tex!r}: {problem}, at position {position}")

    # -- grammar ------------------------------------------------------------------------------

    def formula(self) -> sp.Expr:
        value = self.sum()
        if self.peek() is not None:
            self.fail(f"unexpected {self.peek()!r}")
        return value

    def sum(self) -> sp.Expr:
        value = self.product()
        while self.peek() in ("+", "-"):
            sign = self.take()
            term = self.product()
            value = value + term if sign == "+" else value - term
        return value

    def product(self) -> sp.Expr:
        value = self.signed()
        while self.peek() in EXPLICIT_PRODUCT:
            operator = self.take()
            start = self.index
            factor = self.signed()
            value = value / self.divisor(factor, "/", start) if operator == "/" else value * factor
        return value

    def signed(self) -> sp.Expr:
        if self.peek() in ("+", "-"):
            sign = self.take()
            value = self.signed()
            return -value if sign == "-" else value
        return self.juxtaposed()

    def starts_factor(self) -> bool:
        token = self.peek()
        if token is None:
            return False
        if token == "|":
            return not self.in_abs
        if token.startswith("\\"):
            return token not in EXPLICIT_PRODUCT
        return token[0].isalnum() or token in CLOSING

    def juxtaposed(self) -> sp.Expr:
        if not self.starts_factor():
            self.fail("expected a number, a letter or a bracket" if self.peek() else "unexpected end")
        value = self.powered()
        while self.starts_factor():
            value = value * self.powered()
        return value

    def powered(self) -> sp.Expr:
        start = self.index
        base = self.atom()
        if self.peek() == "^":
            self.take()
            exponent = self.script()
            if not base.is_number and exponent.is_number and exponent.is_negative:
                self.singular.append(base)
            return self.defined(base ** exponent, "this power", start)
        return base

    def script(self) -> sp.Expr:
        """What follows ^: a braced formula, or one digit or letter."""
        if self.peek() == "{":
            return self.bracketed()
        token = self.take()
        if token.isdigit() and len(token) == 1 or re.fullmatch(r"[A-Za-z]", token):
            return sp.Integer(token) if token.isdigit() else sp.Symbol(token)
        self.index -= 1
        self.fail(f"{token} after ^: a scalar formula has no {token}" if token.startswith("\\") else f"write ^{{{token}}} with braces")

    def bracketed(self) -> sp.Expr:
        opening = self.take()
        self.in_abs, outer = 0, self.in_abs
        value = self.sum()
        self.in_abs = outer
        self.take(CLOSING[opening])
        return value

    def atom(self) -> sp.Expr:
        token = self.peek()
        if token in CLOSING:
            return self.bracketed()
        if token == "|":
            self.take()
            self.in_abs += 1
            value = self.sum()
            self.in_abs -= 1
            self.take("|")
            return sp.Abs(value)
        if token[0].isdigit():
            self.take()
            return sp.Integer(token) if token.isdigit() else sp.Rational(token)
        if token in FRACTIONS:
            self.take()
            numerator = self.fraction_part()
            start = self.index
            return numerator / self.divisor(self.fraction_part(), token, start)
        if token == r"\pi":
            self.take()
            return sp.pi
        if token.startswith("\\") and token[1:] in COMMAND_FUNCTIONS:
            start = self.index
            self.take()
            argument = self.argument(token)
            if token in (r"\ln", r"\log") and not argument.is_number:
                self.singular.append(argument)
            return self.defined(COMMAND_FUNCTIONS[token[1:]](argument), token, start)
        if re.fullmatch(r"[A-Za-z]", token) or token.startswith("\\") and (token[1:] in GREEK or token[1:] in self.functions):
            return self.named()
        self.fail(f"unknown command {token}" if token.startswith("\\") else f"unexpected {token!r}")

    def fraction_part(self) -> sp.Expr:
        """A braced formula, or, as TeX reads ``\\frac12``, one digit or letter."""
        token = self.peek()
        if token is not None and token[0].isdigit() and token.isdigit():
            if len(token) > 1:  # split "12" into "1" and "2": TeX takes one character
                self.tokens[self.index:self.index + 1] = [(token[0], self.tokens[self.index][1]), (token[1:], self.tokens[self.index][1] + 1)]
            self.take()
            return sp.Integer(token[0])
        if token is not None and re.fullmatch(r"[A-Za-z]", token):
            return self.named_letter()
        return self.braced()

    def named_letter(self) -> sp.Expr:
        token = self.take()
        if token == "e":
            return sp.E
        self.names.add(token)
        return sp.Symbol(token)

    def braced(self) -> sp.Expr:
        if self.peek() != "{":
            self.fail("expected {")
        return self.bracketed()

    def argument(self, command: str) -> sp.Expr:
        """A parenthesised argument, or a single factor; never a product left to guess."""
        if self.peek() in ("(", "["):
            return self.bracketed()
        if command == r"\sqrt" and self.peek() == "{":
            return self.bracketed()
        value = self.powered()
        if self.starts_factor():
            self.fail(f"write {command}(…) around a product, or put the factor first")
        return value

    def named(self) -> sp.Expr:
        start = self.index
        token = self.take()
        name = token.lstrip("\\")
        primes = ""
        while self.peek() == "'":
            primes += self.take()
        if self.peek() == "_":
            self.take()
            if self.peek() == "{":
                start = self.index + 1
                depth = 0
                while True:
                    piece = self.take()
                    depth += {"{": 1, "}": -1}.get(piece, 0)
                    if depth == 0:
                        break
                subscript = "".join(piece for piece, _ in self.tokens[start:self.index - 1])
            else:
                subscript = self.take()
            name += "_{" + subscript + "}"
        while self.peek() == "'":
            primes += self.take()
        name += primes
        if self.peek() == "(":
            if name in self.functions:
                self.take()
                arguments = [self.sum()]
                while self.peek() == ",":
                    self.take()
                    arguments.append(self.sum())
                self.take(")")
                return self.defined(self.functions[name](*arguments), f"{token}(…)", start)
        elif name in self.functions:
            self.fail(f"{token} needs its argument in parentheses")
        if name == "e":
            return sp.E
        self.names.add(name)
        return sp.Symbol(name)


def read(
    tex: str, functions: dict[str, Callable] | None = None, names: set[str] | None = None, singular: list | None = None
) -> sp.Expr:
    r"""The value of ``tex``; ``functions`` maps names written with parentheses (``H``) to what they compute.

    ``names``, if given, receives the name of every symbol written (``a - a`` still names a);
    ``singular``, every divisor and logarithm's argument that is not a number.

    >>> read(r"\sigma(z)", {"sigma": lambda t: 1 / (1 + sp.exp(-t))})
    1/(1 + exp(-z))
    """
    reader = _Reader(tex, {"max": sp.Max, "min": sp.Min, **(functions or {})})
    value = reader.formula()
    if names is not None:
        names |= reader.names
    if singular is not None:
        singular.extend(reader.singular)
    return value
