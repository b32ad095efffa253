"""Break a displayed formula, and the build must stop, naming the page that shows it.

Each mutant changes the TeX of one display in a copy of the site: a step of a chain, a result
printed as a page's claim, or a definition the checks start from (sign flips, dropped transposes,
dropped 1/n, swapped indices). Mutants in files that do not import one another share a build, so
the failure report (one line per page) tells which were caught. An unmutated copy must build.
Each round's outcome is written to test-output/breakage-round-N.json (`kill_rates()` sums them).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

import pytest

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
    Mutant("definition", "soft_target_minimum.py", r'"C", r"-\frac{1}{n}\sum_{i=1}^{n}', r'"C", r"-\frac{1}{2n}\sum_{i=1}^{n}', "soft_target_minimum.md"),
    Mutant("definition", "soft_target_minimum.py", r'Definition("H(y)", r"-y\ln y - (1-y)\ln(1-y)"', r'Definition("H(y)", r"-y\ln y + (1-y)\ln(1-y)"', "soft_target_minimum.md"),
    Mutant("definition", "soft_target_minimum.py", r'Step(r"\frac{1}{1+e^{-z}}"', r'Step(r"\frac{1}{1+e^{z}}"', "soft_target_minimum.md"),
    Mutant("definition", "matrix_form.py", r'r"\sigma(Xw + b\mathbf{1})", NAMES', r'r"\sigma(Xw - b\mathbf{1})", NAMES', "matrix_form.md"),
    Mutant("definition", "differentials.py", r"(\mathbf{1}-y) : \ln(\mathbf{1}-a)\big]", r"y : \ln(\mathbf{1}-a)\big]", "differentials.md"),
    Mutant("definition", "backprop.py", r'r"W^l a^{l-1} + b^l"', r'r"W^l a^{l-1} - b^l"', "backprop.md"),
    Mutant("definition", "backprop.py", r"(1-y_j)\ln(1-a^L_j)", r"(1-y_j)\ln(a^L_j)", "backprop.md"),
    Mutant("chain step", "why_cross_entropy.py", r'Step(r"\sigma(z)-y", r"$\sigma', r'Step(r"y-\sigma(z)", r"$\sigma', "why_cross_entropy.md"),
    Mutant("chain step", "soft_targets.py", r'Step(r"\sigma(z) - (1-\varepsilon)\,y - \frac{\varepsilon}{2}"', r'Step(r"\sigma(z) - (1-\varepsilon)\,y - \varepsilon"', "soft_targets.md"),
    Mutant("claim", "pos_weight.py", r'Step(r"\frac{p\,y}{p\,y + 1 - y}"', r'Step(r"\frac{y}{p\,y + 1 - y}"', "pos_weight.md"),
    Mutant("matrix step", "softmax.py", r'Step(r"\operatorname{diag}(a) - a\,a^\top"', r'Step(r"\operatorname{diag}(a) - a^\top a"', "softmax.md"),
    Mutant("chain step", "worked_example.py", r'Step(r"\ln 2", r"$-\ln\frac12 = \ln 2$', r'Step(r"\ln 3", r"$-\ln\frac12 = \ln 2$', "worked_example.md"),
    Mutant("definition", "why_cross_entropy.py", r'term = Definition("C_x", r"-\big[y\ln a + (1-y)\ln(1-a)\big]"', r'term = Definition("C_x", r"-\big[y\ln a + (1-y)\ln(a)\big]"', "why_cross_entropy.md"),
    Mutant("chain step", "exercises/logits.py", r'Step(r"\frac{1}{e^{-z}+1}"', r'Step(r"\frac{1}{e^{z}+1}"', "logits.md"),
]


def _imports(snippet: str) -> set[str]:
    text = (ROOT / "snippets" / snippet).read_text()
    names = set(re.findall(r"from snippets\.(\w+) import", text))
    for group in re.findall(r"from snippets import ([\w, ]+)", text):
        names |= {name.strip() for name in group.split(",")}
    return {f"{name}.py" for name in names if (ROOT / "snippets" / f"{name}.py").is_file()}


def _reach(snippet: str) -> set[str]:
    """The snippet and every snippet that imports it, directly or not."""
    files = [path.name for path in (ROOT / "snippets").glob("*.py")]
    reached, changed = {snippet}, True
    while changed:
        changed = False
        for name in files:
            if name not in reached and _imports(name) & reached:
                reached.add(name)
                changed = True
    return reached


def rounds(mutants: list[Mutant]) -> list[list[Mutant]]:
    """Mutants grouped so that no two in a group can affect the same page."""
    groups: list[tuple[list[Mutant], set[str], set[str]]] = []
    for mutant in mutants:
        reach = _reach(mutant.snippet)
        for members, reached, pages in groups:
            if not (reach & reached) and mutant.page not in pages:
                members.append(mutant)
                reached |= reach
                pages.add(mutant.page)
                break
        else:
            groups.append(([mutant], set(reach), {mutant.page}))
    return [members for members, _, _ in groups]


def _copy(destination: Path, pages: set[str] | None = None) -> Path:
    """A copy of the site; with ``pages``, only those pages (a mutant fails only its own page)."""
    destination.mkdir(parents=True)
    for name in ("mkdocs.yml", "docs", "overrides", "snippets", "benchmarks"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__", "*.ipynb"))
        else:
            shutil.copy2(source, destination / name)
    (destination / "node_modules").symlink_to(ROOT / "node_modules")
    config = destination / "mkdocs.yml"
    text = config.read_text()
    # The notebooks test nothing a mutant touches; leave them out of these builds.
    text = re.sub(r"\n\s*- Notebooks:\n(\s+- .*\.ipynb\n)+", "\n", text)
    if pages is not None:
        for page in (destination / "docs").glob("*.md"):
            if page.name not in pages:
                page.unlink()
        # Links to the pages left out are not what is tested here; failed checks stop the build anyway.
        text = re.sub(r"\nnav:\n(.|\n)*$", "\n", text).replace("strict: true", "strict: false")
        text = re.sub(r"\nvalidation:\n(  .*\n)+", "\nvalidation: {omitted_files: info, absolute_links: info, unrecognized_links: info, anchors: info}\n", text)
    config.write_text(text)
    return destination


def _build(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir", str(project / "site")],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project), "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=600,
    )


def _failed_pages(log: str) -> set[str]:
    return set(re.findall(r"^docs/(\S+\.md) ←", log, re.MULTILINE))


@pytest.mark.build
def test_the_unmutated_copy_builds(tmp_path):
    """The control: a failure below means the mutant was caught, not that the copy is broken."""
    control = _build(_copy(tmp_path / "control"))
    assert control.returncode == 0, "the unmutated copy does not build:\n" + control.stdout + control.stderr


ROUNDS = rounds(MUTANTS)


@pytest.mark.build
@pytest.mark.parametrize("number", range(len(ROUNDS)), ids=lambda number: f"round-{number}")
def test_every_mutant_stops_the_build_naming_its_page(tmp_path, number):
    group = ROUNDS[number]
    project = _copy(tmp_path / "project", pages={mutant.page for mutant in group})
    for mutant in group:
        path = project / "snippets" / mutant.snippet
        text = path.read_text()
        assert mutant.original in text, f"{mutant.original!r} is not in snippets/{mutant.snippet}"
        path.write_text(text.replace(mutant.original, mutant.mutated))
    result = _build(project)
    failed = _failed_pages(result.stdout + result.stderr)
    outcomes = {f"{mutant.kind}: snippets/{mutant.snippet}: {mutant.mutated}": mutant.page in failed for mutant in group}
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / f"breakage-round-{number}.json").write_text(json.dumps(outcomes, indent=2))
    assert result.returncode != 0, "a mutated copy built:\n" + result.stdout + result.stderr
    survivors = [name for name, killed in outcomes.items() if not killed]
    assert not survivors, "mutants that did not stop the build:\n" + "\n".join(survivors) + "\n" + result.stdout


def kill_rates() -> dict[str, dict[str, int]]:
    """Killed and total per kind of display, from the last run's round files."""
    rates: dict[str, dict[str, int]] = defaultdict(lambda: {"killed": 0, "mutants": 0})
    for path in OUTPUT.glob("breakage-round-*.json"):
        for name, killed in json.loads(path.read_text()).items():
            kind = name.split(":", 1)[0]
            rates[kind]["killed"] += killed
            rates[kind]["mutants"] += 1
    return dict(rates)


def test_rounds_never_share_a_page_or_an_import():
    for group in rounds(MUTANTS):
        pages = [mutant.page for mutant in group]
        assert len(pages) == len(set(pages))
        reaches = [_reach(mutant.snippet) for mutant in group]
        assert all(not (first & second) for i, first in enumerate(reaches) for second in reaches[i + 1 :])
