"""Array chains: each step is its TeX alone, evaluated on random shapes against a formula-free left side."""

from __future__ import annotations

import re

import numpy as np
import pytest

from snippets import numeric
from bce_proofs import MatrixChain, MatrixDefinition, Step, StepError

NAMES = ("X", "w", "b", "y", "n")
COST = MatrixDefinition(
    "C(w, b)",
    r"-\frac{1}{n}\sum_{i=1}^{n}\big[y_i\ln\sigma(x_i^\top w + b) + (1-y_i)\ln(1-\sigma(x_i^\top w + b))\big]",
    NAMES,
    rows={"x": "X"},
)


def make_case(rng):
    n, k = int(rng.integers(3, 9)), int(rng.integers(1, 5))
    return {"X": rng.normal(size=(n, k)), "w": rng.normal(size=k), "b": float(rng.normal()), "y": rng.uniform(size=n), "n": n}


def gradient_of_cost(case):
    return numeric.gradient(lambda w: COST({**case, "w": w}), case["w"])


def chain(*steps: str) -> MatrixChain:
    return MatrixChain(r"\nabla_w C", gradient_of_cost, [Step(step, "r") for step in steps], make_case)


def test_the_status_says_random_shapes_only_when_the_cases_have_them(monkeypatch):
    from bce_proofs import matrix_chain

    monkeypatch.setattr(matrix_chain.MEMO, "folder", None)  # no remembered verdict: the cases are made
    varied = chain(r"\frac{1}{n}X^\top(\sigma(Xw + b\mathbf{1}) - y)").check()[0].method
    fixed = MatrixChain(
        r"\nabla_w C", gradient_of_cost, [Step(r"\frac{1}{n}X^\top(\sigma(Xw + b\mathbf{1}) - y)", "r")],
        lambda rng: make_case(np.random.default_rng(7)),
    ).check()[0].method
    assert "random cases of random shapes" in varied, varied
    assert "random cases of one shape" in fixed, fixed


def test_the_definition_is_what_the_checks_evaluate():
    case = make_case(np.random.default_rng(0))
    s = 1 / (1 + np.exp(-(case["X"] @ case["w"] + case["b"])))
    by_hand = -np.mean(case["y"] * np.log(s) + (1 - case["y"]) * np.log(1 - s))
    assert COST(case) == pytest.approx(by_hand, rel=1e-13)


def test_true_steps_pass():
    checks = chain(
        r"\frac{1}{n}\sum_{i=1}^{n} \big(\sigma(x_i^\top w + b) - y_i\big)\,x_i",
        r"\frac{1}{n} X^\top\big(\sigma(Xw + b\mathbf{1}) - y\big)",
    )
    checks.rows = {"x": "X"}
    assert [check.method.startswith("numeric on 20 random cases") for check in checks.check()] == [True, True]
    assert checks.status == "checked"


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (r"\frac{1}{n} X\big(\sigma(Xw + b\mathbf{1}) - y\big)", "cannot multiply"),  # dropped transpose
        (r"X^\top\big(\sigma(Xw + b\mathbf{1}) - y\big)", "relative to max"),  # dropped 1/n
        (r"\frac{1}{n} X^\top\big(y - \sigma(Xw + b\mathbf{1})\big)", "relative to max"),  # sign
        (r"\frac{1}{n} X^\top\big(\sigma(Xw) - y\big)", "relative to max"),  # the bias vanished
        (r"\frac{1}{n} X^\top\big(\sigma(Xw + b\mathbf{1}) - q\big)", "unknown name 'q'"),  # undeclared
    ],
)
def test_wrong_steps_fail_naming_the_step(wrong, message):
    with pytest.raises(StepError, match=message) as failure:
        chain(wrong).check()
    assert "step 1 of \\nabla_w C" in str(failure.value)
    assert "test_matrix_chain.py" in str(failure.value)


def test_a_definition_with_an_undeclared_symbol_is_refused():
    with pytest.raises(StepError, match="definition of C"):
        MatrixDefinition("C", r"-\frac{1}{m}\sum_{i=1}^{n} y_i", NAMES)


def test_a_definition_whose_shapes_do_not_fit_is_refused_naming_it():
    """Parsed, but not computable on the case it is given (u u for two column vectors)."""
    square = MatrixDefinition("S", r"u u", ("u",))
    with pytest.raises(StepError, match=rf"^{re.escape(square.where)}: definition of S: cannot multiply"):
        square({"u": np.ones(3)})
