"""Sign-out ends that one session on the server: a copy of its cookie stops working, other browsers stay in."""
from datetime import timedelta

from sqlalchemy import select

from lms.auth.session import end_session
from lms.extensions import db
from lms.models import EndedSession, User
from lms.models.base import utcnow
from lms.people.tokens import issue_link
from tests.helpers import sign_out, signed_in_client, submit

NEW_PASSWORD = "a brand new passphrase"


def copy_of(app, client):
    """Another browser holding a copy of ``client``'s session cookie, as a thief would."""
    name = app.config["SESSION_COOKIE_NAME"]
    thief = app.test_client()
    thief.set_cookie(name, client.get_cookie(name).value)
    return thief


def test_a_copied_session_cookie_stops_working_at_sign_out(app, content, make_user):
    diplomat = signed_in_client(app, make_user())
    thief = copy_of(app, diplomat)
    assert thief.get("/courses/").status_code == 200
    sign_out(diplomat)
    response = thief.get("/courses/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_signing_out_in_one_browser_leaves_the_others_signed_in(app, content, make_user):
    user = make_user()
    office, phone = signed_in_client(app, user), signed_in_client(app, user)
    sign_out(office)
    assert phone.get("/courses/").status_code == 200
    assert office.get("/courses/").status_code == 302


def test_a_session_from_before_sign_out_ids_is_asked_to_sign_in(app, content, make_user):
    user, client = make_user(), app.test_client()
    with client.session_transaction() as session:  # the cookie an older release wrote: "id-version"
        session.update({"_user_id": f"{user.id}-0", "_fresh": True, "signed_in_at": 2**31 - 1, "seen_at": 2**31 - 1})
    response = client.get("/courses/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert client.get("/login").status_code == 200


def test_ended_sessions_older_than_the_longest_session_are_pruned_at_sign_out(app, content, make_user):
    user = make_user()
    long_ago = utcnow() - timedelta(hours=app.config["SESSION_MAX_HOURS"], minutes=1)
    with app.app_context():
        db.session.add(EndedSession(key="0" * 32, ended_at=long_ago))
        db.session.commit()
    sign_out(signed_in_client(app, user))
    with app.app_context():
        kept = db.session.scalars(select(EndedSession.key)).all()
    assert len(kept) == 1 and kept != ["0" * 32]


def test_setting_a_password_through_a_link_ends_the_session_open_in_that_browser(app, content, make_user):
    other, newcomer = make_user(), make_user()
    browser = signed_in_client(app, other)
    thief = copy_of(app, browser)
    with app.app_context():
        url = f"/set-password/{issue_link(db.session.get(User, newcomer.id))}"
        db.session.commit()
    assert submit(browser, url, url, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert thief.get("/courses/").status_code == 302


def test_ending_a_session_twice_is_harmless(app):
    """Two sign-outs of one session at once (a double click) both load it before either commits."""
    with app.app_context(), app.test_request_context():
        for _ in range(2):
            end_session("f" * 32)
            db.session.commit()
        assert db.session.scalars(select(EndedSession.key)).all() == ["f" * 32]
