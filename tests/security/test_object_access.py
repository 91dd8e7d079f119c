"""Learners see only their own attempts and progress; coordinators only their regions; roles stay in their lane."""
import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import QuizAttempt
from tests.helpers import csrf_token, signed_in_client, table_rows
from tests.quizzes.helpers import answers, start, submit
from tests.routes import routes

SAMPLE = {"code": "EMB-A", "message_id": 1}  # the org's missions; the rest of the arguments from tests/routes.py


@pytest.fixture
def two_learners(app, quiz_content, make_user):
    alice = make_user("diplomat", email="alice.anders@example.org", name="Alice Anders")
    bob = make_user("diplomat", email="bob.brown@example.org", name="Bob Brown")
    return alice, signed_in_client(app, alice), bob, signed_in_client(app, bob)


def test_another_learners_attempt_sheet_is_not_found_and_cannot_be_submitted(app, two_learners):
    alice, a, _bob, b = two_learners
    sheet = start(a)
    assert b.get(sheet).status_code == 404
    alice_html = a.get(sheet).get_data(as_text=True)
    b.get("/courses/")  # Bob's own session token
    bob_token = csrf_token(b.get("/courses/intro-course/basics/quiz").get_data(as_text=True))
    before = table_rows(app)
    response = b.post(sheet, data={"csrf_token": bob_token, **answers(alice_html, right=True)})
    assert response.status_code in (403, 404)
    assert b.get(sheet + "/review").status_code in (403, 404)
    assert table_rows(app) == before
    with app.app_context():
        attempt = db.session.scalar(select(QuizAttempt))
        assert attempt.user_id == alice.id and attempt.submitted_at is None


def test_another_learners_review_is_not_found(app, two_learners):
    _alice, a, _bob, b = two_learners
    sheet = start(a)
    assert submit(a, sheet).status_code == 302
    assert a.get(sheet + "/review").status_code == 200
    for url in (sheet, sheet + "/review"):
        response = b.get(url)
        assert response.status_code in (403, 404), url
        assert "SECRET-" not in response.get_data(as_text=True)


def test_no_page_a_learner_can_open_shows_another_learners_progress(app, two_learners):
    alice, a, _bob, b = two_learners
    sheet = start(a)
    assert submit(a, sheet).status_code == 302
    a.get("/courses/intro-course/basics/first-steps")
    attempt_id = int(sheet.rsplit("/", 1)[1])
    values = {**SAMPLE, "attempt_id": attempt_id, "user_id": alice.id}
    opened = 0
    for route in routes("GET"):
        for path in route.urls(values):
            response = b.get(path)
            html = response.get_data(as_text=True)
            assert "alice" not in html.lower() and "Anders" not in html, path
            assert sheet not in html, path
            opened += response.status_code == 200
    assert opened >= 6  # home, catalogue, course, lesson, progress, quiz overview at least
    # Bob's quiz overview and progress show nothing of Alice's attempt.
    overview = b.get("/courses/intro-course/basics/quiz").get_data(as_text=True)
    assert f"/quiz/attempts/{attempt_id}" not in overview
    assert f"/quiz/attempts/{attempt_id}" in a.get("/courses/intro-course/basics/quiz").get_data(as_text=True)


def test_region_coordinator_gets_404_outside_their_region(app, org, africa_coordinator):
    client = signed_in_client(app, africa_coordinator)
    europe, africa = org["d1"], org["d3"]
    for url in (f"/reports/learners/{europe}", f"/reports/learners/{europe}?export=csv",
                "/reports/missions/EMB-A", "/reports/missions/EMB-A?export=csv",
                "/reports/regions/Europe", "/reports/regions/Europe?export=csv"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "D1@example.org".lower() not in response.get_data(as_text=True).lower()
    # Their own region works, so the 404 is about the region.
    assert client.get(f"/reports/learners/{africa}").status_code == 200
    csv = client.get(f"/reports/learners/{africa}?export=csv")
    assert csv.status_code == 200 and "d3@example.org" in csv.get_data(as_text=True)
    # Region-wide pages they can open list no Europe learner.
    for url in ("/reports/", "/reports/?export=csv", "/reports/?export=csv&table=mission",
                "/reports/quizzes/1", "/reports/regions/Africa?export=csv", "/people/", "/people/links"):
        body = client.get(url).get_data(as_text=True).lower()
        for name in ("d1", "d2", "d4"):
            assert f"{name}@example.org" not in body, url
        assert "emb-a" not in body and "emb-b" not in body, url


def test_a_coordinator_cannot_reach_admin_pages(app, org, coordinator):
    client = signed_in_client(app, coordinator)
    values = {**SAMPLE, "user_id": coordinator.id}
    assert client.get("/reports/").status_code == 200
    # Coordinators cannot learn, so take a CSRF token from a page they can open that has a form.
    page = client.get("/people/links").get_data(as_text=True)
    token = csrf_token(page)
    checked = 0
    for route in routes(prefix="/admin/"):
        for path in route.urls(values):
            if "GET" in route.methods:
                assert client.get(path).status_code == 403, path
            if "POST" in route.methods:
                before = table_rows(app)
                response = client.post(path, data={"csrf_token": token, "roles": ["admin", "coordinator"]})
                assert response.status_code == 403, path
                assert table_rows(app) == before, path
            checked += 1
    assert checked >= 6


def test_a_trainer_cannot_reach_reports_or_people(app, org, make_user):
    trainer = make_user("trainer", email="trainer@example.org")
    client = signed_in_client(app, trainer)
    assert client.get("/studio/").status_code == 200
    token = csrf_token(client.get("/courses/intro-course/basics/quiz").get_data(as_text=True))
    values = {**SAMPLE, "user_id": org["d1"]}
    checked = 0
    for route in routes(prefix="/reports/") + routes(prefix="/people/"):
        if route.endpoint == "reports.attempt":  # trainers read attempts (tests/reports/test_attempt_page.py)
            continue
        for path in route.urls(values):
            if "GET" in route.methods:
                for url in (path, path + "?export=csv"):
                    assert client.get(url).status_code == 403, url
            if "POST" in route.methods:
                before = table_rows(app)
                assert client.post(path, data={"csrf_token": token}).status_code == 403, path
                assert table_rows(app) == before, path
            checked += 1
    assert checked >= 9
