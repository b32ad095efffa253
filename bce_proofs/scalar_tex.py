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
bce_proofs.scalar_tex.TexSyntaxError: '\\ln a b': write \ln(…) around a product, or put the factor first, at position 6

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
bce_proofs.scalar_tex.TexSyntaxError: '\\frac{1}{1-e^{0}}': \frac divides by 1-e^{0}, which is 0, at position 8
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
    def __init__(self, tex: str, functions: dict[str, Callable], symbols: dict[str, sp.Symbol] | None = None,
                 values: dict[str, sp.Expr] | None = None, differentiate: Callable = sp.diff):
        self.tex, self.functions = tex, functions
        self.symbols = symbols or {}  # each name's own symbol, with its assumptions
        self.values = values or {}  # names that stand for a value (J in \frac{dJ}{da}, z := wx + b)
        self.differentiate = differentiate
        self.tokens = _tokens(tex)
        if len(self.tokens) > MAX_TOKENS:
            raise TexSyntaxError(f"a formula of {len(self.tokens)} pieces is longer than the {MAX_TOKENS} read")
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
        if token in FRACTIONS and self.derivative_operator() is not None:
            return self.derivative()
        if token in FRACTIONS:
            self.take()
            numerator = self.fraction_part()
            start = self.index
            return numerator / self.divisor(self.fraction_part(), token, start)
        if token == r"\pi":
            self.take()
            return sp.pi
        if token == r"\hat":
            return self.named()
        if token.startswith("\\") and token[1:] in COMMAND_FUNCTIONS:
            start = self.index
            self.take()
            power = None
            if self.peek() == "^":  # \tanh^{2}(z) is (\tanh z)^2, as sympy and textbooks write it
                self.take()
                power = self.script()
            argument = self.argument(token)
            if token in (r"\ln", r"\log") and not argument.is_number:
                self.singular.append(argument)
            value = self.defined(COMMAND_FUNCTIONS[token[1:]](argument), token, start)
            return value if power is None else self.defined(value**power, "this power", start)
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
        if self.peek() == "{":  # \sqrt{x}, and \log{\left(x\right)} as sympy prints it
            return self.bracketed()
        value = self.powered()
        if self.starts_factor():
            self.fail(f"write {command}(…) around a product, or put the factor first")
        return value

    def named(self) -> sp.Expr:
        start = self.index
        token = self.take()
        name = token.lstrip("\\")
        if token == r"\hat":  # \hat y and \hat{y}: one symbol, named \hat{y}
            inner = self.take()
            if inner == "{":
                inner = self.take()
                self.take("}")
            if not re.fullmatch(r"[A-Za-z]", inner):
                self.index -= 1
                self.fail("\\hat takes one letter")
            name = r"\hat{" + inner + "}"
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
        if name == "e" and "e" not in self.symbols:
            return sp.E
        self.names.add(name)
        if name in self.values:
            return self.values[name]
        return self.symbols.get(name) or sp.Symbol(name)

    # -- derivatives ---------------------------------------------------------------------------

    def derivative_operator(self) -> tuple[int, int, int] | None:
        """Where ``\\frac{d…}{d…}`` (or with ``\\partial``) names a derivative: the index of the
        numerator's name (or -1 for a bare ``d``), of the variable, and just past the fraction."""
        tokens = [token for token, _ in self.tokens[self.index:self.index + 40]]
        if len(tokens) < 7 or tokens[1] != "{" or tokens[2] not in ("d", r"\partial"):
            return None
        try:
            middle = tokens.index("}", 2)
        except ValueError:
            return None
        if tokens[middle + 1:middle + 3] != ["{", tokens[2]] or "}" not in tokens[middle + 3:]:
            return None
        end = tokens.index("}", middle + 3)
        if end == middle + 3:
            return None
        name = self.index + 3 if middle > 3 else -1
        return name, self.index + middle + 3, self.index + end + 1

    def derivative(self) -> sp.Expr:
        """``\\frac{dJ}{da}``: the derivative of J's value; ``\\frac{d}{da}``: of what follows it, up to
        the next + or − at its level."""
        start = self.index
        name, variable_at, end = self.derivative_operator()
        self.index = variable_at
        variable = self.named()
        if self.index != end - 1 or not isinstance(variable, sp.Symbol):
            self.index = variable_at
            self.fail("the variable of a derivative is one declared symbol, as in \\frac{d}{da}")
        if name >= 0:
            self.index = name
            function = self.named()
            if self.index != variable_at - 3:
                self.index = name
                self.fail("write the derivative of a product as \\frac{d}{da}(…)")
            self.index = end
        else:
            self.index = end
            if self.peek() in (None, "+", "-", ")", "]", "}", "=") or self.peek() in EXPLICIT_PRODUCT:
                self.fail("\\frac{d}{d…} needs something to differentiate after it")
            function = self.product()
        return self.defined(self.differentiate(function, variable), "this derivative", start)


MAX_TOKENS = 20_000  # a formula longer than this is refused, not read (a paste gone wrong)


def read(
    tex: str, functions: dict[str, Callable] | None = None, names: set[str] | None = None, singular: list | None = None,
    symbols: dict[str, sp.Symbol] | None = None, values: dict[str, sp.Expr] | None = None, differentiate: Callable = sp.diff,
) -> sp.Expr:
    r"""The value of ``tex``; ``functions`` maps names written with parentheses (``H``) to what they compute.

    ``names``, if given, receives the name of every symbol written (``a - a`` still names a);
    ``singular``, every divisor and logarithm's argument that is not a number. ``symbols`` gives a
    name its own symbol; ``values`` gives a name a value it stands for (a definition), which a
    derivative ``\frac{dJ}{da}`` differentiates with ``differentiate``.

    >>> read(r"\frac{dJ}{da}", values={"J": sp.log(sp.Symbol("a"))})
    1/a
    >>> read(r"-\frac{d}{da}y\ln(a) + \frac{\partial}{\partial a}(1-y)\ln(1-a)")
    -(1 - y)/(1 - a) - y/a
    >>> read(r"\frac{d}{d\hat y_i} \hat{y}_i^{2}")
    2*\hat{y}_{i}

    >>> read(r"\sigma(z)", {"sigma": lambda t: 1 / (1 + sp.exp(-t))})
    1/(1 + exp(-z))
    """
    reader = _Reader(tex, {"max": sp.Max, "min": sp.Min, **(functions or {})}, symbols, values, differentiate)
    try:
        value = reader.formula()
    except RecursionError:
        raise TexSyntaxError(f"{tex[:40]!r}…: nested too deep to read") from None
    if names is not None:
        names |= reader.names
    if singular is not None:
        singular.extend(reader.singular)
    return value
