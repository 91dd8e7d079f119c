"""Liveness (/healthz) and readiness (/readyz), and the pages while the database is unreachable."""
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError

from lms.database.schema import MIGRATIONS, migrations_head
from lms.extensions import db
from tests.fixtures.app import dispose, make_test_app
from tests.fixtures.databases import stamp_head
from tests.helpers import count_statements


@pytest.fixture
def app_with(database_url):
    """``app_with(**config)``: the test app on the test's database with more settings (Redis, another database)."""
    built = []

    def build(**config):
        built.append(make_test_app(database_url, **config))
        return built[-1]

    yield build
    for app in built:
        dispose(app)


def test_healthz_is_liveness_only_and_asks_the_database_nothing(app, client):
    with count_statements(app) as statements:
        response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert statements == []


def test_healthz_answers_while_the_database_does_not(app_with, closed_port):
    app = app_with(SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://postgres@127.0.0.1:{closed_port}/lms")
    assert app.test_client().get("/healthz").status_code == 200


def test_readyz_on_the_embedded_default_is_ready(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "database": "ok", "schema": "ok", "redis": "not configured"}


def test_readyz_503_when_the_database_is_unreachable(app_with, closed_port):
    app = app_with(SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://postgres@127.0.0.1:{closed_port}/lms")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unreachable", "schema": "unknown",
                                   "redis": "not configured"}


@pytest.fixture
def record_revision(app):
    """``record_revision(revision)`` writes it into alembic_version (None: the table is gone, as if migrations never
    ran); the head is stamped back afterwards, since a PostgreSQL copy keeps alembic_version from test to test."""
    def record(revision: str | None) -> None:
        with app.app_context():
            db.session.execute(text("DELETE FROM alembic_version") if revision else text("DROP TABLE alembic_version"))
            if revision:
                db.session.execute(text("INSERT INTO alembic_version VALUES (:revision)"), {"revision": revision})
            db.session.commit()

    yield record
    with app.app_context():
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        stamp_head(db.engine)


def test_readyz_503_until_the_schema_is_at_the_migrations_head(client, record_revision):
    head = migrations_head()
    previous = ScriptDirectory(str(MIGRATIONS)).get_revision(head).down_revision
    record_revision(previous)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.get_json()["schema"] == f"at {previous}, needs {head}"
    record_revision(None)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.get_json()["schema"] == f"at no version, needs {head}"


def test_readyz_checks_redis_when_it_is_set(app_with, redis_keys, closed_port):
    url, _prefix = redis_keys
    assert app_with(REDIS_URL=url).test_client().get("/readyz").get_json()["redis"] == "ok"
    response = app_with(REDIS_URL=f"redis://127.0.0.1:{closed_port}/0").test_client().get("/readyz")
    assert response.status_code == 503 and response.get_json()["redis"] == "unreachable"


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_pages_answer_503_while_the_database_is_unreachable(client, make_user, login, monkeypatch, error):
    login(make_user())

    def broken(*_args, **_kwargs):
        raise error("SELECT 1", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(db.session, "execute", broken)
    monkeypatch.setattr(db.session, "scalars", broken)
    response = client.get("/progress")
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert "Briefly unavailable" in body and "server closed" not in body


def test_other_database_errors_are_500s_not_503s(app, client, make_user, login, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production, where TESTING is off
    login(make_user())
    execute, calls = db.session.execute, []

    def fails_once(*args, **kwargs):  # the first statement hits a bug; the error page may then query
        calls.append(args)
        if len(calls) == 1:
            raise IntegrityError("INSERT", {}, Exception("duplicate key"))
        return execute(*args, **kwargs)

    monkeypatch.setattr(db.session, "execute", fails_once)
    response = client.get("/progress")
    assert response.status_code == 500 and "duplicate key" not in response.get_data(as_text=True)


def test_the_503_page_survives_a_rollback_on_a_cut_connection(app, client, make_user, login, monkeypatch):
    """PostgreSQL stopping cuts connections mid-request; then ROLLBACK fails as well as the query."""
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production, where TESTING is off
    login(make_user())

    def cut(*_args, **_kwargs):
        raise OperationalError("ROLLBACK", {}, Exception("terminating connection due to administrator command"))

    monkeypatch.setattr(db.session, "execute", cut)
    monkeypatch.setattr(db.session, "scalars", cut)
    monkeypatch.setattr(db.session, "rollback", cut)
    response = client.get("/progress")
    assert response.status_code == 503 and "Briefly unavailable" in response.get_data(as_text=True)
