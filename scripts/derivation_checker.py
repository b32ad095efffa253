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
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from displays import displays  # noqa: E402
from test_derivation import ASKER_WHERE, asker_lines  # noqa: E402
from bce_proofs.chain import Chain  # noqa: E402
from bce_proofs.derivation import check, from_chain  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    # The asker's own lines as typed in the thread (read from the seed, as tests/test_derivation.py reads them).
    typed = Path(tempfile.mkdtemp()) / "sign_error_as_typed.tex"
    typed.write_text("\n".join([ASKER_WHERE, *asker_lines()]) + "\n", encoding="utf-8")
    command = [str(Path(sys.executable).parent / "bce-proofs"), "check", str(typed)]
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
        "check_command": {"file": "the sign-error asker's lines as typed in the thread, with a where line", "input": typed.read_text(encoding="utf-8").splitlines(), "runs": runs, "median_s": round(statistics.median(seconds), 2), "min_s": round(min(seconds), 2),
                          "max_s": round(max(seconds), 2), "exit_status": result.returncode, "output": output.splitlines()},
        "site_chains_in_the_format": {"chains": sum(outcomes.values()), **outcomes, "seconds": round(time.perf_counter() - started, 1)},
    }
    (ROOT / "benchmarks" / "derivation_checker.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(record, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
