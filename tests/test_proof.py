"""The chain checker accepts true steps and rejects false ones."""

from __future__ import annotations

import pytest
import sympy as sp

from snippets.proof import Chain, Step, StepError, parse_tex

a, y, n = sp.symbols("a y n", positive=True)
COST = -(y * sp.log(a) + (1 - y) * sp.log(1 - a)) / n
DOMAIN = {a: (0.01, 0.99), y: (0.0, 1.0), n: (1.0, 20.0)}


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        (r"\frac{a-y}{a(1-a)}", (a - y) / (a * (1 - a))),
        (r"\sigma(z)", 1 / (1 + sp.exp(-sp.Symbol("z")))),
        (r"\ln(1+e^{-|z|})", sp.log(1 + sp.exp(-sp.Abs(sp.Symbol("z"))))),
        (r"\max(z,0)", sp.Max(sp.Symbol("z"), 0)),
        (r"\left(\frac{y}{a}\right)", sp.Symbol("y") / sp.Symbol("a")),
    ],
)
def test_parse_tex_reads_formulas_as_a_reader_does(tex, expected):
    parsed = parse_tex(tex)
    assert sp.simplify(parsed - expected.subs({a: sp.Symbol("a"), y: sp.Symbol("y")})) == 0


def test_true_chain_passes():
    chain = Chain(
        r"\frac{\partial C}{\partial a}",
        sp.diff(COST, a),
        [Step(r"-\frac{1}{n}\left(\frac{y}{a} - \frac{1-y}{1-a}\right)", "r"), Step(r"\frac{a-y}{n\,a(1-a)}", "r")],
        DOMAIN,
    )
    assert len(chain.check()) == 2
    assert r"\begin{aligned}" in chain.latex()


@pytest.mark.parametrize(
    "wrong",
    [
        r"-\frac{1}{n}\left(\frac{y}{a} + \frac{1-y}{1-a}\right)",  # the classic sign error
        r"\frac{a-y}{a(1-a)}",  # dropped 1/n
        r"\frac{y-a}{n\,a(1-a)}",  # flipped sign
        r"\frac{a-y}{n}",  # sigma' cancelled where it should not
    ],
)
def test_wrong_step_is_rejected(wrong):
    chain = Chain(r"\frac{\partial C}{\partial a}", sp.diff(COST, a), [Step(wrong, "wrong")], DOMAIN)
    with pytest.raises(StepError):
        chain.check()


def test_markdown_shows_exactly_the_checked_tex():
    step = Step(r"\frac{a-y}{n\,a(1-a)}", "reason")
    chain = Chain(r"\frac{\partial C}{\partial a}", sp.diff(COST, a), [step], DOMAIN)
    assert step.tex in chain.markdown()


def test_statement_prints_the_checked_steps():
    chain = Chain(r"\frac{\partial C}{\partial a}", sp.diff(COST, a), [Step(r"\frac{a-y}{n\,a(1-a)}", "r")], DOMAIN)
    assert chain.statement() == "$$\n" + r"\frac{\partial C}{\partial a} = \frac{a-y}{n\,a(1-a)}" + "\n$$"
    wrong = Chain(r"\frac{\partial C}{\partial a}", sp.diff(COST, a), [Step(r"\frac{y-a}{n\,a(1-a)}", "r")], DOMAIN)
    with pytest.raises(StepError):
        wrong.statement()
