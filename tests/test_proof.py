"""The chain checker accepts true steps and rejects false ones."""

from __future__ import annotations

import pytest
import sympy as sp

from bce_proofs import Chain, Step, StepError, parse_tex

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
    assert chain.status == "proved"
    html = chain.markdown()
    assert 'data-status="proved"' in html and html.count('class="proof-step"') == 2


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
    assert r"\[\frac{\partial C}{\partial a} = \frac{a-y}{n\,a(1-a)}\]" in chain.statement()
    wrong = Chain(r"\frac{\partial C}{\partial a}", sp.diff(COST, a), [Step(r"\frac{y-a}{n\,a(1-a)}", "r")], DOMAIN)
    with pytest.raises(StepError):
        wrong.statement()


def test_a_step_may_use_only_declared_symbols():
    chain = Chain(r"\frac{\partial C}{\partial a}", sp.diff(COST, a), [Step(r"\frac{a-q}{n\,a(1-a)}", "r")], DOMAIN)
    with pytest.raises(StepError, match="uses q, which is not declared"):
        chain.check()


def test_an_unknown_command_is_not_read_as_a_product_of_letters():
    chain = Chain("a", a, [Step(r"a^\top", "r")], DOMAIN)
    with pytest.raises(StepError, match="top"):
        chain.check()


def test_a_failure_names_where_the_step_is_written_and_the_values():
    chain = Chain(r"\frac{\partial C}{\partial a}", sp.diff(COST, a), [Step(r"\frac{y-a}{n\,a(1-a)}", "r")], DOMAIN)
    with pytest.raises(StepError, match=r"tests/test_proof.py:\d+: step 1 .* but the left-hand side is") as failure:
        chain.check()
    assert "+0j" not in str(failure.value)


def test_reasons_are_text_with_inline_math():
    chain = Chain("a", a, [Step("a", "σ(z) < 1 and e^z > 0 while $e^{z}$ is math")], DOMAIN)
    html = chain.markdown()
    assert "σ(z) &lt; 1 and e^z &gt; 0" in html
    assert r'<span class="arithmatex">\(e^{z}\)</span>' in html


def test_a_definition_is_parsed_into_the_value_checks_start_from():
    from bce_proofs import Definition

    cost = Definition("c(a, y)", r"-\big[y\ln a + (1-y)\ln(1-a)\big]", symbols=(a, y))
    assert sp.simplify(cost.value - COST * n) == 0
    assert 'data-status="definition"' in cost.markdown()
    with pytest.raises(StepError, match="not declared"):
        _ = Definition("c", r"-y\ln b", symbols=(y,)).value


def test_a_wrong_step_in_which_a_symbol_cancels_is_a_step_error():
    chain = Chain("a + y", a + y, [Step("a + 2y", "wrong")], DOMAIN)
    with pytest.raises(StepError, match="but the left-hand side is"):
        chain.check()
