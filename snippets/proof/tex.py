"""Scalar formulas as the page writes them, read back into sympy.

sympy's LaTeX parser turns any command it does not know into a product of symbols
(``X^\\top`` becomes ``X**top``), so every parsed formula is checked against the symbols its
chain declares: anything else is an error that names the stray symbol.

>>> parse_tex(r"\\frac{a-y}{a(1-a)}")
(a - y)/(a*(1 - a))
>>> parse_tex(r"\\sigma(z)")
1/(1 + exp(-z))
>>> parse_tex(r"X^\\top y", declared={"X", "y"})
Traceback (most recent call last):
...
snippets.proof.tex.UndeclaredSymbolError: X^\\top y uses top, which is not declared (declared: X, y)
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.parsing.latex import parse_latex

# Spacing and sizing commands change how a formula looks, never what it means.
_COSMETIC = re.compile(r"\\left|\\right|\\[bB]igg?[lr]?|\\[,;!:]|\\quad|\\qquad|\\displaystyle")
_HAT = re.compile(r"\\hat\{(\w)\}")  # \hat{y} is one symbol, named y_{h}, not hat times y


class UndeclaredSymbolError(ValueError):
    """A parsed formula uses a symbol that its chain does not declare."""


def sigmoid(t):
    """σ(t) = 1/(1 + e^{−t}), the logistic function, as sympy reads \\sigma in a formula."""
    return 1 / (1 + sp.exp(-t))


def binary_entropy(y):
    """H(y) = −y ln y − (1−y) ln(1−y), as sympy reads H(·) in a formula."""
    return -y * sp.log(y) - (1 - y) * sp.log(1 - y)


_KNOWN_FUNCTIONS = {"max": sp.Max, "min": sp.Min, "sigma": sigmoid, "H": binary_entropy}


def parse_tex(tex: str, symbols: dict[str, sp.Symbol] | None = None, declared: set[str] | None = None) -> sp.Expr:
    """Read a displayed formula back into sympy.

    ``\\sigma(z)`` is the logistic function, ``e`` is Euler's number, and a letter
    followed by parentheses, ``a(1-a)``, is a product, as a reader means it. ``symbols``
    replaces parsed symbols by the chain's own (with their assumptions); ``declared``
    names every symbol the formula may use (default: the names in ``symbols``, if given).
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
    if declared is None and symbols is not None:
        declared = set(symbols)
    if declared is not None:
        stray = sorted(symbol.name for symbol in expr.free_symbols if symbol.name not in declared)
        if stray:
            raise UndeclaredSymbolError(
                f"{tex} uses {', '.join(stray)}, which {'is' if len(stray) == 1 else 'are'} not declared "
                f"(declared: {', '.join(sorted(declared))})"
            )
    if symbols:
        expr = expr.subs({sp.Symbol(name): symbol for name, symbol in symbols.items()})
    return expr


_PARSED = Path(__file__).resolve().parents[2] / ".cache" / "parsed-tex"


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
