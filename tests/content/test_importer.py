"""``flask import-content``: all-or-nothing imports, updates by slug, and retiring without losing progress."""
import hashlib
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.config import REPO_ROOT
from lms.content import version
from lms.content.importer import import_content
from lms.extensions import db
from lms.models import Asset, Lesson
from lms.progress import mark_complete, record_view
from tests.helpers import SQUARE_SVG, submit, table_rows

from .helpers import (
    CONTENT_TABLES,
    course_md,
    empty_content,
    import_cli,
    lesson_md,
    line_of,
    module_md,
    one_lesson_tree,
    summary_counts,
    write_tree,
)

DATA = Path(__file__).resolve().parent.parent / "data"
BROKEN = DATA / "broken" / "courses"
BUNDLED = REPO_ROOT / "courses"
FIRST = "intro-course/01-basics/01-first-steps.md"
SECOND = "intro-course/01-basics/02-second-steps.md"
SQUARE = "intro-course/01-basics/square.svg"
COURSE_PAGE = "/courses/intro-course/"
SECOND_URL = "/courses/intro-course/basics/second-steps"
SQUARE_URL = "/courses/intro-course/basics/assets/square.svg"


# --- helpers ----------------------------------------------------------------------------------------------

def files_by_kind(root: Path) -> dict[str, int]:
    """What an import of ``root`` should create, counted from the files themselves."""
    kinds = {"courses": 0, "modules": 0, "lessons": 0, "assets": 0}
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        if path.name == "course.md":
            kinds["courses"] += 1
        elif path.name == "module.md":
            kinds["modules"] += 1
        elif path.suffix == ".md":
            kinds["lessons"] += 1
        else:
            kinds["assets"] += 1
    return kinds


def counts_of(**per_kind: dict[str, int]) -> dict[str, dict[str, int]]:
    base = {"added": 0, "updated": 0, "retired": 0, "unchanged": 0}
    return {kind: {**base, **outcomes} for kind, outcomes in per_kind.items()}


def imported(runner, root: Path) -> dict[str, dict[str, int]]:
    """Run the import command, insist that it worked, and return its summary counts."""
    result = import_cli(runner, root)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Imported {root}")
    return summary_counts(result.output)


def lesson(app, slug: str) -> Lesson:
    with app.app_context():
        row = db.session.scalar(select(Lesson).filter_by(slug=slug))
        assert row is not None, slug
        db.session.expunge(row)
        return row


def progress_of(app, user, slugs: dict[str, str]) -> None:
    """Give ``user`` progress: ``{lesson slug: "viewed" | "completed"}``."""
    with app.app_context():
        for slug, state in slugs.items():
            lesson = db.session.scalar(select(Lesson).filter_by(slug=slug))
            record_view(user.id, lesson)
            if state == "completed":
                mark_complete(user.id, lesson)
        db.session.commit()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new))


@pytest.fixture
def learner(make_user, login):
    user = make_user("diplomat")
    login(user)
    return user


# --- success and summary ----------------------------------------------------------------------------------

def test_first_import_adds_everything_and_prints_the_counts(app, runner, courses_dir):
    expected = files_by_kind(courses_dir)
    assert imported(runner, courses_dir) == counts_of(**{k: {"added": n} for k, n in expected.items()})
    rows = table_rows(app)
    assert {k: len(rows[t]) for k, t in [("courses", "course"), ("modules", "module"), ("lessons", "lesson"),
                                         ("assets", "asset")]} == expected


def test_importing_twice_reports_everything_unchanged(app, runner, courses_dir):
    imported(runner, courses_dir)
    before = table_rows(app)
    expected = files_by_kind(courses_dir)
    assert imported(runner, courses_dir) == counts_of(**{k: {"unchanged": n} for k, n in expected.items()})
    assert table_rows(app) == before  # not even updated_at moved


def test_default_folder_comes_from_the_config(app, runner, tmp_path):
    # Quizzes have tests of their own; an empty quizzes folder keeps this test about the courses.
    result = runner.invoke(args=["import-content", "--quizzes", str(tmp_path / "no-quizzes")])
    assert result.exit_code == 0, result.output
    default = Path(app.config["COURSES_DIR"])
    assert result.output.startswith(f"Imported {default}")
    assert summary_counts(result.output)["lessons"]["added"] == files_by_kind(default)["lessons"]


# --- failures change nothing ------------------------------------------------------------------------------

