"""Configuration: every setting in the table is read from the environment, typed, checked, and takes effect."""
from __future__ import annotations

import logging
import runpy
import secrets
import smtplib
import socket
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner
from flask.cli import cli as flask_cli
from pythonjsonlogger.core import BaseJsonFormatter
from sqlalchemy import select

from lms import clock, config, create_app, outbox
from lms.config import APP_SETTINGS, SETTINGS, ConfigError
from lms.content.render import CONVERTER
from lms.extensions import db, limiter, report_cache
from lms.jobs import jobs
from lms.jobs.delivery import deliver
from lms.models import OutboxMessage, PasswordToken, User
from lms.models.base import utcnow
from lms.observe.logs import shared_handler
from lms.outbox import smtp
from lms.people import mail
from lms.people.tokens import issue_link, link_url
from lms.reminders import Series
from lms.reports.cache import cached
from tests.helpers import DATA, csrf_token

CHEAP_HASH = "scrypt:1024:8:1"  # sign-in attempts hash even unknown emails; keep them fast
README = config.REPO_ROOT / "README.md"


@pytest.fixture
def start(tmp_path, monkeypatch, database_url):
    """``start(NAME="value", ...)``: ``create_app()`` as production calls it, settings from the environment only.

    The instance folder is a temporary one and DATABASE_URL the test's fresh database, so nothing touches
    instance/; ``schema=True`` also creates the tables (the copy already has them: create_all leaves them).
    """
    for setting in SETTINGS:
        monkeypatch.delenv(setting.name, raising=False)
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("DATABASE_URL", database_url)
    started = []

    def start_app(schema: bool = False, **environment: str):
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        app = create_app()
        started.append(app)
        if schema:
            with app.app_context():
                db.create_all()
        return app

    yield start_app
    for app in started:  # close pooled connections now, not at garbage collection
        with app.app_context():
            db.engine.dispose()


# One check per setting that it takes effect; the parametrised test below fails for a setting without one.
EFFECTS: dict[str, Callable] = {}


def effect(name: str):
    """Register the check that setting ``name``, given in the environment, takes effect."""
    def register(check):
        EFFECTS[name] = check
        return check
    return register


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda setting: setting.name)
def test_each_setting_takes_effect_from_the_environment(setting, start, tmp_path, monkeypatch):
    check = EFFECTS.get(setting.name)
    assert check, f"{setting.name} is in the settings table but no test shows that it takes effect"
    check(start, tmp_path, monkeypatch)


def test_every_effect_check_is_for_a_setting_in_the_table():
    assert set(EFFECTS) == {setting.name for setting in SETTINGS}


