"""export-content writes the database back as files, byte for byte, and the rules for browser edits hold."""
from pathlib import Path

from sqlalchemy import select

from lms.content.importer import import_content
from lms.content.sync import text_hash
from lms.documents.frontmatter import compose
from lms.extensions import db
from lms.models import Lesson, Module
from lms.studio.structure import create_lesson, retire

REPO = Path(__file__).resolve().parents[2]


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def import_into(app, courses: Path, quizzes: Path) -> None:
    with app.app_context():
        import_content(courses, quizzes)
        db.session.commit()


def test_round_trip_of_the_bundled_curriculum_is_byte_identical(app, runner, fresh_app, tmp_path):
    import_into(app, REPO / "courses", REPO / "quizzes")
    first = runner.invoke(args=["export-content", str(tmp_path / "a")])
    assert first.exit_code == 0, first.output
    assert tree(tmp_path / "a" / "courses") == tree(REPO / "courses")
    assert tree(tmp_path / "a" / "quizzes") == {k: v for k, v in tree(REPO / "quizzes").items() if k != ".gitkeep"}
    again = fresh_app()  # an empty database of its own
    import_into(again, tmp_path / "a" / "courses", tmp_path / "a" / "quizzes")
    assert again.test_cli_runner().invoke(args=["export-content", str(tmp_path / "b")]).exit_code == 0
    assert tree(tmp_path / "b") == tree(tmp_path / "a")


def test_export_refuses_a_non_empty_folder_unless_replacing(app, runner, content, tmp_path):
    (tmp_path / "out" / "courses").mkdir(parents=True)
    (tmp_path / "out" / "courses" / "keep.txt").write_text("x")
    refused = runner.invoke(args=["export-content", str(tmp_path / "out")])
    assert refused.exit_code != 0 and "not empty" in refused.output
    replaced = runner.invoke(args=["export-content", str(tmp_path / "out"), "--replace"])
    assert replaced.exit_code == 0 and not (tmp_path / "out" / "courses" / "keep.txt").exists()


def edit_in_browser(app, slug: str, text: str) -> None:
    with app.app_context():
        lesson = db.session.scalar(select(Lesson).where(Lesson.slug == slug))
        lesson.source = text
        db.session.commit()


def lesson_source(app, slug: str) -> str:
    with app.app_context():
        return db.session.scalar(select(Lesson.source).where(Lesson.slug == slug))


def test_import_keeps_a_browser_edit_of_an_unchanged_file(app, runner, content):
    browser = "---\ntitle: Edited in the browser\nminutes: 5\n---\nNew text.\n"
    edit_in_browser(app, "drill", browser)
    result = runner.invoke(args=["import-content", "--courses", str(content)])
    assert result.exit_code == 0 and "kept (edited in the browser)" in result.output
    assert lesson_source(app, "drill") == browser


def test_import_stops_when_file_and_browser_both_changed(app, runner, content):
    edit_in_browser(app, "drill", "---\ntitle: Browser\nminutes: 5\n---\nBrowser text.\n")
    path = content / "intro-course" / "02-practice" / "01-drill.md"
    path.write_text("---\ntitle: File\nminutes: 5\n---\nFile text.\n")
    result = runner.invoke(args=["import-content", "--courses", str(content)])
    assert result.exit_code == 1
    assert "courses/intro-course/02-practice/01-drill.md:1: changed in the browser and in this file" in result.output
    assert "Browser text." in lesson_source(app, "drill")


def test_import_takes_a_changed_file_over_an_unedited_page(app, runner, content):
    path = content / "intro-course" / "02-practice" / "01-drill.md"
    path.write_text("---\ntitle: File\nminutes: 5\n---\nFile text.\n")
    assert runner.invoke(args=["import-content", "--courses", str(content)]).exit_code == 0
    assert "File text." in lesson_source(app, "drill")
    with app.app_context():
        assert db.session.scalar(select(Lesson.imported_hash).where(Lesson.slug == "drill")) == text_hash(
            path.read_text())


def test_pages_made_in_the_browser_survive_an_import_without_their_file(app, runner, content, make_user):
    trainer = make_user("trainer")
    with app.app_context():
        module = db.session.scalar(select(Module).where(Module.slug == "practice"))
        create_lesson(module, "browser-made", compose("Made here", "Text.", False, minutes=3), trainer.id)
        db.session.commit()
    result = runner.invoke(args=["import-content", "--courses", str(content)])
    assert result.exit_code == 0, result.output
    assert "lessons: 0 added, 0 updated, 0 retired, 3 unchanged, 1 kept (edited in the browser)" in result.output
    with app.app_context():
        assert db.session.scalar(select(Lesson.retired_at).where(Lesson.slug == "browser-made")) is None


def test_a_page_retired_in_the_browser_stays_retired_after_an_import(app, runner, content):
    with app.app_context():
        retire(db.session.scalar(select(Lesson).where(Lesson.slug == "drill")))
        db.session.commit()
    result = runner.invoke(args=["import-content", "--courses", str(content)])
    assert result.exit_code == 0 and "1 kept (edited in the browser)" in result.output
    with app.app_context():
        assert db.session.scalar(select(Lesson.retired_at).where(Lesson.slug == "drill")) is not None
