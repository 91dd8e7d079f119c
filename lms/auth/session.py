"""Flask-Login wiring: loading users and the anonymous guest, signing in and out, session lifetimes."""
from __future__ import annotations

import secrets
import time
from datetime import timedelta
from functools import cached_property

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import AnonymousUserMixin, LoginManager, current_user, login_user, logout_user
from itsdangerous import BadSignature
from sqlalchemy import bindparam, delete, exists, select

from ..content import version as content_version
from ..database.dialect import upsert
from ..database.fixed import FixedRead
from ..extensions import db
from ..models import CoordinatorRegion, EndedSession, User, UserRole
from ..models.base import utcnow
from ..models.user import RoleHolder, SessionIdentity
from .kept import keep_posted_form, posts_to_keeping_view


class Guest(RoleHolder, AnonymousUserMixin):
    """The signed-out visitor; answers the same permission questions as a user (holding no role)."""

    roles: frozenset[str] = frozenset()


class SignedInUser(RoleHolder, SessionIdentity):
    """The signed-in user as a request sees it: identity and roles, and regions when asked.

    Loaded with one plain query per request: the ORM User (with its mission and role rows) cost
    more than the rest of a lesson page. Views that change an account load its User themselves.
    """

    def __init__(self, user_id: int, email: str, name: str, session_version: int, session_key: str, roles: set[str]):
        self.id, self.email, self.name = user_id, email, name
        self.session_version, self.session_key, self.roles = session_version, session_key, roles

    @cached_property
    def regions(self) -> set[str]:
        """The regions a coordinator is limited to; empty means every region."""
        return set(db.session.scalars(select(CoordinatorRegion.region).where(CoordinatorRegion.user_id == self.id)))


# Built once: the statement is the same for every request, only the parameters change. Whether the session
# was signed out of is asked in the same statement (a primary-key probe), and so is the content version that
# nearly every signed-in page checks (lms/content/version.py): neither costs a statement of its own.
USER, USER_ROLE, ENDED = User.__table__, UserRole.__table__, EndedSession.__table__
_SIGNED_IN = FixedRead(
    select(USER.c.id, USER.c.email, USER.c.name, USER.c.session_version, USER_ROLE.c.role,
           content_version.CURRENT.scalar_subquery().label("content_version"))
    .select_from(USER.outerjoin(USER_ROLE, USER_ROLE.c.user_id == USER.c.id))
    .where(USER.c.id == bindparam("user_id"), USER.c.session_version == bindparam("version"), USER.c.active.is_(True),
           ~exists().where(ENDED.c.key == bindparam("key")))
)
KEY_BYTES = 16


def load_signed_in(session_id: str) -> SignedInUser | None:
    """The active user whose session id ("id-version-key") is current and not signed out of, else None.

    An id without a key (written before sign-out could end a session) loads nobody: that browser signs in again.
    """
    user_id, _, rest = session_id.partition("-")
    version, _, key = rest.partition("-")
    if g.get("database_unavailable") or not (user_id.isdigit() and version.isdigit() and len(key) == 2 * KEY_BYTES):
        return None
    rows = _SIGNED_IN.rows(user_id=int(user_id), version=int(version), key=key)
    if not rows:
        return None
    found_id, email, name, session_version, _, version_number = rows[0]
    content_version.note_current(version_number)
    return SignedInUser(found_id, email, name, session_version, key, {role for *_, role, _ in rows if role})


def sign_in(user: User) -> None:
    """Sign ``user`` in to this (fresh) session under a new random key, which sign-out can end."""
    user.session_key = secrets.token_hex(KEY_BYTES)
    login_user(user)
    start_session()


def sign_out() -> None:
    """End the current session here and on the server, so a copy of its cookie stops working."""
    if current_user.is_authenticated:
        end_session(current_user.session_key)
    logout_user()
    session.clear()


