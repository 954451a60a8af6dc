# One entry point for running, testing, linting and benchmarking crampwise.
# Python packages install into ./.venv from the lock file (uv.lock, exact versions with hashes),
# so a new release upstream cannot change what a clean clone installs. System packages
# (chromium, wrk) are a separate, explicit step: `make system-deps`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed
# --locked: fail if uv.lock does not match pyproject.toml (run `make lock`) instead of re-resolving.
# --inexact: keep uv itself (and pip) in the venv it was bootstrapped into.
SYNC := $(UV) sync --locked --inexact
export UV_PYTHON_DOWNLOADS := never
# Compile bytecode at install: with PYTHONDONTWRITEBYTECODE set (as on CI machines) Python would
# otherwise recompile every module on every start, tripling `crampwise log`'s start-up.
export UV_COMPILE_BYTECODE := 1

.PHONY: run test test-fast lint typecheck pytest bench load-test system-deps lock clean

# uv is the one tool bootstrapped with plain pip, itself pinned with hashes.
$(UV): requirements/uv.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/uv.txt
	touch $(UV)

# What a user needs: the runtime dependencies only.
$(RUNTIME): $(UV) uv.lock pyproject.toml
	$(SYNC) --no-dev
	touch $@

# What development needs: runtime + the postgres extra + the dev group (tests, linters, oracles).
$(DEV): $(UV) uv.lock pyproject.toml
	$(SYNC) --extra postgres
	touch $@ $(RUNTIME)

run: $(RUNTIME)
	$(BIN)/crampwise serve

# Everything CI runs. Browser tests skip without chromium (`make system-deps`) except under CI.
test: lint typecheck pytest

# The edit-test loop: no lint, no browser, nothing marked slow (under a minute).
test-fast: $(DEV)
	$(BIN)/python -m pytest -q -m "not slow and not browser" $(PYTEST_ARGS)

lint: $(DEV)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(DEV)
	$(BIN)/mypy

pytest: $(DEV)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(DEV)
	$(BIN)/python benchmarks/run_all.py

# The multi-user load test (needs wrk and PostgreSQL; LOAD_ARGS="--steps 8,32 --duration 5").
load-test: $(DEV)
	$(BIN)/python benchmarks/load/run_load.py $(LOAD_ARGS)

# Debian's chromium for the browser tests and wrk for the API benchmark (apt-get, as root).
system-deps:
	bash scripts/system-deps.sh

# Re-resolve after editing dependencies in pyproject.toml (LOCK_ARGS=--upgrade for newer releases).
lock: $(UV)
	$(UV) lock $(LOCK_ARGS)
	$(UV) pip compile --quiet --universal --python-version 3.11 --generate-hashes \
		--custom-compile-command "make lock" requirements/uv.in -o requirements/uv.txt

clean:
	rm -rf $(VENV) build src/*.egg-info
