"""Taking the module quiz: answer sheet, grading, review, limits and completion."""
import re

from sqlalchemy import func, select

from lms.extensions import db
from lms.models import AttemptAnswer, CourseCompletion, ModuleCompletion, QuizAttempt
from tests.helpers import csrf_token, sign_out
from tests.quizzes.helpers import QUIZ, SECRETS, answers, start, submit

LESSONS = ["/courses/intro-course/basics/first-steps", "/courses/intro-course/basics/second-steps"]


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_quiz_page_shows_settings_and_starts(client, quiz_content, make_user, login):
    login(make_user())
    html = client.get(QUIZ).get_data(as_text=True)
    assert "Basics check" in html and "75%" in html and "0 used, 3 left" in html
    sheet = start(client)
    assert re.fullmatch(r"/quiz/attempts/\d+", sheet)
    assert client.get(sheet).status_code == 200


def test_answer_sheet_reveals_no_answer(client, quiz_content, make_user, login):
    login(make_user())
    html = client.get(start(client)).get_data(as_text=True)
    html = re.sub(r'name="csrf_token"[^>]*>', "", html)  # a random token could contain anything
    for secret in [*SECRETS, "alternative text", "60", "weight", "correct", "checked", "50%", "-50%"]:
        assert secret not in html, secret
    # matching: the right-hand texts are not listed in the order of their partners
    rights = re.findall(r'<option value="\d+">([^<]+)</option>', html)
    assert rights[:3] != ["Shot list", "Live posting", "Recap post"]


def test_all_right_scores_full_marks_and_reviews(app, client, quiz_content, make_user, login):
    login(make_user())
    sheet = start(client)
    response = submit(client, sheet, right=True)
    assert response.headers["Location"] == sheet + "/review"
    html = client.get(sheet + "/review").get_data(as_text=True)
    assert "100%" in html and "Passed" in html
    for secret in ["SECRET-FEEDBACK-SINGLE-RIGHT", "SECRET-FEEDBACK-TRUE", "SECRET-FEEDBACK-SHORT",
                   "SECRET-FEEDBACK-NUMBER", "SECRET-GENERAL-FEEDBACK"]:
        assert secret in html, secret
    assert "SECRET-FEEDBACK-SINGLE-WRONG" not in html


def test_all_wrong_scores_zero_and_fails(client, quiz_content, make_user, login):
    login(make_user())
    sheet = start(client)
    submit(client, sheet, right=False)
    html = client.get(sheet + "/review").get_data(as_text=True)
    assert "<strong>0%</strong>" in html and "Not passed yet" in html and "Try again" in html
    assert "SECRET-FEEDBACK-PENALTY" in html and "SECRET-FEEDBACK-FALSE" in html


def test_partial_credit_is_graded_per_question(app, client, quiz_content, make_user, login):
    login(make_user())
    sheet = start(client)
    html = client.get(sheet).get_data(as_text=True)
    data = answers(html, right=True)
    data["q1"] = ["0", "2"]  # 50% - 50%: floored at zero
    data["q0"] = "1"
    client.post(sheet, data={"csrf_token": csrf_token(html), **data})
    with app.app_context():
        attempt = db.session.scalar(select(QuizAttempt))
        points = {a.question_key: a.points for a in attempt.answers}
        assert points == {"best-post": 0, "calendar": 0, "pause": 1, "alt": 1, "minutes": 1, "phases": 1}
        assert attempt.percent == round(400 / 6, 2) and attempt.passed is False


def test_double_submission_grades_once(app, client, quiz_content, make_user, login):
    login(make_user())
    sheet = start(client)
    html = client.get(sheet).get_data(as_text=True)
    form = {"csrf_token": csrf_token(html), **answers(html, right=False)}
    first = client.post(sheet, data=form)
    right = {"csrf_token": csrf_token(html), **answers(html, right=True)}
    second = client.post(sheet, data=right)  # the back button and a resubmitted form
    assert first.headers["Location"] == second.headers["Location"] == sheet + "/review"
    assert count(app, QuizAttempt) == 1
    assert count(app, AttemptAnswer) == 6
    with app.app_context():
        assert db.session.scalar(select(QuizAttempt.percent)) == 0


def test_starting_twice_resumes_the_open_attempt(app, client, quiz_content, make_user, login):
    login(make_user())
    assert start(client) == start(client)
    assert count(app, QuizAttempt) == 1


