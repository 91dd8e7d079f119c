"""The bundled curriculum: every module has lessons and a quiz, and everything imports and resolves."""
import re
from pathlib import Path

from sqlalchemy import select

from lms.content.importer import import_content
from lms.extensions import db
from lms.models import Lesson, Module, Quiz

REPO = Path(__file__).resolve().parents[2]
MODULES = ["content-planning", "event-coverage", "crisis-communications", "advocacy-and-engagement",
           "official-accounts", "measuring-results"]


def test_whole_curriculum_imports_with_a_quiz_per_module(app):
    with app.app_context():
        summary = import_content(REPO / "courses", REPO / "quizzes")
        db.session.commit()
        modules = db.session.scalars(select(Module).order_by(Module.position)).all()
        assert [m.slug for m in modules] == MODULES
        quizzes = {q.module_id: q for q in db.session.scalars(select(Quiz))}
        for module in modules:
            lessons = db.session.scalars(select(Lesson).where(Lesson.module_id == module.id)).all()
            assert 4 <= len(lessons) <= 6, module.slug
            assert all(lesson.title.strip() and lesson.minutes >= 1 for lesson in lessons)
            assert 8 <= len(quizzes[module.id].questions) <= 12, module.slug
    assert all("0 retired" in line for line in summary.lines())


def test_every_lesson_link_and_image_resolves_on_the_site(app, client, make_user, login):
    with app.app_context():
        import_content(REPO / "courses", REPO / "quizzes")
        db.session.commit()
        lessons = db.session.scalars(select(Lesson)).all()
        pages = [lesson.body_html for lesson in lessons]
    login(make_user())
    targets = {t for html in pages for t in re.findall(r'(?:href|src)="(/courses/[^"#]+)', html)}
    assert targets
    for target in sorted(targets):
        with client.get(target) as response:
            assert response.status_code == 200, target
