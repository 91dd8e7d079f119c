"""A private, throw-away LMS server for load and chaos runs.

``serve()`` prepares a temporary instance folder (its own SECRET_KEY, relaxed sign-in limits and a cheap
password hash in instance/config.py), a database (an SQLite file in that folder, or a fresh PostgreSQL
database created for the run), migrates it, imports courses/ and quizzes/, creates the load-test diplomats
and serves the app with gunicorn on a free 127.0.0.1 port. Everything is removed on exit (the PostgreSQL
database is dropped, the folder deleted), also after an error.

    .venv/bin/python load/server.py [--postgres] [--hold SECONDS]   # serve for a while, by hand

Only for load runs: the instance config below lowers the password hash to scrypt n=1024 (the default is
n=2**17, ~100 ms of CPU per sign-in, which would make the test measure hashing instead of the app) and
raises the failed-sign-in limits (150 diplomats all come from 127.0.0.1; only failed sign-ins count, but
during the chaos run a sign-in that fails with a 500 counts against LOGIN_LIMIT_PER_ADDRESS).
"""
from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
PG_ADMIN_URL = os.environ.get("LOAD_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/template1")
PG_HOST_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/"
FORBIDDEN_DATABASES = {"test", "postgres", "root", "template0", "template1"}
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"

EMAIL_PATTERN = "diplomat-{:03d}@load.example.org"
PASSWORD = "harbour lantern quietly sings"

INSTANCE_CONFIG = '''\
# Written by load/server.py for ONE load-test run; never use these settings in production.
SECRET_KEY = {secret!r}
# Cheap hashing so that 150 sign-ins measure the app, not scrypt (production: scrypt n=2**17).
PASSWORD_HASH_METHOD = "scrypt:1024:8:1"
# 150 diplomats sign in from 127.0.0.1: raise the failed-sign-in limits well above the defaults.
LOGIN_LIMIT_PER_ADDRESS = "100000 per minute"
LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS = "10000 per minute"
LOGIN_LIMIT_PER_ACCOUNT = "10000 per hour"
RATELIMIT_KEY_PREFIX = {prefix!r}
'''


def email(n: int) -> str:
    return EMAIL_PATTERN.format(n)


@dataclass
class Server:
    """A running load-test server."""

    base_url: str
    database_url: str
    instance_path: Path
    log_path: Path
    process: subprocess.Popen
    kind: str  # "sqlite" or "postgresql"
    users: int
    redis_url: str | None
    extra: dict = field(default_factory=dict)

    def flask(self, *args: str) -> subprocess.CompletedProcess:
        """Run ``flask --app lms ARGS`` against this server's instance and database."""
        env = {**os.environ, "LMS_INSTANCE_PATH": str(self.instance_path), "DATABASE_URL": self.database_url,
               "PYTHONPATH": str(ROOT)}
        env.pop("SECRET_KEY", None)
        return subprocess.run([str(VENV_BIN / "flask"), "--app", "lms", *args], check=False, env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=300)

    @property
    def master_pid(self) -> int:
        return self.process.pid

    def worker_pids(self) -> set[int]:
        """The gunicorn workers now running under the master (read from /proc)."""
        pids = set()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == self.master_pid:
                pids.add(int(entry.name))
        return pids

    def log_summary(self) -> dict[str, int]:
        """How often the server log mentions the errors worth knowing about."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        needles = {
            "database is locked": "database is locked",
            "tracebacks": "Traceback (most recent call last)",
            "OperationalError": "OperationalError",
            "worker timeouts": "WORKER TIMEOUT",
            "worker boots": "Booting worker",
        }
        return {label: text.count(needle) for label, needle in needles.items()}

    def exceptions(self) -> dict[str, int]:
        """The exception line ending each traceback in the server log, with how often it occurred."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        found: dict[str, int] = {}
        for block in text.split("Traceback (most recent call last):")[1:]:
            line = next((line for line in block.splitlines()[1:] if line and not line[0].isspace()), "?")
            found[line[:300]] = found.get(line[:300], 0) + 1
        return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_available(url: str) -> bool:
    try:
        import redis
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except Exception:
        return False


def _run(args: list[str], env: dict, timeout: int = 180) -> None:
    result = subprocess.run(args, check=False, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")


def _pg_admin(sql: str) -> None:
    import psycopg
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql)


def wait_for_http(url: str, timeout: float, expect: int = 200) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == expect:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    return False


