"""Creating users and missions, for the CLI and the demo data."""
from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from .extensions import db
from .models import ROLES, Mission, User
from .passwords import password_problem


class AccountError(ValueError):
    """A user or mission could not be created; the message says why."""


def create_user(email: str, name: str, password: str, roles: list[str], mission_code: str | None = None) -> User:
    """Add a user with a hashed password; refuses bad emails, duplicates and weak passwords."""
    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise AccountError(f"invalid email: {exc}") from exc
    if db.session.scalar(select(User.id).where(User.email_key(email))) is not None:
        raise AccountError(f"a user with email {email.lower()} already exists")
    if not name.strip():
        raise AccountError("name must not be empty")
    problem = password_problem(password, email, name)
    if problem:
        raise AccountError(f"password refused: {problem}")
    unknown = set(roles) - set(ROLES)
    if not roles or unknown:
        raise AccountError(f"roles must be chosen from {', '.join(ROLES)}")
    user = User(email=email, name=name.strip())
    if mission_code:
        user.mission = find_mission(mission_code)
    user.set_roles(roles)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def find_mission(code: str) -> Mission:
    """The mission with this code, or AccountError."""
    mission = db.session.scalar(select(Mission).where(Mission.code == code.strip().upper()))
    if mission is None:
        raise AccountError(f"unknown mission code {code}")
    return mission


def create_mission(code: str, name: str, country: str, region: str) -> Mission:
    """Add a mission; codes are unique and stored upper-case."""
    code = code.strip().upper()
    if not code or not name.strip():
        raise AccountError("mission code and name must not be empty")
    if db.session.scalar(select(Mission.id).where(Mission.code == code)) is not None:
        raise AccountError(f"mission {code} already exists")
    mission = Mission(code=code, name=name.strip(), country=country.strip(), region=region.strip())
    db.session.add(mission)
    db.session.flush()
    return mission
