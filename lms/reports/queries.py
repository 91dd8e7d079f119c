"""Read-only SQL aggregates behind the coordinator dashboard. Nothing here loads learners into Python."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import String, bindparam, case, cast, func, select

from .. import clock
from ..extensions import db
from ..models import (
    AttemptAnswer,
    CompletionTally,
    Course,
    Enrolment,
    Mission,
    Module,
    ModuleTally,
    Quiz,
    QuizAttempt,
    User,
)
from ..models.enrolment import COMPLETED, is_overdue
from .enrolment import (
    UNFINISHED,
    Selection,
    behind_until,
    completed_between,
    conditions,
    prepared,
    selection,
    state,
    tally_conditions,
)
from .filters import Filters
from .labels import Labels

BEHIND_LIMIT = 50  # the list on the page (a phone screen of names, not thousands); the CSV export has everyone


def module_table(filters: Filters, scope: set[str] | None, expected: int) -> list[tuple[str, int, int]]:
    """For the chosen course: each live module's title, learners expected, and learners who completed it.

    ``expected`` is the course's enrolled learners under the same filters (the dashboard's headline total);
    completions are summed from the module tallies (lms/enrolment/tallies.py), which a date range does not
    change.
    """
    if not filters.course_id:
        return []
    rows = selection(filters, scope)
    query = prepared("modules", rows, lambda: _module_completions(rows))
    return [(title, expected, int(n)) for title, n in db.session.execute(query, rows.params)]


def _module_completions(rows: Selection):
    t = ModuleTally.__table__.c
    done = (select(t.module_id, func.sum(t.n).label("n")).where(*tally_conditions(t, rows))
            .group_by(t.module_id).subquery())
    return (select(Module.title, func.coalesce(done.c.n, 0)).outerjoin(done, done.c.module_id == Module.id)
            .join(Course, Course.id == Module.course_id)
            .where(Module.course_id == bindparam("course_id"), Module.visible(), Course.visible())
            .order_by(Module.position))


def week_start(column):
    """The Monday of a timestamp's week, as a date, on SQLite and PostgreSQL."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.date(func.date_trunc("week", column))
    return func.date(column, "weekday 0", "-6 days")