@effect("LMS_ENV")
def _lms_env(start, _tmp_path, monkeypatch):
    """Production refuses to start with what each server would make up on its own, naming each missing setting."""
    with pytest.raises(ConfigError) as caught:
        start(LMS_ENV="production")  # the test's DATABASE_URL is given: SQLite, or PostgreSQL under TEST_DATABASE_URL
    lines = caught.value.message.splitlines()
    assert lines[:2] == ["LMS_ENV=production needs SECRET_KEY", "LMS_ENV=production needs REDIS_URL"]
    with pytest.raises(ConfigError, match="DATABASE_URL to be PostgreSQL"):
        start(LMS_ENV="production", SECRET_KEY="shared", REDIS_URL="redis://127.0.0.1:6379/7",
              DATABASE_URL="sqlite:///one-machine.sqlite3")
    app = start(LMS_ENV="production", SECRET_KEY="shared", REDIS_URL="redis://127.0.0.1:6379/7",
                DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:5432/unused")  # no connection at start
    assert app.config["LMS_ENV"] == "production" and not (Path(app.instance_path) / "secret_key").exists()
    monkeypatch.delenv("DATABASE_URL")
    with pytest.raises(ConfigError, match="LMS_ENV=production needs DATABASE_URL"):
        start(LMS_ENV="production")


@effect("DATABASE_URL")
def _database_url(start, tmp_path, _monkeypatch):
    url = f"sqlite:///{tmp_path / 'chosen.sqlite3'}"
    app = start(DATABASE_URL=url, schema=True)
    assert app.config["DATABASE_URL"] == url
    with app.app_context():
        assert db.engine.url.render_as_string() == url
    assert (tmp_path / "chosen.sqlite3").exists()


@effect("SECRET_KEY")
def _secret_key(start, _tmp_path, _monkeypatch):
    app = start(SECRET_KEY="from-the-environment")
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.session_interface.get_signing_serializer(app).secret_keys == [b"from-the-environment"]
    assert not (Path(app.instance_path) / "secret_key").exists()


@effect("REDIS_URL")
def _redis_url(start, _tmp_path, _monkeypatch):
    app = start(REDIS_URL="redis://127.0.0.1:6379/7")
    assert app.config["REDIS_URL"] == "redis://127.0.0.1:6379/7"
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/7"
    assert type(limiter.storage).__name__ == "RedisStorage"  # no Redis server needed: it connects on first use
    assert limiter.storage.storage.connection_pool.connection_kwargs["db"] == 7


@effect("TRUSTED_PROXIES")
def _trusted_proxies(start, _tmp_path, _monkeypatch):
    proxied = start(TRUSTED_PROXIES="2").wsgi_app
    assert (type(proxied).__name__, proxied.x_for, proxied.x_proto, proxied.x_host) == ("ProxyFix", 2, 2, 2)
    assert type(start(TRUSTED_PROXIES="0").wsgi_app).__name__ != "ProxyFix"


@effect("SESSION_COOKIE_SECURE")
def _session_cookie_secure(start, _tmp_path, _monkeypatch):
    app = start(SESSION_COOKIE_SECURE="yes", schema=True)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    cookie = app.test_client().get("/login").headers["Set-Cookie"]  # the CSRF token opens a session
    assert "; Secure" in cookie


@effect("PORT")
def _port(start, tmp_path, monkeypatch):
    makefile = (config.REPO_ROOT / "Makefile").read_text()
    port = next(setting for setting in SETTINGS if setting.name == "PORT")
    assert f"\nPORT ?= {port.default}\n" in makefile and f"PORT=$(PORT) {GUNICORN_RUN}" in makefile
    assert "PORT" not in start(PORT="9000").config  # make run reads it; the app does not
    assert gunicorn_settings(monkeypatch, tmp_path)["bind"] == f"127.0.0.1:{port.default}"
    assert gunicorn_settings(monkeypatch, tmp_path, PORT="9000")["bind"] == "127.0.0.1:9000"


GUNICORN_RUN = '$(BIN)/gunicorn -c deploy/gunicorn.conf.py "lms:create_app()"'


def gunicorn_settings(monkeypatch, tmp_path, **environment: str) -> dict:
    """deploy/gunicorn.conf.py's settings as gunicorn reads them, under ``environment``."""
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "metrics"))  # the file sets it if unset
    for name in ("PORT", "WEB_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(config.REPO_ROOT / "deploy" / "gunicorn.conf.py"))


@effect("WEB_CONCURRENCY")
def _web_concurrency(start, tmp_path, monkeypatch):
    workers = next(setting for setting in SETTINGS if setting.name == "WEB_CONCURRENCY")
    assert GUNICORN_RUN in (config.REPO_ROOT / "Makefile").read_text()
    assert gunicorn_settings(monkeypatch, tmp_path)["workers"] == workers.default
    assert gunicorn_settings(monkeypatch, tmp_path, WEB_CONCURRENCY="5")["workers"] == 5
    with pytest.raises(SystemExit, match="WEB_CONCURRENCY = 'many' in the environment: expected a whole number"):
        gunicorn_settings(monkeypatch, tmp_path, WEB_CONCURRENCY="many")
    assert "WEB_CONCURRENCY" not in start(WEB_CONCURRENCY="5").config  # gunicorn reads it; the app does not


@effect("LOG_FORMAT")
def _log_format(start, _tmp_path, _monkeypatch):
    start(LOG_FORMAT="text")
    assert type(shared_handler().formatter) is logging.Formatter
    start(LOG_FORMAT="json")
    assert isinstance(shared_handler().formatter, BaseJsonFormatter)


@effect("METRICS_ALLOW")
def _metrics_allow(start, _tmp_path, _monkeypatch):
    client = start(METRICS_ALLOW="10.0.0.0/8, 192.0.2.7").test_client()
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.9.8.7"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 200
    assert client.get("/metrics").status_code == 404  # 127.0.0.1 is no longer in the list


@effect("METRICS_TOKEN")
def _metrics_token(start, _tmp_path, _monkeypatch):
    client = start(METRICS_TOKEN="scrape-secret").test_client()
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", environ_base=outside,
                      headers={"Authorization": "Bearer scrape-secret"}).status_code == 200
    assert client.get("/metrics", environ_base=outside).status_code == 404