def seed_users(count: int) -> None:
    """Create ``count`` diplomats in one cohort enrolled in every course (run inside the server's environment)."""
    sys.path.insert(0, str(ROOT))
    from datetime import date, timedelta

    from sqlalchemy import select

    from lms import create_app
    from lms.accounts import create_user
    from lms.enrolment import add_members, create_cohort, enrol_cohort
    from lms.extensions import db
    from lms.models import Course

    app = create_app()
    with app.app_context():
        people = [create_user(email(n), f"Load Diplomat {n:03d}", PASSWORD, ["diplomat"])
                  for n in range(1, count + 1)]
        # one cohort enrolled in every course, so the run's writes keep status rows that check-status then checks
        cohort = create_cohort("Load round")
        for course in db.session.scalars(select(Course).where(Course.visible())):
            enrol_cohort(cohort, course, date.today() + timedelta(days=30))
        add_members(cohort, people)
        db.session.commit()


@contextlib.contextmanager
def serve(postgres: bool = False, users: int = 150, workers: int = 4, redis_url: str | None = "auto",
          keep: bool = False, quiet: bool = False):
    """Prepare, start and finally tear down a load-test server; yields a ``Server``."""
    say = (lambda *a: None) if quiet else (lambda *a: print("[server]", *a, flush=True))
    tmp = Path(tempfile.mkdtemp(prefix="lms-load-"))
    instance = tmp / "instance"
    instance.mkdir()
    run_id = tmp.name.replace("lms-load-", "").lower().replace("-", "_")
    if redis_url == "auto":
        redis_url = DEFAULT_REDIS_URL if redis_available(DEFAULT_REDIS_URL) else None
    (instance / "config.py").write_text(INSTANCE_CONFIG.format(secret=secrets.token_hex(32),
                                                               prefix=f"lms-load-{run_id}"))
    db_name = None
    if postgres:
        db_name = f"lms_load_{run_id}"
        assert db_name not in FORBIDDEN_DATABASES
        database_url = PG_HOST_URL + db_name
    else:
        database_url = f"sqlite:///{instance / 'lms.sqlite3'}"
    env = {**os.environ, "LMS_INSTANCE_PATH": str(instance), "DATABASE_URL": database_url,
           "FLASK_APP": "lms", "PYTHONPATH": str(ROOT),
           "LOG_FORMAT": "text"}  # log_summary() and exceptions() read tracebacks as lines of text
    env.pop("SECRET_KEY", None)
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    process = None
    log_path = tmp / "gunicorn.log"
    try:
        if postgres:
            _pg_admin(f'CREATE DATABASE "{db_name}"')
            say(f"created PostgreSQL database {db_name}")
        started = time.monotonic()
        _run([str(VENV_BIN / "flask"), "--app", "lms", "db", "upgrade"], env)
        _run([str(VENV_BIN / "flask"), "--app", "lms", "import-content"], env)
        _run([PYTHON, str(Path(__file__).resolve()), "seed-users", str(users)], env)
        say(f"{'PostgreSQL' if postgres else 'SQLite'} database migrated, content imported, "
            f"{users} diplomats created in {time.monotonic() - started:.1f} s; instance {instance}")
        port = free_port()
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                [str(VENV_BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
                 "--graceful-timeout", "10", "--timeout", "30", "lms:create_app()"],
                env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        base_url = f"http://127.0.0.1:{port}"
        if not wait_for_http(base_url + "/readyz", 30):  # ready: the database at the migrations' head, Redis up
            raise RuntimeError(f"gunicorn was not ready (/readyz) within 30 s; see {log_path}:\n"
                               + log_path.read_text(errors="replace")[-3000:])
        say(f"gunicorn ({workers} workers, pid {process.pid}) on {base_url}, "
            f"sign-in limits in {'Redis ' + redis_url if redis_url else 'memory'}")
        yield Server(base_url, database_url, instance, log_path, process, "postgresql" if postgres else "sqlite",
                     users, redis_url, {"tmp": tmp, "db_name": db_name})
    finally:
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        if db_name:
            try:
                _pg_admin(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
                say(f"dropped PostgreSQL database {db_name}")
            except Exception as exc:
                print(f"[server] could not drop database {db_name}: {exc}", file=sys.stderr)
        if keep:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["seed-users"]:
        seed_users(int(argv[1]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true", help="a fresh PostgreSQL database instead of SQLite")
    parser.add_argument("--users", type=int, default=150)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--hold", type=int, default=300, help="serve this many seconds, then stop (default 300)")
    parser.add_argument("--no-redis", action="store_true", help="keep sign-in counters in memory")
    args = parser.parse_args(argv)
    with serve(args.postgres, args.users, args.workers, None if args.no_redis else "auto") as server:
        print(f"serving {server.base_url} for {args.hold} s; diplomats {email(1)} .. {email(args.users)}, "
              f"password {PASSWORD!r}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            time.sleep(args.hold)
    return 0


if __name__ == "__main__":
    sys.exit(main())
