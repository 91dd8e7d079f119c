"""Helpers of the studio tests: its addresses, and what an editor page holds."""
from __future__ import annotations

import re
from html import unescape

from sqlalchemy import select

from lms.extensions import db
from lms.models import Revision
from tests.helpers import csrf_token, detached

STUDIO = "/studio/"
COURSE = "/studio/courses/intro-course/"
BASICS = "/studio/courses/intro-course/modules/basics/"
FIRST_STEPS = BASICS + "lessons/first-steps/"
BASE_HASH = re.compile(r'id="base_hash" name="base_hash" type="hidden" value="([^"]*)"')
TEXTAREA = re.compile(r"<textarea[^>]*name=\"body\"[^>]*>\r?\n?(.*?)</textarea>", re.S)


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


def row(app, model, slug: str):
    """A content row by slug, detached, for assertions."""
    return detached(app, model, model.slug == slug)


def revisions_of(app, kind: str, object_id: int) -> list[Revision]:
    """Every revision of a row, oldest first, detached."""
    with app.app_context():
        found = list(db.session.scalars(select(Revision).where(Revision.kind == kind, Revision.object_id == object_id)
                                        .order_by(Revision.id)))
        db.session.expunge_all()
        return found

