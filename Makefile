# Django at Scale: every target installs what it needs into .venv/ first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Loopback by default: gunicorn's sync workers belong behind a buffering proxy (deploy/nginx.conf).
HOST ?= 127.0.0.1
export PORT

.DEFAULT_GOAL := help

.PHONY: help run test serve bench faults lint format clean bench-search bench-admin check-pages screens

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

# Installing is skipped when pyproject.toml has not changed since the last install.
$(BIN)/pip:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"

$(VENV)/.installed-run: pyproject.toml | $(BIN)/pip
	$(BIN)/pip install --quiet --group run
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/pip
	$(BIN)/pip install --quiet --group test
	touch $@ $(VENV)/.installed-run

var:
	mkdir -p var

run: $(VENV)/.installed-run | var ## Install, migrate, seed (when empty) and serve on 127.0.0.1:$PORT
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py load_compilation --if-empty
	@echo
	@echo "  Site:  http://127.0.0.1:$(PORT)/"
	@echo "  Admin: http://127.0.0.1:$(PORT)/admin/  (create an account first:"
	@echo "         $(BIN)/python manage.py createsuperuser)"
	@echo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed-test ## Run the whole test suite (DATABASE_URL picks the database)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The Nu HTML Checker at an exact version, from npm into var/check-pages/ (its install script,
# which would download a Java runtime, is skipped: the system's Java runs it).
VNU_VERSION := 26.9.27
VNU_DIR := var/check-pages
VNU_JAR := $(VNU_DIR)/node_modules/vnu-jar/build/dist/vnu.jar

$(VNU_DIR)/.vnu-$(VNU_VERSION): | var
	mkdir -p $(VNU_DIR)
	npm install --prefix $(VNU_DIR) --no-save --no-audit --no-fund --ignore-scripts vnu-jar@$(VNU_VERSION)
	touch $@

# The reading layout before the readers' work (SCREENS_BEFORE) and now, side by side.
SCREENS_BEFORE ?= 48bc918
SCREENS_TREE ?= /tmp/readers-before
SCREENS_OUT := test-artifacts/readers-screens

screens: $(VENV)/.installed-test ## Screenshots (1280 and 390 px) of home, compilation, a post, search: $SCREENS_BEFORE vs now
	test -d $(SCREENS_TREE) || git worktree add --detach $(SCREENS_TREE) $(SCREENS_BEFORE)
	$(BIN)/python bench/screens.py --tree $(SCREENS_TREE) --out $(SCREENS_OUT)/before
	$(BIN)/python bench/screens.py --tree . --out $(SCREENS_OUT)/after

check-pages: $(VENV)/.installed-test $(VNU_DIR)/.vnu-$(VNU_VERSION) ## vnu and axe-core on every page type of a fresh seeded site; fails on any error
	$(BIN)/python bench/check_pages.py --vnu $(VNU_JAR)
serve: $(VENV)/.installed-run | var ## Production-like: gunicorn and the task worker, production settings, on $HOST:$PORT (127.0.0.1:8000)
	@echo "gunicorn's sync workers must sit behind a buffering proxy (nginx: deploy/nginx.conf, or a"
	@echo "cloud load balancer): one slow client holds a whole worker. make cluster runs that shape."
	DJANGO_SETTINGS_MODULE=site_project.settings.production $(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=site_project.settings.production $(BIN)/python manage.py migrate --noinput -v0
	DJANGO_SETTINGS_MODULE=site_project.settings.production HOST=$(HOST) deploy/serve.sh

# Benchmarks of the served site: need PostgreSQL and Redis on 127.0.0.1 and install wrk.
bench: $(VENV)/.installed-run | var ## Benchmark gunicorn on PostgreSQL (with and without Redis), publishing under load, and through nginx; writes docs/PERFORMANCE.md
	@command -v wrk >/dev/null 2>&1 || (apt-get install -y -qq wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null))
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/publishing.py
	@command -v nginx >/dev/null 2>&1 || (apt-get install -y -qq nginx >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq nginx >/dev/null))
	$(BIN)/python bench/front.py

faults: $(VENV)/.installed-run | var ## Fault drill: 64 connections, PostgreSQL restart, Redis stop (restarts local services)
	@command -v wrk >/dev/null 2>&1 || (apt-get install -y -qq wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null))
	$(BIN)/python bench/faults.py $(BENCH_ARGS)

lint: $(VENV)/.installed-test ## ruff check and format check, Django checks, migrations up to date
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(VENV)/.installed-test ## Format and autofix with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Search benchmark: its own PostgreSQL database, BENCH_DATABASE_URL to change it.
bench-search: $(VENV)/.installed-run ## Search latency at 1k/10k posts on PostgreSQL -> docs/PERFORMANCE.md
	$(BIN)/python bench/search.py

# The compilation editor in headless Chromium: its own SQLite database under var/bench-admin/.
bench-admin: $(VENV)/.installed-test | var ## Compilation editor timings in Chromium at the seed's size, 100, 300 and 1,000 entries -> docs/PERFORMANCE.md
	$(BIN)/python bench/admin.py $(BENCH_ARGS)

clean: ## Remove the virtualenv and local data (var/)
	rm -rf $(VENV) var

# --- Backups and the dependency audit ---
.PHONY: backup restore audit
backup: $(VENV)/.installed-run | var ## Back up the database (DATABASE_URL) to var/backups/ ($BACKUP_DIR)
	$(BIN)/python manage.py backup

restore: $(VENV)/.installed-run ## Restore the newest backup, or BACKUP=file; asks first, saves the current state
	$(BIN)/python manage.py restore $(BACKUP)

audit: $(VENV)/.installed-test ## Check the pinned dependencies for known vulnerabilities (pip-audit)
	$(BIN)/python .ci/audit.py

# --- The reference deployment on one machine ---
.PHONY: cluster cluster-drill cluster-clean
APP_HOSTS ?= 2
export APP_HOSTS
CLUSTER_PORT = $(if $(filter command line environment,$(origin PORT)),$(PORT),8080)
cluster: $(VENV)/.installed-run | var ## nginx on 127.0.0.1:$PORT (8080), $APP_HOSTS gunicorn hosts, PostgreSQL primary + replica, Redis, the task worker
	@command -v nginx >/dev/null 2>&1 || (apt-get install -y -qq nginx >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq nginx >/dev/null))
	PORT=$(CLUSTER_PORT) $(BIN)/python deploy/cluster.py

cluster-drill: $(VENV)/.installed-run ## Slow clients, host loss, replica loss, publish, 1 vs 2 hosts against a running cluster
	@command -v wrk >/dev/null 2>&1 || (apt-get install -y -qq wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null))
	PORT=$(CLUSTER_PORT) $(BIN)/python bench/cluster_drill.py $(BENCH_ARGS)

cluster-clean: ## Remove the cluster's databases and files (var/cluster/)
	rm -rf var/cluster

# --- The container image (podman; no image registry needed) ---
.PHONY: image image-test
image: ## Build localhost/django-at-scale:latest with podman (a base from Debian's packages without a registry)
	deploy/image-build.sh

# image-test validates compose.yaml with podman-compose, which the test group pins.
image-test: $(VENV)/.installed-test ## Run the image against the local PostgreSQL and Redis: migrate, seed, web, worker, compose
	PODMAN_COMPOSE=$(BIN)/podman-compose deploy/image-test.sh
