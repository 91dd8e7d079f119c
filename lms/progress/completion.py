"""Module and course completion: recorded once, the first time the rule is met."""
from __future__ import annotations

from sqlalchemy import func, select

from .. import certificates
from ..database.dialect import upsert, upsert_statement
from ..enrolment import status
from ..extensions import db
from ..models import Course, CourseCompletion, Module, ModuleCompletion
from ..models.base import utcnow
from . import module_tallies


def record_completions(user_id: int, module_id: int, course_id: int | None = None) -> None:
    """If the module (and then its course) is now complete for the learner, record when (and certify the course)."""
    if course_id is None:
        course_id = db.session.scalar(select(Module.course_id).where(Module.id == module_id))
    tally = module_tallies(user_id, course_id).get(module_id)
    if tally is None or not tally.total or tally.completed < tally.total:
        return
    now = utcnow()
    first = db.session.execute(upsert_statement(
        db.session.get_bind().dialect.name, ModuleCompletion, ["user_id", "module_id"],
        dict(user_id=user_id, module_id=module_id, completed_at=now))).rowcount
    if first:
        status.note_module_completion(user_id, module_id, course_id)
    live_modules = select(Module.id).join(Module.course).where(
        Module.course_id == course_id, Module.visible(), Course.visible())
    missing = db.session.scalar(
        select(func.count()).select_from(live_modules.subquery())
    ) - db.session.scalar(
        select(func.count(ModuleCompletion.id))
        .where(ModuleCompletion.user_id == user_id, ModuleCompletion.module_id.in_(live_modules)))
    if missing == 0:
        upsert(CourseCompletion, ["user_id", "course_id"],
               dict(user_id=user_id, course_id=course_id, completed_at=now))
        status.note_completion(user_id, course_id, now)
        certificates.issue(user_id, course_id)  # same transaction: no completion without its certificate
