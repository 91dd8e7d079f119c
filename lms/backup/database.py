"""Copy a database into a file and back: pg_dump/pg_restore for PostgreSQL, SQLite's online backup API.

A live SQLite database in WAL mode is never copied as a file (the last writes may still be in the WAL);
the backup API copies a consistent snapshot page by page while the app keeps serving.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import URL

from .archive import BackupError

DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


def dump(url: URL, target_dir: Path) -> Path:
    """Write a consistent copy of the database at ``url`` into ``target_dir``; returns the file."""
    target = target_dir / DUMP_NAMES[url.get_backend_name()]
    if url.get_backend_name() == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}",
              f"--dbname={_libpq_uri(url)}"], url)
    else:
        with _sqlite(url.database) as source, _sqlite(str(target)) as copy:
            source.backup(copy)
    return target


def check(url: URL, file: Path) -> None:
    """Refuse a database file that its tools cannot read, before anything is changed."""
    if url.get_backend_name() == "postgresql":
        _run(["pg_restore", "--list", str(file)], url, what=f"{file.name} is not a readable PostgreSQL dump")
        return
    try:
        with _sqlite(str(file)) as conn:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{file.name} is not a readable SQLite database ({exc})") from exc
    if verdict != "ok":
        raise BackupError(f"{file.name} fails SQLite's integrity check: {verdict}")


def restore(url: URL, file: Path, replace: bool) -> None:
    """Load ``file`` into the database at ``url``, all or nothing; ``replace`` drops what it holds first."""
    if url.get_backend_name() == "postgresql":
        # pg_restore writes SQL that psql runs in one transaction with the DROP: a failure changes nothing.
        wipe = ["-c", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"] if replace else []
        with subprocess.Popen(["pg_restore", "--no-owner", "--no-privileges", "--file=-", str(file)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) as script:
            _run(["psql", "--quiet", "--no-psqlrc", "--single-transaction", "--set=ON_ERROR_STOP=1", *wipe,
                  "-f", "-", f"--dbname={_libpq_uri(url)}"], url, stdin=script.stdout)
            problems = script.stderr.read().decode(errors="replace").strip()
        if script.returncode != 0:
            raise BackupError(f"pg_restore failed: {problems}")
        return
    Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    with _sqlite(str(file)) as source, _sqlite(url.database) as target:
        source.backup(target)  # replaces every page of the target in one transaction


@contextmanager
def _sqlite(path: str) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA busy_timeout = 30000")
        yield conn
    finally:
        conn.close()


def _libpq_uri(url: URL) -> str:
    """The URL as pg_dump and psql read it; the password goes through the environment, not the process list."""
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _run(command: list[str], url: URL, what: str | None = None, stdin=None) -> None:
    env = dict(os.environ, **({"PGPASSWORD": str(url.password)} if url.password else {}))
    try:
        result = subprocess.run(command, env=env, stdin=stdin, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed: install PostgreSQL's client tools "
                          "(Debian: postgresql-client, the server's major version)") from exc
    if result.returncode != 0:
        raise BackupError(f"{what or command[0] + ' failed'}: {result.stderr.strip()}")
