"""A display whose right-hand side is its own left-hand side in disguise.

The engine reads some symbols itself: ``\\sigma(z)`` is read as 1/(1+e^{-z}) and ``H(y)`` as the
binary entropy (`bce_proofs.tex`). A chain ``\\sigma(z) = \\frac{1}{1+e^{-z}}`` then compares an
expression with itself: both sides, parsed, are the same sympy tree before any simplification, and
the check can only pass. Such a display is a definition, not a result. `Chain` refuses one (its
last step is what it shows the left-hand side equal to), and a `Definition` of this kind says so in
its status, which the ledger counts.

>>> restates_itself(r"\\sigma(z)", r"\\frac{1}{1+e^{-z}}")
True
>>> restates_itself(r"\\sigma(-z)", r"1 - \\sigma(z)")
False
>>> restates_itself(r"\\frac{d}{da} a^{2}", "2a")  # sympy differentiated: a result
False
>>> restates_itself(r"H(y)", r"-y\\ln y - (1-y)\\ln(1-y)"), restates_itself("z", r"\\frac{z(e^{z}+2)}{e^{z}+2}")
(True, False)
"""

from __future__ import annotations

import re

# A left-hand side that asks the engine to compute something (a derivative, a limit, a sum): its
# result, however plainly sympy gives it, is a result, not the left-hand side restated.
_COMPUTED = re.compile(r"\\frac\{\s*(?:d|\\partial)|\\lim|\\sum|\\int")

def _calls(tex: str, name: str) -> bool:
    return re.search(rf"\\{name}(?![A-Za-z])" if len(name) > 1 else rf"(?<![A-Za-z\\]){name}\s*\(", tex) is not None


# Shown in the status of a definition that restates the engine's reading; the ledger counts it.
ENGINE_READING = "it is how the engine itself reads its left-hand side"


def restates_itself(lhs_tex: str, rhs_tex: str, symbols: dict | None = None) -> bool:
    """Whether the left-hand side applies a function the engine reads itself (σ, H) and both sides,
    parsed, are the same expression before any simplification.

    (A step that sympy's automatic evaluation merely brings back to the left-hand side, such as
    ``z(e^z+2)/(e^z+2)`` for ``z``, is not a restatement: the engine checks it as written.)
    """
    from bce_proofs.tex import FUNCTIONS, parse_tex  # sympy, only when a display is checked

    if _COMPUTED.search(lhs_tex) or not any(_calls(lhs_tex, name) for name in FUNCTIONS):
        return False
    try:
        return parse_tex(lhs_tex, symbols) == parse_tex(rhs_tex, symbols)
    except (ValueError, TypeError):  # a left-hand side such as ∂C/∂a is not a formula the engine reads
        return False


def engine_reading(lhs_tex: str, symbols: dict | None = None):
    """What the engine reads a left-hand side such as ``\\sigma(z)`` or ``H(y)`` as, or None when it
    applies no function the engine reads itself. A definition of such a left-hand side must agree with
    it: every formula that writes ``\\sigma`` is read the engine's way, whatever a page defines.

    >>> engine_reading(r"\\sigma(z)")
    1/(1 + exp(-z))
    >>> engine_reading(r"C(w, b)") is None
    True
    """
    from bce_proofs.tex import FUNCTIONS, parse_tex

    if _COMPUTED.search(lhs_tex) or not any(_calls(lhs_tex, name) for name in FUNCTIONS):
        return None
    try:
        return parse_tex(lhs_tex, symbols)
    except (ValueError, TypeError):
        return None
