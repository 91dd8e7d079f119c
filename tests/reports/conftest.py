"""A small organisation whose dashboard figures are worked out by hand in the tests."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from lms.accounts import create_mission, create_user
from lms.extensions import db
from lms.progress import mark_complete, record_view
from lms.models import (
    Cohort, CohortMember, CoordinatorRegion, Course, CourseCompletion, Lesson, Module, ModuleCompletion,
)
from tests.conftest import PASSWORD

COMPLETED_AT = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def org(app, quiz_content):
    """Missions in Europe (EMB-A, EMB-B) and Africa (EMB-C); two cohorts on the test course.

    d1 (EMB-A): completed the course on 10 March 2026; in Round 1 (overdue date) and Round 2.
    d2 (EMB-A): opened a lesson; Round 1, so overdue.
    d3 (EMB-C): nothing yet; Round 1, so overdue.
    d4 (EMB-B): opened a lesson; Round 2 (due in the future).
    """
    with app.app_context():
        for code, region in [("EMB-A", "Europe"), ("EMB-B", "Europe"), ("EMB-C", "Africa")]:
            create_mission(code, f"Embassy {code[-1]}", "Country", region)
        people = {name: create_user(f"{name}@example.org", name.upper(), PASSWORD, ["diplomat"], mission)
                  for name, mission in [("d1", "EMB-A"), ("d2", "EMB-A"), ("d3", "EMB-C"), ("d4", "EMB-B")]}
        course = db.session.scalar(select(Course))
        yesterday, later = date.today() - timedelta(days=1), date.today() + timedelta(days=30)
        round1 = Cohort(name="Round 1", due_on=yesterday, courses=[course])
        round2 = Cohort(name="Round 2", due_on=later, courses=[course])
        db.session.add_all([round1, round2])
        db.session.flush()
        for cohort, names in [(round1, ["d1", "d2", "d3"]), (round2, ["d4", "d1"])]:
            db.session.add_all(CohortMember(cohort_id=cohort.id, user_id=people[n].id) for n in names)
        lesson = db.session.scalar(select(Lesson).order_by(Lesson.id))
        for name in ("d1", "d2", "d4"):
            record_view(people[name].id, lesson)
        mark_complete(people["d1"].id, lesson)
        for module in db.session.scalars(select(Module)):
            db.session.add(ModuleCompletion(user_id=people["d1"].id, module_id=module.id, completed_at=COMPLETED_AT))
        db.session.add(CourseCompletion(user_id=people["d1"].id, course_id=course.id, completed_at=COMPLETED_AT))
        db.session.commit()
        return {name: user.id for name, user in people.items()} | {"course": course.id, "round1": round1.id,
                                                                   "round2": round2.id}


@pytest.fixture
def coordinator(app, make_user):
    """A coordinator who sees every region."""
    return make_user("coordinator")


@pytest.fixture
def africa_coordinator(app, make_user):
    """A coordinator limited to Africa."""
    user = make_user("coordinator")
    with app.app_context():
        db.session.add(CoordinatorRegion(user_id=user.id, region="Africa"))
        db.session.commit()
    return user
