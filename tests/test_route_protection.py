"""Every route in the URL map has an expected audience, and refuses everyone else, for GET and POST alike.

The routes come from the app's URL map, so a new route without an entry in AUDIENCE fails here instead of
shipping unprotected. Each identity signs in through the login form and posts with a valid CSRF token taken
from a page, so only the role check stands between it and the view; each request runs against a fresh copy
of the same small world (one role's deactivation or retirement never changes what the next one sees).
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.accounts import create_mission, create_user
from lms.enrolment import add_members, create_cohort, enrol_cohort
from lms.extensions import db
from lms.models import (
    Cohort,
    CoordinatorRegion,
    Course,
    Lesson,
    Module,
    OutboxMessage,
    Quiz,
    QuizAttempt,
    Revision,
    User,
)
from lms.people.tokens import issue_link
from tests.fixtures.databases import database_template
from tests.helpers import PASSWORD, csrf_token, sign_in, signed_in_client, table_rows
from tests.quizzes.helpers import start
from tests.routes import routes

EVERY_ROLE = {"diplomat", "trainer", "coordinator", "admin"}
LEARNERS = {"diplomat", "trainer", "admin"}
COORDINATORS = {"coordinator", "admin"}
AUDIENCE = {  # blueprint (or endpoint) -> roles allowed; None means public
    "static": None, "auth.login": None, "ops.healthz": None, "ops.readyz": None,
    "metrics": None,  # the walk comes from 127.0.0.1, which METRICS_ALLOW lets in; others: tests/observe
    "auth.logout": EVERY_ROLE, "learn.home": EVERY_ROLE,
    "learn": LEARNERS, "quizzes": LEARNERS, "reports": COORDINATORS,
    "people.set_password": None, "people": COORDINATORS, "admin": {"admin"},
    "studio": {"trainer", "admin"}, "outbox": {"admin"},
    "certificates": LEARNERS, "certificates.revoke_certificate": {"admin"}, "verify": None,
    "rounds": COORDINATORS, "reports.attempt": COORDINATORS | {"trainer"},
}
# Who walks the map: name -> (roles, regions the account is limited to); anonymous has no account.
IDENTITIES = {
    "anonymous": None,
    "diplomat": ({"diplomat"}, []),
    "trainer": ({"trainer"}, []),
    "coordinator": ({"coordinator"}, []),
    "africa-coordinator": ({"coordinator"}, ["Africa"]),
    "admin": ({"admin"}, []),
    "every-role": (EVERY_ROLE, []),
}
TARGET = "target@example.org"  # the diplomat that admin and report routes are about
COHORT, OTHER_COHORT = "Walk cohort", "Other cohort"  # the target's cohort, and one to move them to
KINDS = {"course": (Course, "intro-course"), "module": (Module, "basics"), "lesson": (Lesson, "first-steps")}
# Form fields that satisfy most forms, so that an allowed POST gets past its form where it can.
FORM = {"email": "someone@example.org", "password": "a brand new long passphrase",
        "confirm": "a brand new long passphrase", "roles": ["diplomat"], "title": "Changed by the walk",
        "slug": "walked", "body": "walked", "direction": "down", "minutes": "3", "q0": "0", "q2": "true",
        "q3": "alt text", "q4": "60", "cohort": "", "payload": "x", "summary": "Walked.", "down": "Move down",
        "publish": "Publish", "name": "Walked cohort", "due_on": "2099-01-31"}
CSRF_REFUSAL = "expired or was sent from elsewhere"


def audience(endpoint: str) -> set[str] | None:
    if endpoint in AUDIENCE:
        return AUDIENCE[endpoint]
    blueprint = endpoint.split(".")[0]
    assert blueprint in AUDIENCE, f"route {endpoint} has no expected audience: add it to AUDIENCE"
    return AUDIENCE[blueprint]


def email_of(identity: str) -> str:
    return f"{identity}@example.org"


@database_template("route_walk", base="quiz_content", provides=("content", "quiz_content"))
def build_world(app) -> None:
    """The test course and quiz; missions in Europe and Africa; one account per identity and a target
    diplomat in a cohort enrolled in the course, and a second cohort; an attempt in progress for every account
    that may take quizzes."""
    with app.app_context():
        create_mission("EMB-BER", "Embassy in Berlin", "Germany", "Europe")
        create_mission("EMB-NAI", "Embassy in Nairobi", "Kenya", "Africa")
        target = create_user(TARGET, "Target Diplomat", PASSWORD, ["diplomat"], "EMB-BER")
        cohort = create_cohort(COHORT)
        enrol_cohort(cohort, db.session.scalar(select(Course)), None)
        add_members(cohort, [target])
        create_cohort(OTHER_COHORT)
        for identity, account in IDENTITIES.items():
            if account is not None:
                roles, regions = account
                user = create_user(email_of(identity), identity.title(), PASSWORD, sorted(roles), "EMB-BER")
                db.session.add_all(CoordinatorRegion(user_id=user.id, region=region) for region in regions)
        db.session.add(OutboxMessage(recipient=TARGET, subject="Walked", body="-", status="failed"))
        db.session.commit()
        learners = list(db.session.scalars(select(User).where(User.email != email_of("coordinator"),
                                                              User.email != email_of("africa-coordinator"))))
        db.session.expunge_all()
    for user in learners:
        start(signed_in_client(app, user))


class World:
    """The walk's world in one test's database: who signs in, and the arguments of every route."""

    def __init__(self, app):
        self.app = app

    def client_for(self, identity: str):
        """A browser signed in as ``identity`` through the login form (or not signed in)."""
        client = self.app.test_client()
        if IDENTITIES[identity] is not None:
            with self.app.app_context():
                user = db.session.scalar(select(User).where(User.email == email_of(identity)))
                db.session.expunge(user)
            sign_in(client, user)
        return client

    @staticmethod
    def csrf_token_of(client, identity: str) -> str:
        """A valid CSRF token of the browser's session, from a page it can open (every page has the sign-out form)."""
        page = client.get("/login" if IDENTITIES[identity] is None else "/", follow_redirects=True)
        return csrf_token(page.get_data(as_text=True))

    def form(self) -> dict:
        """FORM with this world's ids for the cohort forms: the course to enrol in, the cohort to move to."""
        with self.app.app_context():
            return {**FORM, "course": db.session.scalar(select(Course.id)),
                    "target": db.session.scalar(select(Cohort.id).where(Cohort.name == OTHER_COHORT))}

    def values(self, identity: str, kind: str) -> dict:
        """Route arguments naming real rows: the identity's own attempt (else the target's), the target
        diplomat, a fresh set-password link for them, and a page of ``kind`` with its first revision."""
        model, slug = KINDS[kind]
        with self.app.app_context():
            target = db.session.scalar(select(User).where(User.email == TARGET))
            owner = email_of(identity) if identity in ("diplomat", "trainer", "admin", "every-role") else TARGET
            attempt_id = db.session.scalar(select(QuizAttempt.id).join(User).where(User.email == owner))
            object_id = db.session.scalar(select(model.id).where(model.slug == slug))
            revision_id = db.session.scalar(select(Revision.id).where(Revision.kind == kind, Revision.object_id ==
                                                                      object_id).order_by(Revision.id))
            values = {"attempt_id": attempt_id, "user_id": target.id, "token": issue_link(target),
                      "quiz_id": db.session.scalar(select(Quiz.id)), "kind": kind, "object_id": object_id,
                      "revision_id": revision_id, "course_id": db.session.scalar(select(Course.id)),
                      "cohort_id": db.session.scalar(select(Cohort.id).where(Cohort.name == COHORT)),
                      "message_id": db.session.scalar(select(OutboxMessage.id))}
            db.session.commit()
        assert None not in values.values(), values
        return values


