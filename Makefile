# Formations CQCTP — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: install run serve test messages lock bench clean

$(INSTALLED): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[test]"
	touch $(INSTALLED)

# axe-core (the accessibility audit of the test suite) from package-lock.json; without npm the
# audit is skipped, with the reason. touch: npm keeps the package's own dates.
AXE := node_modules/axe-core/axe.min.js

$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $(AXE); \
	else echo "npm not found: the axe-core accessibility audit will be skipped"; fi

install: $(INSTALLED) $(AXE) ## virtualenv, pinned dependencies, axe-core, compiled French catalogue
	$(BIN)/python -m cqctp.compile_catalogues

run: install ## migrate, demo content, admin account, server on http://127.0.0.1:8000 (SQLite)
	PUBLIC_BASE_URL=http://$(HOST) $(BIN)/python manage.py migrate --noinput
	PUBLIC_BASE_URL=http://$(HOST) $(BIN)/python manage.py load_demo
	PUBLIC_BASE_URL=http://$(HOST) $(BIN)/python manage.py ensure_admin
	PUBLIC_BASE_URL=http://$(HOST) $(BIN)/python manage.py runserver $(HOST)

# The production settings under gunicorn, as docs/deploy.md runs them, on this machine: SQLite
# (or DATABASE_URL), whitenoise, the file cache, production's headers. Plain HTTP without a proxy,
# so no HTTPS redirect, and secure cookies do not come back: anonymous pages only (sign in with
# `make run`). A fixed key for this machine only; never for a server others reach.
SERVE_ENV := DJANGO_SETTINGS_MODULE=cqctp.settings.production \
	SECRET_KEY=local-serve-only-never-in-production-0123456789abcdefghijklmnop \
	ALLOWED_HOSTS=127.0.0.1,localhost PUBLIC_BASE_URL=https://$(HOST) \
	SECURE_SSL_REDIRECT=false PROXY_COUNT=0 BIND=$(HOST)

serve: install ## production settings under gunicorn on http://127.0.0.1:8000 (anonymous pages)
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) $(BIN)/python manage.py load_demo
	$(SERVE_ENV) $(BIN)/gunicorn -c site/gunicorn.conf.py cqctp.wsgi

test: install ## lint, migrations check, the whole pytest suite
	$(BIN)/ruff check .
	DJANGO_SETTINGS_MODULE=cqctp.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

messages: install ## refresh the French catalogue from the code and templates (needs GNU gettext)
	$(BIN)/python manage.py makemessages -l fr --no-obsolete --ignore=.venv --ignore=staticfiles
	$(BIN)/python -m cqctp.compile_catalogues

lock: ## re-resolve and pin the dependencies
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet -e ".[test]"
	.lockenv/bin/python -m pip freeze --exclude-editable | grep -v '^formations-cqctp' > requirements.lock
	rm -rf .lockenv

bench: install ## HTTP under gunicorn, catalogue at 5,000, enrolment burst (see bench/__main__.py)
	DJANGO_SETTINGS_MODULE=cqctp.settings.bench $(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info node_modules