def end_session(key: str) -> None:
    """Record the session ``key`` as ended (twice is fine: a double click on "Sign out" posts twice at once).

    Keys older than SESSION_MAX_HOURS are dropped on the way: those sessions have ended anyway.
    """
    now = utcnow()
    db.session.execute(delete(EndedSession).where(
        EndedSession.ended_at < now - timedelta(hours=current_app.config["SESSION_MAX_HOURS"])))
    upsert(EndedSession, ["key"], {"key": key, "ended_at": now})


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed session cookie, its signing serializer built once per set of keys, not twice per request,
    and the last cookies it opened kept verified and decoded.

    A browser sends the same cookie until its session changes, and verifying and decoding it cost a tenth of
    a page. A kept cookie is the very string that verified, under the same keys, so only its age is checked
    again. A session holding lists or dicts (flashed messages) is decoded each time: a request may change
    those in place.
    """

    OPENED_LIMIT = 2000  # cookies per set of keys and worker (each under a kilobyte); the store starts over when full

    def __init__(self):
        self._serializers = {}  # keys -> (serializer, {cookie: (data, signed at)})

    def _keyed(self, app: Flask):
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        keyed = self._serializers.get(keys)
        if keyed is None:
            keyed = self._serializers[keys] = (super().get_signing_serializer(app), {})
        return keyed

    def get_signing_serializer(self, app: Flask):
        return self._keyed(app)[0]

    def open_session(self, app: Flask, request):
        serializer, opened = self._keyed(app)
        cookie = request.cookies.get(self.get_cookie_name(app))
        if serializer is None or not cookie:
            return super().open_session(app, request)
        max_age = int(app.permanent_session_lifetime.total_seconds())
        kept = opened.get(cookie)
        if kept is not None and time.time() - kept[1] <= max_age:
            return self.session_class(kept[0])  # a copy: the request's changes stay its own
        try:
            data, signed_at = serializer.loads(cookie, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if all(isinstance(value, (str, int, float, bool, type(None))) for value in data.values()):
            if len(opened) >= self.OPENED_LIMIT:
                opened.clear()
            opened[cookie] = (data, signed_at.timestamp())
        return self.session_class(data)


def init_login(app: Flask, manager: LoginManager) -> None:
    """Configure Flask-Login and the session cookie for the app."""
    app.session_interface = SessionCookies()
    manager.init_app(app)
    manager.login_view = "auth.login"
    manager.login_message = "Please sign in to continue."
    manager.login_message_category = "info"
    manager.anonymous_user = Guest
    manager.session_protection = "basic"  # "strong" would sign out phones whenever their network address changes

    manager.user_loader(load_signed_in)
    app.before_request(expire_session)


def start_session() -> None:
    """Note when the sign-in happened, for the idle and absolute session limits."""
    session["signed_in_at"] = session["seen_at"] = int(time.time())


def signed_in_session() -> bool:
    """Whether this request's session names a user: cheap, with no query (the user may still be refused)."""
    return "_user_id" in session  # where Flask-Login keeps the id


def expire_session():
    """Sign out a session idle for too long or older than the absolute limit."""
    if request.endpoint == "static" or not signed_in_session() or not current_user.is_authenticated:
        return None
    now, config = int(time.time()), current_app.config
    started, seen = session.get("signed_in_at", 0), session.get("seen_at", 0)
    if now - seen > config["SESSION_IDLE_MINUTES"] * 60 or now - started > config["SESSION_MAX_HOURS"] * 3600:
        keeping, user_id = posts_to_keeping_view(), current_user.id
        logout_user()
        session.clear()
        flash("Your session has ended. Please sign in again.", "info")
        if keeping:
            keep_posted_form(user_id)  # answers typed for twenty minutes must not be lost to a sign-in
        return redirect(url_for("auth.login", next=request.path if keeping else
                                request.full_path if request.method == "GET" else None))
    if now - seen > seen_step(config["SESSION_IDLE_MINUTES"]):  # most responses carry no new cookie
        session["seen_at"] = now
    return None


def seen_step(idle_minutes: int) -> int:
    """Seconds between refreshes of a session's "seen at": a tenth of the idle limit, at least a minute.

    An idle session so ends between nine tenths of the limit and the limit after its last request, and
    an active one sends a new cookie (signed, some 300 bytes) every twelve minutes, not on every page.
    """
    return max(60, idle_minutes * 6)
