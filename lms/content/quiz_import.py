"""Sync parsed quiz files into the database; rendering happens here, once per import."""
from __future__ import annotations

import json
import posixpath

from sqlalchemy import select

from ..documents.errors import ContentError, Problem
from ..extensions import db
from ..models import Course, Module, Quiz
from ..models.base import utcnow
from ..questions.pools import rules_to_json
from ..questions.serialize import markdown_fields, question_to_dict
from .quiz_files import QuizFile
from .render import MarkdownRefused, render_inline, render_markdown
from .sync import add_revisions, edited_in_browser, text_hash


def quiz_questions(quiz: QuizFile) -> list[dict]:
    """The quiz's questions as stored: the parsed question and the HTML of each markdown text in it."""
    stored = []
    for question in quiz.spec.questions:
        short = {c.text for c in question.choices} | {p.left for p in question.pairs}
        try:
            html = {text: (render_inline(text) if text in short else render_markdown(text))
                    for text in markdown_fields(question)}
        except MarkdownRefused as exc:
            # The line within one field of the question is not the file's: the question's line is.
            raise ContentError([Problem(posixpath.join("quizzes", quiz.path), question.line, exc.message)]) from None
        stored.append({"spec": question_to_dict(question), "html": html})
    return stored


def _as_stored(value):
    """A value as its JSON column gives it back (lists where the parsed spec has tuples), so that an
    unchanged file compares equal and changes nothing."""
    return json.loads(json.dumps(value)) if isinstance(value, (list, tuple, dict)) else value


def sync_quizzes(quizzes: list[QuizFile], report) -> None:
    """Create or update each module's quiz; retire quizzes whose file is gone. Attempts are never touched."""
    modules = {(course, module): module_id for module_id, course, module in db.session.execute(
        select(Module.id, Course.slug, Module.slug).join(Module.course))}
    existing = {quiz.module_id: quiz for quiz in db.session.scalars(select(Quiz))}
    present, changed = set(), []
    for quiz_file in quizzes:
        module_id = modules[(quiz_file.course, quiz_file.module)]
        present.add(module_id)
        spec = quiz_file.spec
        for renamed in spec.renamed:
            report.note(renamed)
        values = dict(title=spec.title, pass_mark=spec.pass_mark, max_attempts=spec.max_attempts,
                      shuffle_questions=spec.shuffle_questions, shuffle_options=spec.shuffle_options,
                      reveal=spec.reveal, source=quiz_file.source, filename=quiz_file.path,
                      questions=quiz_questions(quiz_file), draw=rules_to_json(spec.draw),
                      imported_hash=text_hash(quiz_file.source))
        values = {key: _as_stored(value) for key, value in values.items()}
        row = existing.get(module_id)
        if row is None:
            row = Quiz(module_id=module_id, **values)
            db.session.add(row)
            changed.append(row)
            report.count("quizzes", "added")
        elif edited_in_browser(row) and (row.source != quiz_file.source or row.retired_at is not None):
            report.count("quizzes", "kept (edited in the browser)")
        elif row.retired_at is not None or any(getattr(row, k) != v for k, v in values.items()):
            if row.source != quiz_file.source:
                changed.append(row)
            for key, value in values.items():
                setattr(row, key, value)
            row.retired_at, row.updated_at = None, utcnow()
            report.count("quizzes", "updated")
        else:
            report.count("quizzes", "unchanged")
    for module_id, row in existing.items():
        if module_id not in present and row.retired_at is None and not edited_in_browser(row):
            row.retired_at = utcnow()
            report.count("quizzes", "retired")
    db.session.flush()
    add_revisions(changed, author_id=None, note="imported from file")
