"""Log lines are JSON objects carrying the request's id; the id honours a sane X-Request-ID and is echoed."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.fixtures.app import dispose, make_test_app
from tests.helpers import PASSWORD, submit

GENERATED_ID = re.compile(r"[0-9a-f]{16}")


def json_lines(captured: str) -> list[dict]:
    """Every line the app wrote, parsed: a line that is not a JSON object fails the test."""
    return [json.loads(line) for line in captured.splitlines() if line.strip()]


def access_lines(captured: str) -> list[dict]:
    return [line for line in json_lines(captured) if line["logger"] == "lms.access"]


def test_each_request_writes_one_json_access_line_with_the_incoming_request_id(client, capsys):
    capsys.readouterr()
    response = client.get("/healthz", headers={"X-Request-ID": "proxy-7f3a.01_b"})
    assert response.headers["X-Request-ID"] == "proxy-7f3a.01_b"
    (line,) = access_lines(capsys.readouterr().err)
    assert line["request_id"] == "proxy-7f3a.01_b" and line["level"] == "INFO"
    assert {k: line[k] for k in ("method", "path", "status", "remote_addr", "user_id")} == {
        "method": "GET", "path": "/healthz", "status": 200, "remote_addr": "127.0.0.1", "user_id": None}
    assert line["duration_ms"] >= 0 and line["time"].endswith("+00:00") and line["message"] == "GET /healthz 200"


@pytest.mark.parametrize("given", ["x" * 65, "two words", "tab\tid", "<script>", "a;b=c", "../../etc", ""])
def test_an_insane_incoming_request_id_is_replaced_by_a_new_one(client, capsys, given):
    capsys.readouterr()
    response = client.get("/healthz", headers={"X-Request-ID": given})
    request_id = response.headers["X-Request-ID"]
    assert GENERATED_ID.fullmatch(request_id), request_id
    assert [line["request_id"] for line in access_lines(capsys.readouterr().err)] == [request_id]


def test_requests_without_an_id_get_different_ones(client):
    ids = {client.get("/healthz").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3 and all(GENERATED_ID.fullmatch(request_id) for request_id in ids)


def test_a_security_event_is_a_json_line_with_the_requests_id(client, make_user, capsys):
    user = make_user(email="someone@example.org")
    capsys.readouterr()
    response = submit(client, "/login", "/login", {"email": user.email, "password": "wrong\nforged line"},
                      headers={"X-Request-ID": "login-try-1"})
    lines = json_lines(capsys.readouterr().err)
    (event,) = [line for line in lines if line["message"].startswith("login failed")]
    assert event["level"] == "WARNING" and event["request_id"] == "login-try-1" and event["event"] == "login failed"
    assert "forged line" not in event["message"]  # log_event never repeats a password
    assert response.headers["X-Request-ID"] == "login-try-1"
    assert [line["status"] for line in lines if line["logger"] == "lms.access"][-1] == 422


def test_the_access_line_names_the_signed_in_user(client, make_user, login, capsys):
    user = make_user()
    login(user, PASSWORD)
    capsys.readouterr()
    client.get("/progress")
    (line,) = access_lines(capsys.readouterr().err)
    assert line["user_id"] == user.id and line["path"] == "/progress"


def test_log_format_text_writes_readable_lines_with_the_request_id(database_url, capsys):
    app = make_test_app(database_url, LOG_FORMAT="text")
    try:
        capsys.readouterr()
        app.test_client().get("/healthz", headers={"X-Request-ID": "dev-1"})
        (line,) = capsys.readouterr().err.splitlines()
    finally:
        dispose(app)
    assert line.endswith("INFO [dev-1] lms.access: GET /healthz 200") and not line.startswith("{")


def test_an_error_is_a_json_line_with_its_traceback_and_the_requests_id(app, capsys):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production, where TESTING is off

    def broken():
        raise RuntimeError("a bug")

    app.add_url_rule("/broken", "broken", broken)
    capsys.readouterr()
    response = app.test_client().get("/broken", headers={"X-Request-ID": "bug-report-1"})
    assert response.status_code == 500
    lines = json_lines(capsys.readouterr().err)
    (error,) = [line for line in lines if line["level"] == "ERROR"]
    assert error["request_id"] == "bug-report-1" and "RuntimeError: a bug" in error["exc_info"]
    assert [(line["status"], line["request_id"]) for line in lines if line["logger"] == "lms.access"] == [
        (500, "bug-report-1")]


def test_the_workers_own_lines_are_json_too(tmp_path):
    """`flask worker`: the queue consumer's lines (Huey's logger) come out as JSON objects like the app's."""
    env = {**os.environ, "LMS_INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'lms.sqlite3'}",
           "SECRET_KEY": "worker-log-test", "LOG_FORMAT": "json"}
    for name in ("REDIS_URL", "LMS_ENV"):
        env.pop(name, None)
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "lms", "worker", "--no-periodic"], env=env,
                              cwd=Path(__file__).resolve().parents[2], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    stop = threading.Timer(30, worker.send_signal, (signal.SIGINT,))  # never waits forever for the line
    stop.start()
    try:
        started = next(line for line in worker.stderr if "consumer started" in line.lower())
    finally:
        stop.cancel()
        worker.send_signal(signal.SIGINT)
        worker.communicate(timeout=30)
    line = json.loads(started)
    assert line["logger"].startswith("huey") and line["level"] == "INFO" and "time" in line
