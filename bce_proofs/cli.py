"""The command line: ``bce-proofs check FILE`` checks a derivation written in the format of
`bce_proofs.derivation`, printing ``N: verdict: message`` for each formula line.

Exit status: 0 when every line is given or follows, 1 when any is wrong or undefined, 2 when any is
unreadable or the file cannot be read (a message, never a traceback).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bce_proofs import derivation


def read_text(path: Path) -> str:
    """The file's text, or ValueError saying why it cannot be checked."""
    if not path.exists():
        raise ValueError(f"{path}: no such file")
    if not path.is_file():
        raise ValueError(f"{path}: not a file")
    with path.open("rb") as file:
        data = file.read(derivation.MAX_CHARACTERS * 4 + 1)
    if len(data) > derivation.MAX_CHARACTERS * 4:
        raise ValueError(f"{path}: larger than {derivation.MAX_CHARACTERS * 4} bytes; a derivation is a page of text")
    if b"\0" in data:
        raise ValueError(f"{path}: not a text file (it holds NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: not UTF-8 text (byte {error.start})") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bce-proofs", description="Check a derivation line by line.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check the derivation in FILE")
    check.add_argument("file", type=Path, metavar="FILE")
    arguments = parser.parse_args(argv)
    try:
        text = read_text(arguments.file)
    except ValueError as error:
        print(f"bce-proofs: {error}", file=sys.stderr)
        return 2
    verdicts = derivation.check(text)
    if not verdicts:
        print(f"bce-proofs: {arguments.file}: no formula lines", file=sys.stderr)
        return 2
    for verdict in verdicts:
        print(verdict)
    return derivation.exit_status(verdicts)


if __name__ == "__main__":
    sys.exit(main())
