"""Tallies: the status rows counted in advance, so a dashboard figure sums a few hundred rows, not one per learner.

Each status row adds 1 to the tallies of its course, mission, state and due date (``StatusTally``), of its
completion week (``CompletionTally``) and of each module of the course its learner completed
(``ModuleTally``), once for EVERYONE and once per cohort that enrols the learner in the course. Writers
change the tallies by deltas (``n = n + delta`` in an upsert), in sorted key order, so concurrent writers
neither lose counts nor deadlock. ``expected`` recomputes them from the status rows for ``check-status``.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Date, Select, cast, delete, func, insert, join, literal, select, type_coerce

from ..database.dialect import dialect_insert
from ..extensions import db
from ..models import CohortMember, CompletionTally, Enrolment, Module, ModuleCompletion, ModuleTally, StatusTally
from ..models import cohort_course as cc
from ..models.enrolment import EVERYONE, NO_DUE_DATE, NO_MISSION_ID

KEYS = {StatusTally: ("cohort_id", "course_id", "mission_id", "state", "due_on"),
        CompletionTally: ("cohort_id", "course_id", "mission_id", "week_on"),
        ModuleTally: ("cohort_id", "module_id", "mission_id")}


def cohort_ids(cohorts: str | None) -> list[int]:
    """The ids in a status row's ``cohorts`` column, sorted (the databases aggregate them in any order)."""
    return sorted(int(part) for part in (cohorts or "").split(",") if part)


def week_of(moment: datetime) -> date:
    """The Monday (UTC) of a completion's week; SQLite hands back naive UTC, PostgreSQL aware datetimes."""
    day = (moment.astimezone(UTC) if moment.tzinfo else moment).date()
    return day - timedelta(days=day.weekday())


def contributions(row: dict, modules: Iterable[int] = ()) -> Counter:
    """What one status row adds to the tallies: ``(model, key) -> 1`` for EVERYONE and each of its cohorts."""
    added: Counter = Counter()
    mission = row["mission_id"] or NO_MISSION_ID
    due = row["due_on"] or NO_DUE_DATE
    for cohort in (EVERYONE, *cohort_ids(row["cohorts"])):
        added[(StatusTally, (cohort, row["course_id"], mission, row["state"], due))] += 1
        if row["completed_at"] is not None:
            added[(CompletionTally, (cohort, row["course_id"], mission, week_of(row["completed_at"])))] += 1
        for module in modules:
            added[(ModuleTally, (cohort, module, mission))] += 1
    return added


def module_completed(mission_id: int | None, cohorts: str | None, module_id: int) -> Counter:
    """What a learner's first completion of a module adds, given their status row's mission and cohorts."""
    mission = mission_id or NO_MISSION_ID
    return Counter({(ModuleTally, (cohort, module_id, mission)): 1 for cohort in (EVERYONE, *cohort_ids(cohorts))})


def apply(changes: Counter) -> None:
    """Add ``changes`` to the tallies: one upsert per table, rows in key order (no deadlock between writers)."""
    dialect = db.session.get_bind().dialect.name
    for model in KEYS:
        rows = [dict(zip(KEYS[model], key, strict=True), n=delta)
                for (table, key), delta in sorted(changes.items(), key=lambda item: (item[0][0].__name__, item[0][1]))
                if table is model and delta]
        if rows:
            statement = dialect_insert(dialect, model)
            db.session.execute(statement.on_conflict_do_update(
                index_elements=list(KEYS[model]), set_={"n": model.n + statement.excluded.n}), rows)


def module_completions(keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], list[int]]:
    """The modules each (learner, course) in ``keys`` has completed."""
    keys = set(keys)
    if not keys:
        return {}
    done: dict[tuple[int, int], list[int]] = {}
    query = (select(ModuleCompletion.user_id, Module.course_id, ModuleCompletion.module_id)
             .join(Module, Module.id == ModuleCompletion.module_id)
             .where(ModuleCompletion.user_id.in_(sorted({k[0] for k in keys})),
                    Module.course_id.in_(sorted({k[1] for k in keys}))))
    for user_id, course_id, module_id in db.session.execute(query):
        if (user_id, course_id) in keys:
            done.setdefault((user_id, course_id), []).append(module_id)
    return done


def _week(column):
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(func.date_trunc("week", func.timezone("UTC", column)), Date)
    return type_coerce(func.date(column, "weekday 0", "-6 days"), Date)


def _grouped(model, columns: list, source) -> list[Select]:
    """``columns`` counted over ``source``, for EVERYONE and through each cohort enrolling the learner."""
    where = [Enrolment.completed_at.is_not(None)] if model is CompletionTally else []
    everyone = (select(literal(EVERYONE, literal_execute=True).label("cohort_id"), *columns, func.count().label("n"))
                .select_from(source))
    per_cohort = (select(CohortMember.cohort_id, *columns, func.count().label("n")).select_from(source)
                  .join(CohortMember, CohortMember.user_id == Enrolment.user_id)
                  .join(cc, (cc.c.cohort_id == CohortMember.cohort_id) & (cc.c.course_id == Enrolment.course_id)))
    return [everyone.where(*where).group_by(*columns),
            per_cohort.where(*where).group_by(CohortMember.cohort_id, *columns)]


def expected() -> dict[type, list[Select]]:
    """The tallies the status rows call for, as queries of key columns and ``n`` (see ``KEYS``)."""
    # Literals, not bound parameters: PostgreSQL must see the same expression in SELECT and GROUP BY.
    mission = func.coalesce(Enrolment.mission_id, literal(NO_MISSION_ID, literal_execute=True))
    due = func.coalesce(Enrolment.due_on, literal(NO_DUE_DATE, Date, literal_execute=True))
    rows = Enrolment.__table__
    completions = (join(ModuleCompletion, Module, Module.id == ModuleCompletion.module_id)
                   .join(Enrolment, (Enrolment.user_id == ModuleCompletion.user_id)
                         & (Enrolment.course_id == Module.course_id)))
    return {
        StatusTally: _grouped(StatusTally, [Enrolment.course_id, mission, Enrolment.state, due], rows),
        CompletionTally: _grouped(CompletionTally, [Enrolment.course_id, mission, _week(Enrolment.completed_at)],
                                  rows),
        ModuleTally: _grouped(ModuleTally, [ModuleCompletion.module_id, mission], completions),
    }


def rebuild() -> None:
    """Write every tally afresh from the status rows."""
    for model, queries in expected().items():
        db.session.execute(delete(model))
        for query in queries:
            db.session.execute(insert(model).from_select([*KEYS[model], "n"], query))


def differences() -> list[str]:
    """Each tally that differs from what the status rows say, described."""
    described = []
    for model, queries in expected().items():
        want = Counter()
        for query in queries:
            for *key, n in db.session.execute(query):
                want[tuple(_plain(v) for v in key)] += n
        have = {tuple(_plain(v) for v in key): n for *key, n in db.session.execute(
            select(*(getattr(model, c) for c in KEYS[model]), model.n).where(model.n != 0))}
        for key in sorted(set(want) | set(have)):
            if want.get(key, 0) != have.get(key, 0):
                described.append(f"{model.__tablename__} {key}: is {have.get(key, 0)}, should be {want.get(key, 0)}")
    return described


def _plain(value):
    return date.fromisoformat(value[:10]) if isinstance(value, str) and value[:4].isdigit() and len(value) >= 10 \
        and value[4] == "-" else value
