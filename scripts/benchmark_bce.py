"""Benchmark of `snippets.bce.bce_with_logits_and_grad` (run by `make benchmark`; never by the tests).

Times, in one run and on the same arrays of n logits and targets (float64):
  - the reference loss + gradient,
  - PyTorch CPU: binary_cross_entropy_with_logits + backward,
  - a naive numpy implementation (σ, then logs),
  - the memory floor: a numpy copy of both input arrays,
and the reference's peak extra memory, in arrays of size n. Then, beside PyTorch CPU, two
cases with the options, on n logits as n/10 examples of K = 10 classes:
  - "weighted": a weight per example and a pos_weight per class, loss + gradient,
  - "softmax": softmax cross-entropy with probability targets and label smoothing 0.1.
Prints a table and writes benchmarks/bce.json, which the reference page shows
(``--n 100000 --no-write`` checks that it runs).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
import tracemalloc
from pathlib import Path

import numpy as np

from snippets.bce import bce_with_logits_and_grad, softmax_cross_entropy_and_grad

RESULTS = Path(__file__).resolve().parent.parent / "benchmarks" / "bce.json"


def best_time(function, repeats: int) -> float:
    function()  # warm-up: page faults, thread pools, lazy imports
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def naive(z, y):
    p = 1 / (1 + np.exp(-z))
    loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    return loss, (p - y) / z.size


CLASSES = 10


def peak_extra_memory(function, n: int) -> float:
    """Peak memory allocated while `function` runs, in arrays of n float64."""
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / (8 * n)


def option_cases(n: int, rng: np.random.Generator) -> dict:
    """For each case with options: the reference call and PyTorch's (or None), on the same arrays."""
    rows = n // CLASSES
    z, y = rng.normal(0, 4, (rows, CLASSES)), rng.uniform(size=(rows, CLASSES))
    weight, pos_weight = rng.uniform(0, 2, (rows, 1)), rng.uniform(0.5, 5, CLASSES)
    probabilities = y / y.sum(axis=1, keepdims=True)
    cases = {
        "weighted": {
            "reference": lambda: bce_with_logits_and_grad(z, y, weight=weight, pos_weight=pos_weight),
        },
        "softmax": {
            "reference": lambda: softmax_cross_entropy_and_grad(z, probabilities, label_smoothing=0.1),
        },
    }
    try:
        import torch
    except ImportError:
        return cases
    functional = torch.nn.functional
    logits = torch.from_numpy(z)
    targets, torch_weight, torch_pos_weight = (torch.from_numpy(array) for array in (y, weight, pos_weight))
    torch_probabilities = torch.from_numpy(probabilities)

    def weighted():
        leaf = logits.detach().requires_grad_(True)
        functional.binary_cross_entropy_with_logits(leaf, targets, weight=torch_weight, pos_weight=torch_pos_weight).backward()
        return leaf.grad

    def softmax():
        leaf = logits.detach().requires_grad_(True)
        functional.cross_entropy(leaf, torch_probabilities, label_smoothing=0.1).backward()
        return leaf.grad

    cases["weighted"]["pytorch"] = weighted
    cases["softmax"]["pytorch"] = softmax
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10**7)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="print only; leave benchmarks/bce.json alone")
    arguments = parser.parse_args()
    n = arguments.n

    rng = np.random.default_rng(0)
    z, y = rng.normal(0, 4, n), rng.uniform(size=n)
    timings = {
        "reference": best_time(lambda: bce_with_logits_and_grad(z, y), arguments.repeats),
        "numpy_naive": best_time(lambda: naive(z, y), arguments.repeats),
        "copy_floor": best_time(lambda: (z.copy(), y.copy()), arguments.repeats),
    }
    torch_version = None
    try:
        import torch
    except ImportError:
        pass
    else:
        torch_version = torch.__version__
        logits, targets = torch.from_numpy(z), torch.from_numpy(y)

        def with_torch():
            leaf = logits.detach().requires_grad_(True)
            torch.nn.functional.binary_cross_entropy_with_logits(leaf, targets).backward()
            return leaf.grad

        timings["pytorch"] = best_time(with_torch, arguments.repeats)

    peak = peak_extra_memory(lambda: bce_with_logits_and_grad(z, y), n) * 8 * n

    option_results = {}
    for case, calls in option_cases(n, rng).items():
        seconds = {name: best_time(call, arguments.repeats) for name, call in calls.items()}
        option_results[case] = {
            "seconds": seconds,
            "reference_over_pytorch": seconds["reference"] / seconds["pytorch"] if "pytorch" in seconds else None,
            "peak_extra_memory_in_arrays_of_n": peak_extra_memory(calls["reference"], n),
        }

    results = {
        "n": n,
        "seconds": timings,
        "ratios": {
            "reference_over_pytorch": timings["reference"] / timings["pytorch"] if "pytorch" in timings else None,
            "reference_over_copy_floor": timings["reference"] / timings["copy_floor"],
            "numpy_naive_over_reference": timings["numpy_naive"] / timings["reference"],
        },
        "peak_extra_memory_in_arrays_of_n": peak / (8 * n),
        "cases": option_results,
        "classes": CLASSES,
        "machine": {
            "cores": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "pytorch": torch_version,
        },
        "recorded": time.strftime("%Y-%m-%d"),
    }
    for name, seconds in timings.items():
        print(f"{name:>12}: {seconds * 1e3:8.1f} ms")
    for name, ratio in results["ratios"].items():
        print(f"{name:>28}: {ratio:.2f}" if ratio is not None else f"{name:>28}: n/a")
    print(f"peak extra memory: {results['peak_extra_memory_in_arrays_of_n']:.2f} arrays of n float64")
    for case, result in option_results.items():
        for name, seconds in result["seconds"].items():
            print(f"{case + ' ' + name:>20}: {seconds * 1e3:8.1f} ms")
        ratio = result["reference_over_pytorch"]
        print(f"{case + ' reference/pytorch':>28}: {ratio:.2f}" if ratio is not None else f"{case:>20}: no PyTorch")
        print(f"{case + ' peak extra memory':>28}: {result['peak_extra_memory_in_arrays_of_n']:.2f} arrays of n float64")
    if not arguments.no_write:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
        print(f"written to {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")


if __name__ == "__main__":
    main()
