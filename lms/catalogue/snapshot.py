"""The published content, held in memory by each app worker and reloaded when it changes.

Learner pages need the same few hundred rows on every request (a course's modules, a module's
lessons, a lesson's HTML). Loading them through the ORM each time cost more than the rest of the
page, so each worker keeps one read-only copy per app and compares it with the content version
counter (lms/content/version.py) once per request.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, g, url_for
from sqlalchemy import select

from ..content import version
from ..extensions import db
from ..models import Course, Lesson, Module, Quiz
from ..questions.pools import stored_asked_count


@dataclass(eq=False, slots=True)
class LessonEntry:
    id: int
    slug: str
    title: str
    minutes: int
    body_html: str
    module: ModuleEntry
    url: str


@dataclass(eq=False, slots=True)
class QuizEntry:
    id: int
    title: str
    pass_mark: int
    max_attempts: int | None
    question_count: int
    module: ModuleEntry
    url: str


@dataclass(eq=False, slots=True)
class ModuleEntry:
    id: int
    slug: str
    title: str
    summary: str
    intro_html: str
    course: CourseEntry
    url: str  # its place on the course page
    lessons: list[LessonEntry] = field(default_factory=list)
    quiz: QuizEntry | None = None

    @property
    def course_id(self) -> int:
        return self.course.id

    def lesson(self, slug: str) -> LessonEntry | None:
        return next((lesson for lesson in self.lessons if lesson.slug == slug), None)


@dataclass(eq=False, slots=True)
class CourseEntry:
    id: int
    slug: str
    title: str
    summary: str
    intro_html: str
    url: str
    modules: list[ModuleEntry] = field(default_factory=list)

    def module(self, slug: str) -> ModuleEntry | None:
        return next((module for module in self.modules if module.slug == slug), None)


@dataclass(frozen=True)
class Snapshot:
    """Every live course, module, lesson and quiz, in learner order, with their addresses. Treat it as read-only.

    Addresses are built once here: a course page lists dozens, and building each per request cost more
    than the page's queries.
    """

    version: int
    courses: list[CourseEntry]

    def course(self, slug: str) -> CourseEntry | None:
        return next((course for course in self.courses if course.slug == slug), None)


def current() -> Snapshot:
    """This worker's snapshot, reloaded first if the content changed since it was taken."""
    if "content_snapshot" not in g:
        number = version.current()
        snapshot = current_app.extensions.get("content_snapshot")
        if snapshot is None or snapshot.version != number:
            # The number is read first: content loaded after it is at least that new, so a change made
            # in between costs one more reload later, never a stale copy marked current.
            snapshot = current_app.extensions["content_snapshot"] = _load(number)
        g.content_snapshot = snapshot
    return g.content_snapshot


def _load(number: int) -> Snapshot:
    order = lambda model: (model.position, model.slug)  # noqa: E731
    courses = {row.id: CourseEntry(row.id, row.slug, row.title, row.summary, row.intro_html,
                                   url_for("learn.course", course_slug=row.slug)) for row in
               db.session.execute(select(Course.id, Course.slug, Course.title, Course.summary, Course.intro_html)
                                  .where(Course.visible()).order_by(*order(Course)))}
    modules = {}
    for row in db.session.execute(
            select(Module.id, Module.course_id, Module.slug, Module.title, Module.summary, Module.intro_html)
            .where(Module.visible(), Module.course_id.in_(list(courses))).order_by(*order(Module))):
        course = courses[row.course_id]
        modules[row.id] = ModuleEntry(row.id, row.slug, row.title, row.summary, row.intro_html, course,
                                      f"{course.url}#module-{row.slug}")
        course.modules.append(modules[row.id])
    for row in db.session.execute(
            select(Lesson.id, Lesson.module_id, Lesson.slug, Lesson.title, Lesson.minutes, Lesson.body_html)
            .where(Lesson.visible(), Lesson.module_id.in_(list(modules))).order_by(*order(Lesson))):
        module = modules[row.module_id]
        module.lessons.append(LessonEntry(row.id, row.slug, row.title, row.minutes, row.body_html, module, url_for(
            "learn.lesson", course_slug=module.course.slug, module_slug=module.slug, lesson_slug=row.slug)))
    for row in db.session.execute(
            select(Quiz.id, Quiz.module_id, Quiz.title, Quiz.pass_mark, Quiz.max_attempts, Quiz.questions, Quiz.draw)
            .where(Quiz.retired_at.is_(None), Quiz.module_id.in_(list(modules)))):
        module = modules[row.module_id]
        module.quiz = QuizEntry(row.id, row.title, row.pass_mark, row.max_attempts,
                                stored_asked_count(row.questions, row.draw), module,
                                url_for("quizzes.show", course_slug=module.course.slug, module_slug=module.slug))
    return Snapshot(number, list(courses.values()))
