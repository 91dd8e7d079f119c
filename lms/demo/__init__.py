"""Demo data for ``make run``: a few missions and one account per role."""
from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from .. import clock
from ..accounts import create_mission, create_user
from ..enrolment import add_members, create_cohort, enrol_cohort
from ..extensions import db
from ..models import Cohort, Course, Mission, User, UserRole
from .organisation import generate_org

DEMO_MISSIONS = [
    ("EMB-NAI", "Embassy in Nairobi", "Kenya", "Africa"),
    ("EMB-BER", "Embassy in Berlin", "Germany", "Europe"),
    ("CGL-DXB", "Consulate General in Dubai", "United Arab Emirates", "Middle East"),
    ("PMI-NYC", "Permanent Mission to the United Nations, New York", "United States", "Americas"),
    ("EMB-JKT", "Embassy in Jakarta", "Indonesia", "Asia-Pacific"),
]
DEMO_USERS = [
    ("diplomat@example.org", "Dana Diplomat", ["diplomat"], "EMB-NAI"),
    ("trainer@example.org", "Tariq Trainer", ["trainer"], None),
    ("coordinator@example.org", "Chen Coordinator", ["coordinator"], None),
    ("admin@example.org", "Ada Admin", ["admin"], None),
]


def seed_demo(credentials_file: Path) -> str:
    """Create the demo missions and accounts if absent; returns what to tell the operator."""
    for code, name, country, region in DEMO_MISSIONS:
        if db.session.scalar(select(Mission.id).where(Mission.code == code)) is None:
            create_mission(code, name, country, region)
    lines = []
    for email, name, roles, mission in DEMO_USERS:
        if db.session.scalar(select(User.id).where(User.email_key(email))) is None:
            password = secrets.token_urlsafe(12)
            create_user(email, name, password, roles, mission)
            lines.append(f"  {roles[0]:<12} {email:<26} password: {password}")
    if not lines:
        return _where_passwords_are(credentials_file)
    with credentials_file.open("a") as out:
        out.write("\n".join(lines) + "\n")
    credentials_file.chmod(0o600)
    organisation = _demo_organisation()
    return "Demo accounts (saved to {}):\n{}\n{}".format(credentials_file, "\n".join(lines), organisation)


def _where_passwords_are(credentials_file: Path) -> str:
    """Only the server that created the accounts saw their passwords; say where to find them."""
    if credentials_file.exists():
        return f"Demo accounts already exist (their passwords are in {credentials_file})."
    return ("Demo accounts already exist: another server (or another instance folder) created them on this "
            "database, and their passwords are in demo-accounts.txt in that server's instance folder.")


def _demo_organisation() -> str:
    """The ministry's size, synthetic: 150 diplomats in 90 missions with a year of progress, for the dashboard."""
    if db.session.scalar(select(Course.id).where(Course.visible())) is None:
        return "No courses imported yet, so no demo organisation was generated."
    counts = generate_org(diplomats=150, missions=90, regions=8)
    diplomat = db.session.scalar(select(User).where(User.email_key(DEMO_USERS[0][0])))
    live = _live_round(diplomat)
    return (f"Demo organisation for the reports: {counts['diplomats']} diplomats in {counts['missions']} missions.\n"
            f"Live round: {live.name}, due in {LIVE_ROUND_WEEKS} weeks, with {DEMO_USERS[0][0]} in it.")


LIVE_ROUND_WEEKS = 3
LIVE_ROUND_SIZE = 40  # synthetic diplomats beside the demo diplomat, so its figures are not all zero


def _live_round(diplomat: User) -> Cohort:
    """A round under way: due in a few weeks, every demo course, the demo diplomat and some colleagues in it."""
    due = clock.today() + timedelta(weeks=LIVE_ROUND_WEEKS)
    name = f"Live round {due:%B %Y}"
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == name)) or create_cohort(name)
    for course in db.session.scalars(select(Course).where(Course.visible()).order_by(Course.title)):
        enrol_cohort(cohort, course, due)
    colleagues = db.session.scalars(select(User).join(UserRole).where(UserRole.role == "diplomat",
                                                                      User.id != diplomat.id)
                                    .order_by(User.id.desc()).limit(LIVE_ROUND_SIZE))
    add_members(cohort, [diplomat, *colleagues])
    return cohort
