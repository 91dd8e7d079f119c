"""Reveal rules, re-imports, GIFT quizzes and concurrent submission."""
import threading

import pytest
from sqlalchemy import func, select

from lms.content.importer import import_content
from lms.documents.errors import ContentError
from lms.extensions import db
from lms.models import AttemptAnswer, Course, Quiz, QuizAttempt
from lms.quizzes.services import start_attempt, submit_attempt
from tests.helpers import csrf_token
from tests.quizzes.helpers import QUIZ, start, submit

QUIZ_FILE = "intro-course/basics.md"


def set_front_matter(quizzes_dir, **settings):
    """Change existing settings of the test quiz, e.g. ``reveal="once_passed"``."""
    path = quizzes_dir / QUIZ_FILE
    lines = path.read_text().splitlines()
    for key, value in settings.items():
        lines = [f"{key}: {value}" if line.startswith(f"{key}:") else line for line in lines]
    path.write_text("\n".join(lines) + "\n")


def reimport(app, courses_dir, quizzes_dir):
    with app.app_context():
        summary = import_content(courses_dir, quizzes_dir)
        db.session.commit()
    return summary


@pytest.mark.parametrize("reveal, right, shown", [
    ("once_passed", False, False),
    ("once_passed", True, True),
    ("after_last_attempt", False, False),
    ("after_each_attempt", False, True),
])
def test_reveal_rule(app, client, courses_dir, quizzes_dir, make_user, login, reveal, right, shown):
    set_front_matter(quizzes_dir, reveal=reveal)
    reimport(app, courses_dir, quizzes_dir)
    login(make_user())
    sheet = start(client)
    submit(client, sheet, right=right)
    html = client.get(sheet + "/review").get_data(as_text=True)
    assert ("SECRET-GENERAL-FEEDBACK" in html) is shown
    assert ("Right answer:" in html) is shown


def test_after_last_attempt_reveals_when_attempts_run_out(app, client, courses_dir, quizzes_dir, make_user, login):
    set_front_matter(quizzes_dir, reveal="after_last_attempt", attempts=2)
    reimport(app, courses_dir, quizzes_dir)
    login(make_user())
    first = start(client)
    submit(client, first, right=False)
    assert "SECRET-GENERAL-FEEDBACK" not in client.get(first + "/review").get_data(as_text=True)
    last = start(client)
    submit(client, last, right=False)
    assert "SECRET-GENERAL-FEEDBACK" in client.get(last + "/review").get_data(as_text=True)


def test_reimporting_an_edited_quiz_keeps_attempts_as_graded(app, client, courses_dir, quizzes_dir, make_user,
                                                             login):
    reimport(app, courses_dir, quizzes_dir)
    login(make_user())
    sheet = start(client)
    submit(client, sheet, right=True)
    path = quizzes_dir / QUIZ_FILE
    path.write_text(path.read_text().replace("- [x] A short video inviting local firms", "- [ ] A short video")
                    .replace("- [ ] A photo of a reception", "- [x] A photo of a reception"))
    summary = reimport(app, courses_dir, quizzes_dir)
    assert "quizzes: 0 added, 1 updated" in "\n".join(summary.lines())
    with app.app_context():
        attempt = db.session.scalar(select(QuizAttempt))
        assert attempt.percent == 100 and attempt.passed
        assert attempt.questions[0]["spec"]["choices"][0]["weight"] == 100  # the snapshot it was graded on
    html = client.get(sheet + "/review").get_data(as_text=True)
    assert "A short video inviting local firms" in html and "100%" in html


def test_removed_quiz_file_retires_the_quiz_and_keeps_attempts(app, client, courses_dir, quizzes_dir, make_user,
                                                              login):
    reimport(app, courses_dir, quizzes_dir)
    login(make_user())
    submit(client, start(client), right=True)
    (quizzes_dir / QUIZ_FILE).unlink()
    summary = reimport(app, courses_dir, quizzes_dir)
    assert "1 retired" in next(line for line in summary.lines() if line.startswith("quizzes"))
    assert client.get(QUIZ).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(QuizAttempt.id))) == 1
        assert db.session.scalar(select(Quiz.retired_at)) is not None


