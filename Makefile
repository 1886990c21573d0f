# Two commands: `make build` sets everything up and builds the site; `make test` sets up and
# runs every test. Both create .venv on first use and reinstall only when a pin changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: build test check serve bench clean system-packages

# An agency's overlay folder, if any: make build OVERLAY=riverside
OVERLAY ?=
WITH_OVERLAY := $(if $(OVERLAY),--overlay $(OVERLAY))
# make build RELEASE=1 refuses while any agency setting is still a shipped placeholder.
RELEASE ?=
AS_RELEASE := $(if $(RELEASE),--release)
# make build STRICT=1 fails on warnings too (a refused translation, an unusual setting).
STRICT ?=
AS_STRICT := $(if $(STRICT),--strict)
# Setup steps keep their output in .venv/setup.log and show it only when they fail.
QUIETLY = bash tools/quietly $(VENV)/setup.log

build: $(VENV)/.installed node_modules/.installed
	@$(BIN)/curriculum build $(WITH_OVERLAY) $(AS_RELEASE) $(AS_STRICT)

# The tests run in one process per core, each test file in one process (tests/conftest.py).
PYTEST ?= -n auto --dist loadfile
test: system-packages $(VENV)/.installed-test node_modules/.installed
	$(BIN)/pytest $(PYTEST)

# Chromium, poppler-utils and npm, installed where missing (as root with apt-get).
system-packages:
	@bash tools/system-packages

check: $(VENV)/.installed
	$(BIN)/curriculum check $(WITH_OVERLAY)

serve: $(VENV)/.installed node_modules/.installed
	$(BIN)/curriculum serve $(WITH_OVERLAY)

$(BIN)/python:
	@echo "Setting up .venv (first time only)"
	@$(PYTHON) -m venv $(VENV)
	@$(QUIETLY) $(BIN)/python -m pip install --upgrade pip

$(VENV)/.installed: pyproject.toml $(BIN)/python
	@echo "Installing the Python packages into .venv"
	@$(QUIETLY) $(BIN)/python -m pip install -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(BIN)/python
	@echo "Installing the Python packages and test tools into .venv"
	@$(QUIETLY) $(BIN)/python -m pip install -e '.[test]'
	@touch $(VENV)/.installed $@

# The iframe-worker shim lets search work from file:// without any CDN; it comes from the
# npm registry at setup time and is copied into the built site, never committed.
node_modules/.installed: package.json package-lock.json
	@echo "Installing the browser assets into node_modules"
	@$(QUIETLY) npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Build speed: a table of medians, also written to build/bench/results.json. Takes long:
# the scale figures build the content 10x and 50x (fewer: make bench BENCH="--scales 10").
bench: $(VENV)/.installed node_modules/.installed
	$(BIN)/python bench/run.py $(BENCH)

clean:
	rm -rf site build .site-* $(VENV) node_modules