@effect("PUBLIC_URL")
def _public_url(start, _tmp_path, _monkeypatch):
    app = start(PUBLIC_URL="https://academy.example.gov/lms")
    assert app.config["PUBLIC_URL"] == "https://academy.example.gov/lms"
    with app.app_context():
        assert link_url("abc") == "https://academy.example.gov/lms/set-password/abc"


class FakeSMTP:
    """Stands in for smtplib.SMTP where a real server cannot: STARTTLS with a verified certificate, and login."""

    instances: ClassVar[list[FakeSMTP]] = []
    refuse: ClassVar[set[str]] = set()

    def __init__(self, host, port, timeout=None):
        self.host, self.port, self.timeout = host, port, timeout
        self.sent, self.tls, self.login_as = [], False, None
        FakeSMTP.instances.append(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self, context=None):
        self.tls = True

    def close(self):
        pass

    def login(self, user, password):
        self.login_as = (user, password)

    def send_message(self, message):
        if message["To"].split("<")[-1].rstrip(">") in FakeSMTP.refuse:
            raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"no such mailbox")})
        self.sent.append(message)


def _mail_one(app, monkeypatch) -> FakeSMTP:
    """Send one set-password email with the app's settings, as the worker does; the fake server it reached."""
    monkeypatch.setattr(FakeSMTP, "instances", [])
    monkeypatch.setattr(FakeSMTP, "refuse", set())
    monkeypatch.setattr(smtp, "SMTP", FakeSMTP)
    with app.app_context():
        email = mail.link_email(app.config, "new@example.org", "New", "https://academy.example.gov/set-password/t")
        with smtp.connect(app.config) as connection:
            smtp.send(connection, smtp.build(app.config, email.recipient, email.subject, email.body, 1))
    return FakeSMTP.instances[-1]


@effect("MAIL_SERVER")
def _mail_server(start, _tmp_path, monkeypatch):
    app = start(MAIL_SERVER="smtp.example.gov", MAIL_FROM="academy@example.gov")
    assert app.config["MAIL_SERVER"] == "smtp.example.gov" and mail.is_configured(app.config)
    smtp = _mail_one(app, monkeypatch)
    assert (smtp.host, smtp.port, smtp.tls) == ("smtp.example.gov", 25, False)


@effect("MAIL_PORT")
def _mail_port(start, _tmp_path, monkeypatch):
    app = start(MAIL_SERVER="smtp.example.gov", MAIL_FROM="academy@example.gov", MAIL_PORT="2525")
    assert app.config["MAIL_PORT"] == 2525
    assert _mail_one(app, monkeypatch).port == 2525


@effect("MAIL_USE_TLS")
def _mail_use_tls(start, _tmp_path, monkeypatch):
    app = start(MAIL_SERVER="smtp.example.gov", MAIL_FROM="academy@example.gov", MAIL_USE_TLS="on")
    assert app.config["MAIL_USE_TLS"] is True
    smtp = _mail_one(app, monkeypatch)
    assert smtp.tls and smtp.port == 587


@effect("MAIL_USERNAME")
def _mail_username(start, _tmp_path, monkeypatch):
    app = start(MAIL_SERVER="smtp.example.gov", MAIL_FROM="academy@example.gov", MAIL_USERNAME="academy")
    assert app.config["MAIL_USERNAME"] == "academy"
    assert _mail_one(app, monkeypatch).login_as == ("academy", "")


@effect("MAIL_PASSWORD")
def _mail_password(start, _tmp_path, monkeypatch):
    app = start(MAIL_SERVER="smtp.example.gov", MAIL_FROM="academy@example.gov", MAIL_USERNAME="academy",
                MAIL_PASSWORD="s3cret words")
    assert app.config["MAIL_PASSWORD"] == "s3cret words"
    assert _mail_one(app, monkeypatch).login_as == ("academy", "s3cret words")


