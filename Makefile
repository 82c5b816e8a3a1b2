PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
STAMP := $(VENV)/.installed
# uv installs into our .venv (kept with --inexact, so uv itself stays), never a Python of its own.
SYNC := UV_PROJECT_ENVIRONMENT=$(VENV) UV_PYTHON_DOWNLOADS=never $(UV) sync --frozen --inexact

.PHONY: run test lint bench docs-picture soak lock clean

# The one tool the lock needs, from a hash-pinned requirements file: only Python and make
# are needed on the machine.
$(UV): deploy/uv-requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --require-hashes \
		-r deploy/uv-requirements.txt
	touch $(UV)

# Every package at the version and hash in uv.lock, the project itself editable.
$(STAMP): pyproject.toml uv.lock $(UV)
	$(SYNC) --extra test --extra dev
	touch $(STAMP)

# deduce's lookup structures (names, streets; 77 MB), built once per install (about 70 s) so
# the first shareable export, and the tests, do not wait for them.
DEDUCE := $(VENV)/.deduce
$(DEDUCE): $(STAMP)
	$(BIN)/python -m bot.features.export.deduce_spans
	touch $(DEDUCE)

run: $(STAMP) $(DEDUCE)
	$(BIN)/veldgids

test: $(STAMP) $(DEDUCE)
	$(BIN)/python -m pytest -q -n 2

lint: $(STAMP)
	$(BIN)/ruff check bot dialogs search storage tests bench
	$(BIN)/mypy bot dialogs search storage
	$(BIN)/python -m tests.architecture --check

bench: $(STAMP) $(DEDUCE)
	$(BIN)/python -m bench

# The README's picture of the Word report's page 1, drawn from a real .docx of an example
# community (bench/page_one.py); not part of `make test`.
docs-picture: $(STAMP)
	$(BIN)/python -m bench.page_one docs/rapport-pagina-1.png

soak: $(STAMP)
	$(BIN)/python -m pytest -q -m soak

# Moves every package to the newest release pyproject.toml's ranges allow; commit uv.lock.
lock: $(UV)
	$(UV) lock --upgrade

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
