# Two commands a newcomer needs: `make run` and `make test`. Each sets up what it needs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DJANGO_TEST := DJANGO_SETTINGS_MODULE=review_site.settings.test

# uv installs and locks with this machine's Python only: it never downloads an interpreter of its own.
export UV_PYTHON_DOWNLOADS := never
UV := $(BIN)/uv
# One lock for every platform (Linux servers, developers' Macs), for Python 3.11, each file with its hashes.
LOCK := $(UV) pip compile --quiet --universal --python-version 3.11 --generate-hashes --python $(BIN)/python \
	--custom-compile-command "make lock"
UPGRADE := $(if $(PACKAGES),$(foreach package,$(PACKAGES),--upgrade-package $(package)),--upgrade)

.PHONY: install run test test-suite lint format css bench clean lock upgrade

# The virtualenv is exactly requirements-dev.lock, every file checked against its hash: a changed lock (a security
# release, a new package) re-installs it, and a package dropped from the lock leaves it. uv itself comes first, at
# the lock's version and hashes, through pip. pip is the last thing venv installs: a virtualenv without it is one
# whose making was cut off (Ctrl-C), so it is made again.
$(BIN)/.installed: requirements.lock requirements-dev.lock
	test -x $(BIN)/pip || $(PYTHON) -m venv --clear $(VENV)
	awk '/^uv==/ {p = 1} p {print} p && !/\\$$/ {exit}' requirements-dev.lock > $(VENV)/uv-requirement.txt
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(VENV)/uv-requirement.txt
	$(UV) pip sync --quiet --require-hashes --python $(BIN)/python requirements-dev.lock
	touch $@

# After editing requirements.txt or requirements-dev.txt: pin what they now ask for, moving nothing else.
lock: $(BIN)/.installed
	$(LOCK) requirements.txt -o requirements.lock
	$(LOCK) requirements-dev.txt --constraint requirements.lock -o requirements-dev.lock

# Every package to its newest release within the ranges of requirements*.txt, or only some of them:
# `make upgrade PACKAGES="gunicorn redis"`. Then `make test`, and commit the two lock files.
upgrade: $(BIN)/.installed
	$(LOCK) $(UPGRADE) requirements.txt -o requirements.lock
	$(LOCK) $(UPGRADE) requirements-dev.txt --constraint requirements.lock -o requirements-dev.lock

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
