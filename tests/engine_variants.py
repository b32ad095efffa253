"""Random scalar formulas, their true rewrites and their false variants, for attacking the engine.

Each formula is a sympy expression over a ∈ (0.1, 0.9) and z ∈ (−2, 2), built from positive
pieces (a, 1−a, e^z, 1+e^z, σ(z)) with +, −, ×, ÷, integer powers and ln, so that every formula
is defined on the whole domain. `tex` prints it as the pages write formulas; the engine must read
it back (`test_engine_adversarial.py`). A variant is a formula that is *not* equal to the original
on the domain, or equal to it but undefined at a point of it; the engine must refuse every one.
"""

from __future__ import annotations

import random

import sympy as sp
from hypothesis import strategies as st

from bce_proofs import Chain, Step

a = sp.Symbol("a", positive=True)
z = sp.Symbol("z", real=True)
DOMAIN = {a: (0.1, 0.9), z: (-2.0, 2.0)}
POSITIVE_PIECES = (a, 1 - a, sp.exp(z), 1 + sp.exp(z), 1 / (1 + sp.exp(-z)))


def tex(expr: sp.Expr) -> str:
    """The formula in the pages' TeX, fully parenthesised where precedence could be in doubt."""
    if expr.is_Integer:
        return str(expr) if expr >= 0 else f"\\left({expr}\\right)"
    if expr.is_Rational:
        body = f"\\frac{{{abs(expr.p)}}}{{{expr.q}}}"
        return body if expr > 0 else f"\\left(-{body}\\right)"
    if expr is sp.E:
        return "e"
    if expr.is_Symbol:
        return expr.name
    if isinstance(expr, sp.exp):
        return f"e^{{{tex(expr.args[0])}}}"
    if isinstance(expr, sp.log):
        return f"\\ln\\left({tex(expr.args[0])}\\right)"
    if expr.is_Add:
        terms = [tex(term) for term in expr.as_ordered_terms()]
        return "\\left(" + " + ".join(terms) + "\\right)"
    if expr.is_Pow:
        base, exponent = expr.args
        if exponent.is_Integer and exponent < 0:
            return f"\\frac{{1}}{{{tex(base ** -exponent)}}}"
        return f"\\left({tex(base)}\\right)^{{{tex(exponent)}}}"
    if expr.is_Mul:
        numerator, denominator = sp.fraction(expr)
        if denominator != 1:
            return f"\\frac{{{tex(numerator)}}}{{{tex(denominator)}}}"
        return " \\cdot ".join(tex(factor) for factor in expr.args)
    raise ValueError(f"no TeX for {expr!r}")


def _combine(pair):
    kind, left, right = pair
    if kind == "+":
        return left + right
    if kind == "-":
        return left - right
    if kind == "*":
        return left * right
    return left / (1 + right**2)  # a divisor that is never zero


pieces = st.sampled_from(POSITIVE_PIECES)
leaves = st.one_of(
    pieces,
    st.integers(1, 4).map(sp.Integer),
    st.builds(lambda piece, power: piece**power, pieces, st.integers(2, 3)),
    st.builds(sp.log, pieces),
)
formulas = st.recursive(
    leaves,
    lambda children: st.tuples(st.sampled_from("+-*/"), children, children).map(_combine),
    max_leaves=5,
).filter(lambda expr: expr.free_symbols and not expr.is_number)

TRUE_REWRITES = {
    "cancel": sp.cancel,
    "together": sp.together,
    "expand_log": lambda expr: sp.expand_log(expr, force=False),
    "expand": sp.expand,
}


def _point_in_domain(rng: random.Random) -> tuple[sp.Symbol, sp.Rational]:
    symbol = rng.choice(sorted(DOMAIN, key=str))
    low, high = DOMAIN[symbol]
    return symbol, sp.Rational(rng.randint(int(low * 10) + 1, int(high * 10) - 1), 10)


def variant(kind: str, expr: sp.Expr, rng: random.Random) -> tuple[str, sp.Expr | None]:
    """A false variant of ``expr`` of the given kind: its TeX, and its value (None: none of that kind)."""
    terms = sp.Add.make_args(expr)
    term = rng.choice(terms)
    if kind == "sign":
        changed = expr - 2 * term
    elif kind == "coefficient":
        changed = expr + term  # one term doubled
    elif kind == "exponent":
        powers = sorted(expr.atoms(sp.Pow), key=str)
        if not powers:
            return "", None
        power = rng.choice(powers)
        changed = expr.xreplace({power: power.base ** (power.exp + 1)})
    elif kind == "argument":
        calls = sorted(expr.atoms(sp.log, sp.exp), key=str)
        if not calls:
            return "", None
        call = rng.choice(calls)
        changed = expr.xreplace({call: call.func(call.args[0] + 1)})
    elif kind == "vanishing term":
        symbol, point = _point_in_domain(rng)
        changed = expr + rng.choice([1, sp.Rational(1, 10**12)]) * (symbol - point) ** rng.choice([1, 2])
    elif kind == "undefined term":
        symbol, point = _point_in_domain(rng)
        shown = rng.choice(
            [
                f"{tex(expr)} + \\frac{{0}}{{{tex(symbol - point)}}}",
                f"{tex(expr)} \\cdot \\frac{{{tex(symbol - point)}}}{{{tex(symbol - point)}}}",
                f"{tex(expr)} + 0\\cdot\\ln\\left({tex(symbol - point)}\\right)^{{2}}",
            ]
        )
        return shown, expr
    elif kind == "non-polynomial divisor":
        symbol, point = _point_in_domain(rng)
        shift = tex(symbol - point)
        # Each vanishes at symbol = point and nowhere else nearby: the formula times it over it.
        factor = rng.choice(
            [
                rf"e^{{{shift}}} - 1",
                rf"\ln\left(1 + {shift}\right)",
                rf"\sinh\left({shift}\right)",
                rf"\tanh\left({shift}\right)",
                rf"\sin\left({shift}\right)",
                rf"\sigma\left({shift}\right) - \frac{{1}}{{2}}",
                rf"e^{{{shift}}} - 1 - \frac{{\sin\left({shift}\right)}}{{2}}",
            ]
        )
        return rf"\frac{{\left({tex(expr)}\right)\left({factor}\right)}}{{{factor}}}", expr
    else:
        raise ValueError(f"no variant of kind {kind!r}")
    return tex(changed), changed


VARIANT_KINDS = ("sign", "coefficient", "exponent", "argument", "vanishing term", "undefined term", "non-polynomial divisor")
# Variants equal to the formula wherever both are defined: false only because undefined at a point.
UNDEFINED_KINDS = ("undefined term", "non-polynomial divisor")


def chain(expr: sp.Expr, step_tex: str) -> Chain:
    return Chain("L", expr, [Step(step_tex, "variant")], domain=DOMAIN, symbols=(a, z))


def equal_on_domain(left: sp.Expr, right: sp.Expr) -> bool:
    """Whether two formulas are equal, by sympy: a variant equal to its original is no false step."""
    return sp.simplify(left - right) == 0
