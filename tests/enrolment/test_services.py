"""Cohorts, enrolments with due dates, members, moves and extensions, and the status rows they keep."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from lms import clock
from lms.enrolment import (
    EnrolmentError,
    PastDueDate,
    add_members,
    create_cohort,
    enrol_cohort,
    extend,
    find_cohort,
    find_course,
    find_person,
    move_member,
    remove_member,
    status,
)
from lms.extensions import db
from lms.models import Course, Enrolment, Lesson, StatusTally, User
from lms.people.manage import deactivate, reactivate
from lms.progress import mark_complete, record_view
from lms.progress.completion import record_completions

SOON, LATER = date.today() + timedelta(days=10), date.today() + timedelta(days=40)


@pytest.fixture
def course(app, content):
    with app.app_context():
        return db.session.scalar(select(Course)).id


def _row(user: User, course_id: int) -> Enrolment | None:
    return db.session.get(Enrolment, (user.id, course_id))


def _user(user) -> User:
    return db.session.get(User, user.id)


def test_a_member_of_an_enrolled_cohort_gets_a_status_row_with_the_due_date(app, course, make_user):
    person = make_user()
    with app.app_context():
        cohort = create_cohort("August round")
        enrol_cohort(cohort, db.session.get(Course, course), SOON)
        assert _row(person, course) is None
        assert add_members(cohort, [_user(person)]) == 1
        row = _row(person, course)
        assert (row.state, row.due_on, row.extended) == ("not started", SOON, False)


def test_the_earliest_due_date_of_several_cohorts_applies_unless_extended(app, course, make_user):
    person = make_user()
    with app.app_context():
        late, early = create_cohort("Late"), create_cohort("Early")
        the_course = db.session.get(Course, course)
        enrol_cohort(late, the_course, LATER)
        enrol_cohort(early, the_course, SOON)
        add_members(late, [_user(person)])
        assert _row(person, course).due_on == LATER
        add_members(early, [_user(person)])
        assert _row(person, course).due_on == SOON
        extend(_user(person), the_course, LATER + timedelta(days=5))
        row = _row(person, course)
        assert (row.due_on, row.extended) == (LATER + timedelta(days=5), True)


def test_activity_and_completion_move_the_state(app, course, make_user):
    person = make_user()
    with app.app_context():
        cohort = create_cohort("Round")
        enrol_cohort(cohort, db.session.get(Course, course), SOON)
        add_members(cohort, [_user(person)])
        lessons = list(db.session.scalars(select(Lesson)))
        record_view(person.id, lessons[0])
        assert _row(person, course).state == "in progress"
        for lesson in lessons:
            mark_complete(person.id, lesson)
            record_completions(person.id, lesson.module_id)
        row = _row(person, course)
        assert row.state == "completed" and row.completed_at is not None
        assert status.differences() == (0, [])


def test_moving_and_removing_members_and_deactivation_update_the_rows(app, course, make_user):
    person, admin = make_user(), make_user("admin")
    with app.app_context():
        first, second, unenrolled = create_cohort("First"), create_cohort("Second"), create_cohort("Unenrolled")
        the_course = db.session.get(Course, course)
        enrol_cohort(first, the_course, SOON)
        enrol_cohort(second, the_course, LATER)
        add_members(first, [_user(person)])
        move_member(_user(person), first, second)
        assert _row(person, course).due_on == LATER
        move_member(_user(person), second, unenrolled)
        assert _row(person, course) is None
        add_members(first, [_user(person)])
        deactivate(_user(admin), _user(person))
        assert _row(person, course) is None
        reactivate(_user(person))
        assert _row(person, course).due_on == SOON
        remove_member(first, _user(person))
        assert _row(person, course) is None


def test_refusals_name_what_was_asked_for(app, course, make_user):
    person = make_user(email="someone@example.org")
    with app.app_context():
        create_cohort("Round")
        with pytest.raises(EnrolmentError, match="already exists"):
            create_cohort("  round ")
        with pytest.raises(EnrolmentError, match="'Nope'"):
            find_cohort("Nope")
        with pytest.raises(EnrolmentError, match="'no-such-course'"):
            find_course("no-such-course")
        with pytest.raises(EnrolmentError, match=r"'ghost@example\.org'"):
            find_person("ghost@example.org")
        with pytest.raises(EnrolmentError, match="not enrolled"):
            extend(_user(person), db.session.get(Course, course), SOON)
        with pytest.raises(PastDueDate, match="in the past"):
            enrol_cohort(find_cohort("Round"), db.session.get(Course, course), clock.today() - timedelta(days=1))
        enrol_cohort(find_cohort("Round"), db.session.get(Course, course), clock.today() - timedelta(days=1),
                     confirmed=True)


def test_check_status_finds_a_tampered_row_and_rebuild_repairs_it(app, course, make_user):
    person = make_user()
    with app.app_context():
        cohort = create_cohort("Round")
        enrol_cohort(cohort, db.session.get(Course, course), SOON)
        add_members(cohort, [_user(person)])
        _row(person, course).state = "completed"
        db.session.flush()
        count, described = status.differences()
        assert count == 1 and "state is 'completed', should be 'not started'" in described[0]
        assert status.rebuild() == 1
        assert status.differences() == (0, [])


def test_tallies_follow_the_rows_and_check_status_finds_a_wrong_one(app, course, make_user):
    person = make_user()
    with app.app_context():
        cohort = create_cohort("Round")
        enrol_cohort(cohort, db.session.get(Course, course), SOON)
        add_members(cohort, [_user(person)])
        record_view(person.id, db.session.scalar(select(Lesson).order_by(Lesson.id)))
        tallies = {(t.cohort_id, t.state): t.n for t in db.session.scalars(select(StatusTally)) if t.n}
        assert tallies == {(0, "in progress"): 1, (cohort.id, "in progress"): 1}
        db.session.execute(update(StatusTally).where(StatusTally.n > 0).values(n=StatusTally.n + 1))
        count, described = status.differences()
        assert count == 2 and "status_tally" in described[0] and "is 2, should be 1" in described[0]
        status.rebuild()
        assert status.differences() == (0, [])
