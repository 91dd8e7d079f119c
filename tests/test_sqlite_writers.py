"""SQLite under many writers: read-then-write transactions wait for the lock instead of failing."""
import os
import threading

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import Lesson, LessonProgress
from lms.progress import mark_complete

pytestmark = pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="SQLite's locking only")


def test_fifty_concurrent_writers_never_see_database_is_locked(app, content, make_user):
    users = [make_user() for _ in range(50)]
    with app.app_context():
        lesson_ids = list(db.session.scalars(select(Lesson.id)))
    errors, barrier = [], threading.Barrier(len(users))

    def learner(user):
        barrier.wait()
        for lesson_id in lesson_ids:
            try:
                with app.app_context():
                    # Read first, then write: the pattern that fails with "database is locked"
                    # when a deferred transaction must upgrade after another worker wrote.
                    lesson = db.session.get(Lesson, lesson_id)
                    db.session.scalar(select(func.count(LessonProgress.id)))
                    mark_complete(user.id, lesson)
                    db.session.commit()
            except Exception as exc:
                errors.append(repr(exc))

    threads = [threading.Thread(target=learner, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with app.app_context():
        done = db.session.scalar(select(func.count(LessonProgress.id)).where(LessonProgress.completed_at.is_not(None)))
    assert done == len(users) * len(lesson_ids)
