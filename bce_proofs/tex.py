"""Scalar formulas as the page writes them, read back into sympy.

The grammar is `scalar_tex`'s: the notation the pages use, and an error naming anything else.
Every parsed formula is also checked against the symbols its chain declares: a symbol it does not
declare is an error that names the stray symbol.

>>> parse_tex(r"\\frac{a-y}{a(1-a)}")
(a - y)/(a*(1 - a))
>>> parse_tex(r"\\sigma(z)")
1/(1 + exp(-z))
>>> parse_tex(r"X y - Y", declared={"X", "y"})
Traceback (most recent call last):
...
bce_proofs.tex.UndeclaredSymbolError: X y - Y uses Y, which is not declared (declared: X, y)
>>> parse_tex(r"X^\\top y", declared={"X", "y"})
Traceback (most recent call last):
...
bce_proofs.scalar_tex.TexSyntaxError: 'X^\\\\top y': \\top after ^: a scalar formula has no \\top, at position 2
"""

from __future__ import annotations

from typing import Callable

import sympy as sp

from bce_proofs.scalar_tex import read

class UndeclaredSymbolError(ValueError):
    """A parsed formula uses a symbol that its chain does not declare."""


def sigmoid(t):
    """σ(t) = 1/(1 + e^{−t}), the logistic function, as sympy reads \\sigma in a formula."""
    return 1 / (1 + sp.exp(-t))


def binary_entropy(y):
    """H(y) = −y ln y − (1−y) ln(1−y), with 0 ln 0 = 0, as sympy reads H(·) in a formula.

    >>> binary_entropy(sp.Integer(0)), binary_entropy(sp.Integer(1)), binary_entropy(sp.Rational(1, 2))
    (0, 0, log(2))
    """
    if y in (0, 1):  # the limit of t ln t at 0; written out, 0·ln 0 would be nan
        return sp.Integer(0)
    return -y * sp.log(y) - (1 - y) * sp.log(1 - y)


FUNCTIONS = {"sigma": sigmoid, "H": binary_entropy}


def parse_tex(
    tex: str, symbols: dict[str, sp.Symbol] | None = None, declared: set[str] | None = None, singular: list | None = None,
    values: dict[str, sp.Expr] | None = None, differentiate: Callable = sp.diff,
) -> sp.Expr:
    """Read a displayed formula back into sympy.

    ``\\sigma(z)`` is the logistic function, ``e`` is Euler's number, and a letter
    followed by parentheses, ``a(1-a)``, is a product, as a reader means it. ``symbols``
    replaces parsed symbols by the chain's own (with their assumptions); ``declared``
    names every symbol the formula may use (default: the names in ``symbols``, if given);
    ``singular``, if given, receives what the formula divides by or takes the logarithm of;
    ``values`` maps a defined name to what it stands for (``\\frac{dJ}{da}`` differentiates it).
    """
    written: set[str] = set()
    found: list[sp.Expr] = []
    expr = read(tex, FUNCTIONS, written, found, symbols, values, differentiate)
    if declared is None and symbols is not None:
        declared = set(symbols)
    if declared is not None:
        stray = sorted(name for name in written if name not in declared)
        if stray:
            raise UndeclaredSymbolError(
                f"{tex} uses {', '.join(stray)}, which {'is' if len(stray) == 1 else 'are'} not declared "
                f"(declared: {', '.join(sorted(declared))})"
            )
    if symbols:
        renamed = {sp.Symbol(name): symbol for name, symbol in symbols.items()}
        expr = expr.subs(renamed)
        found = [piece.subs(renamed) for piece in found]
    if singular is not None:
        singular.extend(found)
    return expr
