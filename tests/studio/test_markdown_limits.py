"""A trainer's preview or save of pathological markdown is refused quickly, next to the field, text kept."""
import time

import pytest

from lms.models import Lesson
from tests.content.test_markdown_limits import PATHOLOGICAL
from tests.studio.helpers import BASICS, open_editor, row, textarea
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
