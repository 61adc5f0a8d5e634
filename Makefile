# Tributary — `make demo` runs the product on a bare machine, `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_ENV := DEBUG=1

.PHONY: demo test install migrate worker beat schema bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required (looked for $(PYTHON))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(DEMO_ENV) $(PY) manage.py migrate --noinput -v0

demo: migrate
	$(DEMO_ENV) $(PY) manage.py seed_demo
	$(DEMO_ENV) $(PY) manage.py recompute_risk
	$(DEMO_ENV) $(PY) manage.py report remediation --org "Northwind Apparel" media/northwind-remediation-report.pdf
	$(DEMO_ENV) $(PY) manage.py report disclosure --framework UK_MSA --org "Northwind Apparel" media/northwind-modern-slavery-statement.pdf
	$(DEMO_ENV) $(PY) manage.py demo_token
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000 --noreload

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

worker: install
	$(PY) -m celery -A backend worker --loglevel=info

beat: install
	$(PY) -m celery -A backend beat --loglevel=info

# Benchmarks print their figures and ratios against their baselines; they need the PostgreSQL of .ci/run.
BENCH_DB ?= postgres://postgres@127.0.0.1:5432
bench: install
	-@createdb -h 127.0.0.1 -U postgres tributary_bench_api 2>/dev/null
	$(DEMO_ENV) DATABASE_URL=$(BENCH_DB)/tributary_bench_api $(PY) bench/api.py
	$(PY) bench/propagation.py
	DATABASE_URL=$(BENCH_DB)/tributary_bench $(PY) bench/imports.py

schema: install
	$(DEMO_ENV) $(PY) manage.py graphql_schema --schema backend.schema.schema --out schema.graphql

clean:
	rm -rf $(VENV) db.sqlite3
