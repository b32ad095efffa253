# The two commands of the README: `make serve` and `make test`.
# Each checks its prerequisites first (a Python >= 3.11 that can make virtual environments), then
# sets up what it needs: a virtual environment in .venv (Node.js included, from PyPI), Temml in
# node_modules, and (for the browser tests, when run as root) Debian's Chromium.

PYTHON3 ?= python3
VENV := .venv
PYTHON := $(VENV)/bin/python
PIP := $(PYTHON) -m pip install --quiet --disable-pip-version-check
NPM := PATH="$(abspath $(VENV)/bin):$$PATH" $(VENV)/bin/npm
# worksteal: a worker that runs out of tests takes pending ones from the other, so neither idles
# while the other still holds a queue behind a long browser test (with `load`, 35 s at the end).
PYTEST := $(PYTHON) -m pytest -n auto --dist worksteal
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test unit browser benchmark page-performance authoring-loop prerequisites clean

serve: prerequisites $(VENV)/.site node_modules/.installed
	$(VENV)/bin/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

build: prerequisites $(VENV)/.site node_modules/.installed
	$(VENV)/bin/mkdocs build --strict

test: prerequisites $(VENV)/.tests node_modules/.installed browser
	$(PYTEST)

# The tests of the claims, the proof engine and the docs' examples: no site build, browser or mutation.
unit: prerequisites $(VENV)/.tests
	$(PYTEST) -m "not build and not browser and not mutation"

benchmark: prerequisites $(VENV)/.tests
	$(PYTHON) scripts/benchmark_bce.py

page-performance: prerequisites $(VENV)/.tests node_modules/.installed browser
	$(PYTHON) scripts/page_performance.py

authoring-loop: prerequisites $(VENV)/.site node_modules/.installed
	$(PYTHON) scripts/authoring_loop.py

prerequisites:
	@scripts/check_prerequisites.sh $(PYTHON3)

$(VENV)/.site: pyproject.toml
	@scripts/ensure_venv.sh $(PYTHON3) $(VENV)
	$(PIP) -e .
	touch $@

$(VENV)/.tests: $(VENV)/.site
	$(PIP) -e '.[test,oracle]'
	touch $@

node_modules/.installed: package.json package-lock.json $(VENV)/.site
	$(NPM) ci --no-audit --no-fund --loglevel=error
	touch $@

browser:
	@scripts/ensure_chromium.sh

# Everything the commands above set up or write; the next command sets it up again.
clean:
	rm -rf $(VENV) node_modules site test-output .cache .pytest_cache .hypothesis *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