@effect("MAIL_FROM")
def _mail_from(start, _tmp_path, monkeypatch):
    app = start(MAIL_SERVER="smtp.example.gov", MAIL_FROM="Academy <academy@example.gov>")
    assert app.config["MAIL_FROM"] == "Academy <academy@example.gov>"
    assert _mail_one(app, monkeypatch).sent[0]["From"] == "Academy <academy@example.gov>"


@effect("QUEUE_NAME")
def _queue_name(start, tmp_path, _monkeypatch):
    app = start(QUEUE_NAME="academy-2")
    with app.app_context():
        huey = jobs().huey
    assert (type(huey).__name__, huey.name) == ("SqliteHuey", "academy-2")
    assert (tmp_path / "instance" / "academy-2-queue.sqlite3").exists()


def _closed_port() -> int:
    """A local port nothing listens on: the mail server is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@effect("MAIL_MAX_ATTEMPTS")
def _mail_max_attempts(start, _tmp_path, _monkeypatch):
    app = start(MAIL_MAX_ATTEMPTS="2", MAIL_SERVER="127.0.0.1", MAIL_PORT=str(_closed_port()),
                MAIL_FROM="academy@example.gov", schema=True)
    moment = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    with app.app_context():
        message_id = outbox.add_email(outbox.Email("a@example.org", "Hello", "Hi"), moment)
        db.session.commit()
        assert deliver([message_id], moment).again == [message_id]
        assert deliver([message_id], moment + timedelta(hours=1)).failed == [message_id]
        assert db.session.get(OutboxMessage, message_id).attempts == 2


def _series(start, **environment) -> Series:
    with start(**environment).app_context() as context:
        return Series.from_config(context.app.config)


@effect("REMINDER_DAYS_BEFORE")
def _reminder_days_before(start, _tmp_path, _monkeypatch):
    series, due = _series(start, REMINDER_DAYS_BEFORE="1, 3"), date(2026, 5, 10)
    assert series.days_before == (3, 1)
    assert [series.latest(due, due - timedelta(days=n)) for n in (4, 3, 2, 1)] == [None, "before-3", "before-3",
                                                                                   "before-1"]


@effect("OVERDUE_REMINDER_DAYS")
def _overdue_reminder_days(start, _tmp_path, _monkeypatch):
    series, due = _series(start, OVERDUE_REMINDER_DAYS="2"), date(2026, 5, 10)
    assert [series.latest(due, due + timedelta(days=n)) for n in (1, 2, 3)] == ["overdue-1", "overdue-1", "overdue-2"]


@effect("OVERDUE_REMINDERS_MAX")
def _overdue_reminders_max(start, _tmp_path, _monkeypatch):
    series, due = _series(start, OVERDUE_REMINDERS_MAX="1"), date(2026, 5, 10)
    assert series.latest(due, due + timedelta(days=60)) == "overdue-1"
    assert _series(start, OVERDUE_REMINDERS_MAX="0").latest(due, due + timedelta(days=60)) == "before-1"


@effect("PASSWORD_LINK_DAYS")
def _password_link_days(start, _tmp_path, _monkeypatch):
    app = start(PASSWORD_LINK_DAYS="3", schema=True)
    assert app.config["PASSWORD_LINK_DAYS"] == 3
    with app.app_context():
        user = User(email="new@example.org", name="New")
        db.session.add(user)
        db.session.flush()
        issue_link(user)
        expires_at = db.session.scalar(select(PasswordToken.expires_at))
        left = expires_at.replace(tzinfo=UTC) - utcnow()  # SQLite returns naive UTC
        body = mail.link_email(app.config, user.email, user.name, "https://x/set-password/t").body
        db.session.rollback()
    assert timedelta(days=3) - timedelta(minutes=1) < left <= timedelta(days=3)
    assert "expires in 3 days" in body


@effect("PASSWORD_HASH_METHOD")
def _password_hash_method(start, _tmp_path, _monkeypatch):
    app = start(PASSWORD_HASH_METHOD="pbkdf2:sha256:1000")
    assert app.config["PASSWORD_HASH_METHOD"] == "pbkdf2:sha256:1000"
    with app.app_context():
        user = User(email="new@example.org", name="New")
        user.set_password("a long enough password")
    assert user.password_hash.startswith("pbkdf2:sha256:1000$")


@effect("REPORT_CACHE_SECONDS")
def _report_cache_seconds(start, _tmp_path, _monkeypatch):
    app = start(REPORT_CACHE_SECONDS="7")
    assert app.config["REPORT_CACHE_SECONDS"] == 7
    computed = []
    with app.app_context():
        for _ in range(2):
            cached(("figures",), lambda: computed.append(1))
        (expires,) = report_cache.cache._cache.values()  # SimpleCache: {key: (expires at, pickled value)}
    assert len(computed) == 1 and time.time() + 5 < expires[0] <= time.time() + 7


def _signed_in(app, seen_ago: int, signed_in_ago: int):
    """A client whose diplomat signed in ``signed_in_ago`` seconds ago and was last seen ``seen_ago`` ago."""
    with app.app_context():
        user = User(email=f"diplomat{seen_ago}-{signed_in_ago}@example.org", name="Diplomat")
        user.set_roles(["diplomat"])
        db.session.add(user)
        db.session.commit()
        user_id = user.id
    client, now = app.test_client(), int(time.time())
    with client.session_transaction() as session:
        session.update({"_user_id": f"{user_id}-0-{secrets.token_hex(16)}", "_fresh": True,
                        "signed_in_at": now - signed_in_ago, "seen_at": now - seen_ago})
    return client


def _still_signed_in(client) -> bool:
    response = client.get("/progress")
    assert response.status_code in (200, 302)
    return response.status_code == 200


@effect("SESSION_IDLE_MINUTES")
def _session_idle_minutes(start, _tmp_path, _monkeypatch):
    app = start(SESSION_IDLE_MINUTES="5", schema=True)
    assert app.config["SESSION_IDLE_MINUTES"] == 5
    assert _still_signed_in(_signed_in(app, seen_ago=4 * 60, signed_in_ago=60 * 60))
    assert not _still_signed_in(_signed_in(app, seen_ago=6 * 60, signed_in_ago=60 * 60))


@effect("SESSION_MAX_HOURS")
def _session_max_hours(start, _tmp_path, _monkeypatch):
    app = start(SESSION_MAX_HOURS="2", schema=True)
    assert app.config["SESSION_MAX_HOURS"] == 2
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=2)  # Flask's own cookie age limit follows
    assert _still_signed_in(_signed_in(app, seen_ago=0, signed_in_ago=90 * 60))
    assert not _still_signed_in(_signed_in(app, seen_ago=0, signed_in_ago=150 * 60))


def _failed_sign_in(client, email: str, address: str) -> int:
    """Try a wrong password for ``email`` from ``address``; the response status."""
    client.environ_base["REMOTE_ADDR"] = address
    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"csrf_token": token, "email": email, "password": "wrong password!"}).status_code


@effect("LOGIN_LIMIT_PER_ADDRESS")
def _login_limit_per_address(start, _tmp_path, _monkeypatch):
    app = start(LOGIN_LIMIT_PER_ADDRESS="2 per minute", PASSWORD_HASH_METHOD=CHEAP_HASH, schema=True)
    assert app.config["LOGIN_LIMIT_PER_ADDRESS"] == "2 per minute"
    client = app.test_client()
    statuses = [_failed_sign_in(client, f"nobody{n}@example.org", "203.0.113.1") for n in range(3)]
    assert statuses == [422, 422, 429]


@effect("LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS")
def _login_limit_per_account_and_address(start, _tmp_path, _monkeypatch):
    app = start(LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS="1 per minute", PASSWORD_HASH_METHOD=CHEAP_HASH, schema=True)
    assert app.config["LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS"] == "1 per minute"
    client = app.test_client()
    statuses = [_failed_sign_in(client, "nobody@example.org", "203.0.113.1") for _ in range(2)]
    assert statuses == [422, 429]
    assert _failed_sign_in(client, "somebody@example.org", "203.0.113.1") == 422  # another account: not blocked


@effect("LOGIN_LIMIT_PER_ACCOUNT")
def _login_limit_per_account(start, _tmp_path, _monkeypatch):
    app = start(LOGIN_LIMIT_PER_ACCOUNT="1 per hour", PASSWORD_HASH_METHOD=CHEAP_HASH, schema=True)
    assert app.config["LOGIN_LIMIT_PER_ACCOUNT"] == "1 per hour"
    client = app.test_client()
    statuses = [_failed_sign_in(client, "nobody@example.org", address) for address in ("203.0.113.1", "203.0.113.2")]
    assert statuses == [422, 429]


@effect("COURSES_DIR")
def _courses_dir(start, _tmp_path, _monkeypatch):
    app = start(COURSES_DIR=str(DATA / "courses"), schema=True)
    assert app.config["COURSES_DIR"] == str(DATA / "courses")
    result = app.test_cli_runner().invoke(args=["import-content"])
    assert result.exit_code == 0, result.output
    assert f"Imported {DATA / 'courses'} and {DATA / 'quizzes'}" in result.output


@effect("MARKDOWN_TIME_LIMIT")
def _markdown_time_limit(start, _tmp_path, _monkeypatch):
    """The budget of the process's markdown converter (tests/content/test_markdown_limits.py shows it stops)."""
    start(MARKDOWN_TIME_LIMIT="2")
    assert CONVERTER.time_limit == 2


