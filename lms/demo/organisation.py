"""A synthetic organisation for demos and benchmarks: missions, cohorts, diplomats and a year of progress.

Rows are written with bulk INSERTs (no ORM objects per row), so 10,000 diplomats take seconds.
Generated accounts have no password: nobody can sign in as them.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select

from .. import certificates
from ..enrolment import status
from ..extensions import db
from ..models import (
    AttemptAnswer,
    Cohort,
    CohortMember,
    Course,
    CourseActivity,
    CourseCompletion,
    Lesson,
    LessonProgress,
    Mission,
    Module,
    ModuleCompletion,
    Quiz,
    QuizAttempt,
    User,
    UserRole,
    cohort_course,
)
from ..questions.model import QuestionSpec
from ..questions.serialize import question_from_dict
from ..questions.types import question_type

REGIONS = ["Africa", "Americas", "Asia-Pacific", "Europe", "Middle East", "South Asia", "Central Asia", "Pacific",
           "Caribbean", "Nordic"]
BATCH = 2000


@dataclass
class Plan:
    """Everything to insert, collected first and written in batches."""

    rows: dict = field(default_factory=lambda: {name: [] for name in (
        "lessons", "activity", "attempts", "modules", "courses")})
    questions: dict[int, list[QuestionSpec]] = field(default_factory=dict)  # per quiz id, read once

    def questions_of(self, quiz: Quiz) -> list[QuestionSpec]:
        """The quiz's questions as specs, built on first use."""
        if quiz.id not in self.questions:
            self.questions[quiz.id] = [question_from_dict(stored["spec"]) for stored in quiz.questions]
        return self.questions[quiz.id]


def generate_org(diplomats: int, missions: int, regions: int, seed: int = 1) -> dict[str, int]:
    """Create the organisation; returns how many rows of each kind were written (no commit)."""
    rng = random.Random(seed)
    courses = _course_outlines()
    if not courses:
        raise ValueError("import the courses first: there is no live course to assign")
    now = datetime.now(UTC)
    mission_ids = _missions(missions, regions)
    cohorts = _cohorts(now.date(), [c["id"] for c in courses])
    user_ids = _diplomats(diplomats, mission_ids, rng)
    _memberships(user_ids, cohorts, rng)
    plan = Plan()
    for user_id in user_ids:
        skill = rng.uniform(0.45, 0.95)
        for course in courses:
            _learner_course(plan, rng, user_id, course, skill, now)
    counts = _write(plan)
    status.rebuild()
    counts["certificates"] = certificates.issue_missing()
    return {"missions": len(mission_ids), "diplomats": len(user_ids), "cohorts": len(cohorts), **counts}


def _course_outlines() -> list[dict]:
    outlines = []
    for course in db.session.scalars(select(Course).where(Course.visible())):
        modules = []
        for module in db.session.scalars(select(Module).where(Module.course_id == course.id,
                                                              Module.visible()).order_by(Module.position)):
            lessons = list(db.session.scalars(select(Lesson.id).where(Lesson.module_id == module.id,
                                                                      Lesson.visible())))
            quiz = db.session.scalar(select(Quiz).where(Quiz.module_id == module.id, Quiz.retired_at.is_(None)))
            modules.append({"id": module.id, "lessons": lessons, "quiz": quiz})
        outlines.append({"id": course.id, "modules": modules})
    return outlines


def _missions(count: int, regions: int) -> list[int]:
    names = REGIONS[:regions] + [f"Region {n}" for n in range(len(REGIONS) + 1, regions + 1)]
    start = (db.session.scalar(select(func.count(Mission.id))) or 0) + 1
    rows = [{"code": f"SYN-{start + i:04d}", "name": f"Mission {start + i:04d}", "country": f"Country {start + i:04d}",
             "region": names[i % len(names)]} for i in range(count)]
    return list(db.session.scalars(insert(Mission).returning(Mission.id, sort_by_parameter_order=True), rows))


def _cohorts(today: date, course_ids: list[int]) -> list[int]:
    """Four quarterly training rounds over the past year (reused if they exist), each assigned every course."""
    ids = []
    for quarter in range(4):
        due = today - timedelta(days=270 - 90 * quarter)
        name = f"Training round {due:%B %Y}"
        cohort = db.session.scalar(select(Cohort).where(Cohort.name == name))
        if cohort is None:
            cohort = Cohort(name=name)
            db.session.add(cohort)
            db.session.flush()
        assigned = set(db.session.scalars(select(cohort_course.c.course_id)
                                          .where(cohort_course.c.cohort_id == cohort.id)))
        missing = [{"cohort_id": cohort.id, "course_id": c, "due_on": due} for c in course_ids if c not in assigned]
        if missing:
            db.session.execute(insert(cohort_course), missing)
        ids.append(cohort.id)
    return ids


