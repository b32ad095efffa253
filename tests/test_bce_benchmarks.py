"""The benchmark tables on the reference page (snippets/bce_benchmarks.py)."""

from __future__ import annotations

import json
from pathlib import Path

from snippets import bce_benchmarks as tables

ROOT = Path(__file__).resolve().parent.parent


def test_missing_cases_are_said_to_be_not_yet_measured():
    table = tables.option_cases_table({"n": 10})
    assert table.count(tables.NOT_MEASURED) == 8
    plain = tables.plain_tables({"n": 10})
    assert "| naive numpy (σ, then logs) | not yet measured |" in plain


def test_measured_cases_are_shown_and_judged():
    recorded = {
        "n": 10,
        "classes": 10,
        "seconds": {"reference": 0.5, "pytorch": 0.25},
        "ratios": {"reference_over_pytorch": 2.0},
        "peak_extra_memory_in_arrays_of_n": 1.5,
        "cases": {"softmax": {"seconds": {"reference": 0.0123, "pytorch": 0.5}, "reference_over_pytorch": 0.0246,
                              "peak_extra_memory_in_arrays_of_n": 3.25}},
    }
    plain = tables.plain_tables(recorded)
    assert "| reference `bce_with_logits_and_grad` | 500 ms |" in plain
    assert "| time ≤ 1.2 × PyTorch | 2.00 | **no** |" in plain
    assert "| peak memory ≤ 3 arrays of n beyond the inputs | 1.50 | yes |" in plain
    assert "| softmax, $K = 10$, label smoothing 0.1 | 12 ms | 500 ms | 0.02 | 3.25 |" in tables.option_cases_table(recorded)


def test_the_recorded_file_renders():
    recorded = json.loads((ROOT / "benchmarks" / "bce.json").read_text())
    assert "ms |" in tables.plain_tables(recorded)
    assert tables.option_cases_table(recorded).count("\n") == 3
