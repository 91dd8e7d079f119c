"""Write the database's content back out as the courses/ and quizzes/ file tree, byte for byte."""
from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Asset, Course, Lesson, Module, Quiz


class ExportError(ValueError):
    """The export would overwrite something; the message says what."""


def export_content(target: Path, replace: bool = False) -> dict[str, int]:
    """Write every page that is not retired (drafts included), its assets and quizzes under ``target``."""
    courses_dir, quizzes_dir = target / "courses", target / "quizzes"
    for folder in (courses_dir, quizzes_dir):
        if folder.exists() and any(folder.iterdir()):
            if not replace:
                raise ExportError(f"{folder} is not empty: choose an empty folder, or pass --replace to rewrite it")
            shutil.rmtree(folder)
    counts = {"courses": 0, "modules": 0, "lessons": 0, "assets": 0, "quizzes": 0}
    for course in db.session.scalars(select(Course).where(Course.retired_at.is_(None))):
        _write(courses_dir / course.dirname / "course.md", course.source)
        counts["courses"] += 1
    modules = db.session.scalars(select(Module).options(joinedload(Module.course))
                                 .where(Module.retired_at.is_(None)).join(Module.course)
                                 .where(Course.retired_at.is_(None))).all()
    folders = {m.id: courses_dir / m.course.dirname / m.dirname for m in modules}
    for module in modules:
        _write(folders[module.id] / "module.md", module.source)
    counts["modules"] = len(modules)
    for lesson in db.session.scalars(select(Lesson).where(Lesson.retired_at.is_(None), Lesson.module_id.in_(folders))):
        _write(folders[lesson.module_id] / lesson.filename, lesson.source)
        counts["lessons"] += 1
    for asset in db.session.scalars(select(Asset).where(Asset.module_id.in_(folders))):
        _write(folders[asset.module_id] / asset.filename, asset.data)
        counts["assets"] += 1
    for quiz in db.session.scalars(select(Quiz).where(Quiz.retired_at.is_(None), Quiz.module_id.in_(folders))):
        _write(quizzes_dir / quiz.filename, quiz.source)
        counts["quizzes"] += 1
    return counts


def _write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))  # the text exactly as stored, no newline translation
