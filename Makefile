# The two commands: `make run` serves the app with demo content; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
FLASK := $(BIN)/flask --app lms

.PHONY: run test lint install install-test prepare db content demo backup restore bench load chaos cluster-test screenshots clean

# The worker (emails, hourly reminders) runs beside gunicorn and stops when gunicorn stops; SIGINT lets it
# finish the job in hand.
run: install prepare
	$(FLASK) worker & worker=$$!; \
	trap 'kill -INT $$worker 2>/dev/null; wait $$worker' EXIT; \
	PORT=$(PORT) $(BIN)/gunicorn -c deploy/gunicorn.conf.py "lms:create_app()"

# One test worker per core (pytest-xdist); TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= auto

test: install-test
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

# ruff's checks are configured in pyproject.toml (ruff cannot read setup.cfg).
lint: install-test
	$(BIN)/ruff check .

# Reinstall only when the dependencies change.
$(VENV)/.installed: setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Migrations, status-row repair (check-status --repair), content import and demo accounts, under a database
# lock so servers started together take turns; a content problem is reported and the server still starts.
prepare: install
	$(FLASK) prepare

db: install
	$(FLASK) prepare --no-content --no-demo

# import-content and seed-demo take the same lock; import-content exits 1 on a content problem.
content: db
	$(FLASK) import-content

demo: db
	$(FLASK) seed-demo

# One archive of the database, instance/secret_key and instance/config.py (docs/operations.md, "Backup and
# restore"); restore checks the archive and refuses a database that has tables unless FORCE=1.
BACKUP_DIR ?= backups

backup: install
	$(FLASK) backup $(BACKUP_DIR)

restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/lms-backup-....tar.gz [FORCE=1]" >&2; exit 2; }
	$(FLASK) restore "$(FILE)" $(if $(filter 1 yes true,$(FORCE)),--force)

# The dashboard at 10,000 and 100,000 diplomats on SQLite and (when it answers) PostgreSQL, then the pages
# with wrk (Debian's package, installed here when missing) beside a bare Flask app.
bench: install-test
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python -m bench.dashboard --diplomats 10000 100000 --postgres
	$(BIN)/python -m bench.pages

# The README's pictures (docs/screenshots/): a throw-away instance prepared as `make run` prepares one, served by
# gunicorn, photographed by Debian's Chromium through Playwright (the browser tests' set-up).
screenshots: install-test
	$(BIN)/python docs/screenshots.py

# Load and chaos runs (see load/README.md): 150 diplomats against gunicorn, then the database is checked
# (acknowledged writes, and `flask check-status` for the enrolment status rows).
LOAD_SECONDS ?= 60
CHAOS_ARGS ?=

$(VENV)/.installed-load: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[load]'
	touch $@

load: $(VENV)/.installed-load
	$(BIN)/python load/run.py --seconds $(LOAD_SECONDS)

chaos: $(VENV)/.installed-load
	$(BIN)/python load/chaos.py $(CHAOS_ARGS)

# Two `make run` servers started at once on one empty PostgreSQL and Redis, behind Debian's nginx (load/cluster.py).
cluster-test: install
	$(BIN)/python load/cluster.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
