"""Each page opens with its answer: under the title, the question (the asker's own words in a quoted line
where an asker asked it), then the display that answers it, first of the page's displays and above its
first section heading, exactly as the engine prints it.

Checked twice, without a browser: on the page's source, by running the blocks above its first heading
as the build does (no site build), and on the built HTML. A display is identified by its id, which the
engine derives from the display's own TeX (`bce_proofs.display.anchor`), so either check fails when
a page opens with another display, or moves its answer below the first heading.
"""

from __future__ import annotations

import contextlib
import io
import re
import textwrap
from pathlib import Path

import pytest
from page_blocks import FENCE, ROOT, SESSION

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
# The pages whose question an asker asked, in words the page quotes at its top (`> "…"`).
ASKED = {"soft_target_minimum", "neuron_gradient", "sign_error", "matrix_form", "backprop", "closed_form"}
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


def source_opening(page: str) -> str:
    """The page's Markdown from its title to its first section heading."""
    text = "\n" + (ROOT / "docs" / f"{page}.md").read_text(encoding="utf-8")
    start = text.index("\n# ")
    second = text.find("\n## ", start)
    return text[start : second if second >= 0 else len(text)]


def printed_opening(page: str) -> str:
    """What the executed blocks above the first heading print, run in order in their sessions."""
    sessions: dict[str, dict] = {}
    printed = io.StringIO()
    for number, match in enumerate(FENCE.finditer(source_opening(page)), start=1):
        session = SESSION.search(match["options"])
        namespace = sessions.setdefault(session["name"], {"__name__": "__main__"}) if session else {"__name__": "__main__"}
        with contextlib.redirect_stdout(printed):
            exec(compile(textwrap.dedent(match["body"]), f"<code block: {page}.md #{number}>", "exec"), namespace)
    return printed.getvalue()


def question_problems(opening: str, page: str) -> list[str]:
    lines = opening.splitlines()
    if page in ASKED:
        return [] if any(line.startswith('> "') for line in lines) else ["the asker's question is not quoted at the top"]
    return [] if any(line.startswith("**The question.**") for line in lines) else ["no question at the top"]


@pytest.mark.parametrize("page", ANSWERS)
def test_each_page_source_opens_with_its_question_and_answer_display(page: str):
    opening = source_opening(page)
    shown = DISPLAY_ID.findall(printed_opening(page))
    problems = question_problems(opening, page)
    if not shown or shown[0] != display_id(ANSWERS[page]()):
        problems.append(f"the blocks above the first heading print {shown[:1]} first, not the answer's display")
    assert problems == [], page


@pytest.mark.parametrize("page", ANSWERS)
def test_each_built_page_opens_with_its_answer_display(built_site: Path, page: str):
    html = (built_site / page / "index.html").read_text(encoding="utf-8")
    assert answer_problems(html, page) == [], page


def test_a_page_that_opens_with_another_display_is_refused():
    answer, other = ANSWERS["softmax"](), softmax.hessian.markdown()
    page = '<article><h1 id="t">T</h1>{}<h2 id="s">S</h2>{}</article>'
    assert answer_problems(page.format(answer, other), "softmax") == []
    assert answer_problems(page.format(other, answer), "softmax") == [f"the first display is {display_id(other)}, not the answer {display_id(answer)}"]
    assert answer_problems(page.format("", answer), "softmax") == ["no display above the first heading"]
    assert question_problems('\n# T\n\n**The question.** Why?\n', "softmax") == []
    assert question_problems('\n# T\n\nWhy?\n', "softmax") == ["no question at the top"]
    assert question_problems('\n# T\n\n**The question.** Why?\n', "backprop") == ["the asker's question is not quoted at the top"]
