"""Engine settings that depend on the database in use."""
from sqlalchemy import event
from sqlalchemy.engine import Engine


def init_sqlite_pragmas(engine: Engine) -> None:
    """On SQLite, use WAL (readers don't block the writer) and enforce foreign keys."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA busy_timeout = 5000")
        cursor.close()
