# Entry points: `make demo` (tutorial run, digit 0), `make demo-all` (all ten digits), `make demo-collab`
# (four peers learning together) and `make test`; `make image` (container image; BASE=local for a
# Debian base made here) and `make image-test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
IMAGE ?= localhost/amlip-py:latest
BASE ?= docker.io/library/python:3.11-slim

.PHONY: install test demo demo-all demo-collab clean image image-test image-clean

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

image:
	IMAGE=$(IMAGE) BASE=$(BASE) container/build_image.sh

# Not part of `make test` (a cold build takes minutes): run before each release.
image-test: $(STAMP)
	$(MAKE) image BASE=local
	AMLIP_IMAGE=$(IMAGE) $(PY) -m pytest -q tests/test_image.py

image-clean:
	IMAGE=$(IMAGE) container/build_image.sh --clean
