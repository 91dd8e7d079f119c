"""Engine settings that depend on the database in use."""
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine

# Whether transactions in this context will write. On SQLite a transaction that reads and then
# writes cannot wait for the lock once another worker has written ("database is locked"), so
# writing transactions take the write lock up front (BEGIN IMMEDIATE) and wait their turn.
WILL_WRITE: ContextVar[bool] = ContextVar("will_write", default=True)


def init_sqlite_pragmas(engine: Engine) -> None:
    """On SQLite: WAL (readers never block the writer), foreign keys, a 10 s busy wait, and write locks up front."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event below issues BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA busy_timeout = 10000")
        cursor.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a crash loses no committed page
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if WILL_WRITE.get() else "BEGIN")


def note_request_kind() -> None:
    """Before each request: will its transaction write? (Decides BEGIN IMMEDIATE on SQLite.)

    A GET that records something (the lesson page) reads first and then writes in a short
    transaction of its own, through ``write_transaction``.
    """
    from flask import request

    WILL_WRITE.set(request.method not in ("GET", "HEAD", "OPTIONS"))


def read_first() -> None:
    """For a POST that reads (and grades, renders) before a short write: read without the write lock.

    A POST's transaction takes SQLite's write lock up front, already when the signed-in user is loaded.
    This ends that transaction and lets the reads that follow run unlocked; the view then writes in a
    ``write_transaction`` block.
    """
    from .extensions import db

    db.session.commit()
    WILL_WRITE.set(False)


@contextmanager
def write_transaction():
    """End the current (reading) transaction, then run the block in a writing one and commit it."""
    from .extensions import db

    db.session.commit()
    token = WILL_WRITE.set(True)
    try:
        yield
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    finally:
        WILL_WRITE.reset(token)


def dialect_insert(dialect: str, table):
    """An INSERT that can say ON CONFLICT, for SQLite or PostgreSQL."""
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return (pg_insert if dialect == "postgresql" else sqlite_insert)(table)


def upsert_statement(dialect: str, model, index_elements: list[str], values: dict, on_conflict: dict | None = None):
    """INSERT a row, or on a unique clash update ``on_conflict`` (or do nothing), for SQLite or PostgreSQL."""
    statement = dialect_insert(dialect, model).values(**values)
    if on_conflict:
        return statement.on_conflict_do_update(index_elements=index_elements, set_=on_conflict)
    return statement.on_conflict_do_nothing(index_elements=index_elements)


def upsert(model, index_elements: list[str], values: dict, on_conflict: dict | None = None) -> None:
    """Run ``upsert_statement`` in the app's session: race-free on both databases."""
    from .extensions import db

    dialect = db.session.get_bind().dialect.name
    db.session.execute(upsert_statement(dialect, model, index_elements, values, on_conflict))


def refresh_statistics() -> None:
    """After a bulk load, on PostgreSQL: refresh the planner's statistics, as its documentation advises.

    Until autovacuum gets to the new rows the planner guesses their sizes, and the dashboard's queries
    were 20 to 50 times slower on a freshly generated organisation. (SQLite plans these queries better
    without statistics, so it is left alone.)
    """
    from sqlalchemy import text

    from .extensions import db

    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))
        db.session.commit()
