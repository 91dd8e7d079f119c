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

    A GET that records something (the lesson page), and a POST view marked ``reads_first``, read
    first and then write in a short transaction of their own, through ``write_transaction``.
    """
    from flask import current_app, request

    view = current_app.view_functions.get(request.endpoint)
    WILL_WRITE.set(request.method not in ("GET", "HEAD", "OPTIONS") and not getattr(view, "reads_first", False))


def reads_first(view):
    """Mark a POST view that reads (and grades, renders) before a short write: it reads without the write lock.

    Every write of such a view must be inside ``write_transaction``.
    """
    view.reads_first = True
    return view


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
