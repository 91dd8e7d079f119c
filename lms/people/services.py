"""Importing people from CSV, and finding the accounts that still need a set-password link.

These functions add and flush; the view or CLI command that calls them commits once.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..auth.permissions import region_scope
from ..enrolment import status
from ..extensions import db
from ..models import Cohort, CohortMember, Mission, User, UserRole
from .csvfile import read_records
from .permissions import MANAGER_ROLES, is_unrestricted
from .plan import ImportPlan, PlannedRow, cohort_key, plan_import


class ImportRefused(ValueError):
    """``apply_plan`` was given a plan with problems."""


@dataclass
class ImportResult:
    """What an applied import did; ``created`` are the new accounts (they have no password yet)."""

    created: list[User]
    changed: int
    unchanged: int
    new_cohorts: list[str]


@dataclass
class ImportOutcome:
    """The plan, and the result when it was applied (not on a dry run, nor with problems)."""

    plan: ImportPlan
    result: ImportResult | None = None


def import_people(content: bytes | str, actor: User | None, dry_run: bool = False) -> ImportOutcome:
    """Validate a whole CSV file, then apply it unless ``dry_run`` or any row has a problem."""
    plan = preview_import(content, actor)
    if not plan.ok or dry_run:
        return ImportOutcome(plan)
    return ImportOutcome(plan, apply_plan(plan))


def preview_import(content: bytes | str, actor: User | None) -> ImportPlan:
    """The plan for a CSV file: every problem, or what would be created and changed; writes nothing."""
    records, problems = read_records(content)
    if problems and not records:
        return ImportPlan([], problems, [], {})
    plan = plan_import(records, actor)
    plan.problems = sorted(problems + plan.problems, key=lambda problem: problem.row)
    return plan


def apply_plan(plan: ImportPlan) -> ImportResult:
    """Create the new cohorts and accounts and update the existing ones, as planned."""
    if not plan.ok:
        raise ImportRefused(f"the import has {len(plan.problems)} problem(s)")
    cohorts = dict(plan.cohorts)
    for name in plan.new_cohorts:
        cohorts[cohort_key(name)] = cohort = Cohort(name=name)
        db.session.add(cohort)
    created, joining = [], []
    for row in plan.rows:
        user = row.user or _create_account(row)
        if row.user is None:
            created.append(user)
        else:
            _update_account(row)
        if row.joins_cohort:
            joining.append((cohorts[cohort_key(row.cohort)], user))
    db.session.flush()  # ids for the new cohorts and accounts
    db.session.add_all(CohortMember(cohort_id=cohort.id, user_id=user.id) for cohort, user in joining)
    status.refresh([user.id for user in created] + [row.user.id for row in plan.rows if row.user is not None])
    return ImportResult(created, len(plan.with_action("change")), len(plan.with_action("unchanged")),
                        list(plan.new_cohorts))


def _create_account(row: PlannedRow) -> User:
    user = User(email=row.email, name=row.name, mission=row.mission)
    user.set_roles(row.roles)
    db.session.add(user)
    return user


def _update_account(row: PlannedRow) -> None:
    user = row.user
    user.name = row.name
    user.mission = row.mission
    for role in row.roles:
        if role not in user.roles:
            user.role_rows.append(UserRole(role=role))  # added, never replaced: no row is written twice


def accounts_needing_links(actor: User | None, cohort_id: int | None = None) -> list[User]:
    """Active accounts without a password that ``actor`` manages, optionally one cohort's, by email."""
    return list(db.session.scalars(_needing_links(actor, cohort_id).order_by(User.email)).unique())


def count_needing_links(actor: User | None) -> int:
    """How many accounts ``actor`` manages are waiting for a password."""
    return db.session.scalar(select(func.count()).select_from(_needing_links(actor, None).subquery()))


def _needing_links(actor: User | None, cohort_id: int | None):
    query = select(User).where(User.active.is_(True), User.password_hash.is_(None))
    scope = region_scope(actor)
    if scope is not None:
        query = query.join(Mission, User.mission_id == Mission.id).where(Mission.region.in_(sorted(scope)))
    if not is_unrestricted(actor):
        query = query.where(~User.role_rows.any(UserRole.role.in_(MANAGER_ROLES)))
    if cohort_id is not None:
        query = query.where(User.id.in_(select(CohortMember.user_id).where(CohortMember.cohort_id == cohort_id)))
    return query


def cohort_choices() -> list[tuple[int, str]]:
    """Every cohort as ``(id, name)``, by name."""
    return [(c.id, c.name) for c in db.session.scalars(select(Cohort).order_by(Cohort.name))]
