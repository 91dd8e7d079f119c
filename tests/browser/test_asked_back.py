"""On a phone, a number that could be read two ways is asked back, with the sheet kept, then graded."""
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.test_quiz_path import answer_sheet
from tests.helpers import PASSWORD, sign_in_page
from tests.quizzes.helpers import QUIZ

pytestmark = pytest.mark.browser


def test_an_ambiguous_number_is_asked_back_then_graded(browser, live_server, quiz_content, make_user,
                                                        screenshot_dir):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    sign_in_page(page, live_server, make_user("diplomat").email, PASSWORD)
    page.goto(live_server + QUIZ)
    page.get_by_role("button", name="Start attempt 1").click()
    answer_sheet(page, right=True, number="60,4")

    number = page.get_by_label("Your answer (a number)")
    expect(page.get_by_role("alert")).to_contain_text("Nothing was graded yet")
    expect(number).to_have_value("60,4")
    expect(number).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#q4-asked")).to_contain_text("could be read in two ways")
    expect(page.get_by_label("A short video inviting local firms")).to_be_checked()
    expect(page.get_by_label("Your answer", exact=True)).to_have_value("alt text")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    violations = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    assert violations == []
    page.screenshot(path=str(screenshot_dir / "quiz-asked-back-360.png"), full_page=True)

    number.fill("60.4")
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("Passed", exact=True)).to_be_visible()
    page.close()
