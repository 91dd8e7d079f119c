"""Creating courses, modules and lessons in the browser: drafts, with a revision, and refused when invalid."""
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import Course, Lesson, Module
from tests.helpers import submit
from tests.studio.helpers import BASICS, COURSE, STUDIO, revisions_of, row


def test_create_course_as_draft(app, client, content, trainer):
    response = submit(client, STUDIO, "/studio/courses",
                    {"slug": "press-work", "title": "Press work: the basics", "summary": "Talking to journalists."})
    assert response.status_code == 302
    assert response.headers["Location"] == "/studio/courses/press-work/"
    course = row(app, Course, "press-work")
    assert course.draft and course.title == "Press work: the basics" and course.summary == "Talking to journalists."
    assert 'draft: true' in course.source
    revisions = revisions_of(app, "course", course.id)
    assert [r.note for r in revisions] == ["created"] and revisions[0].author_id == trainer.id
    page = client.get(STUDIO).get_data(as_text=True)
    assert "Press work: the basics" in page and "badge-draft" in page


def test_course_slug_must_be_valid_and_unused(app, client, content, trainer):
    bad = submit(client, STUDIO, "/studio/courses", {"slug": "Press Work", "title": "T", "summary": "S"})
    assert bad.status_code == 422
    assert "Use only lowercase letters" in bad.get_data(as_text=True)
    taken = submit(client, STUDIO, "/studio/courses", {"slug": "intro-course", "title": "T", "summary": "S"})
    assert taken.status_code == 422
    assert "is already used here" in taken.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Course.id))) == 1


def test_create_module_at_the_end_as_draft(app, client, content, trainer):
    response = submit(client, COURSE, COURSE + "modules",
                      {"slug": "crisis", "title": "Crisis", "summary": "When it breaks."})
    assert response.status_code == 302
    assert response.headers["Location"] == COURSE + "modules/crisis/"
    module = row(app, Module, "crisis")
    assert module.draft and module.position == 3 and module.dirname == "03-crisis"
    assert "Crisis" in client.get(COURSE).get_data(as_text=True)


def test_create_lesson_with_body(app, client, content, trainer):
    response = submit(client, BASICS, BASICS + "lessons", {
        "slug": "third-steps", "title": "Third steps", "minutes": "4",
        "body": "Read [the first lesson](01-first-steps.md) again.\r\n\r\n## Then\r\nPractise.",
    })
    assert response.status_code == 302
    lesson = row(app, Lesson, "third-steps")
    assert lesson.draft and lesson.minutes == 4 and lesson.filename == "03-third-steps.md"
    assert '<a href="/courses/intro-course/basics/first-steps"' in lesson.body_html
    assert "\r" not in lesson.source  # the browser's CRLF line ends are stored as LF, like the files
    assert [r.note for r in revisions_of(app, "lesson", lesson.id)] == ["created"]


def test_invalid_new_lesson_is_refused_with_its_body_line(app, client, content, trainer):
    response = submit(client, BASICS, BASICS + "lessons", {
        "slug": "broken", "title": "Broken", "minutes": "4", "body": "Fine line.\n\nSee [this](nowhere.md).",
    })
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "line 3: broken link: &#39;nowhere.md&#39; does not exist" in page
    assert "See [this](nowhere.md)." in page  # the trainer's text is kept
    assert row(app, Lesson, "broken") is None


def test_new_lesson_needs_whole_minutes(app, client, content, trainer):
    response = submit(client, BASICS, BASICS + "lessons", {"slug": "x", "title": "X", "minutes": "soon", "body": ""})
    assert response.status_code == 422
    assert row(app, Lesson, "x") is None
