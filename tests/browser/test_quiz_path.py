"""A diplomat fails the module quiz, retries, passes, and sees the module complete."""
import pytest
from playwright.sync_api import expect

from tests.helpers import PASSWORD, sign_in_page
from tests.quizzes.helpers import MATCHES

pytestmark = pytest.mark.browser
WRONG = {"Before": "Live posting", "During": "Recap post", "After": "Shot list"}


def answer_sheet(page, right: bool, number: str | None = None) -> None:
    """Fill in the test quiz as a person would: clicking labels and choosing from lists."""
    page.get_by_label("A short video inviting local firms" if right else "A photo of a reception").check()
    if right:
        page.get_by_label("The publication date").check()
        page.get_by_label("The channel").check()
    else:
        page.get_by_label("A home address").check()
    page.locator("#q2").get_by_label("True" if right else "False").check()
    page.get_by_label("Your answer", exact=True).fill("alt text" if right else "caption")
    page.get_by_label("Your answer (a number)").fill(number or ("60" if right else "75"))
    for left, right_text in (MATCHES if right else WRONG).items():
        page.get_by_label(left, exact=True).select_option(label=right_text)
    page.get_by_role("button", name="Submit answers").click()


def test_fail_retry_pass_completes_the_module(browser, live_server, quiz_content, make_user, screenshot_dir):
    user = make_user("diplomat")
    page = browser.new_page(viewport={"width": 360, "height": 740})
    sign_in_page(page, live_server, user.email, PASSWORD)
    for lesson in ("first-steps", "second-steps"):
        page.goto(f"{live_server}/courses/intro-course/basics/{lesson}")
        page.get_by_role("button", name="Mark as complete").click()
        expect(page.get_by_text("You completed this lesson.")).to_be_visible()
    page.get_by_role("link", name="Module quiz: Basics check").click()

    page.get_by_role("button", name="Start attempt 1").click()
    answer_sheet(page, right=False)
    expect(page.get_by_text("Not passed yet")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "quiz-failed-360.png"), full_page=True)

    page.get_by_role("link", name="Try again").click()
    page.get_by_role("button", name="Start attempt 2").click()
    answer_sheet(page, right=True)
    expect(page.get_by_text("Passed", exact=True)).to_be_visible()
    expect(page.get_by_text("100%").first).to_be_visible()

    page.get_by_role("link", name="Back to the course").click()
    module = page.locator("#module-basics")
    expect(module.get_by_label("Progress in Basics")).to_have_attribute("value", "3")
    expect(module.get_by_text("3 of 3 completed · 100%")).to_be_visible()
    expect(module.locator(".state-passed")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "module-complete-360.png"), full_page=True)
    page.close()
