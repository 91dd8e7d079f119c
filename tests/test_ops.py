"""Health check."""
import pytest
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError

from lms.extensions import db


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_healthz_503_when_database_does_not_answer(client, monkeypatch):
    def broken(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["status"] != "ok"


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
