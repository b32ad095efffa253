"""The derivation checker's figures: `bce-proofs check` on the sign-error asker's derivation (process
start included, median of --runs), and every scalar chain of the site written out in the format
(how many, and how many follow). Writes benchmarks/derivation_checker.json.

    .venv/bin/python scripts/derivation_checker.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from displays import displays  # noqa: E402
from bce_proofs.chain import Chain  # noqa: E402
from bce_proofs.derivation import check, from_chain  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    command = [str(Path(sys.executable).parent / "bce-proofs"), "check", str(ROOT / "tests/derivations/sign_error_as_asked.tex")]
    seconds, output = [], ""
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True)
        seconds.append(time.perf_counter() - started)
        output = result.stdout
    outcomes, started = Counter(), time.perf_counter()
    for found in displays():
        if isinstance(found.display, Chain):
            verdicts = check(from_chain(found.display))
            outcomes["follows" if all(v.verdict in ("given", "follows") for v in verdicts) else "does not follow"] += 1
    record = {
        "recorded": time.strftime("%Y-%m-%d"),
        "check_command": {"runs": runs, "median_s": round(statistics.median(seconds), 2), "min_s": round(min(seconds), 2),
                          "max_s": round(max(seconds), 2), "exit_status": result.returncode, "output": output.splitlines()},
        "site_chains_in_the_format": {"chains": sum(outcomes.values()), **outcomes, "seconds": round(time.perf_counter() - started, 1)},
    }
    (ROOT / "benchmarks" / "derivation_checker.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(record, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
