"""A GET never changes stored data, except noting that a lesson was opened (views and activity times)."""
import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import PasswordToken, Quiz, User
from lms.people.tokens import issue_link
from tests.helpers import signed_in_client, table_rows
from tests.quizzes.helpers import start, submit
from tests.routes import routes

VIEW_TABLES = {"lesson_progress", "course_activity"}
CSV_ENDPOINTS = {"reports.dashboard", "reports.region", "reports.mission", "reports.learner", "reports.quiz"}


@pytest.fixture
def world(app, org, make_user):
    """The org, a learner with a submitted and an in-progress attempt, and one user per role, signed in."""
    people = {role: make_user(role, email=f"{role}@example.org", mission="EMB-A")
              for role in ("diplomat", "trainer", "coordinator", "admin")}
    clients = {role: signed_in_client(app, user) for role, user in people.items()}
    clients["anonymous"] = app.test_client()
    learner = clients["diplomat"]
    assert submit(learner, start(learner)).status_code == 302
    in_progress = start(learner)
    with app.app_context():
        quiz_id = db.session.scalar(select(Quiz.id))
        token = issue_link(db.session.get(User, org["d3"]))
        db.session.commit()
    values = {
        "attempt_id": [1, int(in_progress.rsplit("/", 1)[1])], "user_id": [org["d1"], org["d3"]],
        "code": ["EMB-A", "EMB-C"], "region": ["Europe", "Africa"], "quiz_id": quiz_id, "token": token,
        "kind": ["course", "module", "lesson"], "object_id": 1, "revision_id": 1, "filename": "square.svg",
        "course_slug": "intro-course", "module_slug": "basics", "lesson_slug": "first-steps",
    }
    paths = []
    for route in routes("GET"):
        for path in route.urls(values):
            paths.append(path)
            if route.endpoint in CSV_ENDPOINTS:
                paths += [path + "?export=csv", path + "?export=csv&table=mission", path + "?export=csv&table=module"]
    return clients, paths, people


@pytest.mark.parametrize("who", ["anonymous", "diplomat", "trainer", "coordinator", "admin"])
def test_gets_change_nothing_but_lesson_views(app, world, who):
    clients, paths, people = world
    assert len(paths) > 40
    before = table_rows(app)
    statuses = {}
    for path in paths:
        statuses[path] = clients[who].get(path).status_code
    after = table_rows(app)
    assert 500 not in statuses.values(), [p for p, s in statuses.items() if s == 500]
    if who != "anonymous":
        assert statuses["/"] == (302 if who == "coordinator" else 200)  # coordinators land on the dashboard

    for table in before:
        if table in VIEW_TABLES or table == "user":
            continue
        assert after[table] == before[table], f"GET as {who} changed table {table}"

    # user: only last_login_at may move, and only forward.
    assert len(after["user"]) == len(before["user"])
    for old, new in zip(before["user"], after["user"], strict=True):
        assert {k: v for k, v in old.items() if k != "last_login_at"} == \
               {k: v for k, v in new.items() if k != "last_login_at"}
        assert old["last_login_at"] is None or (new["last_login_at"] and new["last_login_at"] >= old["last_login_at"])

    me = people[who].id if who in people else None
    # lesson_progress: rows may be added (viewed, never completed) or have their last view moved forward.
    old_rows = {row["id"]: row for row in before["lesson_progress"]}
    for row in after["lesson_progress"]:
        old = old_rows.pop(row["id"], None)
        if old is None:
            assert row["user_id"] == me and row["completed_at"] is None and row["viewed_at"] is not None
        else:
            assert {k: v for k, v in row.items() if k != "last_viewed_at"} == \
                   {k: v for k, v in old.items() if k != "last_viewed_at"}
            assert row["last_viewed_at"] >= old["last_viewed_at"]
            if row != old:
                assert row["user_id"] == me
    assert not old_rows, "a GET deleted lesson progress"

    # course_activity: rows may be added, or their last activity moved forward; first_at never changes.
    old_activity = {(row["user_id"], row["course_id"]): row for row in before["course_activity"]}
    for row in after["course_activity"]:
        old = old_activity.pop((row["user_id"], row["course_id"]), None)
        if old is None:
            assert row["user_id"] == me
        else:
            assert row["first_at"] == old["first_at"] and row["last_at"] >= old["last_at"]
            if row != old:
                assert row["user_id"] == me
    assert not old_activity, "a GET deleted course activity"
    if who in ("diplomat", "trainer", "admin"):  # opening a lesson is recorded: the exception is real
        assert any(r["user_id"] == me for r in after["lesson_progress"])
    else:
        assert after["lesson_progress"] == before["lesson_progress"]
        assert after["course_activity"] == before["course_activity"]


def test_viewing_a_set_password_link_does_not_use_it(app, org, client):
    with app.app_context():
        token = issue_link(db.session.get(User, org["d2"]))
        db.session.commit()
    assert client.get(f"/set-password/{token}").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(PasswordToken.used_at)) is None
