"""Engine settings and maintenance that depend on the database in use."""
import json

import orjson
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from ..extensions import db
from .transactions import WILL_WRITE


def dump_json(value) -> str:
    """JSON columns' text, written by orjson (an attempt's question snapshot was a twentieth of a submission's
    work through the standard library). Keys that are not strings become strings, as the standard library
    makes them; what orjson refuses (integers beyond 64 bits) goes through the standard library."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value)


def load_json(text: str | bytes):
    """JSON columns' values, read by orjson; text it refuses (NaN, written by the standard library) is read
    by the standard library."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


JSON_ENGINE_OPTIONS = {"json_serializer": dump_json, "json_deserializer": load_json}


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
        # On the driver's connection: transaction control needs none of SQLAlchemy's statement machinery
        # (a tenth of a page's work when it went through exec_driver_sql).
        connection.connection.driver_connection.execute("BEGIN IMMEDIATE" if WILL_WRITE.get() else "BEGIN")


def refresh_statistics() -> None:
    """After a bulk load, on PostgreSQL: refresh the planner's statistics, as its documentation advises.

    Until autovacuum gets to the new rows the planner guesses their sizes, and the dashboard's queries
    were 20 to 50 times slower on a freshly generated organisation. (SQLite plans these queries better
    without statistics, so it is left alone.)
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))
        db.session.commit()
