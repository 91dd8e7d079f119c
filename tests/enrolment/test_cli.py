"""create-cohort, enrol, extend and check-status from the command line."""
from datetime import date, timedelta

from sqlalchemy import select, update

from lms.enrolment import add_members, find_cohort
from lms.extensions import db
from lms.models import Enrolment, User

SOON = (date.today() + timedelta(days=10)).isoformat()
PAST = (date.today() - timedelta(days=3)).isoformat()


def test_a_round_from_the_command_line(app, runner, content, make_user):
    person = make_user(email="amina@example.org")
    assert runner.invoke(args=["create-cohort", "August round"]).exit_code == 0
    result = runner.invoke(args=["enrol", "August round", "intro-course", "--due", SOON])
    assert result.exit_code == 0, result.output
    with app.app_context():
        add_members(find_cohort("August round"), [db.session.get(User, person.id)])
        db.session.commit()
    later = (date.today() + timedelta(days=20)).isoformat()
    result = runner.invoke(args=["extend", "AMINA@example.org", "intro-course", "--due", later])
    assert result.exit_code == 0, result.output
    with app.app_context():
        row = db.session.scalar(select(Enrolment))
        assert (row.user_id, row.due_on.isoformat(), row.extended) == (person.id, later, True)


def test_unknown_names_are_named_and_a_past_date_needs_yes(app, runner, content):
    assert runner.invoke(args=["create-cohort", "Round"]).exit_code == 0
    result = runner.invoke(args=["create-cohort", "round"])
    assert result.exit_code == 1 and "already exists" in result.output
    result = runner.invoke(args=["enrol", "Nope", "intro-course", "--due", SOON])
    assert result.exit_code == 1 and "'Nope'" in result.output
    result = runner.invoke(args=["enrol", "Round", "missing-course", "--due", SOON])
    assert result.exit_code == 1 and "'missing-course'" in result.output
    result = runner.invoke(args=["extend", "ghost@example.org", "intro-course", "--due", SOON])
    assert result.exit_code == 1 and "'ghost@example.org'" in result.output
    result = runner.invoke(args=["enrol", "Round", "intro-course", "--due", "30/09/2026"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
    result = runner.invoke(args=["enrol", "Round", "intro-course", "--due", PAST])
    assert result.exit_code == 2 and "in the past" in result.output and "--yes" in result.output
    assert runner.invoke(args=["enrol", "Round", "intro-course", "--due", PAST, "--yes"]).exit_code == 0


def test_check_status_reports_and_repairs_differences(app, runner, org):
    assert runner.invoke(args=["check-status"]).exit_code == 0
    with app.app_context():
        db.session.execute(update(Enrolment).where(Enrolment.user_id == org["d3"]).values(state="completed"))
        db.session.commit()
    result = runner.invoke(args=["check-status"])
    assert result.exit_code == 1 and f"learner {org['d3']}" in result.output
    assert "1 status row(s) differ" in result.output
    result = runner.invoke(args=["check-status", "--repair"])
    assert result.exit_code == 0 and "Repaired" in result.output
    assert runner.invoke(args=["check-status"]).exit_code == 0
