"""`flask prepare`, which `make run` calls: several servers preparing one empty database at once all come up,
and a content problem is reported without stopping the server, which serves the last good content."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.pool import NullPool

from lms.accounts import create_user
from lms.extensions import db
from lms.models import Course, Lesson, Mission, Module, Quiz, User
from lms.prepare import exclusive
from tests.fixtures.app import TEST_CONFIG
from tests.helpers import DATA, PASSWORD, sign_in

REPO = Path(__file__).resolve().parents[1]
READER = SimpleNamespace(email="reader@example.org")


def flask(database_url: str, instance: Path, courses: Path, *args: str) -> subprocess.Popen:
    """The real ``flask --app lms`` CLI in a process of its own, configured as a server would be."""
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "LMS_ENV")}
    env.update(DATABASE_URL=database_url, LMS_INSTANCE_PATH=str(instance), SECRET_KEY="shared by the servers",
               COURSES_DIR=str(courses), PASSWORD_HASH_METHOD=TEST_CONFIG["PASSWORD_HASH_METHOD"])
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "lms", *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finished(process: subprocess.Popen) -> tuple[int, str]:
    output, _ = process.communicate(timeout=120)
    return process.returncode, output


def prepare_twice_at_once(database_url: str, tmp_path: Path) -> list[str]:
    """Two servers, each with its own instance folder, prepare one database at the same moment."""
    servers = [flask(database_url, tmp_path / f"instance-{n}", DATA / "courses", "prepare") for n in (1, 2)]
    results = [finished(server) for server in servers]
    for code, output in results:
        assert code == 0, output
    return [output for _code, output in results]


def assert_prepared_once(database_url: str, outputs: list[str]) -> None:
    engine = create_engine(database_url, poolclass=NullPool)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM alembic_version")) == 1
        for model, key in ((Course, Course.slug), (Module, Module.slug), (Lesson, Lesson.slug), (Quiz, Quiz.id),
                           (Mission, Mission.code), (User, User.email)):
            total, distinct = conn.execute(select(func.count(), func.count(key.distinct())).select_from(model)).one()
            assert total == distinct and total > 0, model.__name__
    engine.dispose()
    assert sum("Demo accounts (saved to" in output for output in outputs) == 1, outputs
    second = next(output for output in outputs if "Demo accounts (saved to" not in output)
    for kind, count in (("courses", 1), ("modules", 2), ("lessons", 3), ("assets", 1), ("quizzes", 1)):
        assert f"{kind}: 0 added, 0 updated, 0 retired, {count} unchanged" in second, second
    assert sum("Demo accounts already exist: another server" in output for output in outputs) == 1, outputs


def test_two_servers_prepare_one_empty_postgresql_database_at_once(new_database, tmp_path):
    url = new_database("postgresql", "prepare")
    outputs = prepare_twice_at_once(url, tmp_path)
    assert_prepared_once(url, outputs)


def test_prepare_waits_while_another_server_holds_the_sqlite_lock(tmp_path, make_app):
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    holder = make_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with holder.app_context(), exclusive():
        server = flask(url, tmp_path / "instance", DATA / "courses", "prepare", "--no-demo")
        assert server.stdout.readline() == "Waiting for another server to finish preparing this database...\n"
        assert "course" not in inspect(db.engine).get_table_names()
    code, output = finished(server)
    assert code == 0 and "courses: 1 added" in output, output


@pytest.fixture
def prepared(tmp_path, courses_dir, quizzes_dir) -> str:
    """A SQLite database prepared by the real CLI from a private copy of the test content; returns its URL."""
    url = f"sqlite:///{tmp_path / 'served.sqlite3'}"
    code, output = finished(flask(url, tmp_path / "instance", courses_dir, "prepare", "--no-demo"))
    assert code == 0, output
    return url


def served_lesson(make_app, url: str) -> str:
    """The drill lesson's body as a server on ``url`` shows it to a signed-in diplomat."""
    app = make_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if db.session.scalar(select(User.id).where(User.email == READER.email)) is None:
            create_user(READER.email, "Reader", PASSWORD, ["diplomat"], None)
            db.session.commit()
    client = app.test_client()
    sign_in(client, READER)
    response = client.get("/courses/intro-course/practice/drill")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_conflict_with_a_browser_edit_is_reported_and_the_last_good_content_served(
        prepared, tmp_path, courses_dir, make_app):
    engine = create_engine(prepared, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text("UPDATE lesson SET source = source || 'Browser text.', body_html = '<p>Browser text.</p>'"
                          " WHERE slug = 'drill'"))
    engine.dispose()
    drill = courses_dir / "intro-course" / "02-practice" / "01-drill.md"
    drill.write_text("---\ntitle: File\nminutes: 5\n---\nFile text.\n")
    code, output = finished(flask(prepared, tmp_path / "instance", courses_dir, "prepare", "--no-demo"))
    assert code == 0, output
    assert "courses/intro-course/02-practice/01-drill.md:1: changed in the browser and in this file" in output
    assert "Content NOT imported: 1 problem(s)" in output
    assert "Browser text." in served_lesson(make_app, prepared)
    code, output = finished(flask(prepared, tmp_path / "instance", courses_dir, "import-content"))
    assert code == 1 and "Import failed: 1 problem(s)" in output


def test_broken_content_files_are_reported_and_the_last_good_content_served(
        prepared, tmp_path, courses_dir, make_app):
    assert "Practise what you learnt" in served_lesson(make_app, prepared)
    (courses_dir / "intro-course" / "02-practice" / "01-drill.md").write_text("---\ntitle: [unclosed\n---\nx\n")
    (courses_dir / "intro-course" / "01-basics" / "02-second-steps.md").write_text("No front matter at all.\n")
    code, output = finished(flask(prepared, tmp_path / "instance", courses_dir, "prepare", "--no-demo"))
    assert code == 0, output
    assert "01-drill.md" in output and "02-second-steps.md" in output and "Content NOT imported" in output
    assert "Practise what you learnt" in served_lesson(make_app, prepared)