@effect("TIMEZONE")
def _time_zone(start, _tmp_path, _monkeypatch):
    app = start(TIMEZONE="Asia/Karachi")
    evening_in_london = datetime(2026, 9, 30, 20, 0, tzinfo=UTC)  # already 1 October in Karachi (UTC+5)
    with app.app_context():
        assert clock.today(evening_in_london) == date(2026, 10, 1)
    app = start(TIMEZONE="UTC")
    with app.app_context():
        assert clock.today(evening_in_london) == date(2026, 9, 30)


BAD_VALUES = [
    ("TIMEZONE", "Mars/Olympus_Mons", "time zone name"),
    ("REPORT_CACHE_SECONDS", "soon", "expected a whole number"),
    ("REPORT_CACHE_SECONDS", "-1", "expected 0 or more"),
    ("SESSION_IDLE_MINUTES", "0", "expected 1 or more"),
    ("PASSWORD_LINK_DAYS", "7.5", "expected a whole number"),
    ("MAIL_PORT", "70000", "from 1 to 65535"),
    ("MAIL_USE_TLS", "maybe", "expected one of 1/0, true/false, yes/no, on/off"),
    ("SESSION_COOKIE_SECURE", "2", "expected one of 1/0"),
    ("LOGIN_LIMIT_PER_ADDRESS", "lots", "limits such as"),
    ("PUBLIC_URL", "academy.example.gov", "full address"),
    ("DATABASE_URL", "not a database", "SQLAlchemy URL"),
    ("REDIS_URL", "127.0.0.1:6379", "Redis URL"),
    ("MAIL_FROM", "academy", "email address"),
    ("PASSWORD_HASH_METHOD", "md5", "werkzeug method"),
    ("PASSWORD_HASH_METHOD", "scrypt:1000:8:1", "power of two"),
    ("QUEUE_NAME", "my queue", "letters, digits"),
    ("REMINDER_DAYS_BEFORE", "7,one", "whole numbers of days"),
    ("MAIL_MAX_ATTEMPTS", "0", "expected 1 or more"),
    ("LMS_ENV", "staging", "expected development or production"),
    ("MARKDOWN_TIME_LIMIT", "0", "from 1 to 600"),
    ("LOG_FORMAT", "xml", "expected json or text"),
    ("METRICS_ALLOW", "localhost", "addresses or ranges separated by commas"),
]


