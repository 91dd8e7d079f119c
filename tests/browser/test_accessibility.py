"""axe-core finds no serious or critical accessibility problem on each role's pages, which fit a 360 px phone.

axe-playwright-python ships axe-core, so this runs offline. Pages are visited signed in as the role that uses
them, on a 360 px viewport (the narrowest phone the ministry supports), with the small organisation of the
reports tests so that tables, charts and forms have content.
"""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from lms import clock
from lms.certificates import certificates_of, issue
from lms.certificates.codes import grouped
from lms.extensions import db
from lms.models import QuizAttempt, User
from lms.outbox import Email, add_email
from tests.helpers import PASSWORD, sign_in_page, signed_in_client
from tests.quizzes.helpers import QUIZ, start, submit

pytestmark = pytest.mark.browser
BLOCKING = ("serious", "critical")
LESSON = "/courses/intro-course/basics/first-steps"
PAGES = {
    "anonymous": ["/login", "/verify/", "/verify/{code}"],
    "diplomat": ["/", "/courses/", "/courses/intro-course/", LESSON, QUIZ, "/progress", "/certificates/{code}"],
    "coordinator": ["/reports/", "/reports/regions/Europe", "/reports/missions/EMB-A", "/reports/learners/{d1}",
                    "/reports/attempts/{attempt}",
                    "/people/", "/people/import", "/cohorts/", "/cohorts/{round1}/", "/cohorts/{round1}/members/{d2}"],
    "trainer": ["/studio/", "/studio/courses/intro-course/", "/studio/courses/intro-course/modules/basics/lessons/"
                "first-steps/edit"],
    "admin": ["/admin/users", "/admin/users/{d1}", "/admin/outbox"],
}


def _problems(page) -> list[str]:
    results = Axe().run(page)
    return [f"{page.url}: {v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(node["target"]) for node in v["nodes"][:3])
            for v in results.response["violations"] if v["impact"] in BLOCKING]


@pytest.mark.parametrize("role", PAGES)
def test_no_serious_or_critical_violations(role, app, browser, live_server, org, make_user):
    with app.app_context():  # d1 completed the course before certificates were issued on completion
        issue(org["d1"], org["course"])
        code = grouped(certificates_of(org["d1"])[0].code)
        add_email(Email("Someone With A Long Name <first.middle.lastname.officer@mission.example.gov>",
                        "Reminder: Introduction course is due on 2026-09-30", "Body"), clock.now())
        db.session.commit()
    with app.app_context():  # a submitted attempt of d2's, for the staff's view of it
        d2 = db.session.get(User, org["d2"])
        db.session.expunge(d2)
    learner = signed_in_client(app, d2)
    submit(learner, start(learner), right=False)
    with app.app_context():
        attempt = db.session.scalar(select(QuizAttempt.id).where(QuizAttempt.user_id == org["d2"]))
    # a long unbreakable address, as ministries have, in the cohort page's list of people to add
    make_user("diplomat", email="first.middle.lastname.officer@mission.foreign-affairs.example.gov", mission="EMB-A")
    page = browser.new_page(viewport={"width": 360, "height": 740})
    if role != "anonymous":
        sign_in_page(page, live_server, "d1@example.org" if role == "diplomat" else make_user(role).email, PASSWORD)
    problems = []
    for path in PAGES[role]:
        response = page.goto(live_server + path.format(code=code, attempt=attempt, **org))
        assert response.status == 200, (path, response.status)
        problems += _problems(page) + _too_wide(page)
    page.close()
    assert not problems, "\n".join(problems)


def _too_wide(page) -> list[str]:
    """The page itself must not scroll sideways at 360 px; wide tables scroll in their own region."""
    width = page.evaluate("document.documentElement.scrollWidth")
    return [f"{page.url}: the page is {width} px wide at a 360 px viewport"] if width > 360 else []


def test_quiz_sheet_summary_and_review_pass_axe_at_360_px(browser, live_server, quiz_content, make_user):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    sign_in_page(page, live_server, make_user("diplomat").email, PASSWORD)
    page.goto(live_server + QUIZ)
    page.get_by_role("button", name="Start attempt 1").click()
    problems = _problems(page) + _too_wide(page)  # the answer sheet
    page.get_by_label("A photo of a reception").check()
    page.get_by_role("button", name="Submit answers").click()
    page.locator("#sheet-summary").wait_for()
    problems += _problems(page) + _too_wide(page)  # the sheet with its inline summary
    with page.expect_navigation():  # as without JavaScript: the server's summary page
        page.evaluate("HTMLFormElement.prototype.submit.call(document.getElementById('sheet'))")
    page.get_by_role("heading", name="5 of 6 questions unanswered").wait_for()
    problems += _problems(page) + _too_wide(page)
    page.get_by_role("button", name="Submit with 5 unanswered").click()
    page.get_by_text("Your score").wait_for()
    problems += _problems(page) + _too_wide(page)  # the review: marks, and matching laid out as pairs
    page.close()
    assert not problems, "\n".join(problems)
