# KeyStory — one obvious command for each thing. `make help` lists them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails point at the address being served (`make run PORT=8080` mails :8080 links), unless
# SITE_URL is set, as it must be behind a proxy: SITE_URL=https://keystory.example.org make run.
# An IPv6 address is written in brackets in a URL and in host:port (HOST=::1 serves http://[::1]:8000).
bracketed = $(if $(findstring :,$(1)),[$(1)],$(1))
BARE_HOST = $(patsubst [%],%,$(HOST))
ADDRESS = $(call bracketed,$(BARE_HOST)):$(PORT)
# Listening on every address: links use this machine's loopback address of the same family.
SITE_HOST = $(call bracketed,$(if $(filter 0.0.0.0,$(BARE_HOST)),127.0.0.1,$(if $(filter ::,$(BARE_HOST)),::1,$(BARE_HOST))))

# The embedded default: SQLite, tasks in-process, e-mail to the console, demo accounts shown.
DEMO_ENV := DEMO_MODE=1

# The Nu HTML Checker for tests/test_html_valid.py: vnu.jar from the pinned `vnu-jar` npm package (needs Java 11+).
VNU_VERSION := 26.9.27
TOOLS := .tools
VNU_PACKAGE := $(TOOLS)/node_modules/vnu-jar/package.json

.PHONY: help run dev serve install test test-fast lint format worker beat demo migrate clean vnu backup bench messages

help:  ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)  ## Create the virtual environment and install the pinned packages

migrate: $(STAMP)  ## Apply database migrations
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput

demo: migrate  ## Load (or refresh) the demo nursery and print its accounts
	$(DEMO_ENV) $(BIN)/python manage.py load_demo

run dev: export SITE_URL ?= http://$(SITE_HOST):$(PORT)

run: demo  ## Install, migrate, load the demo nursery and serve http://127.0.0.1:8000
	$(DEMO_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "KeyStory is starting on http://$(ADDRESS)/  (Ctrl+C to stop; e-mail links use $(SITE_URL))"
	$(DEMO_ENV) $(BIN)/gunicorn config.wsgi --bind $(ADDRESS) --workers 2 --threads 4 --access-logfile -

serve: $(STAMP)  ## Run for real, without the demo: migrate, collect static files, serve (needs SECRET_KEY)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "KeyStory is starting on http://$(ADDRESS)/  (Ctrl+C to stop; e-mail links use SITE_URL from the environment or .env)"
	$(BIN)/gunicorn config.wsgi --bind $(ADDRESS) --workers 2 --threads 4 --access-logfile -

messages: $(STAMP)  ## Find new words to translate (needs GNU gettext) and compile locale/*/django.po
	$(DEMO_ENV) $(BIN)/python manage.py messages $(if $(COMPILE_ONLY),--compile-only)

dev: demo  ## Like run, with DEBUG and auto-reload for development
	@echo "E-mail links use $(SITE_URL)"
	$(DEMO_ENV) DEBUG=1 $(BIN)/python manage.py runserver $(ADDRESS)

test: $(STAMP)  ## Run the whole test suite (SQLite by default; DATABASE_URL/REDIS_URL for Postgres/Redis)
	@if command -v java >/dev/null && command -v npm >/dev/null; then $(MAKE) --no-print-directory vnu \
	  || echo "Could not install the Nu HTML Checker: the HTML validity test will skip."; fi
	$(BIN)/python -m pytest

vnu:  ## Install the Nu HTML Checker (vnu.jar, from npm) into .tools/ for the HTML validity test
	@if [ "$$(node -p "require('./$(VNU_PACKAGE)').version" 2>/dev/null)" != "$(VNU_VERSION)" ]; then \
	  npm install --prefix $(TOOLS) --no-save --ignore-scripts --no-audit --no-fund --loglevel=error vnu-jar@$(VNU_VERSION); \
	fi
	@test -s $(TOOLS)/node_modules/vnu-jar/build/dist/vnu.jar

lint: $(STAMP)  ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)  ## Apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Backups hold children's records and photos: keep BACKUP_DIR encrypted, and a copy off this machine.
# BACKUP_DIR may be a bucket, s3://bucket/prefix (credentials: BACKUP_S3_* or AWS_*, see the README).
BACKUP_DIR ?= var/backups

backup: $(STAMP)  ## Back up the database and media files into a new folder in BACKUP_DIR (var/backups or s3://…)
	$(BIN)/python manage.py backup --output "$(BACKUP_DIR)"

worker: $(STAMP)  ## Run a Celery worker with beat (needs REDIS_URL)
	@test -n "$$REDIS_URL" || (echo "Set REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0"; exit 1)
	$(BIN)/celery -A config worker --beat --loglevel=info

# PostgreSQL and Redis must be running; BENCH_DATABASE_URL, BENCH_REDIS_URL, BENCH_TIME, BENCH_USERS: see benchmarks/bench.py.
bench: $(STAMP)  ## Load test on PostgreSQL: gunicorn, Celery, 50 locust users; prints p50/p95/p99 per page
	$(BIN)/python benchmarks/bench.py

clean:  ## Remove the virtual environment, local database, media and collected assets
	rm -rf $(VENV) var staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm
