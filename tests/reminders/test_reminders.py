"""Reminders with a fake clock: the right people, the right kinds, once each, whoever runs the scheduler."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from lms.enrolment import extend, status
from lms.extensions import db
from lms.models import Course, CourseCompletion, OutboxMessage, User
from tests.fixtures.app import dispose, make_test_app
from tests.helpers import csrf_token

from .conftest import DUE, at, days, reminders_only, user

SUBJECT = "Reminder: Introduction course is due on 2026-06-10"


def test_each_unfinished_learner_gets_each_reminder_once(app, round_, run):
    assert run(at(DUE - days(8))) == []
    first = run(at(DUE - days(7), hour=0))  # from the start of the day, 7 days before
    assert first == [("amy@example.org", SUBJECT, f"reminder:{round_['amy']}:{round_['course']}:before-7:2026-06-10"),
                     ("ben@example.org", SUBJECT, f"reminder:{round_['ben']}:{round_['course']}:before-7:2026-06-10")]
    assert run(at(DUE - days(7), hour=23)) == [] and run(at(DUE - days(2))) == []
    assert reminders_only(run(at(DUE - days(1)))) == [("amy@example.org", "before-1"), ("ben@example.org", "before-1")]
    assert run(at(DUE)) == []  # due today is not overdue yet


def test_overdue_reminders_come_weekly_and_stop_after_four(app, round_, run):
    run(at(DUE - days(1)))
    kinds = [reminders_only(run(at(DUE + days(n)))) for n in range(1, 60)]
    sent = [(n + 1, found) for n, found in enumerate(kinds) if found]
    assert [(n, {kind for _address, kind in found}) for n, found in sent] == [
        (1, {"overdue-1"}), (8, {"overdue-2"}), (15, {"overdue-3"}), (22, {"overdue-4"})]
    assert all(len(found) == 2 for _n, found in sent)  # amy and ben; cat finished, dan opted out


def test_two_schedulers_and_two_hosts_write_each_reminder_once(app, round_, run, database_url):
    other = make_test_app(database_url)  # a second host on the same database
    try:
        moment = at(DUE - days(1))
        assert len(run(moment)) == 2
        assert run(moment) == [] and run(moment, on=other) == []
    finally:
        dispose(other)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2


def test_late_enrolment_gets_only_the_latest_reminder_due(app, round_, run):
    latest = [("amy@example.org", "overdue-2"), ("ben@example.org", "overdue-2")]
    assert reminders_only(run(at(DUE + days(10)))) == latest
    assert run(at(DUE + days(11))) == []


def test_finishing_stops_reminders(app, round_, run):
    run(at(DUE - days(7)))
    with app.app_context():
        db.session.add(CourseCompletion(user_id=round_["amy"], course_id=round_["course"],
                                        completed_at=at(DUE - days(3))))
        status.refresh([round_["amy"]])
        db.session.commit()
    later = [address for n in (1, 2, 9) for address, _kind in reminders_only(run(at(DUE + days(n - 2))))]
    assert "amy@example.org" not in later and "ben@example.org" in later


def test_an_extension_starts_a_new_series(app, round_, run):
    run(at(DUE + days(1)))
    with app.app_context():
        extend(db.session.get(User, round_["ben"]), db.session.get(Course, round_["course"]), DUE + days(30),
               confirmed=True)
        db.session.commit()
    assert reminders_only(run(at(DUE + days(8)))) == [("amy@example.org", "overdue-2")]
    found = run(at(DUE + days(23)))
    assert ("ben@example.org", "Reminder: Introduction course is due on 2026-07-10") in [m[:2] for m in found]


def test_a_learner_can_opt_out_and_back_in(app, round_, run, client, login):
    login(user(app, round_["amy"]))
    page = client.get("/progress").get_data(as_text=True)
    assert "Stop reminders" in page
    response = client.post("/progress/reminders", data={"csrf_token": csrf_token(page), "wants": "off"})
    assert response.status_code == 302
    assert "Send me reminders" in client.get("/progress").get_data(as_text=True)
    assert reminders_only(run(at(DUE - days(7)))) == [("ben@example.org", "before-7")]
    with app.app_context():  # coordinators still see her: her status row stays
        assert status.differences()[0] == 0
        assert db.session.scalar(select(func.count()).where(status.Enrolment.user_id == round_["amy"])) == 1
    page = client.get("/progress").get_data(as_text=True)
    client.post("/progress/reminders", data={"csrf_token": csrf_token(page), "wants": "on"})
    assert reminders_only(run(at(DUE - days(1))))[0] == ("amy@example.org", "before-1")


def test_a_bad_opt_out_post_changes_nothing(app, round_, client, login):
    login(user(app, round_["amy"]))
    page = client.get("/progress").get_data(as_text=True)
    client.post("/progress/reminders", data={"csrf_token": csrf_token(page), "wants": "maybe"})
    with app.app_context():
        assert db.session.get(User, round_["amy"]).wants_reminders is True


def test_days_before_start_at_midnight_in_the_timezone(app, round_, run):
    app.config["TIMEZONE"] = "Asia/Karachi"  # UTC+5: 7 days before begins at 19:00 UTC the day before
    assert run(datetime(2026, 6, 2, 18, 59, tzinfo=UTC)) == []
    assert len(run(datetime(2026, 6, 2, 19, 0, tzinfo=UTC))) == 2


def test_without_public_url_the_email_says_where_to_sign_in(app, round_, run):
    run(at(DUE - days(7)))
    with app.app_context():
        body = db.session.scalar(select(OutboxMessage.body).order_by(OutboxMessage.id))
    assert "http" not in body and "Sign in to the Digital Diplomacy Academy" in body and "2026-06-10" in body
    app.config["PUBLIC_URL"] = "https://academy.example.gov"
    run(at(DUE - days(1)))
    with app.app_context():
        body = db.session.scalar(select(OutboxMessage.body).order_by(OutboxMessage.id.desc()))
    assert "Continue here: https://academy.example.gov/courses/intro-course/" in body
