# Two commands from a fresh clone:  make book  /  make test
# Everything runs in .venv, created and filled here from pyproject.toml.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Small dense linear algebra on 2 cores: one BLAS thread is many times faster.
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS      := 1
export OMP_NUM_THREADS      := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: book test unit nbval build-strict figures twins clean help

help:
	@echo "make book     build the HTML book, every chapter executed (_build/html/index.html)"
	@echo "make test     unit tests, nbval over every chapter, strict book build (warnings are errors)"
	@echo "make figures  re-execute the chapters: rewrites figures/ and the executed twins tests/nbval/"
	@echo "make clean    remove build products (keeps .venv)"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[book,test]"
	@touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --keep-going
	@echo "The book is at $(CURDIR)/_build/html/index.html"

unit: $(STAMP)
	$(BIN)/python -m pytest tests --ignore=tests/nbval

nbval: $(STAMP)
	$(BIN)/python -m pytest --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg tests/nbval -p no:cacheprovider

build-strict: $(STAMP)
	rm -rf _build/html _build/.doctrees
	$(BIN)/jupyter-book build . -W --keep-going
	@echo "The book is at $(CURDIR)/_build/html/index.html"

test: $(STAMP)
	$(BIN)/python -m pytest tests --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider
	$(MAKE) --no-print-directory build-strict

twins figures: $(STAMP)
	$(BIN)/python scripts/twins.py

clean:
	rm -rf _build .pytest_cache
