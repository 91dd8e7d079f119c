"""Statements that SQLite and PostgreSQL spell differently: INSERT ... ON CONFLICT."""
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..extensions import db


def dialect_insert(dialect: str, table):
    """An INSERT that can say ON CONFLICT, for SQLite or PostgreSQL."""
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(table)


def upsert_statement(dialect: str, model, index_elements: list[str], values: dict, on_conflict: dict | None = None):
    """INSERT a row, or on a unique clash update ``on_conflict`` (or do nothing), for SQLite or PostgreSQL."""
    statement = dialect_insert(dialect, model).values(**values)
    if on_conflict:
        return statement.on_conflict_do_update(index_elements=index_elements, set_=on_conflict)
    return statement.on_conflict_do_nothing(index_elements=index_elements)


def upsert(model, index_elements: list[str], values: dict, on_conflict: dict | None = None) -> None:
    """Run ``upsert_statement`` in the app's session: race-free on both databases."""
    dialect = db.session.get_bind().dialect.name
    db.session.execute(upsert_statement(dialect, model, index_elements, values, on_conflict))
