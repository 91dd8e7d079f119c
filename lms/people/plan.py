"""Checking import records against the database: what would be created, changed, or is wrong.

Planning only reads. Every row is checked and every problem kept, so one run reports them all.
Existing accounts are matched by email, case-insensitively; cohorts by name, case-insensitively.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from ..auth.permissions import region_scope
from ..extensions import db
from ..models import ROLES, Cohort, CohortMember, Mission, User
from .csvfile import Problem, Record
from .permissions import account_refusal, grantable_roles, mission_refusal

ROLE_SEPARATOR = ";"
DEFAULT_ROLE = "diplomat"
MAX_NAME = 200  # the length of User.name and Cohort.name
CHUNK = 500  # keeps IN (...) lists well inside every database's parameter limit


@dataclass
class PlannedRow:
    """A valid row: the account it creates or the changes it makes to an existing one."""

    row: int
    email: str
    name: str
    mission: Mission
    cohort: str
    roles: list[str]
    user: User | None = None
    changes: list[str] = field(default_factory=list)
    note: str = ""
    joins_cohort: bool = False

    @property
    def action(self) -> str:
        """``create``, ``change`` or ``unchanged``."""
        if self.user is None:
            return "create"
        return "change" if self.changes else "unchanged"


@dataclass
class ImportPlan:
    """Everything an import would do, or the problems that stop it."""

    rows: list[PlannedRow]
    problems: list[Problem]
    new_cohorts: list[str]
    cohorts: dict[str, Cohort]

    @property
    def ok(self) -> bool:
        """True when nothing stops the import."""
        return not self.problems

    def with_action(self, action: str) -> list[PlannedRow]:
        """The rows that would ``create``, ``change`` or stay ``unchanged``."""
        return [row for row in self.rows if row.action == action]

    def counts(self) -> dict[str, int]:
        """How many rows of each kind, and new cohorts."""
        counts = {action: len(self.with_action(action)) for action in ("create", "change", "unchanged")}
        return {**counts, "new cohorts": len(self.new_cohorts), "problems": len(self.problems)}

    def digest(self) -> str:
        """A fingerprint of the plan, to tell whether it changed between preview and confirm."""
        rows = [[r.row, r.action, r.email, r.name, r.mission.code, r.cohort, r.roles, r.changes] for r in self.rows]
        body = json.dumps([rows, self.new_cohorts, [str(p) for p in self.problems]], ensure_ascii=False)
        return hashlib.sha256(body.encode()).hexdigest()


@dataclass
class _Context:
    actor: User | None
    missions: dict[str, Mission]
    users: dict[str, User]
    cohorts: dict[str, Cohort]
    members: set[tuple[int, int]]
    scope: set[str] | None
    grantable: tuple[str, ...]
    seen: dict[str, int] = field(default_factory=dict)


def plan_import(records: list[Record], actor: User | None) -> ImportPlan:
    """Check every record against the database and ``actor``'s rights; writes nothing."""
    context = _load_context(records, actor)
    rows, problems, new_cohorts = [], [], {}
    for record in records:
        planned, row_problems = _check_record(record, context)
        problems.extend(row_problems)
        if planned is None:
            continue
        rows.append(planned)
        key = cohort_key(planned.cohort)
        if planned.cohort and key not in context.cohorts:
            new_cohorts.setdefault(key, planned.cohort)
    return ImportPlan(rows, problems, list(new_cohorts.values()), context.cohorts)


def cohort_key(name: str) -> str:
    """How cohort names are compared."""
    return name.casefold()


def _chunks(values: list) -> list[list]:
    return [values[start:start + CHUNK] for start in range(0, len(values), CHUNK)]


def _load_context(records: list[Record], actor: User | None) -> _Context:
    emails = sorted({record.email.strip().lower() for record in records if record.email and "\x00" not in record.email})
    users: dict[str, User] = {}
    for chunk in _chunks(emails):
        found = db.session.scalars(select(User).where(func.lower(User.email).in_(chunk)))
        users.update((user.email.lower(), user) for user in found)
    members: set[tuple[int, int]] = set()
    for chunk in _chunks([user.id for user in users.values()]):
        query = select(CohortMember.cohort_id, CohortMember.user_id).where(CohortMember.user_id.in_(chunk))
        members.update((cohort_id, user_id) for cohort_id, user_id in db.session.execute(query))
    cohorts: dict[str, Cohort] = {}
    for cohort in db.session.scalars(select(Cohort).order_by(Cohort.id)):
        cohorts.setdefault(cohort_key(cohort.name), cohort)
    missions = {mission.code: mission for mission in db.session.scalars(select(Mission))}
    return _Context(actor, missions, users, cohorts, members, region_scope(actor), grantable_roles(actor))


