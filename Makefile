# Ariadne — one entry point. Every target creates or reuses .venv, so a fresh clone needs nothing else.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
LINTED := server tests $(wildcard bench) vscode-extension/scripts

.DEFAULT_GOAL := help
.PHONY: help demo test pytest lint fmt bench serve ext ext-test clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Ariadne needs Python >= 3.10")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP) ## summarise the bundled examples (8 languages) with the offline default
	$(VENV)/bin/ariadne-lsp summarize examples/

test: lint ext-test pytest ## lint, type-check and run every test (Python, extension, editors)

pytest: $(STAMP)
	$(PY) -m pytest -q $(PYTEST_ARGS)

lint: $(STAMP) ## ruff and mypy
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)
	$(VENV)/bin/mypy
	$(PY) vscode-extension/scripts/sync_settings.py --check

fmt: $(STAMP) ## format and fix what ruff can
	$(VENV)/bin/ruff format $(LINTED)
	$(VENV)/bin/ruff check --fix $(LINTED)

bench: $(STAMP) ## run the benchmarks (a few minutes) and write docs/benchmarks.md
	$(PY) bench/run.py --output docs/benchmarks.md

ext: ## build the VS Code extension: vscode-extension/ariadne.vsix (Node 20 + npm)
	vscode-extension/build.sh

ext-test: ## type-check and unit-test the VS Code extension (offline)
	cd vscode-extension && npm ci --no-audit --no-fund --loglevel=error && npm test

serve: $(STAMP) ## serve LSP over stdio (what editors launch)
	$(VENV)/bin/ariadne-lsp

clean: ## remove the virtual environment and caches
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache test-output
	rm -rf vscode-extension/node_modules vscode-extension/dist vscode-extension/out-test vscode-extension/ariadne.vsix
