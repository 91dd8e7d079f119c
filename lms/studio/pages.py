"""Check and render a page or quiz typed in the browser with the same rules as import-content."""
from __future__ import annotations

import posixpath

from sqlalchemy import select

from ..content.importer import site_url
from ..content.links import Target, Targets, check_links, render_page, url_rewriter
from ..content.quiz_files import QuizFile
from ..content.quiz_import import quiz_questions
from ..content.tree import Page, page_from_text
from ..documents.errors import ContentError
from ..extensions import db
from ..models import Asset, Course, Lesson, Module, Quiz
from ..questions import parse_quiz


def db_targets() -> Targets:
    """Every file a relative link may point at, as the import would see the tree (from the database)."""
    targets = Targets()
    courses = {c.id: c for c in db.session.scalars(select(Course).where(Course.retired_at.is_(None)))}
    modules = {m.id: m for m in db.session.scalars(select(Module).where(Module.retired_at.is_(None)))
               if m.course_id in courses}
    for course in courses.values():
        targets[posixpath.join(course.dirname, "course.md")] = Target("course", course.slug)
    for module in modules.values():
        course = courses[module.course_id]
        folder = posixpath.join(course.dirname, module.dirname)
        targets[posixpath.join(folder, "module.md")] = Target("module", course.slug, module.slug)
    lessons = db.session.execute(select(Lesson.module_id, Lesson.filename, Lesson.slug)
                                 .where(Lesson.retired_at.is_(None), Lesson.module_id.in_(modules)))
    assets = db.session.execute(select(Asset.module_id, Asset.filename).where(Asset.module_id.in_(modules)))
    for module_id, name, slug in lessons:
        module, course = modules[module_id], courses[modules[module_id].course_id]
        targets[posixpath.join(course.dirname, module.dirname, name)] = Target("lesson", course.slug, module.slug, slug)
    for module_id, name in assets:
        module, course = modules[module_id], courses[modules[module_id].course_id]
        targets[posixpath.join(course.dirname, module.dirname, name)] = Target("asset", course.slug, module.slug, name)
    return targets


def page_path(kind: str, course: Course, module: Module | None = None, filename: str = "") -> str:
    """Where the page lives in the courses/ tree, e.g. courses/c/01-m/02-l.md."""
    if kind == "course":
        return posixpath.join("courses", course.dirname, "course.md")
    if kind == "module":
        return posixpath.join("courses", course.dirname, module.dirname, "module.md")
    return posixpath.join("courses", course.dirname, module.dirname, filename)


def check_page(kind: str, path: str, text: str, slug: str, position: int) -> tuple[Page, str]:
    """Validate the text as import-content would (front matter, links) and render it; raises ContentError."""
    page = page_from_text(kind, path, posixpath.basename(path), text, slug, position)
    targets = db_targets()
    problems = check_links(page, targets)
    if problems:
        raise ContentError(problems)
    return page, render_page(page, url_rewriter(page, targets, site_url))


def check_quiz(quiz: Quiz | None, course: Course, module: Module, filename: str, text: str) -> tuple:
    """Parse a quiz typed in the browser (markdown or GIFT by its file name); returns (spec, stored questions)."""
    path = posixpath.join("quizzes", course.slug, filename)
    spec = parse_quiz(path, text)
    stored = quiz_questions(QuizFile(course.slug, module.slug, posixpath.join(course.slug, filename), text, spec))
    return spec, stored


__all__ = ["ContentError", "check_page", "check_quiz", "db_targets", "page_path"]
