"""∂C/∂a for binary cross-entropy, and the sign error that forgetting d(1−a)/da = −1 causes.

a is the prediction (the asker's ŷ), y the target, n the number of examples, and C the averaged cost.

>>> sp.simplify(WRONG_VALUE - DERIVATIVE) == 0
False
"""

from __future__ import annotations

import sympy as sp

from bce_proofs import Chain, Remark, Step, StepError, parse_tex

# The claims this one builds on (the map on docs/checks.md).
BUILDS_ON = ("soft_target_minimum",)

a = sp.Symbol("a", positive=True)  # the prediction, in (0, 1)
y = sp.Symbol("y", nonnegative=True)
n = sp.Symbol("n", positive=True)
z = sp.Symbol("z", real=True)
DOMAIN = {a: (0.01, 0.99), y: (0.0, 1.0), n: (1.0, 100.0), z: (-6.0, 6.0)}

# Example i's share of C = −(1/n) Σ [y ln a + (1−y) ln(1−a)].
COST = -(y * sp.log(a) + (1 - y) * sp.log(1 - a)) / n
DERIVATIVE = sp.diff(COST, a)

right = Chain(
    r"\frac{\partial C}{\partial a}",
    DERIVATIVE,
    [
        Step(
            r"-\frac{1}{n}\left(\frac{y}{a} + \frac{1-y}{1-a}\cdot(-1)\right)",
            r"chain rule: $\frac{d}{da}\ln(1-a) = \frac{1}{1-a}\cdot\frac{d(1-a)}{da}$",
        ),
        Step(r"-\frac{1}{n}\left(\frac{y}{a} - \frac{1-y}{1-a}\right)", r"the $-1$ turns $+$ into $-$"),
        Step(r"-\frac{1}{n}\cdot\frac{y(1-a) - (1-y)a}{a(1-a)}", "common denominator"),
        Step(r"\frac{a - y}{n\,a(1-a)}", r"the $ya$ terms cancel"),
    ],
    DOMAIN,
)

WRONG_TEX = r"-\frac{1}{n}\left(\frac{y}{a} + \frac{1-y}{1-a}\right)"
WRONG_VALUE = parse_tex(WRONG_TEX, {"a": a, "y": y, "n": n})
wrong_display = Remark(
    r"\frac{\partial C}{\partial a} \overset{?}{=} " + WRONG_TEX,
    "the classic wrong step, shown on purpose: the checker rejects it (below)",
)
COUNTEREXAMPLE = {a: sp.Rational(7, 10), y: sp.Rational(1, 2), n: 1}

# How far the wrong form is from the right one, displayed as a reader would write it.
wrong_minus_right = Chain(
    r"\text{wrong} - \frac{\partial C}{\partial a}",
    WRONG_VALUE - DERIVATIVE,
    [Step(r"-\frac{2(1-y)}{n(1-a)}", r"the two $\frac{1-y}{1-a}$ terms add instead of cancelling")],
    DOMAIN,
)

# The wrong form over a common denominator: its numerator is a weighted average of a and 1 − a.
wrong_over_common_denominator = Chain(
    r"-\frac{1}{n}\left(\frac{y}{a} + \frac{1-y}{1-a}\right)",
    WRONG_VALUE,
    [Step(r"-\frac{y(1-a) + (1-y)a}{n\,a(1-a)}", "common denominator")],
    DOMAIN,
)


def wrong_form_is_negative() -> bool:
    """The wrong form is negative for every a in (0, 1), y in [0, 1] and n > 0, proved by sympy.

    Its numerator y(1−a) + (1−y)a is linear in y, so on [0, 1] it lies between its values at y = 0 and
    y = 1, a and 1 − a; with a = 1/(1+u), u > 0 (exactly a in (0, 1)) sympy's assumptions prove both, and
    the denominator n·a(1−a), positive.
    """
    wrong_over_common_denominator.check()
    numerator = y * (1 - a) + (1 - y) * a
    u = sp.Symbol("u", positive=True)
    inside = {a: 1 / (1 + u)}
    linear = sp.degree(sp.expand(numerator), y) == 1
    ends_positive = all(sp.simplify(numerator.subs(y, end).subs(inside)).is_positive for end in (0, 1))
    denominator_positive = sp.simplify((n * a * (1 - a)).subs(inside)).is_positive
    return bool(linear and ends_positive and denominator_positive)


# The derivative in a holds for any output activation; only the sigmoid turns it into a − y. Example:
# a = 1/2 + arctan(z)/π, another map onto (0, 1), whose derivative is 1/(π(1 + z²)), not a(1 − a).
ARCTAN_ACTIVATION = sp.Rational(1, 2) + sp.atan(z) / sp.pi

