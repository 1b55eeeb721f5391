# Entry points: `make demo` (tutorial run, digit 0), `make demo-all` (all ten digits), `make demo-collab`
# (four peers learning together) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install test demo demo-all demo-collab clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	$(PY) -m pytest -q tests

clean:
	rm -rf $(VENV) results .pytest_cache

demo: $(STAMP)
	$(PY) demo/run_demo.py

demo-all: $(STAMP)
	$(PY) demo/run_demo.py --target-digit all

demo-collab: $(STAMP)
	$(PY) demo/run_demo.py --collaborative
