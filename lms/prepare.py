"""Make a database ready to serve: migrate, repair status rows, import content, seed demo accounts.

Several servers may start at the same moment on one database, so every step runs under one lock that
only one process holds at a time: a PostgreSQL advisory lock, or on SQLite a file lock beside the
database file. Each step is idempotent, so the second server to get the lock finds nothing to do.
A content problem (a broken file, a file changed both on disk and in the browser) is reported and
leaves the content the database already holds: the server still starts and serves the last good import.
"""
from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import text

from .content.importer import ImportSummary, import_content
from .demo import seed_demo
from .documents.errors import ContentError
from .enrolment import status
from .extensions import db

# Advisory locks are per database, so two LMS databases on one server never wait for each other.
ADVISORY_LOCK_KEY = 7_304_128_517_622_215_905  # fixed, any 64-bit number unlikely to clash with other apps


@contextmanager
def exclusive(waiting: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Hold the preparation lock of the app's database for the block; ``waiting`` is called if it is taken."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if not conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY}):
                waiting()
                conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY})
        return
    database = engine.url.database
    with _file_lock(Path(database + ".lock"), waiting) if database and database != ":memory:" else nullcontext():
        yield


@contextmanager
def _file_lock(path: Path, waiting: Callable[[], None]) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def migrate() -> None:
    """Bring the schema to the newest migration (a no-op when it is there)."""
    upgrade()


def repair_status() -> str:
    """Rewrite enrolment status rows that differ from the raw records, and commit; says what it found."""
    count, _described = status.differences()
    if not count:
        return "Every enrolment status row matches the records."
    rows = status.rebuild()
    db.session.commit()
    return f"Repaired: {count} row(s) differed; {rows} status rows rewritten."


def import_files(courses_dir: Path, quizzes_dir: Path) -> tuple[ImportSummary | None, list[str]]:
    """Import the content folders and commit; on problems change nothing and return them as lines."""
    try:
        summary = import_content(courses_dir, quizzes_dir)
    except ContentError as exc:
        db.session.rollback()
        return None, [str(problem) for problem in exc.problems]
    db.session.commit()
    return summary, []


def seed() -> str:
    """Create the demo missions and accounts once, and commit; says where their passwords are."""
    message = seed_demo(Path(current_app.instance_path) / "demo-accounts.txt")
    db.session.commit()
    return message
