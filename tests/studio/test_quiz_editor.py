"""The quiz editor: the whole quiz file in one text box, previewed, checked and saved with revisions."""
from sqlalchemy import select

from lms.extensions import db
from lms.models import Quiz
from tests.helpers import submit
from tests.studio.helpers import BASICS, open_editor, revisions_of, textarea

PRACTICE_QUIZ = "/studio/courses/intro-course/modules/practice/quiz"
GOOD = """---
title: Practice check
pass_mark: 50
---

## Is this a drill?

- [x] True
- [ ] False
"""


def quiz_of(app, module_slug: str) -> Quiz | None:
    with app.app_context():
        from lms.models import Module
        quiz = db.session.scalar(select(Quiz).join(Quiz.module).where(Module.slug == module_slug))
        if quiz is not None:
            db.session.expunge(quiz)
        return quiz


def test_new_quiz_starts_from_a_template_and_saves(app, client, content, trainer):
    html, hidden = open_editor(client, PRACTICE_QUIZ)
    assert "## Write the first question here" in textarea(html) and hidden["base_hash"] == ""
    assert 'name="format"' in html
    response = client.post(PRACTICE_QUIZ, data={**hidden, "format": "md", "body": GOOD, "save": "Save"})
    assert response.status_code == 302
    quiz = quiz_of(app, "practice")
    assert quiz.title == "Practice check" and quiz.pass_mark == 50 and len(quiz.questions) == 1
    assert quiz.filename == "intro-course/practice.md" and quiz.source == GOOD
    assert [r.note for r in revisions_of(app, "quiz", quiz.id)] == ["created"]
    assert "Practice check" in client.get("/studio/courses/intro-course/modules/practice/").get_data(as_text=True)


def test_quiz_preview_shows_questions_and_answers_without_saving(app, client, content, trainer):
    _, hidden = open_editor(client, PRACTICE_QUIZ)
    response = client.post(PRACTICE_QUIZ, data={**hidden, "format": "md", "body": GOOD, "preview": "Preview"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Preview (not saved): 1 question" in page and "Is this a drill?" in page
    assert "Right answer: <strong>True</strong>" in page
    assert quiz_of(app, "practice") is None


POOLED = """---
title: Practice check
draw: [{category: drills, count: 1}]
---

## Is this a drill?
category: drills

- [x] True
- [ ] False

## Is this an exercise?
category: drills

- [x] True
- [ ] False

## Is this real?

- [ ] True
- [x] False
"""


def test_quiz_preview_shows_the_pool_rule_and_saving_keeps_it(app, client, content, trainer):
    _, hidden = open_editor(client, PRACTICE_QUIZ)
    response = client.post(PRACTICE_QUIZ, data={**hidden, "format": "md", "body": POOLED, "preview": "Preview"})
    page = response.get_data(as_text=True)
    assert "Preview (not saved): 3 questions" in page and "Each attempt asks 2 questions" in page
    assert "1 of the 2 questions with category &#39;drills&#39;, drawn at random" in page
    assert page.count("pool: category &#39;drills&#39;") == 2
    client.post(PRACTICE_QUIZ, data={**hidden, "format": "md", "body": POOLED, "save": "Save"})
    assert quiz_of(app, "practice").draw == [{"count": 1, "category": "drills", "tag": "", "line": 3}]
    module_page = client.get("/studio/courses/intro-course/modules/practice/").get_data(as_text=True)
    assert "3 questions, 2 asked per attempt" in module_page


def test_a_pool_rule_that_asks_too_much_is_refused_with_its_line(app, client, content, trainer):
    _, hidden = open_editor(client, PRACTICE_QUIZ)
    text = POOLED.replace("count: 1", "count: 3")
    response = client.post(PRACTICE_QUIZ, data={**hidden, "format": "md", "body": text, "save": "Save"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert ("line 3: draw rule 1 asks for 3 questions with category &#39;drills&#39;, but the quiz has only 2"
            in page)
    assert quiz_of(app, "practice") is None


def test_unknown_setting_is_shown_with_its_line_and_nothing_is_saved(app, client, quiz_content, trainer):
    url = BASICS + "quiz"
    html, hidden = open_editor(client, url)
    before = quiz_of(app, "basics")
    text = textarea(html).replace("pass_mark: 75", "pas_mark: 75")
    response = client.post(url, data={**hidden, "body": text, "save": "Save"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "line 3: unknown key &#39;pas_mark&#39;" in page
    assert textarea(page) == text
    assert quiz_of(app, "basics").source == before.source


def test_quiz_edit_conflict(app, client, second_trainer, quiz_content, trainer):
    url = BASICS + "quiz"
    html, mine = open_editor(client, url)
    theirs_html, theirs = open_editor(second_trainer, url)
    their_text = textarea(theirs_html).replace("pass_mark: 75", "pass_mark: 60")
    assert second_trainer.post(url, data={**theirs, "body": their_text, "save": "Save"}).status_code == 302
    response = client.post(url, data={**mine, "body": textarea(html).replace("pass_mark: 75", "pass_mark: 90"),
                                      "save": "Save"})
    assert response.status_code == 409
    assert "changed by someone else since you opened it" in response.get_data(as_text=True)
    assert quiz_of(app, "basics").pass_mark == 60


def test_quiz_revisions_say_created_edited_and_restored(app, client, content, trainer):
    _, hidden = open_editor(client, PRACTICE_QUIZ)
    client.post(PRACTICE_QUIZ, data={**hidden, "format": "md", "body": GOOD, "save": "Save"})
    _, hidden = open_editor(client, PRACTICE_QUIZ)
    client.post(PRACTICE_QUIZ, data={**hidden, "body": GOOD.replace("pass_mark: 50", "pass_mark: 60"), "save": "Save"})
    quiz = quiz_of(app, "practice")
    first = revisions_of(app, "quiz", quiz.id)[0]
    history = f"/studio/quiz/{quiz.id}/history"
    assert submit(client, history, f"/studio/quiz/{quiz.id}/revisions/{first.id}/restore", {}).status_code == 302
    assert quiz_of(app, "practice").pass_mark == 50
    notes = [r.note for r in revisions_of(app, "quiz", quiz.id)]
    assert notes == ["created", "edited", f"restored revision {first.id}"]


def test_gift_quiz_can_be_created(app, client, content, trainer):
    _, hidden = open_editor(client, PRACTICE_QUIZ)
    gift = "::drill:: Is this a drill? {T}\n"
    response = client.post(PRACTICE_QUIZ, data={**hidden, "format": "gift", "body": gift, "save": "Save"})
    assert response.status_code == 302, response.get_data(as_text=True)
    quiz = quiz_of(app, "practice")
    assert quiz.filename == "intro-course/practice.gift" and len(quiz.questions) == 1
