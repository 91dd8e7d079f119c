"""Fixtures for the studio: a signed-in trainer, a second trainer's client, and form helpers."""
from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import Revision
from tests.conftest import PASSWORD, csrf_token, submit

STUDIO = "/studio/"
COURSE = "/studio/courses/intro-course/"
BASICS = "/studio/courses/intro-course/modules/basics/"
FIRST_STEPS = BASICS + "lessons/first-steps/"
BASE_HASH = re.compile(r'id="base_hash" name="base_hash" type="hidden" value="([^"]*)"')
TEXTAREA = re.compile(r"<textarea[^>]*name=\"body\"[^>]*>\r?\n?(.*?)</textarea>", re.S)


@pytest.fixture
def trainer(make_user, login):
    """A trainer, signed in on ``client``."""
    user = make_user("trainer", name="Tess Trainer")
    login(user)
    return user


@pytest.fixture
def second_trainer(app, make_user):
    """Another trainer signed in on a client of their own."""
    user = make_user("trainer", name="Theo Trainer")
    other = app.test_client()
    response = submit(other, "/login", "/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return other


def sign_out(client) -> None:
    """Sign out whoever is signed in on ``client``."""
    token = csrf_token(client.get("/").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


def base_hash(html: str) -> str:
    """The hidden base_hash of an editor page."""
    match = BASE_HASH.search(html)
    assert match, "page has no base_hash field"
    return match.group(1)


def textarea(html: str) -> str:
    """The text in the editor's body textarea, as the browser would show it."""
    match = TEXTAREA.search(html)
    assert match, "page has no body textarea"
    return unescape(match.group(1))


def open_editor(client, url: str) -> tuple[str, dict]:
    """GET an editor; returns its HTML and the hidden fields a browser would send back."""
    html = client.get(url).get_data(as_text=True)
    return html, {"csrf_token": csrf_token(html), "base_hash": base_hash(html)}


def post(client, page_url: str, action_url: str, data: dict, **kwargs):
    """POST a form with a fresh CSRF token taken from ``page_url``."""
    return submit(client, page_url, action_url, data, **kwargs)


def row(app, model, slug: str):
    """A content row by slug, detached, for assertions."""
    with app.app_context():
        found = db.session.scalar(select(model).where(model.slug == slug))
        if found is not None:
            db.session.expunge(found)
        return found


def revisions_of(app, kind: str, object_id: int) -> list[Revision]:
    """Every revision of a row, oldest first, detached."""
    with app.app_context():
        found = list(db.session.scalars(select(Revision).where(Revision.kind == kind, Revision.object_id == object_id)
                                        .order_by(Revision.id)))
        db.session.expunge_all()
        return found

