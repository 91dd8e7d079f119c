# The two commands: `make run` serves the app with demo content; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
FLASK := $(BIN)/flask --app lms

.PHONY: run test lint install install-test db content demo bench load chaos clean

# The worker (emails, hourly reminders) runs beside gunicorn and stops when gunicorn stops; SIGINT lets it
# finish the job in hand.
run: install db content demo
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

# An upgraded installation gets its status rows and tallies written (check-status --repair; a no-op when they match).
db: install
	$(FLASK) db upgrade
	$(FLASK) check-status --repair

content: db
	$(FLASK) import-content

demo: db
	$(FLASK) seed-demo

# The dashboard at 10,000 and 100,000 diplomats on SQLite and (when it answers) PostgreSQL, then the pages.
bench: install-test
	$(BIN)/python -m bench.dashboard --diplomats 10000 100000 --postgres
	$(BIN)/python -m bench.pages

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

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
