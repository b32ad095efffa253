"""Deliberately broken code must be caught by the tests of its claim.

Each mutation changes one line of a snippet (a flipped sign, a dropped 1/m, a σ' that should have
cancelled, ...). In this process, the snippet's module is swapped for the mutated copy (as the
breakage tests swap TeX, `page_blocks.mutated`), the snippet's test file is loaded afresh on top
of it, and its tests run one by one, each parametrized case included (a test that needs a pytest
fixture is left to the suite): one must fail, and that test, run again unmutated, must pass.
"""

from __future__ import annotations

import importlib.util
import inspect
import itertools
from pathlib import Path

import pytest

from page_blocks import mutated

ROOT = Path(__file__).resolve().parent.parent

# (snippet, original text, mutated text, tests that must catch it)
MUTATIONS = {
    "bce: gradient sign flipped": (
        "bce.py",
        "np.subtract(e, y, out=grad)\n    np.subtract(u, e, out=grad, where=nonnegative)",
        "np.subtract(y, e, out=grad)\n    np.subtract(e, u, out=grad, where=nonnegative)",
        "test_bce.py",
    ),
    "bce: neuron gradient drops 1/m": (
        "bce.py",
        "error = _sigmoid_minus(X @ w + b, y) / X.shape[0]",
        "error = _sigmoid_minus(X @ w + b, y)",
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
        "np.multiply(u, t, out=grad)\n    grad -= np.multiply(v, s, out=t)",
        "np.multiply(u, t, out=grad)\n    grad *= 1 if pos_weight is None else pos_weight\n    grad -= np.multiply(y, s, out=t)",
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
        "grad -= smoothed_targets(y, label_smoothing)",
        "grad = smoothed_targets(y, label_smoothing) - grad",
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


def _cases(test):
    """The arguments of each case of a test, from its parametrize marks; None if it needs a fixture."""
    marks = [mark for mark in getattr(test, "pytestmark", []) if mark.name == "parametrize"]
    axes = []
    for mark in marks:
        names = [name.strip() for name in mark.args[0].split(",")] if isinstance(mark.args[0], str) else list(mark.args[0])
        values = [getattr(value, "values", value) for value in mark.args[1]]
        axes.append([dict(zip(names, value if len(names) > 1 else (value,))) for value in values])
    cases = [{key: value for part in combination for key, value in part.items()} for combination in itertools.product(*axes)]
    wanted = set(inspect.signature(test).parameters)
    return cases if all(wanted == set(case) for case in cases) else None


def _load(test_file: str):
    """tests/`test_file` loaded afresh: its imports bind to the modules as they are now."""
    spec = importlib.util.spec_from_file_location(f"mutation_run_{test_file.removesuffix('.py')}", ROOT / "tests" / test_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _runnable(module):
    for name, test in vars(module).items():
        if name.startswith("test_") and callable(test) and (cases := _cases(test)) is not None:
            for number, case in enumerate(cases):
                yield name, number, test, case


def _first_failure(test_file: str) -> tuple[str, int, str] | None:
    """Run the file's tests until one fails: (test, case number, the failure), or None."""
    try:
        module = _load(test_file)
    except Exception as error:  # the mutant breaks the import itself: caught
        return "import", 0, repr(error)
    for name, number, test, case in _runnable(module):
        try:
            test(**case)
        except pytest.skip.Exception:
            continue
        except Exception as error:
            return name, number, f"{type(error).__name__}: {str(error)[:300]}"
    return None


@pytest.mark.mutation
@pytest.mark.parametrize("name", list(MUTATIONS))
def test_mutation_is_caught(name):
    snippet, original, replacement, test_file = MUTATIONS[name]
    source = (ROOT / "snippets" / snippet).read_text(encoding="utf-8")
    assert source.count(original) == 1, f"the text to mutate is not in snippets/{snippet} exactly once"
    with mutated(snippet, original, replacement):
        failure = _first_failure(test_file)
    assert failure is not None, f"mutation survived: no test of {test_file} fails with snippets/{snippet} mutated"
    test, number, _ = failure
    if test != "import":
        # The control: the test that failed passes unmutated, so it failed because of the mutant.
        for found, case_number, function, case in _runnable(_load(test_file)):
            if (found, case_number) == (test, number):
                function(**case)