def addresses(method: str):
    """pytest params (route, kind) for every route accepting ``method``; studio routes once per kind of page."""
    for route in routes(method):
        for kind in (list(KINDS) if "kind" in route.arguments else ["lesson"]):
            suffix = f" {kind}" if "kind" in route.arguments else ""
            yield pytest.param(route, kind, id=f"{method} {route.endpoint}{suffix}")


GETS, POSTS = list(addresses("GET")), list(addresses("POST"))


def test_the_walk_covers_every_route_and_method():
    walked = {(route.endpoint, method) for method, params in (("GET", GETS), ("POST", POSTS))
              for route, _ in (param.values for param in params)}
    assert walked == {(route.endpoint, method) for route in routes() for method in route.methods}
    assert len(POSTS) >= 30 and {"admin.deactivate_user", "studio.retire", "quizzes.take"} <= {
        param.values[0].endpoint for param in POSTS}


def test_every_route_has_an_expected_audience():
    missing = [route.endpoint for route in routes() if route.endpoint not in AUDIENCE
               and route.blueprint not in AUDIENCE]
    assert missing == [], "add these routes to AUDIENCE"


@pytest.fixture
def world(app) -> World:
    return World(app)


def check_refused(response, identity: str, method: str, url: str) -> None:
    """Anonymous visitors are sent to sign in (a GET comes back to its page afterwards); others get 403."""
    if identity == "anonymous":
        assert response.status_code == 302, (url, response.status_code)
        expected = "/login?next=" if method == "GET" else "/login"
        assert response.headers["Location"].startswith(expected), response.headers["Location"]
    else:
        assert response.status_code == 403, (identity, url, response.status_code)


