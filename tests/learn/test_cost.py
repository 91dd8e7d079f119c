"""Pages stay cheap: bounded SQL per page, light HTML and CSS."""
from pathlib import Path

from sqlalchemy import select

from lms.content.importer import import_content
from lms.extensions import db
from lms.models import Course, Lesson, Module
from tests.helpers import count_statements, submit

REPO = Path(__file__).resolve().parents[2]
PAGE_BUDGET = 60 * 1024


def add_lessons(courses_dir: Path, module: str, how_many: int) -> None:
    for n in range(how_many):
        (courses_dir / "intro-course" / module / f"{10 + n}-extra-{n}.md").write_text(
            f"---\ntitle: Extra {n}\nminutes: 2\n---\nBody {n}.\n")


def test_query_count_does_not_grow_with_lessons(app, client, courses_dir, make_user, login):
    with app.app_context():
        import_content(courses_dir)
        db.session.commit()
    login(make_user())
    urls = ["/", "/courses/", "/courses/intro-course/", "/courses/intro-course/basics/first-steps", "/progress"]
    submit(client, urls[3], urls[3] + "/complete")

    def counts():
        client.get("/")  # the first request after a content change reloads this worker's snapshot
        result = {}
        for url in urls:
            with count_statements(app) as statements:
                assert client.get(url).status_code == 200
            result[url] = len(statements)
        return result

    small = counts()
    add_lessons(courses_dir, "01-basics", 12)
    add_lessons(courses_dir, "02-practice", 12)
    with app.app_context():
        import_content(courses_dir)
        db.session.commit()
    assert counts() == small
    # the signed-in user (with the content version and the signed-out check), and the page's progress
    assert small["/courses/intro-course/basics/first-steps"] == small["/courses/intro-course/"] == 2


def test_every_bundled_lesson_page_is_under_60_kb_with_css(app, client, make_user, login):
    with app.app_context():
        import_content(REPO / "courses")
        db.session.commit()
        lessons = db.session.execute(
            select(Course.slug, Module.slug, Lesson.slug).join(Lesson.module).join(Module.course)).all()
    assert lessons
    login(make_user())
    with client.get("/static/style.css") as response:
        css = response.data
    for course, module, lesson in lessons:
        html = client.get(f"/courses/{course}/{module}/{lesson}").data
        assert len(html) + len(css) < PAGE_BUDGET, (lesson, len(html), len(css))
