# make test  : create .venv if missing, install xpmath with every CPU extra, run the whole suite, the
#              peers' own tests against xpmath, and the cupy backend on the CuPy stand-in
# make bench : create .venv if missing, install, run the quick benchmark on every usable backend
# make peer  : the peers' own tests (NumPy, SciPy, scikit-learn) on the peers and on each backend
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
RESULTS := benchmarks/results
SHELL   := /bin/bash
.SHELLFLAGS := -o pipefail -c

.PHONY: test bench peer install clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[numba,dask,bench,test]"
	touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q
	@echo "--- the peers' own tests (NumPy's, SciPy's, scikit-learn's) against xpmath on each CPU backend"
	$(BIN)/python -m pytest -n 2 -q -p no:cacheprovider -m peer tests/peer
	@echo "--- the cupy backend's Python once more, on tests/fake_cupy (a CuPy stand-in on NumPy, its arrays under CuPy's rules; see its README)"
	PYTHONPATH=tests/fake_cupy XPMATH_TEST_BACKENDS=cupy $(BIN)/python -m pytest -n 2 -q -p no:cacheprovider tests/

peer: $(STAMP)
	$(BIN)/python tests/peer/report.py -n 2

bench: $(STAMP)
	mkdir -p $(RESULTS)
	$(BIN)/xpmath bench --quick --json $(RESULTS)/bench-quick.json --plot $(RESULTS)/bench-quick.png \
		| tee $(RESULTS)/bench-quick.txt

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
