"""The scalar grammar reads what a reader reads, and what sympy's own LaTeX parser reads too."""

from __future__ import annotations

import importlib
import pkgutil
import random
import re

import pytest
import sympy as sp
from sympy.core.function import AppliedUndef

import snippets
import snippets.exercises
from bce_proofs.chain import Chain, Definition
from bce_proofs.scalar_tex import TexSyntaxError, read
from bce_proofs.tex import FUNCTIONS, parse_tex

a, b, n, y, z = sp.symbols("a b n y z")


def _site_formulas() -> list[str]:
    """Every step and definition that a claim or exercise module keeps at module level."""
    found: set[str] = set()

    def walk(value, depth=0):
        if isinstance(value, Chain):
            found.update(step.tex for step in value.steps)
        elif isinstance(value, Definition):
            found.add(value.rhs_tex)
        elif isinstance(value, (list, tuple, dict)) and depth < 3:
            for item in value.values() if isinstance(value, dict) else value:
                walk(item, depth + 1)

    for package in (snippets, snippets.exercises):
        for module in pkgutil.iter_modules(package.__path__):
            if not module.ispkg:
                for value in vars(importlib.import_module(f"{package.__name__}.{module.name}")).values():
                    walk(value)
    return sorted(found)


SITE_FORMULAS = _site_formulas()


def test_the_site_has_formulas_to_compare():
    assert len(SITE_FORMULAS) > 100


def _as_sympy_reads_it(tex: str) -> sp.Expr:
    """sympy's ANTLR parser, with the readings the site means: σ and H, a(1-a) a product, e and π."""
    from sympy.parsing.latex import parse_latex

    # It reads \big( and \, as symbols: they go first, as the engine's parse did when it used this parser.
    expr = parse_latex(re.sub(r"\\left|\\right|\\[bB]igg?[lr]?|\\[,;!:]|\\quad|\\qquad", " ", tex).replace(r"\hat{y}", "y_{h}"))
    known = {**FUNCTIONS, "max": sp.Max, "min": sp.Min}
    expr = expr.replace(
        lambda node: isinstance(node, AppliedUndef),
        lambda node: known[node.func.__name__](*node.args) if node.func.__name__ in known else sp.Mul(sp.Symbol(node.func.__name__), *node.args),
    )
    expr = expr.replace(lambda node: isinstance(node, sp.log) and len(node.args) == 2, lambda node: sp.log(node.args[0]) / sp.log(node.args[1]))
    return expr.subs({sp.Symbol("e"): sp.E, sp.Symbol("pi"): sp.pi})


def _same_value(left: sp.Expr, right: sp.Expr) -> bool:
    difference = left - right
    if sp.simplify(difference) == 0:
        return True
    rng = random.Random(0)
    for _ in range(20):
        point = {symbol: rng.uniform(0.1, 0.9) for symbol in difference.free_symbols}
        if abs(complex(difference.evalf(30, subs=point))) > 1e-12:
            return False
    return True


@pytest.mark.parametrize("tex", SITE_FORMULAS)
def test_every_site_formula_reads_as_sympys_parser_reads_it(tex):
    ours = read(tex, FUNCTIONS)
    theirs = _as_sympy_reads_it(tex)
    assert ours.free_symbols <= theirs.free_symbols, (ours, theirs)
    assert _same_value(ours, theirs), (ours, theirs)


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        (r"1/n a", 1 / (n * a)),  # juxtaposition binds tighter than /
        (r"\frac{1}{2}(a-y)^{2}", (a - y) ** 2 / 2),
        (r"-y\ln y", -y * sp.log(y)),
        (r"\ln\frac{y}{a} + b", sp.log(y / a) + b),
        (r"a^{b}(1-a)^{1-b}", a**b * (1 - a) ** (1 - b)),
        (r"e^{-|z|}", sp.exp(-sp.Abs(z))),
        (r"\max(z,0) - zy", sp.Max(z, 0) - z * y),
        (r"\sigma(z)(1-\sigma(z))", FUNCTIONS["sigma"](z) * (1 - FUNCTIONS["sigma"](z))),
        (r"\Big[a - b\Big]\cdot 2", 2 * (a - b)),
        (r"\frac{1}{\pi(1+z^{2})}", 1 / (sp.pi * (1 + z**2))),
        (r"x_j^{2}", sp.Symbol("x_{j}") ** 2),
        (r"y'_{1} - z_T", sp.Symbol("y_{1}'") - sp.Symbol("z_{T}")),
    ],
)
def test_readings(tex, expected):
    assert sp.simplify(read(tex, FUNCTIONS) - expected) == 0


@pytest.mark.parametrize(
    ("tex", "problem"),
    [
        (r"\ln a b", r"write \ln(…) around a product"),
        (r"X^\top y", r"\top after ^"),
        (r"a \odot b", r"unknown command \odot"),
        (r"\sigma z", r"\sigma needs its argument in parentheses"),
        (r"(a + b", "expected ')'"),
        (r"a +", "unexpected end"),
        (r"x^23", "write ^{23} with braces"),
    ],
)
def test_what_the_grammar_refuses_is_named(tex, problem):
    with pytest.raises(TexSyntaxError, match=re.escape(problem)):
        read(tex, FUNCTIONS)


def test_a_symbol_that_cancels_is_still_declared_or_refused():
    with pytest.raises(ValueError, match="uses q, which is not declared"):
        parse_tex("a + q - q", declared={"a"})
