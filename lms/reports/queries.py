"""Read-only SQL aggregates behind the coordinator dashboard. Nothing here loads learners into Python."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import String, and_, case, cast, func, select

from ..extensions import db
from ..models import (
    AttemptAnswer,
    CohortMember,
    Course,
    Mission,
    Module,
    ModuleCompletion,
    Quiz,
    QuizAttempt,
    User,
    cohort_course,
)
from .enrolment import activity, cohort_rows, completions, learner_rows, today
from .filters import Filters


def module_table(filters: Filters, scope: set[str] | None) -> list[tuple[str, int, int]]:
    """For the chosen course: each live module's title, learners expected, and learners who completed it."""
    if not filters.course_id:
        return []
    # the learners once (a CTE), then each module's completions checked against them: no join per module
    learner_ids = cohort_rows(filters, scope).with_only_columns(CohortMember.user_id).distinct().cte("learner_ids")
    expected = select(func.count()).select_from(learner_ids).scalar_subquery()
    query = (
        select(Module.title, expected, func.count(ModuleCompletion.id))
        .outerjoin(ModuleCompletion, and_(ModuleCompletion.module_id == Module.id,
                                          ModuleCompletion.user_id.in_(select(learner_ids.c.user_id))))
        .where(Module.course_id == filters.course_id, Module.visible())
        .group_by(Module.id, Module.title, Module.position).order_by(Module.position)
    )
    return [(title, int(expected), int(done)) for title, expected, done in db.session.execute(query)]


def week_start(column):
    """The Monday of a timestamp's week, as a date, on SQLite and PostgreSQL."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.date(func.date_trunc("week", column))
    return func.date(column, "weekday 0", "-6 days")


def weekly_completions(filters: Filters, scope: set[str] | None, weeks: int = 26) -> list[tuple[date, int]]:
    """Course completions per week (Monday first) over the chosen range, or the last ``weeks`` weeks."""
    end = filters.date_to or today()
    start = filters.date_from or end - timedelta(weeks=weeks)
    done = completions(Filters(date_from=start, date_to=end))
    # driven by the completions in range, each checked against the assignments: no pass over every learner
    assigned = (cohort_rows(Filters(filters.course_id, filters.cohort_id, filters.region), scope)
                .where(CohortMember.user_id == done.c.user_id, cohort_course.c.course_id == done.c.course_id))
    week = week_start(done.c.completed_at)
    query = select(week, func.count()).select_from(done).where(assigned.exists()).group_by(week).order_by(week)
    counts = {_as_date(day): int(n) for day, n in db.session.execute(query)}
    first = start - timedelta(days=start.weekday())
    return [(first + timedelta(weeks=i), counts.get(first + timedelta(weeks=i), 0))
            for i in range((end - first).days // 7 + 1)]


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def learners(filters: Filters, scope: set[str] | None, **where) -> list[dict]:
    """One row per learner and course in a mission (or for one learner): status, dates, best quiz scores."""
    rows = learner_rows(filters, scope, **where)
    done, act = completions(filters), activity()
    query = (
        select(User.id, User.name, User.email, Course.id, Course.title, rows.c.due_on, done.c.completed_at,
               act.c.last_at)
        .select_from(rows).join(User, User.id == rows.c.user_id).join(Course, Course.id == rows.c.course_id)
        .outerjoin(done, and_(done.c.user_id == rows.c.user_id, done.c.course_id == rows.c.course_id))
        .outerjoin(act, and_(act.c.user_id == rows.c.user_id, act.c.course_id == rows.c.course_id))
        .order_by(User.name, User.email, Course.position)
    )
    scores = _best_scores(rows)
    result = []
    for user_id, name, email, course_id, course, due_on, completed_at, last_at in db.session.execute(query):
        status = "completed" if completed_at else ("in progress" if last_at else "not started")
        result.append(dict(user_id=user_id, name=name, email=email, course=course, status=status,
                           overdue=not completed_at and due_on is not None and due_on < today(), due_on=due_on,
                           last_activity=last_at, completed_at=completed_at,
                           scores=scores.get((user_id, course_id), [])))
    return result


def _best_scores(rows) -> dict[tuple[int, int], list[tuple[str, float]]]:
    """Best quiz percentages per (learner, course) for the learners in ``rows``."""
    query = (
        select(QuizAttempt.user_id, Module.course_id, Quiz.title, func.max(QuizAttempt.percent))
        .join(Quiz, Quiz.id == QuizAttempt.quiz_id).join(Module, Module.id == Quiz.module_id)
        .where(QuizAttempt.user_id.in_(select(rows.c.user_id)), QuizAttempt.submitted_at.is_not(None))
        .group_by(QuizAttempt.user_id, Module.course_id, Quiz.title, Module.position).order_by(Module.position)
    )
    scores: dict[tuple[int, int], list[tuple[str, float]]] = {}
    for user_id, course_id, title, best in db.session.execute(query):
        scores.setdefault((user_id, course_id), []).append((title, best))
    return scores


def question_table(quiz_id: int, scope: set[str] | None) -> list[dict]:
    """Per question of a quiz: answers, share correct, average score, and the most common wrong answer."""
    answers = (
        select(AttemptAnswer).join(QuizAttempt, QuizAttempt.id == AttemptAnswer.attempt_id)
        .join(User, User.id == QuizAttempt.user_id).outerjoin(Mission, Mission.id == User.mission_id)
        .where(QuizAttempt.quiz_id == quiz_id, QuizAttempt.submitted_at.is_not(None))
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
