"""The result and review page: the score first, what to do next, and marks that do not rely on colour."""
import re

from lms.catalogue import next_module
from tests.quizzes.helpers import start, submit


def review_of(client, right: bool) -> str:
    sheet = start(client)
    assert submit(client, sheet, right=right).status_code == 302
    return client.get(sheet + "/review").get_data(as_text=True)


def test_the_score_comes_before_any_other_percentage(client, quiz_content, make_user, login):
    login(make_user())
    html = review_of(client, right=True)
    text = re.sub(r"<[^>]+>", "", html[html.index("<main"):])
    first_percentage = re.search(r"\d+%", text)
    assert text[first_percentage.start() - len("Your score: "):first_percentage.end()] == "Your score: 100%"
    assert text.index("Your score") < text.index("Pass mark 75%")


def test_a_pass_offers_the_next_module_and_another_try(client, quiz_content, make_user, login):
    login(make_user())
    html = review_of(client, right=True)
    assert re.search(r'<a class="button" href="/courses/intro-course/practice/drill">Next: Practice</a>', html)
    assert ">Try again</a>" in html and "2 attempts left" in html


def test_a_fail_after_an_earlier_pass_still_offers_a_try_and_the_next_module(client, quiz_content, make_user, login):
    login(make_user())
    review_of(client, right=True)
    html = review_of(client, right=False)
    assert "Your score: <strong>0%</strong>" in html and "Not passed yet" in html
    assert ">Try again</a>" in html and "1 attempt left" in html and "Next: Practice" in html


def test_a_fail_offers_no_next_module_and_the_last_attempt_no_try(client, quiz_content, make_user, login):
    login(make_user())
    for _ in range(2):
        review_of(client, right=False)
    html = review_of(client, right=False)
    assert "Next:" not in html and "Try again" not in html and "Back to the course" in html


def test_each_answer_is_marked_with_a_symbol_and_words(client, quiz_content, make_user, login):
    login(make_user())
    right = review_of(client, right=True)
    assert right.count('<span class="mark" aria-hidden="true">✓</span> Question') == 6
    assert "· Correct ·" in right and 'class="card question mark-correct"' in right
    wrong = review_of(client, right=False)
    assert wrong.count('<span class="mark" aria-hidden="true">✗</span> Question') == 6
    assert "· Not correct ·" in wrong and 'class="card question mark-wrong"' in wrong


def test_matching_answers_are_laid_out_as_pairs(client, quiz_content, make_user, login):
    login(make_user())
    html = review_of(client, right=False)
    rows = re.findall(r'<tr class="mark-(\w+)">\s*<th scope="row">(\w+)</th>\s*<td>.*?</span> ([\w ]+) '
                      r'<span class="visually-hidden">\((\w+)\)</span></td>\s*<td>([\w ]+)</td>', html)
    assert rows == [("wrong", "Before", "Live posting", "wrong", "Shot list"),
                    ("wrong", "During", "Recap post", "wrong", "Live posting"),
                    ("wrong", "After", "Shot list", "wrong", "Recap post")]


def test_the_review_clears_the_browsers_copy_of_the_answers(client, quiz_content, make_user, login):
    login(make_user())
    html = review_of(client, right=True)
    assert re.search(r'data-graded-attempt="\d+"', html) and "sheet.js" in html


def test_next_module_follows_course_order(app, quiz_content):
    with app.test_request_context():
        assert next_module("intro-course", "basics").title == "Practice"
        assert next_module("intro-course", "practice") is None
        assert next_module("intro-course", "no-such-module") is None
        assert next_module("no-such-course", "basics") is None
