"""Benchmark of `snippets.bce.bce_with_logits_and_grad` (run by `make benchmark`; never by the tests).

Times, in one run and on the same arrays of n logits and targets (float64):
  - the reference loss + gradient,
  - PyTorch CPU: binary_cross_entropy_with_logits + backward,
  - a naive numpy implementation (σ, then logs),
  - the memory floor: a numpy copy of both input arrays,
and the reference's peak extra memory, in arrays of size n. Prints a table and writes
benchmarks/bce.json, which the reference page shows.
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

from snippets.bce import bce_with_logits_and_grad

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

    tracemalloc.start()
    bce_with_logits_and_grad(z, y)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    results = {
        "n": n,
        "seconds": timings,
        "ratios": {
            "reference_over_pytorch": timings["reference"] / timings["pytorch"] if "pytorch" in timings else None,
            "reference_over_copy_floor": timings["reference"] / timings["copy_floor"],
            "numpy_naive_over_reference": timings["numpy_naive"] / timings["reference"],
        },
        "peak_extra_memory_in_arrays_of_n": peak / (8 * n),
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
    if not arguments.no_write:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
        print(f"written to {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")


if __name__ == "__main__":
    main()
