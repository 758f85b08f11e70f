# Two entry points, both from a fresh clone with only Python 3 and make:
#   make demo   - install, start the IPS simulator, run a job against it, show what happened
#   make test   - install, then lint (ruff), type-check (mypy), run the test suite, and run
#                 tests/integration on every supported Airflow release (make test-matrix)
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

.PHONY: demo test lint install wsdl docs operators clean chaos bench test-matrix matrix-envs

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
	@$(MAKE) --no-print-directory test-matrix

chaos: install
	$(UV) run --frozen --no-sync python -m chaos $(CHAOS_ARGS)

bench: install
	$(UV) run --frozen --no-sync python -m benchmarks $(BENCH_ARGS)

wsdl: install
	$(UV) run --frozen --no-sync python -m airflow_provider_ips.wsdl.generate

# Every Airflow release the provider supports (newest patch of each minor), each in its own
# environment under .matrix/<release>/. Each resolves as PyPI stood the day after the release
# (what its constraints pinned; newer libraries break older releases), the Airflow providers
# this package needs and the test tools as on MATRIX_DATE: reproducible, and reused once built.
AIRFLOW_RELEASES := 3.0.6 3.1.8 3.2.2 3.3.2
RELEASED_3.0.6 := 2025-08-30
RELEASED_3.1.8 := 2026-03-12
RELEASED_3.2.2 := 2026-05-30
RELEASED_3.3.2 := 2026-09-18
MATRIX_DATE := 2026-11-29
MATRIX_LATEST := apache-airflow-providers-common-compat pytest pytest-timeout
# Before 3.2 a connection form's extra fields are form widgets, which need the FAB provider
MATRIX_EXTRA_3.0.6 := apache-airflow-providers-fab
MATRIX_EXTRA_3.1.8 := apache-airflow-providers-fab
MATRIX := .matrix

$(MATRIX)/%/.built: $(UV) pyproject.toml Makefile
	rm -rf $(MATRIX)/$*
	$(UV) venv --quiet $(MATRIX)/$*
	VIRTUAL_ENV=$(MATRIX)/$* $(UV) pip install --quiet --compile-bytecode --exclude-newer $(RELEASED_$*) \
		$(MATRIX_LATEST:%=--exclude-newer-package %=$(MATRIX_DATE)) \
		"apache-airflow==$*" $(MATRIX_EXTRA_$*) -e . pytest pytest-timeout
	touch $@

matrix-envs: $(AIRFLOW_RELEASES:%=$(MATRIX)/%/.built)

# tests/integration and the IPS jobs page's access tests (marked integration) in each
# release's environment; every release runs
test-matrix: matrix-envs
	@failed=""; for release in $(AIRFLOW_RELEASES); do \
		echo "== Airflow $$release"; \
		IPS_MATRIX_AIRFLOW=$$release $(MATRIX)/$$release/bin/python -m pytest -q \
			-p no:cacheprovider -m integration tests/integration tests/ui/test_ui_access.py \
			|| failed="$$failed $$release"; \
	done; \
	if [ -n "$$failed" ]; then echo "test-matrix: failed on Airflow$$failed"; exit 1; fi

clean:
	rm -rf $(TOOLS) .venv .pytest_cache .mypy_cache .ruff_cache $(MATRIX)

docs: install
	$(UV) run --frozen --no-sync python -m airflow_provider_ips.docgen

operators: install
	$(UV) run --frozen --no-sync python -m airflow_provider_ips.operators.generate
