"""The recorded benchmark (benchmarks/bce.json) as Markdown tables for the reference page.

Cases not in the file yet are shown as "not yet measured"; the page never runs the benchmark.

>>> print(option_cases_table({"n": 10, "classes": 10}))
| case | reference | PyTorch CPU | reference / PyTorch | peak extra memory (arrays of $n$) |
|---|---|---|---|---|
| weighted: `weight` per example, `pos_weight` per class | not yet measured | not yet measured | not yet measured | not yet measured |
| softmax, $K = 10$, label smoothing 0.1 | not yet measured | not yet measured | not yet measured | not yet measured |
"""

from __future__ import annotations

NOT_MEASURED = "not yet measured"
PLAIN_LABELS = {
    "reference": "reference `bce_with_logits_and_grad`",
    "pytorch": "PyTorch `binary_cross_entropy_with_logits` + `backward()`",
    "numpy_naive": "naive numpy (σ, then logs)",
    "copy_floor": "memory floor: numpy copy of both inputs",
}
CASE_LABELS = {
    "weighted": "weighted: `weight` per example, `pos_weight` per class",
    "softmax": "softmax, $K = {classes}$, label smoothing 0.1",
}


def _milliseconds(seconds) -> str:
    return NOT_MEASURED if seconds is None else f"{seconds * 1e3:.0f} ms"


def _number(value) -> str:
    return NOT_MEASURED if value is None else f"{value:.2f}"


def plain_tables(recorded: dict) -> str:
    """The plain mean loss: times, and the targets with whether they are met.

    >>> print(plain_tables({"n": 10, "seconds": {}, "ratios": {}}).splitlines()[-1])
    | peak memory ≤ 3 arrays of n beyond the inputs | not yet measured | not yet measured |
    """
    seconds, ratios = recorded.get("seconds", {}), recorded.get("ratios", {})
    lines = ["| implementation | time |", "|---|---|"]
    lines += [f"| {label} | {_milliseconds(seconds.get(key))} |" for key, label in PLAIN_LABELS.items()]
    lines += ["", "| target | measured | met |", "|---|---|---|"]
    for label, value, limit in (
        ("time ≤ 1.2 × PyTorch", ratios.get("reference_over_pytorch"), 1.2),
        ("time ≤ 3 × copy floor", ratios.get("reference_over_copy_floor"), 3.0),
        ("peak memory ≤ 3 arrays of n beyond the inputs", recorded.get("peak_extra_memory_in_arrays_of_n"), 3.0),
    ):
        met = NOT_MEASURED if value is None else "yes" if value <= limit else "**no**"
        lines.append(f"| {label} | {_number(value)} | {met} |")
    return "\n".join(lines)


def option_cases_table(recorded: dict) -> str:
    """The cases with options, beside PyTorch CPU."""
    cases = recorded.get("cases", {})
    lines = [
        "| case | reference | PyTorch CPU | reference / PyTorch | peak extra memory (arrays of $n$) |",
        "|---|---|---|---|---|",
    ]
    for key, label in CASE_LABELS.items():
        case = cases.get(key, {})
        seconds = case.get("seconds", {})
        lines.append(
            f"| {label.format(classes=recorded.get('classes', 10))} | {_milliseconds(seconds.get('reference'))} "
            f"| {_milliseconds(seconds.get('pytorch'))} | {_number(case.get('reference_over_pytorch'))} "
            f"| {_number(case.get('peak_extra_memory_in_arrays_of_n'))} |"
        )
    return "\n".join(lines)
