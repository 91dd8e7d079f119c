"""Configuration: defaults, then instance/config.py, then environment variables."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


class Defaults:
    """Settings every installation starts from."""

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = None  # a token lives as long as the session; a slow mission link must not lose a form
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set True (SESSION_COOKIE_SECURE=1) when served over HTTPS
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    SESSION_IDLE_MINUTES = 120  # a long lesson read on a slow link must not end the session
    SESSION_MAX_HOURS = 12
    # werkzeug's scrypt with n = 2**17: expensive enough to slow offline guessing.
    PASSWORD_HASH_METHOD = "scrypt:131072:8:1"
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    COURSES_DIR = str(REPO_ROOT / "courses")
    RATELIMIT_STORAGE_URI = "memory://"  # REDIS_URL replaces it, so limits hold across workers and hosts
    RATELIMIT_HEADERS_ENABLED = False
    # Failed sign-ins allowed (see lms/auth/throttle.py); a known device is exempt from the per-account limit.
    LOGIN_LIMIT_PER_ADDRESS = "30 per minute"
    LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS = "5 per minute;20 per hour"
    LOGIN_LIMIT_PER_ACCOUNT = "50 per hour"
    REPORT_CACHE_SECONDS = 60  # dashboard figures may be this old; 0 computes them on every view


ENVIRONMENT_KEYS = {
    "SECRET_KEY": "SECRET_KEY",
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "SESSION_COOKIE_SECURE": "SESSION_COOKIE_SECURE",
    "REDIS_URL": "RATELIMIT_STORAGE_URI",
}


def from_environment() -> dict:
    """Settings given as environment variables, under their Flask names."""
    found = {}
    for env_name, setting in ENVIRONMENT_KEYS.items():
        value = os.environ.get(env_name)
        if value:
            found[setting] = value.lower() in ("1", "true", "yes") if setting == "SESSION_COOKIE_SECURE" else value
    return found


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
