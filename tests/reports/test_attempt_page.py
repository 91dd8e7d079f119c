"""A learner's submitted attempt, for coordinators (in their regions), admins and trainers: every answer shown."""
from sqlalchemy import select

from lms.extensions import db
from lms.models import QuizAttempt, User
from tests.helpers import signed_in_client
from tests.quizzes.helpers import start, submit


def test_staff_open_a_submitted_attempt_within_their_scope(app, org, coordinator, africa_coordinator, make_user):
    with app.app_context():
        d2 = db.session.get(User, org["d2"])  # Embassy A, Europe
        db.session.expunge(d2)
    learner = signed_in_client(app, d2)
    sheet = start(learner)
    submit(learner, sheet, right=True)
    with app.app_context():
        attempt_id = db.session.scalar(select(QuizAttempt.id).where(QuizAttempt.user_id == org["d2"]))
    page = f"/reports/attempts/{attempt_id}"
    shown = signed_in_client(app, coordinator).get(page)
    assert shown.status_code == 200 and "attempt 1 by D2" in shown.get_data(as_text=True)
    assert "Their answer:" in shown.get_data(as_text=True)
    person = signed_in_client(app, coordinator).get(f"/reports/learners/{org['d2']}").get_data(as_text=True)
    assert f'href="{page}"' in person
    assert signed_in_client(app, make_user("trainer")).get(page).status_code == 200
    assert signed_in_client(app, africa_coordinator).get(page).status_code == 404  # a Europe learner
    assert learner.get(page).status_code == 403  # the learner has their own review page


def test_an_attempt_in_progress_is_not_shown(app, org, coordinator):
    with app.app_context():
        d4 = db.session.get(User, org["d4"])
        db.session.expunge(d4)
    start(signed_in_client(app, d4))
    with app.app_context():
        attempt_id = db.session.scalar(select(QuizAttempt.id).where(QuizAttempt.user_id == org["d4"]))
    assert signed_in_client(app, coordinator).get(f"/reports/attempts/{attempt_id}").status_code == 404
