r"""Where a divisor, or a logarithm's argument, vanishes inside a chain's domain.

A step is undefined wherever something it divides by (or takes the logarithm of) is 0. Whatever
the function, the zeros inside the declared intervals are found in one of two ways:

- **exactly**, when the piece has one symbol and sympy's ``solveset`` settles it on the interval
  (a finite set of roots, or none);
- otherwise by **interval arithmetic** (``mpmath.iv``): the piece is evaluated over boxes of the
  domain, each evaluation an enclosure of every value the piece takes there. A box whose enclosure
  excludes 0 holds no zero, rigorously; any other box is halved along its widest side. The search
  ends when every box is cleared, when a box has shrunk to a point where the piece is 0 to 30
  digits (a zero), or two corners of a box where the piece is defined have opposite signs (a zero
  between them), or when it cannot go on (a box too small to halve, or its budget spent): then the
  zeros cannot be excluded, and the step is refused saying so. The domain's intervals are open; the
  search covers each but for a sliver of 10^-12 of its width at either end.

>>> z = sp.Symbol("z", real=True)
>>> search(sp.exp(z) - 1, {z: (-1.0, 1.0)}).zero
{z: 0}
>>> search(sp.exp(z) + sp.tanh(z) + 2, {z: (-1.0, 1.0)}).zero is None
True
>>> found = search(sp.exp(z) - sp.Rational(3, 2) - sp.sin(z) / 4, {z: (-1.0, 1.0)})
>>> found.how, round(float(found.zero[z]), 6)
('interval search', 0.479548)
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import mpmath
import sympy as sp
from sympy.functions.elementary.hyperbolic import HyperbolicFunction

iv = mpmath.iv
BUDGET = 20_000  # boxes examined before the search gives up (a clear piece takes a handful)
NEGLIGIBLE = mpmath.mpf(10) ** -30  # |piece| below this at a point is taken as a zero there
SLIVER = mpmath.mpf(10) ** -12  # of each interval's width, left out at both ends (see `_inside`)


@dataclass(frozen=True)
class Found:
    """What a search for zeros found: a zero inside the domain (exact or located), or none, or a
    reason why zeros could not be excluded; and how many points or boxes it examined."""

    zero: dict | None
    how: str  # "solveset", "interval search"
    examined: int = 0
    undecided: str = ""


def _interval_abs(x):
    if x.a >= 0:
        return x
    if x.b <= 0:
        return -x
    return iv.mpf([0, max(-x.a, x.b)])


def _interval_max(*values):
    values = [iv.mpf(value) for value in values]
    return iv.mpf([max(value.a for value in values), max(value.b for value in values)])


def _interval_min(*values):
    values = [iv.mpf(value) for value in values]
    return iv.mpf([min(value.a for value in values), min(value.b for value in values)])


def _interval_atan(x):
    # atan is increasing: its endpoints, each widened by an ulp, enclose its range.
    low, high = mpmath.atan(mpmath.mpf(x.a)), mpmath.atan(mpmath.mpf(x.b))
    return iv.mpf([low - abs(low) * mpmath.eps - mpmath.eps, high + abs(high) * mpmath.eps + mpmath.eps])


_INTERVAL_FUNCTIONS = {
    "exp": iv.exp, "log": iv.log, "sin": iv.sin, "cos": iv.cos, "tan": iv.tan, "sqrt": iv.sqrt,
    "Abs": _interval_abs, "Max": _interval_max, "Min": _interval_min, "atan": _interval_atan, "pi": iv.pi, "E": iv.e,
    "mpf": iv.mpf,  # constants enter as intervals too: an mpf times an interval is refused
}
_SUPPORTED = {sp.exp, sp.log, sp.sin, sp.cos, sp.tan, sp.Abs, sp.Max, sp.Min, sp.atan}


def _unsupported(expr: sp.Expr) -> set[str]:
    return {type(function).__name__ for function in expr.atoms(sp.Function) if type(function) not in _SUPPORTED}


def search(piece: sp.Expr, domain: dict[sp.Symbol, tuple[float, float]], budget: int = BUDGET) -> Found:
    """The zeros of ``piece`` inside the open box ``domain`` (an interval for each of its symbols)."""
    symbols = sorted(piece.free_symbols, key=lambda symbol: symbol.name)
    if len(symbols) == 1:
        exact = _solved(piece, symbols[0], domain[symbols[0]])
        if exact is not None:
            return exact
    return _interval_search(piece, symbols, domain, budget)


def _solved(piece: sp.Expr, symbol: sp.Symbol, interval: tuple[float, float]) -> Found | None:
    """The zeros on the interval as sympy's ``solveset`` gives them, or None if it cannot."""
    low, high = (_exact(bound) for bound in interval)
    try:
        roots = sp.solveset(piece, symbol, sp.Interval.open(low, high))
    except (NotImplementedError, ValueError, TypeError):
        return None
    if roots is sp.S.EmptySet:
        return Found(None, "solveset")
    if isinstance(roots, sp.FiniteSet):
        return Found({symbol: min(roots, key=sp.default_sort_key)}, "solveset")
    return None