def test_broken_quiz_names_file_and_line_and_changes_nothing(app, runner, courses_dir, quizzes_dir):
    path = quizzes_dir / QUIZ_FILE
    path.write_text(path.read_text().replace("Answer: 60 ± 0.5", "Answer: sixty ± 0.5"))
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "sixty" in text)
    result = runner.invoke(args=["import-content", "--courses", str(courses_dir)])
    assert result.exit_code == 1
    assert f"quizzes/{QUIZ_FILE}:{line}:" in result.output and "nothing was changed" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Quiz.id))) == 0


def test_quiz_for_an_unknown_module_is_reported(runner, courses_dir, quizzes_dir):
    (quizzes_dir / "intro-course" / "nowhere.md").write_text("---\ntitle: T\n---\n## Q\n- [x] a\n- [ ] b\n")
    result = runner.invoke(args=["import-content", "--courses", str(courses_dir)])
    assert result.exit_code == 1
    assert "quizzes/intro-course/nowhere.md:1: no module 'nowhere' in course 'intro-course'" in result.output


def test_gift_quiz_imports_and_grades(app, client, courses_dir, quizzes_dir, make_user, login):
    (quizzes_dir / QUIZ_FILE).unlink()
    (quizzes_dir / "intro-course" / "practice.gift").write_text(
        "::capital:: Which city gave the Convention its name? {=Vienna#Yes. =%50%Austria#The country.}\n\n"
        "::year:: In which year was it adopted? {#=1961 =%50%1959..1963}\n")
    reimport(app, courses_dir, quizzes_dir)
    login(make_user())
    url = "/courses/intro-course/practice/quiz"
    page = client.get(url).get_data(as_text=True)
    sheet = client.post(url + "/start", data={"csrf_token": csrf_token(page)}).headers["Location"]
    html = client.get(sheet).get_data(as_text=True)
    client.post(sheet, data={"csrf_token": csrf_token(html), "q0": "austria", "q1": "1961"})
    review = client.get(sheet + "/review").get_data(as_text=True)
    assert "75%" in review and "The country." in review


def test_concurrent_submissions_grade_once(app, quiz_content, make_user):
    user = make_user()
    with app.app_context():
        quiz = db.session.scalar(select(Quiz))
        attempt_id = start_attempt(user.id, quiz)
        db.session.commit()
    barrier, outcomes = threading.Barrier(2), []

    def submit_in_thread():
        with app.app_context():
            attempt = db.session.get(QuizAttempt, attempt_id)
            db.session.commit()  # end the read, so neither thread holds a lock while waiting for the other
            barrier.wait()
            outcomes.append(submit_attempt(attempt, {"best-post": "0"}))
            db.session.commit()

    threads = [threading.Thread(target=submit_in_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == [False, True]
    with app.app_context():
        assert db.session.scalar(select(func.count(AttemptAnswer.id))) == 6


def test_import_content_refuses_quiz_errors_before_writing_courses(app, courses_dir, quizzes_dir):
    (quizzes_dir / QUIZ_FILE).write_text("---\ntitle: T\nunknown: 1\n---\n## Q\n- [x] a\n- [ ] b\n")
    with app.app_context(), pytest.raises(ContentError) as error:
        import_content(courses_dir, quizzes_dir)
    assert "unknown key 'unknown'" in str(error.value)
    with app.app_context():
        assert db.session.scalar(select(func.count(Course.id))) == 0


def test_quiz_overview_needs_a_learning_role(client, quiz_content, make_user, login):
    login(make_user("coordinator"))
    assert client.get(QUIZ).status_code == 403
