"""The schema's version: the head of the migrations, and the revisions a database records in alembic_version."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.orm import Session

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


@cache
def migrations_head() -> str:
    """The newest migration's revision, read once per process (loading the migration files takes ~10 ms).

    Once per process rather than per app: the tests build an app per test, and most never ask.
    """
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def recorded_revisions(session: Session) -> list[str]:
    """The revisions ``flask db upgrade`` recorded in this database (raises if it never ran)."""
    return list(session.execute(text("SELECT version_num FROM alembic_version")).scalars())
