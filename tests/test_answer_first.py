"""Each page opens with its answer: the display that answers the page's question is the first display of
the built page, above its first section heading, and it is the display the engine prints for it.

Read from the built HTML, no browser. A display is identified by its id, which the engine derives from
the display's own TeX (`snippets.proof.display.anchor`), so the test fails when a page opens with another
display, or moves its answer below the first heading.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from snippets import backprop, bce_derivations, closed_form, differentials, logits, matrix_form, neuron_gradient
from snippets import pos_weight, sign_error, soft_target_minimum, soft_targets, softmax, why_cross_entropy, worked_example

# page → the display (as the engine prints it) that answers the page's question. The id does not
# depend on a statement's reason, so none is given here.
ANSWERS = {
    "soft_target_minimum": lambda: soft_target_minimum.gradient_at_a_perfect_fit.statement(1, 2),
    "neuron_gradient": lambda: neuron_gradient.indexed_weight_gradient.statement(1),
    "sign_error": lambda: sign_error.right.statement(2, 4),
    "matrix_form": lambda: matrix_form.gradient_w.statement(3),
    "differentials": lambda: differentials.gradient_in_w.statement(),
    "backprop": lambda: backprop.hidden_delta(2).statement(3),
    "closed_form": lambda: closed_form.stationarity.statement(),
    "logits": lambda: logits.stable_for_positive_z.statement(4),
    "why_cross_entropy": lambda: why_cross_entropy.negative_log_likelihood.markdown(),
    "soft_targets": lambda: soft_targets.smoothed_gradient.markdown(),
    "pos_weight": lambda: pos_weight.minimiser.statement(),
    "softmax": lambda: softmax.gradient.statement(),
    "worked_example": lambda: worked_example.gradient_w.statement(),
    "bce": lambda: bce_derivations.weighted_gradient.statement(),
}
# What a derivation page shows next, before its first heading: the short derivation a student would write.
SHORT_DERIVATIONS = {
    "differentials": lambda: differentials.differential_in_w.markdown(),
    "backprop": lambda: backprop.hidden_delta(2).markdown(),
    "closed_form": lambda: closed_form.stationarity_polynomial.markdown(),
    "logits": lambda: logits.gradient_from_logit.markdown(),
}
DISPLAY_ID = re.compile(r'<div class="proof"[^>]*\bid="(proof-[0-9a-f]+)"')


def display_id(printed: str) -> str:
    return DISPLAY_ID.search(printed)[1]


def opening(html: str) -> str:
    """The article from its title to its first section heading."""
    article = html[html.index("<article") :]
    start = article.index("<h1")
    second = article.find("<h2", start)
    return article[start : second if second >= 0 else len(article)]


def answer_problems(html: str, page: str) -> list[str]:
    top = opening(html)
    shown = DISPLAY_ID.findall(top)
    expected = display_id(ANSWERS[page]())
    problems = []
    if not shown:
        problems.append("no display above the first heading")
    elif shown[0] != expected:
        problems.append(f"the first display is {shown[0]}, not the answer {expected}")
    if page in SHORT_DERIVATIONS and display_id(SHORT_DERIVATIONS[page]()) not in shown:
        problems.append("the short derivation is not above the first heading")
    return problems


@pytest.mark.parametrize("page", ANSWERS)
def test_each_page_opens_with_its_answer_display(built_site: Path, page: str):
    html = (built_site / page / "index.html").read_text(encoding="utf-8")
    assert answer_problems(html, page) == [], page


def test_a_page_that_opens_with_another_display_is_refused():
    answer, other = ANSWERS["softmax"](), softmax.hessian.markdown()
    page = '<article><h1 id="t">T</h1>{}<h2 id="s">S</h2>{}</article>'
    assert answer_problems(page.format(answer, other), "softmax") == []
    assert answer_problems(page.format(other, answer), "softmax") == [f"the first display is {display_id(other)}, not the answer {display_id(answer)}"]
    assert answer_problems(page.format("", answer), "softmax") == ["no display above the first heading"]
