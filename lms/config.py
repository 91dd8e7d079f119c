"""Configuration: one table of the settings an operator can give, and how each is read and checked.

Order: the table's defaults, then ``instance/config.py``, then environment variables under the same,
unprefixed names (Flask's ``from_prefixed_env`` needs a prefix, so it does not fit). Every value is
typed and checked by its setting's kind, and lands in ``app.config`` under its own name; a value the
app cannot use stops start-up with a ``ConfigError`` naming the setting. The factory derives the keys
Flask and its extensions need (``SQLALCHEMY_DATABASE_URI``, ...) from these in one place.
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from ipaddress import ip_network
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
from limits import parse_many
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

REPO_ROOT = Path(__file__).resolve().parent.parent
TABLE_START = "<!-- configuration table: generated from lms/config.py by `flask --app lms config-table` -->"
TABLE_END = "<!-- end of configuration table -->"
# A Redis that stops answering must not hold a request for long: limits, caches and the queue then do without it.
REDIS_TIMEOUTS = {"socket_connect_timeout": 1, "socket_timeout": 1}


class ConfigError(click.ClickException):
    """A setting has a value the app cannot use; start-up stops with this message.

    A ClickException, so ``flask`` (and with it ``make run``) prints it as one line, not a traceback.
    """


class Fixed:
    """Settings the app fixes for itself, not operator settings (instance/config.py may still override them)."""

    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = None  # a token lives as long as the session; a slow mission link must not lose a form
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    RATELIMIT_STORAGE_URI = "memory://"  # REDIS_URL replaces it, so limits hold across workers and hosts
    RATELIMIT_HEADERS_ENABLED = False
    JOBS_IMMEDIATE = False  # True runs each job at once, in-process (Huey's immediate mode): the tests' queue


@dataclass(frozen=True)
class Kind:
    """How a setting is written: its README label, and a reader that types a value or raises ValueError."""

    label: str
    read: Callable[[object], object]


def _text(value: object) -> str:
    """Any text, as given."""
    if not isinstance(value, str):
        raise ValueError(f"expected text, not {type(value).__name__}")
    return value


TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _boolean(value: object) -> bool:
    """True or False, from a bool, 0/1 (``MAIL_USE_TLS = 1`` in config.py) or one of the usual spellings."""
    if isinstance(value, int) and value in (0, 1):  # bool is an int too
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in TRUE + FALSE:
        return value.strip().lower() in TRUE
    raise ValueError("expected one of 1/0, true/false, yes/no, on/off")


def whole(low: int, high: int | None = None) -> Kind:
    """An integer kind between ``low`` and ``high`` (inclusive; no upper bound when None)."""
    def read(value: object) -> int:
        """An int, or digits as text; never a bool or a float."""
        if isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d+\s*", value):
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError("expected a whole number")
        if value < low or (high is not None and value > high):
            raise ValueError(f"expected a whole number from {low} to {high}" if high else f"expected {low} or more")
        return value
    return Kind(f"integer {low}–{high}" if high else f"integer ≥ {low}", read)


def _rate_limits(value: object) -> str:
    """Flask-Limiter limits, ``;``-separated, kept as written."""
    text = _text(value)
    try:
        parse_many(text)
    except ValueError:
        raise ValueError("expected limits such as `5 per minute;20 per hour`") from None
    return text


def _database_url(value: object) -> str:
    """A URL SQLAlchemy can parse, kept as written (the factory normalises ``postgres://`` for the engine)."""
    text = _text(value)
    try:
        make_url(text)
    except ArgumentError:
        raise ValueError("expected an SQLAlchemy URL such as postgresql+psycopg://user@host/db") from None
    return text


def _redis_url(value: object) -> str:
    """A ``redis://`` (or ``rediss://``, ``redis+…://``) URL for the limiter's storage."""
    if not re.match(r"(redis|rediss|redis\+\w+)://", _text(value)):
        raise ValueError("expected a Redis URL such as redis://host:6379/0")
    return value


def _web_address(value: object) -> str:
    """A full http(s) address with a host: links in emails are built from it."""
    parts = urlsplit(_text(value))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("expected a full address such as https://academy.example.gov")
    return value


def _email_address(value: object) -> str:
    """An address for a From header, with or without a display name."""
    if "@" not in parseaddr(_text(value))[1]:
        raise ValueError("expected an email address such as Academy <academy@example.gov>")
    return value


def _hash_method(value: object) -> str:
    """A werkzeug method, ``scrypt[:n:r:p]`` or ``pbkdf2[:hash[:iterations]]``."""
    # Checked by its form: hashing once here with scrypt n = 2**17 would cost every start 128 MB and a moment.
    match = re.fullmatch(r"scrypt(?::(\d+):(\d+):(\d+))?|pbkdf2(?::\w+(?::\d+)?)?", _text(value))
    n, r, p = (int(part) for part in match.groups()) if match and match.group(1) else (2, 1, 1)
    if not match or n < 2 or n & (n - 1) or r < 1 or p < 1:
        raise ValueError("expected a werkzeug method such as scrypt:131072:8:1 (n a power of two) or pbkdf2:sha256")
    return value


def _time_zone(value: object) -> str:
    """An IANA time zone name such as ``Asia/Karachi``."""
    try:
        ZoneInfo(_text(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("expected a time zone name such as UTC or Asia/Karachi") from None
    return value


def _queue_name(value: object) -> str:
    """Letters, digits, ``-`` and ``_``: it names Redis keys and the queue's SQLite file."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,100}", _text(value)):
        raise ValueError("expected letters, digits, - and _ only, such as lms")
    return value


ENVIRONMENTS = ("development", "production")


def _environment(value: object) -> str:
    if value not in ENVIRONMENTS:
        raise ValueError("expected development or production")
    return value


def _days(value: object) -> tuple[int, ...]:
    """Whole numbers of days, comma-separated (``7,1``), largest first; empty for none."""
    if isinstance(value, (list, tuple)):
        value = ",".join(str(item) for item in value)
    parts = [part.strip() for part in _text(value).split(",") if part.strip()]
    if not all(re.fullmatch(r"\d{1,3}", part) for part in parts):
        raise ValueError("expected whole numbers of days separated by commas, such as 7,1")
    return tuple(sorted({int(part) for part in parts}, reverse=True))


LOG_FORMATS = ("json", "text")


def _log_format(value: object) -> str:
    if value not in LOG_FORMATS:
        raise ValueError("expected json or text")
    return value


def _networks(value: object) -> tuple:
    """Addresses or CIDR ranges, comma-separated (``127.0.0.1,10.0.0.0/8``), as ``ip_network`` objects."""
    if isinstance(value, (list, tuple)):
        value = ",".join(str(item) for item in value)
    try:
        return tuple(ip_network(part.strip(), strict=False) for part in _text(value).split(",") if part.strip())
    except ValueError:
        raise ValueError("expected addresses or ranges separated by commas, such as 127.0.0.1,10.0.0.0/8") from None


TEXT = Kind("text", _text)
FOLDER = Kind("folder", _text)  # checked by the command that reads it, which names a missing folder
BOOLEAN = Kind("boolean", _boolean)
RATE_LIMITS = Kind("rate limits", _rate_limits)
SQL_URL = Kind("SQLAlchemy URL", _database_url)
STORAGE_URL = Kind("Redis URL", _redis_url)
WEB_ADDRESS = Kind("http(s) URL", _web_address)
EMAIL_ADDRESS = Kind("email address", _email_address)
HASH_METHOD = Kind("hash method", _hash_method)
TIME_ZONE = Kind("time zone", _time_zone)
NAME = Kind("name", _queue_name)
DAYS = Kind("days, comma-separated", _days)
ENVIRONMENT = Kind("development or production", _environment)
LOG_FORMAT = Kind("json or text", _log_format)
NETWORKS = Kind("addresses, comma-separated", _networks)


@dataclass(frozen=True)
class Setting:
    """One setting an operator can give, in instance/config.py or as an environment variable of its name."""

    name: str
    kind: Kind
    default: object
    meaning: str
    shown_default: str = ""  # the README's wording when the default is worked out at start-up or elsewhere
    secret: bool = False  # a value that may hold a password is never repeated in an error message
    read_by_app: bool = True  # False: read by the Makefile only (PORT), so the app neither reads nor checks it

    def read(self, value: object, origin: str) -> object:
        """``value`` typed by this setting's kind; ConfigError names the setting, where it came from, the problem."""
        try:
            return self.kind.read(value)
        except ValueError as exc:
            shown = "" if self.secret else f" = {value!r}"
            raise ConfigError(f"{self.name}{shown} in {origin}: {exc}") from None


SETTINGS = (
    Setting("LMS_ENV", ENVIRONMENT, "development",
            "`production` refuses to start without `SECRET_KEY`, a PostgreSQL `DATABASE_URL` and `REDIS_URL`, "
            "which several servers must share"),
    Setting("DATABASE_URL", SQL_URL, None,
            "the database; PostgreSQL as `postgresql+psycopg://user@host/db` (`postgres://` also accepted)",
            shown_default="SQLite at `instance/lms.sqlite3` (WAL mode)", secret=True),
    Setting("SECRET_KEY", TEXT, None, "signs sessions, CSRF tokens and links",
            shown_default="generated once into `instance/secret_key`", secret=True),
    Setting("REDIS_URL", STORAGE_URL, None,
            "where sign-in throttling counts, the report cache and the job queue live, shared by every worker and "
            "host; while it is down, each worker counts and caches on its own",
            shown_default="throttling and the report cache in memory per worker; "
                          "the queue in `instance/<QUEUE_NAME>-queue.sqlite3`",
            secret=True),
    Setting("QUEUE_NAME", NAME, "lms",
            "the job queue's name and the report cache's key prefix (Redis keys, SQLite file): "
            "installations sharing one Redis need different names"),
    Setting("TRUSTED_PROXIES", whole(0), 0,
            "how many proxies (load balancer, nginx) stand in front of the app and append `X-Forwarded-For`: "
            "limits and logs then see the client's address, scheme and host from them; 0 ignores those headers"),
    Setting("SESSION_COOKIE_SECURE", BOOLEAN, False,
            "on when served over HTTPS: cookies are then sent only over HTTPS"),
    Setting("PORT", whole(1, 65535), 8000,
            "port gunicorn serves on at 127.0.0.1 (read by `make run` and `deploy/gunicorn.conf.py`, not the app)",
            read_by_app=False),
    Setting("WEB_CONCURRENCY", whole(1), 2,
            "gunicorn workers per server, read by `deploy/gunicorn.conf.py` (see docs/operations.md on sizing)",
            read_by_app=False),
    Setting("LOG_FORMAT", LOG_FORMAT, "json",
            "`json`: one JSON object per log line, with the request id; `text`: readable lines for development"),
    Setting("METRICS_ALLOW", NETWORKS, _networks("127.0.0.1,::1"),
            "addresses or CIDR ranges that may read `/metrics`; anyone else gets 404",
            shown_default="`127.0.0.1,::1`"),
    Setting("METRICS_TOKEN", TEXT, None,
            "also lets a scraper read `/metrics` from anywhere with `Authorization: Bearer <token>`", secret=True),
    Setting("PUBLIC_URL", WEB_ADDRESS, None, "the site's address, for links in emails and CLI output"),
    Setting("MAIL_SERVER", TEXT, None,
            "SMTP host; with `MAIL_FROM` set, set-password links, reminders and digests are emailed"),
    # The default depends on MAIL_USE_TLS, so lms/outbox/smtp.py picks it when none is given.
    Setting("MAIL_PORT", whole(1, 65535), None, "SMTP port", shown_default="587 with TLS, else 25"),
    Setting("MAIL_USE_TLS", BOOLEAN, False, "STARTTLS, with the server's certificate verified"),
    Setting("MAIL_USERNAME", TEXT, None, "SMTP login, when the server wants one"),
    Setting("MAIL_PASSWORD", TEXT, None, "SMTP password", secret=True),
    Setting("MAIL_FROM", EMAIL_ADDRESS, None,
            "sender of every email, e.g. `Academy <academy@example.gov>`"),
    Setting("MAIL_MAX_ATTEMPTS", whole(1), 8,
            "tries per email while the mail server is down (waits 1, 2, 4, ... minutes) before it shows as failed"),
    Setting("REMINDER_DAYS_BEFORE", DAYS, (7, 1), "days before a due date on which learners are reminded",
            shown_default="`7,1`"),
    Setting("OVERDUE_REMINDER_DAYS", whole(1), 7, "days between reminders once a course is overdue"),
    Setting("OVERDUE_REMINDERS_MAX", whole(0), 4, "most reminders sent about one overdue course"),
    Setting("PASSWORD_LINK_DAYS", whole(1), 7, "days a set-password link stays valid"),
    Setting("PASSWORD_HASH_METHOD", HASH_METHOD, "scrypt:131072:8:1",
            "werkzeug's password hashing; scrypt with n = 2^17 slows offline guessing"),
    Setting("REPORT_CACHE_SECONDS", whole(0), 60,
            "seconds dashboard figures may be old; 0 computes them on every view"),
    # Long enough that reading a long lesson on a slow mission link does not end the session.
    Setting("SESSION_IDLE_MINUTES", whole(1), 120, "minutes without a request after which a session ends"),
    Setting("SESSION_MAX_HOURS", whole(1), 12, "hours after sign-in at which a session ends, however active"),
    # See lms/auth/throttle.py: only failed sign-ins count, and a known device is exempt from the per-account limit.
    Setting("LOGIN_LIMIT_PER_ADDRESS", RATE_LIMITS, "30 per minute", "failed sign-ins allowed from one address"),
    Setting("LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS", RATE_LIMITS, "5 per minute;20 per hour",
            "failed sign-ins allowed for one account from one address"),
    Setting("LOGIN_LIMIT_PER_ACCOUNT", RATE_LIMITS, "50 per hour",
            "failed sign-ins allowed for one account, except from a browser it signed in from before"),
    Setting("TIMEZONE", TIME_ZONE, "UTC",
            "where due dates are calendar days: a course due on a date is overdue from the next midnight there"),
    Setting("COURSES_DIR", FOLDER, str(REPO_ROOT / "courses"),
            "folder `import-content` reads by default; quizzes from `quizzes/` beside it",
            shown_default="`courses/` of this repository"),
    Setting("MARKDOWN_TIME_LIMIT", whole(1, 600), 5,
            "seconds one page's markdown may take to render (preview, save, import) before it is stopped and refused"),
)
APP_SETTINGS = tuple(setting for setting in SETTINGS if setting.read_by_app)


def defaults() -> dict:
    """Every setting the app reads, at its default (None where unset), plus the fixed settings."""
    fixed = {name: value for name, value in vars(Fixed).items() if name.isupper()}
    return {**fixed, **{setting.name: setting.default for setting in APP_SETTINGS}}


def typed(values: Mapping, origin: str) -> dict:
    """The table's settings found in ``values``, each typed; one ConfigError lists every bad one."""
    found, problems = {}, []
    for setting in APP_SETTINGS:
        if values.get(setting.name) is not None:
            try:
                found[setting.name] = setting.read(values[setting.name], origin)
            except ConfigError as exc:
                problems.append(exc.message)
    if problems:
        raise ConfigError("\n".join(problems))
    return found


def from_environment(environ: Mapping[str, str]) -> dict:
    """The table's settings given as environment variables, typed; an empty variable counts as unset."""
    given = {setting.name: environ[setting.name] for setting in APP_SETTINGS if environ.get(setting.name)}
    return typed(given, "the environment")


def production_problems(settings: Mapping) -> list[str]:
    """What production mode lacks: settings that every server must share rather than make up on its own."""
    missing = [name for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL") if not settings.get(name)]
    problems = [f"LMS_ENV=production needs {name}" for name in missing]
    if settings.get("DATABASE_URL") and not database_url(settings["DATABASE_URL"]).startswith("postgresql"):
        problems.append("LMS_ENV=production needs DATABASE_URL to be PostgreSQL (SQLite serves one machine only)")
    return problems


def database_url(url: str) -> str:
    """Accept the common ``postgres://`` spellings and point them at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def instance_secret_key(instance_path: str) -> str:
    """Read the installation's secret key, generating it once on first start."""
    key_file = Path(instance_path) / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _shown_default(setting: Setting) -> str:
    if setting.shown_default:
        return setting.shown_default
    if setting.default is None:
        return "not set"
    if isinstance(setting.default, bool):
        return "on" if setting.default else "off"
    return f"`{setting.default}`"


def markdown_table() -> str:
    """The README's configuration table, one row per setting."""
    rows = ["| setting | type | default | meaning |", "| --- | --- | --- | --- |"]
    rows += [f"| `{s.name}` | {s.kind.label} | {_shown_default(s)} | {s.meaning} |" for s in SETTINGS]
    return "\n".join(rows)


def with_table(readme: str) -> str:
    """``readme`` with the text between the table markers replaced by the current table."""
    start, end = readme.index(TABLE_START) + len(TABLE_START), readme.index(TABLE_END)
    return f"{readme[:start]}\n{markdown_table()}\n{readme[end:]}"
