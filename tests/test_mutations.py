"""Deliberately broken formulas must be caught.

Each mutation changes one formula in a copy of `snippets/` (a flipped sign, a dropped 1/m,
a σ' that should have cancelled, ...) and runs that snippet's tests against the copy:
they must fail. The unmutated copy must pass the same tests, so that a failure means
the mutation was caught, not that the copy is broken.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# (snippet, original text, mutated text, tests that must catch it)
MUTATIONS = {
    "bce: gradient sign flipped": (
        "bce.py",
        "np.subtract(np.where(nonnegative, s, e), y, out=grad)",
        "np.subtract(y, np.where(nonnegative, s, e), out=grad)",
        "test_bce.py",
    ),
    "bce: neuron gradient drops 1/m": (
        "bce.py",
        "error = (expit(X @ w + b) - y) / X.shape[0]",
        "error = expit(X @ w + b) - y",
        "test_bce.py",
    ),
    "neuron gradient: drops 1/n": (
        "neuron_gradient.py",
        "return X.T @ error / X.shape[0], error.mean()",
        "return X.T @ error, error.mean()",
        "test_neuron_gradient.py",
    ),
    "matrix form: sigma' that should have cancelled": (
        "matrix_form.py",
        r'Step(r"\frac{1}{n} X^\top(a - y)"',
        r'Step(r"\frac{1}{n} X^\top\big((a - y)\odot a\odot(\mathbf{1}-a)\big)"',
        "test_matrix_form.py",
    ),
    "sign error page: displayed result's sign flipped": (
        "sign_error.py",
        r'Step(r"\frac{a - y}{n\,a(1-a)}", r"the $ya$ terms cancel")',
        r'Step(r"\frac{y - a}{n\,a(1-a)}", r"the $ya$ terms cancel")',
        "test_sign_error.py",
    ),
    "backprop: sigma' dropped from the recursion": (
        "backprop.py",
        "deltas.insert(0, (weights.T @ deltas[0]) * s * (1 - s))",
        "deltas.insert(0, weights.T @ deltas[0])",
        "test_backprop.py",
    ),
    "minimum page: sign slip in Gibbs' bound": (
        "soft_target_minimum.py",
        'Step(r"a - y + (1-a) - (1-y)"',
        'Step(r"a - y - (1-a) - (1-y)"',
        "test_soft_target_minimum.py",
    ),
    "logits page: stable formula with +zy": (
        "logits.py",
        r'STABLE_TEX = r"(1-y)\max(z,0) + y\max(-z,0) + \ln(1+e^{-|z|})"',
        r'STABLE_TEX = r"(1-y)\max(z,0) - y\max(-z,0) + \ln(1+e^{-|z|})"',
        "test_logits.py",
    ),
    "differentials: dropped 1/n": (
        "differentials.py",
        r'Step(r"\frac{1}{n}X^\top(a - y) : dw"',
        r'Step(r"X^\top(a - y) : dw"',
        "test_differentials.py",
    ),
    "bce options: pos_weight applied to the negative term": (
        "bce.py",
        "grad = (1 - y) * expit(z) - (y if pos_weight is None else pos_weight * y) * expit(-z)",
        "grad = (1 - y) * expit(z) * (1 if pos_weight is None else pos_weight) - y * expit(-z)",
        "test_bce_options.py",
    ),
    "bce options: fused gradient ignores the weight": (
        "bce.py",
        "grad *= weight",
        "grad *= 1.0",
        "test_bce_options.py",
    ),
    "softmax: gradient sign flipped": (
        "softmax_ce.py",
        "grad = np.exp(log_softmax(z)) - targets",
        "grad = targets - np.exp(log_softmax(z))",
        "test_softmax_ce.py",
    ),
    "softmax: label smoothing spread over n examples instead of k classes": (
        "softmax_ce.py",
        "label_smoothing / y.shape[-1]",
        "label_smoothing / y.shape[0]",
        "test_softmax_ce.py",
    ),
    "closed form: Newton step taken uphill": (
        "closed_form.py",
        "theta -= step",
        "theta += step",
        "test_closed_form.py",
    ),
}


def _copy(destination: Path) -> Path:
    shutil.copytree(ROOT / "snippets", destination / "snippets", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "tests", destination / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    return destination


def _run_tests(project: Path, test_files: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *[f"tests/{name}" for name in test_files]],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.mutation
def test_unmutated_copy_passes(tmp_path):
    files = sorted({test_file for *_, test_file in MUTATIONS.values()})
    result = _run_tests(_copy(tmp_path), files)
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.mutation
@pytest.mark.parametrize("name", list(MUTATIONS))
def test_mutation_is_caught(tmp_path, name):
    snippet, original, mutated, test_file = MUTATIONS[name]
    project = _copy(tmp_path)
    path = project / "snippets" / snippet
    source = path.read_text()
    assert source.count(original) == 1, f"the text to mutate is not in snippets/{snippet} exactly once"
    path.write_text(source.replace(original, mutated))
    result = _run_tests(project, [test_file])
    assert result.returncode == 1, f"mutation survived:\n{result.stdout[-3000:]}"
