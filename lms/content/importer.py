"""Import the content folders into the database: validate everything, then write.

The importer only adds and flushes; the caller (CLI command or view) commits once,
so a failure anywhere leaves the database exactly as it was.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import defer

from ..extensions import db
from ..models import Asset, Course, Lesson, Module
from ..models.base import utcnow
from .errors import ContentError
from .links import Target, check_links, site_targets, url_rewriter
from .quiz_files import load_quizzes
from .quiz_import import sync_quizzes
from .render import render_markdown
from .tree import CourseDir, Page, read_courses


@dataclass
class ImportSummary:
    """What an import added, updated, retired or left alone, per kind of row."""

    counts: dict[str, Counter] = field(default_factory=dict)

    def count(self, kind: str, outcome: str) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += 1

    def lines(self) -> list[str]:
        """One readable line per kind, e.g. ``lessons: 2 added, 1 updated, 0 retired, 5 unchanged``."""
        order = ("added", "updated", "retired", "unchanged")
        return [
            f"{kind}: " + ", ".join(f"{self.counts[kind][o]} {o}" for o in order)
            for kind in ("courses", "modules", "lessons", "assets", "quizzes") if kind in self.counts
        ]


def prepare_courses(root: Path, url_of: Callable[[Target], str]) -> tuple[list[CourseDir], dict[int, str]]:
    """Load, check and render every course; returns the tree and each page's HTML by ``id(page)``."""
    courses, problems = read_courses(root)
    targets = site_targets(courses)
    pages: list[Page] = [p for c in courses for p in _pages_of(c)]
    # Links are checked even when some files are broken, so one run reports everything;
    # a link to a file that exists but did not load is that file's problem, not the link's.
    content_root = root.resolve()
    problems += [problem for page in pages
                 for problem in check_links(page, targets, lambda path: _was_read(content_root, path))]
    if problems:
        raise ContentError(problems)
    html = {id(page): render_markdown(page.body, url_rewriter(page, targets, url_of)) for page in pages}
    return courses, html


def _was_read(content_root: Path, path: str) -> bool:
    """True for a file the loader reads (a course.md, or any file in a module folder), whether or not it loaded."""
    parts = path.split("/")
    if any(part.startswith((".", "_")) for part in parts) or not (content_root / path).is_file():
        return False
    return parts[-1] == "course.md" if len(parts) == 2 else len(parts) == 3


def _pages_of(course: CourseDir) -> list[Page]:
    pages: list[Page] = [course]
    for module in course.modules:
        pages.append(module)
        pages.extend(module.lessons)
    return pages


def sync_courses(courses: list[CourseDir], html: dict[int, str]) -> ImportSummary:
    """Make the database match ``courses``: upsert by slug, retire what disappeared."""
    report = ImportSummary()
    existing = {c.slug: c for c in db.session.scalars(select(Course))}
    modules = _group(db.session.scalars(select(Module)), lambda m: m.course_id)
    lessons = _group(db.session.scalars(select(Lesson)), lambda row: row.module_id)
    assets = _group(db.session.scalars(select(Asset).options(defer(Asset.data))), lambda a: a.module_id)
    for course_dir in courses:
        course = _upsert(existing, course_dir, Course, report, "courses",
                         summary=course_dir.summary, intro_html=html[id(course_dir)])
        by_slug = {m.slug: m for m in modules.get(course.id, [])}
        for module_dir in course_dir.modules:
            module = _upsert(by_slug, module_dir, Module, report, "modules", course=course,
                             summary=module_dir.summary, intro_html=html[id(module_dir)])
            lesson_rows = {row.slug: row for row in lessons.get(module.id, [])}
            for lesson_dir in module_dir.lessons:
                _upsert(lesson_rows, lesson_dir, Lesson, report, "lessons", module=module,
                        minutes=lesson_dir.minutes, body_html=html[id(lesson_dir)])
            _retire(lesson_rows, {d.slug for d in module_dir.lessons}, report, "lessons")
            _sync_assets(module, module_dir.assets, {a.filename: a for a in assets.get(module.id, [])}, report)
        _retire(by_slug, {d.slug for d in course_dir.modules}, report, "modules")
    _retire(existing, {d.slug for d in courses}, report, "courses")
    db.session.flush()
    return report


def _group(rows, key) -> dict:
    grouped: dict = {}
    for row in rows:
        grouped.setdefault(key(row), []).append(row)
    return grouped


def _upsert(rows: dict, page: Page, model, report: ImportSummary, kind: str, **fields):
    """Create or update the row for ``page``; un-retire it if it had been retired."""
    row = rows.get(page.slug)
    name_field = "filename" if model is Lesson else "dirname"
    values = dict(title=page.title, source=page.source, position=page.position, **{name_field: page.name}, **fields)
    if row is None:
        row = model(slug=page.slug, **values)
        db.session.add(row)
        rows[page.slug] = row
        report.count(kind, "added")
        return row
    changed = row.retired_at is not None or any(getattr(row, k) != v for k, v in values.items())
    if changed:
        for key, value in values.items():
            setattr(row, key, value)
        row.retired_at = None
        row.updated_at = utcnow()
    report.count(kind, "updated" if changed else "unchanged")
    return row


def _retire(rows: dict, present: set[str], report: ImportSummary, kind: str) -> None:
    """Hide rows whose files are gone; their learners' progress stays in the database."""
    for slug, row in rows.items():
        if slug not in present and row.retired_at is None:
            row.retired_at = utcnow()
            report.count(kind, "retired")


def _sync_assets(module: Module, files: dict, rows: dict[str, Asset], report: ImportSummary) -> None:
    for filename, file in files.items():
        row = rows.get(filename)
        if row is None:
            db.session.add(Asset(module=module, filename=filename, content_type=file.content_type,
                                 sha256=file.sha256, data=file.data))
            report.count("assets", "added")
        elif row.sha256 != file.sha256:
            row.content_type, row.sha256, row.data = file.content_type, file.sha256, file.data
            report.count("assets", "updated")
        else:
            report.count("assets", "unchanged")
    for filename, row in rows.items():
        if filename not in files:
            db.session.delete(row)  # assets carry no learner history, so they go
            report.count("assets", "retired")


def site_url(target: Target) -> str:
    """The learner-facing URL of a link target; needs an app context."""
    from flask import current_app, url_for

    with current_app.test_request_context():
        if target.kind == "course":
            return url_for("learn.course", course_slug=target.course)
        if target.kind == "module":
            return url_for("learn.course", course_slug=target.course, _anchor=f"module-{target.module}")
        if target.kind == "asset":
            return url_for("learn.asset", course_slug=target.course, module_slug=target.module, filename=target.name)
        return url_for("learn.lesson", course_slug=target.course, module_slug=target.module, lesson_slug=target.name)


def import_content(courses_dir: Path, quizzes_dir: Path | None = None) -> ImportSummary:
    """Validate and render every course and quiz file, then sync the database (no commit).

    Without ``quizzes_dir`` only courses are imported and existing quizzes are left alone.
    """
    courses, html = prepare_courses(Path(courses_dir), site_url)
    quizzes = load_quizzes(Path(quizzes_dir), courses) if quizzes_dir is not None else None
    report = sync_courses(courses, html)
    if quizzes is not None:
        sync_quizzes(quizzes, report)
    return report
