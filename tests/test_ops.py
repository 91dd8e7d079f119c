"""Health check."""
from sqlalchemy.exc import OperationalError

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


def test_pages_answer_503_while_the_database_is_unreachable(client, make_user, login, monkeypatch):
    login(make_user())

    def broken(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(db.session, "execute", broken)
    monkeypatch.setattr(db.session, "scalars", broken)
    response = client.get("/progress")
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert "Briefly unavailable" in body and "server closed" not in body
