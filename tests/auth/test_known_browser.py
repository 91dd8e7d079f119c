"""Known browsers: one where the account signed in, or set its password through a link, is never locked out
by a limit on the account; the limit on the address still holds."""
from lms.extensions import db
from lms.models import User
from lms.people.tokens import issue_link
from tests.helpers import PASSWORD, sign_out, submit

from .test_hardening import attempt

NEW_PASSWORD = "a brand new passphrase"


def lock_the_account_from_elsewhere(app, email, addresses=("203.0.113.1", "203.0.113.2", "203.0.113.3")):
    for address in addresses:
        for _ in range(6):
            attempt(app.test_client(), email, "wrong password here", address)


def test_setting_a_password_through_a_link_makes_the_browser_known(app, make_user):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "3 per hour"
    user = make_user()
    with app.app_context():
        url = f"/set-password/{issue_link(db.session.get(User, user.id))}"
        db.session.commit()
    diplomat = app.test_client()
    assert submit(diplomat, url, url, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    lock_the_account_from_elsewhere(app, user.email)
    assert attempt(app.test_client(), user.email, NEW_PASSWORD, "203.0.113.9").status_code == 429
    assert attempt(diplomat, user.email, NEW_PASSWORD, "198.51.100.7").status_code == 302


def test_a_known_browser_is_not_locked_out_by_guesses_from_its_own_address(app, make_user):
    user, office = make_user(), "198.51.100.7"  # one address for the whole embassy, behind its router
    diplomat = app.test_client()
    assert attempt(diplomat, user.email, PASSWORD, office).status_code == 302
    sign_out(diplomat)
    for _ in range(6):
        attempt(app.test_client(), user.email, "wrong password here", office)
    assert attempt(app.test_client(), user.email, PASSWORD, office).status_code == 429
    assert attempt(diplomat, user.email, PASSWORD, office).status_code == 302


def test_the_address_limit_still_applies_to_a_known_browser(app, make_user):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "3 per minute"
    user = make_user()
    diplomat = app.test_client()
    assert attempt(diplomat, user.email, PASSWORD, "198.51.100.7").status_code == 302
    sign_out(diplomat)
    statuses = [attempt(diplomat, user.email, "wrong password here", "198.51.100.7").status_code for _ in range(4)]
    assert statuses == [422] * 3 + [429]
