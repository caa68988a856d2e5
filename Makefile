# Vocations — developer and operator commands. `make help` lists them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# Development targets opt in to DEBUG; production (serve-prod, worker) never gets it by default.
DEV := DEBUG=1
PYTEST_ARGS ?=
SEED ?= 1
SCALE ?= small

.PHONY: help install demo serve test lint format demo-large prod prod-stop prod-status smoke bench bench-registration bench-all bench-search bench-redirects bench-links bench-pipeline bench-reports bench-finder bench-territories bench-planner check-deploy serve-prod worker clean

help:
	@echo "make demo          install, migrate, load reference + demo data, serve on http://127.0.0.1:8000"
	@echo "make test          install, lint (ruff, import contracts) and run the whole test suite"
	@echo "make demo-large    load the large demo data set (benchmark sizes)"
	@echo "make check-deploy  run Django's deployment checks with production-like settings"
	@echo "make prod          the production stack on this machine (PostgreSQL, Redis, Celery, gunicorn, nginx) with the demo"
	@echo "make prod-stop     stop exactly what make prod started"
	@echo "make smoke         smoke test through make prod's nginx (page, registration, tracked link, check-in)"
	@echo "make bench         one run: starts make prod, public pages, registration, links, dashboard, search vs their references"
	@echo "make bench-registration  the registration rush alone (P2: 2,000 attempts on 200 seats vs a bare POST + INSERT)"
	@echo "make bench-all     the older single benchmarks (trade search, tracked-link redirects vs nginx)"
	@echo "make bench-links   tracked links answered by nginx vs a bare nginx 302, visits all stored"
	@echo "make bench-pipeline 2,000 visits/s for a minute: how far behind the roll-ups are"
	@echo "make bench-reports time the campaign report on the current database (after make demo-large)"
	@echo "make bench-finder  time the event finder, feed and API on the current database (after make demo-large)"
	@echo "make bench-territories  territory view and campaign dashboard vs DuckDB on raw rows (large demo in var/, or BENCH_TERRITORIES_DB=postgres://…)"
	@echo "make bench-planner the next-wave planner's fit and optimize time and memory (demo, then large demo if built)"
	@echo "make format        format the code with ruff"
	@echo "make serve-prod    production: migrate, collectstatic, gunicorn on 127.0.0.1:PORT (8001; set the env first)"
	@echo "make worker        production: Celery worker with beat (visit flush, salts, data purge)"

# The venv is rebuilt only when the lock file changes.
$(BIN)/.installed: requirements.lock
	@test -n "$(PYTHON)" || (echo "Python 3.11 introuvable : installez python3.11." && exit 1)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

install: $(BIN)/.installed

demo: install
	$(DEV) $(MANAGE) migrate --noinput
	$(DEV) $(MANAGE) load_reference_data
	$(DEV) $(MANAGE) demo_data --seed $(SEED) --scale $(SCALE)
	$(DEV) $(MANAGE) runserver 127.0.0.1:8000

serve: install
	$(DEV) $(MANAGE) runserver 127.0.0.1:8000

demo-large: install
	$(DEV) $(MANAGE) migrate --noinput
	$(DEV) $(MANAGE) load_reference_data
	$(DEV) $(MANAGE) demo_data --seed $(SEED) --scale large

# lint-imports checks the layering contracts of pyproject.toml (docs/architecture.md).
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-deploy: install
	DEBUG=0 SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))') \
	  DATABASE_URL=postgres://vocations@localhost/vocations REDIS_URL=redis://localhost:6379/0 \
	  ALLOWED_HOSTS=vocations.example.fr SITE_URL=https://vocations.example.fr \
	  TRUSTED_PROXY_COUNT=1 EMAIL_HOST=$${EMAIL_HOST:-smtp.example.fr} \
	  $(MANAGE) check --deploy --fail-level WARNING

# The production stack on this machine (deploy/local/prod.py, docs/deployment.md): var/prod/.
prod: install
	$(BIN)/python deploy/local/prod.py start

prod-stop:
	$(BIN)/python deploy/local/prod.py stop

prod-status:
	$(BIN)/python deploy/local/prod.py status

smoke: install
	$(BIN)/python deploy/smoke.py

# Benchmarks are not tests: figures go to bench/results/. `make bench` is one harness, one run
# (bench/harness.py: starts make prod, measures, stops it); BENCH_QUICK=1 for a short run.
bench: install
	$(BIN)/python bench/harness.py

# P2 alone (bench/registration.py) in the same harness: starts make prod (or reuses it), measures.
bench-registration: install
	BENCH_ONLY=p2 $(BIN)/python bench/harness.py

bench-all: bench-search bench-redirects

bench-search: install
	rm -f var/bench-search.sqlite3
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench-search.sqlite3 $(DEV) $(BIN)/python bench/search_trades.py

bench-redirects: install
	$(DEV) $(BIN)/python bench/redirects.py

# Throw-away databases: DATABASE_URL=postgres://… for PostgreSQL, else a fresh SQLite file.
bench-links: install
	$(BIN)/python bench/links.py

bench-pipeline: install
	$(BIN)/python bench/pipeline.py

bench-reports: install
	$(DEV) $(BIN)/python bench/reports.py

bench-finder: install
	$(DEV) $(BIN)/python bench/finder.py

# Builds the large demo once into its own SQLite file (10-15 min; each step is skipped when
# already done), then measures (DuckDB, the `bench` extra, is in requirements.lock). On
# PostgreSQL: BENCH_TERRITORIES_DB=postgres://postgres@127.0.0.1:5433/terr_bench (an existing
# database; docs/benchmarks.md).
BENCH_TERRITORIES_DB ?= sqlite:///$(CURDIR)/var/bench-territories.sqlite3
bench-territories: install
	mkdir -p var
	DATABASE_URL=$(BENCH_TERRITORIES_DB) $(DEV) $(MANAGE) migrate --noinput
	DATABASE_URL=$(BENCH_TERRITORIES_DB) $(DEV) $(MANAGE) load_reference_data
	DATABASE_URL=$(BENCH_TERRITORIES_DB) $(DEV) $(MANAGE) demo_data --seed $(SEED) --scale large
	DATABASE_URL=$(BENCH_TERRITORIES_DB) $(DEV) $(BIN)/python bench/territories.py

# The planner on the current database (make demo), then on the large demo of
# bench-territories when it was built; figures beside a plain numpy least-squares reference.
bench-planner: install
	$(DEV) $(BIN)/python bench/planner.py --label demo
	if [ -f var/bench-territories.sqlite3 ]; then \
	  DATABASE_URL=sqlite:///$(CURDIR)/var/bench-territories.sqlite3 $(DEV) $(BIN)/python bench/planner.py --label large; fi

# Production (docs/deployment.md): set DEBUG=0, SECRET_KEY, DATABASE_URL, REDIS_URL, ALLOWED_HOSTS.
# WEB_WORKERS × WEB_THREADS: 2 sync workers by default, the fastest on 2 cores (docs/deployment.md).
PORT ?= 8001
serve-prod: install
	$(MANAGE) check --deploy --fail-level WARNING
	$(MANAGE) migrate --noinput
	$(MANAGE) load_reference_data
	$(MANAGE) collectstatic --noinput
	$(BIN)/gunicorn config.wsgi -c config/gunicorn.conf.py \
	  --workers $${WEB_WORKERS:-2} --threads $${WEB_THREADS:-1} --bind 127.0.0.1:$(PORT)

# The beat's schedule file lives in var/ (ignored by git).
worker: install
	mkdir -p var
	$(BIN)/celery -A config worker --beat --loglevel INFO --schedule var/celerybeat-schedule

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
