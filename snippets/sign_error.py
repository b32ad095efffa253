"""dJ/dŷ for binary cross-entropy, and the sign error that forgetting d(1−ŷ)/dŷ = −1 causes.

>>> sp.simplify(WRONG_VALUE - DERIVATIVE) == 0
False
"""

from __future__ import annotations

import sympy as sp

from snippets.proof import Chain, Step, StepError, parse_tex

y_hat = sp.Symbol("y_{h}", positive=True)  # written \hat{y} on the page
y = sp.Symbol("y", nonnegative=True)
m = sp.Symbol("m", positive=True)
DOMAIN = {y_hat: (0.01, 0.99), y: (0.0, 1.0), m: (1.0, 100.0)}

# Input i's share of J = −(1/m) Σ [y ln ŷ + (1−y) ln(1−ŷ)].
COST = -(y * sp.log(y_hat) + (1 - y) * sp.log(1 - y_hat)) / m
DERIVATIVE = sp.diff(COST, y_hat)

right = Chain(
    r"\frac{\partial J}{\partial \hat{y}}",
    DERIVATIVE,
    [
        Step(
            r"-\frac{1}{m}\left(\frac{y}{\hat{y}} + \frac{1-y}{1-\hat{y}}\cdot(-1)\right)",
            r"chain rule: $\frac{d}{d\hat y}\ln(1-\hat y) = \frac{1}{1-\hat y}\cdot\frac{d(1-\hat y)}{d\hat y}$",
        ),
        Step(r"-\frac{1}{m}\left(\frac{y}{\hat{y}} - \frac{1-y}{1-\hat{y}}\right)", r"the $-1$ turns $+$ into $-$"),
        Step(r"-\frac{1}{m}\cdot\frac{y(1-\hat{y}) - (1-y)\hat{y}}{\hat{y}(1-\hat{y})}", "common denominator"),
        Step(r"\frac{\hat{y} - y}{m\,\hat{y}(1-\hat{y})}", r"the $y\hat y$ terms cancel"),
    ],
    DOMAIN,
)

WRONG_TEX = r"-\frac{1}{m}\left(\frac{y}{\hat{y}} + \frac{1-y}{1-\hat{y}}\right)"
WRONG_VALUE = parse_tex(WRONG_TEX, {"y_{h}": y_hat, "y": y, "m": m})
COUNTEREXAMPLE = {y_hat: sp.Rational(7, 10), y: sp.Rational(1, 2), m: 1}


def at_the_minimum() -> str:
    """At ŷ = y the cost is minimal, so the derivative must vanish there; the wrong form does not."""
    right_value = sp.simplify(DERIVATIVE.subs(y_hat, y))
    wrong_value = sp.simplify(WRONG_VALUE.subs(y_hat, y))
    assert right_value == 0 and wrong_value != 0
    return (
        f"At $\\hat y = y$ the right form gives ${sp.latex(right_value)}$; "
        f"the wrong one gives ${sp.latex(wrong_value)}$."
    )


def wrong_form_is_rejected() -> str:
    """The wrong derivative, put through the same check as the right one, must fail it."""
    try:
        Chain(r"\frac{\partial J}{\partial \hat{y}}", DERIVATIVE, [Step(WRONG_TEX, "forgot the -1")], DOMAIN).check()
    except StepError:
        return "rejected"
    raise AssertionError("the wrong derivative passed the check")


def _tex(expr) -> str:
    return sp.latex(expr).replace("y_{h}", r"\hat{y}")


def counterexample_markdown() -> str:
    point = ", ".join(f"{_tex(symbol)} = {value}" for symbol, value in COUNTEREXAMPLE.items())
    true_value = DERIVATIVE.subs(COUNTEREXAMPLE)
    wrong_value = WRONG_VALUE.subs(COUNTEREXAMPLE)
    assert true_value > 0 > wrong_value
    wrong_on_grid = sp.lambdify((y_hat, y, m), WRONG_VALUE)
    grid = [(p / 100, t / 10, 1) for p in range(1, 100) for t in range(11)]
    assert all(wrong_on_grid(*point) < 0 for point in grid)  # the claim "negative for every ŷ"
    difference = sp.factor(sp.simplify(WRONG_VALUE - DERIVATIVE))
    return (
        f"At ${point}$ the true derivative is ${sp.latex(true_value)} \\approx {float(true_value):.4f}$, "
        f"the wrong form gives ${sp.latex(wrong_value)} \\approx {float(wrong_value):.4f}$ — the opposite sign. "
        f"In general the wrong form is off by "
        f"${_tex(difference)}$, "
        f"which is zero only when $y = 1$, where the term with the forgotten factor vanishes. "
        f"Worse, the wrong form is negative for every $\\hat y$: it says that raising the prediction always "
        f"lowers the cost, and gradient descent would push every prediction towards $1$."
    )
