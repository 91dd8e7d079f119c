"""Engine settings that depend on the database in use."""
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
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if WILL_WRITE.get() else "BEGIN")


# GET routes that record something: opening a lesson records that it was viewed.
WRITES_ON_GET = {"learn.lesson"}


def note_request_kind() -> None:
    """Before each request: will its transaction write? (Decides BEGIN IMMEDIATE on SQLite.)"""
    from flask import request

    WILL_WRITE.set(request.method not in ("GET", "HEAD", "OPTIONS") or request.endpoint in WRITES_ON_GET)


def upsert(model, index_elements: list[str], values: dict, on_conflict: dict | None = None) -> None:
    """INSERT a row, or on a unique clash update ``on_conflict`` (or do nothing); race-free on both databases."""
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    from .extensions import db

    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(model).values(**values)
    if on_conflict:
        statement = statement.on_conflict_do_update(index_elements=index_elements, set_=on_conflict)
    else:
        statement = statement.on_conflict_do_nothing(index_elements=index_elements)
    db.session.execute(statement)
