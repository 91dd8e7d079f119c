"""Rendered learner pages are reused only for the same content, the same progress and the same roles."""
from flask_wtf.csrf import generate_csrf
from jinja2 import ChoiceLoader, DictLoader

from lms import page_cache
from tests.helpers import csrf_token, signed_in_client, submit
from tests.quizzes.helpers import QUIZ, start
from tests.quizzes.helpers import submit as submit_quiz

COURSE = "/courses/intro-course/"
FIRST = "/courses/intro-course/basics/first-steps"


def badge_of(page: str, title: str) -> str:
    """The state badge printed after a lesson's link in the outline."""
    row = page.split(f">{title}</a>", 1)[1].split("</li>", 1)[0]
    return row.split('class="state ', 1)[1].split(">", 1)[1].split("<", 1)[0]


def test_each_learner_sees_their_own_progress(app, content, make_user):
    ahead, behind = signed_in_client(app, make_user()), signed_in_client(app, make_user())
    assert badge_of(behind.get(COURSE).get_data(as_text=True), "First steps") == "not started"
    submit(ahead, FIRST, FIRST + "/complete")
    assert badge_of(ahead.get(COURSE).get_data(as_text=True), "First steps") == "completed"
    assert badge_of(behind.get(COURSE).get_data(as_text=True), "First steps") == "not started"


def test_the_outline_follows_the_learners_progress(app, content, make_user):
    learner = signed_in_client(app, make_user())
    before = learner.get(COURSE).get_data(as_text=True)
    assert "0 of 2 completed" in before  # the basics module: two lessons, no quiz
    submit(learner, FIRST, FIRST + "/complete")
    after = learner.get(COURSE).get_data(as_text=True)
    assert badge_of(after, "First steps") == "completed" and after != before


def test_learners_at_the_same_point_share_one_rendering(app, content, make_user):
    for _ in range(3):
        signed_in_client(app, make_user()).get(COURSE)
    outlines = [key for key in app.extensions[page_cache.STORE] if key[0] == "learn/course.html"]
    assert len(outlines) == 1


def test_the_store_stays_bounded(app, content, make_user, monkeypatch):
    monkeypatch.setattr(page_cache, "LIMIT", 2)
    for lesson in ("first-steps", "second-steps", None):
        learner = signed_in_client(app, make_user())
        if lesson:
            page = f"/courses/intro-course/basics/{lesson}"
            submit(learner, page, page + "/complete")
        learner.get(COURSE)
        assert len(app.extensions[page_cache.STORE]) <= 2


def test_a_shared_page_carries_each_sessions_own_csrf_token(app, content, make_user):
    first, second = signed_in_client(app, make_user()), signed_in_client(app, make_user())
    pages = [client.get(FIRST).get_data(as_text=True) for client in (first, second)]
    tokens = [csrf_token(html) for html in pages]
    assert tokens[0] != tokens[1]
    assert page_cache.CSRF_PLACEHOLDER not in pages[0] + pages[1]
    assert pages[0].replace(tokens[0], "") == pages[1].replace(tokens[1], "")  # one rendering, two tokens
    assert [key[0] for key in app.extensions[page_cache.STORE]].count("learn/lesson.html") == 1
    # each token is the one its session accepts (and only that one)
    assert first.post(FIRST + "/complete", data={"csrf_token": tokens[1]}).status_code == 400
    assert first.post(FIRST + "/complete", data={"csrf_token": tokens[0]}).status_code == 302
    assert "✓ You completed this lesson." in first.get(FIRST).get_data(as_text=True)
    assert "✓ You completed this lesson." not in second.get(FIRST).get_data(as_text=True)


def test_a_sessions_token_is_signed_once_and_still_accepted(app, content, make_user, monkeypatch):
    learner = signed_in_client(app, make_user())
    learner.get(COURSE)  # shows the sign-in's message, rendered for that response alone
    first = csrf_token(learner.get(FIRST).get_data(as_text=True))
    signings = []
    monkeypatch.setattr(page_cache, "generate_csrf", lambda: signings.append(1) or "not-a-token")
    again = [csrf_token(learner.get(url).get_data(as_text=True)) for url in (FIRST, COURSE, FIRST)]
    assert again == [first] * 3 and signings == []  # the kept signature, not a new one per page
    monkeypatch.undo()
    assert learner.post(FIRST + "/complete", data={"csrf_token": first}).status_code == 302


def test_a_kept_token_is_never_another_sessions(app, content, make_user):
    learners = [signed_in_client(app, make_user()) for _ in range(3)]
    for learner in learners:
        learner.get(COURSE)  # shows the sign-in's message, rendered for that response alone
    tokens = {csrf_token(learner.get(FIRST).get_data(as_text=True)) for learner in learners}
    assert len(tokens) == 3
    assert len(app.extensions[page_cache.TOKENS]) == 3


def test_a_token_made_before_the_page_is_not_kept_for_others(app, monkeypatch):
    """A view that made the request's token (say, for a form) before asking for a kept page."""
    probe = {"probe.html": '{% from "_forms.html" import csrf %}<form>{{ csrf() }}</form>'}
    monkeypatch.setattr(app.jinja_env, "loader", ChoiceLoader([DictLoader(probe), app.jinja_env.loader]))
    with app.test_request_context():
        made_before = generate_csrf()
        html = page_cache.page("probe.html", "key", dict).decode()
        assert csrf_token(html) == made_before and generate_csrf() == made_before  # the request keeps its token
    kept = b"".join(app.extensions[page_cache.STORE].values()).decode()
    assert made_before not in kept and page_cache.CSRF_PLACEHOLDER in kept


def test_the_menu_follows_the_viewers_roles(app, content, make_user):
    diplomat, trainer = signed_in_client(app, make_user()), signed_in_client(app, make_user("diplomat", "trainer"))
    assert ">Studio</a>" not in diplomat.get(FIRST).get_data(as_text=True)
    assert ">Studio</a>" in trainer.get(FIRST).get_data(as_text=True)
    assert ">Studio</a>" not in diplomat.get(FIRST).get_data(as_text=True)


def test_a_message_shown_once_is_shown_once(app, content, make_user):
    learner = signed_in_client(app, make_user())
    learner.get(FIRST)
    after_marking = submit(learner, FIRST, FIRST + "/complete", follow_redirects=True).get_data(as_text=True)
    assert "Lesson marked as complete." in after_marking
    assert "Lesson marked as complete." not in learner.get(FIRST).get_data(as_text=True)


def test_the_quiz_page_follows_the_learners_attempts(app, quiz_content, make_user):
    learner = signed_in_client(app, make_user())
    assert "0 used, 3 left" in learner.get(QUIZ).get_data(as_text=True)
    sheet = start(learner)
    assert "Continue your attempt" in learner.get(QUIZ).get_data(as_text=True)
    assert submit_quiz(learner, sheet).status_code == 302
    page = learner.get(QUIZ).get_data(as_text=True)
    assert "1 used, 2 left" in page and "Attempt 1</a>" in page and "Continue your attempt" not in page
