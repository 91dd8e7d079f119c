"""Every POST route refuses a request without a valid CSRF token: 400, and nothing is written."""
import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import OutboxMessage, PasswordToken, QuizAttempt, User
from lms.people.tokens import issue_link
from tests.helpers import PASSWORD, csrf_token, table_rows
from tests.quizzes.helpers import QUIZ, start
from tests.routes import routes

POST_ROUTES = [pytest.param(route, id=route.endpoint) for route in routes("POST")]
# Form fields that would satisfy most forms, so only the missing token stands in the way.
FORM = {"email": "someone@example.org", "password": "a brand new long passphrase", "confirm":
        "a brand new long passphrase", "roles": ["diplomat"], "title": "Changed by a forged form",
        "slug": "forged", "body": "forged", "direction": "down", "q0": "0", "q2": "true", "q3": "alt text",
        "q4": "60", "cohort": "", "payload": "x", "summary": "forged"}


def test_the_list_covers_the_known_post_routes():
    endpoints = {p.values[0].endpoint for p in POST_ROUTES}
    assert {"auth.login", "auth.logout", "learn.complete", "quizzes.start", "quizzes.take", "people.set_password",
            "admin.roles", "admin.deactivate_user", "studio.publish", "studio.edit_quiz"} <= endpoints
    assert len(endpoints) >= 20


@pytest.fixture
def signed_in_admin(app, client, quiz_content, make_user, login):
    """An admin with every role, signed in, owning an attempt in progress; plus a second account."""
    admin = make_user("diplomat", "trainer", "coordinator", "admin", email="boss@example.org")
    other = make_user("diplomat", email="other@example.org")
    login(admin)
    sheet = start(client)
    with app.app_context():
        attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.user_id == admin.id))
        token = issue_link(db.session.get(User, other.id))
        failed = OutboxMessage(recipient=other.email, subject="Failed", body="-", status="failed")
        db.session.add(failed)
        db.session.commit()
    assert sheet.endswith(f"/{attempt.id}")
    return {"attempt_id": attempt.id, "user_id": other.id, "token": token, "object_id": 1, "revision_id": 1,
            "kind": "lesson", "course_slug": "intro-course", "module_slug": "basics", "lesson_slug": "first-steps",
            "filename": "square.svg", "region": "Europe", "code": "EMB-BER", "quiz_id": 1,
            "message_id": failed.id}


@pytest.mark.parametrize("route", POST_ROUTES)
def test_post_without_token_is_refused_and_writes_nothing(app, client, signed_in_admin, route):
    kinds = ["lesson", "module", "course"] if "kind" in route.arguments else [None]
    for kind in kinds:
        values = {**signed_in_admin, "kind": kind or "lesson"}
        for path in route.urls(values):
            before = table_rows(app)
            response = client.post(path, data=FORM)
            assert response.status_code == 400, (path, response.status_code)
            assert "expired or was sent from elsewhere" in response.get_data(as_text=True)
            assert table_rows(app) == before, path
    assert client.get("/").status_code == 200  # still signed in: not even logout went through


def test_public_posts_refuse_a_missing_token(app, client, make_user):
    user = make_user("diplomat", email="public@example.org")
    with app.app_context():
        token = issue_link(db.session.get(User, user.id))
        db.session.commit()
    before_hash = _password_hash(app, user.id)
    client.get("/login")  # a session with its own CSRF token exists; the form just does not carry it
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302  # not signed in
    client.get(f"/set-password/{token}")
    response = client.post(f"/set-password/{token}", data={"password": FORM["password"], "confirm": FORM["confirm"]})
    assert response.status_code == 400
    assert _password_hash(app, user.id) == before_hash
    with app.app_context():
        assert db.session.scalar(select(PasswordToken.used_at)) is None


def _password_hash(app, user_id):
    with app.app_context():
        return db.session.get(User, user_id).password_hash


def test_a_token_from_another_session_is_refused_at_login(app, make_user):
    user = make_user("diplomat", email="victim@example.org")
    a, b = app.test_client(), app.test_client()
    token_a = csrf_token(a.get("/login").get_data(as_text=True))
    token_b = csrf_token(b.get("/login").get_data(as_text=True))
    assert token_a != token_b
    response = b.post("/login", data={"csrf_token": token_a, "email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert b.get("/").status_code == 302
    # The same request with B's own token works, so the refusal above is about the token.
    assert b.post("/login", data={"csrf_token": token_b, "email": user.email,
                                  "password": PASSWORD}).status_code == 302


def test_a_token_from_another_signed_in_session_is_refused(app, quiz_content, make_user):
    alice, bob = make_user("diplomat", email="alice@example.org"), make_user("diplomat", email="bob@example.org")
    a, b = app.test_client(), app.test_client()
    for client, user in ((a, alice), (b, bob)):
        page = client.get("/login").get_data(as_text=True)
        assert client.post("/login", data={"csrf_token": csrf_token(page), "email": user.email,
                                           "password": PASSWORD}).status_code == 302
    token_a = csrf_token(a.get(QUIZ).get_data(as_text=True))
    b.get(QUIZ)  # B has a CSRF token of its own in its session
    response = b.post(QUIZ + "/start", data={"csrf_token": token_a})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(QuizAttempt)) is None
    # A's token still works for A.
    assert a.post(QUIZ + "/start", data={"csrf_token": token_a}).status_code == 302