def test_broken_file_fails_prints_path_line_and_changes_nothing(app, runner, courses_dir, make_user):
    imported(runner, courses_dir)
    progress_of(app, make_user("diplomat"), {"first-steps": "completed", "drill": "viewed"})
    before = table_rows(app)
    assert all(before[model.__tablename__] for model in CONTENT_TABLES)  # something to protect in every table
    # Changes that would add, update, retire and replace rows ...
    edit(courses_dir / SECOND, "The second lesson.", "The second lesson, rewritten.")
    (courses_dir / "intro-course/01-basics/03-third.md").write_text(lesson_md("Third"))
    (courses_dir / SQUARE).write_text(SQUARE_SVG.replace("#333", "#c00"))
    edit(courses_dir / "intro-course/course.md", "Introduction course", "Renamed course")
    # ... and one broken file.
    broken = courses_dir / FIRST
    edit(broken, "minutes: 5", "minutes: five")
    result = import_cli(runner, courses_dir)
    assert result.exit_code == 1
    expected = f"courses/{FIRST}:{line_of(broken.read_text(), 'minutes:')}: 'minutes' must be a whole number"
    assert result.stderr.splitlines() == [expected, "Import failed: 1 problem(s); nothing was changed."]
    assert "Imported" not in result.output
    assert table_rows(app) == before


def test_broken_link_in_a_tree_of_new_lessons_writes_none_of_them(app, runner, tmp_path):
    root = write_tree(tmp_path / "courses", {
        **one_lesson_tree("Fine.\n"),
        "c/01-m/02-two.md": lesson_md("Two"),
        "c/01-m/03-three.md": lesson_md("Three", body="Intro.\n\nSee [four](04-four.md).\n"),
        "c/01-m/pic.svg": SQUARE_SVG,
        "d/course.md": course_md(), "d/01-m/module.md": module_md(), "d/01-m/01-l.md": lesson_md(),
    })
    result = import_cli(runner, root)
    line = line_of((root / "c/01-m/03-three.md").read_text(), "04-four.md")
    assert result.exit_code == 1
    assert f"courses/c/01-m/03-three.md:{line}: broken link: '04-four.md' does not exist" in result.stderr
    assert empty_content(app)


def test_every_problem_of_a_broken_tree_is_printed(app, runner):
    """tests/data/broken/courses: lines marked '# PROBLEM', plus the file-level problems below."""
    expected = {
        f"courses/{path.relative_to(BROKEN)}:{number}"
        for path in BROKEN.rglob("*.md") if path.read_bytes().isascii()
        for number, text in enumerate(path.read_text().splitlines(), start=1) if "# PROBLEM" in text
    } | {
        "courses/diplomacy-basics/01-first/diagram.bmp:1",    # unsupported file type
        "courses/diplomacy-basics/02-second/module.md:1",     # missing module.md
        "courses/press-office/course.md:1",                   # missing required key 'summary'
        "courses/press-office/01-m/03-Bad-Name.md:1",         # upper-case file name
        "courses/press-office/01-m/05-cafe.md:1",             # Latin-1, not UTF-8
    }
    assert len(expected) == 8
    result = import_cli(runner, BROKEN)
    assert result.exit_code == 1
    *problems, last = result.stderr.splitlines()
    assert {re.match(r"^(\S+:\d+): \S", p).group(1) for p in problems} == expected, result.stderr
    assert len(problems) == len(expected)
    assert last == f"Import failed: {len(expected)} problem(s); nothing was changed."
    assert empty_content(app)


def test_front_matter_and_link_problems_are_reported_in_one_run(runner, tmp_path):
    root = write_tree(tmp_path / "courses", {**one_lesson_tree("See [nothing](nothing.md).\n"),
                                             "c/01-m/02-x.md": lesson_md(minutes="ten")})
    result = import_cli(runner, root)
    assert "courses/c/01-m/02-x.md:3:" in result.stderr and "courses/c/01-m/01-l.md:5:" in result.stderr


def test_title_too_long_for_the_database_is_a_path_line_problem(app, runner, tmp_path):
    text = lesson_md("T" * 250)
    root = write_tree(tmp_path / "courses", {**one_lesson_tree("Fine."), "c/01-m/02-long.md": text})
    result = import_cli(runner, root)
    assert result.exit_code == 1 and f"courses/c/01-m/02-long.md:{line_of(text, 'title:')}:" in result.stderr
    assert empty_content(app)