def _diplomats(count: int, mission_ids: list[int], rng: random.Random) -> list[int]:
    start = (db.session.scalar(select(func.max(User.id))) or 0) + 1
    rows = [{"email": f"diplomat{start + i:06d}@synthetic.example.org", "name": f"Diplomat {start + i:06d}",
             "mission_id": rng.choice(mission_ids), "active": True} for i in range(count)]
    ids = []
    for first in range(0, len(rows), BATCH):
        ids += db.session.scalars(insert(User).returning(User.id, sort_by_parameter_order=True),
                                  rows[first:first + BATCH])
    db.session.execute(insert(UserRole), [{"user_id": i, "role": "diplomat"} for i in ids])
    return list(ids)


def _memberships(user_ids: list[int], cohorts: list[int], rng: random.Random) -> None:
    rows = []
    for user_id in user_ids:
        first = rng.choice(cohorts)
        rows.append({"cohort_id": first, "user_id": user_id})
        if rng.random() < 0.1:  # some diplomats repeat a round
            second = rng.choice([c for c in cohorts if c != first] or [first])
            if second != first:
                rows.append({"cohort_id": second, "user_id": user_id})
    db.session.execute(insert(CohortMember), rows)


def _learner_course(plan: Plan, rng: random.Random, user_id: int, course: dict, skill: float, now: datetime) -> None:
    """One learner's history in one course: not started, part way, or complete."""
    roll = rng.random()
    if roll < 0.15:
        return
    steps = sum(len(m["lessons"]) + (1 if m["quiz"] else 0) for m in course["modules"])
    reach = steps if roll > 0.55 else rng.randint(1, max(steps - 1, 1))
    moment = now - timedelta(days=rng.uniform(5, 365))
    first, done_steps = moment, 0
    all_done = True
    for module in course["modules"]:
        module_done = True
        for lesson_id in module["lessons"]:
            if done_steps >= reach:
                module_done = False
                break
            moment += timedelta(minutes=rng.uniform(5, 3 * 24 * 60))
            moment = min(moment, now)
            plan.rows["lessons"].append({"user_id": user_id, "lesson_id": lesson_id, "viewed_at": moment,
                                         "last_viewed_at": moment, "completed_at": moment})
            done_steps += 1
        if module_done and module["quiz"] and done_steps < reach:
            moment = min(moment + timedelta(hours=rng.uniform(1, 48)), now)
            module_done = _attempts(plan, rng, user_id, module["quiz"], skill, moment)
            done_steps += 1
        elif module["quiz"]:
            module_done = False
        if module_done:
            plan.rows["modules"].append({"user_id": user_id, "module_id": module["id"], "completed_at": moment})
        all_done = all_done and module_done
    plan.rows["activity"].append({"user_id": user_id, "course_id": course["id"], "first_at": first,
                                  "last_at": moment})
    if all_done:
        plan.rows["courses"].append({"user_id": user_id, "course_id": course["id"], "completed_at": moment})


def _attempts(plan: Plan, rng: random.Random, user_id: int, quiz: Quiz, skill: float, moment: datetime) -> bool:
    """One to three attempts at a quiz; returns whether one passed."""
    limit = quiz.max_attempts or 3
    for number in range(1, min(limit, 3) + 1):
        answers, points, total = [], 0.0, 0.0
        for position, question in enumerate(plan.questions_of(quiz)):
            right = rng.random() < min(skill + 0.1 * (number - 1), 0.98)
            total += question.points
            points += question.points if right else 0.0
            answers.append({"question_key": question.key, "position": position, "points": question.points * right,
                            "max_points": question.points, "correct": right, "feedback": [],
                            "response": question_type(question.type).example_answer(question, right, rng)})
        percent = round(100 * points / total, 2) if total else 0.0
        passed = percent >= quiz.pass_mark
        plan.rows["attempts"].append(({"user_id": user_id, "quiz_id": quiz.id, "number": number, "questions": [],
                                       "pass_mark": quiz.pass_mark, "started_at": moment, "submitted_at": moment,
                                       "points": points, "max_points": total, "percent": percent, "passed": passed},
                                      answers))
        if passed:
            return True
        moment += timedelta(hours=rng.uniform(1, 72))
    return False


def _write(plan: Plan) -> dict[str, int]:
    rows = plan.rows
    for model, key in ((LessonProgress, "lessons"), (CourseActivity, "activity"), (ModuleCompletion, "modules"),
                       (CourseCompletion, "courses")):
        for first in range(0, len(rows[key]), BATCH):
            db.session.execute(insert(model), rows[key][first:first + BATCH])
    answers = 0
    for first in range(0, len(rows["attempts"]), BATCH):
        batch = rows["attempts"][first:first + BATCH]
        ids = list(db.session.scalars(insert(QuizAttempt).returning(QuizAttempt.id, sort_by_parameter_order=True),
                                      [attempt for attempt, _ in batch]))
        answer_rows = [dict(answer, attempt_id=attempt_id) for attempt_id, (_, items) in zip(ids, batch, strict=True)
                       for answer in items]
        for start in range(0, len(answer_rows), BATCH * 5):
            db.session.execute(insert(AttemptAnswer), answer_rows[start:start + BATCH * 5])
        answers += len(answer_rows)
    return {"lesson records": len(rows["lessons"]), "quiz attempts": len(rows["attempts"]), "answers": answers,
            "course completions": len(rows["courses"])}