def weekly_completions(filters: Filters, scope: set[str] | None, weeks: int = 26) -> list[tuple[date, int]]:
    """Enrolled learners' course completions per week (Monday first) over the chosen range, or the last ``weeks``.

    Without a date range, summed from the weekly tallies; a range may start or end mid-week, so it
    counts the status rows themselves.
    """
    end = filters.date_to or clock.today()
    start = filters.date_from or end - timedelta(weeks=weeks)
    first = start - timedelta(days=start.weekday())
    rows = selection(filters, scope)
    if filters.date_from or filters.date_to:
        week = week_start(Enrolment.completed_at)
        query = (select(week, func.count())
                 .where(*conditions(rows), *completed_between(start, end)).group_by(week).order_by(week))
    else:
        t = CompletionTally.__table__.c
        query = prepared("weeks", rows, lambda: select(t.week_on, func.sum(t.n))
                         .where(*tally_conditions(t, rows), t.week_on >= bindparam("first")).group_by(t.week_on))
    counts = {_as_date(day): int(n) for day, n in db.session.execute(query, rows.params | {"first": first})}
    return [(first + timedelta(weeks=i), counts.get(first + timedelta(weeks=i), 0))
            for i in range((end - first).days // 7 + 1)]


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def learners(filters: Filters, scope: set[str] | None, **where) -> list[dict]:
    """One row per learner and course in a mission (or for one learner): status, dates, best quiz scores."""
    rows = selection(filters, scope, **where)
    terms = conditions(rows)
    query = (
        select(User.id, User.name, User.email, Course.id, Course.title, Enrolment.due_on, Enrolment.extended,
               state(filters), Enrolment.completed_at, Enrolment.last_activity_at)
        .join(User, User.id == Enrolment.user_id).join(Course, Course.id == Enrolment.course_id)
        .where(*terms).order_by(User.name, User.email, Course.position)
    )
    scores = _best_scores(select(Enrolment.user_id).where(*terms), rows.params)
    day = clock.today()
    return [dict(user_id=user_id, name=name, email=email, course=course, status=status, extended=extended,
                 overdue=is_overdue(status, due_on, day), due_on=due_on,
                 last_activity=last_at, completed_at=completed_at if status == COMPLETED else None,
                 scores=scores.get((user_id, course_id), []))
            for user_id, name, email, course_id, course, due_on, extended, status, completed_at, last_at
            in db.session.execute(query, rows.params)]


class Behind(NamedTuple):
    """One unfinished learner and course, overdue or due soon (attributes, which templates read fastest)."""

    user_id: int
    name: str
    email: str
    course: str
    due_on: date
    extended: bool
    status: str
    overdue: bool
    last_activity: datetime | None
    mission_code: str | None
    mission: str


def behind(filters: Filters, scope: set[str] | None, labels: Labels,
           limit: int | None = BEHIND_LIMIT) -> list[Behind]:
    """Unfinished learners overdue or due within a week, most overdue first (at most ``limit``).

    The status rows alone, in the order of ix_enrolment_unfinished so the database stops after ``limit``;
    each learner's name and email are looked up for the rows kept (a join invited PostgreSQL to read
    every learner), and the course and mission are named from ``labels``.
    """
    day = clock.today()
    rows = selection(filters, scope)
    query = prepared(f"behind {limit}", rows, lambda: _behind(rows, limit))
    found = []
    for user_id, name, email, course_id, mission_id, due_on, extended, status, last_at in db.session.execute(
            query, rows.params | {"until": behind_until(day)}):
        mission = labels.mission(mission_id)
        found.append(Behind(user_id, name, email, labels.course(course_id), due_on, extended, status, due_on < day,
                            last_at, mission.code, mission.name))
    return found


def _behind(rows: Selection, limit: int | None):
    e = Enrolment
    name, email = (select(column).where(User.id == e.user_id).scalar_subquery() for column in (User.name, User.email))
    return (select(e.user_id, name, email, e.course_id, e.mission_id, e.due_on, e.extended, e.state, e.last_activity_at)
            .where(UNFINISHED, e.due_on <= bindparam("until"), *conditions(rows, by_due_date=True))
            .order_by(e.due_on, e.user_id, e.course_id).limit(limit))


def by_mission(rows: list[Behind]) -> list[tuple[str, str | None, list[Behind]]]:
    """``behind`` rows grouped by mission (name order), each group in due-date order."""
    groups: dict[tuple[str, str | None], list[Behind]] = {}
    for row in rows:
        groups.setdefault((row.mission, row.mission_code), []).append(row)
    return [(name, code, items) for (name, code), items in sorted(groups.items(), key=lambda g: g[0][0].casefold())]


def _best_scores(user_ids, params: dict) -> dict[tuple[int, int], list[tuple[str, float]]]:
    """Best quiz percentages per (learner, course) for the learners ``user_ids`` selects (binding ``params``),
    live quizzes only."""
    query = (
        select(QuizAttempt.user_id, Module.course_id, Quiz.title, func.max(QuizAttempt.percent))
        .join(Quiz, Quiz.id == QuizAttempt.quiz_id).join(Module, Module.id == Quiz.module_id)
        .join(Course, Course.id == Module.course_id)
        .where(QuizAttempt.user_id.in_(user_ids), QuizAttempt.submitted_at.is_not(None),
               *live_quiz())
        .group_by(QuizAttempt.user_id, Module.course_id, Quiz.title, Module.position).order_by(Module.position)
    )
    scores: dict[tuple[int, int], list[tuple[str, float]]] = {}
    for user_id, course_id, title, best in db.session.execute(query, params):
        scores.setdefault((user_id, course_id), []).append((title, best))
    return scores


def live_quiz() -> list:
    """Conditions for a quiz learners can take (not retired, in a published module and course): no drafts."""
    return [Quiz.retired_at.is_(None), Module.visible(), Course.visible()]


def live_quizzes() -> list[tuple[int, str]]:
    """The quizzes a coordinator can analyse: drafts and retired ones never appear in reports."""
    return db.session.execute(_LIVE_QUIZZES).all()


_LIVE_QUIZZES = (select(Quiz.id, Quiz.title).join(Module, Module.id == Quiz.module_id)
                 .join(Course, Course.id == Module.course_id).where(*live_quiz()).order_by(Quiz.title))


def find_live_quiz(quiz_id: int) -> Quiz | None:
    """The quiz if it is live, else None (a draft's analysis is a 404)."""
    return db.session.scalar(select(Quiz).join(Module, Module.id == Quiz.module_id)
                             .join(Course, Course.id == Module.course_id).where(Quiz.id == quiz_id, *live_quiz()))


def question_table(quiz_id: int, scope: set[str] | None) -> list[dict]:
    """Per marked question of a quiz: answers, share correct, average score, and the most common wrong answer.

    Essays and descriptions are worth nothing in an attempt (max_points 0), so there is no right or wrong to count.
    """
    answers = (
        select(AttemptAnswer).join(QuizAttempt, QuizAttempt.id == AttemptAnswer.attempt_id)
        .join(User, User.id == QuizAttempt.user_id).outerjoin(Mission, Mission.id == User.mission_id)
        .where(QuizAttempt.quiz_id == quiz_id, QuizAttempt.submitted_at.is_not(None), AttemptAnswer.max_points > 0)
    )
    if scope is not None:
        answers = answers.where(Mission.region.in_(scope))
    answers = answers.subquery()
    right = case((answers.c.correct.is_(True), 1.0), else_=0.0)
    score = answers.c.points / func.nullif(answers.c.max_points, 0)
    stats = db.session.execute(
        select(answers.c.question_key, func.count(), func.avg(right), func.avg(score)).group_by(answers.c.question_key))
    wrong = _most_common_wrong(answers)
    return [dict(key=key, answers=int(n), correct=float(share or 0) * 100, average=float(avg or 0) * 100,
                 wrong=wrong.get(key)) for key, n, share, avg in stats]


def _most_common_wrong(answers) -> dict[str, tuple[str, int]]:
    response = cast(answers.c.response, String)
    counted = (select(answers.c.question_key, response.label("response"), func.count().label("n"))
               .where(answers.c.correct.is_(False)).group_by(answers.c.question_key, response)).subquery()
    ranked = select(counted, func.row_number().over(
        partition_by=counted.c.question_key, order_by=(counted.c.n.desc(), counted.c.response)).label("rank")
    ).subquery()
    rows = db.session.execute(select(ranked.c.question_key, ranked.c.response, ranked.c.n).where(ranked.c.rank == 1))
    return {key: (text, int(n)) for key, text, n in rows}
