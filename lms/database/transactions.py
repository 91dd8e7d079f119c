"""Per-request write intent: whether a transaction will write decides how it begins on SQLite."""
from contextlib import contextmanager
from contextvars import ContextVar

from flask import current_app, request

from ..extensions import db

# Whether transactions in this context will write. On SQLite a transaction that reads and then
# writes cannot wait for the lock once another worker has written ("database is locked"), so
# writing transactions take the write lock up front (BEGIN IMMEDIATE) and wait their turn.
WILL_WRITE: ContextVar[bool] = ContextVar("will_write", default=True)


def note_request_kind() -> None:
    """Before each request: will its transaction write? (Decides BEGIN IMMEDIATE on SQLite.)

    A GET that records something (the lesson page), and a POST view marked ``reads_first``, read
    first and then write in a short transaction of their own, through ``write_transaction``.
    """
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