def _check_record(record: Record, context: _Context) -> tuple[PlannedRow | None, list[Problem]]:
    messages: list[str] = []
    email = _check_email(record, context, messages)
    _check_text("name", record.name, messages, required=True)
    _check_text("cohort name", record.cohort, messages, required=False)
    mission = _check_mission(record.mission, context, messages)
    roles = _check_roles(record.role, context, messages)
    user = _existing_account(email, record, context) if email else None
    if user is not None and (refusal := account_refusal(context.actor, user)):
        messages.append(refusal)
    if messages:
        return None, [Problem(record.row, message) for message in messages]
    planned = PlannedRow(record.row, email, record.name, mission, record.cohort, roles or [DEFAULT_ROLE], user,
                         joins_cohort=bool(record.cohort))
    if user is not None:
        # An existing account only gains the roles the file names: no role column means no role change.
        planned.roles = roles
        planned.changes = _changes(planned, user, context)
        planned.note = "" if user.active else "deactivated account: stays deactivated"
    return planned, []


def _existing_account(email: str, record: Record, context: _Context) -> User | None:
    if email in context.users or email == record.email.lower():
        return context.users.get(email)
    # Normalising changed the address (e.g. a Unicode domain): it was not among the preloaded ones.
    user = db.session.scalar(select(User).where(User.email_key(email)))
    if user is not None:
        context.users[email] = user
    return user


def _check_text(label: str, value: str, messages: list[str], required: bool) -> None:
    if required and not value:
        messages.append(f"missing {label}")
    elif len(value) > MAX_NAME:
        messages.append(f"{label} longer than {MAX_NAME} characters")
    elif any(ord(char) < 32 or ord(char) == 127 for char in value):
        messages.append(f"{label} contains control characters")  # PostgreSQL refuses NUL in text


def _check_email(record: Record, context: _Context, messages: list[str]) -> str | None:
    if not record.email:
        messages.append("missing email")
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in record.email):
        messages.append("email contains control characters")  # and could not be looked up (NUL)
        return None
    try:
        email = validate_email(record.email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        messages.append(f"bad email {record.email!r}: {exc}")
        return None
    if email in context.seen:
        messages.append(f"duplicate email {email}: already on row {context.seen[email]}")
        return None
    context.seen[email] = record.row
    return email


def _check_mission(code: str, context: _Context, messages: list[str]) -> Mission | None:
    if not code:
        messages.append("missing mission code")
        return None
    mission = context.missions.get(code.upper())
    if mission is None:
        messages.append(f"unknown mission code {code!r}")
        return None
    if refusal := mission_refusal(mission, context.scope):
        messages.append(refusal)
        return None
    return mission


def _check_roles(value: str, context: _Context, messages: list[str]) -> list[str]:
    roles = sorted({part.strip().lower() for part in value.split(ROLE_SEPARATOR) if part.strip()})
    for role in roles:
        if role not in ROLES:
            messages.append(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
        elif role not in context.grantable:
            messages.append(f"only an admin can give the role {role!r}")
    return roles


def _changes(planned: PlannedRow, user: User, context: _Context) -> list[str]:
    changes = []
    if user.name != planned.name:
        changes.append(f"name: {user.name} → {planned.name}")
    if user.mission_id != planned.mission.id:
        changes.append(f"mission: {user.mission.code if user.mission else 'none'} → {planned.mission.code}")
    changes.extend(f"adds role {role}" for role in planned.roles if role not in user.roles)
    cohort = context.cohorts.get(cohort_key(planned.cohort))
    planned.joins_cohort = bool(planned.cohort) and (cohort is None or (cohort.id, user.id) not in context.members)
    if planned.joins_cohort:
        changes.append(f"joins cohort {planned.cohort}")
    return changes
