"""Demo data for ``make run``: a few missions and one account per role."""
from __future__ import annotations

import secrets
from pathlib import Path

from sqlalchemy import select

from .accounts import create_mission, create_user
from .extensions import db
from .models import Mission, User

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
        return f"Demo accounts already exist (their passwords are in {credentials_file})."
    with credentials_file.open("a") as out:
        out.write("\n".join(lines) + "\n")
    credentials_file.chmod(0o600)
    return "Demo accounts (saved to {}):\n{}".format(credentials_file, "\n".join(lines))
