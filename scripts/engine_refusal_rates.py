"""How often the proof engine refuses false steps, by kind of variant, on random formulas.

The formulas and variants are `tests/engine_variants.py`'s, drawn by hypothesis; a variant that
sympy shows equal to its original is counted as equivalent, not as a false step. True rewrites
are counted as accepted or (wrongly) refused. Writes benchmarks/engine_refusals.json.

    .venv/bin/python scripts/engine_refusal_rates.py [--examples 200]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from engine_variants import TRUE_REWRITES, UNDEFINED_KINDS, VARIANT_KINDS, chain, equal_on_domain, formulas, tex, variant  # noqa: E402
from bce_proofs import StepError  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="random formulas per kind")
    examples = parser.parse_args().examples
    outcomes: dict[str, Counter] = {}
    started = time.perf_counter()
    run = settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))

    @run
    @given(formulas, st.integers(0, 2**32))
    def attack(kind, expr, seed):
        counts = outcomes[kind]
        shown, value = variant(kind, expr, random.Random(seed))
        if value is None:
            counts["no variant of this kind"] += 1
        elif kind not in UNDEFINED_KINDS and equal_on_domain(value, expr):
            counts["equivalent (equal by sympy)"] += 1
        else:
            try:
                chain(expr, shown).check()
                counts["accepted (a hole)"] += 1
            except StepError:
                counts["refused"] += 1

    @run
    @given(formulas)
    def accept(rewrite, expr):
        counts = outcomes[f"true rewrite: {rewrite}"]
        try:
            chain(expr, tex(TRUE_REWRITES[rewrite](expr))).check()
            counts["accepted"] += 1
        except StepError:
            counts["refused (wrongly)"] += 1

    for kind in VARIANT_KINDS:
        outcomes[kind] = Counter()
        attack(kind)
    for rewrite in TRUE_REWRITES:
        outcomes[f"true rewrite: {rewrite}"] = Counter()
        accept(rewrite)

    record = {
        "what": "the proof engine on random formulas over a in (0.1, 0.9), z in (-2, 2): false variants by kind, and true rewrites",
        "examples_per_kind": examples,
        "seconds": round(time.perf_counter() - started, 1),
        "outcomes": {kind: dict(counts) for kind, counts in outcomes.items()},
    }
    for kind, counts in outcomes.items():
        tried = counts["refused"] + counts["accepted (a hole)"] if "true" not in kind else sum(counts.values())
        rate = counts["refused"] / tried if "true" not in kind and tried else counts.get("accepted", 0) / max(tried, 1)
        label = "refused" if "true" not in kind else "accepted"
        print(f"{kind:<24} {label} {rate:7.1%} of {tried:4d}   {dict(counts)}")
    (ROOT / "benchmarks" / "engine_refusals.json").write_text(json.dumps(record, indent=2) + "\n")


if __name__ == "__main__":
    main()
