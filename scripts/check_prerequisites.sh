#!/usr/bin/env bash
# What `make` needs before it sets anything up: a Python >= 3.11 that can create virtual environments.
# Everything else (Node.js for the math renderer included) is installed from package registries into .venv.
set -u
python="${1:-python3}"
if ! command -v "$python" >/dev/null 2>&1; then
  echo "error: '$python' was not found. Install Python 3.11 or newer (https://www.python.org/downloads/;" >&2
  echo "       Debian/Ubuntu: apt-get install python3 python3-venv), or name one: make PYTHON3=/path/to/python3.12" >&2
  exit 1
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  found="$("$python" -c 'import sys; print(".".join(map(str, sys.version_info[:3])))' 2>/dev/null || echo unknown)"
  echo "error: $python is Python $found; the site needs Python 3.11 or newer." >&2
  echo "       Install one (Debian/Ubuntu: apt-get install python3.11 python3.11-venv), or name one: make PYTHON3=/path/to/python3.12" >&2
  exit 1
fi
if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
  echo "error: $python cannot create virtual environments (its venv/ensurepip modules are missing)." >&2
  echo "       Debian/Ubuntu: apt-get install python3-venv (or python3.X-venv for your version)." >&2
  exit 1
fi
