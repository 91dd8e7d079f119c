"""Home lists the learner's enrolled courses with their due dates, most urgent first."""
from datetime import date, timedelta

from sqlalchemy import select

from lms.enrolment import DueDate, add_members, create_cohort, enrol_cohort, extend, urgency
from lms.extensions import db
from lms.models import Course, User


def test_home_shows_due_dates_and_overdue(app, client, content, make_user, login):
    person = make_user()
    soon = date.today() + timedelta(days=3)
    with app.app_context():
        course = db.session.scalar(select(Course))
        cohort = create_cohort("Round")
        enrol_cohort(cohort, course, soon)
        add_members(cohort, [db.session.get(User, person.id)])
        db.session.commit()
    login(person)
    page = client.get("/").get_data(as_text=True)
    assert f'Due on <time datetime="{soon}">{soon}</time> (in 3 days)' in page
    assert "Introduction course" in page.split("My courses")[1].split("More courses")[0]
    with app.app_context():
        extend(db.session.get(User, person.id), db.session.scalar(select(Course)), date.today() - timedelta(days=2),
               confirmed=True)
        db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "<strong>Overdue</strong>" in page and "(2 days ago), extended" in page


def test_unfinished_courses_come_first_by_due_date():
    today = date(2026, 9, 1)
    later = DueDate(1, date(2026, 10, 1), False, "in progress")
    sooner = DueDate(2, date(2026, 9, 5), False, "not started")
    done, undated = DueDate(3, date(2026, 8, 1), False, "completed"), DueDate(4, None, False, "not started")
    ordered = sorted([done, undated, later, sooner], key=urgency)
    assert [d.course_id for d in ordered] == [2, 1, 4, 3]
    assert sooner.days_left(today) == 4 and not sooner.is_overdue(today) and done.days_left(today) < 0
    assert not done.is_overdue(today) and DueDate(5, date(2026, 8, 31), False, "in progress").is_overdue(today)
