"""The memo of check results: a hit spares the comparison, anything the check reads is in the key, failures are never kept."""

from __future__ import annotations

import pytest
import sympy as sp

from bce_proofs import Chain, Step, StepError, chain as chain_module
from bce_proofs.memo import Memo

a = sp.Symbol("a", positive=True)


@pytest.fixture
def memo(tmp_path, monkeypatch):
    store = Memo(tmp_path / "memo")
    monkeypatch.setattr(chain_module, "MEMO", store)
    return store


def _count_comparisons(monkeypatch) -> list:
    calls = []
    original = Chain._compare

    def counted(self, *args):
        calls.append(args[1].tex)
        return original(self, *args)

    monkeypatch.setattr(Chain, "_compare", counted)
    return calls


def test_a_second_check_of_the_same_step_is_a_hit_and_still_parses(memo, monkeypatch):
    calls = _count_comparisons(monkeypatch)
    assert Chain("a^{2}", a**2, [Step("a a", "r")]).check()[0].method == "symbolic"
    assert Chain("a^{2}", a**2, [Step("a a", "r")]).check()[0].method == "symbolic"
    assert calls == ["a a"]  # compared once
    with pytest.raises(StepError, match="unexpected end"):  # a hit never skips the parse
        Chain("a^{2}", a**2, [Step("a a +", "r")]).check()


@pytest.mark.parametrize(
    "changed",
    [
        lambda: Chain("a^{2}", a**3, [Step("a a", "r")]),  # another left-hand side
        lambda: Chain("a^{2}", a**2, [Step("a\\,a", "r")]),  # other TeX
        lambda: Chain("a^{2}", a**2, [Step("a", "r"), Step("a a", "r")]),  # another position
        lambda: Chain("a^{2}", a**2, [Step("a a", "r")], domain={a: (0.2, 0.3)}),  # another domain
    ],
)
def test_anything_the_check_reads_is_in_the_key(memo, monkeypatch, changed):
    Chain("a^{2}", a**2, [Step("a a", "r")]).check()
    calls = _count_comparisons(monkeypatch)
    try:
        changed().check()
    except StepError:
        pass
    assert calls, "a changed chain was answered from the memo"


def test_a_failing_step_is_never_kept(memo):
    for _ in range(2):
        with pytest.raises(StepError):
            Chain("a^{2}", a**2, [Step("3a", "wrong")]).check()
    assert not list((memo.folder).rglob("*.json"))


def _matrix_chain(lhs_calls: list, tex: str = r"X^\top y"):
    import numpy as np

    from bce_proofs.matrix_chain import MatrixChain

    def lhs(case):
        lhs_calls.append(1)
        return case["X"].T @ case["y"]

    def make_case(rng):
        return {"X": rng.normal(size=(4, 3)), "y": rng.normal(size=4)}

    return MatrixChain("g", lhs, [Step(tex, "r")], make_case, cases=3)


def test_a_matrix_step_that_passed_is_not_evaluated_again_and_a_source_edit_misses(memo, monkeypatch):
    from bce_proofs import matrix_chain as matrix_module
    from bce_proofs import memo as memo_module

    monkeypatch.setattr(matrix_module, "MEMO", memo)
    calls: list = []
    _matrix_chain(calls).check()
    _matrix_chain(calls).check()
    assert len(calls) == 3  # the left-hand side of the three cases, computed once
    with pytest.raises(StepError, match="unexpected|cannot|not"):  # a hit never skips the parse
        _matrix_chain(calls, r"X^\top +").check()
    monkeypatch.setattr(memo_module, "package_digest", lambda: "an edited module")
    _matrix_chain(calls).check()
    assert len(calls) == 6


def test_a_failing_matrix_step_is_never_kept(memo, monkeypatch):
    from bce_proofs import matrix_chain as matrix_module

    monkeypatch.setattr(matrix_module, "MEMO", memo)
    for _ in range(2):
        with pytest.raises(StepError):
            _matrix_chain([], r"X y").check()
