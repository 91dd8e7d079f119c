"""Session cookies kept decoded (lms/auth/session.py, SessionCookies): the same answers as decoding each time."""
import time

from lms.auth import session as session_module


def _cookie(app, data: dict) -> str:
    return app.session_interface.get_signing_serializer(app).dumps(data)


def _opened(app, cookie: str):
    """The session a request with ``cookie`` opens."""
    name = app.config["SESSION_COOKIE_NAME"]
    with app.test_request_context(headers={"Cookie": f"{name}={cookie}"}) as context:
        return app.session_interface.open_session(app, context.request)


def test_a_kept_cookie_opens_to_its_own_values_each_time(app):
    cookie = _cookie(app, {"_user_id": "7-1-" + "a" * 32, "seen_at": 100})
    first = _opened(app, cookie)
    first["seen_at"] = 999  # a request's change stays its own
    again = _opened(app, cookie)
    assert dict(again) == {"_user_id": "7-1-" + "a" * 32, "seen_at": 100} and not again.modified


def test_a_kept_cookie_past_the_session_lifetime_opens_empty(app, monkeypatch):
    cookie = _cookie(app, {"_user_id": "7-1-" + "a" * 32})
    assert _opened(app, cookie)  # verified and kept
    later = time.time() + app.permanent_session_lifetime.total_seconds() + 60
    monkeypatch.setattr(session_module.time, "time", lambda: later)
    assert dict(_opened(app, cookie)) == {}


def test_a_session_with_lists_is_decoded_each_time(app):
    cookie = _cookie(app, {"_flashes": [("info", "Saved.")]})
    first = _opened(app, cookie)
    first["_flashes"].append(("info", "Changed in place"))
    assert _opened(app, cookie)["_flashes"] == [("info", "Saved.")]


def test_a_changed_cookie_is_refused_even_after_the_original_was_kept(app):
    cookie = _cookie(app, {"_user_id": "7-1-" + "a" * 32})
    assert _opened(app, cookie)
    payload, _, signature = cookie.rpartition(".")
    forged = payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
    assert dict(_opened(app, forged)) == {}


def test_cookies_signed_under_another_key_are_not_taken_from_the_kept_ones(app):
    cookie = _cookie(app, {"_user_id": "7-1-" + "a" * 32})
    assert _opened(app, cookie)
    app.config["SECRET_KEY"] = app.secret_key = "another key entirely, as after a rotation without fallback"
    assert dict(_opened(app, cookie)) == {}
