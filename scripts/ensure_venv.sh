#!/usr/bin/env bash
# Makes sure $2 (default .venv) is a virtual environment of a Python >= 3.11 made from $1.
# A virtual environment of another Python, or one left half-made, is removed and made again;
# a failed attempt removes what it made, so no broken environment is ever left behind.
set -u
python="${1:-python3}"
venv="${2:-.venv}"
usable() { [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import sys, pip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
if usable; then
  exit 0
fi
if [ -e "$venv" ]; then
  echo "Removing $venv: it is not a working virtual environment of Python >= 3.11."
  rm -rf "$venv"
fi
if ! "$python" -m venv "$venv" || ! usable; then
  rm -rf "$venv"
  echo "error: could not create a virtual environment in $venv with $python; nothing was left behind." >&2
  exit 1
fi
