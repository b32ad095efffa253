"""What sympy needed to settle each scalar step, per page: a canonical form, or `simplify`.

Every `Chain` of every claim module (exercises included) is checked afresh (`PROOF_MEMO=off`), and
each step is counted by what settled it: `cancel`, `expand_log` then `cancel`, `exp` (cancelling
through exp), `simplify`, `expand`, or a numeric check. Writes benchmarks/step_census.json.

    python scripts/step_census.py
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

os.environ["PROOF_MEMO"] = "off"  # read when the engine is imported
ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from displays import displays  # noqa: E402
from bce_proofs import Chain  # noqa: E402

RESULTS = ROOT / "benchmarks" / "step_census.json"


def page_of(module: str) -> str:
    """The page that prints a module's chains: the page that imports it (x.md for snippets.x and
    snippets.exercises.x, bce.md for snippets.bce_derivations)."""
    name = module.rsplit(".", 1)[-1]
    if (ROOT / "docs" / f"{name}.md").is_file():
        return f"docs/{name}.md"
    return next(f"docs/{path.name}" for path in sorted((ROOT / "docs").glob("*.md")) if name in path.read_text(encoding="utf-8"))


def main() -> None:
    pages: dict[str, Counter] = {}
    seconds: dict[str, float] = {}
    for found in displays():
        if not isinstance(found.display, Chain):
            continue
        start = time.perf_counter()
        checks = found.display.check()
        page = page_of(found.module)
        seconds[page] = seconds.get(page, 0.0) + time.perf_counter() - start
        pages.setdefault(page, Counter()).update(check.settled_by or "numeric" for check in checks)
    total = sum(pages.values(), Counter())
    for page, counts in sorted(pages.items()):
        print(f"{page:<32} {sum(counts.values()):>4} steps: " + ", ".join(f"{how} {n}" for how, n in counts.most_common()) + f"  ({seconds[page]:.1f} s)")
    print(f"{'all pages':<32} {sum(total.values()):>4} steps: " + ", ".join(f"{how} {n}" for how, n in total.most_common()))
    RESULTS.write_text(json.dumps({
        "recorded": time.strftime("%Y-%m-%d"),
        "total": dict(total.most_common()),
        "pages": {page: {"steps": dict(counts.most_common()), "check_seconds": round(seconds[page], 2)} for page, counts in sorted(pages.items())},
    }, indent=2) + "\n")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
