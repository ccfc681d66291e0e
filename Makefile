# Two commands do everything: `make lab` (the main job) and `make test`.
# Needs only python3 (>= 3.11), git and make; uv is bootstrapped when missing.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
STORE ?= workbench.sqlite
PORT ?= 8888

.PHONY: lab test lint env annotate bench browser-deps office-deps clean

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	touch $@

env: .venv/.synced

# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: env
	$(UV) run --frozen jupyter lab --notebook-dir=notebooks --port=$(PORT) $(ALLOW_ROOT)

annotate: env
	$(UV) run --frozen workbench annotate seeds/ --store $(STORE)
	$(UV) run --frozen workbench export --store $(STORE) --out exports/

# ruff (lint and line length, configured in pyproject.toml) first, then the tests.
test: env browser-deps office-deps
	$(UV) run --frozen ruff check .
	$(UV) run --frozen pytest

lint: env
	$(UV) run --frozen ruff check .

# The browser test drives Debian's Chromium; install it when it is missing.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: run 'sudo apt-get install chromium' for the browser test" >&2; fi; }

# The workbook tests open the xlsx export in LibreOffice (headless) and type into it through
# its UNO bridge (tests/office_edit.py, run by the system python3), and read the PDF Calc
# prints with pdftotext; install Calc, python3-uno and poppler-utils when they are missing.
office-deps:
	@{ command -v soffice >/dev/null 2>&1 && /usr/bin/python3 -c 'import uno' 2>/dev/null \
	   && command -v pdftotext >/dev/null 2>&1; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui python3-uno poppler-utils >/dev/null; \
	  else echo "LibreOffice or pdftotext is missing: run 'sudo apt-get install libreoffice-calc-nogui python3-uno poppler-utils' for the workbook tests" >&2; fi; }

# Benchmarks need spaCy, pyahocorasick and pyinstrument (the peers measured side by side, the
# profiler); they live in their own environment so that `make test` and `make lab` do not churn
# packages. BENCH_ARGS passes options: make bench BENCH_ARGS="--quick --only annotation".
BENCH_ARGS ?=
bench: | $(UV)
	UV_PROJECT_ENVIRONMENT=.venv-bench $(UV) sync --frozen --group bench
	UV_PROJECT_ENVIRONMENT=.venv-bench $(UV) run --frozen --group bench python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf .venv .venv-bench .tools .pytest_cache exports
