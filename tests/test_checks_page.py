"""docs/checks.md (and the index): what a *proved* display guarantees, against the displays themselves."""

from __future__ import annotations

import re
from pathlib import Path

import sympy as sp

from displays import displays
from bce_proofs.chain import Chain

ROOT = Path(__file__).resolve().parent.parent
THIRD = sp.Rational(1, 3)


def undefined_where_allowed(chain: Chain) -> str | None:
    """A point the symbols' assumptions allow where the left-hand side is undefined, or None.

    Every symbol is 1/3 (inside (0, 1), where a prediction lives) but one nonnegative symbol, moved
    to 0, 1 or 2, values that "y ≥ 0" allows.
    """
    free = sorted(chain.lhs_value.free_symbols, key=lambda symbol: symbol.name)
    for symbol in free:
        if not symbol.is_nonnegative or symbol.name.startswith("a"):  # a prediction is in (0, 1)
            continue
        for value in (0, 1, 2):
            if symbol.is_positive and value == 0:
                continue
            there = chain.lhs_value.subs({**{other: THIRD for other in free}, symbol: value})
            if there.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or there.is_real is False:
                return f"{symbol} = {value}"
    return None


def test_several_proved_displays_are_undefined_somewhere_their_assumptions_allow():
    found = {
        found.name: where
        for found in displays()
        if isinstance(found.display, Chain) and found.display.status == "proved"
        and (where := undefined_where_allowed(found.display))
    }
    assert len(found) >= 5, found
    assert "y = 0" in found.values()


def test_the_promise_is_stated_where_both_sides_are_defined():
    # With the displays above, "holds for every value the assumptions allow" alone would be false.
    checks = " ".join((ROOT / "docs" / "checks.md").read_text().split())
    proved = re.search(r"a \*\*proved\*\* display holds[^;]*;", checks)
    assert proved and "wherever both its sides are defined" in proved.group()
    index = " ".join((ROOT / "docs" / "index.md").read_text().split())
    assert re.search(r"\*proved\* holds wherever both its sides are defined", index)