def test_import_from_inside_the_courses_folder(runner, courses_dir, monkeypatch):
    monkeypatch.chdir(courses_dir)
    result = runner.invoke(args=["import-content", "--courses", "."])
    assert result.exit_code == 0, result.output


# --- re-imports keep identity and progress ----------------------------------------------------------------

def test_edited_lesson_is_updated_and_progress_kept(app, runner, courses_dir, make_user):
    imported(runner, courses_dir)
    user = make_user("diplomat")
    progress_of(app, user, {"first-steps": "completed", "second-steps": "viewed"})
    old = lesson(app, "first-steps")
    progress = table_rows(app)["lesson_progress"]
    edit(courses_dir / FIRST, "you can take a first step.", "you can take a first step.\n\nA brand-new paragraph.")
    assert imported(runner, courses_dir)["lessons"] == {"added": 0, "updated": 1, "retired": 0, "unchanged": 2}
    new = lesson(app, "first-steps")
    assert new.id == old.id and new.body_html != old.body_html
    assert "<p>A brand-new paragraph.</p>" in new.body_html and "A brand-new paragraph." not in old.body_html
    assert new.source == (courses_dir / FIRST).read_text()
    assert table_rows(app)["lesson_progress"] == progress


def test_removed_lesson_is_retired_and_restored_with_its_progress(app, runner, courses_dir, client, learner):
    imported(runner, courses_dir)
    progress_of(app, learner, {"second-steps": "completed", "first-steps": "viewed"})
    assert client.get(SECOND_URL).status_code == 200
    second = lesson(app, "second-steps")
    progress = table_rows(app)["lesson_progress"]

    original = (courses_dir / SECOND).read_text()
    (courses_dir / SECOND).unlink()
    edit(courses_dir / FIRST, "[the second lesson](02-second-steps.md#top)", "the second lesson")
    assert imported(runner, courses_dir)["lessons"] == {"added": 0, "updated": 1, "retired": 1, "unchanged": 1}
    retired = lesson(app, "second-steps")
    assert retired.id == second.id and retired.retired_at is not None
    assert table_rows(app)["lesson_progress"] == progress
    assert client.get(SECOND_URL).status_code == 404
    assert submit(client, COURSE_PAGE, SECOND_URL + "/complete").status_code == 404
    page = client.get(COURSE_PAGE).get_data(as_text=True)
    assert "First steps" in page and "Second steps" not in page and "basics/second-steps" not in page
    assert table_rows(app)["lesson_progress"] == progress  # opening the other pages touched nothing of it

    (courses_dir / SECOND).write_text(original)
    assert imported(runner, courses_dir)["lessons"] == {"added": 0, "updated": 1, "retired": 0, "unchanged": 2}
    restored = lesson(app, "second-steps")
    assert restored.id == second.id and restored.retired_at is None and restored.body_html == second.body_html
    assert table_rows(app)["lesson_progress"] == progress
    assert "Second steps" in client.get(COURSE_PAGE).get_data(as_text=True)
    assert "You completed this lesson" in client.get(SECOND_URL).get_data(as_text=True)


def test_retired_lesson_stays_retired_on_the_next_import(app, runner, courses_dir):
    imported(runner, courses_dir)
    (courses_dir / SECOND).unlink()
    edit(courses_dir / FIRST, "[the second lesson](02-second-steps.md#top)", "the second lesson")
    imported(runner, courses_dir)
    before = table_rows(app)
    assert imported(runner, courses_dir)["lessons"] == {"added": 0, "updated": 0, "retired": 0, "unchanged": 2}
    assert table_rows(app) == before


def test_renumbering_a_lesson_keeps_its_row_and_changes_its_order(app, runner, courses_dir, client, learner):
    imported(runner, courses_dir)
    progress_of(app, learner, {"first-steps": "completed"})
    first, drill = lesson(app, "first-steps"), lesson(app, "drill")
    progress = table_rows(app)["lesson_progress"]
    page = client.get(COURSE_PAGE).get_data(as_text=True)
    assert page.index("First steps") < page.index("Second steps")

    (courses_dir / FIRST).rename(courses_dir / "intro-course/01-basics/05-first-steps.md")
    edit(courses_dir / "intro-course/02-practice/01-drill.md", "01-first-steps.md", "05-first-steps.md")
    assert imported(runner, courses_dir)["lessons"] == {"added": 0, "updated": 2, "retired": 0, "unchanged": 1}
    moved = lesson(app, "first-steps")
    assert (moved.id, moved.position, moved.filename) == (first.id, 5, "05-first-steps.md")
    assert (moved.retired_at, moved.body_html) == (None, first.body_html)
    assert lesson(app, "drill").body_html == drill.body_html  # links go by slug, so the page did not change
    assert table_rows(app)["lesson_progress"] == progress
    page = client.get(COURSE_PAGE).get_data(as_text=True)
    assert page.index("Second steps") < page.index("First steps")


