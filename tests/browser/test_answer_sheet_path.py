"""On a phone, a diplomat leaves two questions blank, is told before grading, answers them, passes and moves on."""
import time

import pytest
from playwright.sync_api import expect

from tests.helpers import PASSWORD, sign_in_page
from tests.quizzes.helpers import MATCHES, QUIZ

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def answer_all_but_two(page) -> None:
    """Answer the test quiz rightly, leaving question 3 (true or false) and question 4 (short answer) blank."""
    page.get_by_label("A short video inviting local firms").check()
    page.get_by_label("The publication date").check()
    page.get_by_label("The channel").check()
    page.get_by_label("Your answer (a number)").fill("60")
    for left, right in MATCHES.items():
        page.get_by_label(left, exact=True).select_option(label=right)


def start_attempt(page, live_server: str, number: int) -> None:
    page.goto(live_server + QUIZ)
    page.get_by_role("button", name=f"Start attempt {number}").click()



def forgets_every_sheet(page) -> None:
    """The review page's script removes this browser's copy of the sheet (it runs after the text shows).

    Polled from here: wait_for_function evaluates its predicate in the page, which the CSP (no 'unsafe-eval')
    refuses once the first check is false.
    """
    deadline = time.monotonic() + 5
    while kept := page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('sheet-'))"):
        assert time.monotonic() < deadline, f"the review page left {kept} in localStorage"
        page.wait_for_timeout(100)

def test_two_blank_questions_are_summarised_then_answered_and_passed(browser, live_server, quiz_content, make_user,
                                                                    screenshot_dir):
    page = browser.new_page(viewport=PHONE)
    sign_in_page(page, live_server, make_user("diplomat").email, PASSWORD)
    start_attempt(page, live_server, 1)
    expect(page.get_by_text("0 of 6 answered")).to_be_visible()
    answer_all_but_two(page)
    expect(page.get_by_text("4 of 6 answered")).to_be_visible()
    page.get_by_role("button", name="Submit answers").click()

    summary = page.locator("#sheet-summary")
    expect(summary).to_contain_text("2 of 6 questions are unanswered")
    expect(summary).to_be_focused()
    page.screenshot(path=str(screenshot_dir / "sheet-summary-360.png"), full_page=True)
    summary.get_by_role("link", name="Question 3").click()
    page.locator("#q2").get_by_label("True").check()
    expect(summary).to_contain_text("1 of 6 questions is unanswered")
    summary.get_by_role("link", name="Question 4").click()
    page.get_by_label("Your answer", exact=True).fill("alt text")
    expect(summary).to_be_hidden()
    expect(page.get_by_text("6 of 6 answered")).to_be_visible()
    page.get_by_role("button", name="Submit answers").click()

    expect(page.get_by_text("Your score: 100%")).to_be_visible()
    expect(page.get_by_text("Passed", exact=True)).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "quiz-passed-360.png"), full_page=True)
    page.get_by_role("link", name="Next: Practice").click()
    expect(page.get_by_role("heading", name="Drill")).to_be_visible()
    forgets_every_sheet(page)
    page.close()


def test_the_browser_keeps_answers_until_graded(browser, live_server, quiz_content, make_user):
    page = browser.new_page(viewport=PHONE)
    sign_in_page(page, live_server, make_user("diplomat").email, PASSWORD)
    start_attempt(page, live_server, 1)
    answer_all_but_two(page)
    page.reload()  # a dropped connection, a closed tab: the answers come back from this browser
    expect(page.get_by_text("4 of 6 answered")).to_be_visible()
    expect(page.get_by_label("The channel")).to_be_checked()
    expect(page.get_by_label("Your answer (a number)")).to_have_value("60")
    expect(page.get_by_label("During", exact=True)).to_have_value(
        page.get_by_label("During", exact=True).locator("option", has_text=MATCHES["During"]).get_attribute("value"))
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_role("button", name="Submit with 2 unanswered").click()
    expect(page.get_by_text("Your score: 67%")).to_be_visible()
    forgets_every_sheet(page)
    page.close()


def test_without_javascript_the_summary_is_a_page_and_going_back_keeps_everything(browser, live_server, quiz_content,
                                                                                  make_user):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    sign_in_page(page, live_server, make_user("diplomat").email, PASSWORD)
    start_attempt(page, live_server, 1)
    answer_all_but_two(page)
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("heading", name="2 of 6 questions unanswered")).to_be_visible()
    page.get_by_role("button", name="Question 4").click()
    expect(page.get_by_text("4 of 6 answered")).to_be_visible()
    expect(page.get_by_label("The publication date")).to_be_checked()
    expect(page.get_by_label("Your answer (a number)")).to_have_value("60")
    page.get_by_label("Your answer", exact=True).fill("alt text")
    page.locator("#q2").get_by_label("True").check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("Your score: 100%")).to_be_visible()
    expect(page.get_by_role("link", name="Next: Practice")).to_be_visible()
    context.close()
