"""Break a displayed formula, and the page that shows it must fail, naming where the formula is written.

Each mutant changes the TeX of one display in a snippet: a step of a chain, a result printed as a
page's claim, or a definition the checks start from (sign flips, dropped transposes, dropped 1/n,
swapped indices). The page's executed blocks then run in this process, as the build runs them
(`page_blocks.py`), and must raise a `StepError` naming `snippets/<file>:<line>`. Each unmutated
page runs cleanly (the control). That a `StepError` in a block stops the build, naming the page,
whatever the flags, is `test_failures_stop_the_build.py`; the real site's strict build is shared
by the tests that need it. Each mutant's failure goes to test-output/breakage/<number>.json.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import pytest

from page_blocks import mutated, run_page
from bce_proofs import StepError

pytestmark = pytest.mark.mutation

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "test-output"


class Mutant(NamedTuple):
    kind: str  # "chain step", "matrix step", "claim", "definition"
    snippet: str
    original: str
    mutated: str
    page: str  # the page that displays the formula


MUTANTS = [
    Mutant("chain step", "soft_target_minimum.py", r'Step(r"\frac{a_i-y_i}{n\,a_i(1-a_i)}"', r'Step(r"\frac{y_i-a_i}{n\,a_i(1-a_i)}"', "soft_target_minimum.md"),
    Mutant("chain step", "sign_error.py", r'Step(r"\frac{a - y}{n\,a(1-a)}"', r'Step(r"\frac{a - y}{a(1-a)}"', "sign_error.md"),
    Mutant("chain step", "neuron_gradient.py", r'Step(r"x_j(\sigma(z) - y)"', r'Step(r"x_j(y - \sigma(z))"', "neuron_gradient.md"),
    Mutant("chain step", "logits.py", r'STABLE_TEX = r"(1-y)\max(z,0) + y\max(-z,0) + \ln(1+e^{-|z|})"', r'STABLE_TEX = r"(1-y)\max(z,0) - y\max(-z,0) + \ln(1+e^{-|z|})"', "logits.md"),
    Mutant("matrix step", "matrix_form.py", r'Step(r"\frac{1}{n} X^\top(a - y)"', r'Step(r"\frac{1}{n} X(a - y)"', "matrix_form.md"),
    Mutant("matrix step", "differentials.py", r'Step(r"\frac{1}{n}X^\top(a - y) : dw"', r'Step(r"\frac{1}{n}X^\top(y - a) : dw"', "differentials.md"),
    Mutant("matrix step", "backprop.py", r'rf"\big((W^{{{layer + 1}}})^{{\top}}\delta', r'rf"\big(W^{{{layer + 1}}}\delta', "backprop.md"),
    Mutant("matrix step", "neuron_gradient.py", r'Step(r"\frac{1}{n}\sum_{i=1}^{n} x_{ij}(a_i - y_i)"', r'Step(r"\frac{1}{n}\sum_{i=1}^{n} x_{ij}(a_j - y_i)"', "neuron_gradient.md"),
    Mutant("matrix step", "soft_target_minimum.py", r'Step(r"\frac{1}{n}\sum_{i=1}^{n} x_{ij}\big(\sigma(z_i) - y_i\big)", "one', r'Step(r"\frac{1}{n}\sum_{i=1}^{n} x_{ji}\big(\sigma(z_i) - y_i\big)", "one', "soft_target_minimum.md"),
    Mutant("claim", "backprop.py", r'Step(r"a^L - y"', r'Step(r"y - a^L"', "backprop.md"),
    Mutant("claim", "backprop.py", r'rf"\delta^{{{layer}}}\,(a^{{{layer - 1}}})^{{\top}}"', r'rf"a^{{{layer - 1}}}\,(\delta^{{{layer}}})^{{\top}}"', "backprop.md"),
    Mutant("claim", "matrix_form.py", r'r"\frac{1}{n}\tilde X^\top \operatorname{diag}\big(a\odot(\mathbf{1}-a)\big)\,\tilde X",', r'r"\tilde X^\top \operatorname{diag}\big(a\odot(\mathbf{1}-a)\big)\,\tilde X",', "matrix_form.md"),
    Mutant("claim", "closed_form.py", r"\sigma(\tilde X\theta) - y\big)", r"y - \sigma(\tilde X\theta)\big)", "closed_form.md"),
    Mutant("claim", "differentials.py", r'Step(r"(a - y) \oslash \big(n(a - a\odot a)\big)"', r'Step(r"(a - y) \oslash \big(a - a\odot a\big)"', "differentials.md"),
    Mutant("definition", "cost.py", r'"C", r"-\frac{1}{n}\sum_{i=1}^{n}', r'"C", r"-\frac{1}{2n}\sum_{i=1}^{n}', "soft_target_minimum.md"),
    Mutant("definition", "cost.py", r'Definition("H(y)", r"-y\ln y - (1-y)\ln(1-y)"', r'Definition("H(y)", r"-y\ln y + (1-y)\ln(1-y)"', "soft_target_minimum.md"),
    Mutant("definition", "soft_target_minimum.py", r'Definition(r"\sigma(z)", r"\frac{1}{1+e^{-z}}"', r'Definition(r"\sigma(z)", r"\frac{1}{1+e^{z}}"', "soft_target_minimum.md"),
    Mutant("definition", "matrix_form.py", r'r"\sigma(Xw + b\mathbf{1})", NAMES', r'r"\sigma(Xw - b\mathbf{1})", NAMES', "matrix_form.md"),
    Mutant("definition", "differentials.py", r"(\mathbf{1}-y) : \ln(\mathbf{1}-a)\big]", r"y : \ln(\mathbf{1}-a)\big]", "differentials.md"),
    Mutant("definition", "backprop.py", r'r"W^l a^{l-1} + b^l"', r'r"W^l a^{l-1} - b^l"', "backprop.md"),
    Mutant("definition", "backprop.py", r"(1-y_j)\ln(1-a^L_j)", r"(1-y_j)\ln(a^L_j)", "backprop.md"),
    Mutant("chain step", "why_cross_entropy.py", r'Step(r"\sigma(z)-y", r"$\sigma', r'Step(r"y-\sigma(z)", r"$\sigma', "why_cross_entropy.md"),
    Mutant("chain step", "soft_targets.py", r'Step(r"\sigma(z) - (1-\varepsilon)\,y - \frac{\varepsilon}{2}"', r'Step(r"\sigma(z) - (1-\varepsilon)\,y - \varepsilon"', "soft_targets.md"),
    Mutant("claim", "pos_weight.py", r'Step(r"\frac{p\,y}{p\,y + 1 - y}"', r'Step(r"\frac{y}{p\,y + 1 - y}"', "pos_weight.md"),
    Mutant("chain step", "pos_weight.py", r'r" + p\,y\big(\max(-z,0) + \ln(1+e^{-|z|})\big)\big]"', r'r" + y\big(\max(-z,0) + \ln(1+e^{-|z|})\big)\big]"', "pos_weight.md"),
    Mutant("chain step", "pos_weight.py", r'r"\omega\big[(1-y)\,\sigma(z) - p\,y\,\sigma(-z)\big]"', r'r"\omega\big[(1-y)\,\sigma(z) - p\,y\,\sigma(z)\big]"', "pos_weight.md"),
    Mutant("claim", "pos_weight.py", r'r"\frac{p}{(p\,q + 1 - q)^{2}}"', r'r"\frac{1}{(p\,q + 1 - q)^{2}}"', "pos_weight.md"),
    Mutant("chain step", "logits.py", r'r"-y\,\sigma(-z) + (1-y)\,\sigma(z)"', r'r"-y\,\sigma(z) + (1-y)\,\sigma(z)"', "logits.md"),
    Mutant("matrix step", "softmax.py", r'Step(r"\operatorname{diag}(a) - a\,a^\top"', r'Step(r"\operatorname{diag}(a) - a^\top a"', "softmax.md"),
    Mutant("chain step", "worked_example.py", r'Step(r"\ln 2", r"$-\ln\frac12 = \ln 2$', r'Step(r"\ln 3", r"$-\ln\frac12 = \ln 2$', "worked_example.md"),
    Mutant("definition", "why_cross_entropy.py", r'term = Definition("C_x", r"-\big[y\ln a + (1-y)\ln(1-a)\big]"', r'term = Definition("C_x", r"-\big[y\ln a + (1-y)\ln(a)\big]"', "why_cross_entropy.md"),
    Mutant("chain step", "exercises/logits.py", r'Step(r"\frac{1}{e^{-z}+1}"', r'Step(r"\frac{1}{e^{z}+1}"', "logits.md"),
    Mutant("chain step", "soft_target_minimum.py", r'Step(r"\sigma(z) - y", r"multiply out: zero', r'Step(r"y - \sigma(z)", r"multiply out: zero', "soft_target_minimum.md"),
]


@pytest.fixture(autouse=True)
def _at_the_root(monkeypatch):
    monkeypatch.chdir(ROOT)  # as the build runs the blocks: files are named from the project's root


@pytest.mark.parametrize("page", sorted({mutant.page for mutant in MUTANTS}))
def test_each_unmutated_page_runs(page):
    """The control: a failure below means the mutant was caught, not that the runner is broken."""
    run_page(page)


def _name(mutant: Mutant) -> str:
    return f"{mutant.kind}: snippets/{mutant.snippet}: {mutant.mutated}"


@pytest.mark.parametrize("mutant", MUTANTS, ids=[f"{m.kind}-{m.snippet}-{i}" for i, m in enumerate(MUTANTS)])
def test_every_mutant_fails_its_page_naming_where_it_is_written(mutant):
    with mutated(mutant.snippet, mutant.original, mutant.mutated):
        with pytest.raises(StepError) as failure:
            run_page(mutant.page)
    assert str(failure.value).startswith("snippets/"), f"{_name(mutant)}: the failure does not name its file:line: {failure.value}"
    (OUTPUT / "breakage").mkdir(parents=True, exist_ok=True)
    record = {"kind": mutant.kind, "mutant": _name(mutant), "failure": str(failure.value).splitlines()[0]}
    (OUTPUT / "breakage" / f"{MUTANTS.index(mutant)}.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def test_every_kind_of_display_is_mutated():
    kinds = Counter(mutant.kind for mutant in MUTANTS)
    assert set(kinds) == {"chain step", "matrix step", "claim", "definition"} and min(kinds.values()) >= 4, kinds