def test_changed_asset_is_updated_and_deleted_asset_removed(app, runner, courses_dir, client, learner):
    imported(runner, courses_dir)
    red = SQUARE_SVG.replace("#333", "#c00").encode()
    (courses_dir / SQUARE).write_bytes(red)
    (courses_dir / "intro-course/01-basics/extra.pdf").write_bytes(b"%PDF-1.4 extra")
    assert imported(runner, courses_dir)["assets"] == {"added": 1, "updated": 1, "retired": 0, "unchanged": 0}
    with app.app_context():
        square = db.session.scalar(select(Asset).filter_by(filename="square.svg"))
        assert (square.sha256, square.data) == (hashlib.sha256(red).hexdigest(), red)
    response = client.get(SQUARE_URL)
    assert response.status_code == 200 and response.data == red

    (courses_dir / SQUARE).unlink()
    edit(courses_dir / FIRST, "![A small square diagram](square.svg)", "")
    assert imported(runner, courses_dir)["assets"] == {"added": 0, "updated": 0, "retired": 1, "unchanged": 1}
    with app.app_context():
        assert db.session.scalars(select(Asset.filename)).all() == ["extra.pdf"]
    assert client.get(SQUARE_URL).status_code == 404
    assert "square.svg" not in lesson(app, "first-steps").body_html


def test_removed_module_is_retired_and_comes_back(app, runner, courses_dir, client, learner):
    imported(runner, courses_dir)
    progress_of(app, learner, {"drill": "completed"})
    progress = table_rows(app)["lesson_progress"]
    practice = courses_dir / "intro-course/02-practice"
    parked = courses_dir.parent / "parked-practice"
    shutil.move(practice, parked)
    edit(courses_dir / SECOND, " See also [practice](../02-practice/01-drill.md).", "")
    assert imported(runner, courses_dir)["modules"] == {"added": 0, "updated": 0, "retired": 1, "unchanged": 1}
    assert client.get("/courses/intro-course/practice/drill").status_code == 404
    assert "Drill" not in client.get(COURSE_PAGE).get_data(as_text=True)
    shutil.move(parked, practice)
    assert imported(runner, courses_dir)["modules"] == {"added": 0, "updated": 1, "retired": 0, "unchanged": 1}
    assert table_rows(app)["lesson_progress"] == progress
    assert "You completed this lesson" in client.get("/courses/intro-course/practice/drill").get_data(as_text=True)


# --- the bundled curriculum -------------------------------------------------------------------------------

def test_bundled_curriculum_imports_and_every_internal_link_works(app, runner, client, learner, tmp_path):
    result = runner.invoke(args=["import-content", "--courses", str(BUNDLED), "--quizzes", str(tmp_path / "none")])
    assert result.exit_code == 0, result.output
    counts = summary_counts(result.output)
    expected = files_by_kind(BUNDLED)
    assert counts == counts_of(**{k: {"added": n} for k, n in expected.items()})
    with app.app_context():
        lessons = db.session.scalars(select(Lesson)).all()
        pages = {f"/courses/{x.module.course.slug}/{x.module.slug}/{x.slug}": x.body_html for x in lessons}
    assert len(pages) == expected["lessons"] > 0
    for url, body_html in pages.items():
        assert client.get(url).status_code == 200, url
        for target in re.findall(r'(?:href|src)="(/courses/[^"#]*)', body_html):
            assert client.get(target).status_code == 200, (url, target)


def test_importing_unchanged_quizzes_changes_nothing(app, courses_dir, quizzes_dir):
    """Stored questions come back from JSON as lists; an unchanged file must still compare equal."""
    with app.app_context():
        first = import_content(courses_dir, quizzes_dir)
        db.session.commit()
        before = version.current()
        again = import_content(courses_dir, quizzes_dir)
        db.session.commit()
        assert first.counts["quizzes"]["added"] == again.counts["quizzes"]["unchanged"] > 0
        assert again.counts["quizzes"]["updated"] == 0
        assert version.current() == before  # no worker on any server reloads content for nothing
