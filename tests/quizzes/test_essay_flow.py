"""An essay and a description in a real quiz: written on the sheet, left out of the score, shown on review."""
import re

from sqlalchemy import select

from lms.extensions import db
from lms.models import Module, Quiz
from lms.reports.queries import question_table
from tests.helpers import csrf_token, signed_in_client
from tests.studio.helpers import open_editor

PRACTICE_EDITOR = "/studio/courses/intro-course/modules/practice/quiz"
PRACTICE_QUIZ = "/courses/intro-course/practice/quiz"
GIFT = """---
title: Practice essay
pass_mark: 100
---
::case::[markdown]**Case study.** The account posted a link offering visas.

::explain::Explain what the team posts first. {
####A good answer acknowledges and gives the time of the next update.
}

::drill::Is this a drill? {T}
"""


def test_an_essay_is_written_kept_out_of_the_score_and_shown_on_review(app, client, content, make_user, login):
    login(make_user("trainer"))
    _, hidden = open_editor(client, PRACTICE_EDITOR)
    saved = client.post(PRACTICE_EDITOR, data={**hidden, "format": "gift", "body": GIFT, "save": "Save"})
    assert saved.status_code == 302, saved.get_data(as_text=True)

    learner = signed_in_client(app, make_user("diplomat"))
    page = learner.get(PRACTICE_QUIZ).get_data(as_text=True)
    sheet_url = learner.post(PRACTICE_QUIZ + "/start", data={"csrf_token": csrf_token(page)}).headers["Location"]
    sheet = learner.get(sheet_url).get_data(as_text=True)
    assert "<strong>Case study.</strong>" in sheet
    assert re.search(r'<label for="q1-essay">Your answer', sheet)
    assert '<textarea name="q1" id="q1-essay" rows="8" maxlength="5000">' in sheet
    assert "acknowledges" not in sheet  # general feedback waits for the review

    essay = "We are aware.\nNext update at <b>18:00</b>."
    response = learner.post(sheet_url, data={"csrf_token": csrf_token(sheet), "q1": essay, "q2": "true"})
    review = learner.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>100%</strong> (1 of 1 points)" in review
    assert "Passed" in review
    assert "We are aware.<br>Next update at &lt;b&gt;18:00&lt;/b&gt;." in review
    assert "read by a trainer, not part of the score" in review
    assert "acknowledges and gives the time" in review
    trainer = signed_in_client(app, make_user("trainer"))  # staff read the essay on the attempt's own page
    attempt_page = trainer.get("/reports/attempts/" + response.headers["Location"].split("/")[-2])
    assert attempt_page.status_code == 200
    assert "We are aware.<br>Next update at &lt;b&gt;18:00&lt;/b&gt;." in attempt_page.get_data(as_text=True)
    with app.app_context():  # the coordinators' question analysis counts right and wrong of marked questions only
        quiz_id = db.session.scalar(select(Quiz.id).join(Quiz.module).where(Module.slug == "practice"))
        assert [row["key"] for row in question_table(quiz_id, None)] == ["drill"]