@pytest.mark.parametrize("name, value, problem", BAD_VALUES, ids=[f"{n}={v}" for n, v, _ in BAD_VALUES])
def test_a_bad_value_stops_start_up_and_names_the_setting(start, name, value, problem):
    with pytest.raises(ConfigError) as caught:
        start(**{name: value})
    assert caught.value.message.startswith(f"{name} ") and "in the environment" in caught.value.message
    assert problem in caught.value.message


def test_every_kind_of_setting_has_a_bad_value_tested():
    untested = {setting.kind.label for setting in APP_SETTINGS} - {"text", "folder"}  # any text is text
    untested -= {setting.kind.label for setting in APP_SETTINGS if setting.name in {n for n, _, _ in BAD_VALUES}}
    assert not untested


def test_every_bad_setting_is_named_at_once_and_secrets_are_not_repeated(start):
    with pytest.raises(ConfigError) as caught:
        start(REDIS_URL="http://user:hunter2@cache:6379", MAIL_USE_TLS="maybe")
    assert caught.value.message.splitlines() == [
        "REDIS_URL in the environment: expected a Redis URL such as redis://host:6379/0",
        "MAIL_USE_TLS = 'maybe' in the environment: expected one of 1/0, true/false, yes/no, on/off",
    ]


def test_flask_prints_a_bad_setting_as_one_line(start, monkeypatch):
    monkeypatch.setenv("REPORT_CACHE_SECONDS", "soon")
    result = CliRunner().invoke(flask_cli, ["--app", "lms", "routes"])
    assert result.exit_code == 1
    assert "Error: REPORT_CACHE_SECONDS = 'soon' in the environment: expected a whole number" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("text, value", [
    ("1", True), ("true", True), ("Yes", True), ("ON", True), (" on ", True),
    ("0", False), ("false", False), ("No", False), ("off", False),
])
def test_booleans_accept_the_usual_spellings(start, text, value):
    assert start(MAIL_USE_TLS=text, SESSION_COOKIE_SECURE=text).config["SESSION_COOKIE_SECURE"] is value


