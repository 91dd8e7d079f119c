"""Shared fixtures: an app with a fresh database per test, clients, users and content."""
from __future__ import annotations

import os
import re
import shutil
import threading
from contextlib import contextmanager
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from lms import create_app
from lms.accounts import create_user
from lms.content.importer import import_content
from lms.extensions import db

DATA = Path(__file__).parent / "data"
PASSWORD = "correct horse battery staple"
CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
_emails = count(1)


@pytest.fixture(scope="session")
def postgres_url():
    """With TEST_DATABASE_URL set: a database of this run's own on that server, dropped at the end.

    Each run gets its own, so two runs against the same server (two terminals, a helper, CI) never
    trip over each other's tables.
    """
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield None
        return
    name = f"lms_test_{os.getpid()}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(base).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def app(tmp_path, postgres_url):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": postgres_url or f"sqlite:///{tmp_path / 'test.sqlite3'}",
        # Cheap hashing keeps the suite fast; production strength is tested in test_models.
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        "COURSES_DIR": str(DATA / "courses"),
        "REPORT_CACHE_SECONDS": 0,  # reports see every change at once; the cache has its own test
    })
    # No app context stays pushed during the test: each request must get its own, as in production
    # (a shared one would share flask.g, and with it cached CSRF tokens and the signed-in user).
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()  # close pooled connections now, not at garbage collection


@pytest.fixture
def live_server(app):
    """The test app served over HTTP on a free local port (threaded), for browsers and real-server tests."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Create a committed user with the given roles; password is PASSWORD."""
    def make(*roles: str, email: str | None = None, name: str = "Test User", mission: str | None = None):
        with app.app_context():
            user = create_user(email or f"user{next(_emails)}@example.org", name, PASSWORD,
                               list(roles or ["diplomat"]), mission)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)  # usable after the context closes, detached from any session
        return user
    return make


@pytest.fixture
def courses_dir(tmp_path) -> Path:
    """A private copy of the test course tree, safe to edit."""
    target = tmp_path / "courses"
    shutil.copytree(DATA / "courses", target)
    return target


@pytest.fixture
def content(app, courses_dir):
    """The test course imported into the database (no quizzes)."""
    with app.app_context():
        import_content(courses_dir)
        db.session.commit()
    return courses_dir


@pytest.fixture
def quizzes_dir(tmp_path) -> Path:
    """A private copy of the test quizzes, beside the courses copy, safe to edit."""
    target = tmp_path / "quizzes"
    shutil.copytree(DATA / "quizzes", target)
    return target


@pytest.fixture
def quiz_content(app, courses_dir, quizzes_dir):
    """The test course and its quiz imported into the database."""
    with app.app_context():
        import_content(courses_dir, quizzes_dir)
        db.session.commit()
    return quizzes_dir


@contextmanager
def count_statements(app):
    """Collect the SQL statements the app runs inside the block."""
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(_conn, _cursor, statement, *_args):
        if not statement.startswith("BEGIN"):  # transaction control on SQLite, not a query
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF_INPUT.search(html)
    assert match, "page has no CSRF token"
    return match.group(1) or match.group(2)


def submit(client, page_url: str, action_url: str, data: dict | None = None, **kwargs):
    """GET ``page_url``, then POST ``data`` with its CSRF token to ``action_url``, as a browser would."""
    page = client.get(page_url)
    form = {"csrf_token": csrf_token(page.get_data(as_text=True)), **(data or {})}
    return client.post(action_url, data=form, **kwargs)


def signed_in_client(app, user, password: str = PASSWORD):
    """A browser of its own (own cookies), signed in as ``user`` through the login form."""
    client = app.test_client()
    response = submit(client, "/login", "/login", {"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def login(client):
    """Sign ``user`` in through the login form."""
    def sign_in(user, password: str = PASSWORD):
        response = submit(client, "/login", "/login", {"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response
    return sign_in
