# Two commands for a fresh machine: `make run` and `make test` (see README).
# Both install what they need: Python packages into .venv, Debian packages with apt-get.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages: Pango for WeasyPrint's PDFs, chromium for the browser tests.
RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
TEST_DEBS := $(RUN_DEBS) chromium poppler-utils
# The background worker of `make run`: the database queue unless TASKS_BACKEND=rq (then with
# RQ's scheduler, which queues the periodic rounds at their time).
ifeq ($(TASKS_BACKEND),rq)
WORKER := rqworker --with-scheduler --job-class django_tasks_rq.Job default
else
WORKER := db_worker --no-reload --interval 1
endif

.PHONY: run test lint check demo debs-run debs-test clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[test]'
	touch $@

# axe-core, which the browser tests inject into pages to check them against WCAG 2.1 AA.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

debs-run:
	@./scripts/ensure-debs $(RUN_DEBS)

debs-test:
	@./scripts/ensure-debs $(TEST_DEBS)

run: debs-run $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo ""
	@echo "Портал: http://$(HOST):$(PORT)/ — войдите под одним из пользователей выше."
	@# The worker that makes big reports and imports runs beside the server and stops with it.
	@$(PY) manage.py $(WORKER) & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

test: debs-test $(VENV)/.installed node_modules/.installed
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: $(VENV)/.installed
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

demo: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

clean:
	rm -rf $(VENV) staticfiles node_modules