def test_attempt_limit_is_enforced(app, client, quiz_content, make_user, login):
    login(make_user())
    for _ in range(3):
        submit(client, start(client), right=False)
    html = client.get(QUIZ).get_data(as_text=True)
    assert "used all your attempts" in html and "3 used, 0 left" in html
    response = client.post(QUIZ + "/start", data={"csrf_token": csrf_token(html)})
    assert response.status_code == 302 and response.headers["Location"] == QUIZ
    assert count(app, QuizAttempt) == 3


def test_best_score_counts(client, quiz_content, make_user, login):
    login(make_user())
    submit(client, start(client), right=True)
    submit(client, start(client), right=False)
    html = client.get(QUIZ).get_data(as_text=True)
    assert "Best score</dt><dd>100% · passed" in html


def test_quiz_page_lists_attempts_and_offers_the_open_one(client, quiz_content, make_user, login):
    login(make_user())
    first = start(client)
    submit(client, first, right=False)
    second = start(client)
    submit(client, second, right=True)
    third = start(client)  # open, not submitted: it counts neither as used nor towards the best score
    html = client.get(QUIZ).get_data(as_text=True)
    assert "2 used, 1 left" in html and "Best score</dt><dd>100% · passed" in html
    assert f'<a class="button" href="{third}">Continue your attempt</a>' in html
    assert "Start attempt" not in html
    rows = re.findall(r'<a href="(/quiz/attempts/\d+/review)">Attempt (\d)</a>', html)
    assert rows == [(second + "/review", "2"), (first + "/review", "1")]  # newest first
    assert "<td>100%</td>" in html and "<td>0%</td>" in html and "<td>Not passed</td>" in html


def test_another_learner_cannot_open_or_submit_my_attempt(app, client, quiz_content, make_user, login):
    alice, bob = make_user(), make_user()
    login(alice)
    sheet = start(client)
    submit(client, sheet, right=False)
    sign_out(client)
    login(bob)
    assert client.get(sheet).status_code == 404
    assert client.get(sheet + "/review").status_code == 404
    html = client.get(QUIZ).get_data(as_text=True)
    assert client.post(sheet, data={"csrf_token": csrf_token(html), "q0": "0"}).status_code == 404


def test_submit_without_csrf_is_refused(app, client, quiz_content, make_user, login):
    login(make_user())
    sheet = start(client)
    assert client.post(sheet, data={"q0": "0"}).status_code == 400
    assert count(app, QuizAttempt, QuizAttempt.submitted_at.is_not(None)) == 0


def test_module_and_course_complete_once_lessons_done_and_quiz_passed(app, client, quiz_content, make_user, login):
    user = make_user()
    login(user)
    for url in LESSONS:
        page = client.get(url).get_data(as_text=True)
        client.post(url + "/complete", data={"csrf_token": csrf_token(page)})
    assert count(app, ModuleCompletion) == 0  # the quiz is still to pass
    submit(client, start(client), right=False)
    assert count(app, ModuleCompletion) == 0
    html = client.get("/courses/intro-course/").get_data(as_text=True)
    assert re.search(r"Quiz: Basics check</a>\s*<span class=\"state state-not-passed\">not passed</span> "
                     r"<span class=\"muted\">best 0%</span>", html)
    lesson = client.get(LESSONS[0]).get_data(as_text=True)
    assert '<progress max="3" value="2" aria-label="Progress in Basics"' in lesson  # two lessons, quiz to pass
    submit(client, start(client), right=True)
    assert count(app, ModuleCompletion, ModuleCompletion.user_id == user.id) == 1
    assert count(app, CourseCompletion) == 0  # the practice module is not done
    drill = "/courses/intro-course/practice/drill"
    client.post(drill + "/complete", data={"csrf_token": csrf_token(client.get(drill).get_data(as_text=True))})
    assert count(app, CourseCompletion, CourseCompletion.user_id == user.id) == 1
    html = client.get("/courses/intro-course/").get_data(as_text=True)
    assert '<progress max="3" value="3" aria-label="Progress in Basics"' in html
    assert re.search(r"Quiz: Basics check</a>\s*<span class=\"state state-passed\"", html)


def test_completion_time_is_recorded_once(app, client, quiz_content, make_user, login):
    login(make_user())
    for url in LESSONS:
        client.post(url + "/complete", data={"csrf_token": csrf_token(client.get(url).get_data(as_text=True))})
    submit(client, start(client), right=True)
    with app.app_context():
        first = db.session.scalar(select(ModuleCompletion.completed_at))
    submit(client, start(client), right=True)
    with app.app_context():
        assert db.session.scalar(select(ModuleCompletion.completed_at)) == first
    assert count(app, ModuleCompletion) == 1