other_activation = Chain(
    r"\frac{\partial C}{\partial z}\Big|_{a = \frac12 + \frac{1}{\pi}\arctan z}",
    sp.diff(COST.subs(a, ARCTAN_ACTIVATION), z),
    [
        Step(
            r"\frac{a - y}{n\,a(1-a)}\cdot\frac{1}{\pi(1+z^{2})}",
            r"$\frac{\partial C}{\partial a}$ as above, times $\frac{da}{dz}$",
        )
    ],
    DOMAIN,
    definitions={a: ARCTAN_ACTIVATION},
)

sigmoid_activation = Chain(
    r"\frac{\partial C}{\partial z}\Big|_{a = \sigma(z)}",
    sp.diff(COST.subs(a, 1 / (1 + sp.exp(-z))), z),
    [
        Step(r"\frac{a - y}{n\,a(1-a)}\cdot a(1-a)", r"$\sigma'(z) = a(1-a)$"),
        Step(r"\frac{a - y}{n}", r"the sigmoid's derivative $a(1-a)$ cancels the denominator"),
    ],
    DOMAIN,
    definitions={a: 1 / (1 + sp.exp(-z))},
)


# At a hard target, each form as it is displayed: (target, right form, wrong form).
HARD_TARGET_FORMS = ((0, r"\frac{1}{n(1-a)}", r"-\frac{1}{n(1-a)}"), (1, r"-\frac{1}{n\,a}", r"-\frac{1}{n\,a}"))


def hard_targets() -> str:
    """At y = 0 and y = 1 no a in (0, 1) zeroes the derivative; what each form gives there.

    Each displayed form is parsed back and compared with the form computed at that target.
    """
    lines = []
    for target, right_tex, wrong_tex in HARD_TARGET_FORMS:
        for tex, value in ((right_tex, DERIVATIVE), (wrong_tex, WRONG_VALUE)):
            if sp.simplify(parse_tex(tex, {"a": a, "n": n}) - value.subs(y, target)) != 0:
                raise StepError(f"{tex} is not the derivative at y = {target}")
        assert sp.solve(DERIVATIVE.subs(y, target), a) == []
        same = right_tex == wrong_tex
        lines.append(
            f"- $y = {target}$: the right form is ${right_tex}$, never $0$ on $(0, 1)$; "
            f"the wrong one is ${wrong_tex}$"
            + (" — the same, since the forgotten term has the factor $1 - y = 0$." if same else " — the opposite sign.")
        )
    return "\n".join(lines)


def at_the_minimum() -> str:
    """For a soft target the cost is minimal at a = y, so the derivative must vanish there; the wrong form does not."""
    right_value = sp.simplify(DERIVATIVE.subs(a, y))
    wrong_value = sp.simplify(WRONG_VALUE.subs(a, y))
    assert right_value == 0 and wrong_value != 0
    return (
        f"At $a = y$ the right form gives ${sp.latex(right_value)}$; "
        f"the wrong one gives ${sp.latex(wrong_value)}$."
    )


def wrong_form_is_rejected() -> str:
    """The wrong derivative, put through the same check as the right one, must fail it."""
    try:
        Chain(r"\frac{\partial C}{\partial a}", DERIVATIVE, [Step(WRONG_TEX, "forgot the -1")], DOMAIN).check()
    except StepError:
        return "rejected"
    raise AssertionError("the wrong derivative passed the check")


def counterexample_markdown() -> str:
    point = ", ".join(f"{sp.latex(symbol)} = {value}" for symbol, value in COUNTEREXAMPLE.items())
    true_value = DERIVATIVE.subs(COUNTEREXAMPLE)
    wrong_value = WRONG_VALUE.subs(COUNTEREXAMPLE)
    assert true_value > 0 > wrong_value
    return (
        f"At ${point}$ the true derivative is ${sp.latex(true_value)} \\approx {float(true_value):.4f}$, "
        f"the wrong form gives ${sp.latex(wrong_value)} \\approx {float(wrong_value):.4f}$ — the opposite sign."
    )


# The asker's expected result, in this page's letters (their ŷ_i is a, their m is n).
ASKERS_EXPECTED_TEX = r"-1\left(\frac{y}{a} - \frac{1-y}{1-a}\right)"


def one_training_example() -> dict[str, object]:
    """For one training example the question's −1/m is −1: the asker's expected result is that case.

    >>> one_training_example()
    {'factor': -1, 'expected_is_the_derivative': True}
    """
    expected = parse_tex(ASKERS_EXPECTED_TEX, {"a": a, "y": y})
    return {
        "factor": (-1 / n).subs(n, 1),
        "expected_is_the_derivative": sp.simplify(DERIVATIVE.subs(n, 1) - expected) == 0,
    }