def test_unset_settings_take_the_tables_defaults(start):
    app = start(MAIL_SERVER="")  # an empty variable counts as unset
    for setting in APP_SETTINGS:
        if setting.name not in ("DATABASE_URL", "SECRET_KEY"):  # the fixture sets one; the app generates the other
            assert app.config[setting.name] == setting.default, setting.name
    assert app.config["SECRET_KEY"] == (Path(app.instance_path) / "secret_key").read_text().strip()
    assert app.config["PASSWORD_HASH_METHOD"] == "scrypt:131072:8:1"


def test_postgres_spelling_is_normalised_for_sqlalchemy_only(start):
    app = start(DATABASE_URL="postgres://nobody@127.0.0.1:1/none")  # never connected to
    assert app.config["DATABASE_URL"] == "postgres://nobody@127.0.0.1:1/none"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://nobody@127.0.0.1:1/none"
    with app.app_context():
        assert db.engine.url.drivername == "postgresql+psycopg"


@pytest.fixture
def instance_file(tmp_path):
    """Write the temporary instance folder's config.py (the folder ``start`` points the app at)."""
    def write(text: str) -> None:
        (tmp_path / "instance").mkdir(exist_ok=True)
        (tmp_path / "instance" / "config.py").write_text(text)
    return write


def test_instance_file_values_are_typed_and_the_environment_wins(start, instance_file):
    instance_file('REPORT_CACHE_SECONDS = "9"\nSESSION_IDLE_MINUTES = 30\nMAIL_USE_TLS = 1\n')
    app = start(SESSION_IDLE_MINUTES="45")
    assert app.config["REPORT_CACHE_SECONDS"] == 9 and app.config["MAIL_USE_TLS"] is True
    assert app.config["SESSION_IDLE_MINUTES"] == 45


def test_a_bad_value_in_the_instance_file_names_the_file(start, instance_file):
    instance_file('MAIL_USE_TLS = "maybe"\n')
    with pytest.raises(ConfigError, match=r"^MAIL_USE_TLS = 'maybe' in instance/config.py: "):
        start()


def test_a_test_config_replaces_the_instance_file_and_the_environment(start, instance_file, tmp_path, monkeypatch):
    instance_file("SESSION_IDLE_MINUTES = 30\n")
    monkeypatch.setenv("REPORT_CACHE_SECONDS", "7")
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    assert app.config["REPORT_CACHE_SECONDS"] == 60 and app.config["SESSION_IDLE_MINUTES"] == 120
    with pytest.raises(ConfigError, match=r"^MAIL_PORT = 'smtp' in the test config"):
        create_app({"SECRET_KEY": "x", "MAIL_PORT": "smtp"})


def test_readme_shows_the_table_the_settings_render():
    readme = README.read_text(encoding="utf-8")
    assert config.TABLE_START in readme and config.TABLE_END in readme
    assert readme == config.with_table(readme), "run `flask --app lms config-table --write` and commit README.md"


def test_config_table_command_prints_the_table(start):
    result = start().test_cli_runner().invoke(args=["config-table"])
    assert result.exit_code == 0 and result.output == config.markdown_table() + "\n"
