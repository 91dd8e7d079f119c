"""An answer sheet with a description and an essay: usable on a 360 px phone, and axe-core finds nothing serious."""
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select

from lms.extensions import db
from lms.models import Module
from lms.studio.revisions import save_quiz
from tests.helpers import PASSWORD, sign_in_page

pytestmark = pytest.mark.browser
GIFT = """::case::[markdown]**Case study.** The account posted a link offering visas.

::explain::Explain what the team posts first. {}

::drill::Is this a drill? {T}
"""


def _blocking(page) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in Axe().run(page).response["violations"]
            if v["impact"] in ("serious", "critical")]


def test_essay_sheet_and_review_are_accessible_on_a_phone(app, browser, live_server, quiz_content, make_user):
    author = make_user("trainer")
    with app.app_context():
        module = db.session.scalar(select(Module).where(Module.slug == "practice"))
        save_quiz(module, None, GIFT, author.id, "", "practice.gift")
        db.session.commit()
    page = browser.new_page(viewport={"width": 360, "height": 740})
    sign_in_page(page, live_server, make_user("diplomat").email, PASSWORD)
    page.goto(f"{live_server}/courses/intro-course/practice/quiz")
    page.get_by_role("button", name="Start attempt 1").click()

    expect(page.get_by_text("Case study.")).to_be_visible()
    page.get_by_label("Your answer (read by a trainer").fill("We are aware.\nNext update at 18:00.")
    page.get_by_label("True").check()
    assert _blocking(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Submit answers").click()

    expect(page.get_by_text("Passed", exact=True)).to_be_visible()
    expect(page.get_by_text("read by a trainer, not part of the score")).to_be_visible()
    expect(page.get_by_text("Next update at 18:00.")).to_be_visible()
    assert _blocking(page) == []
    page.close()
