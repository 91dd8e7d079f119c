"""Before submission nothing on the learner's pages gives the answers away; the review then reveals them."""
import re

from tests.helpers import DATA
from tests.quizzes.helpers import MATCHES, QUIZ, SECRETS, start, submit

ACCEPTED = ("alt text", "alternative text")


def test_secrets_list_covers_every_feedback_in_the_quiz_file():
    text = (DATA / "quizzes" / "intro-course" / "basics.md").read_text(encoding="utf-8")
    assert sorted(set(re.findall(r"SECRET-[A-Z-]+", text))) == sorted(SECRETS)


def _assert_no_answers(html: str, where: str):
    html = re.sub(r'name="csrf_token"[^>]*>|value="[\w.-]{40,}"', "", html)  # random tokens could hold "0.5"
    for secret in SECRETS:
        assert secret not in html, (where, secret)
    assert "SECRET-" not in html, where
    lowered = html.lower()
    for accepted in ACCEPTED:
        assert accepted not in lowered, (where, accepted)
    assert not re.search(r"-?50\s*%", html), (where, "a choice weight")
    assert "± 0.5" not in html and "0.5" not in html, (where, "the numerical tolerance")


def test_the_answer_sheet_gives_nothing_away(client, quiz_content, make_user, login):
    login(make_user("diplomat"))
    overview = client.get(QUIZ)
    assert overview.status_code == 200
    _assert_no_answers(overview.get_data(as_text=True), "quiz overview")
    course = client.get("/courses/intro-course/")
    assert course.status_code == 200
    _assert_no_answers(course.get_data(as_text=True), "course page")

    sheet = start(client)
    html = client.get(sheet).get_data(as_text=True)
    assert "Before" in html and "Shot list" in html  # it is the sheet, with all six questions
    assert len(re.findall(r'<fieldset class="card question"', html)) == 6
    _assert_no_answers(html, "answer sheet")
    # Matching: the right-hand column is never shown in file order (it would line up with the lefts).
    lefts = re.findall(r'<label for="q5-\d">(\w[\w ]*)</label>', html)
    assert lefts == list(MATCHES)
    select = html[html.index('id="q5-0"'):]
    select = select[:select.index("</select>")]
    rights = re.findall(r'<option value="\d+">([^<]+)</option>', select)
    assert sorted(rights) == sorted(MATCHES.values())
    assert rights != list(MATCHES.values())
    # No hidden inputs or data attributes beyond the CSRF token.
    hidden = re.findall(r'type="hidden"[^>]*name="(\w+)"|name="(\w+)"[^>]*type="hidden"', html)
    assert {a or b for a, b in hidden} <= {"csrf_token"}
    without_tokens = re.sub(r'value="[\w.-]{40,}"', "", html)
    assert "data-correct" not in html and "data-weight" not in html and "correct" not in without_tokens.lower()

    # Refreshing the sheet (the same attempt) does not change anything either, apart from the CSRF tokens'
    # timestamps (a second may pass between the two requests).
    assert re.sub(r'value="[\w.-]{40,}"', "", client.get(sheet).get_data(as_text=True)) == without_tokens


def test_every_attempt_shuffles_the_matching_column_away_from_file_order(client, quiz_content, make_user, login):
    login(make_user("diplomat"))
    for _ in range(3):  # the quiz allows three attempts, each with its own order
        sheet = start(client)
        html = client.get(sheet).get_data(as_text=True)
        select = html[html.index('id="q5-0"'):]
        rights = re.findall(r'<option value="\d+">([^<]+)</option>', select[:select.index("</select>")])
        assert rights != list(MATCHES.values())
        assert submit(client, sheet, right=False).status_code == 302


def test_the_review_reveals_answers_and_feedback_after_the_attempt(client, quiz_content, make_user, login):
    login(make_user("diplomat"))
    sheet = start(client)
    assert submit(client, sheet, right=False).status_code == 302
    wrong = client.get(sheet + "/review").get_data(as_text=True)
    assert "Answers and feedback" in wrong
    assert "alt text" in wrong.lower()  # the accepted answer
    for secret in ("SECRET-FEEDBACK-SINGLE-WRONG", "SECRET-FEEDBACK-PENALTY", "SECRET-FEEDBACK-FALSE",
                   "SECRET-GENERAL-FEEDBACK"):
        assert secret in wrong, secret

    sheet = start(client)
    assert submit(client, sheet, right=True).status_code == 302
    right = client.get(sheet + "/review").get_data(as_text=True)
    for secret in ("SECRET-FEEDBACK-SINGLE-RIGHT", "SECRET-FEEDBACK-TRUE", "SECRET-GENERAL-FEEDBACK"):
        assert secret in right, secret
    # Once submitted, the overview still keeps feedback to the review pages.
    assert "SECRET-" not in client.get(QUIZ).get_data(as_text=True)
