"""Fixed reads: the few statements that nearly every signed-in page runs, sent straight to the driver.

A page reads the signed-in user and the learner's progress, each with one fixed statement. Through the ORM
session and SQLAlchemy's execution layer each cost about a fifth of a lesson page, while the database's own
work was a fortieth: the layers process every parameter, build result objects and fire events on each call.
Here SQLAlchemy still builds the statement and compiles it (once per dialect), and the statement runs in the
session's transaction on the session's connection; only the call itself goes to the driver's cursor.

Driver errors come out as SQLAlchemy's own (a lost connection invalidated), so the error pages treat them
alike (lms/errors.py). While anything listens for statements (the tests' statement counter, echo), the
statement runs through SQLAlchemy, so that it is seen.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Executable
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.types import TypeEngine

from ..extensions import db


class FixedRead:
    """A SELECT whose text never changes, run with new parameter values by ``rows``."""

    def __init__(self, statement: Executable):
        self.statement = statement
        self._compiled: dict[str, tuple[str, list[tuple[str, Any, Callable | None]]]] = {}
        self._checked: set[str] = set()  # dialects whose driver was seen to give the columns as SQLAlchemy would

    def rows(self, **params: Any) -> list[tuple]:
        """The statement's rows, as plain tuples in the order of its columns."""
        connection = db.session.connection()
        if connection.dispatch.before_cursor_execute or connection.engine.echo:
            return [tuple(row) for row in connection.execute(self.statement, params)]
        dialect = connection.dialect
        sql, binds = self._compiled.get(dialect.name) or self._compile(dialect)
        values = [(name, _converted(params.get(name, fixed), convert)) for name, fixed, convert in binds]
        arguments = [value for _, value in values] if dialect.positional else dict(values)
        driver_connection = connection.connection.dbapi_connection
        cursor = driver_connection.cursor()
        try:
            cursor.execute(sql, arguments)
            if dialect.name not in self._checked:
                self._check_columns(dialect, cursor.description)
            return cursor.fetchall()
        except dialect.loaded_dbapi.Error as exc:
            raise _as_sqlalchemy_error(connection, exc, sql, arguments, cursor) from exc
        finally:
            cursor.close()

    def _compile(self, dialect: Dialect) -> tuple[str, list[tuple[str, Any, Callable | None]]]:
        """The statement's text for ``dialect``, and its parameters in order: name, value fixed in the statement
        (if any) and the conversion of its type."""
        compiled = self.statement.compile(dialect=dialect)
        names = compiled.positiontup if dialect.positional else compiled.binds
        binds = [(name, compiled.binds[name].value, _impl(compiled.binds[name].type, dialect).bind_processor(dialect))
                 for name in names]
        self._compiled[dialect.name] = entry = (str(compiled), binds)
        return entry

    def _check_columns(self, dialect: Dialect, description) -> None:
        """Refuse a column that SQLAlchemy would convert from what the driver gives (a datetime stored as text
        on SQLite): a fixed read hands on the driver's values. The driver's type codes are known only now."""
        for column, described in zip(self.statement.selected_columns, description, strict=True):
            if _impl(column.type, dialect).result_processor(dialect, described[1]) is not None:
                raise TypeError(f"a fixed read cannot convert its column {column.name!r}: select it another way")
        self._checked.add(dialect.name)


def _impl(type_: TypeEngine, dialect: Dialect) -> TypeEngine:
    return type_.dialect_impl(dialect)  # the dialect's own version of the type: it knows the conversions


def _converted(value: Any, convert: Callable | None) -> Any:
    return value if convert is None else convert(value)


def _as_sqlalchemy_error(connection: Connection, exc: Exception, sql: str, arguments, cursor) -> DBAPIError:
    """The driver's ``exc`` as SQLAlchemy raises it, with the connection invalidated when it was lost."""
    lost = connection.dialect.is_disconnect(exc, connection.connection.dbapi_connection, cursor)
    if lost:
        connection.invalidate(exc)
    return DBAPIError.instance(sql, arguments, exc, connection.dialect.loaded_dbapi.Error,
                               connection_invalidated=lost, dialect=connection.dialect)
