# csweek: `make run` serves the demo site with a worker and a scheduler; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
N ?= 5000

.PHONY: run test screenshots lint format bench bench-import bench-reminders bench-pages wrk venv install install-dev migrate seed chromium clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

venv install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The embedded default: SQLite, a filesystem Celery broker, email to the console and var/mail/.
run: export DJANGO_DEBUG ?= 1
run: export PORT := $(PORT)
# Links in emails and calendar feeds point at the port actually served, unless SITE_URL says otherwise.
run: export SITE_URL ?= http://localhost:$(PORT)
run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.dev start

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Debian's chromium (apt-get install chromium) to run the browser tests"; exit 1; fi; }

# Tests always use the test settings, whatever the calling shell exports.
test: export DJANGO_SETTINGS_MODULE := csweek.settings_test
test: $(VENV)/.installed-dev chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Every page each role reaches from the menu, at 1280 px and 390 px, as PNGs with a summary of each
# page's width, header height and axe-core result (var/screenshots/report.txt).
screenshots: export DJANGO_SETTINGS_MODULE := csweek.settings_test
screenshots: $(VENV)/.installed-dev chromium
	rm -rf var/screenshots
	CSWEEK_SCREENSHOTS=$(CURDIR)/var/screenshots $(BIN)/python -m pytest tests/e2e/test_design.py -m e2e -q \
	  -k navigation_pages -p no:cacheprovider; status=$$?; cat var/screenshots/report.txt; exit $$status

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(BIN)/lint-imports
	$(BIN)/bandit -q -c pyproject.toml -r . --severity-level medium

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint templates --reformat

bench: bench-import bench-reminders

bench-import: $(VENV)/.installed-dev
	DJANGO_DEBUG=1 $(BIN)/python bench/bench_import.py --rows $(N)

# The outbox through a real worker into an SMTP sink; Redis and PostgreSQL when the environment says so.
WORKERS ?= 1
bench-reminders: $(VENV)/.installed-dev
	DJANGO_DEBUG=1 $(BIN)/python bench/bench_reminders.py --n $(N) --workers $(WORKERS)

wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; \
	  else echo "Install Debian's wrk (apt-get install wrk) to run the page benchmark"; exit 1; fi; }

# Every key page under gunicorn (production settings, PostgreSQL, Redis) as a ratio to a trivial view.
# PAGES=wall,schedule picks pages; SCALE, BENCH_ARGS (e.g. --rounds 3 --duration 10) for the rest.
SCALE ?= 10000
bench-pages: $(VENV)/.installed-dev wrk
	$(BIN)/python bench/bench_pages.py --scale $(SCALE) --pages "$(PAGES)" $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
