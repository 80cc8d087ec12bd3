# Two commands a newcomer needs: `make run` and `make test`. Each sets up what it needs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DJANGO_TEST := DJANGO_SETTINGS_MODULE=review_site.settings.test

.PHONY: install run test test-suite lint format css bench clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/.built: node_modules/.installed $(wildcard static/scss/*.scss) $(wildcard static/js/*.js) static/scripts/copy-vendor.mjs
	npm run --silent build
	touch $@

install: $(BIN)/.installed static/build/.built

css: static/build/.built

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py load_demo_content
	@echo "Serving http://127.0.0.1:$(PORT) with the email worker and the scheduler beside it (Procfile.dev; receipts print here)"
	@# SITE_URL here, not in Procfile.dev: honcho gives each process its own PORT (the worker, which sends the emails, gets PORT+100).
	SITE_URL=http://127.0.0.1:$(PORT) PATH="$(CURDIR)/$(BIN):$$PATH" PYTHONUNBUFFERED=1 $(BIN)/honcho start -f Procfile.dev -p $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DJANGO_TEST) $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The whole suite, browser tests included. DATABASE_URL picks the database (SQLite when unset).
test-suite: install
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint test-suite

# Load, faults and page weight against gunicorn and PostgreSQL on 127.0.0.1 (about ten minutes; bench/run.py).
bench: install
	$(BIN)/pip install --quiet -r bench/requirements.txt
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) node_modules static/build staticfiles