def check_let_through(response, identity: str, url: str) -> None:
    """The view ran: no role refusal, no CSRF refusal, no crash (a 404 for an object of someone else's is fine)."""
    assert response.status_code not in (401, 403) and response.status_code < 500, (identity, url, response.status_code)
    assert CSRF_REFUSAL not in response.get_data(as_text=True), (identity, url)
    if identity != "anonymous":  # not sent to sign in (logout and a new password do end at /login, without next)
        assert not response.headers.get("Location", "").startswith("/login?next="), (identity, url)


def keeps_posted_form(app, endpoint: str) -> bool:
    """Whether the route keeps a signed-out visitor's POST for after sign-in instead of refusing it with a 400."""
    return getattr(app.view_functions[endpoint], "keeps_posted_form", False)


def allowed(identity: str, endpoint: str) -> bool:
    roles = audience(endpoint)
    return roles is None or (IDENTITIES[identity] is not None and bool(IDENTITIES[identity][0] & roles))


@pytest.mark.database("route_walk")
@pytest.mark.parametrize("identity", IDENTITIES)
@pytest.mark.parametrize("route, kind", GETS)
def test_each_identity_opens_only_its_pages(world, route, kind, identity):
    client = world.client_for(identity)
    url = route.url(world.values(identity, kind))
    response = client.get(url)
    if allowed(identity, route.endpoint):
        check_let_through(response, identity, url)
    else:
        check_refused(response, identity, "GET", url)


@pytest.mark.database("route_walk")
@pytest.mark.parametrize("identity", IDENTITIES)
@pytest.mark.parametrize("route, kind", POSTS)
def test_each_identity_posts_only_where_it_may(app, world, route, kind, identity):
    client = world.client_for(identity)
    token = world.csrf_token_of(client, identity)
    url = route.url(world.values(identity, kind))
    before = table_rows(app)
    if identity == "anonymous":  # without the token nothing at all happens, whatever the route
        response = client.post(url, data=FORM)
        if keeps_posted_form(app, route.endpoint):  # kept for after signing in (lms/auth/kept.py), never acted on
            check_refused(response, identity, "POST", url)
        else:
            assert response.status_code == 400 and CSRF_REFUSAL in response.get_data(as_text=True), url
        assert table_rows(app) == before, url
    response = client.post(url, data={**world.form(), "csrf_token": token})
    if allowed(identity, route.endpoint):
        check_let_through(response, identity, url)
    else:
        check_refused(response, identity, "POST", url)
        assert table_rows(app) == before, f"a refused POST to {url} as {identity} wrote to the database"
