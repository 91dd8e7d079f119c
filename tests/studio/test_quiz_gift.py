"""The studio's "Download as GIFT" link: trainers take a quiz to Moodle."""
from lms.questions import parse_gift, parse_quiz
from tests.studio.helpers import open_editor

from ..questions.test_gift_export import as_gift_keeps

BASICS_GIFT = "/studio/courses/intro-course/modules/basics/quiz.gift"


def test_the_quiz_page_links_to_the_download(client, quiz_content, trainer):
    page = client.get("/studio/courses/intro-course/modules/basics/quiz").get_data(as_text=True)
    assert f'href="{BASICS_GIFT}" download>Download as GIFT</a>' in page


def test_the_download_reimports_to_the_stored_questions(client, quiz_content, trainer):
    response = client.get(BASICS_GIFT)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="basics.gift"'
    assert response.mimetype == "text/plain"
    source = quiz_content / "intro-course" / "basics.md"
    stored = parse_quiz(str(source), source.read_text())
    exported = parse_gift("basics.gift", response.get_data(as_text=True))
    assert exported.questions == tuple(as_gift_keeps(q) for q in stored.questions)


def test_a_module_without_a_quiz_has_nothing_to_download(client, quiz_content, trainer):
    assert client.get("/studio/courses/intro-course/modules/practice/quiz.gift").status_code == 404
    assert client.get("/studio/courses/intro-course/modules/nowhere/quiz.gift").status_code == 404


def test_learners_cannot_download_quiz_answers(client, quiz_content, make_user, login):
    login(make_user("diplomat"))
    assert client.get(BASICS_GIFT).status_code == 403


def test_the_preview_names_the_keys_given_to_questions_sharing_a_name(client, content, trainer):
    editor = "/studio/courses/intro-course/modules/practice/quiz"
    _, hidden = open_editor(client, editor)
    gift = "::dup::First? {T}\n\n::dup::Second? {F}\n"
    response = client.post(editor, data={**hidden, "format": "gift", "body": gift, "preview": "Preview"})
    page = response.get_data(as_text=True)
    keys = [q.key for q in parse_gift("practice.gift", gift).questions]
    assert "Questions that share a name get their own keys" in page
    note = f"quizzes/intro-course/practice.gift:3: 'dup' is shared by 2 questions; this one has key '{keys[1]}'"
    assert note.replace("'", "&#39;") in page


def test_a_quiz_gift_would_misread_is_not_downloaded_but_explained(client, content, trainer):
    editor = "/studio/courses/intro-course/modules/practice/quiz"
    _, hidden = open_editor(client, editor)
    quiz = "---\ntitle: Arrows\n---\n\n## Which way?\nkey: way\n\nAnswer: north\n  > Think north -> south.\n"
    saved = client.post(editor, data={**hidden, "format": "md", "body": quiz, "save": "Save"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    response = client.get(editor + ".gift")
    assert response.status_code == 302 and response.headers["Location"] == editor
    page = client.get(editor).get_data(as_text=True)
    assert "would not read these questions back as they are: way" in page
