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
