"""A trainer's preview or save of pathological markdown is refused quickly, next to the field, text kept."""
import os
import threading
import time

import pytest

from lms.content.render import CONVERTER, markdown_to_html
from lms.models import Lesson
from tests.content.test_markdown_limits import PATHOLOGICAL
from tests.helpers import csrf_token, sign_in
from tests.studio.helpers import BASICS, open_editor, revisions_of, row, textarea
from tests.studio.test_editor import EDIT, lesson_form

QUIZ = BASICS + "quiz"


@pytest.mark.parametrize("button", ["preview", "save"])
@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_lesson_text_is_refused_next_to_the_body(app, client, content, trainer, name, button):
    before = row(app, Lesson, "first-steps").source
    _, hidden = open_editor(client, EDIT)
    started = time.monotonic()
    response = client.post(EDIT, data=lesson_form(hidden, PATHOLOGICAL[name], button))
    assert time.monotonic() - started < 5
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="body-error"' in page and "at most" in page
    assert textarea(page).strip() == PATHOLOGICAL[name].strip()
    assert row(app, Lesson, "first-steps").source == before


def test_pathological_quiz_text_is_refused_on_its_line(client, content, trainer):
    html, hidden = open_editor(client, QUIZ)
    text = textarea(html) + "\n\n## " + "[" * 20000 + "\n\n- [x] Yes\n- [ ] No\n"
    response = client.post(QUIZ, data={**hidden, "body": text, "format": "md", "preview": "Preview"})
    assert response.status_code == 422
    assert "brackets are open at once" in response.get_data(as_text=True)


@pytest.fixture
def long_time_budget():
    before = CONVERTER.time_limit
    CONVERTER.time_limit = 120
    yield
    CONVERTER.time_limit = before


def _slow_request(app, client, action: str, text: str):
    """A function sending the editor's Preview or Save, the new-lesson form, or the restore of a saved
    ``text`` (saved here, before the request, and no longer cached); it returns the response."""
    if action == "create":
        token = csrf_token(client.get(BASICS).get_data(as_text=True))
        return lambda: client.post(BASICS + "lessons", data={"csrf_token": token, "slug": "slow",
                                                             "title": "Slow", "minutes": "5", "body": text})
    _, hidden = open_editor(client, EDIT)
    if action != "restore":
        return lambda: client.post(EDIT, data=lesson_form(hidden, text, action))
    assert client.post(EDIT, data=lesson_form(hidden, text)).status_code == 302
    lesson = row(app, Lesson, "first-steps")
    slow_revision = revisions_of(app, "lesson", lesson.id)[-1]
    _, hidden = open_editor(client, EDIT)
    assert client.post(EDIT, data=lesson_form(hidden, "Short again.")).status_code == 302
    markdown_to_html.cache_clear()
    history = f"/studio/lesson/{lesson.id}/history"
    token = csrf_token(client.get(history).get_data(as_text=True))
    return lambda: client.post(f"/studio/lesson/{lesson.id}/revisions/{slow_revision.id}/restore",
                               data={"csrf_token": token})


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="SQLite's database-wide write lock only")
@pytest.mark.parametrize("action, status", [("preview", 200), ("save", 302), ("create", 302), ("restore", 302)])
def test_a_sign_in_during_a_slow_render_is_not_kept_waiting(app, client, content, trainer, make_user,
                                                            long_time_budget, action, status):
    # Within the caps, yet seconds to render: open brackets make Markdown search a long paragraph for each.
    slow = "[" * 45 + f" {action[:4]}" * 15000  # a text of its own: renders are cached
    send = _slow_request(app, client, action, slow)
    finished = {}

    def request():
        response = send()
        finished["request"] = (time.monotonic(), response.status_code)

    learner = make_user()
    thread = threading.Thread(target=request)
    thread.start()
    time.sleep(0.3)  # the request has begun and is rendering
    sign_in(app.test_client(), learner)
    finished["sign-in"] = time.monotonic()
    thread.join(timeout=150)
    assert finished["request"][1] == status
    assert finished["sign-in"] < finished["request"][0]