def _interval_search(piece: sp.Expr, symbols: list[sp.Symbol], domain: dict, budget: int) -> Found:
    piece = piece.rewrite(sp.exp) if piece.atoms(HyperbolicFunction) else piece
    # A decimal becomes the rational it stands for, which the interval printer can enclose.
    piece = piece.xreplace({number: sp.Rational(number) for number in piece.atoms(sp.Float)})
    unsupported = _unsupported(piece)
    if unsupported:
        return Found(None, "interval search", 0, f"no interval arithmetic for {', '.join(sorted(unsupported))}")
    enclose = sp.lambdify(symbols, piece, modules=[_INTERVAL_FUNCTIONS, "mpmath"])
    value_at = sp.lambdify(symbols, piece, modules="mpmath")
    boxes = [[_inside(*domain[symbol]) for symbol in symbols]]
    saved, iv.prec = iv.prec, 80
    try:
        with mpmath.workdps(40):
            return _bisect(enclose, value_at, symbols, boxes, budget, boxes[0])
    finally:
        iv.prec = saved


def _inside(low: float, high: float) -> tuple:
    """The closed interval searched for an open one: its ends moved in by 10^-12 of its width,
    since no box touching a zero at an excluded end (1 - e^{-z} at z = 0 of (0, 8)) can be cleared."""
    low, high = mpmath.mpf(low), mpmath.mpf(high)
    if mpmath.isinf(low) or mpmath.isinf(high):
        return (low if mpmath.isinf(low) else low + SLIVER * max(1, abs(low)),
                high if mpmath.isinf(high) else high - SLIVER * max(1, abs(high)))
    margin = (high - low) * SLIVER
    return (low + margin, high - margin)


def _exact(bound: float) -> sp.Expr:
    if bound in (float("inf"), float("-inf")):
        return sp.oo if bound > 0 else -sp.oo
    return sp.nsimplify(bound, rational=True)


def _middle(low, high):
    """Where a box side is halved: its midpoint, or on an unbounded side a point further out each time."""
    if mpmath.isinf(low) and mpmath.isinf(high):
        return mpmath.mpf(0)
    if mpmath.isinf(high):
        return low + max(1, abs(low))
    if mpmath.isinf(low):
        return high - max(1, abs(high))
    return (low + high) / 2


def _bisect(enclose, value_at, symbols: list[sp.Symbol], boxes: list, budget: int, domain: list) -> Found:
    """Halve boxes until each is cleared, or a zero strictly inside the open ``domain`` is found."""
    examined = 0
    while boxes:
        box = boxes.pop()
        examined += 1
        if examined > budget:
            return Found(None, "interval search", examined, f"{budget} boxes did not clear the domain")
        try:
            enclosure = iv.mpf(enclose(*(iv.mpf([low, high]) for low, high in box)))
        except (ZeroDivisionError, ValueError):
            enclosure = None  # the box reaches a point where the piece itself is undefined: halve it
        if enclosure is not None and (enclosure.a > 0 or enclosure.b < 0):
            continue
        centre = [_middle(low, high) for low, high in box]
        if _value(value_at, centre) < NEGLIGIBLE:
            return Found(dict(zip(symbols, centre)), "interval search", examined)
        if enclosure is not None and mpmath.isfinite(enclosure.a) and mpmath.isfinite(enclosure.b):
            # A finite enclosure means the piece is defined, so continuous, on the whole box: two
            # corners of opposite sign have a zero on the segment between them.
            zero = _between_corners(value_at, box)
            if zero is not None and all(low < value < high for value, (low, high) in zip(zero, domain)):
                return Found(dict(zip(symbols, zero)), "interval search", examined)
        side = max(range(len(box)), key=lambda index: box[index][1] - box[index][0])
        low, high = box[side]
        middle = _middle(low, high)
        if not low < middle < high or high - low < mpmath.mpf(10) ** -25:
            where = ", ".join(f"{symbol} = {mpmath.nstr(value, 8)}" for symbol, value in zip(symbols, centre))
            return Found(None, "interval search", examined, f"a zero cannot be excluded near {where}")
        boxes.append([*box[:side], (low, middle), *box[side + 1:]])
        boxes.append([*box[:side], (middle, high), *box[side + 1:]])
    return Found(None, "interval search", examined)


def _value(value_at, point) -> mpmath.mpf:
    try:
        return abs(mpmath.mpf(value_at(*point)))
    except (ZeroDivisionError, ValueError, TypeError):
        return mpmath.inf


def _between_corners(value_at, box) -> list | None:
    """A zero on the segment between two corners of the box where the piece has opposite signs."""
    corners = list(itertools.product(*box))
    if any(mpmath.isinf(value) for corner in corners for value in corner):
        return None
    signs = {}
    for corner in corners:
        try:
            signs[corner] = mpmath.sign(mpmath.re(value_at(*corner)))
        except (ZeroDivisionError, ValueError, TypeError):
            return None
    first = corners[0]
    other = next((corner for corner in corners[1:] if signs[corner] * signs[first] < 0), None)
    if other is None:
        return None
    low, high = mpmath.mpf(0), mpmath.mpf(1)
    point = lambda t: [start + t * (end - start) for start, end in zip(first, other)]  # noqa: E731
    for _ in range(100):
        middle = (low + high) / 2
        if mpmath.sign(mpmath.re(value_at(*point(middle)))) == signs[first]:
            low = middle
        else:
            high = middle
    return point((low + high) / 2)
