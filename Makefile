# Two commands from a fresh clone:  make book  /  make test
# Everything runs in .venv, created and filled here from pyproject.toml; MathJax comes from
# npm (package.json), Chromium for the browser test from Debian (installed when missing).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
MATHJAX := node_modules/mathjax/es5/tex-mml-chtml.js
CHROMIUM ?= /usr/bin/chromium

# Small dense linear algebra on 2 cores: one BLAS thread is many times faster.
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS      := 1
export OMP_NUM_THREADS      := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

# Figures and report-card records that chapters write while the book is built or tested go
# to a build folder: only `make figures` (scripts/twins.py) rewrites the committed figures/.
export NONRECIPROCAL_FIGURES := $(CURDIR)/_build/figures
TEST_FIGURES := $(CURDIR)/_build/test-figures
NBVAL := --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

.PHONY: book test unit nbval figure-data build-strict browser-test chromium figures twins clean help

help:
	@echo "make book     build the HTML book, every chapter executed (_build/html/index.html)"
	@echo "make test     unit tests, nbval over every chapter, figure data against figures/,"
	@echo "              strict book build (warnings are errors), the built site in headless Chromium"
	@echo "make figures  re-execute the chapters: rewrites figures/ and the executed twins tests/nbval/"
	@echo "              (one chapter: make figures CHAPTER=li_flebus)"
	@echo "make clean    remove build products (keeps .venv and node_modules)"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[book,test,dask]"
	@touch $(STAMP)

# MathJax 3, shipped with the site so that the book reads offline (package.json pins it).
$(MATHJAX): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Debian's Chromium for the browser test (CI runs as root; elsewhere install it yourself).
chromium:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "the browser test needs Debian's chromium: sudo apt-get install chromium"; exit 1; fi; }

book: $(STAMP) $(MATHJAX)
	$(BIN)/jupyter-book build . --keep-going
	@echo "The book is at $(CURDIR)/_build/html/index.html"

unit: $(STAMP)
	$(BIN)/python -m pytest tests --ignore=tests/nbval -p no:cacheprovider

# nbval executes every twin; the figures and records it writes land in a fresh TEST_FIGURES
nbval: $(STAMP)
	rm -rf $(TEST_FIGURES)
	NONRECIPROCAL_FIGURES=$(TEST_FIGURES) $(BIN)/python -m pytest $(NBVAL) tests/nbval

# after nbval: every regenerated figure CSV and record against the committed figures/
figure-data: $(STAMP)
	NONRECIPROCAL_REGENERATED=$(TEST_FIGURES) $(BIN)/python -m pytest tests/test_figure_data.py -p no:cacheprovider

build-strict: $(STAMP) $(MATHJAX)
	rm -rf _build/html _build/.doctrees _build/jupyter_execute
	$(BIN)/jupyter-book build . -W --keep-going
	@echo "The book is at $(CURDIR)/_build/html/index.html"

# after the build: every page offline in headless Chromium
browser-test: $(STAMP) chromium
	NONRECIPROCAL_HTML=$(CURDIR)/_build/html CHROMIUM=$(CHROMIUM) \
	  $(BIN)/python -m pytest tests/test_browser.py -p no:cacheprovider

test: $(STAMP) $(MATHJAX) chromium
	$(MAKE) --no-print-directory unit
	$(MAKE) --no-print-directory nbval
	$(MAKE) --no-print-directory figure-data
	$(MAKE) --no-print-directory build-strict
	$(MAKE) --no-print-directory browser-test

twins figures: $(STAMP)
	$(BIN)/python scripts/twins.py $(CHAPTER)

clean:
	rm -rf _build .pytest_cache
