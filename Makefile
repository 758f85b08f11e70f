# Two entry points, both from a fresh clone with only Python 3 and make:
#   make demo   - install, start the IPS simulator, run a job against it, show what happened
#   make test   - install, then lint (ruff), type-check (mypy) and run the test suite
# For development: make chaos (the fault campaign, docs/reliability.md;
# CHAOS_ARGS="--cycles 60 --seed 7"), make bench (docs/performance.md), make wsdl, make docs,
# make operators (the typed per-job-type operators, docs/operators.md).
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)
# Byte-code is compiled at install (--compile-bytecode) and cached for our own modules:
# without it every Python process (tests start many) compiles Airflow from source again.
export PYTHONDONTWRITEBYTECODE :=

.PHONY: demo test lint install wsdl docs operators clean chaos bench

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet --compile-bytecode
	touch $@

install: .venv/.synced

demo: install
	$(UV) run --frozen --no-sync python -m airflow_provider_ips.demo

lint: install
	$(UV) run --frozen --no-sync ruff check .
	$(UV) run --frozen --no-sync ruff format --check .
	$(UV) run --frozen --no-sync mypy

test: lint
	$(UV) run --frozen --no-sync pytest

chaos: install
	$(UV) run --frozen --no-sync python -m chaos $(CHAOS_ARGS)

bench: install
	$(UV) run --frozen --no-sync python -m benchmarks $(BENCH_ARGS)

wsdl: install
	$(UV) run --frozen --no-sync python -m airflow_provider_ips.wsdl.generate

clean:
	rm -rf $(TOOLS) .venv .pytest_cache .mypy_cache .ruff_cache

docs: install
	$(UV) run --frozen --no-sync python -m airflow_provider_ips.docgen

operators: install
	$(UV) run --frozen --no-sync python -m airflow_provider_ips.operators.generate
