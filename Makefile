# The two commands of the README: `make serve` and `make test`.
# Each sets up what it needs: a virtual environment in .venv, KaTeX in node_modules,
# and (for the browser tests, when run as root) Debian's Chromium.

VENV := .venv
PYTHON := $(VENV)/bin/python
PIP := $(PYTHON) -m pip install --quiet --disable-pip-version-check
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test browser benchmark page-performance clean

serve: $(VENV)/.site node_modules/.installed
	$(VENV)/bin/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

build: $(VENV)/.site node_modules/.installed
	$(VENV)/bin/mkdocs build --strict

test: $(VENV)/.tests node_modules/.installed browser
	$(PYTHON) -m pytest

benchmark: $(VENV)/.tests
	$(PYTHON) scripts/benchmark_bce.py

page-performance: $(VENV)/.tests node_modules/.installed browser
	$(PYTHON) scripts/page_performance.py

$(PYTHON):
	python3 -m venv $(VENV)

$(VENV)/.site: pyproject.toml | $(PYTHON)
	$(PIP) -e .
	touch $@

$(VENV)/.tests: $(VENV)/.site
	$(PIP) -e '.[test,oracle]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

browser:
	@scripts/ensure_chromium.sh

clean:
	rm -rf $(VENV) node_modules site .pytest_cache
