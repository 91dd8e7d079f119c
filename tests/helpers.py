"""Helpers shared by the whole suite: forms and CSRF tokens, signed-in clients, statement counts, table rows.

Fixtures live in tests/fixtures/ (loaded as plugins by tests/conftest.py); this module holds plain functions
and constants that tests import.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, select

from lms.extensions import db

DATA = Path(__file__).parent / "data"
PASSWORD = "correct horse battery staple"
SQUARE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Square</title>'
              '<rect width="10" height="10" fill="#333"/></svg>')
CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF_INPUT.search(html)
    assert match, "page has no CSRF token"
    return match.group(1) or match.group(2)


def submit(client, page_url: str, action_url: str, data: dict | None = None, **kwargs):
    """GET ``page_url`` (following redirects), then POST ``data`` with its CSRF token to ``action_url``, as a browser
    would."""
    page = client.get(page_url, follow_redirects=True)
    form = {"csrf_token": csrf_token(page.get_data(as_text=True)), **(data or {})}
    return client.post(action_url, data=form, **kwargs)


def sign_in(client, user, password: str = PASSWORD):
    """Sign ``user`` in on ``client`` through the login form; returns the login response (a redirect)."""
    response = submit(client, "/login", "/login", {"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def signed_in_client(app, user, password: str = PASSWORD):
    """A browser of its own (own cookies), signed in as ``user`` through the login form."""
    client = app.test_client()
    sign_in(client, user, password)
    return client


def sign_in_page(page, base_url: str, email: str, password: str = PASSWORD) -> None:
    """Sign in on a Playwright page through the login form, as a person would, with the keyboard."""
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(lambda url: url.startswith(base_url) and "/login" not in url)  # Home, or the dashboard


def sign_out(client) -> None:
    """Sign out whoever is signed in on ``client`` (through the sign-out form every page carries)."""
    assert submit(client, "/", "/logout").status_code == 302  # from Home, or the dashboard a coordinator lands on


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


def table_rows(app) -> dict[str, list[dict]]:
    """Every row of every table, as dicts in primary-key order: compare two of these to see what was written."""
    tables = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = db.session.execute(select(table).order_by(*order)).mappings().all()
            tables[table.name] = [dict(row) for row in rows]
        db.session.remove()
    return tables


def detached(app, model, *where):
    """The one row of ``model`` matching ``where`` (or None), detached from its session, for assertions."""
    with app.app_context():
        found = db.session.scalar(select(model).where(*where))
        if found is not None:
            db.session.expunge(found)
        return found
