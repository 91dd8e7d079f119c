"""Make the database match the content files, without ever silently losing a browser edit.

The rule, per page (and quiz): the row remembers the hash of the text it last imported.
- File unchanged since the last import, page edited in the browser: the browser version stays.
- File changed, page not edited in the browser: the file's version is imported.
- Both changed (to different texts): the import stops with a problem naming the file;
  export the browser version (``flask export-content``), merge, and import again.
- A file that is gone retires its page, unless the page was made or edited in the browser;
  a page retired in the browser stays retired while its file is unchanged.
"""
from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import defer, joinedload

from ..documents.errors import Problem
from ..extensions import db
from ..models import Asset, Course, Lesson, Module, Quiz, Revision
from ..models.base import utcnow
from .tree import CourseDir, Page

BOTH_CHANGED = ("changed in the browser and in this file since the last import: export the browser version "
                "with 'flask --app lms export-content DIR', merge the two, and import again")


def text_hash(text: str) -> str:
    """The hash remembered for a text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def edited_in_browser(row) -> bool:
    """True when the row's text is not what was last imported (or it was made in the browser)."""
    return row.imported_hash != text_hash(row.source)


def _conflicts(row, source: str) -> bool:
    return (row is not None and row.source != source and edited_in_browser(row)
            and row.imported_hash != text_hash(source))


def browser_conflicts(courses: list[CourseDir], quizzes: list) -> list[Problem]:
    """Files whose page (or quiz) was also changed in the browser since the last import."""
    rows = {(c.slug,): c for c in db.session.scalars(select(Course))}
    rows |= {(m.course.slug, m.slug): m for m in db.session.scalars(select(Module).options(joinedload(Module.course)))}
    rows |= {(lesson.module.course.slug, lesson.module.slug, lesson.slug): lesson for lesson in db.session.scalars(
        select(Lesson).options(joinedload(Lesson.module).joinedload(Module.course)))}
    problems = []
    for course in courses:
        pages = [((course.slug,), course)] + [((course.slug, m.slug), m) for m in course.modules]
        pages += [((course.slug, m.slug, lesson.slug), lesson) for m in course.modules for lesson in m.lessons]
        problems += [Problem(page.path, 1, BOTH_CHANGED)
                     for key, page in pages if _conflicts(rows.get(key), page.source)]
    quiz_rows = {(q.module.course.slug, q.module.slug): q for q in db.session.scalars(
        select(Quiz).options(joinedload(Quiz.module).joinedload(Module.course)))}
    problems += [Problem(f"quizzes/{quiz.path}", 1, BOTH_CHANGED) for quiz in quizzes
                 if _conflicts(quiz_rows.get((quiz.course, quiz.module)), quiz.source)]
    return problems


def sync_courses(courses: list[CourseDir], html: dict[int, str], report) -> None:
    """Upsert every page by slug, retire what disappeared, keep browser edits; flushes, never commits."""
    existing = {c.slug: c for c in db.session.scalars(select(Course))}
    modules = _group(db.session.scalars(select(Module)), lambda m: m.course_id)
    lessons = _group(db.session.scalars(select(Lesson)), lambda row: row.module_id)
    assets = _group(db.session.scalars(select(Asset).options(defer(Asset.data))), lambda a: a.module_id)
    changed: list = []
    for course_dir in courses:
        course = _upsert(existing, course_dir, Course, report, "courses", changed,
                         summary=course_dir.summary, intro_html=html[id(course_dir)], dirname=course_dir.name)
        by_slug = {m.slug: m for m in modules.get(course.id, [])}
        for module_dir in course_dir.modules:
            module = _upsert(by_slug, module_dir, Module, report, "modules", changed, course=course,
                             summary=module_dir.summary, intro_html=html[id(module_dir)], dirname=module_dir.name)
            lesson_rows = {row.slug: row for row in lessons.get(module.id, [])}
            for lesson_dir in module_dir.lessons:
                _upsert(lesson_rows, lesson_dir, Lesson, report, "lessons", changed, module=module,
                        minutes=lesson_dir.minutes, body_html=html[id(lesson_dir)], filename=lesson_dir.name)
            _retire(lesson_rows, {d.slug for d in module_dir.lessons}, report, "lessons")
            _sync_assets(module, module_dir.assets, {a.filename: a for a in assets.get(module.id, [])}, report)
        _retire(by_slug, {d.slug for d in course_dir.modules}, report, "modules")
    _retire(existing, {d.slug for d in courses}, report, "courses")
    db.session.flush()
    add_revisions(changed, author_id=None, note="imported from file")


def add_revisions(rows: list, author_id: int | None, note: str) -> None:
    """Keep a revision of each row's current text."""
    kinds = {Course: "course", Module: "module", Lesson: "lesson", Quiz: "quiz"}
    db.session.add_all(Revision(kind=kinds[type(row)], object_id=row.id, author_id=author_id, note=note,
                                source=row.source) for row in rows)


def _group(rows, key) -> dict:
    grouped: dict = {}
    for row in rows:
        grouped.setdefault(key(row), []).append(row)
    return grouped


def _upsert(rows: dict, page: Page, model, report, kind: str, changed: list, **fields):
    """Create or update the row for ``page``; un-retire it; keep a browser edit of an unchanged file."""
    row = rows.get(page.slug)
    values = dict(title=page.title, source=page.source, position=page.position, draft=page.draft,
                  imported_hash=text_hash(page.source), **fields)
    if row is None:
        row = model(slug=page.slug, **values)
        db.session.add(row)
        rows[page.slug] = row
        changed.append(row)
        report.count(kind, "added")
        return row
    if edited_in_browser(row) and (row.source != page.source or row.retired_at is not None):
        report.count(kind, "kept (edited in the browser)")
        return row
    differs = row.retired_at is not None or any(getattr(row, k) != v for k, v in values.items())
    if differs:
        if row.source != page.source:
            changed.append(row)
        for key, value in values.items():
            setattr(row, key, value)
        row.retired_at = None
        row.updated_at = utcnow()
    report.count(kind, "updated" if differs else "unchanged")
    return row


def _retire(rows: dict, present: set[str], report, kind: str) -> None:
    """Hide rows whose files are gone (progress stays); pages made or edited in the browser stay."""
    for slug, row in rows.items():
        if slug in present or row.retired_at is not None:
            continue
        if edited_in_browser(row):
            report.count(kind, "kept (edited in the browser)")
        else:
            row.retired_at = utcnow()
            report.count(kind, "retired")


def _sync_assets(module: Module, files: dict, rows: dict[str, Asset], report) -> None:
    """Add and update assets from files; remove those whose file is gone, except browser uploads."""
    for filename, file in files.items():
        row = rows.get(filename)
        if row is None:
            db.session.add(Asset(module=module, filename=filename, content_type=file.content_type,
                                 sha256=file.sha256, data=file.data))
            report.count("assets", "added")
        elif row.sha256 != file.sha256:
            row.content_type, row.sha256, row.data, row.uploaded = file.content_type, file.sha256, file.data, False
            report.count("assets", "updated")
        else:
            report.count("assets", "unchanged")
    for filename, row in rows.items():
        if filename not in files and not row.uploaded:
            db.session.delete(row)  # assets carry no learner history, so they go
            report.count("assets", "retired")
