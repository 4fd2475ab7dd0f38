# Every target bootstraps .venv itself; re-running is quick when nothing changed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test test-long lint typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Strict editable mode: build/__editable__.*/limitlab/ is a tree of links to the sources, put
# on sys.path by a plain .pth line. mypy still needs it: it reads .pth paths but does not run
# the import hook of a plain `pip install -e .`, so `mypy -p limitlab.core` finds nothing
# there. (Both modes, and `pip install .`, give a working `limitlab`: tests/test_packaging.py.)
# The tree links files, not folders, so a new module or scenario needs a re-install: the
# stamps depend on the package folders (their mtime moves when a file is added or removed).
EDITABLE := --config-settings editable_mode=strict
# pip compiles the libraries' bytecode but not an editable project's; do it once here, so that
# every run starts from .pyc even where PYTHONDONTWRITEBYTECODE is set (stale files are simply
# recompiled by Python, in memory).
COMPILE  = $(BIN)/python -m compileall -q -j0 "$$($(BIN)/python -c 'import os, limitlab.cli as c; print(os.path.dirname(os.path.dirname(c.__file__)))')"

$(VENV)/.installed: pyproject.toml core cli cli/commands cli/i18n cli/views examples | $(BIN)/python
	$(BIN)/python -m pip install --quiet $(EDITABLE) -e .
	$(COMPILE)
	touch $@

$(VENV)/.installed-test: pyproject.toml core cli cli/commands cli/i18n cli/views examples | $(BIN)/python
	$(BIN)/python -m pip install --quiet $(EDITABLE) -e '.[test]'
	$(COMPILE)
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/limitlab demo

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy -p limitlab.core -p limitlab.cli
	$(BIN)/mypy --strict tests

# The suite on one worker per core (pytest-xdist; each worker has its own tmp_path base, and
# every test its own database and user data dir, tests/conftest.py). `PYTEST_WORKERS=0` runs
# it in this one process. worksteal: the subprocess-heavy files run long, a worker that is done
# takes tests from the other.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal

test: lint typecheck
	$(PYTEST)

# The property tests with five times the examples (slow; not in CI).
test-long: lint typecheck
	LIMITLAB_LONG_TESTS=1 $(PYTEST)

bench: $(VENV)/.installed-test
	$(COMPILE)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
