"""Import the content folders into the database: validate everything, then write.

The importer only adds and flushes; the caller (CLI command or view) commits once,
so a failure anywhere leaves the database exactly as it was.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..documents.errors import ContentError
from .links import Target, check_links, render_page, site_targets, url_rewriter
from .quiz_files import load_quizzes
from .quiz_import import sync_quizzes
from .sync import browser_conflicts, sync_courses
from .tree import CourseDir, Page, read_courses


@dataclass
class ImportSummary:
    """What an import added, updated, retired or left alone, per kind of row."""

    counts: dict[str, Counter] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # things a trainer should know, e.g. renamed question keys

    def count(self, kind: str, outcome: str) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += 1

    def note(self, text: str) -> None:
        """Keep a remark for the end of the summary."""
        self.notes.append(text)

    def lines(self) -> list[str]:
        """One readable line per kind, e.g. ``lessons: 2 added, 1 updated, 0 retired, 5 unchanged``, then the notes."""
        order = ("added", "updated", "retired", "unchanged")
        return [
            f"{kind}: " + ", ".join(f"{self.counts[kind][o]} {o}" for o in order)
            + "".join(f", {n} {o}" for o, n in self.counts[kind].items() if o not in order)
            for kind in ("courses", "modules", "lessons", "assets", "quizzes") if kind in self.counts
        ] + self.notes


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
    html = {id(page): render_page(page, url_rewriter(page, targets, url_of)) for page in pages}
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
    conflicts = browser_conflicts(courses, quizzes or [])
    if conflicts:
        raise ContentError(conflicts)
    report = ImportSummary()
    sync_courses(courses, html, report)
    if quizzes is not None:
        sync_quizzes(quizzes, report)
    return report
